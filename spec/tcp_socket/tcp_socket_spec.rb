# frozen_string_literal: true

require_relative "../spec_helper"
require "stringio"

RSpec.describe TCPSocket do
  before do
    @open = []
    @server = track(TCPServer.new("127.0.0.1", 0))
    @port = @server.local_address.ip_port
  end

  after do
    @open.each { |io| io.close unless io.closed? }
  end

  def track(io)
    @open << io
    io
  end

  # A port nobody listens on: bound then closed, so connecting is refused.
  def refused_port
    s = TCPServer.new("127.0.0.1", 0)
    port = s.local_address.ip_port
    s.close
    port
  end

  # A listener whose accept queue is full: further SYNs are dropped, so a
  # connect to it stays pending until the caller's timeout.
  def unresponsive_port
    addr = Listeners.unresponsive { |s| track(s) } or raise "could not fill the accept queue"
    addr.ip_port
  end

  # Waits until the thread is blocked (sleeping in the wait loop).
  def wait_until_blocked(thread)
    Thread.pass until thread.status == "sleep" || thread.status.nil?
    sleep 0.05
  end

  describe ".new / .open" do
    it "connects to a numeric host and the server sees the client's address" do
      client = track(TCPSocket.new("127.0.0.1", @port))
      expect(client).to be_a(TCPSocket)
      expect(client).to be_a(IPSocket)
      conn = track(@server.accept)
      expect(conn.remote_address.ip_port).to eq(client.local_address.ip_port)
      expect(client.remote_address.ip_address).to eq("127.0.0.1")
      expect(client.remote_address.ip_port).to eq(@port)
      expect([client.sync, client.binmode?, client.close_on_exec?]).to eq([true, true, true])
      client.write("ping")
      expect(conn.read(4)).to eq("ping")
    end

    it "accepts the port as a String and resolves \"localhost\" and a nil host to loopback" do
      [["127.0.0.1", @port.to_s], ["localhost", @port], [nil, @port]].each do |host, port|
        client = track(TCPSocket.new(host, port))
        expect(client.remote_address.ipv4_loopback? || client.remote_address.ipv6_loopback?).to be(true)
        expect(client.remote_address.ip_port).to eq(@port)
        track(@server.accept)
      end
    end

    it "binds to local_host and local_port and sets SO_REUSEADDR, as ipsocket.c does" do
      client = track(TCPSocket.new("127.0.0.1", @port, "127.0.0.1", 0))
      expect(client.local_address.ip_address).to eq("127.0.0.1")
      expect(client.getsockopt(:SOCKET, :REUSEADDR).bool).to be(true)
      plain = track(TCPSocket.new("127.0.0.1", @port))
      expect(plain.getsockopt(:SOCKET, :REUSEADDR).bool).to be(false)

      # A nil local host means the loopback address; a nil local port means any port.
      by_port = track(TCPSocket.new("127.0.0.1", @port, nil, 0))
      expect(by_port.local_address.ip_address).to eq("127.0.0.1")
      by_host = track(TCPSocket.new("127.0.0.1", @port, "127.0.0.1", nil))
      expect(by_host.local_address.ip_address).to eq("127.0.0.1")
      expect(by_host.local_address.ip_port).not_to eq(0)
    end

    it "uses exactly the local port asked for" do
      free = TCPServer.new("127.0.0.1", 0)
      local_port = free.local_address.ip_port
      free.close
      client = track(TCPSocket.new("127.0.0.1", @port, "127.0.0.1", local_port))
      expect(client.local_address.ip_port).to eq(local_port)
      expect(track(@server.accept).remote_address.ip_port).to eq(local_port)
    end

    it "with a block (TCPSocket.open) yields the socket, closes it and returns the block's value" do
      seen = nil
      result = TCPSocket.open("127.0.0.1", @port) do |s|
        seen = s
        [s.class, s.closed?]
      end
      expect(result).to eq([TCPSocket, false])
      expect(seen.closed?).to be(true)
      expect { TCPSocket.open("127.0.0.1", @port) { |s| seen = s; raise "boom" } }.to raise_error(RuntimeError, "boom")
      expect(seen.closed?).to be(true)
      opened = track(TCPSocket.open("127.0.0.1", @port))
      expect(opened).to be_a(TCPSocket)
    end

    it "raises ECONNREFUSED naming the host and port as given" do
      port = refused_port
      expect { TCPSocket.new("127.0.0.1", port) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \"127.0.0.1\" port #{port}")
      expect { TCPSocket.new("127.0.0.1", port.to_s) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \"127.0.0.1\" port #{port}")
      expect { TCPSocket.new("localhost", port) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \"localhost\" port #{port}")
    end

    it "raises EADDRINUSE naming the local host and port when the local port is taken" do
      taken = track(TCPServer.new("127.0.0.1", 0)).local_address.ip_port
      expect { TCPSocket.new("127.0.0.1", @port, "127.0.0.1", taken) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for \"127.0.0.1\" port #{taken}")
      expect { TCPSocket.new("127.0.0.1", @port, "127.0.0.1", taken.to_s) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for \"127.0.0.1\" port #{taken}")
    end

    it "binds a local address of the wrong family anyway and reports the kernel's error" do
      expect { TCPSocket.new("127.0.0.1", @port, "::1", 0) }
        .to raise_error(Errno::EAFNOSUPPORT, "Address family not supported by protocol - bind(2) for \"::1\" port 0")
    end

    it "checks its arguments as the stdlib does", type_check: false do
      expect { TCPSocket.new("127.0.0.1") }
        .to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..4)")
      expect { TCPSocket.new }
        .to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 2..4)")
      expect { TCPSocket.new("127.0.0.1", @port, nil, nil, 5) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 5, expected 2..4)")
      expect { TCPSocket.new("127.0.0.1", @port, foo: 1) }
        .to raise_error(ArgumentError, "unknown keyword: :foo")
      expect { TCPSocket.new("127.0.0.1", :http) }
        .to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { TCPSocket.new("127.0.0.1", 1.5) }
        .to raise_error(TypeError, "no implicit conversion of Float into String")
    end

    it "raises SocketError for unknown services and unresolvable hosts" do
      expect { TCPSocket.new("127.0.0.1", "no-such-service") }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { TCPSocket.new("127.0.0.1", -1) }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      # A name goes through Happy Eyeballs, whose wording changed in 3.4.
      expect { TCPSocket.new("no such host.invalid", @port) }
        .to raise_error(SocketError, "#{PerRuby.happy_eyeballs_getaddrinfo}: Name or service not known")
    end

    it "raises Socket::ResolutionError, a SocketError with an error_code, for unresolvable hosts", added_in: "3.3" do
      expect { TCPSocket.new("no such host.invalid", @port) }.to raise_error(Socket::ResolutionError) { |e|
        expect(e).to be_a(SocketError)
        expect(e.error_code).to eq(Socket::EAI_NONAME)
      }
    end
  end

  describe "keywords" do
    it "takes connect_timeout and resolv_timeout and connects within them" do
      client = track(TCPSocket.new("127.0.0.1", @port, connect_timeout: 5))
      expect(client.remote_address.ip_port).to eq(@port)
      client = track(TCPSocket.new("localhost", @port, resolv_timeout: 5, connect_timeout: 5.0))
      expect(client.remote_address.ip_port).to eq(@port)
    end

    it "raises that Ruby's error when connect_timeout runs out (Errno::ETIMEDOUT on 3.1, IO::TimeoutError from 3.3)" do
      port = unresponsive_port
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      expect { TCPSocket.new("127.0.0.1", port, connect_timeout: 0.2) }
        .to raise_error(*PerRuby.tcp_connect_timeout("127.0.0.1", port))
      expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 5
    end

    it "takes fast_fallback: true or false, defaulting to Socket.tcp_fast_fallback", added_in: "3.4" do
      [true, false].each do |ff|
        client = track(TCPSocket.new("localhost", @port, fast_fallback: ff))
        expect(client.remote_address.ip_port).to eq(@port)
        track(@server.accept)
      end
      port = refused_port
      expect { TCPSocket.new("localhost", port, fast_fallback: false) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \"localhost\" port #{port}")
      expect { TCPSocket.new("localhost", port, fast_fallback: true) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for \"localhost\" port #{port}")
    end
  end

  describe "#peeraddr / #addr" do
    it "give [family, port, host, address] for both ends" do
      client = track(TCPSocket.new("127.0.0.1", @port))
      expect(client.peeraddr(false)).to eq(["AF_INET", @port, "127.0.0.1", "127.0.0.1"])
      expect(client.peeraddr(:numeric)).to eq(["AF_INET", @port, "127.0.0.1", "127.0.0.1"])
      expect(client.addr(false)).to eq(["AF_INET", client.local_address.ip_port, "127.0.0.1", "127.0.0.1"])
    end
  end

  describe ".gethostbyname" do
    it "returns [name, aliases, family, *addresses] and warns that it is deprecated", type_check: false do
      result = nil
      expect { result = TCPSocket.gethostbyname("127.0.0.1") }
        .to output(/warning: TCPSocket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead./).to_stderr
      expect(result).to eq(["127.0.0.1", [], Socket::AF_INET, "127.0.0.1"])
      expect { result = TCPSocket.gethostbyname("::1") }.to output(/deprecated/).to_stderr
      expect(result).to eq(["::1", [], Socket::AF_INET6, "::1"])
      expect { result = TCPSocket.gethostbyname("localhost") }.to output(/deprecated/).to_stderr
      expect(result).to eq(["localhost", [], Socket::AF_INET, "127.0.0.1"])
    end

    it "raises SocketError for an unresolvable name", type_check: false do
      expect do
        expect { TCPSocket.gethostbyname("no such host.invalid") }
          .to raise_error(SocketError, "getaddrinfo: Name or service not known")
      end.to output(/deprecated/).to_stderr
    end
  end

  describe "once closed" do
    it "raises IOError \"closed stream\"" do
      client = TCPSocket.new("127.0.0.1", @port)
      client.close
      expect { client.read }.to raise_error(IOError, "closed stream")
      expect { client.recv(1) }.to raise_error(IOError, "closed stream")
      expect { client.remote_address }.to raise_error(IOError, "closed stream")
      expect { client.write("x") }.to raise_error(IOError, "closed stream")
    end
  end

  describe "end of stream" do
    before do
      @client = track(TCPSocket.new("127.0.0.1", @port))
      @conn = track(@server.accept)
      @conn.write("a\nb")
      @conn.close
    end

    it "reads what was sent, then \"\" from read" do
      expect(@client.gets).to eq("a\n")
      expect(@client.read).to eq("b")
      expect(@client.read).to eq("")
    end

    it "returns nil from recv at end of stream (\"\" before Ruby 3.3)" do
      expect(@client.recv(10)).to eq("a\nb")
      expect(@client.recv(10)).to eq(PerRuby.end_of_stream)
    end
  end

  describe "a blocked reader" do
    before do
      @client = track(TCPSocket.new("127.0.0.1", @port))
      @conn = track(@server.accept)
    end

    it "wakes with data written by the peer" do
      reader = Thread.new { @client.recv(10) }
      wait_until_blocked(reader)
      @conn.write("hi")
      expect(reader.value).to eq("hi")
    end

    it "wakes with IOError when another thread closes the socket" do
      [:read, :recv].each do |call|
        client = track(TCPSocket.new("127.0.0.1", @port))
        track(@server.accept)
        reader = Thread.new { call == :read ? client.read(1) : client.recv(1) }
        reader.report_on_exception = false
        wait_until_blocked(reader)
        client.close
        expect { reader.join }.to raise_error(IOError, "stream closed in another thread")
      end
    end

    it "wakes for Thread#raise and Thread#kill" do
      reader = Thread.new { @client.recv(1) }
      reader.report_on_exception = false
      wait_until_blocked(reader)
      reader.raise(RuntimeError, "wake up")
      expect { reader.join }.to raise_error(RuntimeError, "wake up")

      reader = Thread.new { @client.read(1) }
      wait_until_blocked(reader)
      reader.kill
      expect(reader.join(5)).to eq(reader)
      expect(reader.status).to be(false)
      expect(@client.closed?).to be(false)
    end
  end
end
