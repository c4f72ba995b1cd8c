# frozen_string_literal: true

# Where socket_rs departs from the stdlib on purpose. Each entry matches a
# differing call by its source and both outcome lines (as Fuzz.outcome writes
# them: a described value, or "!Class \"message\""); the fuzzer counts and
# shows the matches of each entry apart from the real differences.
module Fuzz
  Departure = Struct.new(:name, :reason, :match)

  # A [host, service] answer as Fuzz.outcome writes it; [1] the host, [2] the service.
  NAMEINFO = /\A\[("(?:[^"\\]|\\.)*":[\w-]+), "((?:[^"\\]|\\.)*)":ASCII-8BIT\]\z/

  DELIBERATE = [
    Departure.new(
      "Socket::ResolutionError before Ruby 3.3",
      "socket_rs raises Socket::ResolutionError (a SocketError with #error_code, as Ruby 3.3+ does) " \
      "where the older stdlib raises a plain SocketError with the same message",
      lambda do |_src, stdlib, ours|
        RUBY_VERSION < "3.3" && stdlib.start_with?('!SocketError "getaddrinfo: ', '!SocketError "getnameinfo: ') &&
          ours == stdlib.sub("!SocketError", "!Socket::ResolutionError")
      end
    ),
    Departure.new(
      "getnameinfo of an AF_UNIX sockaddr without a NUL after its path",
      "memory safety: the stdlib's answer carries on past the end of the caller's String (bytes it " \
      "was not given); socket_rs's service ends where the sockaddr does",
      lambda do |src, stdlib, ours|
        s = NAMEINFO.match(stdlib)
        o = NAMEINFO.match(ours)
        src.include?("getnameinfo(") && s && o && s[1] == o[1] && s[2].start_with?(o[2]) && s[2].size > o[2].size
      end
    ),
    Departure.new(
      "AncillaryData#inspect of a SO_TIMESTAMP(NS) time localtime(3) cannot represent",
      "memory safety: for a year past an int, localtime fails and the stdlib prints the struct tm it " \
      "left partly unset (stack garbage, \"109626219--1770612735-32713 07:\"); socket_rs shows the raw data",
      lambda do |src, stdlib, ours|
        src.include?("AncillaryData") && stdlib.match?(/ TIMESTAMP(?:NS)? -?\d+-/) &&
          ours.match?(/ TIMESTAMP(?:NS)? \\"/)
      end
    )
  ].freeze
end
