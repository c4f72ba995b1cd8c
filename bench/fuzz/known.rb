# frozen_string_literal: true

# Differences the fuzzer finds that are not fixed yet, each naming the code its
# fix belongs in. Unlike DELIBERATE, these still fail the run: listing them
# makes each show as one counted group with examples, not thousands of lines.
# Delete an entry once it is fixed.
module Fuzz
  # Socket constants the stdlib gained after 3.1, by the Ruby that has them.
  NEWER_CONSTANTS = { "3.3" => { "SO_INCOMING_CPU" => 49, "SO_INCOMING_NAPI_ID" => 56 },
                      "3.4" => { "IPV6_MTU_DISCOVER" => 23, "IPV6_RECVERR" => 25 } }.freeze

  KNOWN = [
    Departure.new(
      "the socket constants newer Rubies add",
      "the stdlib names them (Socket::Option#inspect, option and level arguments) from 3.3 " \
      "(SO_INCOMING_CPU, SO_INCOMING_NAPI_ID) and 3.4 (IPV6_MTU_DISCOVER, IPV6_RECVERR); socket_rs's " \
      "table is 3.1's (src/constants.rs, TABLE)",
      lambda do |_src, stdlib, ours|
        names = NEWER_CONSTANTS.select { |v, _| RUBY_VERSION >= v }.values.reduce({}, :merge)
        names.any? do |name, value|
          short = name.sub(/\A(SO|IPV6)_/, "")
          (stdlib.include?(" #{short} ") && ours.include?(":#{value} ")) || ours.include?(": #{short}\"")
        end
      end
    ),
    Departure.new(
      "Socket.unpack_sockaddr_in of a too-short AF_INET/AF_INET6 sockaddr",
      "the stdlib raises SocketError (ResolutionError on 3.3+) \"getnameinfo: ai_family not supported\" for " \
      "fewer than 16 (AF_INET) or 28 (AF_INET6) bytes; socket_rs raises ArgumentError, or returns a value " \
      "for 8 to 15 AF_INET bytes (src/socket.rs, s_unpack_sockaddr_in)",
      lambda do |src, stdlib, ours|
        src.start_with?("Socket.unpack_sockaddr_in(") && stdlib.end_with?('"getnameinfo: ai_family not supported"') &&
          !ours.end_with?('"getnameinfo: ai_family not supported"')
      end
    ),
    Departure.new(
      "Socket.unpack_sockaddr_in's host String is UTF-8",
      "the stdlib's is ASCII-8BIT (src/socket.rs, s_unpack_sockaddr_in: ruby.str_new)",
      ->(src, stdlib, ours) { src.start_with?("Socket.unpack_sockaddr_in(") && ours == stdlib.sub(/:ASCII-8BIT\]\z/, ":UTF-8]") }
    ),
    Departure.new(
      "getnameinfo of an AF_UNIX sockaddr: path bytes that are not UTF-8 come back as U+FFFD",
      "the stdlib returns the path's bytes (src/resolver.rs, getnameinfo: to_string_lossy)",
      ->(src, _stdlib, ours) { src.include?("getnameinfo(") && ours.include?('\xEF\xBF\xBD') }
    ),
    Departure.new(
      "getnameinfo of an AF_UNIX sockaddr with a path of 32 bytes or more",
      "the stdlib returns the path; socket_rs raises \"getnameinfo: Unknown error\" (EAI_OVERFLOW: the " \
      "service buffer in src/resolver.rs, getnameinfo, is NI_MAXSERV = 32 bytes)",
      lambda do |src, stdlib, ours|
        src.include?("getnameinfo(") && stdlib.match?(NAMEINFO) &&
          ours.end_with?(' "getnameinfo: Unknown error"')
      end
    ),
    Departure.new(
      "host and service Strings with bytes that are not UTF-8",
      "socket_rs reads them with U+FFFD in place of such bytes, so \"hostname/service name too long (N)\" " \
      "counts the replaced text (3 bytes each) and the resolver is asked for other bytes than given " \
      "(src/resolver.rs, cstr_value: to_string_lossy)",
      ->(_src, _stdlib, ours) { ours.match?(/\A!ArgumentError "(hostname|service name) too long \(\d+\)"\z/) }
    ),
    Departure.new(
      "Socket.getaddrinfo with AI_CANONNAME: the first entry's hostname",
      "the stdlib shows the entry's canonname (the host as given, \"0177.0.0.1\") where socket_rs shows " \
      "the numeric or looked-up name (src/resolver.rs, Socket.getaddrinfo)",
      lambda do |src, stdlib, ours|
        first = ->(out) { out.split("], [", 2) }
        s_first, s_rest = first.call(stdlib)
        o_first, o_rest = first.call(ours)
        fields = ->(entry) { entry.to_s.split(", ").tap { |f| f.delete_at(2) } }
        src.start_with?("Socket.getaddrinfo(") && stdlib.start_with?("[[") && s_rest == o_rest &&
          s_first != o_first && fields.call(s_first) == fields.call(o_first)
      end
    )
  ].freeze
end
