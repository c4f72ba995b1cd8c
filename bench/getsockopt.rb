# frozen_string_literal: true

# getsockopt(:SOCKET, :TYPE): symbol lookup, one syscall, a Socket::Option;
# setsockopt(:SOCKET, :REUSEADDR, true): symbol lookup, one syscall.
require_relative "lib/harness"

sock = Socket.new(:INET, :STREAM)
Bench.measure("getsockopt(:SOCKET, :TYPE)") do
  sock.getsockopt(:SOCKET, :TYPE)
end
Bench.measure("setsockopt(:SOCKET, :REUSEADDR, true)") do
  sock.setsockopt(:SOCKET, :REUSEADDR, true)
end
sock.close
