# frozen_string_literal: true

require_relative "../spec_helper"
require "fcntl"

RSpec.describe BasicSocket do
  let(:pair) { Socket.pair(:UNIX, :STREAM) }
  let(:a) { pair[0] }
  let(:b) { pair[1] }

  after { pair.each { |s| s.close unless s.closed? } }

  def listening_tcp
    server = Socket.new(:INET, :STREAM)
    server.bind(Socket.sockaddr_in(0, "127.0.0.1"))
    server.listen(5)
    server
  end

  describe "as an IO" do
    it "is a real IO: binmode, sync, close-on-exec, non-blocking, to_io is itself" do
      expect(a).to be_a(IO)
      expect(a.binmode?).to be(true)
      expect(a.sync).to be(true)
      expect(a.close_on_exec?).to be(true)
      expect(a.fcntl(Fcntl::F_GETFL) & File::NONBLOCK).to eq(File::NONBLOCK)
      expect(a.to_io).to equal(a)
      expect(a.fileno).to be_a(Integer)
      expect(a.inspect).to eq("#<Socket:fd #{a.fileno}>")
    end

    it "reads and writes with IO methods, including gets and IO.select" do
      b.write("line one\nline two\n")
      expect(IO.select([a], nil, nil, 5)).to eq([[a], [], []])
      expect(a.gets).to eq("line one\n")
      expect(a.read(9)).to eq("line two\n")
    end

    it "refuses recv while Ruby's read buffer holds data" do
      b.write("hello\nworld")
      a.gets
      expect { a.recv(10) }.to raise_error(IOError, "recv for buffered IO")
      expect { a.recv_nonblock(10) }.to raise_error(IOError, "recvfrom for buffered IO")
    end

    it "read_nonblock returns buffered data first" do
      b.write("hello\nworld")
      a.gets
      expect(a.read_nonblock(10)).to eq("world")
    end
  end

  describe ".for_fd" do
    it "wraps a socket fd in the receiving class" do
      s = Socket.new(:INET, :STREAM)
      fd = s.fileno
      s.autoclose = false
      wrapped = BasicSocket.for_fd(fd)
      expect(wrapped.class).to eq(BasicSocket)
      expect(wrapped.fileno).to eq(fd)
      expect(wrapped.local_address.afamily).to eq(Socket::AF_INET)
      wrapped.close
    end

    it "rejects what is not a socket" do
      File.open(__FILE__) do |f|
        expect { BasicSocket.for_fd(f.fileno) }.to raise_error(Errno::EBADF, "Bad file descriptor - not a socket file descriptor")
      end
    end

    it "rejects a closed fd and a non-Integer" do
      r, w = IO.pipe
      fd = r.fileno
      r.close
      w.close
      expect { BasicSocket.for_fd(fd) }.to raise_error(Errno::EBADF, "Bad file descriptor - fstat(2)")
      expect { BasicSocket.for_fd("a") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
    end
  end

  describe "do_not_reverse_lookup" do
    it "defaults to true, per class and per socket" do
      expect(BasicSocket.do_not_reverse_lookup).to be(true)
      expect(a.do_not_reverse_lookup).to be(true)
      a.do_not_reverse_lookup = false
      expect(a.do_not_reverse_lookup).to be(false)
      expect(b.do_not_reverse_lookup).to be(true)
    end

    it "new sockets take the class setting" do
      BasicSocket.do_not_reverse_lookup = false
      s = Socket.new(:INET, :STREAM)
      expect(s.do_not_reverse_lookup).to be(false)
      s.close
    ensure
      BasicSocket.do_not_reverse_lookup = true
    end
  end

  describe "#close_read and #close_write" do
    it "half-closes, and closes the IO once both halves are closed" do
      a.close_write
      expect(b.read).to eq("")
      expect { a.write("x") }.to raise_error(IOError, "not opened for writing")
      a.close_read
      expect(a.closed?).to be(true)
    end

    it "read after close_read raises IOError" do
      a.close_read
      expect { a.read }.to raise_error(IOError, "not opened for reading")
    end

    it "raises IOError on a closed socket" do
      a.close
      expect { a.close_read }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#shutdown" do
    it "accepts Integer, Symbol and String forms and returns 0" do
      expect(a.shutdown(:WR)).to eq(0)
      expect(b.read).to eq("")
      expect(b.shutdown("SHUT_RD")).to eq(0)
      expect(a.shutdown(Socket::SHUT_RDWR)).to eq(0)
      expect(b.shutdown).to eq(0)
    end

    it "rejects unknown names and values" do
      expect { a.shutdown(:FOO) }.to raise_error(SocketError, "unknown shutdown argument: FOO")
      expect { a.shutdown(5) }.to raise_error(ArgumentError, "`how' should be either :SHUT_RD, :SHUT_WR, :SHUT_RDWR")
    end

    it "raises the errno on an unconnected socket" do
      s = Socket.new(:INET, :STREAM)
      expect { s.shutdown }.to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - shutdown(2)")
      s.close
    end
  end

  describe "#getsockopt and #setsockopt" do
    it "returns a Socket::Option" do
      opt = a.getsockopt(:SOCKET, :TYPE)
      expect(opt).to be_a(Socket::Option)
      expect(opt.int).to eq(Socket::SOCK_STREAM)
      expect(opt.inspect).to eq("#<Socket::Option: UNIX SOCKET TYPE SOCK_STREAM>")
      expect(a.getsockopt("SOL_SOCKET", "SO_TYPE").int).to eq(Socket::SOCK_STREAM)
      expect(a.getsockopt(Socket::SOL_SOCKET, Socket::SO_TYPE).int).to eq(Socket::SOCK_STREAM)
    end

    it "sets from true, Integer, String and Socket::Option" do
      expect(a.setsockopt(:SOCKET, :REUSEADDR, true)).to eq(0)
      expect(a.getsockopt(:SOCKET, :REUSEADDR).bool).to be(true)
      a.setsockopt(:SOCKET, :REUSEADDR, 0)
      expect(a.getsockopt(:SOCKET, :REUSEADDR).bool).to be(false)
      a.setsockopt(:SOCKET, :LINGER, [1, 2].pack("ii"))
      expect(a.getsockopt(:SOCKET, :LINGER).linger).to eq([true, 2])
      a.setsockopt(Socket::Option.bool(:UNIX, :SOCKET, :KEEPALIVE, true))
      expect(a.getsockopt(:SOCKET, :KEEPALIVE).bool).to be(true)
    end

    it "resolves level names by the socket's family" do
      s = Socket.new(:INET, :STREAM)
      expect(s.setsockopt(:TCP, :NODELAY, true)).to eq(0)
      expect(s.getsockopt(:TCP, :NODELAY).bool).to be(true)
      expect { a.getsockopt(:TCP, :NODELAY) }.to raise_error(SocketError, "unknown protocol level: TCP")
      s.close
    end

    it "rejects bad names, values and arities as the stdlib does" do
      expect { a.getsockopt(:SOCKET, :FOO) }.to raise_error(SocketError, "unknown socket level option name: FOO")
      expect { a.getsockopt(:FOO, :TYPE) }.to raise_error(SocketError, "unknown protocol level: FOO")
      expect { a.getsockopt(:SOCKET, 9999) }.to raise_error(Errno::ENOPROTOOPT, "Protocol not available - getsockopt(2)")
      expect { a.setsockopt(:SOCKET, :REUSEADDR, "x") }.to raise_error(Errno::EINVAL, "Invalid argument - setsockopt(2)")
      expect { a.setsockopt(:SOCKET, :REUSEADDR, nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { a.setsockopt(:SOCKET, :REUSEADDR, 1.5) }.to raise_error(TypeError, "no implicit conversion of Float into String")
      expect { a.setsockopt(1) }.to raise_error(NoMethodError, PerRuby.undefined_method_on_integer("level", 1))
      expect { a.setsockopt(1, 2) }.to raise_error(ArgumentError, "wrong number of arguments (given 2, expected 3)")
    end

    it "raises IOError once closed" do
      a.close
      expect { a.getsockopt(:SOCKET, :TYPE) }.to raise_error(IOError, "closed stream")
    end
  end

  describe "addresses" do
    it "getsockname and getpeername give packed sockaddrs" do
      expect(a.getsockname).to eq("\x01\x00".b)
      expect(a.getpeername).to eq("\x01\x00".b)
      s = Socket.new(:INET, :STREAM)
      expect(s.getsockname).to eq(Socket.sockaddr_in(0, "0.0.0.0"))
      expect { s.getpeername }.to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - getpeername(2)")
      s.close
    end

    it "local_address and remote_address are Addrinfo with the socket type" do
      expect(a.local_address.inspect).to eq("#<Addrinfo: empty-path-AF_UNIX-sockaddr SOCK_STREAM>")
      expect(a.remote_address.inspect).to eq("#<Addrinfo: empty-path-AF_UNIX-sockaddr SOCK_STREAM>")
      s = Socket.new(:INET, :STREAM)
      expect(s.local_address.inspect).to eq("#<Addrinfo: 0.0.0.0 TCP>")
      expect { s.remote_address }.to raise_error(Errno::ENOTCONN)
      s.close
    end

    it "connect_address replaces a wildcard host with loopback" do
      server = Socket.new(:INET, :STREAM)
      server.bind(Socket.sockaddr_in(0, "0.0.0.0"))
      port = server.local_address.ip_port
      expect(server.connect_address.inspect).to eq("#<Addrinfo: 127.0.0.1:#{port} TCP>")
      server.close
      server6 = Socket.new(:INET6, :STREAM)
      server6.bind(Socket.sockaddr_in(0, "::"))
      port = server6.local_address.ip_port
      expect(server6.connect_address.inspect).to eq("#<Addrinfo: [::1]:#{port} TCP>")
      server6.close
    end

    it "connect_address refuses unbound sockets" do
      expect { a.connect_address }.to raise_error(SocketError, "unbound Unix socket")
      s = Socket.new(:INET, :STREAM)
      expect { s.connect_address }.to raise_error(SocketError, "unbound IPv4 socket")
      s.close
      s = Socket.new(:INET6, :STREAM)
      expect { s.connect_address }.to raise_error(SocketError, "unbound IPv6 socket")
      s.close
    end

    it "getpeereid gives the peer's euid and egid" do
      expect(a.getpeereid).to eq([Process.euid, Process.egid])
    end

    it "getpeereid is for UNIX sockets: IPSocket and its subclasses undefine it" do
      expect(Socket.method_defined?(:getpeereid)).to be(true)
      expect(UNIXSocket.method_defined?(:getpeereid)).to be(true)
      [IPSocket, TCPSocket, TCPServer, UDPSocket].each do |klass|
        expect(klass.method_defined?(:getpeereid)).to be(false), klass.name
      end
      u = UDPSocket.new
      expect { u.getpeereid }.to raise_error(NoMethodError, /getpeereid/)
      u.close
    end
  end

  describe "#send and #recv" do
    it "round-trips bytes and returns the count sent" do
      expect(a.send("hello", 0)).to eq(5)
      expect(b.recv(10)).to eq("hello")
    end

    it "leaves the caller's String as it was: unfrozen, changeable, sendable from many threads" do
      mesg = +"x" * 64
      senders = Array.new(4) { Thread.new { 50.times { a.send(mesg, 0) } } }
      got = +""
      got << b.recv(4096) while got.bytesize < 4 * 50 * 64
      senders.each(&:join)
      expect(got).to eq("x" * (4 * 50 * 64))
      expect(mesg).not_to be_frozen
      mesg << "y"
      expect(a.send(mesg, 0)).to eq(65)
      expect(b.recv(65)).to eq("x" * 64 + "y")
    end

    it "ends busy senders and receivers with IOError when another thread closes the socket" do
      x, y = UNIXSocket.pair
      pump = Thread.new do
        loop { y.write("z" * 64) }
      rescue IOError, SystemCallError
        nil
      end
      busy = Array.new(2) { Thread.new { loop { x.recv(64) } } } +
             Array.new(2) { Thread.new { loop { x.send("w" * 64, 0) } } }
      busy.each { |t| t.report_on_exception = false }
      sleep 0.05
      x.close
      ended = busy.map do |t|
        t.join(5)
      rescue IOError => e
        e
      end
      expect(ended.map(&:class)).to all(eq(IOError))
    ensure
      y&.close
      pump&.join(5)
    end

    it "recv returns a binary String, honours flags, and fills outbuf" do
      b.write("abcdef")
      expect(a.recv(3, Socket::MSG_PEEK)).to eq("abc")
      r = a.recv(3)
      expect(r).to eq("abc")
      expect(r.encoding).to eq(Encoding::BINARY)
      buf = +"previous contents"
      got = a.recv(10, 0, buf)
      expect(got).to equal(buf)
      expect(buf).to eq("def")
    end

    it "sends to an explicit destination with sendto" do
      u = Socket.new(:INET, :DGRAM)
      u.bind(Socket.sockaddr_in(0, "127.0.0.1"))
      v = Socket.new(:INET, :DGRAM)
      expect(v.send("hi", 0, u.local_address)).to eq(2)
      expect(v.send("ho", 0, u.getsockname)).to eq(2)
      expect(u.recv(10)).to eq("hi")
      expect(u.recv(10)).to eq("ho")
      [u, v].each(&:close)
    end

    it "rejects bad arguments as the stdlib does" do
      expect { a.send("hi", :OOB) }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
      expect { a.send("hi", nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { a.send(1, 0) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { a.send("hi") }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..3)")
      expect { a.recv(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
      expect { a.recv("1") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      b.write("x")
      expect { a.recv(10, 0, "frozen".freeze) }.to raise_error(FrozenError)
    end

    it "raises the errno with the stdlib's message" do
      v = Socket.new(:INET, :DGRAM)
      expect { v.send("hi", 0) }.to raise_error(Errno::EDESTADDRREQ, "Destination address required - send(2)")
      expect { v.send("hi", 0, Socket.sockaddr_un("/nonexistent")) }.to raise_error(Errno::EAFNOSUPPORT, /sendto\(2\)/)
      v.close
      b.close
      expect { a.send("x", 0) }.to raise_error(Errno::EPIPE, "Broken pipe - send(2)")
    end

    it "recv on a closed socket raises IOError" do
      a.close
      expect { a.recv(10) }.to raise_error(IOError, "closed stream")
    end

    it "recv returns nil at the end of a stream (\"\" before Ruby 3.3)" do
      b.close
      expect(a.recv(10)).to eq(PerRuby.end_of_stream)
      expect(a.recv_nonblock(10)).to eq(PerRuby.end_of_stream)
    end

    it "recv(0) waits for something to read, and takes a datagram" do
      x, y = UNIXSocket.pair
      reader = Thread.new { x.recv(0) }
      sleep 0.05
      expect(reader.status).to eq("sleep")
      y.write("a")
      # Nothing is read from the stream: nil from Ruby 3.3, "" before.
      expect(reader.value).to eq(PerRuby.end_of_stream)
      u = UDPSocket.new
      u.bind("127.0.0.1", 0)
      u.send("d", 0, u.local_address)
      u.wait_readable(1)
      expect(u.recv(0)).to eq("")
      expect(u.recv_nonblock(5, exception: false)).to eq(:wait_readable)
      [x, y, u].each(&:close)
    end

    it "recv returns an empty datagram as an empty String" do
      x, y = Socket.pair(:UNIX, :DGRAM)
      x.send("", 0)
      expect(y.recv(10)).to eq("")
      [x, y].each(&:close)
    end
  end

  describe "non-blocking calls" do
    it "recv_nonblock raises IO::WaitReadable or returns :wait_readable" do
      expect { a.recv_nonblock(10) }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - recvfrom(2) would block")
      expect(a.recv_nonblock(10, exception: false)).to eq(:wait_readable)
      b.write("abc")
      buf = +""
      expect(a.recv_nonblock(10, 0, buf)).to equal(buf)
      expect(buf).to eq("abc")
    end

    it "read_nonblock follows IO#read_nonblock" do
      expect { a.read_nonblock(10) }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - read would block")
      expect(a.read_nonblock(10, exception: false)).to eq(:wait_readable)
      b.write("abc")
      r = a.read_nonblock(10)
      expect([r, r.encoding]).to eq(["abc", Encoding::BINARY])
      expect(a.read_nonblock(0)).to eq("")
      expect { a.read_nonblock(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
      b.close
      expect(a.read_nonblock(10, exception: false)).to be_nil
      expect { a.read_nonblock(10) }.to raise_error(EOFError, "end of file reached")
    end

    it "write_nonblock writes what fits, then raises IO::WaitWritable" do
      n = a.write_nonblock("x" * 10_000_000)
      expect(n).to be_between(1, 9_999_999)
      expect { a.write_nonblock("x") }.to raise_error(IO::EAGAINWaitWritable, "Resource temporarily unavailable - write would block")
      expect(a.write_nonblock("x", exception: false)).to eq(:wait_writable)
    end

    it "write_nonblock converts with to_s and reports EPIPE" do
      expect(a.write_nonblock(1)).to eq(1)
      expect(b.read(1)).to eq("1")
      b.close
      expect { a.write_nonblock("x") }.to raise_error(Errno::EPIPE)
    end
  end
end
