# frozen_string_literal: true

require_relative "../spec_helper"
require "tmpdir"

RSpec.describe "UNIXSocket" do
  around do |example|
    Dir.mktmpdir("socket_rs") do |dir|
      @dir = dir
      @closing = []
      example.run
    ensure
      @closing.each { |s| s.close unless s.closed? }
    end
  end

  # A UNIXSocket around a fresh socket fd (the Socket gives up the fd, so GC
  # of the Socket cannot close it under the UNIXSocket).
  def unix_for(sock)
    sock.autoclose = false
    UNIXSocket.for_fd(sock.fileno)
  end

  def track(*socks)
    @closing.concat(socks)
    socks.size == 1 ? socks[0] : socks
  end

  it "is a BasicSocket with the stdlib's methods", type_check: false do
    expect(UNIXSocket.superclass).to eq(BasicSocket)
    expect(UNIXSocket.instance_methods(false).sort).to include(:addr, :path, :peeraddr, :recv_io, :recvfrom, :send_io)
    expect(UNIXSocket.singleton_methods(false).sort).to eq(%i[pair socketpair])
  end

  describe ".new" do
    it "connects to a server path" do
      path = File.join(@dir, "s")
      server = track(UNIXServer.new(path))
      client = track(UNIXSocket.new(path))
      peer = track(server.accept)
      client.write("hi")
      expect(peer.read(2)).to eq("hi")
      expect([client.path, client.addr, client.peeraddr]).to eq(["", ["AF_UNIX", ""], ["AF_UNIX", path]])
      expect(client.close_on_exec?).to be(true)
      expect(client.remote_address.inspect).to eq("#<Addrinfo: #{path} SOCK_STREAM>")
    end

    it "takes to_path objects and abstract names" do
      path = File.join(@dir, "p")
      track(UNIXServer.new(path))
      holder = Object.new
      holder.define_singleton_method(:to_path) { path }
      expect(track(UNIXSocket.new(holder)).peeraddr).to eq(["AF_UNIX", path])
      name = "\0socket_rs-#{Process.pid}-#{rand(1 << 30)}"
      track(UNIXServer.new(name))
      expect(track(UNIXSocket.new(name)).peeraddr).to eq(["AF_UNIX", name.b])
    end

    it "raises the stdlib's errors, naming the path" do
      missing = File.join(@dir, "missing")
      expect { UNIXSocket.new(missing) }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for #{missing}")
      expect { UNIXSocket.new("\0socket_rs-nobody-#{Process.pid}") }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \\0socket_rs-nobody-#{Process.pid}")
      expect { UNIXSocket.new("/nx/\n\x01") }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for /nx/\\n\\u0001")
      expect { UNIXSocket.new("/nx/\xff".b) }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for /nx/\\xFF")
      expect { UNIXSocket.new("/nx/é") }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for /nx/é")
      expect { UNIXSocket.new("") }.to raise_error(Errno::EINVAL, "Invalid argument - connect(2) for ")
      expect { UNIXSocket.new("x" * 200) }.to raise_error(ArgumentError, "too long unix socket path (200bytes given but 108bytes max)")
      expect { UNIXSocket.new(nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { UNIXSocket.new("/tmp/a\0b") }.to raise_error(ArgumentError, "path name contains null byte")
    end

    it "leaves no fd open when it fails" do
      before = open_fds
      3.times { expect { UNIXSocket.new(File.join(@dir, "missing")) }.to raise_error(Errno::ENOENT) }
      expect(open_fds).to eq(before)
    end
  end

  describe ".pair" do
    it "makes connected sockets of each type" do
      { nil => Socket::SOCK_STREAM, :DGRAM => Socket::SOCK_DGRAM, "SEQPACKET" => Socket::SOCK_SEQPACKET }.each do |type, num|
        pair = track(*(type ? UNIXSocket.pair(type, 0) : UNIXSocket.pair))
        expect(pair.map(&:class)).to eq([UNIXSocket, UNIXSocket])
        expect(pair.map { |s| s.getsockopt(:SOCKET, :TYPE).int }).to eq([num, num])
        expect(pair.map(&:close_on_exec?)).to eq([true, true])
      end
      expect(track(*UNIXSocket.socketpair(Socket::SOCK_DGRAM, nil)).size).to eq(2)
    end

    it "makes instances of the receiving class, and closes them after a block" do
      sub = Class.new(UNIXSocket)
      expect(track(*sub.pair).map(&:class)).to eq([sub, sub])
      kept = nil
      expect(UNIXSocket.pair { |x, y| kept = [x, y]; 42 }).to eq(42)
      expect(kept.map(&:closed?)).to eq([true, true])
    end

    it "yields the pair as one Array, as the stdlib does" do
      expect(UNIXSocket.pair { |pair| pair.is_a?(Array) && pair.map(&:class) }).to eq([UNIXSocket, UNIXSocket])
    end

    it "rejects bad arguments" do
      expect { UNIXSocket.pair(:FOO) }.to raise_error(SocketError, "unknown socket type: FOO")
      expect { UNIXSocket.pair(:STREAM, 99) }.to raise_error(Errno::EPROTONOSUPPORT, "Protocol not supported - socketpair(2)")
      expect { UNIXSocket.pair(:STREAM, 0, 1) }.to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 0..2)")
    end
  end

  describe "#path, #addr, #peeraddr, #inspect" do
    it "remembers the path it reports" do
      a, = track(*UNIXSocket.pair)
      expect(a.inspect).to match(/\A#<UNIXSocket:fd \d+>\z/)
      expect([a.path, a.path.encoding, a.inspect]).to eq(["", Encoding::BINARY, "#<UNIXSocket:>"])
      expect(a.addr).to eq(["AF_UNIX", ""])
      expect(a.addr.map(&:encoding)).to eq([Encoding::BINARY, Encoding::BINARY])
    end

    it "raises the stdlib's errors" do
      lonely = track(unix_for(Socket.new(:UNIX, :STREAM)))
      expect { lonely.peeraddr }.to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - getpeername(2)")
      lonely.path
      expect { lonely.peeraddr }.to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - getpeername(2) for ")
      lonely.close
      expect { lonely.path }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#recvfrom" do
    it "gives the data and the sender's AF_UNIX address" do
      a, b = track(*UNIXSocket.pair)
      b.send("abc", 0)
      buf = +"zz"
      got = a.recvfrom(10, 0, buf)
      expect(got).to eq(["abc", ["AF_UNIX", ""]])
      expect(got[0]).to equal(buf)
    end

    it "names a bound datagram sender" do
      rpath = File.join(@dir, "r")
      spath = File.join(@dir, "w")
      r = Socket.new(:UNIX, :DGRAM)
      r.bind(Socket.sockaddr_un(rpath))
      reader = track(unix_for(r))
      w = track(Socket.new(:UNIX, :DGRAM))
      w.bind(Socket.sockaddr_un(spath))
      w.send("hey", 0, Socket.sockaddr_un(rpath))
      expect(reader.recvfrom(10)).to eq(["hey", ["AF_UNIX", spath]])
    end

    it "returns nil at the end of a stream (before Ruby 3.3, \"\" and an unnamed address)" do
      a, b = track(*UNIXSocket.pair)
      b.close
      expect(a.recvfrom(10)).to eq(PerRuby.end_of_stream(["", ["AF_UNIX", ""]]))
    end

    it "rejects bad arguments" do
      a, = track(*UNIXSocket.pair)
      expect { a.recvfrom }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1..3)")
      expect { a.recvfrom(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
      expect { a.recvfrom(nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
    end

    it "waits without blocking other threads and wakes on Thread#raise and close" do
      a, b = track(*UNIXSocket.pair)
      t = quiet_thread { a.recvfrom(10) }
      wait_until_sleeping(t)
      expect(t.status).to eq("sleep")
      b.send("x", 0)
      expect(t.join(5).value).to eq(["x", ["AF_UNIX", ""]])
      t = quiet_thread { a.recvfrom(10) }
      wait_until_sleeping(t)
      t.raise(Interrupt, "stop")
      expect { t.join(5) }.to raise_error(Interrupt, "stop")
      t = quiet_thread { a.recvfrom(10) }
      wait_until_sleeping(t)
      a.close
      expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")
    end
  end

  describe "#send_io and #recv_io" do
    it "passes an IO, an fd, and makes the class asked for" do
      a, b = track(*UNIXSocket.pair)
      r, w = IO.pipe
      track(r, w)
      expect(a.send_io(r)).to be_nil
      got = track(b.recv_io)
      expect([got.class, got.fileno == r.fileno, got.close_on_exec?]).to eq([IO, false, true])
      w.write("z")
      w.flush
      expect(got.read(1)).to eq("z")
      a.send_io(r.fileno)
      fd = b.recv_io(nil)
      expect(fd).to be_a(Integer)
      IO.for_fd(fd).close
      a.send_io(r)
      expect(track(b.recv_io(File)).class).to eq(File)
      a.send_io(w)
      io = track(b.recv_io(IO, "w"))
      expect(io.inspect).to match(/\A#<IO:fd \d+>\z/)
      a.send_io(a)
      expect(track(b.recv_io(UNIXSocket)).class).to eq(UNIXSocket)
    end

    it "works over datagram pairs" do
      x, y = track(*UNIXSocket.pair(:DGRAM))
      x.send_io($stdin)
      expect(track(y.recv_io).class).to eq(IO)
    end

    it "raises the stdlib's errors and closes what it cannot hand over" do
      a, b = track(*UNIXSocket.pair)
      expect { a.send_io("x") }.to raise_error(TypeError, "neither IO nor file descriptor")
      expect { a.send_io(nil) }.to raise_error(TypeError, "neither IO nor file descriptor")
      expect { a.send_io(99_999) }.to raise_error(Errno::EBADF, "Bad file descriptor - sendmsg(2)")
      expect { a.send_io(2**40) }.to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("int")}")
      expect { b.recv_io(IO, 1, 2) }.to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 0..2)")
      r, w = IO.pipe
      track(r, w)
      before = open_fds
      a.sendmsg("x", 0, nil, Socket::AncillaryData.unix_rights(r, w))
      expect { b.recv_io }.to raise_error(SocketError, "file descriptor was not passed (cmsg_len=24, 20 expected)")
      expect(open_fds).to eq(before)
      a.send_io(r)
      expect { b.recv_io(IO, "bogus") }.to raise_error(ArgumentError, "invalid access mode bogus")
    end

    it "says so when no descriptor came" do
      a, b = track(*UNIXSocket.pair(:SEQPACKET))
      a.send("zz", 0)
      a.send("zz", 0)
      expect { b.recv_io }
        .to raise_error(SocketError, "file descriptor was not passed (msg_controllen=0 smaller than sizeof(struct cmsghdr)=16)")
    end
  end
end
