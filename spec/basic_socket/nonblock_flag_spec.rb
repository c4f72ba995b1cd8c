# frozen_string_literal: true

require_relative "../spec_helper"
require "io/nonblock"

# A program may clear O_NONBLOCK (`io.nonblock = false`, e.g. before handing a
# socket to a child). The non-blocking methods must still never block, and the
# blocking ones must still wait without holding up other threads.
RSpec.describe "Sockets whose O_NONBLOCK flag was cleared" do
  after { @sockets&.each { |s| s.close unless s.closed? } }

  def track(*socks)
    (@sockets ||= []).concat(socks)
    socks.each { |s| s.nonblock = false }
    socks.size == 1 ? socks.first : socks
  end

  it "answers :wait_readable/:wait_writable at once from every *_nonblock form, leaving the flag as the stdlib does" do
    a, b = track(*UNIXSocket.pair)
    expect(a.read_nonblock(5, exception: false)).to eq(:wait_readable)
    expect(a.recv_nonblock(5, exception: false)).to eq(:wait_readable)
    expect(a.recvmsg_nonblock(5, exception: false)).to eq(:wait_readable)
    expect { a.read_nonblock(5) }.to raise_error(IO::EAGAINWaitReadable)
    expect(a.nonblock?).to be(false)
    big = "x" * 4_000_000
    expect(b.write_nonblock(big, exception: false)).to be_a(Integer)
    expect(b.write_nonblock(big, exception: false)).to eq(:wait_writable)
    expect(b.sendmsg_nonblock(big, exception: false)).to eq(:wait_writable)
    expect(b.nonblock?).to be(false)
    u = track(UDPSocket.new)
    u.bind("127.0.0.1", 0)
    expect(u.recvfrom_nonblock(5, exception: false)).to eq(:wait_readable)
    expect(u.nonblock?).to be(false)
  end

  it "makes accept_nonblock and connect_nonblock set O_NONBLOCK, as the stdlib does" do
    server = track(TCPServer.new("127.0.0.1", 0))
    expect(server.accept_nonblock(exception: false)).to eq(:wait_readable)
    expect(server.nonblock?).to be(true)
    s = track(Socket.new(:INET, :STREAM))
    expect([0, :wait_writable]).to include(s.connect_nonblock(server.local_address, exception: false))
    expect(s.nonblock?).to be(true)
  end

  it "still connects, accepts and receives with blocking calls, other threads running meanwhile" do
    server = track(TCPServer.new("127.0.0.1", 0))
    c = track(Socket.new(:INET, :STREAM))
    expect(c.connect(server.local_address)).to eq(0)
    expect(c.nonblock?).to be(false)
    conn = track(server.accept)
    reader = Thread.new { conn.recv(5) }
    ticks = 0
    ticker = Thread.new { 10.times { ticks += 1; sleep 0.01 } }
    ticker.join
    expect(ticks).to eq(10)
    expect(reader.status).to eq("sleep")
    c.write("hi")
    expect(reader.value).to eq("hi")
    msg_reader = Thread.new { conn.recvmsg }
    sleep 0.05
    c.write("yo")
    expect(msg_reader.value[0]).to eq("yo")
    accepter = Thread.new { server.accept.tap { |s| track(s) } }
    sleep 0.05
    expect(accepter.status).to eq("sleep")
    track(TCPSocket.new("127.0.0.1", server.local_address.ip_port))
    expect(accepter.value).to be_a(TCPSocket)
  end
end
