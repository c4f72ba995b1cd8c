# frozen_string_literal: true

# The differential fuzzer's calls: a seeded stream of Ruby expressions, each a
# call to a socket function whose result depends only on its arguments. Pure
# Ruby that loads no socket library, so every process (and the driver, to show
# a call) builds the same stream. Call i comes from a Random seeded by the
# seed and i's chunk of CHUNK calls, so any call can be rebuilt on its own.
module Fuzz
  CHUNK = 1000

  # Objects with implicit conversions, for the expressions to pass.
  class Str
    def initialize(s) = @s = s
    def to_str = @s
    def inspect = "Fuzz::Str.new(#{@s.inspect})"
  end

  class Int
    def initialize(i) = @i = i
    def to_int = @i
    def inspect = "Fuzz::Int.new(#{@i.inspect})"
  end

  # The value a call gave, or the exception it raised, as one line of text.
  def self.outcome(src, scope)
    describe(eval(src, scope)) # rubocop:disable Security/Eval
  rescue Exception => e # rubocop:disable Lint/RescueException
    "!#{e.class} #{scrub(e.message).dump}"
  end

  # Object addresses differ from run to run.
  def self.scrub(text) = text.to_s.b.gsub(/0x\h{6,}/, "0x_")

  def self.describe(v)
    case v
    when String then "#{(v.b.include?('#<') ? scrub(v) : v).dump}:#{v.encoding}#{':frozen' if v.frozen?}"
    when Array then "[#{v.map { |e| describe(e) }.join(', ')}]"
    when Addrinfo
      "Addrinfo(#{scrub(v.inspect).dump} #{describe(v.to_sockaddr)} #{v.pfamily} #{v.socktype} " \
        "#{v.protocol} #{describe(v.canonname)})"
    when Socket::Option
      "Option(#{v.family.inspect} #{v.level.inspect} #{v.optname.inspect} #{describe(v.data)} #{scrub(v.inspect).dump})"
    when Socket::AncillaryData
      "Anc(#{v.family.inspect} #{v.level.inspect} #{v.type.inspect} #{describe(v.data)} #{scrub(v.inspect).dump})"
    else scrub(v.inspect).dump
    end
  end

  class Generator
    INTS = [0, 1, -1, 2, 6, 17, 80, 255, 256, 65_535, 65_536, 2**15, 2**31 - 1, 2**31, -2**31, -2**31 - 1,
            2**32 - 1, 2**32, 2**63 - 1, 2**63, -2**63, 2**64, -2**64, 2**100].freeze
    BAD = ["nil", "true", "false", "1.5", "-0.5", "Float::NAN", "Float::INFINITY", "Object.new", ":sym",
           "\"str\"", "[]", "{}", "Rational(1, 2)", "Fuzz::Int.new(2)", "Fuzz::Str.new(\"INET\")"].freeze
    FAMILIES = [0, 1, 2, 10, 17, 3, 4, 5, 16, 30, 38, 40, 41, 44, 45, 46, 99, 0xffff].freeze
    FAMILY_NAMES = %w[INET AF_INET PF_INET INET6 AF_INET6 PF_INET6 UNIX AF_UNIX LOCAL PF_LOCAL UNSPEC AF_UNSPEC
                      PACKET AF_PACKET DECnet inet AF_ PF_ SOCK_STREAM BOGUS].freeze
    TYPE_NAMES = %w[STREAM SOCK_STREAM DGRAM SOCK_DGRAM RAW SEQPACKET RDM PACKET SOCK_PACKET stream INET
                    BOGUS].freeze
    LEVEL_NAMES = %w[SOCKET SOL_SOCKET IP IPPROTO_IP IPV6 IPPROTO_IPV6 TCP IPPROTO_TCP UDP IPPROTO_UDP ICMP
                     RAW HOPOPTS SOL_IP BOGUS].freeze
    OPT_NAMES = %w[REUSEADDR SO_REUSEADDR KEEPALIVE LINGER TYPE ERROR RCVTIMEO SNDTIMEO SNDBUF RCVBUF DEBUG
                   BROADCAST OOBINLINE RCVLOWAT SNDLOWAT ACCEPTCONN PEERCRED PRIORITY REUSEPORT NODELAY INFO
                   MAXSEG CORK TTL IP_TTL MULTICAST_TTL MULTICAST_LOOP MULTICAST_IF ADD_MEMBERSHIP
                   DROP_MEMBERSHIP PKTINFO V6ONLY UNICAST_HOPS MULTICAST_HOPS JOIN_GROUP RIGHTS CREDENTIALS
                   TIMESTAMP TIMESTAMPNS SCM_RIGHTS RECVPKTINFO BOGUS].freeze
    # Option (and control message) names by level, to make coherent triples.
    LEVEL_OPTS = {
      "SOCKET" => %w[DEBUG REUSEADDR TYPE ERROR DONTROUTE BROADCAST SNDBUF RCVBUF KEEPALIVE OOBINLINE LINGER
                     RCVLOWAT SNDLOWAT RCVTIMEO SNDTIMEO ACCEPTCONN PEERCRED PRIORITY REUSEPORT PASSCRED
                     TIMESTAMP TIMESTAMPNS BINDTODEVICE RIGHTS CREDENTIALS],
      "IP" => %w[TOS TTL HDRINCL OPTIONS RECVOPTS MULTICAST_IF MULTICAST_TTL MULTICAST_LOOP ADD_MEMBERSHIP
                 DROP_MEMBERSHIP PKTINFO RECVTTL RECVTOS MTU MTU_DISCOVER RECVERR FREEBIND TRANSPARENT],
      "IPV6" => %w[UNICAST_HOPS MULTICAST_IF MULTICAST_HOPS MULTICAST_LOOP JOIN_GROUP LEAVE_GROUP V6ONLY
                   RECVPKTINFO PKTINFO HOPLIMIT RECVHOPLIMIT CHECKSUM DONTFRAG RECVTCLASS TCLASS MTU],
      "TCP" => %w[NODELAY MAXSEG CORK KEEPIDLE KEEPINTVL KEEPCNT INFO QUICKACK CONGESTION USER_TIMEOUT FASTOPEN],
      "UDP" => %w[CORK]
    }.freeze
    V4 = %w[127.0.0.1 0.0.0.0 255.255.255.255 10.1.2.3 172.16.0.1 172.32.0.1 192.168.1.1 224.0.0.1
            239.255.255.255 1.2.3.4 169.254.1.1].freeze
    V6 = %w[:: ::1 ::2 ::ffff:127.0.0.1 ::ffff:0.0.0.0 ::1.2.3.4 ::0.0.0.1 fe80::1 fe80::1%1 fe80::1%lo
            fe80::1%2 fe80::1%99 ff02::1 ff01::1 ff05::2 ff08::3 ff0e::4 ff12::1 fec0::1 fc00::1 fd12::3
            2001:db8::1 1:0:0:1:0:0:0:1 1:2:3:4:5:6:7:8 64:ff9b::1.2.3.4].freeze
    ODD_HOSTS = ["", "<any>", "<broadcast>", "127.1", "0x7f.0.0.1", "0177.0.0.1", "1.2.3.4.5", "256.1.1.1",
                 " 127.0.0.1", "127.0.0.1 ", "127.0.0.1\0", "[::1]", "::g", "1:2:3:4:5:6:7:8:9", "fe80::1%",
                 "::1%lo", "fe80::1%nonexistent", "\xff", "1.2.3.4%1", "localhost", "1" * 1100, "1." * 600].freeze
    SERVICES = ["0", "80", "65535", "65536", "-1", "http", "ssh", "domain", "", "bogus", "80a", " 80", "0x50",
                "8080\0", "9" * 40, "+80", "80 "].freeze
    # Hosts in other encodings, as source.
    ENCODED_HOSTS = ['"127.0.0.1".encode("UTF-16LE")', '"::1".b', '"127.0.0.1".encode("US-ASCII")',
                     '"127.0.0.1".freeze', '"fe80::1%lo".encode("ISO-8859-1")'].freeze
    PATHS = ["/tmp/sock", "rel", "", "\0abstract", "\0", "/", "a" * 107, "a" * 108, "/" + ("b" * 106),
             "a" * 109, "x\0y", "\x01\x02", "sp ace", "/t\xffmp"].freeze
    READERS = %w[afamily pfamily socktype protocol canonname to_sockaddr to_s ip? ipv4? ipv6? unix? ip_address
                 ip_port ip_unpack unix_path ipv4_private? ipv4_loopback? ipv4_multicast? ipv6_unspecified?
                 ipv6_loopback? ipv6_multicast? ipv6_linklocal? ipv6_sitelocal? ipv6_unique_local?
                 ipv6_v4mapped? ipv6_v4compat? ipv6_mc_nodelocal? ipv6_mc_linklocal? ipv6_mc_sitelocal?
                 ipv6_mc_orglocal? ipv6_mc_global? ipv6_to_ipv4 inspect inspect_sockaddr marshal_dump].freeze
    OPTION_READERS = %w[family level optname data to_s int bool byte linger ipv4_multicast_loop
                        ipv4_multicast_ttl inspect].freeze
    ANC_READERS = %w[family level type data int inspect timestamp ip_pktinfo ipv6_pktinfo ipv6_pktinfo_addr
                     ipv6_pktinfo_ifindex unix_rights].freeze
    # Each kind of call, weighted by how many arguments it has to vary.
    CALLS = { addrinfo_reader: 8, addrinfo_marshal: 2, marshal_load: 2, family_addrinfo: 1,
              addrinfo_getaddrinfo: 2, socket_getaddrinfo: 2, socket_getnameinfo: 2, addrinfo_getnameinfo: 1,
              pack_sockaddr_in: 2, unpack_sockaddr_in: 2, sockaddr_un: 1, unpack_sockaddr_un: 2,
              option_new: 4, option_ctor: 2, anc_new: 3, anc_ctor: 2, allocated: 1, arity: 1 }
            .flat_map { |k, w| [k] * w }.freeze
    # Methods with their arity ranges, called with a count of arguments around them.
    ARITIES = { "Addrinfo.new" => 1..4, "Addrinfo.tcp" => 2..2, "Addrinfo.udp" => 2..2, "Addrinfo.ip" => 1..1,
                "Addrinfo.unix" => 1..2, "Addrinfo.getaddrinfo" => 2..6, "Socket.getaddrinfo" => 2..7,
                "Socket.getnameinfo" => 1..2, "Socket.sockaddr_in" => 2..2, "Socket.sockaddr_un" => 1..1,
                "Socket.unpack_sockaddr_in" => 1..1, "Socket::Option.new" => 4..4, "Socket::Option.int" => 4..4,
                "Socket::Option.linger" => 2..2, "Socket::AncillaryData.new" => 4..4,
                "Socket::AncillaryData.ip_pktinfo" => 2..3, "Socket::AncillaryData.ipv6_pktinfo" => 2..2,
                "Addrinfo.tcp(\"::1\", 80).getnameinfo" => 0..1, "Addrinfo.tcp(\"::1\", 80).family_addrinfo" => 1..2,
                "Addrinfo.allocate.marshal_load" => 1..1 }.freeze

    def initialize(seed) = @seed = seed

    # Yields [index, source] for calls from..from+count-1.
    def each(from, count)
      stop = from + count
      (from / CHUNK).step do |chunk|
        @r = Random.new((@seed << 40) + chunk)
        (chunk * CHUNK...[(chunk + 1) * CHUNK, stop].min).each do |i|
          src = call
          yield i, src if i >= from
        end
        break if (chunk + 1) * CHUNK >= stop
      end
    end

    def call_at(index) = each(index, 1) { |_, src| return src }

    private

    def call = send(pick(CALLS))

    # ---- the calls ----

    def addrinfo_reader = "#{addrinfo}#{pick(['', '', '', '.dup', '.clone', '.clone(freeze: true)'])}.#{pick(READERS)}"

    def addrinfo_marshal
      return "Marshal.dump(#{addrinfo})" if chance(3)

      "Marshal.load(Marshal.dump(#{addrinfo}))#{".#{pick(READERS)}" if chance(2)}"
    end

    def allocated
      "#{pick(%w[Addrinfo Socket::Option Socket::AncillaryData])}.allocate" \
        ".#{pick(READERS + OPTION_READERS + ANC_READERS + %w[dup clone frozen?])}"
    end

    def arity
      name, range = pick(ARITIES.to_a)
      n = @r.rand([range.min - 1, 0].max..range.max + 1)
      "#{name}(#{Array.new(n) { pick([-> { int }, -> { host }, -> { sockaddr }, -> { bad }]).call }.join(', ')})"
    end

    def marshal_load
      fam = pick(["\"AF_INET\"", "\"AF_INET6\"", "\"AF_UNIX\"", "\"AF_PACKET\"", "\"PF_INET\"", str, bad])
      addr = if chance(2) then "[#{host}, #{pick(SERVICES).inspect}]" else pick(["[]", path, bad, "[#{host}]"]) end
      pf = pick(["\"PF_INET\"", "\"PF_INET6\"", "\"PF_UNIX\"", "\"AF_INET\"", "\"PF_UNSPEC\"", str, bad])
      st = pick(["0", "\"SOCK_STREAM\"", "\"SOCK_DGRAM\"", "\"SOCK_RAW\"", "\"STREAM\"", int, bad])
      pr = pick(["0", "\"IPPROTO_TCP\"", "\"IPPROTO_UDP\"", "\"TCP\"", int, bad])
      opt = -> { pick(["nil", "nil", str, bad]) }
      items = [fam, addr, pf, st, pr, opt.call, opt.call]
      items = items.first(@r.rand(8)) if chance(6)
      "Addrinfo.allocate.tap { |a| a.marshal_load([#{items.join(', ')}]) }#{".#{pick(READERS)}" if chance(2)}"
    end

    def family_addrinfo
      arg = pick([-> { "#{host}, #{port}" }, -> { path }, -> { addrinfo }, -> { "" },
                  -> { "#{host}, #{port}, 1" }, -> { "#{path}, #{path}" }]).call
      "#{addrinfo}.family_addrinfo(#{arg})"
    end

    def addrinfo_getaddrinfo
      "Addrinfo.getaddrinfo(#{host}, #{service}, #{opt { family }}, #{opt { socktype }}, #{opt { protocol }}, " \
        "#{opt { ai_flags }})"
    end

    def socket_getaddrinfo
      rev = pick(%w[nil true false :numeric :hostname "x" 1])
      "Socket.getaddrinfo(#{host}, #{service}, #{opt { family }}, #{opt { socktype }}, #{opt { protocol }}, " \
        "#{opt { ai_flags }}, #{rev})"
    end

    def socket_getnameinfo
      sa = if chance(2)
             sockaddr
           else
             items = [family_name_arg, port, host, host].first(pick([3, 3, 4, 4, 0, 1, 2, 5]))
             "[#{items.join(', ')}]"
           end
      chance(5) ? "Socket.getnameinfo(#{sa})" : "Socket.getnameinfo(#{sa}, #{ni_flags})"
    end

    def addrinfo_getnameinfo = "#{addrinfo}.getnameinfo(#{ni_flags})"

    def pack_sockaddr_in = "Socket.#{pick(%w[sockaddr_in pack_sockaddr_in])}(#{port}, #{chance(8) ? int : host})"

    def unpack_sockaddr_in = "Socket.unpack_sockaddr_in(#{chance(5) ? addrinfo : sockaddr})"

    def sockaddr_un = "Socket.#{pick(%w[sockaddr_un pack_sockaddr_un])}(#{chance(8) ? bad : path})"

    def unpack_sockaddr_un = "Socket.unpack_sockaddr_un(#{chance(5) ? addrinfo : sockaddr})"

    def option_new
      klass = chance(20) ? "Class.new(Socket::Option)" : "Socket::Option"
      "#{klass}.new(#{triple}, #{chance(3) ? int_data : option_data})#{reader(OPTION_READERS)}"
    end

    # family, level, optname: half of them a real option of that level.
    def triple
      return "#{family}, #{level}, #{optname}" if chance(2)

      lvl = pick(LEVEL_OPTS.keys)
      fam = pick(%w[:INET :INET6 :INET :INET6 :UNIX 2 10 "AF_INET"])
      name = pick(LEVEL_OPTS[lvl])
      return "#{fam}, :#{lvl}, :#{name}" if chance(2)

      prefix = { "SOCKET" => pick(%w[SO_ SO_ SCM_]), "IP" => "IP_", "IPV6" => "IPV6_", "TCP" => "TCP_", "UDP" => "UDP_" }
      prefix = pick(prefix.values) if chance(5)
      "#{fam}, #{lvl == 'SOCKET' ? 'Socket::SOL_SOCKET' : "Socket::IPPROTO_#{lvl}"}, #{"#{prefix[lvl] || prefix}#{name}".inspect}"
    end

    def option_ctor
      kind = pick(%w[int bool byte linger ipv4_multicast_loop ipv4_multicast_ttl])
      value = pick([-> { int }, -> { bad }, -> { @r.rand(256).to_s }])
      args = case kind
             when "int", "bool", "byte" then "#{triple}, #{value.call}"
             when "linger" then "#{pick([int, bad, 'true', 'false', 'nil'])}, #{value.call}"
             else value.call
             end
      "Socket::Option.#{kind}(#{args})#{reader(OPTION_READERS)}"
    end

    def anc_new
      klass = chance(20) ? "Class.new(Socket::AncillaryData)" : "Socket::AncillaryData"
      "#{klass}.new(#{triple}, #{chance(3) ? int_data : option_data})#{reader(ANC_READERS, cmsg: true)}"
    end

    def anc_ctor
      s = case @r.rand(3)
          when 0 then "Socket::AncillaryData.int(#{triple}, #{chance(3) ? bad : int})"
          when 1 then "Socket::AncillaryData.ip_pktinfo(#{ip_arg}, #{chance(4) ? bad : int}" \
                      "#{", #{ip_arg}" if chance(2)})"
          else "Socket::AncillaryData.ipv6_pktinfo(#{ip_arg}, #{chance(4) ? bad : int})"
          end
      "#{s}#{reader(ANC_READERS, cmsg: true)}"
    end

    # ---- arguments ----

    def chance(n) = @r.rand(n).zero?
    def pick(list) = list[@r.rand(list.size)]
    def opt = chance(4) ? "nil" : yield
    def bytes(n) = @r.bytes(n)
    def lit(bytes) = "#{bytes.b.inspect}.b"

    def int
      chance(3) ? pick(INTS).to_s : @r.rand(-70_000..70_000).to_s
    end

    def bad = pick(BAD)

    def str = pick(FAMILY_NAMES + TYPE_NAMES).inspect

    def named(names, ints)
      case @r.rand(10)
      when 0..2 then ":#{pick(names)}"
      when 3..4 then pick(names).inspect
      when 5..7 then pick(ints).to_s
      when 8 then int
      else bad
      end
    end

    def family = named(FAMILY_NAMES, [0, 1, 2, 10, 17, 99])
    def family_name_arg = chance(4) ? family : pick(FAMILY_NAMES).inspect
    def socktype = named(TYPE_NAMES, [0, 1, 2, 3, 4, 5, 10, 99])
    def protocol = chance(6) ? named(LEVEL_NAMES, [0]) : pick(%w[0 0 6 17 132 1 41 58 255 256 -1] + [int])
    def level = named(LEVEL_NAMES, [0, 1, 6, 17, 41, 255, 99])
    def optname = named(OPT_NAMES, (0..70).to_a + [-1])
    def ai_flags = pick(%w[0 1 2 4 8 16 32 1024 0x404 0x406 0x401 0x1c -1] + [int])
    def ni_flags = pick(%w[1|2 1|2 1|2 3 1 2 0 3|16 3|4 3|8 16 -1] + [int, bad])

    def port
      case @r.rand(6)
      when 0..2 then pick([0, 80, 443, 65_535, @r.rand(65_536)]).to_s
      when 3 then int
      when 4 then pick(SERVICES).inspect
      else bad
      end
    end

    def service = chance(6) ? "nil" : port

    def host
      case @r.rand(10)
      when 0..3 then pick(V4).inspect
      when 4..6 then pick(V6).inspect
      when 7 then pick(ODD_HOSTS).inspect
      when 8 then pick([-> { "nil" }, -> { bad }, -> { pick(ENCODED_HOSTS) }]).call
      else mutate_text(pick(V4 + V6)).inspect
      end
    end

    def mutate_text(s)
      s = s.dup
      case @r.rand(3)
      when 0 then s[@r.rand(s.size)] = pick(%w[: . % 0 f x] + ["\0"]) unless s.empty?
      when 1 then s = s[0, @r.rand(s.size + 1)]
      else s.insert(@r.rand(s.size + 1), pick(%w[: . 1 %1 ::]))
      end
      s
    end

    def path
      p = chance(4) ? mutate_text(pick(PATHS)) : pick(PATHS)
      p = "p" * @r.rand(100..120) if chance(10)
      chance(10) ? "Fuzz::Str.new(#{p.inspect})" : p.inspect
    end

    def v4_bytes = chance(2) ? pick(V4).split(".").map(&:to_i).pack("C4") : bytes(4)

    def v6_bytes
      return bytes(16) if chance(3)

      a = pick(V6).sub(/%.*/, "")
      head, tail = a.split("::", -1)
      words = ->(t) { t.to_s.split(":").flat_map { |w| w.include?(".") ? w.split(".").map(&:to_i).pack("C4").unpack("n2") : [w.hex] } }
      h = words.call(head)
      t = tail ? words.call(tail) : []
      (h + [0] * (8 - h.size - t.size) + t).pack("n8")
    end

    # Packed sockaddrs: valid ones of each family, then mutated.
    def sockaddr_bytes
      s = case @r.rand(7)
          when 0, 1 then [2, @r.rand(65_536)].pack("Sn") + v4_bytes + "\0" * 8
          when 2, 3 then [10, @r.rand(65_536), pick([0, 0, 1, 2**32 - 1])].pack("SnN") + v6_bytes +
                         [pick([0, 0, 1, 2, 99, 2**32 - 1])].pack("L")
          when 4 then [1].pack("S") + (pick(PATHS).b + "\0" * 110).byteslice(0, pick([110, 110, 2, 3, 10, 108, 109]))
          when 5 then [17, 3, pick([0, 1, 2]), 772, pick([0, 1, 4, 9]), 6].pack("SnlSCC") + bytes(8)
          else [pick(FAMILIES)].pack("S") + bytes(@r.rand(30))
          end
      chance(2) ? mutate(s) : s
    end

    def mutate(s)
      s = s.b
      case @r.rand(6)
      when 0 then s.byteslice(0, @r.rand(s.bytesize + 1))
      when 1 then s + (chance(2) ? "\0" * @r.rand(1..20) : bytes(@r.rand(1..20)))
      when 2 then (s + bytes(200)).byteslice(0, pick([127, 128, 129, 200]))
      when 3 then s.dup.tap { |t| @r.rand(1..3).times { t.setbyte(@r.rand(t.bytesize), @r.rand(256)) unless t.empty? } }
      when 4 then [pick(FAMILIES)].pack("S") + s.byteslice(2..).to_s
      else bytes(@r.rand(0..40))
      end
    end

    def sockaddr
      case @r.rand(12)
      when 0 then chance(3) ? "Addrinfo.tcp(#{pick(V4 + V6).inspect}, #{port})" : bad
      when 1 then "Fuzz::Str.new(#{lit(sockaddr_bytes)})"
      else lit(sockaddr_bytes)
      end
    end

    # Addrinfo, or now and then a subclass of it.
    def ai_class = chance(20) ? "Class.new(Addrinfo)" : "Addrinfo"

    def addrinfo
      case @r.rand(12)
      when 0..3 then "#{ai_class}.new(#{[sockaddr, *ai_hints].join(', ')})"
      when 4, 5
        af = chance(6) ? family_name_arg : pick(%w["AF_INET" "AF_INET6" "AF_INET" "AF_INET6" :INET "PF_INET6"])
        items = [af, port, chance(3) ? host : "nil", host]
        items = items.first(@r.rand(5)) if chance(8)
        "Addrinfo.new([#{items.join(', ')}]#{ai_hints.map { |h| ", #{h}" }.join})"
      when 6 then "Addrinfo.new([#{pick(%w["AF_UNIX" "AF_LOCAL" :UNIX])}, #{path}]#{ai_hints.map { |h| ", #{h}" }.join})"
      when 7 then "#{ai_class}.#{pick(%w[tcp udp])}(#{host}, #{port})"
      when 8 then "Addrinfo.ip(#{host})"
      when 9 then "Addrinfo.unix(#{path}#{", #{socktype}" if chance(2)})"
      when 10 then "Addrinfo.getaddrinfo(#{host}, #{service}, #{opt { family }}, #{opt { socktype }}, nil, " \
                   "#{opt { ai_flags }}).first"
      else "Marshal.load(Marshal.dump(#{addrinfo}))"
      end
    end

    # family, socktype, protocol for Addrinfo.new: none, some or all.
    def ai_hints = [family, socktype, protocol].first(pick([0, 0, 1, 2, 3, 3])).map { |h| chance(4) ? "nil" : h }

    def ip_arg = chance(3) ? addrinfo : sockaddr

    def int_data = lit([chance(2) ? pick(INTS.select { |i| i.bit_length < 32 }) : @r.rand(-300..300)].pack("l"))

    def option_data
      case @r.rand(8)
      when 0 then int_data
      when 1 then lit([@r.rand(-5..5), @r.rand(-5..300)].pack("l2"))
      when 2 then lit([@r.rand(-2**40..2**40), @r.rand(-2_000_000..2_000_000)].pack("q2"))
      when 3 then lit(bytes(pick([1, 4, 8, 12, 16, 20, 24, 104, 105, 232])))
      when 4 then lit(v4_bytes + v4_bytes + [pick([0, 1, 2, 7])].pack("L"))
      when 5 then lit(v6_bytes + [pick([0, 1, 2])].pack("L"))
      when 6 then lit(bytes(@r.rand(0..10)))
      else chance(2) ? bad : "Fuzz::Str.new(#{lit(bytes(4))})"
      end
    end

    def reader(list, cmsg: false)
      r = pick(list)
      return ".cmsg_is?(#{level}, #{optname})" if cmsg && chance(8)
      return ".unpack(#{pick(%w["i" "C*" "l2" "q" "x" 1 nil])})" if chance(10)

      "#{pick(['', '', '', '.dup', '.clone'])}.#{r}"
    end
  end
end
