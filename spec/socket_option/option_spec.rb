# frozen_string_literal: true

require_relative "../spec_helper"

RSpec.describe Socket::Option do
  def int(i) = [i].pack("i")
  def opt(*args) = Socket::Option.new(*args)

  describe ".new" do
    it "takes family, level and option name as Integer, Symbol or String" do
      [
        [[2, 1, 2], [2, 1, 2]],
        [[:INET, :SOCKET, :REUSEADDR], [2, 1, 2]],
        [["AF_INET6", "SOL_SOCKET", "SO_TYPE"], [10, 1, 3]],
        [[:PF_UNIX, :SOCKET, :KEEPALIVE], [1, 1, 9]],
        [[:LOCAL, :SOL_SOCKET, :SO_LINGER], [1, 1, 13]],
        [[:INET, :TCP, :NODELAY], [2, 6, 1]],
        [[:INET, :IPPROTO_TCP, :TCP_MAXSEG], [2, 6, 2]],
        [[:INET, :IP, :TTL], [2, 0, 2]],
        [[:INET, :IP, :IP_MULTICAST_LOOP], [2, 0, 34]],
        [[:INET6, :IPV6, :V6ONLY], [10, 41, 26]],
        [[:INET, :IPV6, :IPV6_JOIN_GROUP], [2, 41, 20]],
        [[:INET, :UDP, :CORK], [2, 17, 1]],
        [[:INET, :ICMP, :REUSEADDR], [2, 1, 2]],
        [[:INET, :HOPOPTS, :TOS], [2, 0, 1]],
        [[:UNSPEC, :SOCKET, 9999], [0, 1, 9999]],
        [[2.9, 1.2, 2.5], [2, 1, 2]]
      ].each do |args, (family, level, optname)|
        o = opt(*args, "")
        expect([o.family, o.level, o.optname]).to eq([family, level, optname]), args.inspect
      end
    end

    it "converts objects with to_str and to_int" do
      name = Object.new
      def name.to_str = "INET"
      num = Object.new
      def num.to_int = 1
      data = Object.new
      def data.to_str = "xy"
      o = opt(name, num, :REUSEADDR, data)
      expect([o.family, o.level, o.optname, o.data]).to eq [2, 1, 2, "xy"]
    end

    it "keeps the data String itself" do
      d = +"abcd"
      o = opt(:INET, :SOCKET, 1, d)
      expect(o.data).to equal d
      expect(o.to_s).to equal d
      expect(o.data.encoding).to eq Encoding::UTF_8
    end

    it "raises SocketError for unknown names, with the stdlib's messages" do
      {
        [:FOO, :SOCKET, 1] => "unknown socket domain: FOO",
        [:inet, :SOCKET, 1] => "unknown socket domain: inet",
        ["AF_INET\0", :SOCKET, 1] => "unknown socket domain: AF_INET",
        ["", :SOCKET, 1] => "unknown socket domain: ",
        [:INET, :FOO, 1] => "unknown protocol level: FOO",
        [:INET, :SOL_IP, 1] => "unknown protocol level: SOL_IP",
        [:UNIX, :TCP, 1] => "unknown protocol level: TCP",
        [:UNIX, :IP, 1] => "unknown protocol level: IP",
        [:UNSPEC, :IPV6, 1] => "unknown protocol level: IPV6",
        [:INET, :SOCKET, :FOO] => "unknown socket level option name: FOO",
        [:UNIX, :SOCKET, :reuseaddr] => "unknown socket level option name: reuseaddr",
        [:INET, :ICMP, :FOO] => "unknown socket level option name: FOO",
        [:INET, :TCP, :FOO] => "unknown TCP level option name: FOO",
        [:INET, :IP, :FOO] => "unknown IP level option name: FOO",
        [:INET6, :IPV6, :FOO] => "unknown IPv6 level option name: FOO",
        [:INET, :UDP, :FOO] => "unknown UDP level option name: FOO"
      }.each do |args, message|
        expect { opt(*args, "") }.to raise_error(SocketError, message), args.inspect
      end
    end

    it "takes only Integers as option names where no names are known" do
      expect { opt(:INET, :RAW, :FOO, "") }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
      expect { opt(:UNIX, 6, :NODELAY, "") }.to raise_error(TypeError, "no implicit conversion of Symbol into Integer")
      expect(opt(:UNIX, 6, 1, "").optname).to eq 1
    end

    it "raises the stdlib's conversion errors", type_check: false do
      expect { opt(nil, 1, 1, "") }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { opt(2, nil, 1, "") }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { opt(2, 1, nil, "") }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { opt(true, 1, 1, "") }.to raise_error(TypeError, "no implicit conversion of true into Integer")
      expect { opt(Object.new, 1, 1, "") }.to raise_error(TypeError, "no implicit conversion of Object into Integer")
      expect { opt(2**40, 1, 1, "") }.to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("int")}")
      expect { opt(1e20, 1, 1, "") }.to raise_error(RangeError, "float 1e+20 out of range of integer")
      expect { opt(2, 1, 1, 5) }.to raise_error(TypeError, "no implicit conversion of Integer into String")
      expect { opt(2, 1, 1, nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { opt(2, 1, 1, :sym) }.to raise_error(TypeError, "no implicit conversion of Symbol into String")
      expect { opt(2, 1, 1) }.to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 4)")
    end

    it "checks the family before the level, the level before the name, the name before the data" do
      expect { opt(:FOO, :BAR, :BAZ, nil) }.to raise_error(SocketError, "unknown socket domain: FOO")
      expect { opt(:INET, :BAR, :BAZ, nil) }.to raise_error(SocketError, "unknown protocol level: BAR")
      expect { opt(:INET, :SOCKET, :BAZ, nil) }.to raise_error(SocketError, "unknown socket level option name: BAZ")
    end

    it "echoes the caller's bytes in the message, up to a NUL" do
      expect { opt("Ä", 1, 1, "") }.to raise_error(SocketError) { |e| expect(e.message.b).to eq "unknown socket domain: \xC3\x84".b }
      expect { opt("AB\0CD", 1, 1, "") }.to raise_error(SocketError, "unknown socket domain: AB")
    end
  end

  describe "state" do
    let(:o) { opt(:INET, :SOCKET, :REUSEADDR, int(1)) }

    it "is a plain object with no visible instance variables" do
      expect(Socket::Option.ancestors.first(2)).to eq [Socket::Option, Object]
      expect(o.instance_variables).to eq []
      expect(o).not_to be_frozen
    end

    it "carries its parts through dup, clone and Marshal" do
      [o.dup, o.clone, Marshal.load(Marshal.dump(o))].each do |c|
        expect(c.inspect).to eq "#<Socket::Option: INET SOCKET REUSEADDR 1>"
        expect([c.family, c.level, c.optname, c.data]).to eq [2, 1, 2, int(1)]
      end
    end

    it "marshals as an object with family, level, optname and data" do
      expect(Marshal.dump(o)).to eq "\x04\bo:\x13Socket::Option\t:\vfamilyi\a:\nleveli\x06:\foptnamei\a:\tdata\"\t\x01\x00\x00\x00".b
    end

    it "compares by identity" do
      expect(o == o.dup).to be false
      expect(o.eql?(o)).to be true
    end

    it "raises on an allocated but uninitialized object", type_check: false do
      a = Socket::Option.allocate
      expect(a.family).to be_nil
      expect { a.level }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { a.optname }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { a.data }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { a.inspect }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { a.int }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { a.linger }.to raise_error(TypeError, "no implicit conversion from nil to integer")
    end

    it "can't be re-initialized once frozen" do
      o.freeze
      expect { o.send(:initialize, 2, 1, 2, "y") }.to raise_error(FrozenError, /can't modify frozen Socket::Option/)
    end

    it "inspects with the class name of a subclass" do
      sub = Class.new(Socket::Option)
      stub_const("MyOption", sub)
      expect(MyOption.new(:INET, :SOCKET, 1, "").inspect).to eq '#<MyOption: INET SOCKET DEBUG "">'
    end
  end

  describe "constructors" do
    it ".int packs a native int" do
      o = Socket::Option.int(:INET, :SOCKET, :RCVBUF, 5)
      expect(o).to be_an_instance_of Socket::Option
      expect([o.family, o.level, o.optname, o.data]).to eq [2, 1, 8, int(5)]
      expect(o.data.encoding).to eq Encoding::BINARY
      expect(Socket::Option.int(:INET, :SOCKET, :RCVBUF, -1).data).to eq "\xFF\xFF\xFF\xFF".b
      expect(Socket::Option.int(:INET, :SOCKET, :RCVBUF, 5.9).data).to eq int(5)
      expect { Socket::Option.int(:INET, :SOCKET, :RCVBUF, 2**31) }.to raise_error(RangeError, "integer 2147483648 too big to convert to #{PerRuby.quote("int")}")
      expect { Socket::Option.int(:INET, :SOCKET, :RCVBUF, nil) }.to raise_error(TypeError, "no implicit conversion of nil into Integer")
      expect { Socket::Option.int(:INET, :SOCKET, :RCVBUF, "5") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket::Option.int(:INET, :SOCKET, :FOO, nil) }.to raise_error(SocketError, "unknown socket level option name: FOO")
    end

    it ".bool packs 1 or 0 by truthiness", type_check: false do
      expect(Socket::Option.bool(:INET, :SOCKET, :KEEPALIVE, true).data).to eq int(1)
      expect(Socket::Option.bool(:INET, :SOCKET, :KEEPALIVE, 0).data).to eq int(1)
      expect(Socket::Option.bool(:INET, :SOCKET, :KEEPALIVE, false).data).to eq int(0)
      expect(Socket::Option.bool(:INET, :SOCKET, :KEEPALIVE, nil).data).to eq int(0)
      expect { Socket::Option.bool(:INET, :SOCKET, 1) }.to raise_error(ArgumentError, "wrong number of arguments (given 3, expected 4)")
    end

    it ".byte packs the low byte of an int" do
      expect(Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, 1).data).to eq "\x01".b
      expect(Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, 256).data).to eq "\x00".b
      expect(Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, -1).data).to eq "\xFF".b
      expect(Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, 1_000_000).data).to eq "@"
      expect { Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, "a") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket::Option.byte(:INET, :SOCKET, :KEEPALIVE, 2**40) }.to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("int")}")
    end

    it ".linger builds an UNSPEC SOL_SOCKET SO_LINGER option", type_check: false do
      o = Socket::Option.linger(true, 5)
      expect([o.family, o.level, o.optname, o.data]).to eq [0, 1, 13, [1, 5].pack("ii")]
      expect(o.inspect).to eq "#<Socket::Option: UNSPEC SOCKET LINGER on 5sec>"
      expect(Socket::Option.linger(false, 0).inspect).to eq "#<Socket::Option: UNSPEC SOCKET LINGER off 0sec>"
      expect(Socket::Option.linger(nil, 5).linger).to eq [false, 5]
      expect(Socket::Option.linger(2, 5).inspect).to eq "#<Socket::Option: UNSPEC SOCKET LINGER on(2) 5sec>"
      expect(Socket::Option.linger(-2, 5).linger).to eq [-2, 5]
      expect(Socket::Option.linger(:x, 5).linger).to eq [true, 5]
      expect(Socket::Option.linger(1.5, 5.5).linger).to eq [true, 5]
      expect { Socket::Option.linger(true, nil) }.to raise_error(TypeError, "no implicit conversion from nil to integer")
      expect { Socket::Option.linger(true, "5") }.to raise_error(TypeError, "no implicit conversion of String into Integer")
      expect { Socket::Option.linger(2**40, 5) }.to raise_error(RangeError, "integer 1099511627776 too big to convert to #{PerRuby.quote("int")}")
      expect { Socket::Option.linger(true) }.to raise_error(ArgumentError, "wrong number of arguments (given 1, expected 2)")
    end

    it ".ipv4_multicast_loop and .ipv4_multicast_ttl pack an int for INET IP" do
      l = Socket::Option.ipv4_multicast_loop(1)
      expect([l.family, l.level, l.optname, l.data]).to eq [2, 0, 34, int(1)]
      expect(l.inspect).to eq "#<Socket::Option: INET IP MULTICAST_LOOP 1>"
      t = Socket::Option.ipv4_multicast_ttl(300)
      expect([t.family, t.level, t.optname, t.data]).to eq [2, 0, 33, int(300)]
      expect { Socket::Option.ipv4_multicast_loop(true) }.to raise_error(TypeError, "no implicit conversion of true into Integer")
      expect { Socket::Option.ipv4_multicast_ttl(nil) }.to raise_error(TypeError, "no implicit conversion of nil into Integer")
    end

    it "return Socket::Option even when called on a subclass" do
      sub = Class.new(Socket::Option)
      expect(sub.int(:INET, :SOCKET, 1, 1)).to be_an_instance_of Socket::Option
      expect(sub.linger(true, 1)).to be_an_instance_of Socket::Option
      expect(sub.new(:INET, :SOCKET, 1, "")).to be_an_instance_of sub
    end
  end

  describe "readers" do
    def with(data, level = :SOCKET, optname = :KEEPALIVE, family = :INET) = opt(family, level, optname, data.b)

    it "#int reads a native int of exactly sizeof(int)" do
      expect(with("abcd").int).to eq 0x64636261
      expect(with("\xFF\xFF\xFF\xFF").int).to eq(-1)
      expect { with("a").int }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 1")
      expect { with("abcde").int }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 5")
    end

    it "#bool reads an int or a single byte" do
      expect(with("\0\0\0\1").bool).to be true
      expect(with("\0\0\0\0").bool).to be false
      expect(with("a").bool).to be true
      expect(with("\0").bool).to be false
      expect { with("").bool }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 0")
      expect { with("ab").bool }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 2")
    end

    it "#byte reads exactly one byte" do
      expect(with("\xFF").byte).to eq 255
      expect { with("ab").byte }.to raise_error(TypeError, "size differ.  expected as sizeof(char)=1 but 2")
      expect { with("").byte }.to raise_error(TypeError, "size differ.  expected as sizeof(char)=1 but 0")
    end

    it "#linger reads a struct linger of SOL_SOCKET/SO_LINGER only" do
      expect(with([1, 5].pack("ii"), :SOCKET, :LINGER).linger).to eq [true, 5]
      expect(with([0, 5].pack("ii"), :SOCKET, :LINGER, :UNIX).linger).to eq [false, 5]
      expect(with([7, -5].pack("ii"), :SOCKET, :LINGER).linger).to eq [7, -5]
      expect { with("abc", :SOCKET, :LINGER).linger }.to raise_error(TypeError, "size differ.  expected as sizeof(struct linger)=8 but 3")
      expect { with([1, 5].pack("ii")).linger }.to raise_error(TypeError, "linger socket option expected")
      expect { with("abc").linger }.to raise_error(TypeError, "linger socket option expected")
      expect { with([1, 5].pack("ii"), :IP, 13).linger }.to raise_error(TypeError, "linger socket option expected")
    end

    it "#ipv4_multicast_loop and #ipv4_multicast_ttl read an int of their own INET option" do
      expect(with(int(1), :IP, :MULTICAST_LOOP).ipv4_multicast_loop).to eq 1
      expect(with(int(300), :IP, :MULTICAST_TTL).ipv4_multicast_ttl).to eq 300
      expect { with("\x01", :IP, :MULTICAST_LOOP).ipv4_multicast_loop }.to raise_error(TypeError, "size differ.  expected as sizeof(int)=4 but 1")
      expect { with(int(1), :IP, :MULTICAST_LOOP).ipv4_multicast_ttl }.to raise_error(TypeError, "ipv4_multicast_ttl socket option expected")
      expect { with(int(1), :IP, :MULTICAST_TTL).ipv4_multicast_loop }.to raise_error(TypeError, "ipv4_multicast_loop socket option expected")
      expect { with(int(1), :IP, :MULTICAST_LOOP, :INET6).ipv4_multicast_loop }.to raise_error(TypeError, "ipv4_multicast_loop socket option expected")
    end

    it "#unpack unpacks the data", type_check: false do
      expect(with("abcd").unpack("C*")).to eq [97, 98, 99, 100]
      expect { with("abcd").unpack(nil) }.to raise_error(TypeError, "no implicit conversion of nil into String")
      expect { with("abcd").unpack }.to raise_error(ArgumentError, "wrong number of arguments (given 0, expected 1)")
    end
  end

  describe "#inspect" do
    def insp(*args, data) = opt(*args, data.b).inspect
    def tv(sec, usec) = [sec, usec].pack("l!l!")
    def v4(*octets) = octets.pack("C*")
    let(:ff02_1) { ([0xff02] + [0] * 6 + [1]).pack("n8") }

    it "shows ints of the options the stdlib reads as ints" do
      %i[DEBUG REUSEADDR DONTROUTE BROADCAST SNDBUF RCVBUF KEEPALIVE OOBINLINE RCVLOWAT SNDLOWAT ACCEPTCONN].each do |name|
        expect(insp(:INET, :SOCKET, name, int(7))).to eq "#<Socket::Option: INET SOCKET #{name} 7>"
      end
      expect(insp(:INET, :SOCKET, :RCVBUF, int(-5))).to eq "#<Socket::Option: INET SOCKET RCVBUF -5>"
      expect(insp(:INET, :TCP, :NODELAY, int(1))).to eq "#<Socket::Option: INET TCP NODELAY 1>"
      expect(insp(:INET, :IP, :MULTICAST_TTL, int(5))).to eq "#<Socket::Option: INET IP MULTICAST_TTL 5>"
      expect(insp(:INET6, :IP, :MULTICAST_LOOP, int(1))).to eq "#<Socket::Option: INET6 IP MULTICAST_LOOP 1>"
      %i[UNICAST_HOPS MULTICAST_HOPS MULTICAST_LOOP V6ONLY].each do |name|
        expect(insp(:INET6, :IPV6, name, int(64))).to eq "#<Socket::Option: INET6 IPV6 #{name} 64>"
      end
    end

    it "shows raw data for options it doesn't decode and for wrong sizes" do
      expect(insp(:INET, :TCP, :MAXSEG, int(536))).to eq '#<Socket::Option: INET TCP MAXSEG "\x18\x02\x00\x00">'
      expect(insp(:INET, :IP, :TTL, int(64))).to eq '#<Socket::Option: INET IP TTL "@\x00\x00\x00">'
      expect(insp(:INET, :SOCKET, :REUSEPORT, int(1))).to eq '#<Socket::Option: INET SOCKET REUSEPORT "\x01\x00\x00\x00">'
      expect(insp(:INET, :TCP, :NODELAY, "\x01")).to eq '#<Socket::Option: INET TCP NODELAY "\x01">'
      expect(insp(:INET, :SOCKET, :RCVTIMEO, "abc")).to eq '#<Socket::Option: INET SOCKET RCVTIMEO "abc">'
      expect(insp(:INET, :SOCKET, :ERROR, "\0" * 5)).to eq '#<Socket::Option: INET SOCKET ERROR "\x00\x00\x00\x00\x00">'
      expect(insp(:UNIX, :SOCKET, :PEERCRED, "ab")).to eq '#<Socket::Option: UNIX SOCKET PEERCRED "ab">'
      expect(insp(:INET, :IP, :ADD_MEMBERSHIP, "abc")).to eq '#<Socket::Option: INET IP ADD_MEMBERSHIP "abc">'
      expect(insp(:UNIX, 6, 1, int(1))).to eq '#<Socket::Option: UNIX level:6 optname:1 "\x01\x00\x00\x00">'
    end

    it "names unknown families, levels and option names by number" do
      expect(insp(:INET, :SOCKET, 9999, "\x01\x02")).to eq '#<Socket::Option: INET SOCKET optname:9999 "\x01\x02">'
      expect(insp(:INET, 99, 9999, "\x01")).to eq '#<Socket::Option: INET level:99 optname:9999 "\x01">'
      expect(insp(:UNIX, 0, 1, "")).to eq '#<Socket::Option: UNIX level:0 optname:1 "">'
      expect(insp(99, :SOCKET, :REUSEADDR, int(1))).to eq "#<Socket::Option: family:99 SOCKET REUSEADDR 1>"
      expect(insp(:INET6, 58, 1, "")).to eq '#<Socket::Option: INET6 ICMPV6 optname:1 "">'
    end

    it "picks the stdlib's name where several constants share a value" do
      expect(insp(1, :SOCKET, 2, "")).to eq '#<Socket::Option: UNIX SOCKET REUSEADDR "">'
      expect(insp(16, :SOCKET, 2, "")).to eq '#<Socket::Option: ROUTE SOCKET REUSEADDR "">'
      expect(insp(:INET, 0, 0, "")).to eq '#<Socket::Option: INET IP PMTUDISC_DONT "">'
      expect(insp(:INET, :IP, 1, "")).to eq '#<Socket::Option: INET IP TOS "">'
      expect(insp(:INET, :IP, 7, "")).to eq '#<Socket::Option: INET IP RECVRETOPTS "">'
      expect(insp(:INET, :SOCKET, 26, "")).to eq '#<Socket::Option: INET SOCKET ATTACH_FILTER "">'
      expect(insp(:INET6, 1, 1, "")).to eq '#<Socket::Option: INET6 SOCKET DEBUG "">'
    end

    it "dumps raw data as String#dump does" do
      expect(insp(:INET, :SOCKET, 9999, "a\"b\\c\n\t\e\x7f")).to eq '#<Socket::Option: INET SOCKET optname:9999 "a\"b\\\\c\n\t\e\x7F">'
      expect(opt(:INET, :SOCKET, 9999, "é").inspect).to eq '#<Socket::Option: INET SOCKET optname:9999 "\u00E9">'
      expect(opt(:INET, :SOCKET, 99, "ab".encode("UTF-16LE")).inspect).to eq '#<Socket::Option: INET SOCKET optname:99 "a\x00b\x00".dup.force_encoding("UTF-16LE")>'
      expect(opt(:INET, :SOCKET, 99, "é").inspect.encoding).to eq Encoding::BINARY
    end

    it "decodes SO_TYPE as a socket type" do
      expect(insp(:INET, :SOCKET, :TYPE, int(1))).to eq "#<Socket::Option: INET SOCKET TYPE SOCK_STREAM>"
      expect(insp(:INET6, :SOCKET, :TYPE, int(5))).to eq "#<Socket::Option: INET6 SOCKET TYPE SOCK_SEQPACKET>"
      expect(insp(:INET, :SOCKET, :TYPE, int(2048))).to eq "#<Socket::Option: INET SOCKET TYPE SOCK_NONBLOCK>"
      expect(insp(:INET, :SOCKET, :TYPE, int(99))).to eq "#<Socket::Option: INET SOCKET TYPE 99>"
      expect(insp(:INET, :SOCKET, :TYPE, int(0))).to eq "#<Socket::Option: INET SOCKET TYPE 0>"
    end

    it "decodes SO_ERROR with strerror" do
      expect(insp(:INET, :SOCKET, :ERROR, int(0))).to eq "#<Socket::Option: INET SOCKET ERROR Success (0)>"
      expect(insp(:INET, :SOCKET, :ERROR, int(111))).to eq "#<Socket::Option: INET SOCKET ERROR Connection refused (111)>"
      expect(insp(:INET, :SOCKET, :ERROR, int(9999))).to eq "#<Socket::Option: INET SOCKET ERROR Unknown error 9999 (9999)>"
      expect(insp(:INET, :SOCKET, :ERROR, int(-1))).to eq "#<Socket::Option: INET SOCKET ERROR Unknown error -1 (-1)>"
    end

    it "decodes SO_LINGER, SO_RCVTIMEO/SO_SNDTIMEO and SO_PEERCRED" do
      expect(insp(:INET, :SOCKET, :LINGER, [1, 5].pack("ii"))).to eq "#<Socket::Option: INET SOCKET LINGER on 5sec>"
      expect(insp(:INET, :SOCKET, :LINGER, [0, -1].pack("ii"))).to eq "#<Socket::Option: INET SOCKET LINGER off -1sec>"
      expect(insp(:INET, :SOCKET, :LINGER, [-1, -5].pack("ii"))).to eq "#<Socket::Option: INET SOCKET LINGER on(-1) -5sec>"
      expect(insp(:INET, :SOCKET, :RCVTIMEO, tv(1, 500_000))).to eq "#<Socket::Option: INET SOCKET RCVTIMEO 1.500000sec>"
      expect(insp(:INET, :SOCKET, :SNDTIMEO, tv(0, 0))).to eq "#<Socket::Option: INET SOCKET SNDTIMEO 0.000000sec>"
      expect(insp(:INET, :SOCKET, :SNDTIMEO, tv(-3, 5))).to eq "#<Socket::Option: INET SOCKET SNDTIMEO -3.000005sec>"
      expect(insp(:INET, :SOCKET, :RCVTIMEO, tv(0, -5))).to eq "#<Socket::Option: INET SOCKET RCVTIMEO 0.-00005sec>"
      expect(insp(:INET, :SOCKET, :RCVTIMEO, tv(1, 1_500_000))).to eq "#<Socket::Option: INET SOCKET RCVTIMEO 1.1500000sec>"
      expect(insp(:UNIX, :SOCKET, :PEERCRED, [123, 1000, 1001].pack("iII"))).to eq "#<Socket::Option: UNIX SOCKET PEERCRED pid=123 euid=1000 egid=1001 (ucred)>"
      expect(insp(:INET, :SOCKET, :PEERCRED, [-1, 2**32 - 1, 0].pack("iII"))).to eq "#<Socket::Option: INET SOCKET PEERCRED pid=4294967295 euid=4294967295 egid=0 (ucred)>"
    end

    it "decodes IPv4 multicast interfaces and memberships" do
      expect(insp(:INET, :IP, :MULTICAST_IF, v4(127, 0, 0, 1))).to eq "#<Socket::Option: INET IP MULTICAST_IF 127.0.0.1>"
      expect(insp(:INET, :IP, :MULTICAST_IF, v4(127, 0, 0, 1, 0, 0, 0, 0) + int(1))).to eq "#<Socket::Option: INET IP MULTICAST_IF 127.0.0.1 0.0.0.0 lo>"
      expect(insp(:INET, :IP, :MULTICAST_IF, v4(127, 0, 0, 1, 0, 0, 0, 0))).to eq '#<Socket::Option: INET IP MULTICAST_IF "\x7F\x00\x00\x01\x00\x00\x00\x00">'
      expect(insp(:INET, :IP, :ADD_MEMBERSHIP, v4(224, 0, 0, 1, 127, 0, 0, 1))).to eq "#<Socket::Option: INET IP ADD_MEMBERSHIP 224.0.0.1 127.0.0.1>"
      expect(insp(:INET, :IP, :DROP_MEMBERSHIP, v4(224, 0, 0, 1, 0, 0, 0, 0))).to eq "#<Socket::Option: INET IP DROP_MEMBERSHIP 224.0.0.1 0.0.0.0>"
      expect(insp(:INET, :IP, :ADD_MEMBERSHIP, v4(224, 0, 0, 1, 127, 0, 0, 1) + int(1))).to eq "#<Socket::Option: INET IP ADD_MEMBERSHIP 224.0.0.1 127.0.0.1 lo>"
      expect(insp(:INET, :IP, :ADD_MEMBERSHIP, v4(224, 0, 0, 1, 0, 0, 0, 0) + int(0))).to eq "#<Socket::Option: INET IP ADD_MEMBERSHIP 224.0.0.1 0.0.0.0 ifindex:0>"
      expect(insp(:INET, :IP, :ADD_MEMBERSHIP, v4(224, 0, 0, 1, 127, 0, 0, 1) + int(-1))).to eq "#<Socket::Option: INET IP ADD_MEMBERSHIP 224.0.0.1 127.0.0.1 ifindex:4294967295>"
    end

    it "decodes IPv6 multicast interfaces and groups" do
      expect(insp(:INET6, :IPV6, :MULTICAST_IF, int(1))).to eq "#<Socket::Option: INET6 IPV6 MULTICAST_IF lo>"
      expect(insp(:INET6, :IPV6, :MULTICAST_IF, int(0))).to eq "#<Socket::Option: INET6 IPV6 MULTICAST_IF 0>"
      expect(insp(:INET6, :IPV6, :MULTICAST_IF, int(-1))).to eq "#<Socket::Option: INET6 IPV6 MULTICAST_IF 4294967295>"
      expect(insp(:INET6, :IPV6, :JOIN_GROUP, ff02_1 + int(1))).to eq "#<Socket::Option: INET6 IPV6 JOIN_GROUP ff02::1 lo>"
      expect(insp(:INET, :IPV6, :LEAVE_GROUP, ff02_1 + int(0))).to eq "#<Socket::Option: INET IPV6 LEAVE_GROUP ff02::1 interface:0>"
      mapped = [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1].pack("n8")
      expect(insp(:INET6, :IPV6, :JOIN_GROUP, mapped + int(-1))).to eq "#<Socket::Option: INET6 IPV6 JOIN_GROUP ::ffff:127.0.0.1 interface:4294967295>"
    end

    it "decodes TCP_INFO field by field" do
      d = (1..104).map { |i| i % 256 }.pack("C*")
      text = "state=ESTABLISHED ca_state=CWR retransmits=3 probes=4 backoff=5 options=SACK,WSCALE " \
             "rto=202.050057s ato=269.422093s snd_mss=336794129 rcv_mss=404166165 unacked=471538201 " \
             "sacked=538910237 lost=606282273 retrans=673654309 fackets=741026345 " \
             "last_data_sent=808398.381s last_ack_sent=875770.417s last_data_recv=943142.453s " \
             "last_ack_recv=1010514.489s pmtu=1077886525 rcv_ssthresh=1145258561 rtt=1212.630597s " \
             "rttvar=1280.002633s snd_ssthresh=1347374669 snd_cwnd=1414746705 advmss=1482118741 " \
             "reordering=1549490777 rcv_rtt=1616.862813s rcv_space=1684234849 total_retrans=1751606885"
      expect(insp(:INET, :TCP, :INFO, d)).to eq "#<Socket::Option: INET TCP INFO #{text}>"
      expect(insp(:INET6, :TCP, :INFO, d + "\0" * 8)).to eq "#<Socket::Option: INET6 TCP INFO #{text} (8 bytes too long)>"
      expect(insp(:INET, :TCP, :INFO, d[0, 103])).to eq "#<Socket::Option: INET TCP INFO #{d[0, 103].dump}>"
    end

    it "names TCP states, congestion states and option flags, or shows numbers" do
      z = "\0" * 104
      states = %w[0 ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSED CLOSE_WAIT LAST_ACK LISTEN CLOSING 12]
      states.each_with_index do |name, i|
        expect(insp(:INET, :TCP, :INFO, i.chr + z[1..])).to start_with "#<Socket::Option: INET TCP INFO state=#{name} ca_state=Open "
      end
      %w[Open Disorder CWR Recovery Loss 5].each_with_index do |name, i|
        expect(insp(:INET, :TCP, :INFO, "\x01#{i.chr}" + z[2..])).to include " ca_state=#{name} "
      end
      { 0 => "0", 1 => "TIMESTAMPS", 64 => "64", 13 => "TIMESTAMPS,WSCALE,ECN", 255 => "TIMESTAMPS,SACK,WSCALE,ECN,ECN_SEEN,SYN_DATA,192" }.each do |bits, text|
        expect(insp(:INET, :TCP, :INFO, "\x01\0\0\0\0#{bits.chr}" + z[6..])).to include " options=#{text} rto="
      end
    end
  end
end
