# frozen_string_literal: true

# Socket.new + close: argument handling, socket(2), the IO object, close(2).
require_relative "lib/harness"

Bench.measure("Socket.new(:INET, :STREAM)+close") do
  Socket.new(:INET, :STREAM).close
end
