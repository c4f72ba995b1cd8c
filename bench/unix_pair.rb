# frozen_string_literal: true

# A 64-byte message there and back over Socket.pair(:UNIX, :STREAM), one thread.
require_relative "lib/harness"

a, b = Socket.pair(:UNIX, :STREAM)
message = "x" * 64

Bench.measure("unix pair 64B send/recv round trip") do
  a.send(message, 0)
  b.send(b.recv(64), 0)
  a.recv(64)
end
a.close
b.close
