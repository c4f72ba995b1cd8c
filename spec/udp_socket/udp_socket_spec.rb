# frozen_string_literal: true

require_relative "../spec_helper"

# UDPSocket: new with a family, bind/connect/send by host and port (each
# resolved address tried in turn), recvfrom_nonblock, and what it inherits.
# Host names are only resolved inside a private namespace.
RSpec.describe UDPSocket do
  def track(s)
    (@sockets ||= []) << s
    s
  end

  def bound(host = "127.0.0.1", family = :INET)
    s = track(UDPSocket.new(family))
    s.bind(host, 0)
    s
  end

  # A port on 127.0.0.1 that nothing listens on (just released).
  def free_port
    s = UDPSocket.new
    s.bind("127.0.0.1", 0)
    s.local_address.ip_port
  ensure
    s&.close
  end

  after { (@sockets || []).each { |s| s.close unless s.closed? } }

  describe ".new" do
    it "makes an IPv4 datagram socket by default" do
      s = track(UDPSocket.new)
      expect(s).to be_a(IPSocket)
      expect(s.local_address.afamily).to eq(Socket::AF_INET)
      expect(s.getsockopt(:SOCKET, :TYPE).int).to eq(Socket::SOCK_DGRAM)
      expect(s.close_on_exec?).to be(true)
      expect(s.sync).to be(true)
    end

    it "takes the family as an Integer, Symbol or String" do
      [Socket::AF_INET6, :INET6, :AF_INET6, "INET6", "AF_INET6", :PF_INET6].each do |family|
        s = track(UDPSocket.new(family))
        expect(s.local_address.afamily).to eq(Socket::AF_INET6)
      end
      expect(track(UDPSocket.new(:INET)).local_address.afamily).to eq(Socket::AF_INET)
    end

    it "raises the stdlib's errors for bad families" do
      expect { UDPSocket.new(:FOO) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { UDPSocket.new("inet") }.to raise_error(SocketError, "unknown socket domain: inet")
      expect { UDPSocket.new(nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { UDPSocket.new(999) }
        .to raise_error(Errno::EAFNOSUPPORT, "Address family not supported by protocol - socket(2) - udp")
      expect { UDPSocket.new(2, 3) }.to raise_error(ArgumentError, "wrong number of arguments (given 2, expected 0..1)")
    end

    it "works with IO.open semantics through .open" do
      seen = nil
      result = UDPSocket.open(:INET6) do |s|
        seen = s
        s.local_address.afamily
      end
      expect(result).to eq(Socket::AF_INET6)
      expect(seen).to be_closed
      s = track(UDPSocket.open)
      expect(s).to be_a(UDPSocket)
      expect(s).not_to be_closed
    end
  end

  describe "#bind" do
    it "binds to a host and port, returning 0" do
      s = track(UDPSocket.new)
      expect(s.bind("127.0.0.1", 0)).to eq(0)
      expect(s.local_address.ip_address).to eq("127.0.0.1")
      expect(s.local_address.ip_port).to be > 0
    end

    it "takes a port as a numeric String, and nil hosts as loopback" do
      port = free_port
      s = track(UDPSocket.new)
      s.bind("127.0.0.1", port.to_s)
      expect(s.local_address.ip_port).to eq(port)
      t = track(UDPSocket.new)
      t.bind(nil, 0)
      expect(t.local_address.ip_address).to eq("127.0.0.1")
      u = track(UDPSocket.new)
      u.bind("", 0)
      expect(u.local_address.ip_address).to eq("0.0.0.0")
    end

    it "binds IPv6 sockets to IPv6 addresses" do
      s = track(UDPSocket.new(:INET6))
      s.bind("::1", 0)
      expect(s.addr[0, 1] + s.addr[2..]).to eq(["AF_INET6", "::1", "::1"])
    end

    it "names the host and port when bind(2) fails" do
      a = bound
      port = a.local_address.ip_port
      b = track(UDPSocket.new)
      expect { b.bind("127.0.0.1", port) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for \"127.0.0.1\" port #{port}")
      expect { a.bind("127.0.0.1", 0) }
        .to raise_error(Errno::EINVAL, "Invalid argument - bind(2) for \"127.0.0.1\" port 0")
      expect { a.bind(nil, 0) }.to raise_error(Errno::EINVAL, "Invalid argument - bind(2) for nil port 0")
      expect { a.bind("127.0.0.1", nil) }
        .to raise_error(Errno::EINVAL, "Invalid argument - bind(2) for \"127.0.0.1\" port ")
      expect { a.bind("127.0.0.1", port.to_s) }
        .to raise_error(Errno::EINVAL, "Invalid argument - bind(2) for \"127.0.0.1\" port #{port}")
    end

    it "resolves for the socket's own family" do
      expect { track(UDPSocket.new).bind("::1", 0) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
      expect { track(UDPSocket.new(:INET6)).bind("127.0.0.1", 0) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
    end

    it "raises the stdlib's errors for bad ports and hosts", type_check: false do
      s = track(UDPSocket.new)
      expect { s.bind("127.0.0.1", "nosuchservice") }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { s.bind("127.0.0.1", -1) }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { s.bind("127.0.0.1", :x) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { s.bind("127.0.0.1", 1.5) }.to raise_error(TypeError, "no implicit conversion of Float into String")
      expect { s.bind(:x, 0) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { s.bind("127.0.0.1") }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2)")
    end

    it "raises IOError on a closed socket before resolving" do
      s = UDPSocket.new
      s.close
      expect { s.bind("127.0.0.1", 0) }.to raise_error(IOError, "closed stream")
      expect { s.bind(:x, 0) }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#connect" do
    it "connects to a host and port: send without an address reaches it" do
      a = bound
      b = bound
      expect(b.connect("127.0.0.1", a.local_address.ip_port)).to eq(0)
      expect(b.peeraddr).to eq(a.addr)
      expect(b.remote_address.inspect_sockaddr).to eq("127.0.0.1:#{a.local_address.ip_port}")
      expect(b.send("via connect", 0)).to eq(11)
      expect(a.recvfrom(20)).to eq(["via connect", b.addr])
    end

    it "takes IPv4-mapped addresses on IPv6 sockets" do
      a = bound
      b = track(UDPSocket.new(:INET6))
      b.connect("::ffff:127.0.0.1", a.local_address.ip_port)
      b.send("mapped", 0)
      expect(a.recvfrom(10)[0]).to eq("mapped")
    end

    it "lets recv report a refused datagram" do
      s = bound
      s.connect("127.0.0.1", free_port)
      s.send("anyone?", 0)
      expect { s.recv(10) }.to raise_error(Errno::ECONNREFUSED, "Connection refused - recvfrom(2)")
    end

    it "raises the stdlib's errors" do
      s = track(UDPSocket.new)
      expect { s.connect("::1", 9) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
      expect { s.connect("127.0.0.1", "nosuchservice") }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { s.connect("127.0.0.1", 1.5) }.to raise_error(TypeError, "no implicit conversion of Float into String")
      s.close
      expect { s.connect("127.0.0.1", 9) }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#send" do
    it "sends to a host and port, returning the bytes sent" do
      a = bound
      b = bound
      expect(b.send("hello", 0, "127.0.0.1", a.local_address.ip_port)).to eq(5)
      expect(b.send("again", 0, "127.0.0.1", a.local_address.ip_port.to_s)).to eq(5)
      expect(a.recvfrom(10)).to eq(["hello", b.addr])
      expect(a.recvfrom(10)).to eq(["again", b.addr])
    end

    it "sends to a packed sockaddr or an Addrinfo (BasicSocket#send)" do
      a = bound
      b = bound
      expect(b.send("packed", 0, a.getsockname)).to eq(6)
      expect(b.send("info", 0, a.local_address)).to eq(4)
      expect(a.recv(10)).to eq("packed")
      expect(a.recv(10)).to eq("info")
    end

    it "sends empty datagrams, received as empty strings" do
      a = bound
      b = bound
      expect(b.send("", 0, "127.0.0.1", a.local_address.ip_port)).to eq(0)
      expect(a.recvfrom(10)).to eq(["", b.addr])
      expect(b.send("", 0, a.getsockname)).to eq(0)
      expect(a.recv(10)).to eq("")
    end

    it "sends binary data unchanged, and honours flags" do
      a = bound
      b = bound
      data = (0..255).map(&:chr).join.b
      expect(b.send(data, Socket::MSG_DONTWAIT, "127.0.0.1", a.local_address.ip_port)).to eq(256)
      expect(a.recv(300)).to eq(data)
    end

    it "needs a destination when not connected" do
      expect { bound.send("x", 0) }
        .to raise_error(Errno::EDESTADDRREQ, "Destination address required - send(2)")
    end

    it "names the host and port when sendto(2) fails" do
      s = bound
      expect { s.send("x", 0, "127.0.0.1", 0) }
        .to raise_error(Errno::EINVAL, "Invalid argument - sendto(2) for \"127.0.0.1\" port 0")
      expect { s.send("x", 0, "::1", 9) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
      expect { s.send("x", 0, "127.0.0.1") }.to raise_error(Errno::EINVAL, "Invalid argument - sendto(2)")
    end

    it "checks its arguments as the stdlib does" do
      s = bound
      expect { s.send }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 4)")
      expect { s.send("x") }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 4)")
      expect { s.send("x", 0, "127.0.0.1", 9, 1) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 5, expected 4)")
      expect { s.send(1, 0, "127.0.0.1", 9) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { s.send("x", nil, "127.0.0.1", 9) }
        .to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { s.send("x", 0, "127.0.0.1", :x) }
        .to raise_error(TypeError, "no implicit conversion of Symbol into String")
    end

    it "checks the message, then whether the socket is open, then the flags" do
      s = UDPSocket.new
      s.close
      expect { s.send(1, 0, "127.0.0.1", 9) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { s.send("x", nil, "127.0.0.1", 9) }.to raise_error(IOError, "closed stream")
      expect { s.send("x", 0, "127.0.0.1", 9) }.to raise_error(IOError, "closed stream")
      expect { s.send("x", 0) }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#recvfrom_nonblock" do
    it "returns the data and the sender" do
      a = bound
      b = bound
      b.send("nb", 0, a.getsockname)
      IO.select([a], nil, nil, 5)
      expect(a.recvfrom_nonblock(10)).to eq(["nb", ["AF_INET", b.local_address.ip_port, "127.0.0.1", "127.0.0.1"]])
    end

    it "honours flags and outbuf" do
      a = bound
      b = bound
      b.send("peekaboo", 0, a.getsockname)
      IO.select([a], nil, nil, 5)
      expect(a.recvfrom_nonblock(4, Socket::MSG_PEEK)[0]).to eq("peek")
      buf = +"old"
      data, from = a.recvfrom_nonblock(20, 0, buf)
      expect(data).to equal(buf)
      expect(buf).to eq("peekaboo")
      expect(from).to eq(b.addr)
    end

    it "raises IO::EAGAINWaitReadable when nothing is ready" do
      expect { bound.recvfrom_nonblock(10) }
        .to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - recvfrom(2) would block") { |e|
          expect(e).to be_a(IO::WaitReadable)
        }
    end

    it "returns :wait_readable with exception: false" do
      s = bound
      expect(s.recvfrom_nonblock(10, exception: false)).to eq(:wait_readable)
      expect(s.recvfrom_nonblock(10, 0, +"", exception: false)).to eq(:wait_readable)
    end

    it "receives empty datagrams as empty strings" do
      a = bound
      b = bound
      b.send("", 0, a.getsockname)
      IO.select([a], nil, nil, 5)
      expect(a.recvfrom_nonblock(10)).to eq(["", b.addr])
    end

    it "rejects bad arguments and closed sockets" do
      s = bound
      expect { s.recvfrom_nonblock(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
      expect { s.recvfrom_nonblock(10, exception: false, bogus: 1) }
        .to raise_error(ArgumentError, "unknown keyword: :bogus")
      s.close
      expect { s.recvfrom_nonblock(1) }.to raise_error(IOError, "closed stream")
    end
  end

  describe "inherited methods" do
    it "recv, recv_nonblock, getsockopt, setsockopt and the address readers work" do
      a = bound
      b = bound
      expect(a.recv_nonblock(10, exception: false)).to eq(:wait_readable)
      b.send("one", 0, a.getsockname)
      expect(a.recv(10)).to eq("one")
      b.send("two", 0, a.getsockname)
      IO.select([a], nil, nil, 5)
      expect(a.recv_nonblock(10)).to eq("two")
      expect(a.setsockopt(:SOCKET, :RCVBUF, 65_536)).to eq(0)
      expect(a.getsockopt(:SOCKET, :RCVBUF).int).to be >= 65_536
      expect(a.local_address).to be_a(Addrinfo)
      expect(a.local_address.socktype).to eq(Socket::SOCK_DGRAM)
      expect(a.local_address.inspect).to eq("#<Addrinfo: 127.0.0.1:#{a.local_address.ip_port} UDP>")
      expect(Socket.unpack_sockaddr_in(a.getsockname)).to eq([a.local_address.ip_port, "127.0.0.1"])
    end
  end

  describe "trying each resolved address (private namespace)", netns: true do
    def in_namespace(code, hosts)
      r = NetNs.ruby(code, hosts: hosts)
      expect(r.err).to eq("")
      r.out.lines.map(&:chomp)
    end

    it "binds to the next address when the first fails" do
      out = in_namespace(<<~RUBY, "127.0.0.1 multi\n127.0.0.2 multi\n")
        taken = UDPSocket.new
        taken.bind("127.0.0.1", 0)
        s = UDPSocket.new
        p s.bind("multi", taken.addr[1]), s.addr[3], s.addr[1] == taken.addr[1]
      RUBY
      expect(out).to eq(["0", '"127.0.0.2"', "true"])
    end

    it "raises the last address's error naming the host when all fail" do
      out = in_namespace(<<~RUBY, "192.0.2.1 unreachable\n198.51.100.1 unreachable\n")
        s = UDPSocket.new
        [-> { s.connect("unreachable", 9) }, -> { s.send("x", 0, "unreachable", 9) }].each do |call|
          call.call
        rescue SystemCallError => e
          p [e.class, e.message]
        end
      RUBY
      expect(out).to eq(['[Errno::ENETUNREACH, "Network is unreachable - connect(2) for \\"unreachable\\" port 9"]',
                         '[Errno::ENETUNREACH, "Network is unreachable - sendto(2) for \\"unreachable\\" port 9"]'])
    end

    it "resolves names in connect and send, and reports unknown ones" do
      out = in_namespace(<<~RUBY, "127.0.0.1 localhost\n")
        a = UDPSocket.new
        a.bind("localhost", 0)
        b = UDPSocket.new
        p b.send("by name", 0, "localhost", a.addr[1])
        p a.recvfrom(10)[0]
        b.connect("localhost", a.addr[1])
        p b.peeraddr[3]
        begin
          b.bind("nosuch.example", 0)
        rescue SocketError => e
          p e.message
        end
      RUBY
      expect(out).to eq(["7", '"by name"', '"127.0.0.1"', '"getaddrinfo: Temporary failure in name resolution"'])
    end
  end

  describe "while blocked in recvfrom" do
    it "is woken by IO#close from another thread and by Thread#raise" do
      a = bound
      t = Thread.new do
        Thread.current.report_on_exception = false
        a.recvfrom(10)
      end
      sleep 0.01 until t.status == "sleep"
      a.close
      expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")

      b = bound
      t = Thread.new do
        Thread.current.report_on_exception = false
        b.recvfrom_nonblock(10, exception: false) == :wait_readable && b.recvfrom(10)
      end
      sleep 0.01 until t.status == "sleep"
      t.raise(Interrupt, "stop")
      expect { t.join(5) }.to raise_error(Interrupt, "stop")
    end
  end
end
