# frozen_string_literal: true

require_relative "../spec_helper"

# Edges the differential fuzzer (bench/fuzz) found, pinned down as the stdlib behaves.
RSpec.describe "Addrinfo and friends on odd arguments" do
  let(:v6) { Socket.sockaddr_in(80, "::1") }

  describe "Addrinfo.new with a protocol but no socket type" do
    protocols = Socket.constants.grep(/\AIPPROTO_/).map { |n| Socket.const_get(n) }.uniq
    refused = protocols - [0, Socket::IPPROTO_UDP]

    it "raises ai_socktype not supported for every IPPROTO_ but UDP's (it asks for SOCK_DGRAM)" do
      [["AF_INET", "127.0.0.1"], ["AF_INET6", "::1"]].each do |family, host|
        [0, 80].each do |port|
          refused.each do |protocol|
            expect { Addrinfo.new([family, port, host, host], nil, nil, protocol) }
              .to raise_error(SocketError, "getaddrinfo: ai_socktype not supported")
            expect { Addrinfo.new([family, port, host, host], nil, 0, protocol) }
              .to raise_error(SocketError, "getaddrinfo: ai_socktype not supported")
          end
        end
      end
    end

    it "keeps socket type 0 where the protocol is UDP's or none" do
      ai = Addrinfo.new(["AF_INET", 0, "127.0.0.1", "127.0.0.1"], nil, nil, Socket::IPPROTO_UDP)
      expect([ai.socktype, ai.protocol, ai.inspect]).to eq([0, Socket::IPPROTO_UDP, "#<Addrinfo: 127.0.0.1 IPPROTO_UDP>"])
      expect(Addrinfo.new(["AF_INET6", 80, nil, "::1"], nil, nil, 0).inspect).to eq("#<Addrinfo: [::1]:80>")
    end

    it "takes any protocol with a socket type that allows it" do
      expect(Addrinfo.new(["AF_INET", 80, nil, "1.2.3.4"], nil, :RAW, Socket::IPPROTO_TCP).inspect)
        .to eq("#<Addrinfo: 1.2.3.4:80 SOCK_RAW IPPROTO_TCP>")
      expect { Addrinfo.new(["AF_INET", 80, nil, "1.2.3.4"], nil, :DGRAM, Socket::IPPROTO_TCP) }
        .to raise_error(SocketError, "getaddrinfo: ai_socktype not supported")
    end

    it "names the host in inspect unless it is the numeric address given or found" do
      expect(Addrinfo.new(["AF_INET", 80, "127.0.0.01", "127.0.0.01"]).inspect).to eq("#<Addrinfo: 127.0.0.1:80>")
      expect(Addrinfo.new(["AF_INET", 80, "127.0.0.1", "127.0.0.01"]).inspect).to eq("#<Addrinfo: 127.0.0.1:80>")
      expect(Addrinfo.new(["AF_INET", 80, "127.0.0.01", "127.0.0.1"]).inspect).to eq("#<Addrinfo: 127.0.0.1:80 (127.0.0.01)>")
      expect(Addrinfo.new(["AF_INET6", 80, "::ffff:127.0.0.1", "::ffff:127.0.0.1"], :INET).inspect)
        .to eq("#<Addrinfo: 127.0.0.1:80>")
    end

    it "converts the port with NUM2INT" do
      expect(Addrinfo.new(["AF_INET6", 1.5, nil, "::1"]).inspect).to eq("#<Addrinfo: [::1]:1>")
      expect(Addrinfo.new(["AF_INET6", Rational(1, 2), nil, "::1"]).inspect).to eq("#<Addrinfo: ::1>")
    end

    it "makes every [\"AF_UNIX\", path] a stream address, whatever type and protocol are given" do
      ai = Addrinfo.new(["AF_UNIX", "x"], :INET6, :DGRAM, 6)
      expect([ai.pfamily, ai.socktype, ai.protocol]).to eq([Socket::PF_UNIX, Socket::SOCK_STREAM, 0])
      expect { Addrinfo.new(["AF_UNIX", "x"], :INET, :BOGUS) }.to raise_error(SocketError, "unknown socket type: BOGUS")
    end
  end

  describe "short and long sockaddrs" do
    it "inspects an over-long AF_INET6 sockaddr as the stdlib does" do
      expect(Addrinfo.new(v6 + "abc").inspect_sockaddr).to eq("[::1]:80(sockaddr 3 bytes too long)")
      expect(Addrinfo.new(v6 + "\0").inspect).to eq("#<Addrinfo: [::1]:80(sockaddr 1 bytes too long)>")
    end

    it "shows a short AF_INET sockaddr's port only once the bytes go past it" do
      expect(Addrinfo.new("\x02\x00\x00P".b).inspect_sockaddr).to eq("?.?.?.?:? (4 bytes for 16 bytes sockaddr_in)")
      expect(Addrinfo.new("\x02\x00\x00P\x7f".b).inspect_sockaddr).to eq("127.?.?.?:80 (5 bytes for 16 bytes sockaddr_in)")
    end

    it "names families it cannot show" do
      expect(Addrinfo.new([3].pack("S") + "abcdefgh").inspect_sockaddr).to eq("AF_AX25 address format unknown")
      expect(Addrinfo.new([16].pack("S") + "abcdefgh").inspect_sockaddr).to eq("AF_ROUTE address format unknown")
      expect(Addrinfo.new([99].pack("S") + "abcdefgh").inspect_sockaddr).to eq("unknown address family 99")
    end

    it "reads a short IP sockaddr's missing bytes as zeros in the predicates" do
      expect(Addrinfo.new("\x02\x00\x11\x80\x7f".b).ipv4_loopback?).to be(true)
      expect(Addrinfo.new("\n\x00\x11\x80\x00\x00\x00\x00".b).ipv6_unspecified?).to be(true)
      short_mapped = "\n\x00\x11\x80".b + "\0" * 18 + "\xff\xff\x01".b
      expect(Addrinfo.new(short_mapped).ipv6_to_ipv4.inspect).to eq("#<Addrinfo: 0.0.255.255>")
    end
  end

  describe "other details" do
    it "names a subclass in #inspect" do
      sub = Class.new(Addrinfo)
      stub_const("FuzzAddrinfo", sub)
      expect(sub.new(Socket.sockaddr_in(80, "127.0.0.1")).inspect).to eq("#<FuzzAddrinfo: 127.0.0.1:80>")
    end

    it "reads Addrinfo.unix's socket type before its path" do
      expect { Addrinfo.unix(1, "BOGUS") }.to raise_error(SocketError, "unknown socket type: BOGUS")
    end

    it "reads an uninitialized AncillaryData's level first" do
      nil_int = /\Ano implicit conversion (from nil to integer|of nil into Integer)\z/
      %i[ip_pktinfo ipv6_pktinfo ipv6_pktinfo_addr ipv6_pktinfo_ifindex].each do |reader|
        expect { Socket::AncillaryData.allocate.public_send(reader) }.to raise_error(TypeError, nil_int)
      end
    end
  end

  describe "#ipv6_to_ipv4" do
    it "carries the canonname and inspect name over, not the port" do
      ai = Addrinfo.allocate.marshal_load(["AF_INET6", ["::ffff:1.2.3.4", "80"], "PF_INET6", "SOCK_STREAM", "IPPROTO_TCP",
                                           "canon", "name"])
      v4 = ai.ipv6_to_ipv4
      expect([v4.inspect, v4.canonname]).to eq(["#<Addrinfo: 1.2.3.4 TCP canon (name)>", "canon"])
      expect(Addrinfo.tcp("::ffff:127.0.0.1", "ssh").ipv6_to_ipv4.inspect).to eq("#<Addrinfo: 127.0.0.1 TCP (:ssh)>")
    end
  end

  describe "#getnameinfo" do
    it "looks a datagram address's port up as a UDP service" do
      expect(Addrinfo.tcp("127.0.0.1", 80).getnameinfo(Socket::NI_NUMERICHOST)).to eq(["127.0.0.1", "http"])
      expect(Addrinfo.udp("127.0.0.1", 80).getnameinfo(Socket::NI_NUMERICHOST)).to eq(["127.0.0.1", "80"])
      expect(Addrinfo.udp("127.0.0.1", 53).getnameinfo(Socket::NI_NUMERICHOST)).to eq(["127.0.0.1", "domain"])
    end
  end

  describe "Marshal" do
    it "loads every AF_UNIX Addrinfo with a full-size sockaddr_un" do
      ["/tmp/sock", "\0abstract", ""].each do |path|
        loaded = Marshal.load(Marshal.dump(Addrinfo.unix(path)))
        expect(loaded.to_sockaddr.bytesize).to eq(110)
        expect(loaded.to_sockaddr).to eq(([1].pack("S") + path).ljust(110, "\0").b)
      end
    end

    it "refuses a too long AF_UNIX path with SocketError" do
      long = Addrinfo.new("\x01\x00".b + "a" * 115)
      expect { Marshal.load(Marshal.dump(long)) }
        .to raise_error(SocketError, "too long AF_UNIX path (115 bytes given but 108 bytes max)")
    end

    it "returns self from marshal_load and keeps the names' Strings as given" do
      name = +"cañon"
      ai = Addrinfo.allocate
      expect(ai.marshal_load(["AF_INET", ["1.2.3.4", "80"], "PF_INET", "SOCK_STREAM", "IPPROTO_TCP", name, nil]))
        .to be(ai)
      expect(ai.canonname).to be(name)
      expect(ai.canonname.encoding).to eq(Encoding::UTF_8)
    end

    it "asks for SOCK_DGRAM only for a numeric port" do
      dump = ->(port) { ["AF_INET", ["1.2.3.4", port], "PF_INET", 0, "IPPROTO_TCP", nil, nil] }
      expect { Addrinfo.allocate.marshal_load(dump.call("80")) }
        .to raise_error(SocketError, "getaddrinfo: ai_socktype not supported")
      expect(Addrinfo.allocate.marshal_load(dump.call(nil)).inspect).to eq("#<Addrinfo: 1.2.3.4 IPPROTO_TCP>")
    end

    it "wants a String for a protocol, for any family" do
      unix = ["AF_UNIX", "x", "PF_UNIX", "SOCK_STREAM", 5, nil, nil]
      expect { Addrinfo.allocate.marshal_load(unix) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      unix[4] = "IPPROTO_TCP"
      expect { Addrinfo.allocate.marshal_load(unix) }.to raise_error(TypeError, "unexpected protocol")
    end

    it "inspects the names as C strings" do
      load = ->(canon, name) { Addrinfo.allocate.marshal_load(["AF_INET", ["1.2.3.4", "80"], "PF_INET", "SOCK_STREAM", "IPPROTO_TCP", canon, name]) }
      expect { load.call("ab\0cd", nil).inspect }.to raise_error(ArgumentError, "string contains null byte")
      expect(load.call("ab".encode("UTF-16LE"), "ef".encode("UTF-16LE")).inspect).to eq("#<Addrinfo: 1.2.3.4:80 TCP a (e)>")
      expect(Addrinfo.udp("127.0.0.01", "8".encode("UTF-16LE")).inspect).to eq("#<Addrinfo: 127.0.0.1:8 UDP (127.0.0.01)>")
    end

    it "dumps the inspect name frozen, in its host's encoding" do
      name = Addrinfo.new(["AF_INET", 80, "foo".encode("ISO-8859-1"), "127.0.0.1"]).marshal_dump.last
      expect([name, name.encoding, name.frozen?]).to eq(["foo", Encoding::ISO_8859_1, true])
      service = Addrinfo.tcp("127.0.0.1", "http").marshal_dump.last
      expect([service, service.encoding, service.frozen?]).to eq([":http", Encoding::BINARY, true])
    end
  end

  describe "Socket::Option#inspect" do
    it "prints IPV6_MULTICAST_LOOP unsigned, the other int options signed" do
      minus_one = [-1].pack("i")
      expect(Socket::Option.new(:INET6, :IPV6, :MULTICAST_LOOP, minus_one).inspect)
        .to eq("#<Socket::Option: INET6 IPV6 MULTICAST_LOOP 4294967295>")
      expect(Socket::Option.new(:INET6, :IPV6, :UNICAST_HOPS, minus_one).inspect)
        .to eq("#<Socket::Option: INET6 IPV6 UNICAST_HOPS -1>")
      expect(Socket::Option.new(:INET, :SOCKET, :SNDBUF, minus_one).inspect)
        .to eq("#<Socket::Option: INET SOCKET SNDBUF -1>")
    end

    it "takes anything with to_int as linger's onoff number" do
      expect(Socket::Option.linger(Rational(1, 2), 5).data).to eq([0, 5].pack("i2"))
      expect(Socket::Option.linger(Object.new, 5).data).to eq([1, 5].pack("i2"))
      expect { Socket::Option.linger(Float::NAN, 5) }.to raise_error(FloatDomainError)
    end
  end

  describe "Socket::AncillaryData#inspect" do
    it "prints SCM_CREDENTIALS' pid unsigned, as uid and gid" do
      expect(Socket::AncillaryData.new(:UNIX, :SOCKET, :CREDENTIALS, [-2, -1, 1].pack("iII")).inspect)
        .to eq("#<Socket::AncillaryData: UNIX SOCKET CREDENTIALS pid=4294967294 uid=4294967295 gid=1 (ucred)>")
    end
  end

  describe "Socket::AncillaryData pktinfo constructors" do
    it "convert every argument before checking the addresses" do
      nil_int = /\Ano implicit conversion (from nil to integer|of nil into Integer)\z/ # the wording is Ruby's own
      expect { Socket::AncillaryData.ip_pktinfo("x", nil) }.to raise_error(TypeError, nil_int)
      expect { Socket::AncillaryData.ip_pktinfo("x", 1, 5) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Socket::AncillaryData.ipv6_pktinfo("x", nil) }.to raise_error(TypeError, nil_int)
      expect { Socket::AncillaryData.ipv6_pktinfo(nil, 1) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { Socket::AncillaryData.ipv6_pktinfo("x", 1) }.to raise_error(ArgumentError, "addr size different to AF_INET6 sockaddr")
    end

    it "spell spec_dst two ways, as the stdlib does" do
      addr = Socket.sockaddr_in(0, "127.0.0.1")
      expect { Socket::AncillaryData.ip_pktinfo(addr, 1, "x") }
        .to raise_error(ArgumentError, "spec_dat size different to AF_INET sockaddr")
      expect { Socket::AncillaryData.ip_pktinfo(addr, 1, "\x11\x00".b + addr[2..]) }
        .to raise_error(ArgumentError, "spec_dst is not AF_INET sockaddr")
    end
  end

  describe "Socket.sockaddr_in with a scope" do
    it "takes an interface name only for link-local addresses" do
      expect(Socket.sockaddr_in(80, "fe80::1%lo")).to eq(Socket.sockaddr_in(80, "fe80::1%1"))
      expect(Socket.sockaddr_in(80, "ff02::1%lo")).to eq(Socket.sockaddr_in(80, "ff02::1%1"))
      expect(Socket.unpack_sockaddr_in(Socket.sockaddr_in(80, "::1%1"))).to eq([80, "::1%1"])
    end

    # Not numeric, so getaddrinfo looks the text up as a name: only in a private namespace.
    it "looks any other scope text up as a name, which fails", netns: true do
      r = NetNs.ruby(<<~RUBY)
        %w[::1%lo ff05::1%lo fe80::1%4294967296].each do |host|
          Socket.sockaddr_in(80, host)
          puts "\#{host}: packed"
        rescue SocketError => e
          puts "\#{host}: \#{e.message}"
        end
      RUBY
      expect(r.out.lines.map(&:chomp)).to eq(%w[::1%lo ff05::1%lo fe80::1%4294967296].map do |host|
        "#{host}: getaddrinfo: Name or service not known"
      end)
    end
  end
end
