# frozen_string_literal: true

# Packing and unpacking an IPv4 sockaddr: pure argument handling, no syscalls.
require_relative "lib/harness"

Bench.measure("pack+unpack_sockaddr_in") do
  Socket.unpack_sockaddr_in(Socket.pack_sockaddr_in(8080, "127.0.0.1"))
end
