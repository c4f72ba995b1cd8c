# frozen_string_literal: true

# net/http fetching a page from a small HTTP responder on 127.0.0.1.
#
#   ruby -rsocket_rs examples/http_get.rb
#   ruby -rsocket examples/http_get.rb
require "socket"
require "net/http"

impl = defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "stdlib socket"

server = TCPServer.new("127.0.0.1", 0)
port = server.local_address.ip_port

# Answers one request per connection, enough for net/http.
responder = Thread.new do
  loop do
    client = server.accept
    request_line = client.gets
    nil until ["\r\n", "\n", nil].include?(client.gets) # skip the headers
    body = "Hello from #{impl}! You asked for #{request_line.split[1]}\n"
    client.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" \
                 "Content-Length: #{body.bytesize}\r\nConnection: close\r\n\r\n#{body}")
    client.close
  rescue IOError, SystemCallError
    break # the server was closed
  end
end

# The nil proxy keeps net/http from using an http_proxy set in the environment.
response = Net::HTTP.new("127.0.0.1", port, nil).start { |http| http.get("/greeting") }
puts "#{response.code} #{response.message}"
print response.body

server.close
responder.join
puts "served by #{impl}"
