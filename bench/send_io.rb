# frozen_string_literal: true

# Passing a file descriptor: send_io then recv_io (and closing the copy).
require_relative "lib/harness"

a, b = UNIXSocket.pair
file = File.open(File::NULL)

Bench.measure("unix send_io/recv_io") do
  a.send_io(file)
  b.recv_io.close
end
[a, b, file].each(&:close)
