# frozen_string_literal: true

module SocketRs
  # The Ruby helpers several classes share. Kept out of the classes so they
  # gain no methods, public or private, that the stdlib's lack.
  module Helpers
    module_function

    # Runs the block, then closes the socket (or each of an array of them)
    # still open, whether the block returned or raised.
    def closing(sockets)
      yield
    ensure
      [sockets].flatten.each { |s| s.close unless s.closed? }
    end

    # Opens a socket for each address, keeping those that work; raises the
    # last error if none does.
    def open_each(addrinfos)
      sockets = []
      last_error = nil
      addrinfos.each do |ai|
        sockets << yield(ai)
      rescue SystemCallError => e
        last_error = e
      end
      raise last_error if sockets.empty? && last_error

      sockets
    rescue Exception
      sockets.each(&:close)
      raise
    end

    # Opens a socket per address on one port the kernel picks for the first,
    # retrying with a fresh port when another address has it taken.
    def listen_on_common_port(addrinfos)
      return [] if addrinfos.empty?

      10.times do
        sockets = []
        begin
          first = yield addrinfos.first
          sockets << first
          port = first.local_address.ip_port
          addrinfos.drop(1).each do |ai|
            again = Addrinfo.new([ai.ipv6? ? "AF_INET6" : "AF_INET", port, ai.ip_address, ai.ip_address], ai.pfamily, ai.socktype, ai.protocol)
            sockets << yield(again)
          end
          return sockets
        rescue Errno::EADDRINUSE
          sockets.each(&:close)
        rescue Exception
          sockets.each(&:close)
          raise
        end
      end
      raise Errno::EADDRINUSE, "no common free port for #{addrinfos.map(&:inspect_sockaddr).join(', ')}"
    end

    # Opens a socket for `ai`, lets the caller's setup block prepare it
    # (closing it if that fails), then hands it to `block` or returns it.
    def open_socket(ai, block)
      sock = Socket.new(ai.pfamily, ai.socktype, ai.protocol)
      begin
        sock.ipv6only! if ai.ipv6?
        yield sock
      rescue Exception
        sock.close
        raise
      end
      return sock unless block

      begin
        block.call(sock)
      ensure
        sock.close
      end
    end
  end
end
