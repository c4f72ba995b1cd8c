# frozen_string_literal: true

# A TCP echo server and client on 127.0.0.1.
#
#   ruby -rsocket_rs examples/echo.rb     # with socket_rs
#   ruby -rsocket examples/echo.rb        # with Ruby's own socket library
require "socket"

impl = defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "stdlib socket"

server = TCPServer.new("127.0.0.1", 0) # port 0: the kernel picks a free one
port = server.local_address.ip_port

echoer = Thread.new do
  client = server.accept
  while (line = client.gets)
    client.write(line)
  end
  client.close
end

messages = ["hello", "echo over loopback", "bye"]
TCPSocket.open("127.0.0.1", port) do |sock|
  messages.each do |msg|
    sock.puts(msg)
    reply = sock.gets.chomp
    raise "echo mismatch: sent #{msg.inspect}, got #{reply.inspect}" unless reply == msg

    puts "echoed: #{reply}"
  end
  sock.close_write # the server sees EOF and hangs up
end
echoer.join
server.close

puts "served by #{impl} (#{TCPServer}, port #{port})"
