# frozen_string_literal: true

# Where socket_rs departs from the stdlib on purpose. Each entry matches a
# differing call by its source and both outcome lines (as Fuzz.outcome writes
# them: a described value, or "!Class \"message\""); the fuzzer counts and
# shows the matches of each entry apart from the real differences.
module Fuzz
  Departure = Struct.new(:name, :reason, :match)

  DELIBERATE = [].freeze
end
