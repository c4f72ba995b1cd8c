# frozen_string_literal: true

require_relative "../spec_helper"
require "tmpdir"
require_relative "../support/test_scheduler"

RSpec.describe "UNIXServer" do
  around do |example|
    Dir.mktmpdir("socket_rs") do |dir|
      @dir = dir
      @path = File.join(dir, "s")
      @closing = []
      example.run
    ensure
      @closing.each { |s| s.close unless s.closed? }
    end
  end

  def track(sock)
    @closing << sock
    sock
  end

  let!(:server) { track(UNIXServer.new(@path)) }

  it "is a UNIXSocket with the stdlib's methods", type_check: false do
    expect(UNIXServer.ancestors.take(3)).to eq([UNIXServer, UNIXSocket, BasicSocket])
    expect(UNIXServer.instance_methods(false).sort).to eq(%i[accept accept_nonblock listen sysaccept])
  end

  describe ".new" do
    it "binds and listens on the path, and shows it" do
      expect(File.socket?(@path)).to be(true)
      expect([server.path, server.path.encoding, server.addr]).to eq([@path, Encoding::UTF_8, ["AF_UNIX", @path]])
      expect(server.path.frozen?).to be(false)
      expect(server.inspect).to eq("#<UNIXServer:#{@path}>")
      expect(server.local_address.inspect).to eq("#<Addrinfo: #{@path} SOCK_STREAM>")
      expect(server.getsockopt(:SOCKET, :ACCEPTCONN).bool).to be(true)
    end

    it "autobinds an abstract name for an empty path" do
      s = track(UNIXServer.new(""))
      expect([s.path, s.inspect]).to eq(["", "#<UNIXServer:>"])
      expect(s.addr[1]).to match(/\A\0\h{5}\z/n)
    end

    it "raises the stdlib's errors (which say connect(2))" do
      server
      expect { UNIXServer.new(@path) }.to raise_error(Errno::EADDRINUSE, "Address already in use - connect(2) for #{@path}")
      expect { UNIXServer.new("/nonexistent/dir/s") }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for /nonexistent/dir/s")
      expect { UNIXServer.new("x" * 109) }.to raise_error(ArgumentError, "too long unix socket path (109bytes given but 108bytes max)")
      expect { UNIXServer.new(5) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { server.peeraddr }.to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - getpeername(2) for #{@path}")
    end
  end

  describe "#accept" do
    it "gives a connected UNIXSocket" do
      client = track(UNIXSocket.new(@path))
      peer = track(server.accept)
      expect([peer.class, peer.path, peer.addr, peer.peeraddr, peer.close_on_exec?])
        .to eq([UNIXSocket, @path, ["AF_UNIX", @path], ["AF_UNIX", ""], true])
      peer.write("ok")
      expect(client.read(2)).to eq("ok")
    end

    it "waits without blocking other threads, and wakes on Thread#raise and close" do
      t = quiet_thread { server.accept }
      wait_until_sleeping(t)
      expect(t.status).to eq("sleep")
      track(UNIXSocket.new(@path))
      expect(track(t.join(5).value).class).to eq(UNIXSocket)
      t = quiet_thread { server.accept }
      wait_until_sleeping(t)
      t.raise(Interrupt, "stop")
      expect { t.join(5) }.to raise_error(Interrupt, "stop")
      t = quiet_thread { server.accept }
      wait_until_sleeping(t)
      server.close
      expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")
    end

    it "waits through a fiber scheduler's io_wait hook" do
      scheduler = TestScheduler.new
      got = nil
      Thread.new do
        Fiber.set_scheduler(scheduler)
        Fiber.schedule { got = server.accept }
        Fiber.schedule { track(UNIXSocket.new(@path)) }
      end.join(10)
      expect(scheduler.io_waits).to be >= 1
      expect(track(got).class).to eq(UNIXSocket)
    end

    it "raises IOError once closed" do
      server.close
      expect { server.accept }.to raise_error(IOError, "closed stream")
      expect { server.path }.to raise_error(IOError, "closed stream")
    end
  end

  describe "#accept_nonblock" do
    it "raises or returns :wait_readable with nothing pending, else accepts" do
      expect { server.accept_nonblock }.to raise_error(IO::EAGAINWaitReadable, "Resource temporarily unavailable - accept(2) would block")
      expect(server.accept_nonblock(exception: false)).to eq(:wait_readable)
      track(UNIXSocket.new(@path))
      expect(track(server.accept_nonblock).class).to eq(UNIXSocket)
    end
  end

  describe "#sysaccept and #listen" do
    it "gives a close-on-exec Integer fd" do
      track(UNIXSocket.new(@path))
      fd = server.sysaccept
      expect(fd).to be_a(Integer)
      io = track(IO.for_fd(fd))
      expect(io.close_on_exec?).to be(true)
    end

    it "changes the backlog and checks its argument" do
      expect(server.listen(5)).to eq(0)
      expect { server.listen("x") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
    end
  end
end
