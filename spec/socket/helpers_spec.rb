# frozen_string_literal: true

require_relative "../spec_helper"
require "tmpdir"

RSpec.describe "Socket helpers (socket.rb)" do
  before do
    @open = []
    @threads = []
  end

  after do
    @threads.each { |t| t.kill.join(5) }
    @open.each { |io| io.close unless io.closed? }
  end

  def track(io)
    @open << io
    io
  end

  # Runs a server loop in a thread that the example's cleanup kills.
  def background(&block)
    t = Thread.new(&block)
    t.report_on_exception = false
    @threads << t
    t
  end

  # A port that was free a moment ago (the loop helpers take no port 0 we could learn).
  def free_port(type)
    s = type == :tcp ? Socket.new(:INET, :STREAM) : Socket.new(:INET, :DGRAM)
    s.bind(Addrinfo.public_send(type, "127.0.0.1", 0))
    s.local_address.ip_port
  ensure
    s&.close
  end

  # Connects to 127.0.0.1:port, retrying while a server thread starts up.
  def connect_when_up(port)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 5
    begin
      track(Socket.tcp("127.0.0.1", port))
    rescue Errno::ECONNREFUSED
      raise if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.02
      retry
    end
  end

  def udp_client
    c = track(Socket.new(:INET, :DGRAM))
    c.bind(Addrinfo.udp("127.0.0.1", 0))
    c
  end

  def refused_port
    s = TCPServer.new("127.0.0.1", 0)
    s.local_address.ip_port
  ensure
    s&.close
  end

  describe "Socket.tcp" do
    before do
      @server = track(TCPServer.new("127.0.0.1", 0))
      @port = @server.local_address.ip_port
    end

    it "returns a connected Socket" do
      sock = track(Socket.tcp("127.0.0.1", @port))
      expect(sock.class).to eq(Socket)
      expect(sock.remote_address.ip_port).to eq(@port)
      conn = track(@server.accept)
      expect(conn.remote_address.ip_port).to eq(sock.local_address.ip_port)
      sock.write("hi")
      expect(conn.read(2)).to eq("hi")
    end

    it "connects to \"localhost\", and binds to local_host/local_port without SO_REUSEADDR",
       stdlib_bug: { "3.4" => "Socket.tcp with a name and local_host raises SocketError \"unknown socket domain: ipv4\"" } do
      sock = track(Socket.tcp("localhost", @port, "127.0.0.1", 0))
      expect(sock.local_address.ip_address).to eq("127.0.0.1")
      expect(sock.getsockopt(:SOCKET, :REUSEADDR).bool).to be(false)
      expect(sock.remote_address.ip_port).to eq(@port)
    end

    it "with a block yields the socket, returns the block's value and closes the socket" do
      seen = nil
      expect(Socket.tcp("127.0.0.1", @port) { |s| seen = s; [s.closed?, :value] }).to eq([false, :value])
      expect(seen.closed?).to be(true)
    end

    it "closes the socket when the block raises" do
      seen = nil
      expect { Socket.tcp("127.0.0.1", @port) { |s| seen = s; raise ArgumentError, "boom" } }
        .to raise_error(ArgumentError, "boom")
      expect(seen).to be_a(Socket)
      expect(seen.closed?).to be(true)
    end

    it "raises the connect error naming the address it tried" do
      port = refused_port
      expect { Socket.tcp("127.0.0.1", port) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for 127.0.0.1:#{port}")
      expect { Socket.tcp("localhost", port) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for 127.0.0.1:#{port}")
    end

    it "raises bind errors and \"no appropriate local address\" for local addresses" do
      taken = track(TCPServer.new("127.0.0.1", 0)).local_address.ip_port
      expect { Socket.tcp("127.0.0.1", @port, "127.0.0.1", taken) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for 127.0.0.1:#{taken}")
      expect { Socket.tcp("127.0.0.1", @port, "::1", 0) }
        .to raise_error(SocketError, "no appropriate local address")
    end

    it "checks its arguments and keywords", type_check: false do
      expect { Socket.tcp("127.0.0.1") }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..4)")
      expect { Socket.tcp("127.0.0.1", @port, nil, nil, 1) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 5, expected 2..4)")
      expect { Socket.tcp("127.0.0.1", @port, foo: 1) }.to raise_error(ArgumentError, "unknown keyword: :foo")
      expect { Socket.tcp("no such host.invalid", @port) }
        .to raise_error(SocketError, "getaddrinfo: Name or service not known")
    end

    it "raises ETIMEDOUT \"user specified timeout\" when connect_timeout runs out" do
      addr = Listeners.unresponsive { |s| track(s) }
      expect(addr).not_to be_nil
      expect { Socket.tcp("127.0.0.1", addr.ip_port, connect_timeout: 0.2) }
        .to raise_error(Errno::ETIMEDOUT, "Connection timed out - user specified timeout")
      expect { Socket.tcp("localhost", addr.ip_port, connect_timeout: 0.2, resolv_timeout: 5) }
        .to raise_error(Errno::ETIMEDOUT, "Connection timed out - user specified timeout")
    end

    it "takes fast_fallback: and defaults to Socket.tcp_fast_fallback", added_in: "3.4" do
      expect(Socket.tcp_fast_fallback).to be(true)
      begin
        Socket.tcp_fast_fallback = false
        expect(Socket.tcp_fast_fallback).to be(false)
        sock = track(Socket.tcp("localhost", @port))
        expect(sock.remote_address.ip_port).to eq(@port)
      ensure
        Socket.tcp_fast_fallback = true
      end
      expect(Socket.tcp_fast_fallback).to be(true)
      [true, false].each do |ff|
        expect(Socket.tcp("localhost", @port, fast_fallback: ff) { |s| s.remote_address.ip_port }).to eq(@port)
      end
    end
  end

  describe "Socket.tcp_server_sockets" do
    it "listens on each address of the host, with SO_REUSEADDR" do
      sockets = Socket.tcp_server_sockets("127.0.0.1", 0).each { |s| track(s) }
      expect(sockets.map(&:class)).to eq([Socket])
      expect(sockets.map { |s| s.local_address.ip_address }).to eq(["127.0.0.1"])
      expect(sockets.map { |s| s.getsockopt(:SOCKET, :REUSEADDR).bool }).to eq([true])
      expect(sockets.first.getsockopt(:SOCKET, :ACCEPTCONN).bool).to be(true)
    end

    it "gives every wildcard socket the same port for port 0, IPv6 ones IPV6_V6ONLY" do
      sockets = Socket.tcp_server_sockets(0).each { |s| track(s) }
      expect(sockets.map { |s| s.local_address.ip_address }.sort).to eq(["0.0.0.0", "::"])
      expect(sockets.map { |s| s.local_address.ip_port }.uniq.size).to eq(1)
      v6 = sockets.find { |s| s.local_address.ipv6? }
      expect(v6.getsockopt(:IPV6, :V6ONLY).bool).to be(true)
      port = sockets.first.local_address.ip_port
      expect(Socket.tcp("::1", port) { |s| s.remote_address.ip_port }).to eq(port)
      expect(Socket.tcp("127.0.0.1", port) { |s| s.remote_address.ip_port }).to eq(port)
    end

    it "with a block yields the sockets, returns the block's value and closes them" do
      seen = nil
      expect(Socket.tcp_server_sockets("127.0.0.1", 0) { |ss| seen = ss; :value }).to eq(:value)
      expect(seen.map(&:closed?)).to eq([true])
      expect { Socket.tcp_server_sockets("127.0.0.1", 0) { |ss| seen = ss; raise "boom" } }
        .to raise_error(RuntimeError, "boom")
      expect(seen.map(&:closed?)).to eq([true])
    end

    it "raises EADDRINUSE for a taken port" do
      port = track(TCPServer.new("127.0.0.1", 0)).local_address.ip_port
      expect { Socket.tcp_server_sockets("127.0.0.1", port) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for 127.0.0.1:#{port}")
    end
  end

  describe "Socket.accept_loop" do
    it "yields [Socket, client Addrinfo] for connections on any of the sockets" do
      servers = [Socket.tcp_server_sockets("127.0.0.1", 0), Socket.tcp_server_sockets("127.0.0.1", 0)].flatten
      servers.each { |s| track(s) }
      queue = Queue.new
      background { Socket.accept_loop(servers[0], [servers[1]]) { |sock, ai| queue << [sock, ai] } }
      servers.each do |srv|
        client = track(Socket.tcp("127.0.0.1", srv.local_address.ip_port))
        sock, ai = queue.pop
        track(sock)
        expect(sock.class).to eq(Socket)
        expect(ai).to be_a(Addrinfo)
        expect(ai.ip_address).to eq("127.0.0.1")
        expect(ai.ip_port).to eq(client.local_address.ip_port)
      end
    end

    it "yields a TCPServer's TCPSocket alone (accept_nonblock gives no address)" do
      server = track(TCPServer.new("127.0.0.1", 0))
      queue = Queue.new
      background { Socket.accept_loop(server) { |*args| queue << args } }
      track(Socket.tcp("127.0.0.1", server.local_address.ip_port))
      sock, ai = queue.pop
      track(sock)
      expect(sock.class).to eq(TCPSocket)
      expect(ai).to be_nil
    end

    it "raises ArgumentError without sockets" do
      expect { Socket.accept_loop { nil } }.to raise_error(ArgumentError, "no sockets")
      expect { Socket.accept_loop([]) { nil } }.to raise_error(ArgumentError, "no sockets")
    end
  end

  describe "Socket.tcp_server_loop" do
    it "accepts connections, yielding [Socket, client Addrinfo], and closes its sockets when killed" do
      port = free_port(:tcp)
      queue = Queue.new
      loop_thread = background { Socket.tcp_server_loop("127.0.0.1", port) { |sock, ai| queue << [sock, ai] } }
      client = connect_when_up(port)
      sock, ai = queue.pop
      track(sock)
      expect(sock.class).to eq(Socket)
      expect(ai.inspect).to eq("#<Addrinfo: 127.0.0.1:#{client.local_address.ip_port} TCP>")
      sock.write("hello")
      expect(client.read(5)).to eq("hello")

      loop_thread.kill.join(5)
      expect { Socket.tcp("127.0.0.1", port) }
        .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for 127.0.0.1:#{port}")
    end
  end

  describe "UDP servers" do
    it "Socket.udp_server_sockets binds Sockets on the host and the block form closes them" do
      sockets = Socket.udp_server_sockets("127.0.0.1", 0).each { |s| track(s) }
      expect(sockets.map(&:class)).to eq([Socket])
      expect(sockets.map { |s| s.local_address.ip_address }).to eq(["127.0.0.1"])
      expect(sockets.first.local_address.socktype).to eq(Socket::SOCK_DGRAM)
      seen = nil
      expect(Socket.udp_server_sockets("127.0.0.1", 0) { |ss| seen = ss; :value }).to eq(:value)
      expect(seen.map(&:closed?)).to eq([true])
    end

    it "Socket.udp_server_recv yields the message and a UDPSource that replies" do
      Socket.udp_server_sockets("127.0.0.1", 0) do |sockets|
        port = sockets.first.local_address.ip_port
        client = udp_client
        client.send("hello", 0, Addrinfo.udp("127.0.0.1", port))
        expect(IO.select(sockets, nil, nil, 5)).not_to be_nil
        got = []
        Socket.udp_server_recv(sockets) do |msg, src|
          got << msg
          expect(src).to be_a(Socket::UDPSource)
          expect(src.remote_address.inspect).to eq("#<Addrinfo: 127.0.0.1:#{client.local_address.ip_port} UDP>")
          expect(src.local_address.inspect).to eq("#<Addrinfo: 127.0.0.1:#{port} UDP>")
          expect(src.inspect)
            .to eq("#<Socket::UDPSource: 127.0.0.1:#{client.local_address.ip_port} to 127.0.0.1:#{port}>")
          src.reply("re:#{msg}")
        end
        expect(got).to eq(["hello"])
        msg, from = client.recvfrom(100)
        expect(msg).to eq("re:hello")
        expect(from.ip_port).to eq(port)
        # Nothing more waiting: the block is not called.
        Socket.udp_server_recv(sockets) { raise "no datagram was sent" }
      end
    end

    it "Socket.udp_server_loop_on serves datagrams on the given sockets" do
      sockets = Socket.udp_server_sockets("127.0.0.1", 0).each { |s| track(s) }
      port = sockets.first.local_address.ip_port
      background { Socket.udp_server_loop_on(sockets) { |msg, src| src.reply(msg.upcase) } }
      client = udp_client
      %w[one two].each do |word|
        client.send(word, 0, Addrinfo.udp("127.0.0.1", port))
        expect(client.recvfrom(100)[0]).to eq(word.upcase)
      end
    end

    it "Socket.udp_server_loop serves datagrams on host:port" do
      port = free_port(:udp)
      background { Socket.udp_server_loop("127.0.0.1", port) { |msg, src| src.reply("#{msg}:#{src.local_address.ip_port}") } }
      client = udp_client
      reply = nil
      # Resend until the server thread has bound its socket.
      50.times do
        client.send("ping", 0, Addrinfo.udp("127.0.0.1", port))
        next unless client.wait_readable(0.1)

        reply = client.recvfrom(100)[0]
        break
      end
      expect(reply).to eq("ping:#{port}")
    end
  end

  describe "UNIX helpers" do
    around do |example|
      Dir.mktmpdir("socket_rs-helpers") do |dir|
        @dir = dir
        example.run
      end
    end

    it "Socket.unix_server_socket listens at the path; Socket.unix connects to it" do
      path = File.join(@dir, "sock")
      server = track(Socket.unix_server_socket(path))
      expect(server.class).to eq(Socket)
      expect(File.socket?(path)).to be(true)
      expect(server.local_address.unix_path).to eq(path)
      client = track(Socket.unix(path))
      expect(client.class).to eq(Socket)
      conn, ai = server.accept
      track(conn)
      expect(ai.inspect).to eq("#<Addrinfo: empty-path-AF_UNIX-sockaddr SOCK_STREAM>")
      client.write("hi")
      expect(conn.read(2)).to eq("hi")
    end

    it "Socket.unix with a block returns its value and closes the socket" do
      path = File.join(@dir, "sock")
      server = track(Socket.unix_server_socket(path))
      seen = nil
      expect(Socket.unix(path) { |s| seen = s; [s.closed?, :value] }).to eq([false, :value])
      expect(seen.closed?).to be(true)
      expect { Socket.unix(path) { |s| seen = s; raise "boom" } }.to raise_error(RuntimeError, "boom")
      expect(seen.closed?).to be(true)
      server.close
    end

    it "Socket.unix raises ENOENT naming the path" do
      path = File.join(@dir, "missing")
      expect { Socket.unix(path) }.to raise_error(Errno::ENOENT, "No such file or directory - connect(2) for #{path}")
    end

    it "Socket.unix_server_socket removes a stale socket file but not a regular file" do
      path = File.join(@dir, "sock")
      Socket.unix_server_socket(path).close
      expect(File.socket?(path)).to be(true)
      track(Socket.unix_server_socket(path))
      expect { Socket.unix(path, &:close) }.not_to raise_error

      file = File.join(@dir, "file")
      File.write(file, "keep")
      expect { Socket.unix_server_socket(file) }
        .to raise_error(Errno::EADDRINUSE, "Address already in use - bind(2) for #{file}")
      expect(File.read(file)).to eq("keep")
    end

    it "Socket.unix_server_socket with a block closes the socket and removes the file" do
      path = File.join(@dir, "sock")
      seen = nil
      expect(Socket.unix_server_socket(path) { |s| seen = s; File.socket?(path) }).to be(true)
      expect(seen.closed?).to be(true)
      expect(File.exist?(path)).to be(false)
    end

    it "works with abstract names" do
      name = "\0socket_rs_helpers_#{Process.pid}_#{rand(1 << 30)}"
      Socket.unix_server_socket(name) do |server|
        expect(server.local_address.unix_path).to eq(name)
        client = track(Socket.unix(name))
        conn, = server.accept
        track(conn)
        conn.write("abs")
        expect(client.read(3)).to eq("abs")
      end
      hex = name.unpack1("H*").scan(/../).join(":")
      expect { Socket.unix(name) }.to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for UNIX:#{hex}")
      # An empty name asks the kernel for an unused abstract name (autobind).
      Socket.unix_server_socket("") do |server|
        expect(server.local_address.unix_path).to start_with("\0")
        expect(server.local_address.unix_path.size).to eq(6)
      end
    end

    it "Socket.unix_server_loop yields [Socket, Addrinfo] and removes the file when killed" do
      path = File.join(@dir, "sock")
      queue = Queue.new
      loop_thread = background { Socket.unix_server_loop(path) { |sock, ai| queue << [sock, ai] } }
      client = begin
        track(Socket.unix(path))
      rescue Errno::ENOENT, Errno::ECONNREFUSED
        sleep 0.02
        retry if loop_thread.alive?
        raise
      end
      sock, ai = queue.pop
      track(sock)
      expect(sock.class).to eq(Socket)
      expect(ai.afamily).to eq(Socket::AF_UNIX)
      sock.write("yo")
      expect(client.read(2)).to eq("yo")
      loop_thread.kill.join(5)
      expect(File.exist?(path)).to be(false)
    end
  end
end
