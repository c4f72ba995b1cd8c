# frozen_string_literal: true

# Where socket_rs departs from the stdlib on purpose. Each entry matches a
# differing call by its source and both outcome lines (as Fuzz.outcome writes
# them: a described value, or "!Class \"message\""); the fuzzer counts and
# shows the matches of each entry apart from the real differences.
module Fuzz
  Departure = Struct.new(:name, :reason, :match)

  DELIBERATE = [
    Departure.new(
      "Socket::ResolutionError before Ruby 3.3",
      "socket_rs raises Socket::ResolutionError (a SocketError with #error_code, as Ruby 3.3+ does) " \
      "where the older stdlib raises a plain SocketError with the same message",
      lambda do |_src, stdlib, ours|
        RUBY_VERSION < "3.3" && stdlib.start_with?('!SocketError "getaddrinfo: ', '!SocketError "getnameinfo: ') &&
          ours == stdlib.sub("!SocketError", "!Socket::ResolutionError")
      end
    )
  ].freeze
end
