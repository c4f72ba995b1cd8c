# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe Socket do
  def listening(family = :INET, host = "127.0.0.1")
    server = Socket.new(family, :STREAM)
    server.bind(Socket.sockaddr_in(0, host))
    server.listen(5)
    server
  end

  describe ".new" do
    it "accepts Integer, Symbol and String domain and type" do
      [[:INET, :STREAM], ["AF_INET", "SOCK_STREAM"], [:PF_INET, :SOCK_STREAM], [Socket::AF_INET, Socket::SOCK_STREAM],
       [:INET6, :DGRAM], [:UNIX, :STREAM], ["UNIX", "DGRAM"]].each do |domain, type|
        s = Socket.new(domain, type)
        expect(s).to be_a(Socket)
        expect(s.close_on_exec?).to be(true)
        s.close
      end
      s = Socket.new(:INET, :STREAM, Socket::IPPROTO_TCP)
      expect(s.getsockopt(:SOCKET, :TYPE).int).to eq(Socket::SOCK_STREAM)
      s.close
    end

    it "rejects unknown names and bad values as the stdlib does" do
      expect { Socket.new(:FOO, :STREAM) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { Socket.new("FOO", :STREAM) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { Socket.new(:inet, :STREAM) }.to raise_error(SocketError, "unknown socket domain: inet")
      expect { Socket.new(:INET, :FOO) }.to raise_error(SocketError, "unknown socket type: FOO")
      expect { Socket.new(nil, :STREAM) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { Socket.new(:INET, :STREAM, :FOO) }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
      expect { Socket.new(:INET, :STREAM, "tcp") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket.new(9999, :STREAM) }.to raise_error(Errno::EAFNOSUPPORT, "Address family not supported by protocol - socket(2)")
      expect { Socket.new(:INET, 9999) }.to raise_error(Errno::EINVAL, "Invalid argument - socket(2)")
      expect { Socket.new(:INET) }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..3)")
    end
  end

  describe ".pair / .socketpair" do
    it "gives two connected Sockets" do
      a, b = Socket.pair(:UNIX, :STREAM)
      expect([a.class, b.class]).to eq([Socket, Socket])
      a.write("ping")
      expect(b.read(4)).to eq("ping")
      [a, b].each(&:close)
      pair = Socket.socketpair(:UNIX, :DGRAM, 0)
      expect(pair.size).to eq(2)
      pair.each(&:close)
    end

    it "yields the pair to a block, returns its value and closes both" do
      seen = nil
      expect(Socket.pair(:UNIX, :STREAM) { |a, b| seen = [a, b]; :done }).to eq(:done)
      expect(seen.map(&:closed?)).to eq([true, true])
    end

    it "yields the pair as one Array, as the stdlib does" do
      expect(Socket.pair(:UNIX, :STREAM) { |pair| pair.is_a?(Array) && pair.map(&:class) }).to eq([Socket, Socket])
    end

    it "closes both when the block raises" do
      seen = nil
      expect { Socket.pair(:UNIX, :STREAM) { |a, b| seen = [a, b]; raise "boom" } }.to raise_error(RuntimeError, "boom")
      expect(seen.map(&:closed?)).to eq([true, true])
    end

    it "raises the errno for unsupported families and checks arity" do
      expect { Socket.pair(:INET, :STREAM) }.to raise_error(Errno::EOPNOTSUPP, "Operation not supported - socketpair(2)")
      expect { Socket.pair(:UNIX) }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..3)")
      expect { Socket.pair(:UNIX, :STREAM, 0, 1) }.to raise_error(ArgumentError, "wrong number of arguments (given 4, expected 2..3)")
    end
  end

  describe "bind, listen, connect, accept" do
    it "connects and accepts, with Addrinfo or packed addresses" do
      server = listening
      client = Socket.new(:INET, :STREAM)
      expect(client.connect(server.local_address)).to eq(0)
      sock, addr = server.accept
      expect(sock).to be_a(Socket)
      expect(sock.close_on_exec?).to be(true)
      expect(addr).to be_a(Addrinfo)
      expect(addr.inspect).to eq(client.local_address.inspect)
      expect(sock.remote_address.inspect).to eq(client.local_address.inspect)
      client2 = Socket.new(:INET, :STREAM)
      client2.connect(server.getsockname)
      fd, addr2 = server.sysaccept
      expect(fd).to be_a(Integer)
      expect(addr2.inspect).to eq(client2.local_address.inspect)
      IO.for_fd(fd).close
      [server, client, client2, sock].each(&:close)
    end

    it "connect on a connected socket says what the kernel says: 0 once the handshake is done, then EISCONN" do
      server = listening
      client = Socket.new(:INET, :STREAM)
      client.connect(server.local_address)
      expect(client.connect(server.local_address)).to eq(0)
      port = server.local_address.ip_port
      expect { client.connect(server.local_address) }
        .to raise_error(Errno::EISCONN, "Transport endpoint is already connected - connect(2) for 127.0.0.1:#{port}")
      [server, client].each(&:close)
    end

    it "raises the errno with the address in the message" do
      probe = listening
      port = probe.local_address.ip_port
      probe.close
      s = Socket.new(:INET, :STREAM)
      expect { s.connect(Socket.sockaddr_in(port, "127.0.0.1")) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for 127.0.0.1:#{port}")
      s.close
      s6 = Socket.new(:INET6, :STREAM)
      expect { s6.connect(Socket.sockaddr_in(port, "::1")) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for [::1]:#{port}")
      s6.close
      u = Socket.new(:UNIX, :STREAM)
      expect { u.connect(Socket.sockaddr_un("/nonexistent/socket_rs")) }
        .to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for /nonexistent/socket_rs")
      u.close
    end

    it "bind reports the address, and bad sockaddrs are refused" do
      server = listening
      s = Socket.new(:INET, :STREAM)
      expect { s.bind(server.local_address) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for 127.0.0.1:#{server.local_address.ip_port}")
      expect { s.bind(Socket.sockaddr_un("/tmp/x")) }
        .to raise_error(Errno::EAFNOSUPPORT, "Address family not supported by protocol - bind(2) for /tmp/x")
      expect { s.bind(1) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { s.connect(nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { s.connect("\x63\x00abc") }.to raise_error(Errno::EINVAL, "Invalid argument - connect(2) for unknown address family 99")
      expect { s.connect("\x02\x00\x00\x50\x7f\x00\x00") }
        .to raise_error(Errno::EINVAL, "Invalid argument - connect(2) for 127.0.0.?:80 (7 bytes for 16 bytes sockaddr_in)")
      expect { s.listen("a") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      [server, s].each(&:close)
    end

    it "listen and accept report errnos" do
      d = Socket.new(:INET, :DGRAM)
      expect { d.listen(1) }.to raise_error(Errno::EOPNOTSUPP, "Operation not supported - listen(2)")
      d.close
      s = Socket.new(:INET, :STREAM)
      expect { s.accept }.to raise_error(Errno::EINVAL, "Invalid argument - accept(2)")
      expect { s.sysaccept }.to raise_error(Errno::EINVAL, "Invalid argument - accept(2)")
      expect { s.accept_nonblock }.to raise_error(Errno::EINVAL, "Invalid argument - accept(2)")
      expect(s.listen(1)).to eq(0)
      s.close
    end
  end

  describe "non-blocking connect and accept" do
    it "accept_nonblock raises IO::WaitReadable or returns :wait_readable, then accepts" do
      server = listening
      expect { server.accept_nonblock }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - accept(2) would block")
      expect(server.accept_nonblock(exception: false)).to eq(:wait_readable)
      client = Socket.new(:INET, :STREAM)
      client.connect(server.local_address)
      IO.select([server], nil, nil, 5)
      sock, addr = server.accept_nonblock
      expect(sock).to be_a(Socket)
      expect(addr.ip_port).to eq(client.local_address.ip_port)
      [server, client, sock].each(&:close)
    end

    it "connect_nonblock signals progress then completes" do
      server = listening
      client = Socket.new(:INET, :STREAM)
      first = begin
        client.connect_nonblock(server.local_address)
      rescue IO::WaitWritable => e
        expect(e).to be_a(IO::EINPROGRESSWaitWritable)
        expect(e.message).to eq("Operation now in progress - connect(2) would block")
        :in_progress
      end
      expect([0, :in_progress]).to include(first)
      IO.select(nil, [client], nil, 5)
      expect(client.connect_nonblock(server.local_address, exception: false)).to eq(0)
      [server, client].each(&:close)
    end
  end

  describe "#recvfrom and #recvfrom_nonblock" do
    it "gives data and the sender's Addrinfo for datagrams" do
      u = Socket.new(:INET, :DGRAM)
      u.bind(Socket.sockaddr_in(0, "127.0.0.1"))
      v = Socket.new(:INET, :DGRAM)
      v.bind(Socket.sockaddr_in(0, "127.0.0.1"))
      v.send("hi", 0, u.local_address)
      data, from = u.recvfrom(10)
      expect(data).to eq("hi")
      expect(from.inspect).to eq("#<Addrinfo: 127.0.0.1:#{v.local_address.ip_port} UDP>")
      expect { u.recvfrom_nonblock(10) }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - recvfrom(2) would block")
      expect(u.recvfrom_nonblock(10, exception: false)).to eq(:wait_readable)
      v.send("ho", 0, u.local_address)
      IO.select([u], nil, nil, 5)
      data, from = u.recvfrom_nonblock(10)
      expect(data).to eq("ho")
      expect(from.ip_port).to eq(v.local_address.ip_port)
      [u, v].each(&:close)
    end

    it "gives an empty-sockaddr Addrinfo on a connected stream" do
      a, b = Socket.pair(:UNIX, :STREAM)
      b.write("hey")
      data, from = a.recvfrom(10)
      expect(data).to eq("hey")
      expect(from.inspect).to eq("#<Addrinfo: empty-sockaddr SOCK_STREAM>")
      [a, b].each(&:close)
    end

    it "returns nil at the end of a stream (before Ruby 3.3, \"\" and an empty address)" do
      a, b = Socket.pair(:UNIX, :STREAM)
      b.close
      got = a.recvfrom(10)
      expect(got&.then { |d, from| [d, from.inspect] })
        .to eq(PerRuby.end_of_stream(["", "#<Addrinfo: empty-sockaddr SOCK_STREAM>"]))
      a.close
    end
  end

  describe "#ipv6only!" do
    it "sets IPV6_V6ONLY on IPv6 sockets and fails on IPv4 ones" do
      s6 = Socket.new(:INET6, :STREAM)
      expect(s6.ipv6only!).to eq(0)
      expect(s6.getsockopt(:IPV6, :V6ONLY).bool).to be(true)
      s6.close
      s4 = Socket.new(:INET, :STREAM)
      expect { s4.ipv6only! }.to raise_error(Errno::ENOPROTOOPT, "Protocol not available - setsockopt(2)")
      s4.close
    end
  end

  describe "sockaddr packing" do
    it "packs and unpacks AF_INET and AF_INET6 byte for byte" do
      expect(Socket.sockaddr_in(80, "127.0.0.1")).to eq("\x02\x00\x00P\x7F\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00".b)
      expect(Socket.pack_sockaddr_in(80, "127.0.0.1")).to eq(Socket.sockaddr_in(80, "127.0.0.1"))
      expect(Socket.sockaddr_in(80, "::1")).to eq(("\n\x00\x00P" + "\x00" * 4 + "\x00" * 15 + "\x01" + "\x00" * 4).b)
      expect(Socket.sockaddr_in("80", "127.0.0.1")).to eq(Socket.sockaddr_in(80, "127.0.0.1"))
      expect(Socket.unpack_sockaddr_in(Socket.sockaddr_in(80, "127.0.0.1"))).to eq([80, "127.0.0.1"])
      expect(Socket.unpack_sockaddr_in(Socket.sockaddr_in(443, "::1"))).to eq([443, "::1"])
      expect(Socket.unpack_sockaddr_in(Socket.sockaddr_in(80, "::ffff:1.2.3.4"))).to eq([80, "::ffff:1.2.3.4"])
    end

    it "follows getaddrinfo's rules for special hosts and ports" do
      expect(Socket.sockaddr_in(80, "")).to eq(Socket.sockaddr_in(80, "0.0.0.0"))
      expect(Socket.sockaddr_in(80, "<any>")).to eq(Socket.sockaddr_in(80, "0.0.0.0"))
      expect(Socket.sockaddr_in(80, "<broadcast>")).to eq(Socket.sockaddr_in(80, "255.255.255.255"))
      expect(Socket.sockaddr_in(nil, "127.0.0.1")).to eq(Socket.sockaddr_in(0, "127.0.0.1"))
      expect(Socket.sockaddr_in(70000, "127.0.0.1")).to eq(Socket.sockaddr_in(4464, "127.0.0.1"))
      expect { Socket.sockaddr_in(-1, "127.0.0.1") }.to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
    end

    it "accepts an Addrinfo where a packed sockaddr is expected" do
      expect(Socket.unpack_sockaddr_in(Addrinfo.tcp("127.0.0.1", 80))).to eq([80, "127.0.0.1"])
      expect(Socket.unpack_sockaddr_un(Addrinfo.unix("/tmp/sock"))).to eq("/tmp/sock")
    end

    it "refuses what is not an IP sockaddr" do
      expect { Socket.unpack_sockaddr_in(Socket.sockaddr_un("/tmp/x")) }.to raise_error(ArgumentError, "not an AF_INET/AF_INET6 sockaddr")
      expect { Socket.unpack_sockaddr_in("abc") }.to raise_error(ArgumentError, "not an AF_INET/AF_INET6 sockaddr")
      expect { Socket.unpack_sockaddr_in(1) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
    end

    it "refuses a sockaddr shorter than its family's struct as getnameinfo does, and returns a binary host" do
      v4 = Socket.sockaddr_in(80, "127.0.0.1")
      v6 = Socket.sockaddr_in(80, "::1")
      expect { Socket.unpack_sockaddr_in("\x02") }.to raise_error(ArgumentError, "too short sockaddr")
      [v4[0, 2], v4[0, 8], v4[0, 15], v6[0, 27]].each do |short|
        expect { Socket.unpack_sockaddr_in(short) }
          .to raise_error(SocketError, "getnameinfo: ai_family not supported"), short.inspect
      end
      expect(Socket.unpack_sockaddr_in(v4 + "\0" * 4)).to eq([80, "127.0.0.1"])
      expect(Socket.unpack_sockaddr_in(v6)[1].encoding).to eq(Encoding::BINARY)
    end

    it "packs and unpacks AF_UNIX paths and abstract names" do
      packed = Socket.sockaddr_un("/tmp/sock")
      expect(packed.bytesize).to eq(110)
      expect(packed).to eq(("\x01\x00/tmp/sock" + "\x00" * 99).b)
      expect(Socket.pack_sockaddr_un("/tmp/sock")).to eq(packed)
      expect(Socket.sockaddr_un("\0abs")).to eq("\x01\x00\x00abs".b)
      expect(Socket.sockaddr_un("")).to eq("\x01\x00".b)
      expect(Socket.unpack_sockaddr_un(packed)).to eq("/tmp/sock")
      expect(Socket.unpack_sockaddr_un(Socket.sockaddr_un("\0abs"))).to eq("\0abs")
      expect(Socket.unpack_sockaddr_un([1, 0].pack("S") + "abc")).to eq("abc")
      expect(Socket.sockaddr_un("x" * 108).bytesize).to eq(110)
    end

    it "refuses long paths and non-UNIX sockaddrs" do
      expect { Socket.sockaddr_un("x" * 200) }.to raise_error(ArgumentError, "too long unix socket path (200 bytes given but 108 bytes max)")
      expect { Socket.sockaddr_un(:a) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { Socket.unpack_sockaddr_un(Socket.sockaddr_in(80, "127.0.0.1")) }.to raise_error(ArgumentError, "not an AF_UNIX sockaddr")
      expect { Socket.unpack_sockaddr_un("x" * 200) }.to raise_error(ArgumentError, "not an AF_UNIX sockaddr")
    end
  end

  describe ".gethostname" do
    it "is the kernel's host name" do
      expect(Socket.gethostname).to eq(File.read("/proc/sys/kernel/hostname").chomp)
    end
  end
end

RSpec.describe "Socket sockaddr unpacking edge cases" do
  it "rejects too-short and too-long sockaddrs as the stdlib does" do
    expect { Socket.unpack_sockaddr_in("x") }.to raise_error(ArgumentError, "too short sockaddr")
    expect { Socket.unpack_sockaddr_in("") }.to raise_error(ArgumentError, "too short sockaddr")
    expect { Socket.unpack_sockaddr_un("x") }.to raise_error(ArgumentError, "too short sockaddr")
    expect { Socket.unpack_sockaddr_un([1].pack("S") + "x" * 198) }
      .to raise_error(TypeError, "too long sockaddr_un - 200 longer than 110")
  end
end
