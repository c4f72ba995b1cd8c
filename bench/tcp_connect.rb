# frozen_string_literal: true

# TCPSocket.new + close to a TCPServer on 127.0.0.1 (the client side of a
# connection; the backlog completes the handshake without an accept).
require_relative "lib/harness"

server = TCPServer.new("127.0.0.1", 0)
port = server.local_address.ip_port

# Accepted connections are closed by the server first, leaving TIME_WAIT on
# the server's side so a long run doesn't use up the ephemeral ports.
drainer = Thread.new do
  loop { server.accept.close }
rescue IOError
  nil
end

Bench.measure("TCPSocket.new+close (127.0.0.1)") do
  TCPSocket.new("127.0.0.1", port).close
end
drainer.kill
server.close
