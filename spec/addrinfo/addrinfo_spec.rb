# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe Addrinfo do
  let(:sin) { "\x02\x00\x00P\x7F\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00".b }

  describe ".new" do
    it "takes a packed sockaddr, with optional family, type and protocol" do
      expect(Addrinfo.new(sin).inspect).to eq("#<Addrinfo: 127.0.0.1:80>")
      expect(Addrinfo.new(sin).pfamily).to eq(0)
      expect(Addrinfo.new(sin, :INET, :STREAM).inspect).to eq("#<Addrinfo: 127.0.0.1:80 TCP>")
      expect(Addrinfo.new(sin, :INET6, :STREAM).inspect).to eq("#<Addrinfo: 127.0.0.1:80 PF_INET6 TCP>")
      expect(Addrinfo.new(sin, :INET, 3, 1).inspect).to eq("#<Addrinfo: 127.0.0.1:80 SOCK_RAW IPPROTO_ICMP>")
      expect(Addrinfo.new(sin, nil, 3, 1).inspect).to eq("#<Addrinfo: 127.0.0.1:80 SOCK_RAW UNKNOWN_PROTOCOL(1)>")
      expect(Addrinfo.new(sin, nil, 99, 77).inspect).to eq("#<Addrinfo: 127.0.0.1:80 SOCK_???(99) UNKNOWN_PROTOCOL(77)>")
      expect(Addrinfo.new(sin, :UNIX).inspect).to eq("#<Addrinfo: 127.0.0.1:80 PF_UNIX>")
    end

    it "takes the array forms" do
      expect(Addrinfo.new(["AF_INET", 80, "localhost", "127.0.0.1"]).inspect).to eq("#<Addrinfo: 127.0.0.1:80 (localhost)>")
      expect(Addrinfo.new(["AF_INET6", 80, "localhost", "::1"], nil, :STREAM).inspect)
        .to eq("#<Addrinfo: [::1]:80 TCP (localhost)>")
      expect(Addrinfo.new(["INET", 80, "127.0.0.1", "127.0.0.1"]).inspect).to eq("#<Addrinfo: 127.0.0.1:80>")
      expect(Addrinfo.new(["AF_INET", 70000, "x", "127.0.0.1"]).inspect).to eq("#<Addrinfo: 127.0.0.1:4464 (x:70000)>")
      expect(Addrinfo.new(["AF_INET", 80, nil, "127.0.0.1"]).pfamily).to eq(Socket::AF_INET)
      expect(Addrinfo.new(["AF_UNIX", "/tmp/s"]).inspect).to eq("#<Addrinfo: /tmp/s SOCK_STREAM>")
    end

    it "keeps odd sockaddr strings and shows them as the stdlib does" do
      expect(Addrinfo.new("").inspect).to eq("#<Addrinfo: empty-sockaddr>")
      expect(Addrinfo.new("\x02").inspect).to eq("#<Addrinfo: too-short-sockaddr>")
      expect(Addrinfo.new("\x02\x00").inspect).to eq("#<Addrinfo: ?.?.?.?:? (2 bytes for 16 bytes sockaddr_in)>")
      expect(Addrinfo.new("\x02\x00\x00P\x7f\x00\x00\x01").inspect)
        .to eq("#<Addrinfo: 127.0.0.1:80 (8 bytes for 16 bytes sockaddr_in)>")
      expect(Addrinfo.new(sin + "\0" * 300).inspect).to eq("#<Addrinfo: 127.0.0.1:80 (316 bytes for 16 bytes sockaddr_in)>")
      expect(Addrinfo.new("c\x00abc").inspect).to eq("#<Addrinfo: unknown address family 99>")
      expect(Addrinfo.new("\x01\x00").inspect).to eq("#<Addrinfo: empty-path-AF_UNIX-sockaddr>")
      expect(Addrinfo.new("\x01\x00\x00abc").inspect).to eq("#<Addrinfo: UNIX:00:61:62:63>")
      expect(Addrinfo.new("c").afamily).to eq(0)
    end

    it "rejects bad arguments with the stdlib's errors" do
      expect { Addrinfo.new(1) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Addrinfo.new(nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { Addrinfo.new(sin, :FOO) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { Addrinfo.new(sin, nil, :FOO) }.to raise_error(SocketError, "unknown socket type: FOO")
      expect { Addrinfo.new(sin, nil, nil, :TCP) }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
      expect { Addrinfo.new(["AF_FOO", "/tmp/s"]) }.to raise_error(SocketError, "unknown address family: AF_FOO")
      expect { Addrinfo.new([:INET, 80, "x", "127.0.0.1"]) }
        .to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { Addrinfo.new([]) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { Addrinfo.new(["AF_INET", 80, "127.0.0.1"]) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { Addrinfo.new(["AF_INET", "http", "x", "127.0.0.1"]) }
        .to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Addrinfo.new(["AF_INET", nil, "x", "127.0.0.1"]) }
        .to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { Addrinfo.new(["AF_INET", 80, 5, "127.0.0.1"]) }
        .to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Addrinfo.new(["AF_INET", 80, "x", "localhost"]) }
        .to raise_error(SocketError, "getaddrinfo: Name or service not known")
      expect { Addrinfo.new(["AF_INET", 80, "x", "::1"]) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
      expect { Addrinfo.new(["AF_PACKET", 80, "x", "127.0.0.1"]) }.to raise_error(SocketError, "unexpected address family")
      expect { Addrinfo.new(["AF_UNIX", "x" * 200]) }
        .to raise_error(ArgumentError, "too long unix socket path (200 bytes given but 108 bytes max)")
    end

    it "refuses an uninitialized or already initialized object" do
      expect { Addrinfo.allocate.inspect }.to raise_error(TypeError, "uninitialized socket address")
      expect { Addrinfo.allocate.afamily }.to raise_error(TypeError, "uninitialized socket address")
      expect { Addrinfo.new(sin).send(:initialize, sin) }.to raise_error(TypeError, "already initialized socket address")
    end
  end

  describe ".tcp, .udp, .ip, .unix" do
    it "builds addresses from numeric hosts" do
      expect(Addrinfo.tcp("127.0.0.1", 80).inspect).to eq("#<Addrinfo: 127.0.0.1:80 TCP>")
      expect(Addrinfo.udp("::1", 53).inspect).to eq("#<Addrinfo: [::1]:53 UDP>")
      expect(Addrinfo.tcp("127.0.0.1", "80").inspect).to eq("#<Addrinfo: 127.0.0.1:80 TCP>")
      expect(Addrinfo.ip("127.0.0.1").inspect).to eq("#<Addrinfo: 127.0.0.1>")
      expect(Addrinfo.ip("::1").inspect).to eq("#<Addrinfo: ::1>")
      expect(Addrinfo.tcp("127.0.0.1", 80).canonname).to be_nil
    end

    it "resolves localhost from the hosts file" do
      expect(Addrinfo.tcp("localhost", 80).ip_address).to eq("127.0.0.1").or eq("::1")
      expect(Addrinfo.tcp("localhost", 80).inspect).to end_with(":80 TCP (localhost)>")
    end

    it "builds UNIX addresses" do
      expect(Addrinfo.unix("/tmp/s").inspect).to eq("#<Addrinfo: /tmp/s SOCK_STREAM>")
      expect(Addrinfo.unix("/tmp/s", :DGRAM).inspect).to eq("#<Addrinfo: /tmp/s SOCK_DGRAM>")
      expect(Addrinfo.unix("/x", nil).socktype).to eq(Socket::SOCK_STREAM)
      expect(Addrinfo.unix("\0abs").inspect).to eq("#<Addrinfo: UNIX:00:61:62:73 SOCK_STREAM>")
      expect(Addrinfo.unix("rel").inspect).to eq("#<Addrinfo: UNIX rel SOCK_STREAM>")
      expect(Addrinfo.unix("").inspect).to eq("#<Addrinfo: empty-path-AF_UNIX-sockaddr SOCK_STREAM>")
      expect(Addrinfo.unix("x" * 108).unix_path).to eq("x" * 108)
      expect(Addrinfo.unix("/tmp/s").to_sockaddr.bytesize).to eq(110)
    end

    it "rejects bad UNIX arguments" do
      expect { Addrinfo.unix("x" * 109) }
        .to raise_error(ArgumentError, "too long unix socket path (109 bytes given but 108 bytes max)")
      expect { Addrinfo.unix(:sym) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { Addrinfo.unix("/tmp/s", :FOO) }.to raise_error(SocketError, "unknown socket type: FOO")
    end
  end

  describe ".getaddrinfo" do
    def inspects(*args, **kw)
      Addrinfo.getaddrinfo(*args, **kw).map(&:inspect)
    end

    it "answers numeric hosts as the stdlib does" do
      expect(inspects("127.0.0.1", 80))
        .to eq(["#<Addrinfo: 127.0.0.1:80 TCP>", "#<Addrinfo: 127.0.0.1:80 UDP>", "#<Addrinfo: 127.0.0.1:80 SOCK_RAW>"])
      expect(inspects("127.0.0.1", 80, nil, :STREAM, nil, Socket::AI_CANONNAME)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP>"])
      expect(inspects("127.0.0.1", nil, nil, :RAW)).to eq(["#<Addrinfo: 127.0.0.1 SOCK_RAW>"])
      expect(inspects("127.0.0.1", 80, nil, nil, 6))
        .to eq(["#<Addrinfo: 127.0.0.1:80 TCP>", "#<Addrinfo: 127.0.0.1:80 SOCK_RAW IPPROTO_TCP>"])
      expect(inspects("127.0.0.1", 80, nil, nil, 132)).to eq(["#<Addrinfo: 127.0.0.1:80 SOCK_RAW UNKNOWN_PROTOCOL(132)>"])
      expect(inspects("127.0.0.1", 80, nil, :RAW, 1)).to eq(["#<Addrinfo: 127.0.0.1:80 SOCK_RAW IPPROTO_ICMP>"])
      expect(inspects("127.0.0.1", 80, :INET6, :STREAM, nil, Socket::AI_V4MAPPED))
        .to eq(["#<Addrinfo: [::ffff:127.0.0.1]:80 TCP (127.0.0.1)>"])
      expect(inspects("fe80::1%lo", 80, nil, :STREAM)).to eq(["#<Addrinfo: [fe80::1%lo]:80 TCP>"])
    end

    it "converts hosts and ports as the stdlib does" do
      expect(inspects("127.1", 80, nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP (127.1)>"])
      expect(inspects(2130706433, 80, nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP>"])
      expect(inspects(-5, 80, nil, :STREAM)).to eq(["#<Addrinfo: 255.255.255.251:80 TCP>"])
      expect(inspects("<any>", 80, nil, :STREAM)).to eq(["#<Addrinfo: 0.0.0.0:80 TCP (<any>)>"])
      expect(inspects("<broadcast>", 80, nil, :STREAM)).to eq(["#<Addrinfo: 255.255.255.255:80 TCP (<broadcast>)>"])
      expect(inspects("", nil, nil, :STREAM)).to eq(["#<Addrinfo: 0.0.0.0 TCP ()>"])
      expect(inspects("127.0.0.1", "", nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1 TCP (:)>"])
      expect(inspects("127.0.0.1", "+80", nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP (:+80)>"])
      expect(inspects("127.0.0.1", 70000, nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1:4464 TCP (:70000)>"])
      expect(inspects("127.0.0.1", "http", nil, :STREAM)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP (:http)>"])
      expect(inspects(nil, 80, nil, :STREAM, nil, Socket::AI_PASSIVE).first).to eq("#<Addrinfo: 0.0.0.0:80 TCP>")
    end

    it "raises the stdlib's errors for bad arguments" do
      expect { Addrinfo.getaddrinfo("1" * 1100, 80) }.to raise_error(ArgumentError, "hostname too long (1100)")
      expect { Addrinfo.getaddrinfo("127.0.0.1", "1" * 40) }.to raise_error(ArgumentError, "service name too long (40)")
      expect { Addrinfo.getaddrinfo(:foo, 80) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { Addrinfo.getaddrinfo("127.0.0.1\0", 80) }.to raise_error(ArgumentError, "string contains null byte")
      expect { Addrinfo.getaddrinfo("127.0.0.1", 2**70) }
        .to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Addrinfo.getaddrinfo(2**40, 80) }
        .to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("unsigned int")}")
      expect { Addrinfo.getaddrinfo("127.0.0.1", 2**32 + 80, nil, :STREAM) }
        .to raise_error(RangeError, "integer 4294967376 too big to convert to #{PerRuby.quote("int")}")
      expect { Addrinfo.getaddrinfo("127.0.0.1") }.to raise_error(ArgumentError)
      expect { Addrinfo.getaddrinfo("127.0.0.1", 80, nil, :STREAM, foo: 1) }
        .to raise_error(ArgumentError, "unknown keyword: :foo")
    end

    it "raises SocketError with getaddrinfo's message when resolution fails" do
      expect { Addrinfo.getaddrinfo("127.0.0.1", -1) }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { Addrinfo.getaddrinfo("127.0.0.1", 2**31, nil, :STREAM) }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { Addrinfo.getaddrinfo("127.0.0.1", 80, nil, :DGRAM, 6) }
        .to raise_error(SocketError, "getaddrinfo: ai_socktype not supported")
      expect { Addrinfo.getaddrinfo("127.0.0.1", 80, :UNIX) }.to raise_error(SocketError, "getaddrinfo: ai_family not supported")
      expect { Addrinfo.getaddrinfo("<any>", 80, :INET6, :STREAM) }
        .to raise_error(SocketError, "getaddrinfo: Address family for hostname not supported")
      expect { Addrinfo.getaddrinfo("[::1]", 80) }.to raise_error(SocketError, "getaddrinfo: Name or service not known")
      expect { Addrinfo.getaddrinfo("localhost\n", 80) }.to raise_error(SocketError, "newline at the end of hostname")
    end

    it "raises Socket::ResolutionError carrying the EAI code", added_in: "3.3" do
      expect { Addrinfo.getaddrinfo("[::1]", 80) }.to raise_error(Socket::ResolutionError) { |e|
        expect(e.error_code).to eq(Socket::EAI_NONAME)
      }
      expect(Socket::ResolutionError.superclass).to eq(SocketError)
    end

    it "takes timeout:, unused for numeric hosts" do
      expect(inspects("127.0.0.1", 80, nil, :STREAM, timeout: 1)).to eq(["#<Addrinfo: 127.0.0.1:80 TCP>"])
    end

    it ".foreach yields each answer" do
      seen = []
      Addrinfo.foreach("127.0.0.1", 80, nil, :STREAM) { |ai| seen << ai.inspect }
      expect(seen).to eq(["#<Addrinfo: 127.0.0.1:80 TCP>"])
    end
  end

  describe "accessors" do
    let(:tcp) { Addrinfo.tcp("127.0.0.1", 80) }

    it "returns the parts" do
      expect([tcp.afamily, tcp.pfamily, tcp.socktype, tcp.protocol])
        .to eq([Socket::AF_INET, Socket::PF_INET, Socket::SOCK_STREAM, Socket::IPPROTO_TCP])
      expect(tcp.to_sockaddr).to eq(sin)
      expect(tcp.to_s).to eq(sin)
      expect(tcp.to_sockaddr.encoding).to eq(Encoding::BINARY)
      expect(tcp.ip_unpack).to eq(["127.0.0.1", 80])
      expect(tcp.ip_address).to eq("127.0.0.1")
      expect(tcp.ip_port).to eq(80)
      expect([tcp.ip?, tcp.ipv4?, tcp.ipv6?, tcp.unix?]).to eq([true, true, false, false])
      expect(tcp.inspect_sockaddr).to eq("127.0.0.1:80")
      expect(Addrinfo.unix("/tmp/s").unix_path).to eq("/tmp/s")
    end

    it "compares by identity only" do
      expect(Addrinfo.tcp("127.0.0.1", 80) == Addrinfo.tcp("127.0.0.1", 80)).to be(false)
      expect(tcp == tcp).to be(true)
      expect(tcp.eql?(tcp)).to be(true)
    end

    it "refuses the wrong kind of address" do
      expect { Addrinfo.unix("/tmp/s").ip_unpack }.to raise_error(SocketError, "need IPv4 or IPv6 address")
      expect { Addrinfo.unix("/tmp/s").ip_address }.to raise_error(SocketError, "need IPv4 or IPv6 address")
      expect { Addrinfo.unix("/tmp/s").ip_port }.to raise_error(SocketError, "need IPv4 or IPv6 address")
      expect { tcp.unix_path }.to raise_error(SocketError, "need AF_UNIX address")
      expect { Addrinfo.new("\x02\x00").ip_address }.to raise_error(SocketError, "getnameinfo: ai_family not supported")
      expect { Addrinfo.new("\x02\x00").ip_port }.to raise_error(SocketError, "unexpected sockaddr size for IPv4")
      expect { Addrinfo.new("\x0a\x00\x00P" + "\0" * 20).ip_port }
        .to raise_error(SocketError, "unexpected sockaddr size for IPv6")
      expect { Addrinfo.new("\x01\x00" + "a" * 200).unix_path }
        .to raise_error(SocketError, "too long AF_UNIX path (200 bytes given but 108 bytes max)")
    end

    it "reads UNIX paths as the stdlib does" do
      expect(Addrinfo.new("\x01\x00\x00abc").unix_path).to eq("\0abc")
      expect(Addrinfo.new("\x01\x00").unix_path).to eq("")
      expect(Addrinfo.new("\x01\x00/tmp/x\0\0yy").unix_path).to eq("/tmp/x\0\0yy")
    end

    it "getnameinfo gives numeric and named answers" do
      expect(tcp.getnameinfo(Socket::NI_NUMERICHOST | Socket::NI_NUMERICSERV)).to eq(["127.0.0.1", "80"])
      expect(tcp.getnameinfo[1]).to eq("http")
      expect { Addrinfo.new("\x02\x00").getnameinfo }.to raise_error(SocketError, "getnameinfo: ai_family not supported")
    end
  end

  describe "address predicates" do
    v6 = %i[ipv6_unspecified? ipv6_loopback? ipv6_multicast? ipv6_linklocal? ipv6_sitelocal? ipv6_unique_local?
            ipv6_v4mapped? ipv6_v4compat? ipv6_mc_nodelocal? ipv6_mc_linklocal? ipv6_mc_sitelocal?
            ipv6_mc_orglocal? ipv6_mc_global?]
    {
      "::" => [:ipv6_unspecified?], "::1" => [:ipv6_loopback?],
      "ff01::1" => %i[ipv6_multicast? ipv6_mc_nodelocal?], "ff02::1" => %i[ipv6_multicast? ipv6_mc_linklocal?],
      "ff05::1" => %i[ipv6_multicast? ipv6_mc_sitelocal?], "ff08::1" => %i[ipv6_multicast? ipv6_mc_orglocal?],
      "ff0e::1" => %i[ipv6_multicast? ipv6_mc_global?], "fe80::1" => [:ipv6_linklocal?],
      "fec0::1" => [:ipv6_sitelocal?], "fc00::1" => [:ipv6_unique_local?], "fd00::1" => [:ipv6_unique_local?],
      "::ffff:1.2.3.4" => [:ipv6_v4mapped?], "::1.2.3.4" => [:ipv6_v4compat?], "2001:db8::1" => []
    }.each do |host, truths|
      it "#{host} is #{truths.empty? ? "nothing special" : truths.join(", ")}" do
        ai = Addrinfo.ip(host)
        expect(v6.select { |m| ai.send(m) }).to eq(truths)
        expect([ai.ipv4_private?, ai.ipv4_loopback?, ai.ipv4_multicast?]).to eq([false, false, false])
      end
    end

    it "classifies IPv4 addresses" do
      table = %w[10.0.0.1 172.16.0.1 172.32.0.1 192.168.1.1 127.0.0.1 224.0.0.1 8.8.8.8].map do |h|
        ai = Addrinfo.ip(h)
        [h, ai.ipv4_private?, ai.ipv4_loopback?, ai.ipv4_multicast?, ai.ipv6_loopback?]
      end
      expect(table).to eq([
        ["10.0.0.1", true, false, false, false], ["172.16.0.1", true, false, false, false],
        ["172.32.0.1", false, false, false, false], ["192.168.1.1", true, false, false, false],
        ["127.0.0.1", false, true, false, false], ["224.0.0.1", false, false, true, false],
        ["8.8.8.8", false, false, false, false]
      ])
      expect(Addrinfo.unix("/x").ipv4_private?).to be(false)
    end

    it "ipv6_to_ipv4 unwraps mapped and compatible addresses, dropping the port" do
      expect(Addrinfo.tcp("::ffff:1.2.3.4", 80).ipv6_to_ipv4.inspect).to eq("#<Addrinfo: 1.2.3.4 TCP>")
      expect(Addrinfo.tcp("::1.2.3.4", 80).ipv6_to_ipv4.inspect).to eq("#<Addrinfo: 1.2.3.4 TCP>")
      expect(Addrinfo.tcp("::1", 80).ipv6_to_ipv4).to be_nil
      expect(Addrinfo.tcp("::", 80).ipv6_to_ipv4).to be_nil
      expect(Addrinfo.tcp("127.0.0.1", 80).ipv6_to_ipv4).to be_nil
    end
  end

  describe "inspect" do
    it "shows the canonical name and the name asked for" do
      ai = Addrinfo.getaddrinfo("localhost", 80, :INET, :STREAM, nil, Socket::AI_CANONNAME)[0]
      expect(ai.inspect).to eq("#<Addrinfo: 127.0.0.1:80 TCP localhost (localhost)>")
      expect(ai.canonname).to eq("localhost")
    end
  end

  describe "Marshal" do
    it "dumps the stdlib's array" do
      expect(Addrinfo.tcp("127.0.0.1", 80).marshal_dump)
        .to eq(["AF_INET", ["127.0.0.1", "80"], "PF_INET", "SOCK_STREAM", "IPPROTO_TCP", nil, nil])
      expect(Addrinfo.unix("/tmp/s").marshal_dump).to eq(["AF_UNIX", "/tmp/s", "PF_UNIX", "SOCK_STREAM", 0, nil, nil])
      expect(Addrinfo.ip("127.0.0.1").marshal_dump).to eq(["AF_INET", ["127.0.0.1", "0"], "PF_INET", 0, 0, nil, nil])
      expect(Addrinfo.new(sin).marshal_dump).to eq(["AF_INET", ["127.0.0.1", "80"], "PF_UNSPEC", 0, 0, nil, nil])
    end

    it "dumps byte-identical Marshal data" do
      expect(Marshal.dump(Addrinfo.tcp("127.0.0.1", 80))).to eq(
        "\x04\bU:\rAddrinfo[\fI\"\fAF_INET\x06:\x06EF[\a\"\x0E127.0.0.1\"\a80I\"\fPF_INET\x06;\x06FI" \
        "\"\x10SOCK_STREAM\x06;\x06FI\"\x10IPPROTO_TCP\x06;\x06F00".b
      )
    end

    it "round-trips" do
      [Addrinfo.tcp("127.0.0.1", 80), Addrinfo.udp("::1", 53), Addrinfo.tcp("fe80::1%lo", 80), Addrinfo.unix("/tmp/s"),
       Addrinfo.getaddrinfo("localhost", 80, :INET, :STREAM, nil, Socket::AI_CANONNAME)[0]].each do |ai|
        back = Marshal.load(Marshal.dump(ai))
        expect(back.inspect).to eq(ai.inspect)
        expect(back.to_sockaddr).to eq(ai.to_sockaddr)
        expect(back.canonname).to eq(ai.canonname)
      end
    end

    it "refuses what it cannot dump" do
      expect { Addrinfo.new(sin, nil, 3, 77).marshal_dump }.to raise_error(SocketError, "unknown IP protocol: 77")
      expect { Addrinfo.new(sin, 99, 3, 1).marshal_dump }.to raise_error(SocketError, "unknown protocol family: 99")
      expect { Addrinfo.new("c\x00abc", nil, 99, 77).marshal_dump }.to raise_error(SocketError, "unknown socktype: 99")
      expect { Addrinfo.new("c\x00abc", 2, 1).marshal_dump }.to raise_error(SocketError, "unknown address family: 99")
      expect { Addrinfo.new("\x01\x00\x00abc", 2, 1, 6).marshal_dump }.to raise_error(SocketError, "unknown protocol: 6")
      expect { Addrinfo.new("", nil, 0, 0).marshal_dump }.to raise_error(SocketError, "getnameinfo: ai_family not supported")
    end

    it "refuses bad data to load" do
      load = ->(data) { Addrinfo.allocate.marshal_load(data) }
      good = ["AF_INET", ["127.0.0.1", "80"], "PF_INET", "SOCK_STREAM", "IPPROTO_TCP", nil, nil]
      expect { load.call(1) }.to raise_error(TypeError, "no implicit conversion of Integer into Array")
      expect { load.call([]) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { load.call([:AF_INET] + good[1..]) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { load.call(good.dup.tap { |g| g[2] = "PF_XX" }) }.to raise_error(TypeError, "unexpected protocol family")
      expect { load.call(good.dup.tap { |g| g[3] = "SOCK_XX" }) }.to raise_error(TypeError, "unexpected socktype")
      expect { load.call(good.dup.tap { |g| g[4] = "IPPROTO_XX" }) }.to raise_error(TypeError, "unexpected protocol")
      expect { load.call(good.dup.tap { |g| g[4] = "0" }) }.to raise_error(TypeError, "unexpected protocol")
      expect { load.call(good.dup.tap { |g| g[1] = "127.0.0.1" }) }
        .to raise_error(TypeError, "no implicit conversion of String into Array")
      expect { load.call(good.dup.tap { |g| g[1] = %w[localhost http] }) }
        .to raise_error(SocketError, "getaddrinfo: Name or service not known")
      expect { Addrinfo.tcp("127.0.0.1", 80).marshal_load(good) }
        .to raise_error(TypeError, "already initialized socket address")
    end

    it "loads the short names too" do
      ai = Addrinfo.allocate
      ai.marshal_load(["INET", ["127.0.0.1", 80], "INET", "STREAM", "TCP", "cn", "in"])
      expect(ai.inspect).to eq("#<Addrinfo: 127.0.0.1:80 TCP cn (in)>")
    end
  end

  describe "#family_addrinfo" do
    it "builds an address of the same kind" do
      expect(Addrinfo.tcp("127.0.0.1", 80).family_addrinfo("127.0.0.1", 81).inspect).to eq("#<Addrinfo: 127.0.0.1:81 TCP>")
      expect(Addrinfo.unix("/x", :DGRAM).family_addrinfo("/y").inspect).to eq("#<Addrinfo: /y SOCK_STREAM>")
    end

    it "raises the stdlib's errors" do
      tcp = Addrinfo.tcp("127.0.0.1", 80)
      expect { tcp.family_addrinfo }.to raise_error(ArgumentError, "no address specified")
      expect { tcp.family_addrinfo(1) }
        .to raise_error(ArgumentError, "IP address needs host and port but 1 arguments given")
      expect { Addrinfo.unix("/x").family_addrinfo(1, 2) }
        .to raise_error(ArgumentError, "UNIX socket needs single path argument but 2 arguments given")
      expect { Addrinfo.new("c\x00abc").family_addrinfo(1, 2) }.to raise_error(ArgumentError, "unexpected family")
      expect { tcp.family_addrinfo(Addrinfo.udp("127.0.0.1", 80)) }.to raise_error(ArgumentError, "Addrinfo type mismatch")
      expect { tcp.family_addrinfo(Addrinfo.tcp("127.0.0.1", 81), 2) }.to raise_error(ArgumentError, "too many arguments")
    end
  end
end
