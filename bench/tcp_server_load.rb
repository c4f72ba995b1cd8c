# frozen_string_literal: true

# A thread-per-connection server on 127.0.0.1 under load: one thread accepts,
# a thread per connection answers each 64-byte request with 64 bytes, and
# 32 client threads each connect and make 1,000 request/response round trips.
# Reported in requests per second (each round trip counts as one operation).
#
#   BENCH_SERVER_CLIENTS=32 BENCH_SERVER_REQUESTS=1000 (fewer for short runs)
require_relative "lib/harness"

CLIENTS = Integer(ENV.fetch("BENCH_SERVER_CLIENTS", "32"))
REQUESTS = Integer(ENV.fetch("BENCH_SERVER_REQUESTS", "1000"))
SIZE = 64

# TCP may split a message; read until all of it has arrived. Returns nil at
# EOF (recv gives "" on Ruby 3.1 and nil since 3.3).
def recv_full(sock, size)
  data = sock.recv(size)
  return nil if data.nil? || data.empty?

  while data.bytesize < size
    chunk = sock.recv(size - data.bytesize)
    return nil if chunk.nil? || chunk.empty?

    data << chunk
  end
  data
end

server = TCPServer.new("127.0.0.1", 0)
port = server.local_address.ip_port
acceptor = Thread.new do
  loop do
    Thread.new(server.accept) do |conn|
      conn.setsockopt(:TCP, :NODELAY, true)
      while (request = recv_full(conn, SIZE))
        conn.send(request, 0)
      end
      conn.close
    end
  end
rescue IOError
  nil
end

message = ("x" * SIZE).freeze
Bench.measure("tcp server: #{CLIENTS} client threads, 64B request/response", per_call: CLIENTS * REQUESTS) do
  Array.new(CLIENTS) do
    Thread.new do
      sock = TCPSocket.new("127.0.0.1", port)
      sock.setsockopt(:TCP, :NODELAY, true)
      REQUESTS.times do
        sock.send(message, 0)
        recv_full(sock, SIZE) or raise "server closed the connection"
      end
      sock.close
    end
  end.each(&:join)
end
acceptor.kill
server.close
