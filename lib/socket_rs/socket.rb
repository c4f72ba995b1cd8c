# frozen_string_literal: true

class Socket < BasicSocket
  @tcp_fast_fallback = true
  private_class_method :__tcp

  class << self
    # Whether Socket.tcp and TCPSocket.new use Happy Eyeballs v2 by default.
    attr_accessor :tcp_fast_fallback

    # Connects to host:port over TCP (Happy Eyeballs v2 unless fast_fallback
    # is false or host is an IP address), bound to local_host:local_port if
    # given. With a block, yields the socket, closes it and returns the
    # block's value.
    def tcp(host, port, local_host = nil, local_port = nil,
            connect_timeout: nil, resolv_timeout: nil, fast_fallback: tcp_fast_fallback)
      sock = __tcp(host, port, local_host, local_port, connect_timeout, resolv_timeout, fast_fallback)
      block_given? ? SocketRs::Helpers.closing(sock) { yield sock } : sock
    end

    # Socket.tcp with Happy Eyeballs v2 always on, as Ruby 3.4 defines it
    # (it takes no block: the socket is returned).
    def tcp_with_fast_fallback(host, port, local_host = nil, local_port = nil,
                               connect_timeout: nil, resolv_timeout: nil)
      __tcp(host, port, local_host, local_port, connect_timeout, resolv_timeout, true)
    end
  end

  def recvfrom_nonblock(len, flag = 0, str = nil, exception: true)
    __recvfrom_nonblock(len, flag, str, exception)
  end

  def accept_nonblock(exception: true)
    __accept_nonblock(exception)
  end

  def connect_nonblock(addr, exception: true)
    __connect_nonblock(addr, exception)
  end
end

class Socket < BasicSocket
  class << self
    # Yields [socket, client Addrinfo] for each connection accepted on any of
    # the given listening sockets (or arrays of them), one at a time, forever.
    def accept_loop(*sockets)
      sockets = sockets.flatten(1)
      raise ArgumentError, "no sockets" if sockets.empty?

      loop do
        ready, = IO.select(sockets)
        ready.each do |server|
          conn, client = server.accept_nonblock(exception: false)
          next if conn == :wait_readable

          yield conn, client
        end
      end
    end

    # Listening TCP sockets for every address of host (all of them when host
    # is nil), all on the same port even when port is 0.
    def tcp_server_sockets(host = nil, port)
      sockets = if port == 0
                  SocketRs::Helpers.listen_on_common_port(Addrinfo.getaddrinfo(host, 0, nil, :STREAM, nil, Socket::AI_PASSIVE)) { |ai| ai.listen }
                else
                  SocketRs::Helpers.open_each(Addrinfo.getaddrinfo(host, port, nil, :STREAM, nil, Socket::AI_PASSIVE), &:listen)
                end
      block_given? ? SocketRs::Helpers.closing(sockets) { yield sockets } : sockets
    end

    # Accepts connections on tcp_server_sockets(host, port) forever.
    def tcp_server_loop(host = nil, port, &block)
      tcp_server_sockets(host, port) { |sockets| accept_loop(sockets, &block) }
    end

    # Bound UDP sockets for host:port; a wildcard IPv4 address becomes one
    # socket per local IPv4 address, so replies leave from the address the
    # request came to (IPv6 wildcards use IPV6_RECVPKTINFO instead).
    def udp_server_sockets(host = nil, port)
      local = Socket.ip_address_list
      candidates = []
      Addrinfo.getaddrinfo(host, port, nil, :DGRAM, nil, Socket::AI_PASSIVE).each do |ai|
        if ai.ipv4? && ai.ip_address == "0.0.0.0"
          local.select(&:ipv4?).each { |a| candidates << Addrinfo.new(a.to_sockaddr, :INET, :DGRAM, 0) }
        else
          candidates << ai
        end
      end
      candidates.uniq!(&:to_sockaddr)
      sockets = if port == 0
                  SocketRs::Helpers.listen_on_common_port(candidates) { |ai| ai.bind }
                else
                  SocketRs::Helpers.open_each(candidates) { |ai| Addrinfo.udp(ai.ip_address, port).bind }
                end
      sockets.each do |s|
        ai = s.local_address
        s.setsockopt(:IPV6, :RECVPKTINFO, 1) if ai.ipv6? && ai.ip_address == "::"
      end
      block_given? ? SocketRs::Helpers.closing(sockets) { yield sockets } : sockets
    end

    # Reads one datagram from each readable socket that has one, yielding
    # the message and a Socket::UDPSource that replies from the right address.
    def udp_server_recv(sockets)
      sockets.each do |sock|
        msg, sender, _flags, *controls = sock.recvmsg_nonblock(exception: false)
        next if msg == :wait_readable

        local = sock.local_address
        pktinfo = local.ipv6? && controls.find { |c| c.cmsg_is?(:IPV6, :PKTINFO) }
        if pktinfo
          local = Addrinfo.udp(pktinfo.ipv6_pktinfo_addr.ip_address, local.ip_port)
          yield msg, UDPSource.new(sender, local) { |reply| sock.sendmsg(reply, 0, sender, pktinfo) }
        else
          yield msg, UDPSource.new(sender, local) { |reply| sock.send(reply, 0, sender) }
        end
      end
    end

    # Serves datagrams arriving on the given sockets forever.
    def udp_server_loop_on(sockets, &block)
      loop do
        ready, = IO.select(sockets)
        udp_server_recv(ready, &block)
      end
    end

    # Serves datagrams on udp_server_sockets(host, port) forever.
    def udp_server_loop(host = nil, port, &block)
      udp_server_sockets(host, port) { |sockets| udp_server_loop_on(sockets, &block) }
    end

    # A socket connected to the UNIX socket at path; with a block, yields it
    # and closes it afterwards.
    def unix(path)
      sock = Addrinfo.unix(path).connect
      block_given? ? SocketRs::Helpers.closing(sock) { yield sock } : sock
    end

    # A listening UNIX socket at path. A stale socket file of ours there is
    # removed first; with a block, the socket is closed and its file removed
    # afterwards.
    def unix_server_socket(path)
      unless unix_socket_abstract_name?(path)
        stat = begin
          File.lstat(path)
        rescue Errno::ENOENT
          nil
        end
        File.unlink(path) if stat&.socket? && stat.owned?
      end
      server = Addrinfo.unix(path).listen
      return server unless block_given?

      begin
        yield server
      ensure
        server.close
        File.unlink(path) unless unix_socket_abstract_name?(path)
      end
    end

    # Accepts connections on unix_server_socket(path) forever.
    def unix_server_loop(path, &block)
      unix_server_socket(path) { |server| accept_loop(server, &block) }
    end

    private

    # Linux's abstract namespace: an empty path or one starting with NUL.
    def unix_socket_abstract_name?(path)
      path.empty? || path.start_with?("\0")
    end
  end

  # Where a datagram came from and arrived, for replying from the same
  # local address (Socket.udp_server_recv yields these).
  class UDPSource
    attr_reader :remote_address, :local_address

    def initialize(remote_address, local_address, &reply_proc)
      @remote_address = remote_address
      @local_address = local_address
      @reply_proc = reply_proc
    end

    def inspect
      "#<#{self.class.name}: #{@remote_address.inspect_sockaddr} to #{@local_address.inspect_sockaddr}>"
    end

    # Sends msg back to the sender, from the address it was sent to.
    def reply(msg)
      @reply_proc.call(msg)
    end
  end
end
