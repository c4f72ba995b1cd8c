# frozen_string_literal: true

require_relative "../spec_helper"
require_relative "../support/netns"

# Happy Eyeballs v2 (Ruby 3.4's TCPSocket.new and Socket.tcp), shown in a
# private network namespace: "dual.test" has ::1 and 127.0.0.1; on ::1 a
# listener with a full backlog-0 queue silently drops SYNs (a black hole),
# on 127.0.0.1 a server accepts. The stdlib has Happy Eyeballs from 3.4 on, so
# on older Rubies these run against socket_rs only.
RSpec.describe "Happy Eyeballs v2", netns: true, added_in: "3.4" do
  DUAL_HOSTS = "127.0.0.1 localhost\n::1 dual.test\n127.0.0.1 dual.test\n"

  # Prepended to each child script: a black hole on [::1]:port and a
  # listening server on 127.0.0.1:port, plus a clock and an fd count.
  SETUP = <<~RUBY
    port = 40123
    now = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
    fds = -> { Dir.children("/proc/self/fd").size }
    black = Socket.new(:INET6, :STREAM)
    black.bind(Addrinfo.tcp("::1", port))
    black.listen(0)
    fillers = Array.new(2) do
      f = Socket.new(:INET6, :STREAM)
      f.connect_nonblock(Addrinfo.tcp("::1", port), exception: false)
      f
    end
    sleep 0.1
    server = TCPServer.new("127.0.0.1", port)
  RUBY

  def run(code, **opts)
    result = NetNs.ruby(SETUP + code, hosts: DUAL_HOSTS, **opts)
    expect(result.status.success?).to be(true), "child failed:\n#{result.out}\n#{result.err}"
    eval(result.out.lines.last) # rubocop:disable Security/Eval -- our own child's inspect output
  end

  it "TCPSocket.new reaches 127.0.0.1 about 250 ms after the IPv6 attempt stalls, leaving no fd behind" do
    address, elapsed, leaked = run(<<~RUBY)
      before = fds.call
      t = now.call
      c = TCPSocket.new("dual.test", port)
      elapsed = now.call - t
      addr = c.remote_address.ip_address
      c.close
      p [addr, elapsed, fds.call - before]
    RUBY
    expect(address).to eq("127.0.0.1")
    expect(elapsed).to be_between(0.2, 1.0)
    expect(leaked).to eq(0)
  end

  it "Socket.tcp does the same" do
    address, elapsed = run(<<~RUBY)
      t = now.call
      Socket.tcp("dual.test", port) { |c| p [c.remote_address.ip_address, now.call - t] }
    RUBY
    expect(address).to eq("127.0.0.1")
    expect(elapsed).to be_between(0.2, 1.0)
  end

  it "fast_fallback: false waits out the IPv6 attempt's connect_timeout, then tries IPv4 (before 3.4) or gives up (3.4)" do
    address, elapsed = run(<<~RUBY)
      t = now.call
      begin
        c = TCPSocket.new("dual.test", port, connect_timeout: 0.6, fast_fallback: false)
        p [c.remote_address.ip_address, now.call - t]
      rescue IOError => e
        p [[e.class, e.message], now.call - t]
      end
    RUBY
    expect(address).to eq(PerRuby.at_least?("3.4") ? [IO::TimeoutError, "Connect timed out!"] : "127.0.0.1")
    expect(elapsed).to be_between(0.55, 2.0)
  end

  it "Socket.tcp_fast_fallback = false turns it off by default" do
    klass, elapsed = run(<<~RUBY)
      Socket.tcp_fast_fallback = false
      t = now.call
      begin
        Socket.tcp("dual.test", port, connect_timeout: 0.4, fast_fallback: Socket.tcp_fast_fallback) { }
        p [:connected, now.call - t]
      rescue SystemCallError => e
        p [e.class, now.call - t]
      end
    RUBY
    expect(klass).to eq(:connected)
    expect(elapsed).to be >= 0.35
  end

  it "binds to local_host, resolving only that family" do
    local, remote = run(<<~RUBY)
      c = TCPSocket.new("dual.test", port, "127.0.0.1", 0)
      p [c.local_address.ip_address, c.remote_address.ip_address]
    RUBY
    expect([local, remote]).to eq(%w[127.0.0.1 127.0.0.1])
  end

  it "raises the last connection error when every address refuses, trying the next at once" do
    klass, message, elapsed = run(<<~RUBY)
      server.close
      black.close
      fillers.each(&:close)
      t = now.call
      begin
        TCPSocket.new("dual.test", port)
      rescue SystemCallError => e
        p [e.class, e.message, now.call - t]
      end
    RUBY
    expect(klass).to eq(Errno::ECONNREFUSED)
    expect(message).to eq(%(Connection refused - connect(2) for "dual.test" port 40123))
    # A refused attempt does not wait out the 250 ms Connection Attempt Delay.
    expect(elapsed).to be < 0.2
  end

  it "connect_timeout ends the attempts with that Ruby's timeout error when nothing answers" do
    klass, message, elapsed = run(<<~RUBY)
      server.close # IPv4 refuses; only the IPv6 black hole is left
      t = now.call
      begin
        TCPSocket.new("dual.test", port, connect_timeout: 0.3)
      rescue SystemCallError, IOError => e
        p [e.class, e.message, now.call - t]
      end
    RUBY
    expect([klass, message]).to eq(PerRuby.tcp_connect_timeout("dual.test", 40123, attempts: 2))
    # The timeout runs from the start of the last attempt (IPv4, at ~250 ms).
    expect(elapsed).to be_between(0.5, 1.5)
  end

  it "Thread#kill during the attempts leaves no socket open" do
    alive, leaked = run(<<~RUBY)
      server.close
      before = fds.call
      th = Thread.new { TCPSocket.new("dual.test", port) rescue nil }
      sleep 0.3
      th.kill
      th.join
      GC.start
      p [th.alive?, fds.call - before]
    RUBY
    expect(alive).to be(false)
    expect(leaked).to eq(0)
  end

  # A DNS server answering A at once and AAAA after a delay, run in the
  # child on the stdlib (scenery, not under test).
  DELAYED_DNS = <<~'RUBY'
    require "socket"
    delay = Float(ARGV[0])
    s = UDPSocket.new
    s.bind("127.0.0.1", 53)
    File.write(ARGV[1], "ready")
    loop do
      q, from = s.recvfrom(512)
      name_end = q.index("\0", 12)
      qtype = q[name_end + 1, 2].unpack1("n")
      rdata = { 1 => [127, 0, 0, 1].pack("C4"), 28 => ("\0" * 15 + "\1").b }[qtype]
      header = q[0, 2] + [0x8180, 1, rdata ? 1 : 0, 0, 0].pack("n5")
      answer = rdata ? [0xc00c, qtype, 1, 60, rdata.bytesize].pack("nnnNn") + rdata : "".b
      reply = header + q[12..name_end + 4] + answer
      send_it = -> { s.send(reply, 0, from[3], from[1]) }
      qtype == 28 ? Thread.new { sleep delay; send_it.call } : send_it.call
    end
  RUBY

  def run_with_delayed_aaaa(delay, code)
    script = <<~RUBY
      dns = File.join(Dir.tmpdir, "dns_\#{$$}.rb")
      ready = dns + ".ready"
      File.write(dns, #{DELAYED_DNS.dump})
      pid = Process.spawn({ "RUBYOPT" => nil }, #{RbConfig.ruby.dump}, dns, "#{delay}", ready)
      sleep 0.05 until File.exist?(ready)
      begin
        #{SETUP}
        server6 = TCPServer.new("::1", port + 1)
        #{code}
      ensure
        Process.kill(:KILL, pid)
        File.delete(dns, ready)
      end
    RUBY
    result = NetNs.ruby("require 'tmpdir'\n" + script, hosts: "127.0.0.1 localhost\n")
    expect(result.status.success?).to be(true), "child failed:\n#{result.out}\n#{result.err}"
    eval(result.out.lines.last) # rubocop:disable Security/Eval -- our own child's inspect output
  end

  it "waits 50 ms for IPv6 answers when IPv4 answers first, then connects over IPv4" do
    address, elapsed = run_with_delayed_aaaa(0.6, <<~RUBY)
      server.close
      server = TCPServer.new("127.0.0.1", port + 1)
      t = now.call
      c = TCPSocket.new("late6.test", port + 1)
      p [c.remote_address.ip_address, now.call - t]
    RUBY
    expect(address).to eq("127.0.0.1")
    expect(elapsed).to be_between(0.04, 0.5)
  end

  it "prefers IPv6 when its answer arrives within the resolution delay" do
    address, = run_with_delayed_aaaa(0.01, <<~RUBY)
      server.close
      server = TCPServer.new("127.0.0.1", port + 1)
      c = TCPSocket.new("late6.test", port + 1)
      p [c.remote_address.ip_address]
    RUBY
    expect(address).to eq("::1")
  end
end
