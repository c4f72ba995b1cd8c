# frozen_string_literal: true

# socket_rs: Ruby's socket library, implemented in Rust.
#
# Requiring it defines the stdlib's names (Socket, BasicSocket, TCPSocket,
# Addrinfo, SocketError, ...) and marks the stdlib's socket as loaded, so a
# later `require "socket"` (net/http, drb, ...) uses these classes.

if $LOADED_FEATURES.any? { |f| f.end_with?("/socket.so", "/socket.rb") && !f.include?("/socket_rs/") }
  raise LoadError, "socket_rs must be loaded before the stdlib socket library " \
                   "(it replaces it): require \"socket_rs\" first, e.g. run with RUBYOPT=-rsocket_rs"
end

require_relative "socket_rs/version"
# The native library is built per Ruby minor version (see ext/socket_rs/extconf.rb).
require_relative "socket_rs/#{RUBY_VERSION[/\A\d+\.\d+/]}/socket_rs"
Dir[File.join(__dir__, "socket_rs", "*.rb")].sort.each { |f| require f }

module SocketRs
  # Makes `require "socket"` a no-op from now on: the stdlib's files count as loaded.
  def self.mark_stdlib_loaded
    %w[socket.rb socket.so].each do |feature|
      kind, path = $LOAD_PATH.resolve_feature_path(feature)
      $LOADED_FEATURES << path if kind && !$LOADED_FEATURES.include?(path)
    rescue LoadError
      next
    end
  end
  mark_stdlib_loaded
end
