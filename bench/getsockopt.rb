# frozen_string_literal: true

# getsockopt(:SOCKET, :TYPE): symbol lookup, one syscall, a Socket::Option.
require_relative "lib/harness"

sock = Socket.new(:INET, :STREAM)
Bench.measure("getsockopt(:SOCKET, :TYPE)") do
  sock.getsockopt(:SOCKET, :TYPE)
end
sock.close
