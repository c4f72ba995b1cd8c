# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe "BasicSocket#sendmsg and #recvmsg" do
  before do
    @a, @b = UNIXSocket.pair
    @files = Array.new(3) { File.open(File::NULL) }
  end

  after { [@a, @b, *@files].each { |io| io.close unless io.closed? } }

  # MSG_CMSG_CLOEXEC (not a Socket constant): Linux echoes it in msg_flags.
  let(:cloexec) { 0x4000_0000 }

  it "sends and receives a message with its sender and flags" do
    expect(@a.sendmsg("hello")).to eq(5)
    mesg, sender, rflags, *controls = @b.recvmsg
    expect([mesg, mesg.encoding, sender.inspect, rflags, controls])
      .to eq(["hello", Encoding::BINARY, "#<Addrinfo: empty-sockaddr SOCK_STREAM>", cloexec, []])
  end

  it "limits the data to dlen and peeks with MSG_PEEK" do
    @a.sendmsg("abcdef")
    expect(@b.recvmsg(2)[0]).to eq("ab")
    expect(@b.recvmsg(2, Socket::MSG_PEEK)[0]).to eq("cd")
    expect(@b.recvmsg[0]).to eq("cdef")
  end

  it "grows its buffer for a large message when no length is given" do
    x, y = UNIXSocket.pair(:DGRAM)
    x.send("q" * 10_000, 0)
    expect(y.recvmsg[0].size).to eq(10_000)
    x.send("q" * 10_000, 0)
    mesg, _, rflags = y.recvmsg(100)
    expect([mesg.size, rflags & Socket::MSG_TRUNC]).to eq([100, Socket::MSG_TRUNC])
  ensure
    [x, y].each(&:close)
  end

  it "passes file descriptors as IO objects with scm_rights: true, close-on-exec" do
    @a.sendmsg("x", 0, nil, Socket::AncillaryData.unix_rights(*@files))
    _, _, _, ctl = @b.recvmsg(scm_rights: true)
    expect(ctl.cmsg_is?(:SOCKET, :RIGHTS)).to be(true)
    ios = ctl.unix_rights
    expect(ios.map(&:class)).to eq([IO, IO, IO])
    expect(ios.map(&:close_on_exec?)).to eq([true, true, true])
    expect(ctl.data.unpack("i*")).to eq(ios.map(&:fileno))
    expect(ctl.inspect).to eq("#<Socket::AncillaryData: UNIX SOCKET RIGHTS #{ios.map(&:fileno).join(' ')}>")
    ios.each(&:close)
  end

  it "takes [level, type, data] arrays as controls" do
    @a.sendmsg("x", 0, nil, [:SOCKET, :RIGHTS, [@files[0].fileno].pack("i")], [Socket::SOL_SOCKET, "RIGHTS", [@files[1].fileno].pack("i")])
    _, _, _, *ctls = @b.recvmsg(scm_rights: true)
    ios = ctls.flat_map(&:unix_rights)
    expect(ios.size).to eq(2)
    ios.each(&:close)
  end

  it "closes received descriptors the caller did not ask for" do
    before = open_fds
    @a.sendmsg("x", 0, nil, Socket::AncillaryData.unix_rights(*@files))
    _, _, _, ctl = @b.recvmsg
    expect(ctl.unix_rights).to be_nil
    expect(open_fds).to eq(before)
  end

  it "never leaks descriptors when the control buffer is too small (MSG_CTRUNC)" do
    before = open_fds
    @a.sendmsg("x", 0, nil, Socket::AncillaryData.unix_rights(*@files))
    _, _, rflags, *ctls = @b.recvmsg(nil, 0, 20, scm_rights: true)
    expect(rflags & Socket::MSG_CTRUNC).to eq(Socket::MSG_CTRUNC)
    kept = ctls.flat_map { |c| c.unix_rights || [] }
    expect(open_fds).to eq(before + kept.size)
    kept.each(&:close)
    expect(open_fds).to eq(before)

    @a.sendmsg("x", 0, nil, Socket::AncillaryData.unix_rights(*@files))
    _, _, rflags, *ctls = @b.recvmsg(nil, 0, 0, scm_rights: true)
    expect([rflags & Socket::MSG_CTRUNC, ctls]).to eq([Socket::MSG_CTRUNC, []])
    expect(open_fds).to eq(before)
  end

  it "leaks nothing while it peeks and grows its buffers" do
    before = open_fds
    x, y = UNIXSocket.pair(:DGRAM)
    x.sendmsg("q" * 9000, 0, nil, Socket::AncillaryData.unix_rights(*@files))
    _, _, _, ctl = y.recvmsg(scm_rights: true)
    expect(ctl.unix_rights.size).to eq(3)
    ctl.unix_rights.each(&:close)
    [x, y].each(&:close)
    expect(open_fds).to eq(before)
  end

  it "rejects bad arguments with the stdlib's errors" do
    expect { @a.sendmsg }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1+)")
    expect { @a.sendmsg(5) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
    expect { @a.sendmsg("x", "0") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
    expect { @a.sendmsg("x", 0, nil, [:SOCKET, :RIGHTS]) }.to raise_error(ArgumentError, "an element of controls should be 3-elements array")
    expect { @a.sendmsg("x", 0, nil, [:SOCKET, :RIGHTS, 1]) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
    expect { @a.sendmsg("x", 0, nil, [:FOO, :RIGHTS, ""]) }.to raise_error(SocketError, "unknown protocol level: FOO")
    expect { @a.sendmsg("x", 0, nil, [:SOCKET, :FOO, ""]) }.to raise_error(SocketError, "unknown UNIX control message: FOO")
    expect { @a.sendmsg("x", 0, nil, 5) }.to raise_error(NoMethodError, PerRuby.undefined_method_on_integer("level", 5))
    expect { @a.sendmsg("x", 0, nil, [:SOCKET, :RIGHTS, [99_999].pack("i")]) }.to raise_error(Errno::EBADF, "Bad file descriptor - sendmsg(2)")
    expect { @b.recvmsg(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
    expect { @b.recvmsg(2, 0, -1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
    expect { @b.recvmsg(nil, nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
    expect { @b.recvmsg(2, 0, 10, foo: 1) }.to raise_error(ArgumentError, "unknown keyword: :foo")
    expect { @b.recvmsg(1, 2, 3, 4) }.to raise_error(ArgumentError, "wrong number of arguments (given 4, expected 0..3)")
  end

  it "raises IOError on a closed socket" do
    @b.close
    expect { @b.recvmsg }.to raise_error(IOError, "closed stream")
    expect { @b.sendmsg("x") }.to raise_error(IOError, "closed stream")
  end

  describe "non-blocking forms" do
    it "raises or returns :wait_readable when nothing is there" do
      expect { @b.recvmsg_nonblock }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - recvmsg(2) would block")
      expect(@b.recvmsg_nonblock(exception: false)).to eq(:wait_readable)
      expect(@a.sendmsg_nonblock("xy")).to eq(2)
      expect(@b.recvmsg_nonblock(nil, 0, nil, scm_rights: true)[0]).to eq("xy")
    end

    it "raises or returns :wait_writable when the socket is full" do
      x, y = UNIXSocket.pair(:DGRAM)
      r = nil
      1000.times { break if (r = x.sendmsg_nonblock("z" * 4096, exception: false)) == :wait_writable }
      expect(r).to eq(:wait_writable)
      expect { x.sendmsg_nonblock("z" * 4096) }.to raise_error(IO::EAGAINWaitWritable, "Resource temporarily unavailable - sendmsg(2) would block")
    ensure
      [x, y].each(&:close)
    end
  end

  describe "UDP with packet info" do
    it "reports the destination with IP_PKTINFO and replies from it" do
      s = UDPSocket.new
      s.bind("127.0.0.1", 0)
      s.setsockopt(:IP, :PKTINFO, 1)
      c = UDPSocket.new
      c.send("ping", 0, "127.0.0.1", s.local_address.ip_port)
      mesg, sender, _, *ctls = s.recvmsg
      pkt = ctls.find { |x| x.cmsg_is?(:IP, :PKTINFO) }
      addr, _ifindex, spec = pkt.ip_pktinfo
      expect([mesg, sender.ip_port, addr.ip_address, spec.ip_address]).to eq(["ping", c.local_address.ip_port, "127.0.0.1", "127.0.0.1"])
      expect(pkt.inspect).to match(/\A#<Socket::AncillaryData: INET IP PKTINFO 127\.0\.0\.1 \S+ spec_dst:127\.0\.0\.1>\z/)
      s.sendmsg("pong", 0, sender, pkt)
      expect(c.recv(10)).to eq("pong")
    ensure
      [s, c].each { |x| x&.close }
    end

    it "reports the destination with IPV6_RECVPKTINFO and replies from it" do
      s = Socket.new(:INET6, :DGRAM)
      s.bind(Addrinfo.udp("::1", 0))
      s.setsockopt(:IPV6, :RECVPKTINFO, 1)
      c = Socket.new(:INET6, :DGRAM)
      c.bind(Addrinfo.udp("::1", 0))
      c.send("ping", 0, s.local_address)
      mesg, sender, _, *ctls = s.recvmsg
      pkt = ctls.find { |x| x.cmsg_is?(:IPV6, :PKTINFO) }
      expect([mesg, sender.ip_port, pkt.ipv6_pktinfo_addr.ip_address]).to eq(["ping", c.local_address.ip_port, "::1"])
      s.sendmsg("pong", 0, sender, pkt)
      expect(c.recv(10)).to eq("pong")
    ensure
      [s, c].each { |x| x&.close }
    end
  end

  describe "blocking" do
    it "lets other threads run and completes when a message comes" do
      t = quiet_thread { @b.recvmsg }
      wait_until_sleeping(t)
      expect(t.status).to eq("sleep")
      @a.sendmsg("late")
      expect(t.join(5).value[0]).to eq("late")
    end

    it "is woken by Thread#raise" do
      t = quiet_thread { @b.recvmsg }
      wait_until_sleeping(t)
      t.raise(Interrupt, "stop waiting")
      expect { t.join(5) }.to raise_error(Interrupt, "stop waiting")
    end

    it "raises IOError when another thread closes the socket" do
      t = quiet_thread { @b.recvmsg }
      wait_until_sleeping(t)
      @b.close
      expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")
    end
  end
end
