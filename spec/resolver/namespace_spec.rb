# frozen_string_literal: true

require_relative "../spec_helper"
require "json"

# Name resolution against a private resolver: each example runs a Ruby child
# in its own network and mount namespace with its own /etc/hosts and a
# resolv.conf naming 127.0.0.1, where (if asked) a server reads queries and
# never answers. Nothing leaves the namespace.
RSpec.describe "Name resolution in a private namespace", netns: true do
  HOSTS = <<~HOSTS
    127.0.0.1 localhost
    ::1 dual.example
    127.0.0.1 dual.example
    127.0.0.2 one.example multi.example
    127.0.0.3 two.example multi.example
  HOSTS

  def run_child(code, **opts)
    r = NetNs.ruby(code, hosts: HOSTS, **opts)
    expect(r.status.success?).to be(true), "child failed (#{r.status.inspect}):\n#{r.out}\n#{r.err}"
    JSON.parse(r.out.lines.last)
  end

  it "returns both addresses of a name in /etc/hosts, in the stdlib's order" do
    got = run_child(<<~RUBY)
      require "json"
      ai = Addrinfo.getaddrinfo("dual.example", 80, nil, :STREAM).map(&:inspect)
      rows = Socket.getaddrinfo("dual.example", 80, nil, :STREAM)
      puts JSON.generate([ai, rows])
    RUBY
    expect(got).to eq([["#<Addrinfo: [::1]:80 TCP (dual.example)>", "#<Addrinfo: 127.0.0.1:80 TCP (dual.example)>"],
                       [["AF_INET6", 80, "::1", "::1", 10, 1, 6], ["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 1, 6]]])
  end

  it "reverse-resolves getaddrinfo rows for true, :hostname and do_not_reverse_lookup = false" do
    got = run_child(<<~RUBY)
      require "json"
      out = [Socket.getaddrinfo("127.0.0.2", 80, nil, :STREAM, nil, nil, true),
             Socket.getaddrinfo("::1", 80, nil, :STREAM, nil, nil, :hostname)]
      BasicSocket.do_not_reverse_lookup = false
      out << Socket.getaddrinfo("127.0.0.2", 80, nil, :STREAM)
      out << Socket.getaddrinfo("127.0.0.2", 80, nil, :STREAM, nil, nil, :numeric)
      # A failed reverse lookup keeps the numeric address.
      out << Socket.getaddrinfo("127.0.0.9", 80, nil, :STREAM, nil, nil, true)
      puts JSON.generate(out)
    RUBY
    expect(got).to eq([[["AF_INET", 80, "one.example", "127.0.0.2", 2, 1, 6]],
                       [["AF_INET6", 80, "dual.example", "::1", 10, 1, 6]],
                       [["AF_INET", 80, "one.example", "127.0.0.2", 2, 1, 6]],
                       [["AF_INET", 80, "127.0.0.2", "127.0.0.2", 2, 1, 6]],
                       [["AF_INET", 80, "127.0.0.9", "127.0.0.9", 2, 1, 6]]])
  end

  it "getnameinfo resolves arrays, and refuses names whose addresses name different hosts" do
    got = run_child(<<~RUBY)
      require "json"
      out = [Socket.getnameinfo(["AF_INET", 80, "dual.example"]),
             Socket.getnameinfo(["AF_INET6", 80, "dual.example"]),
             Socket.getnameinfo(["AF_INET", 80, "ignored", "127.0.0.2"]),
             Socket.getnameinfo(Socket.sockaddr_in(25, "127.0.0.2"))]
      begin
        Socket.getnameinfo(["AF_INET", 80, "multi.example"])
      rescue SocketError => e
        out << [e.class.ancestors.include?(SocketError), e.message]
      end
      begin
        Socket.getnameinfo(Socket.sockaddr_in(80, "127.0.0.9"), Socket::NI_NAMEREQD)
      rescue SocketError => e
        out << [e.class.ancestors.include?(SocketError), e.message]
      end
      puts JSON.generate(out)
    RUBY
    expect(got).to eq([%w[localhost http], %w[dual.example http], %w[one.example http], %w[one.example smtp],
                       [true, "sockaddr resolved to multiple nodename"],
                       [true, "getnameinfo: Temporary failure in name resolution"]])
  end

  it "gethostbyname and gethostbyaddr answer from /etc/hosts" do
    got = run_child(<<~RUBY)
      require "json"
      $VERBOSE = nil
      hex = ->(a) { a.each_with_index.map { |x, i| i >= 3 ? x.unpack1("H*") : x } }
      out = [hex[Socket.gethostbyname("dual.example")],
             hex[Socket.gethostbyname("multi.example")],
             hex[Socket.gethostbyaddr("\\x7f\\0\\0\\x02")],
             hex[Socket.gethostbyaddr("\\0" * 15 + "\\x01")],
             hex[Socket.gethostbyaddr("\\x7f\\0\\0\\x02", :INET)]]
      begin
        Socket.gethostbyaddr("\\x7f\\0\\0\\x09")
      rescue SocketError => e
        out << e.message
      end
      begin
        Socket.gethostbyname("nohost.example")
      rescue SocketError => e
        out << e.message
      end
      puts JSON.generate(out)
    RUBY
    v6 = "0" * 31 + "1"
    expect(got).to eq([["dual.example", [], 10, v6, "7f000001"],
                       ["one.example", ["multi.example"], 2, "7f000002", "7f000003"],
                       ["one.example", ["multi.example"], 2, "7f000002"],
                       ["dual.example", [], 10, v6],
                       ["one.example", ["multi.example"], 2, "7f000002"],
                       "host not found",
                       "getaddrinfo: Temporary failure in name resolution"])
  end

  it "calls a fiber scheduler's address_resolve hook for names, as Ruby does" do
    got = run_child(<<~RUBY)
      require "json"
      require #{File.expand_path("../support/test_scheduler", __dir__).inspect}
      class ResolvingScheduler < TestScheduler
        attr_reader :asked
        def address_resolve(hostname)
          (@asked ||= []) << hostname
          ["127.0.0.7", "::7"]
        end
      end
      out = nil
      Thread.new do
        s = ResolvingScheduler.new
        Fiber.set_scheduler(s)
        Fiber.schedule do
          out = [Addrinfo.getaddrinfo("sched.example", 80, nil, :STREAM).map(&:inspect),
                 Socket.getaddrinfo("sched.example", 80, nil, :STREAM),
                 Addrinfo.getaddrinfo("127.0.0.1", 80, nil, :STREAM).map(&:inspect)]
        end
        Fiber.set_scheduler(nil)
        out << s.asked
      end.join
      puts JSON.generate(out)
    RUBY
    expect(got).to eq([["#<Addrinfo: 127.0.0.7:80 TCP (sched.example)>", "#<Addrinfo: [::7]:80 TCP (sched.example)>"],
                       [["AF_INET", 80, "127.0.0.7", "127.0.0.7", 2, 1, 6], ["AF_INET6", 80, "::7", "::7", 10, 1, 6]],
                       ["#<Addrinfo: 127.0.0.1:80 TCP>"],
                       ["sched.example", "sched.example"]])
  end

  it "lets other threads run while a lookup waits for the name server" do
    r = NetNs.ruby(<<~RUBY, hosts: HOSTS, silent_dns: true, resolv: "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
      require "json"
      ticks = 0
      ticker = Thread.new { loop { ticks += 1; sleep 0.01 } }
      t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      err = begin; Addrinfo.getaddrinfo("hang.example", 80); nil; rescue SocketError => e; e.message; end
      elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
      ticker.kill
      puts JSON.generate([err, elapsed, ticks])
    RUBY
    expect(r.status.success?).to be(true), r.err
    err, elapsed, ticks = JSON.parse(r.out.lines.last)
    expect(r.queries).to be >= 1
    expect(err).to eq("getaddrinfo: Temporary failure in name resolution")
    expect(elapsed).to be >= 0.9
    # About 100 ticks a second when the lookup leaves the GVL free.
    expect(ticks).to be >= (elapsed * 30).floor
  end

  context "with a name server that never answers (4 s resolver timeout)", added_in: "3.3" do
    # The stdlib's Addrinfo.getaddrinfo takes timeout: but, here, waits for the
    # resolver's own timeout anyway and raises EAI_AGAIN.
    TIMEOUT_IGNORED = "Addrinfo.getaddrinfo(timeout:) waits for the resolver's timeout"
    let(:resolv) { "nameserver 127.0.0.1\noptions timeout:4 attempts:1\n" }

    def run_hung(code, **opts)
      r = NetNs.ruby(code, hosts: HOSTS, silent_dns: true, resolv: resolv, **opts)
      expect(r.status.success?).to be(true), "child failed (#{r.status.inspect}):\n#{r.out}\n#{r.err}"
      expect(r.queries).to be >= 1
      JSON.parse(r.out.lines.last)
    end

    it "Addrinfo.getaddrinfo(timeout: 0.3) gives up after ~0.3 s with Errno::ETIMEDOUT", stdlib_bug: { "3.3" => TIMEOUT_IGNORED, "3.4" => TIMEOUT_IGNORED } do
      err, elapsed = run_hung(<<~RUBY)
        require "json"
        t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
        err = begin; Addrinfo.getaddrinfo("hang.example", 80, timeout: 0.3); nil; rescue => e; [e.class.name, e.message]; end
        puts JSON.generate([err, Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0])
      RUBY
      expect(err).to eq(["Errno::ETIMEDOUT", "Connection timed out - user specified timeout"])
      expect(elapsed).to be >= 0.25
      expect(elapsed).to be < 1.5
    end

    it "Thread#kill, Thread#raise and Timeout.timeout end a thread stuck in a lookup at once" do
      got = run_hung(<<~RUBY)
        require "json"
        require "timeout"
        now = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
        out = {}
        t = Thread.new { Addrinfo.getaddrinfo("hang.example", 80) }
        sleep 0.3
        t0 = now.call; t.kill; t.join
        out["kill"] = [now.call - t0, t.status]
        t = Thread.new { Socket.getaddrinfo("hang.example", 80) rescue $!.message }
        sleep 0.3
        t0 = now.call; t.raise(RuntimeError, "stop"); r = t.value
        out["raise"] = [now.call - t0, r]
        t0 = now.call
        r = begin; Timeout.timeout(0.3) { Addrinfo.getaddrinfo("hang.example", 80) }; rescue Timeout::Error => e; e.class.name; end
        out["timeout"] = [now.call - t0, r]
        puts JSON.generate(out)
      RUBY
      expect(got["kill"][1]).to be(false)
      expect(got["kill"][0]).to be < 0.5
      expect(got["raise"]).to match([be < 0.5, "stop"])
      expect(got["timeout"][1]).to eq("Timeout::Error")
      expect(got["timeout"][0]).to be < 1.5
    end

    it "abandoned lookups leak neither threads nor memory", stdlib_bug: { "3.3" => TIMEOUT_IGNORED, "3.4" => TIMEOUT_IGNORED } do
      got = run_hung(<<~RUBY, timeout: 90)
        require "json"
        tasks = -> { Dir.children("/proc/self/task").size }
        rss = -> { File.read("/proc/self/status")[/VmRSS:\\s+(\\d+)/, 1].to_i }
        base = tasks.call
        rounds = 3.times.map do
          40.times { begin; Addrinfo.getaddrinfo("hang.example", 80, timeout: 0.01); rescue Errno::ETIMEDOUT; end }
          busy = tasks.call
          deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 20
          sleep 0.2 while tasks.call > base && Process.clock_gettime(Process::CLOCK_MONOTONIC) < deadline
          GC.start
          [busy, tasks.call, rss.call]
        end
        puts JSON.generate([base, rounds])
      RUBY
      base, rounds = got
      rounds.each do |busy, after, _rss|
        expect(busy).to be > base # the helpers were really stuck...
        expect(after).to eq(base) # ...and all of them are gone
      end
      # Memory levels off: the last round costs no more than 16 MB over the first.
      expect(rounds.last[2] - rounds.first[2]).to be < 16 * 1024
    end
  end
end
