# frozen_string_literal: true

require_relative "lib/socket_rs/version"

Gem::Specification.new do |spec|
  spec.name = "socket_rs"
  spec.version = SocketRs::VERSION
  spec.summary = "Ruby's socket library, rewritten in Rust"
  spec.description = "A drop-in replacement for Ruby's socket extension (Socket, BasicSocket, " \
                     "TCPSocket, UNIXSocket, Addrinfo, ...) implemented in Rust. " \
                     "require \"socket_rs\" before anything loads \"socket\". " \
                     "Supports Ruby 3.1, 3.3 and 3.4 on Linux, each with that Ruby's own socket behaviour; " \
                     "ships RBS signatures (sig/)."
  spec.authors = ["socket_rs maintainers"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.1"

  # A Dir glob rather than `git ls-files`: the gem must also build from an
  # unpacked tarball or a CI checkout without git metadata.
  root = __dir__
  spec.files = Dir.chdir(root) do
    Dir.glob(%w[Cargo.toml Cargo.lock src/**/*.rs ext/**/*.rb lib/**/*.rb sig/**/*.rbs sig/README.md
                  README.md CHANGELOG.md LICENSE]).sort
  end
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/socket_rs/extconf.rb"]
  spec.metadata["rubygems_mfa_required"] = "true"
  # The Rubies script/test-rubies tests on (required_ruby_version allows any from 3.1).
  spec.metadata["tested_rubies"] = "3.1, 3.3, 3.4"
end
