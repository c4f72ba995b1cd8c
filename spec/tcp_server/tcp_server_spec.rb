# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe TCPServer do
  before { @open = [] }

  after do
    @open.each { |io| io.close unless io.closed? }
  end

  def track(io)
    @open << io
    io
  end

  def server(*args)
    track(TCPServer.new(*args))
  end

  def wait_until_blocked(thread)
    Thread.pass until thread.status == "sleep" || thread.status.nil?
    sleep 0.05
  end

  describe ".new" do
    it "listens on host and port, port 0 picking a free one" do
      s = server("127.0.0.1", 0)
      expect(s).to be_a(TCPServer)
      expect(s).to be_a(TCPSocket)
      expect(s.local_address.ip_address).to eq("127.0.0.1")
      expect(s.local_address.ip_port).to be > 0
      expect(s.getsockopt(:SOCKET, :ACCEPTCONN).bool).to be(true)
      expect([s.sync, s.binmode?, s.close_on_exec?]).to eq([true, true, true])
    end

    it "takes the port alone, a nil or an empty host as the wildcard address" do
      [[0], [nil, 0], ["", 0], [nil, "0"]].each do |args|
        s = server(*args)
        expect(s.local_address.ip_address).to eq("0.0.0.0")
        expect(s.local_address.ip_port).to be > 0
      end
    end

    it "listens on \"localhost\" and \"::1\"" do
      expect(server("localhost", 0).local_address.ip_address).to eq("127.0.0.1")
      expect(server("::1", 0).local_address.ip_address).to eq("::1")
    end

    it "sets SO_REUSEADDR" do
      expect(server("127.0.0.1", 0).getsockopt(:SOCKET, :REUSEADDR).bool).to be(true)
    end

    it "raises EADDRINUSE naming the host as given and the port" do
      port = server("127.0.0.1", 0).local_address.ip_port
      msg = "Address already in use - bind(2) for"
      expect { TCPServer.new("127.0.0.1", port) }.to raise_error(Errno::EADDRINUSE, "#{msg} \"127.0.0.1\" port #{port}")
      expect { TCPServer.new("127.0.0.1", port.to_s) }.to raise_error(Errno::EADDRINUSE, "#{msg} \"127.0.0.1\" port #{port}")
      expect { TCPServer.new(nil, port) }.to raise_error(Errno::EADDRINUSE, "#{msg} nil port #{port}")
      expect { TCPServer.new(port) }.to raise_error(Errno::EADDRINUSE, "#{msg} nil port #{port}")
      expect { TCPServer.new("", port) }.to raise_error(Errno::EADDRINUSE, "#{msg} \"\" port #{port}")
    end

    it "checks its arguments as the stdlib does" do
      expect { TCPServer.new }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1..2)")
      expect { TCPServer.new("127.0.0.1", 0, 1) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 1..2)")
      expect { TCPServer.new("no such host.invalid", 0) }
        .to raise_error(SocketError, "getaddrinfo: Name or service not known")
      expect { TCPServer.new("127.0.0.1", "no-such-service") }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
    end

    it "with a block (TCPServer.open) yields the server, closes it and returns the block's value" do
      seen = nil
      expect(TCPServer.open("127.0.0.1", 0) { |s| seen = s; [s.class, s.closed?] }).to eq([TCPServer, false])
      expect(seen.closed?).to be(true)
      expect { TCPServer.open("127.0.0.1", 0) { |s| seen = s; raise "boom" } }.to raise_error(RuntimeError, "boom")
      expect(seen.closed?).to be(true)
    end
  end

  describe "accepting" do
    before do
      @server = server("127.0.0.1", 0)
      @port = @server.local_address.ip_port
    end

    it "#accept returns a connected TCPSocket" do
      client = track(TCPSocket.new("127.0.0.1", @port))
      conn = track(@server.accept)
      expect(conn.class).to eq(TCPSocket)
      expect([conn.sync, conn.binmode?, conn.close_on_exec?]).to eq([true, true, true])
      expect(conn.remote_address.ip_port).to eq(client.local_address.ip_port)
      conn.write("pong")
      expect(client.read(4)).to eq("pong")
    end

    it "#accept_nonblock raises IO::EAGAINWaitReadable when nobody waits, or returns :wait_readable" do
      expect { @server.accept_nonblock }.to raise_error(IO::EAGAINWaitReadable,
                                                        "Resource temporarily unavailable - accept(2) would block") { |e|
        expect(e).to be_a(IO::WaitReadable)
        expect(e).to be_a(Errno::EAGAIN)
      }
      expect(@server.accept_nonblock(exception: false)).to eq(:wait_readable)
      expect { @server.accept_nonblock(1) }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 0)")
    end

    it "#accept_nonblock returns a TCPSocket once a client has connected" do
      client = track(TCPSocket.new("127.0.0.1", @port))
      expect(IO.select([@server], nil, nil, 5)).not_to be_nil
      conn = track(@server.accept_nonblock)
      expect(conn.class).to eq(TCPSocket)
      expect(conn.remote_address.ip_port).to eq(client.local_address.ip_port)
    end

    it "#sysaccept returns the accepted descriptor as an Integer" do
      client = track(TCPSocket.new("127.0.0.1", @port))
      fd = @server.sysaccept
      expect(fd).to be_a(Integer)
      conn = track(Socket.for_fd(fd))
      expect(conn.close_on_exec?).to be(true)
      expect(conn.remote_address.ip_port).to eq(client.local_address.ip_port)
    end

    it "#listen changes the backlog and returns 0" do
      expect(@server.listen(10)).to eq(0)
      expect { @server.listen("x") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      client = track(TCPSocket.new("127.0.0.1", @port))
      expect(track(@server.accept).remote_address.ip_port).to eq(client.local_address.ip_port)
    end

    it "raises IOError once closed" do
      @server.close
      expect { @server.accept }.to raise_error(IOError, "closed stream")
      expect { @server.accept_nonblock }.to raise_error(IOError, "closed stream")
      expect { @server.sysaccept }.to raise_error(IOError, "closed stream")
    end

    it "a blocked #accept wakes when a client connects" do
      acceptor = Thread.new { @server.accept }
      wait_until_blocked(acceptor)
      client = track(TCPSocket.new("127.0.0.1", @port))
      conn = track(acceptor.value)
      expect(conn.remote_address.ip_port).to eq(client.local_address.ip_port)
    end

    it "a blocked #accept or #sysaccept wakes with IOError when another thread closes the server" do
      %i[accept sysaccept].each do |call|
        srv = server("127.0.0.1", 0)
        acceptor = Thread.new { srv.public_send(call) }
        acceptor.report_on_exception = false
        wait_until_blocked(acceptor)
        srv.close
        expect { acceptor.join }.to raise_error(IOError, "stream closed in another thread")
      end
    end

    it "a blocked #accept wakes for Thread#raise and Thread#kill" do
      acceptor = Thread.new { @server.accept }
      acceptor.report_on_exception = false
      wait_until_blocked(acceptor)
      acceptor.raise(RuntimeError, "wake up")
      expect { acceptor.join }.to raise_error(RuntimeError, "wake up")

      acceptor = Thread.new { @server.accept }
      wait_until_blocked(acceptor)
      acceptor.kill
      expect(acceptor.join(5)).to eq(acceptor)
      # The server still works afterwards.
      client = track(TCPSocket.new("127.0.0.1", @port))
      expect(track(@server.accept).remote_address.ip_port).to eq(client.local_address.ip_port)
    end
  end
end
