# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe "Socket::AncillaryData" do
  let(:klass) { Socket::AncillaryData }

  def ints(*values)
    values.pack("i*")
  end

  describe ".new" do
    it "takes names or numbers for family, level and type" do
      a = klass.new(:INET, :TCP, :NODELAY, "")
      expect([a.family, a.level, a.type, a.data]).to eq([Socket::AF_INET, Socket::IPPROTO_TCP, Socket::TCP_NODELAY, ""])
      b = klass.new("AF_UNIX", "SOL_SOCKET", "SCM_RIGHTS", "")
      expect([b.family, b.level, b.type]).to eq([Socket::AF_UNIX, Socket::SOL_SOCKET, Socket::SCM_RIGHTS])
      expect(klass.new(0, 0, 0, "x").type).to eq(0)
    end

    it "keeps the caller's String" do
      s = +"abc"
      a = klass.new(:UNIX, :SOCKET, :RIGHTS, s)
      expect(a.data).to equal(s)
    end

    it "rejects unknown names and non-String data with the stdlib's errors" do
      expect { klass.new(:FOO, :SOCKET, 1, "") }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { klass.new(:UNIX, :IP, 1, "") }.to raise_error(SocketError, "unknown protocol level: IP")
      expect { klass.new(:UNIX, :SOCKET, :FOO, "") }.to raise_error(SocketError, "unknown UNIX control message: FOO")
      expect { klass.new(:INET, :IP, :FOO, "") }.to raise_error(SocketError, "unknown IP control message: FOO")
      expect { klass.new(:UNIX, :SOCKET, :RIGHTS, 1) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { klass.new(:UNIX, :SOCKET, :RIGHTS, nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
    end

    it "raises on an uninitialized object" do
      expect { klass.allocate.family }.to raise_error(TypeError, "no implicit conversion from nil to integer")
    end
  end

  describe "#inspect" do
    it "decodes SCM_RIGHTS, SCM_CREDENTIALS and pktinfo, and dumps the rest" do
      expect(klass.new(:UNIX, :SOCKET, :RIGHTS, ints(1, 2)).inspect).to eq("#<Socket::AncillaryData: UNIX SOCKET RIGHTS 1 2>")
      expect(klass.new(:UNIX, :SOCKET, :RIGHTS, "abc").inspect).to eq('#<Socket::AncillaryData: UNIX SOCKET RIGHTS "abc">')
      expect(klass.new(:UNIX, :SOCKET, :RIGHTS, "").inspect).to eq('#<Socket::AncillaryData: UNIX SOCKET RIGHTS "">')
      expect(klass.new(:UNIX, :SOCKET, :CREDENTIALS, [1, 2, 3].pack("iII")).inspect)
        .to eq("#<Socket::AncillaryData: UNIX SOCKET CREDENTIALS pid=1 uid=2 gid=3 (ucred)>")
      expect(klass.new(:INET, :IP, :PKTINFO, [999, 127, 0, 0, 1, 127, 0, 0, 2].pack("iC8")).inspect)
        .to eq("#<Socket::AncillaryData: INET IP PKTINFO 127.0.0.2 ifindex:999 spec_dst:127.0.0.1>")
      expect(klass.ipv6_pktinfo(Addrinfo.ip("::1"), -1).inspect).to eq("#<Socket::AncillaryData: INET6 IPV6 PKTINFO ::1 ifindex:-1>")
      expect(klass.new(:INET, :IP, :TTL, ints(64)).inspect).to eq('#<Socket::AncillaryData: INET IP TTL "@\x00\x00\x00">')
      expect(klass.new(:INET, 99, 42, "zz").inspect).to eq('#<Socket::AncillaryData: INET cmsg_level:99 cmsg_type:42 "zz">')
      expect(klass.new(999, :SOCKET, 42, "é").inspect).to eq('#<Socket::AncillaryData: family:999 SOCKET cmsg_type:42 "\u00E9">')
      expect(klass.new(:UNIX, 0, Socket::IP_PKTINFO, "x" * 12).inspect).to eq(%(#<Socket::AncillaryData: UNIX cmsg_level:0 cmsg_type:8 "#{'x' * 12}">))
    end

    it "shows timestamps in local time with micro- or nanoseconds" do
      tv = [1_700_000_000, 5].pack("q*")
      expected = Time.at(1_700_000_000).strftime("%Y-%m-%d %H:%M:%S")
      expect(klass.new(:INET, :SOCKET, :TIMESTAMP, tv).inspect).to eq("#<Socket::AncillaryData: INET SOCKET TIMESTAMP #{expected}.000005>")
      expect(klass.new(:INET, :SOCKET, :TIMESTAMPNS, tv).inspect).to eq("#<Socket::AncillaryData: INET SOCKET TIMESTAMPNS #{expected}.000000005>")
      expect(klass.new(:INET, :SOCKET, :TIMESTAMP, "x").inspect).to eq('#<Socket::AncillaryData: INET SOCKET TIMESTAMP "x">')
    end

    it "names a subclass" do
      sub = Class.new(klass)
      expect(sub.new(:UNIX, :SOCKET, :RIGHTS, "a").inspect).to match(/\A#<#<Class:0x\h+>: UNIX SOCKET RIGHTS "a">\z/)
    end
  end

  describe ".int and #int" do
    it "packs and reads an int" do
      a = klass.int(:UNIX, :SOCKET, :RIGHTS, 3)
      expect([a.int, a.data, a.data.encoding]).to eq([3, ints(3), Encoding::BINARY])
      expect(Class.new(klass).int(:UNIX, :SOCKET, :RIGHTS, 3).class).to eq(klass)
    end

    it "raises as the stdlib does" do
      expect { klass.new(:UNIX, :SOCKET, :RIGHTS, "ab").int }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 2")
      expect { klass.int(:INET, :IP, :TTL, 2**40) }.to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("int")}")
      expect { klass.int(:INET, :IP, :TTL, nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
    end
  end

  describe ".unix_rights and #unix_rights" do
    it "carries the IO objects" do
      r, w = IO.pipe
      a = klass.unix_rights(r, w)
      expect(a.unix_rights).to eq([r, w])
      expect(a.unix_rights[0]).to equal(r)
      expect(a.data).to eq(ints(r.fileno, w.fileno))
      expect(a.dup.unix_rights).to eq([r, w])
    ensure
      [r, w].each(&:close)
    end

    it "is nil for data that did not come with IOs, and TypeError for other kinds" do
      expect(klass.new(:UNIX, :SOCKET, :RIGHTS, ints(5)).unix_rights).to be_nil
      expect { klass.new(:INET, :IP, :TTL, "").unix_rights }.to raise_error(TypeError, "SCM_RIGHTS ancillary data expected")
    end

    it "takes only open IO objects" do
      io = Object.new
      def io.to_io = $stdin
      expect { klass.unix_rights(1) }.to raise_error(TypeError, "IO expected")
      expect { klass.unix_rights(io) }.to raise_error(TypeError, "IO expected")
      r, w = IO.pipe
      w.close
      expect { klass.unix_rights(w) }.to raise_error(IOError, "closed stream")
      r.close
    end
  end

  describe "#timestamp" do
    it "gives a Time from SO_TIMESTAMP and SO_TIMESTAMPNS" do
      t = klass.new(:INET, :SOCKET, :TIMESTAMP, [1_700_000_000, 999_999].pack("q*")).timestamp
      expect([t.to_i, t.usec]).to eq([1_700_000_000, 999_999])
      t = klass.new(:INET, :SOCKET, :TIMESTAMPNS, [1_700_000_000, 999_999_999].pack("q*")).timestamp
      expect([t.to_i, t.nsec]).to eq([1_700_000_000, 999_999_999])
    end

    it "raises TypeError for anything else" do
      expect { klass.new(:INET, :SOCKET, :TIMESTAMP, "x").timestamp }.to raise_error(TypeError, "timestamp ancillary data expected")
      expect { klass.new(:INET, :SOCKET, :TIMESTAMPING, "x" * 48).timestamp }.to raise_error(TypeError, "timestamp ancillary data expected")
    end
  end

  describe "pktinfo" do
    it "builds and reads IP_PKTINFO" do
      a = klass.ip_pktinfo(Addrinfo.ip("127.0.0.1"), 1, Addrinfo.ip("127.0.0.2"))
      expect(a.data).to eq("\x01\x00\x00\x00\x7F\x00\x00\x02\x7F\x00\x00\x01".b)
      addr, ifindex, spec = a.ip_pktinfo
      expect([addr.inspect, ifindex, spec.inspect]).to eq(["#<Addrinfo: 127.0.0.1>", 1, "#<Addrinfo: 127.0.0.2>"])
      expect(klass.ip_pktinfo(Addrinfo.tcp("127.0.0.1", 80), 0).ip_pktinfo.map(&:inspect))
        .to eq(["#<Addrinfo: 127.0.0.1>", "0", "#<Addrinfo: 127.0.0.1>"])
    end

    it "builds and reads IPV6_PKTINFO, scoping link-local addresses" do
      a = klass.ipv6_pktinfo(Addrinfo.ip("::1"), 1)
      expect(a.ipv6_pktinfo.map(&:inspect)).to eq(["#<Addrinfo: ::1>", "1"])
      expect(a.ipv6_pktinfo_addr.inspect).to eq("#<Addrinfo: ::1>")
      expect(a.ipv6_pktinfo_ifindex).to eq(1)
      b = klass.new(:INET6, :IPV6, :PKTINFO, "\xfe\x80".b + ("\0" * 13) + "\x01" + [1].pack("I"))
      expect(b.ipv6_pktinfo_addr.inspect).to eq("#<Addrinfo: fe80::1%lo>")
      expect(klass.new(:INET6, :IPV6, :PKTINFO, ("\0" * 15) + "\x01" + [-1].pack("i")).ipv6_pktinfo_ifindex).to eq(4_294_967_295)
    end

    it "raises the stdlib's errors for bad arguments and other kinds" do
      expect { klass.ip_pktinfo(Addrinfo.ip("::1"), 1) }.to raise_error(ArgumentError, "addr size different to AF_INET sockaddr")
      expect { klass.ip_pktinfo([10, 0].pack("Sn") + ("\0" * 12), 1) }.to raise_error(ArgumentError, "addr is not AF_INET sockaddr")
      expect { klass.ip_pktinfo(Addrinfo.ip("127.0.0.1"), 1, Addrinfo.ip("::1")) }.to raise_error(ArgumentError, "spec_dat size different to AF_INET sockaddr")
      expect { klass.ip_pktinfo(Addrinfo.ip("127.0.0.1")) }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2..3)")
      expect { klass.ip_pktinfo(Addrinfo.ip("127.0.0.1"), "1") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { klass.ipv6_pktinfo(Addrinfo.ip("127.0.0.1"), 1) }.to raise_error(ArgumentError, "addr size different to AF_INET6 sockaddr")
      expect { klass.ipv6_pktinfo(Addrinfo.ip("::1"), 2**33) }.to raise_error(RangeError, "integer 8589934592 too big to convert to #{PerRuby.quote("unsigned int")}")
      expect { klass.new(:INET, :IP, :PKTINFO, "x").ip_pktinfo }.to raise_error(TypeError, "IP_PKTINFO ancillary data expected")
      expect { klass.new(:INET6, :IPV6, :PKTINFO, "x").ipv6_pktinfo_addr }.to raise_error(TypeError, "IPV6_PKTINFO ancillary data expected")
    end
  end

  describe "#cmsg_is?" do
    it "compares level and type given by name or number" do
      a = klass.new(:INET6, :IPV6, :PKTINFO, "")
      expect(a.cmsg_is?(Socket::IPPROTO_IPV6, Socket::IPV6_PKTINFO)).to be(true)
      expect(a.cmsg_is?(:IPV6, :PKTINFO)).to be(true)
      expect(a.cmsg_is?(:IP, :PKTINFO)).to be(false)
      expect(a.cmsg_is?(:SOCKET, :RIGHTS)).to be(false)
      expect { a.cmsg_is?(:FOO, :PKTINFO) }.to raise_error(SocketError, "unknown protocol level: FOO")
      expect { klass.new(:UNIX, 0, 1, "").cmsg_is?(0, :FOO) }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
    end
  end
end
