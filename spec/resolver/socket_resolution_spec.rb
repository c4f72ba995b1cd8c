# frozen_string_literal: true

require_relative "../spec_helper"

# Socket's resolution class methods with numeric hosts and the services
# database only: nothing here asks a name server. Lookups of names, reverse
# lookups and failures are in namespace_spec.rb, behind a private /etc/hosts.
RSpec.describe "Socket name resolution" do
  describe ".getaddrinfo" do
    it "shows the canonical name AI_CANONNAME gives in the entry that carries it" do
      rows = Socket.getaddrinfo("localhost", 80, :INET, :STREAM, nil, Socket::AI_CANONNAME, :numeric)
      expect(rows.first[2]).to eq("localhost")
      expect(rows.first[3]).to eq("127.0.0.1")
      expect(Socket.getaddrinfo("127.0.0.1", 80, :INET, :STREAM, nil, Socket::AI_CANONNAME, :numeric).first[2])
        .to eq("127.0.0.1")
    end

    it "returns the stdlib's rows: family name, port, host, address, family, type, protocol" do
      expect(Socket.getaddrinfo("127.0.0.1", 80)).to eq(
        [["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 1, 6],
         ["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 2, 17],
         ["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 3, 0]]
      )
      expect(Socket.getaddrinfo("::1", "80", :INET6, :STREAM)).to eq([["AF_INET6", 80, "::1", "::1", 10, 1, 6]])
      expect(Socket.getaddrinfo("127.0.0.1", nil, nil, :DGRAM)).to eq([["AF_INET", 0, "127.0.0.1", "127.0.0.1", 2, 2, 17]])
    end

    it "gives US-ASCII family names and binary addresses" do
      row = Socket.getaddrinfo("127.0.0.1", 80, nil, :STREAM).first
      expect(row[0].encoding).to eq(Encoding::US_ASCII)
      expect(row[2].encoding).to eq(Encoding::BINARY)
      expect(row[3].encoding).to eq(Encoding::BINARY)
    end

    it "takes every form of family, type, protocol and flags" do
      expected = [["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 1, 6]]
      expect(Socket.getaddrinfo("127.0.0.1", 80, "AF_INET", "SOCK_STREAM")).to eq(expected)
      expect(Socket.getaddrinfo("127.0.0.1", 80, Socket::AF_INET, Socket::SOCK_STREAM, Socket::IPPROTO_TCP)).to eq(expected)
      expect(Socket.getaddrinfo("127.0.0.1", 80, :PF_INET, :STREAM, nil, Socket::AI_PASSIVE)).to eq(expected)
      expect(Socket.getaddrinfo("127.0.0.1", 80, nil, nil, Socket::IPPROTO_UDP)).to eq(
        [["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 2, 17], ["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 3, 17]]
      )
    end

    it "reads nil, \"\", <broadcast> and Integer hosts as the stdlib does" do
      expect(Socket.getaddrinfo(nil, 80, :INET, :STREAM, nil, Socket::AI_PASSIVE))
        .to eq([["AF_INET", 80, "0.0.0.0", "0.0.0.0", 2, 1, 6]])
      expect(Socket.getaddrinfo("", 80, nil, :STREAM)).to eq([["AF_INET", 80, "0.0.0.0", "0.0.0.0", 2, 1, 6]])
      expect(Socket.getaddrinfo("<broadcast>", 80, nil, :DGRAM))
        .to eq([["AF_INET", 80, "255.255.255.255", "255.255.255.255", 2, 2, 17]])
      expect(Socket.getaddrinfo(0x7f000001, 80, nil, :STREAM)).to eq([["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 1, 6]])
    end

    it "keeps the numeric host with reverse_lookup false, :numeric, or nil under do_not_reverse_lookup" do
      expected = [["AF_INET", 80, "127.0.0.1", "127.0.0.1", 2, 1, 6]]
      [false, :numeric, nil].each do |flag|
        expect(Socket.getaddrinfo("127.0.0.1", 80, nil, :STREAM, nil, nil, flag)).to eq(expected)
      end
      expect(BasicSocket.do_not_reverse_lookup).to be(true)
      expect(Socket.getaddrinfo("127.0.0.1", 80, nil, :STREAM)).to eq(expected)
    end

    it "rejects bad arguments with the stdlib's errors" do
      expect { Socket.getaddrinfo("127.0.0.1") }
        .to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..7)")
      expect { Socket.getaddrinfo(1, 2, 3, 4, 5, 6, 7, 8) }
        .to raise_error(ArgumentError, "wrong number of arguments (given 8, expected 2..7)")
      expect { Socket.getaddrinfo("127.0.0.1", 80, :FOO) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, :FOO) }.to raise_error(SocketError, "unknown socket type: FOO")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, nil, "x") }
        .to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, nil, nil, "x") }
        .to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, nil, nil, nil, :bogus) }
        .to raise_error(ArgumentError, "invalid reverse_lookup flag: :bogus")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, nil, nil, nil, 1) }
        .to raise_error(TypeError, "wrong argument type Integer (expected Symbol)")
      expect { Socket.getaddrinfo("127.0.0.1", 80, nil, nil, nil, nil, "hostname") }
        .to raise_error(TypeError, "wrong argument type String (expected Symbol)")
      expect { Socket.getaddrinfo(Object.new, 80) }.to raise_error(TypeError, "no implicit conversion of Object into String")
      expect { Socket.getaddrinfo(:foo, 80) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      # No timeout: keyword here: the Hash is read as the family.
      expect { Socket.getaddrinfo("127.0.0.1", 80, timeout: 1) }
        .to raise_error(TypeError, "no implicit conversion of Hash into Integer")
    end

    it "raises the resolver's error for a service it does not know and for nil/nil" do
      expect { Socket.getaddrinfo("127.0.0.1", "nosuchservice") }
        .to raise_error(SocketError, "getaddrinfo: Servname not supported for ai_socktype")
      expect { Socket.getaddrinfo(nil, nil) }.to raise_error(SocketError, "getaddrinfo: Name or service not known")
    end

    it "raises Socket::ResolutionError with the EAI code", added_in: "3.3" do
      expect { Socket.getaddrinfo(nil, nil) }.to raise_error(Socket::ResolutionError) { |e|
        expect(e.error_code).to eq(Socket::EAI_NONAME)
      }
    end
  end

  describe ".getnameinfo" do
    let(:numeric) { Socket::NI_NUMERICHOST | Socket::NI_NUMERICSERV }

    it "takes a packed sockaddr or an Addrinfo" do
      expect(Socket.getnameinfo(Socket.sockaddr_in(80, "127.0.0.1"), numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo(Addrinfo.tcp("::1", 443), numeric)).to eq(%w[::1 443])
      expect(Socket.getnameinfo(Socket.sockaddr_in(80, "127.0.0.1"), Socket::NI_NUMERICHOST)).to eq(%w[127.0.0.1 http])
      host, serv = Socket.getnameinfo(Socket.sockaddr_in(80, "127.0.0.1"), numeric)
      expect([host.encoding, serv.encoding]).to eq([Encoding::BINARY, Encoding::BINARY])
    end

    it "takes [family, port, host] and [family, port, name, address] arrays" do
      expect(Socket.getnameinfo(["AF_INET", 80, "127.0.0.1"], numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo(["AF_INET", 80, "ignored", "127.0.0.1"], numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo(["AF_INET", 80, "127.0.0.1", nil], numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo(["AF_INET", 80, "x", "127.0.0.1", :extra], numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo([nil, 80, "127.0.0.1"], numeric)).to eq(%w[127.0.0.1 80])
      expect(Socket.getnameinfo([Socket::AF_INET6, "80", "::1"], numeric)).to eq(%w[::1 80])
      expect(Socket.getnameinfo(["AF_INET", 53, "127.0.0.1"], Socket::NI_NUMERICHOST | Socket::NI_DGRAM))
        .to eq(%w[127.0.0.1 domain])
    end

    it "names UNIX socket paths" do
      expect(Socket.getnameinfo(Socket.sockaddr_un("/tmp/sock"), numeric)[1]).to eq("/tmp/sock")
    end

    it "rejects bad arguments with the stdlib's errors" do
      expect { Socket.getnameinfo(["AF_INET", 80]) }.to raise_error(ArgumentError, "array size should be 3 or 4, 2 given")
      expect { Socket.getnameinfo([]) }.to raise_error(ArgumentError, "array size should be 3 or 4, 0 given")
      expect { Socket.getnameinfo(1) }.to raise_error(TypeError, "expecting String or Array")
      expect { Socket.getnameinfo(nil) }.to raise_error(TypeError, "expecting String or Array")
      expect { Socket.getnameinfo("x" * 2049) }.to raise_error(TypeError, "sockaddr length too big")
      expect { Socket.getnameinfo("") }.to raise_error(SocketError, "getnameinfo: ai_family not supported")
      expect { Socket.getnameinfo("\x02\x00") }.to raise_error(SocketError, "getnameinfo: ai_family not supported")
      expect { Socket.getnameinfo(["AF_FOO", 80, "127.0.0.1"]) }.to raise_error(SocketError, "unknown socket domain: AF_FOO")
      expect { Socket.getnameinfo(["AF_INET", 80, "127.0.0.1"], "x") }
        .to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket.getnameinfo(1, 2, 3) }.to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 1..2)")
    end
  end

  describe ".getservbyname" do
    it "reads the services database, tcp by default" do
      expect(Socket.getservbyname("http")).to eq(80)
      expect(Socket.getservbyname("http", nil)).to eq(80)
      expect(Socket.getservbyname("domain", "udp")).to eq(53)
    end

    it "parses what the database lacks as strtoul(3) with base 0 does" do
      expect(Socket.getservbyname("80")).to eq(80)
      expect(Socket.getservbyname("0x50")).to eq(80)
      expect(Socket.getservbyname("010")).to eq(8)
      expect(Socket.getservbyname("")).to eq(0)
      expect(Socket.getservbyname(" 8")).to eq(8)
      expect(Socket.getservbyname("-1")).to eq(-1)
      expect(Socket.getservbyname("99999999999999999999999")).to eq(-1)
    end

    it "rejects unknown services and bad arguments with the stdlib's errors" do
      expect { Socket.getservbyname("nosuch") }.to raise_error(SocketError, "no such service nosuch/tcp")
      expect { Socket.getservbyname("nosuch", "udp") }.to raise_error(SocketError, "no such service nosuch/udp")
      expect { Socket.getservbyname("8 ") }.to raise_error(SocketError, "no such service 8 /tcp")
      expect { Socket.getservbyname("http", "xyz") }.to raise_error(SocketError, "no such service http/xyz")
      expect { Socket.getservbyname(:http) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { Socket.getservbyname(80) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Socket.getservbyname("http", 6) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Socket.getservbyname("ht\0tp") }.to raise_error(ArgumentError, "string contains null byte")
      expect { Socket.getservbyname("http", "t\0cp") }.to raise_error(ArgumentError, "string contains null byte")
      expect { Socket.getservbyname("ht\0tp", 6) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
    end
  end

  describe ".getservbyport" do
    it "reads the services database, tcp by default" do
      expect(Socket.getservbyport(80)).to eq("http")
      expect(Socket.getservbyport(80, nil)).to eq("http")
      expect(Socket.getservbyport(53, "udp")).to eq("domain")
      expect(Socket.getservbyport(80.9)).to eq("http")
    end

    it "rejects unknown ports and bad arguments with the stdlib's errors" do
      expect { Socket.getservbyport(0, "udp") }.to raise_error(SocketError, "no such service for port 0/udp")
      expect { Socket.getservbyport(80, "xyz") }.to raise_error(SocketError, "no such service for port 80/xyz")
      expect { Socket.getservbyport(65_536) }.to raise_error(RangeError, "integer 65536 too big to convert into `int16_t'")
      expect { Socket.getservbyport(-1) }.to raise_error(RangeError, "integer -1 too small to convert into `int16_t'")
      expect { Socket.getservbyport(70_000, 5) }.to raise_error(RangeError, "integer 70000 too big to convert into `int16_t'")
      expect { Socket.getservbyport(2**64) }.to raise_error(RangeError, "bignum too big to convert into #{PerRuby.quote("long")}")
      expect { Socket.getservbyport("80") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket.getservbyport(nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { Socket.getservbyport(80, 6) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { Socket.getservbyport }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1..2)")
    end

    it "answers from many threads at once (reentrant lookups)" do
      results = Array.new(8) { Thread.new { Array.new(200) { Socket.getservbyport(22) + Socket.getservbyname("smtp").to_s } } }
      expect(results.flat_map(&:value).uniq).to eq(["ssh25"])
    end
  end

  describe ".gethostbyname" do
    it "answers numeric hosts with [name, aliases, family, packed address] and a deprecation warning", type_check: false do
      expect { expect(Socket.gethostbyname("127.0.0.1")).to eq(["127.0.0.1", [], 2, "\x7F\x00\x00\x01".b]) }
        .to output(/warning: Socket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead.\n\z/).to_stderr
      $stderr = StringIO.new
      expect(Socket.gethostbyname("::1")).to eq(["::1", [], 10, "\0" * 15 + "\x01"])
      expect(Socket.gethostbyname(0x7f000001)).to eq(["127.0.0.1", [], 2, "\x7F\x00\x00\x01".b])
      expect(Socket.gethostbyname("")).to eq(["0.0.0.0", [], 2, "\0\0\0\0"])
    ensure
      $stderr = STDERR
    end

    it "warns at the caller's line, and not at all when $VERBOSE is nil", type_check: false do
      line = __LINE__ + 1
      expect { Socket.gethostbyname("127.0.0.1") }.to output("#{__FILE__}:#{line}: warning: Socket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead.\n").to_stderr
      verbose = $VERBOSE
      $VERBOSE = nil
      expect { Socket.gethostbyname("127.0.0.1") }.not_to output.to_stderr
    ensure
      $VERBOSE = verbose
    end

    it "rejects bad hosts with the stdlib's errors (after warning)", type_check: false do
      expect {
        expect { Socket.gethostbyname(nil) }.to raise_error(SocketError, "getaddrinfo: Name or service not known")
      }.to output(/deprecated/).to_stderr
      $stderr = StringIO.new
      expect { Socket.gethostbyname(:x) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
    ensure
      $stderr = STDERR
    end
  end

  describe ".gethostbyaddr" do
    it "warns and checks its arguments as the stdlib does", type_check: false do
      expect {
        expect { Socket.gethostbyaddr(1) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      }.to output(/warning: Socket.gethostbyaddr is deprecated; use Addrinfo#getnameinfo instead.\n\z/).to_stderr
      $stderr = StringIO.new
      expect { Socket.gethostbyaddr("\x7f\0\0\x01", :FOO) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { Socket.gethostbyaddr }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1..2)")
    ensure
      $stderr = STDERR
    end
  end
end
