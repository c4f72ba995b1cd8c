# frozen_string_literal: true

require "io/wait"

# The parts of Addrinfo built on Socket's public API: opening sockets for an
# address (connect, bind, listen), block forms and keyword arguments.
class Addrinfo
  # Yields each address Addrinfo.getaddrinfo finds.
  def self.foreach(nodename, service, family = nil, socktype = nil, protocol = nil, flags = nil, timeout: nil, &block)
    getaddrinfo(nodename, service, family, socktype, protocol, flags, timeout: timeout).each(&block)
  end

  # An Addrinfo of this one's family, type and protocol for other arguments:
  # host and port for IP, a path for UNIX, or an Addrinfo of the same kind.
  def family_addrinfo(*args)
    raise ArgumentError, "no address specified" if args.empty?

    first = args.first
    if first.is_a?(Addrinfo)
      raise ArgumentError, "too many arguments" unless args.size == 1
      raise ArgumentError, "Addrinfo type mismatch" if pfamily != first.pfamily || socktype != first.socktype

      return first
    end

    if ip?
      unless args.size == 2
        raise ArgumentError, "IP address needs host and port but #{args.size} arguments given"
      end

      Addrinfo.getaddrinfo(args[0], args[1], pfamily, socktype, protocol)[0]
    elsif unix?
      unless args.size == 1
        raise ArgumentError, "UNIX socket needs single path argument but #{args.size} arguments given"
      end

      Addrinfo.unix(first)
    else
      raise ArgumentError, "unexpected family"
    end
  end

  # A socket connected to this address (closed after the block, if given).
  def connect(timeout: nil, &block)
    connect_internal(nil, timeout, &block)
  end

  # A socket bound to the local address the arguments give, connected here.
  def connect_from(*args, timeout: nil, &block)
    connect_internal(family_addrinfo(*args), timeout, &block)
  end

  # A socket bound to this address, connected to the arguments' address.
  def connect_to(*args, timeout: nil, &block)
    family_addrinfo(*args).connect_internal(self, timeout, &block)
  end

  # A socket bound to this address, with SO_REUSEADDR.
  def bind(&block)
    SocketRs::Helpers.open_socket(self, block) do |sock|
      sock.setsockopt(:SOCKET, :REUSEADDR, 1)
      sock.bind(self)
    end
  end

  # A listening socket bound to this address, with SO_REUSEADDR.
  def listen(backlog = Socket::SOMAXCONN, &block)
    SocketRs::Helpers.open_socket(self, block) do |sock|
      sock.setsockopt(:SOCKET, :REUSEADDR, 1)
      sock.bind(self)
      sock.listen(backlog)
    end
  end

  protected

  def connect_internal(local_addrinfo, timeout = nil, &block)
    SocketRs::Helpers.open_socket(self, block) do |sock|
      sock.bind(local_addrinfo) if local_addrinfo
      if timeout
        loop do
          status = sock.connect_nonblock(self, exception: false)
          # 0: connected (or already connected); other failures raise.
          break if status == 0

          sock.wait_writable(timeout) or raise Errno::ETIMEDOUT, "user specified timeout"
        end
      else
        sock.connect(self)
      end
    end
  end
end
