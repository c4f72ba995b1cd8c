# frozen_string_literal: true

require_relative "../spec_helper"

# IO#timeout (Ruby 3.2+) ends every blocking socket call with IO::TimeoutError,
# as Ruby 3.4's stdlib does. (3.3's stdlib raises Errno::EAGAIN from recv and
# accept and waits forever in connect; 3.4 still waits forever in recv_io.)
RSpec.describe "IO#timeout on sockets", added_in: "3.4" do
  before { skip "IO#timeout is Ruby 3.2+" unless IO.method_defined?(:timeout=) }

  after { @sockets&.each { |s| s.close unless s.closed? } }

  def track(*socks)
    (@sockets ||= []).concat(socks)
    socks.size == 1 ? socks.first : socks
  end

  def expect_timeout(message = "Timed out waiting for IO to become readable!")
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    expect { yield }.to raise_error(IO::TimeoutError, message)
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be_between(0.05, 3)
  end

  it "ends recv, recvfrom and recvmsg on a stream" do
    a, = track(*UNIXSocket.pair)
    a.timeout = 0.1
    expect_timeout { a.recv(1) }
    expect_timeout { a.recvfrom(1) }
    expect_timeout { a.recvmsg }
  end

  it "ends recvfrom on UDP and accept on TCP, UNIX and Socket listeners" do
    u = track(UDPSocket.new)
    u.bind("127.0.0.1", 0)
    u.timeout = 0.1
    expect_timeout { u.recvfrom(1) }
    server = track(TCPServer.new("127.0.0.1", 0))
    server.timeout = 0.1
    expect_timeout { server.accept }
    expect_timeout { server.sysaccept }
    s = track(Socket.new(:INET, :STREAM))
    s.bind(Addrinfo.tcp("127.0.0.1", 0))
    s.listen(1)
    s.timeout = 0.1
    expect_timeout { s.accept }
    Dir.mktmpdir do |dir|
      unix = track(UNIXServer.new(File.join(dir, "s")))
      unix.timeout = 0.1
      expect_timeout { unix.accept }
    end
  end

  it "ends Socket#connect with \"Connect timed out!\"" do
    addr = Listeners.unresponsive { |s| track(s) }
    skip "could not fill the accept queue" unless addr
    c = track(Socket.new(:INET, :STREAM))
    c.timeout = 0.1
    expect_timeout("Connect timed out!") { c.connect(addr) }
  end

  it "ends recv_io", stdlib_bug: { "3.3" => "recv_io ignores IO#timeout", "3.4" => "recv_io ignores IO#timeout" } do
    a, = track(*UNIXSocket.pair)
    a.timeout = 0.1
    expect_timeout { a.recv_io }
  end

  it "leaves the non-blocking forms alone" do
    a, = track(*UNIXSocket.pair)
    a.timeout = 0.1
    expect(a.recv_nonblock(1, exception: false)).to eq(:wait_readable)
  end
end
