# frozen_string_literal: true

# A 64-byte request and its echo over TCP on 127.0.0.1, the echo served by a
# second thread, so every round trip also hands the GVL back and forth.
require_relative "lib/harness"

SIZE = 64

# TCP may split a message; read until all of it has arrived. Returns "" at
# EOF (recv gives "" on Ruby 3.1 and nil since 3.3).
def recv_full(sock, size)
  data = +""
  while data.bytesize < size
    chunk = sock.recv(size - data.bytesize)
    break if chunk.nil? || chunk.empty?

    data << chunk
  end
  data
end

server = Socket.new(:INET, :STREAM)
server.setsockopt(:SOCKET, :REUSEADDR, true)
server.bind(Socket.sockaddr_in(0, "127.0.0.1"))
server.listen(1)

client = Socket.new(:INET, :STREAM)
client.connect(server.local_address)
conn, = server.accept
[client, conn].each { |s| s.setsockopt(:TCP, :NODELAY, true) }

echoer = Thread.new do
  until (data = recv_full(conn, SIZE)).empty?
    conn.send(data, 0)
  end
  conn.close
end

message = "x" * SIZE
Bench.measure("tcp loopback 64B echo (2 threads)") do
  client.send(message, 0)
  recv_full(client, SIZE)
end

client.close
echoer.join
server.close
