# frozen_string_literal: true

# 64-byte datagrams over UDP on 127.0.0.1, one thread: UDPSocket#send to a
# host and port (resolved on every call, numerically) then recvfrom, which
# builds the sender's address array; and send/recvfrom_nonblock to a packed
# sockaddr, the cheaper pair.
require_relative "lib/harness"

receiver = UDPSocket.new
receiver.bind("127.0.0.1", 0)
port = receiver.addr[1]
sender = UDPSocket.new
sender.bind("127.0.0.1", 0)
dest = receiver.getsockname
message = "x" * 64

Bench.measure("udp 64B send(host, port) + recvfrom") do
  sender.send(message, 0, "127.0.0.1", port)
  receiver.recvfrom(64)
end

Bench.measure("udp 64B send(sockaddr) + recvfrom_nonblock") do
  sender.send(message, 0, dest)
  receiver.recvfrom_nonblock(64)
end

sender.close
receiver.close
