# frozen_string_literal: true

# Listeners the specs need on loopback.
module Listeners
  # The Addrinfo of a listener on 127.0.0.1 whose accept queue is full:
  # further SYNs are dropped, so a connect to it stays pending until the
  # caller's timeout. Every socket made is yielded so the example can close
  # it; nil when the queue could not be filled.
  def self.unresponsive
    server = Socket.new(:INET, :STREAM)
    yield server
    server.bind(Addrinfo.tcp("127.0.0.1", 0))
    server.listen(0)
    addr = server.local_address
    20.times do
      s = Socket.new(:INET, :STREAM)
      yield s
      return addr if s.connect_nonblock(addr, exception: false) == :wait_writable && !s.wait_writable(0.2)
    end
    nil
  end
end
