# frozen_string_literal: true

# connect + accept + close of a TCP connection on 127.0.0.1.
require_relative "lib/harness"

server = Socket.new(:INET, :STREAM)
server.setsockopt(:SOCKET, :REUSEADDR, true)
server.bind(Socket.sockaddr_in(0, "127.0.0.1"))
server.listen(128)
addr = server.local_address

Bench.measure("tcp connect+accept+close") do
  client = Socket.new(:INET, :STREAM)
  client.connect(addr) # completes from the backlog, no second thread needed
  conn, = server.accept
  # Closing the accepted side first leaves TIME_WAIT on the server's port, so
  # a long run doesn't use up the ephemeral ports.
  conn.close
  client.close
end
server.close
