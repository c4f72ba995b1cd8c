# frozen_string_literal: true

require_relative "../spec_helper"

# IPSocket: addr/peeraddr with every reverse-lookup form, recvfrom with the
# sender as an address array, inspect, and IPSocket.getaddress. Reverse
# lookups and host names are only resolved inside a private namespace
# (spec/support/netns.rb), never by the machine's resolver.
RSpec.describe IPSocket do
  def udp(host = "127.0.0.1", family = :INET)
    s = UDPSocket.new(family)
    s.bind(host, 0)
    (@sockets ||= []) << s
    s
  end

  after { (@sockets || []).each { |s| s.close unless s.closed? } }

  it "is a BasicSocket, and the parent of UDPSocket and TCPSocket" do
    expect(IPSocket.superclass).to eq(BasicSocket)
    expect(UDPSocket.superclass).to eq(IPSocket)
    expect(TCPSocket.superclass).to eq(IPSocket)
  end

  describe "#addr" do
    it "gives family, port, host and numeric host, numerically by default" do
      s = udp
      port = s.local_address.ip_port
      expect(port).to be > 0
      expect(s.addr).to eq(["AF_INET", port, "127.0.0.1", "127.0.0.1"])
    end

    it "does not reverse-resolve for false, :numeric and nil (with do_not_reverse_lookup set)" do
      s = udp
      port = s.local_address.ip_port
      expect(s.do_not_reverse_lookup).to be(true)
      [false, :numeric, nil].each do |flag|
        expect(s.addr(flag)).to eq(["AF_INET", port, "127.0.0.1", "127.0.0.1"])
      end
    end

    it "reads only its first argument, as the stdlib does", type_check: false do
      s = udp
      expect(s.addr(nil, 2)).to eq(s.addr)
    end

    it "gives AF_INET6 rows for IPv6 sockets" do
      s = udp("::1", :INET6)
      expect(s.addr(:numeric)).to eq(["AF_INET6", s.local_address.ip_port, "::1", "::1"])
    end

    it "shows an unbound socket's wildcard address and port 0" do
      s = UDPSocket.new
      @sockets = [s]
      expect(s.addr).to eq(["AF_INET", 0, "0.0.0.0", "0.0.0.0"])
    end

    it "rejects symbols other than :hostname and :numeric" do
      expect { udp.addr(:foo) }.to raise_error(ArgumentError, "invalid reverse_lookup flag: :foo")
    end

    it "rejects flags that are not true, false, nil or a Symbol" do
      s = udp
      expect { s.addr(1) }.to raise_error(TypeError, "wrong argument type Integer (expected Symbol)")
      expect { s.addr("hostname") }.to raise_error(TypeError, "wrong argument type String (expected Symbol)")
      expect { s.addr(1, 2) }.to raise_error(TypeError, "wrong argument type Integer (expected Symbol)")
    end

    it "raises IOError on a closed socket, before looking at the flag (after it from Ruby 3.4)" do
      s = udp
      s.close
      expect { s.addr }.to raise_error(IOError, "closed stream")
      expect { s.peeraddr(:numeric) }.to raise_error(IOError, "closed stream")
      if PerRuby.at_least?("3.4")
        expect { s.addr(:bogus) }.to raise_error(ArgumentError, "invalid reverse_lookup flag: :bogus")
      else
        expect { s.addr(:bogus) }.to raise_error(IOError, "closed stream")
      end
    end
  end

  describe "#peeraddr" do
    it "gives the connected peer's address" do
      a = udp
      b = udp
      b.connect("127.0.0.1", a.local_address.ip_port)
      expect(b.peeraddr).to eq(["AF_INET", a.local_address.ip_port, "127.0.0.1", "127.0.0.1"])
      expect(b.peeraddr(:numeric)).to eq(b.peeraddr)
      expect(b.peeraddr(false)).to eq(b.peeraddr)
    end

    it "raises ENOTCONN when not connected" do
      expect { udp.peeraddr }
        .to raise_error(Errno::ENOTCONN, "Transport endpoint is not connected - getpeername(2)")
    end

    it "checks the flag before asking for the peer" do
      expect { udp.peeraddr(:x) }.to raise_error(ArgumentError, "invalid reverse_lookup flag: :x")
      expect { udp.peeraddr(3) }.to raise_error(TypeError, "wrong argument type Integer (expected Symbol)")
    end

    it "raises IOError on a closed socket" do
      s = udp
      s.close
      expect { s.peeraddr }.to raise_error(IOError, "closed stream")
    end
  end

  describe "reverse lookups (private namespace)", netns: true do
    def in_namespace(code)
      r = NetNs.ruby(code, hosts: "127.0.0.1 localhost\n::1 localhost6\n127.0.0.2 second\n")
      expect(r.status.success?).to be(true), r.err
      expect(r.queries).to eq(0)
      r.out.lines.map(&:chomp)
    end

    it "resolves the host for true and :hostname, and for nil or no argument when do_not_reverse_lookup is off" do
      out = in_namespace(<<~RUBY)
        s = UDPSocket.new
        s.bind("127.0.0.1", 0)
        p s.addr(true)[2], s.addr(:hostname)[2], s.addr(false)[2], s.addr(:numeric)[2]
        p s.addr[2], s.addr(nil)[2]
        s.do_not_reverse_lookup = false
        p s.addr[2], s.addr(nil)[2], s.addr(false)[2]
        p s.addr(true)[3]
      RUBY
      expect(out).to eq(['"localhost"', '"localhost"', '"127.0.0.1"', '"127.0.0.1"',
                         '"127.0.0.1"', '"127.0.0.1"',
                         '"localhost"', '"localhost"', '"127.0.0.1"',
                         '"127.0.0.1"'])
    end

    it "resolves IPv6 addresses and peers, and follows BasicSocket.do_not_reverse_lookup for new sockets" do
      out = in_namespace(<<~RUBY)
        a = UDPSocket.new(:INET6)
        a.bind("::1", 0)
        p a.addr(:hostname)
        b = UDPSocket.new
        b.bind("127.0.0.2", 0)
        c = UDPSocket.new
        c.connect("127.0.0.2", b.addr[1])
        p c.peeraddr(:hostname)[2]
        BasicSocket.do_not_reverse_lookup = false
        d = UDPSocket.new
        d.bind("127.0.0.1", 0)
        p d.do_not_reverse_lookup, d.addr[2]
      RUBY
      expect(out[0]).to match(/\A\["AF_INET6", \d+, "localhost6", "::1"\]\z/)
      expect(out[1..]).to eq(['"second"', "false", '"localhost"'])
    end

    it "falls back to the numeric host when the name is unknown" do
      out = in_namespace(<<~RUBY)
        s = UDPSocket.new
        s.bind("127.0.0.3", 0)
        p s.addr(:hostname)[2]
      RUBY
      expect(out).to eq(['"127.0.0.3"'])
    end

    it "reports the sender by name from recvfrom when do_not_reverse_lookup is off" do
      out = in_namespace(<<~RUBY)
        s = UDPSocket.new
        s.bind("127.0.0.1", 0)
        s.send("hi", 0, s.getsockname)
        p s.recvfrom(10)[1][2]
        s.do_not_reverse_lookup = false
        s.send("hi", 0, s.getsockname)
        p s.recvfrom(10)[1][2..]
      RUBY
      expect(out).to eq(['"127.0.0.1"', '["localhost", "127.0.0.1"]'])
    end
  end

  describe "#recvfrom" do
    it "returns the data and the sender as an address array" do
      a = udp
      b = udp
      b.send("hello", 0, a.getsockname)
      expect(a.recvfrom(100)).to eq(["hello", ["AF_INET", b.local_address.ip_port, "127.0.0.1", "127.0.0.1"]])
    end

    it "truncates to len, honours flags and fills outbuf" do
      a = udp
      b = udp
      b.send("abcdef", 0, a.getsockname)
      expect(a.recvfrom(3, Socket::MSG_PEEK)[0]).to eq("abc")
      buf = +"previous content"
      data, from = a.recvfrom(4, 0, buf)
      expect(data).to equal(buf)
      expect(buf).to eq("abcd")
      expect(from[1]).to eq(b.local_address.ip_port)
      b.send("xyz", 0, a.getsockname)
      expect(a.recvfrom(4)[0].encoding).to eq(Encoding::BINARY)
    end

    it "gives an empty datagram as an empty string" do
      a = udp
      b = udp
      b.send("", 0, a.getsockname)
      expect(a.recvfrom(10)).to eq(["", b.addr])
    end

    it "gives IPv6 senders as AF_INET6 rows" do
      a = udp("::1", :INET6)
      b = udp("::1", :INET6)
      b.send("six", 0, a.getsockname)
      expect(a.recvfrom(10)).to eq(["six", ["AF_INET6", b.local_address.ip_port, "::1", "::1"]])
    end

    it "has no sender address on a connected TCP socket" do
      server = TCPServer.new("127.0.0.1", 0)
      client = TCPSocket.new("127.0.0.1", server.local_address.ip_port)
      conn = server.accept
      @sockets = [server, client, conn]
      client.write("hi")
      expect(conn.recvfrom(10)).to eq(["hi", nil])
    end

    it "returns nil at the end of a TCP stream (Ruby 3.3+; [\"\", nil] before)" do
      server = TCPServer.new("127.0.0.1", 0)
      client = TCPSocket.new("127.0.0.1", server.local_address.ip_port)
      conn = server.accept
      @sockets = [server, client, conn]
      client.close
      expect(conn.recvfrom(10)).to eq(PerRuby.end_of_stream(["", nil]))
    end

    it "rejects bad lengths with the stdlib's errors" do
      s = udp
      expect { s.recvfrom(-1) }.to raise_error(ArgumentError, "negative string size (or size too big)")
      expect { s.recvfrom(nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { s.recvfrom("1") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { s.recvfrom }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1..3)")
    end

    it "raises IOError on a closed socket" do
      s = udp
      s.close
      expect { s.recvfrom(1) }.to raise_error(IOError, "closed stream")
    end

    describe "while blocked" do

      it "lets other threads run, then returns the datagram" do
        a = udp
        b = udp
        t = quiet_thread { a.recvfrom(10) }
        counter = 0
        deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 0.2
        counter += 1 while Process.clock_gettime(Process::CLOCK_MONOTONIC) < deadline
        wait_until_sleeping(t)
        expect(t.status).to eq("sleep")
        expect(counter).to be > 1000
        b.send("late", 0, a.getsockname)
        expect(t.join(5)).to eq(t)
        expect(t.value).to eq(["late", b.addr])
      end

      it "is woken by Thread#raise" do
        a = udp
        t = quiet_thread { a.recvfrom(10) }
        wait_until_sleeping(t)
        t.raise(Interrupt, "stop waiting")
        expect { t.join(5) }.to raise_error(Interrupt, "stop waiting")
      end

      it "raises IOError when another thread closes the socket" do
        a = udp
        t = quiet_thread { a.recvfrom(10) }
        wait_until_sleeping(t)
        a.close
        expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")
      end
    end
  end

  describe "#inspect" do
    it "shows the family and the local address" do
      s = udp
      expect(s.inspect).to eq("#<UDPSocket:fd #{s.fileno}, AF_INET, 127.0.0.1, #{s.local_address.ip_port}>")
      s6 = udp("::1", :INET6)
      expect(s6.inspect).to eq("#<UDPSocket:fd #{s6.fileno}, AF_INET6, ::1, #{s6.local_address.ip_port}>")
    end

    it "shows an unbound socket's wildcard address" do
      s = UDPSocket.new
      @sockets = [s]
      expect(s.inspect).to eq("#<UDPSocket:fd #{s.fileno}, AF_INET, 0.0.0.0, 0>")
    end

    it "is IO's inspect once closed" do
      s = udp
      s.close
      expect(s.inspect).to eq("#<UDPSocket:(closed)>")
    end

    it "shows TCP sockets too" do
      server = TCPServer.new("127.0.0.1", 0)
      @sockets = [server]
      port = server.local_address.ip_port
      expect(server.inspect).to eq("#<TCPServer:fd #{server.fileno}, AF_INET, 127.0.0.1, #{port}>")
    end
  end

  describe ".getaddress" do
    it "returns numeric addresses as text" do
      expect(IPSocket.getaddress("127.0.0.1")).to eq("127.0.0.1")
      expect(IPSocket.getaddress("::1")).to eq("::1")
      expect(IPSocket.getaddress("::ffff:1.2.3.4")).to eq("::ffff:1.2.3.4")
      expect(IPSocket.getaddress("fe80::1%lo")).to eq("fe80::1%lo")
    end

    it "takes the stdlib's special host forms" do
      expect(IPSocket.getaddress("")).to eq("0.0.0.0")
      expect(IPSocket.getaddress("<any>")).to eq("0.0.0.0")
      expect(IPSocket.getaddress("<broadcast>")).to eq("255.255.255.255")
      expect(IPSocket.getaddress(0x7f000001)).to eq("127.0.0.1")
    end

    it "raises the stdlib's errors for bad hosts" do
      expect { IPSocket.getaddress(nil) }.to raise_error(SocketError, "getaddrinfo: Name or service not known")
      expect { IPSocket.getaddress(:localhost) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { IPSocket.getaddress("a\0b") }.to raise_error(ArgumentError, "string contains null byte")
    end

    it "raises Socket::ResolutionError with the EAI code (Ruby 3.3+)", added_in: "3.3" do
      expect { IPSocket.getaddress(nil) }.to raise_error(Socket::ResolutionError) { |e|
        expect(e.error_code).to eq(Socket::EAI_NONAME)
      }
    end

    it "resolves names, and reports unknown ones (private namespace)", netns: true do
      r = NetNs.ruby(<<~RUBY, hosts: "127.0.0.1 localhost\n::1 six\n")
        p IPSocket.getaddress("localhost"), IPSocket.getaddress("six")
        begin
          IPSocket.getaddress("nosuch.example")
        rescue SocketError => e
          p [e.class.ancestors.include?(SocketError), e.message]
        end
        begin
          IPSocket.getaddress("localhost\\n")
        rescue SocketError => e
          p e.message
        end
      RUBY
      expect(r.err).to eq("")
      expect(r.out.lines.map(&:chomp)).to eq(['"127.0.0.1"', '"::1"',
                                              '[true, "getaddrinfo: Temporary failure in name resolution"]',
                                              '"newline at the end of hostname"'])
    end
  end
end
