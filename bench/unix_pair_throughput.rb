# frozen_string_literal: true

# Bulk transfer: 64 KiB written with write and read back with readpartial
# over UNIXSocket.pair(:STREAM), one thread.
require_relative "lib/harness"

a, b = UNIXSocket.pair
chunk = "x" * 65_536
buf = String.new(capacity: 65_536)

Bench.measure("unix pair 64KiB write/readpartial") do
  a.write(chunk)
  left = chunk.bytesize
  left -= b.readpartial(left, buf).bytesize while left.positive?
end
a.close
b.close
