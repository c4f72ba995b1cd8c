# frozen_string_literal: true

# A 64-byte sendmsg/recvmsg round trip over UNIXSocket.pair(:DGRAM), one thread.
require_relative "lib/harness"

a, b = UNIXSocket.pair(:DGRAM)
message = "x" * 64

Bench.measure("unix dgram 64B sendmsg/recvmsg") do
  a.sendmsg(message)
  b.recvmsg(64)
end
a.close
b.close
