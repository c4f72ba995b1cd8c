# frozen_string_literal: true

# TCPServer#accept + close of connections queued by a raw client socket on
# 127.0.0.1: the measured side is the server's accept.
require_relative "lib/harness"

server = TCPServer.new("127.0.0.1", 0)
addr = Socket.sockaddr_in(server.local_address.ip_port, "127.0.0.1")

Bench.measure("TCPServer#accept+close") do
  client = Socket.new(:INET, :STREAM)
  client.connect(addr) # completes from the backlog
  conn = server.accept
  conn.close # server closes first: TIME_WAIT stays on the server's port
  client.close
end
server.close
