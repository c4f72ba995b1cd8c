# Writes a Makefile that builds the Rust crate with cargo and installs
# socket_rs.so where RubyGems or rake-compiler expect it.
require "rbconfig"
require "shellwords"

crate_root = File.expand_path("../..", __dir__)

# RubyGems runs this with the caller's PATH, which may lack rustup's bin dir.
cargo = [ENV["CARGO"], "cargo", File.join(Dir.home, ".cargo", "bin", "cargo")].compact.find do |c|
  system(c, "--version", out: File::NULL, err: File::NULL)
rescue SystemCallError
  false
end
abort "socket_rs: cargo is required to build (install Rust from https://rustup.rs)" unless cargo

# A git checkout keeps cargo's target dir for incremental builds; an installed
# gem builds in a scratch dir that is removed once the library is installed.
in_checkout = File.exist?(File.join(crate_root, ".git")) # a worktree has a .git file
# One target dir per Ruby: rb-sys compiles against that Ruby's headers.
target_dir = if in_checkout
               File.join(crate_root, "target", "ruby-#{RUBY_VERSION}")
             else
               File.join(Dir.pwd, "cargo-target")
             end
# The library is installed per Ruby minor version (lib/socket_rs/3.4/socket_rs.so),
# so one checkout can hold builds for several Rubies side by side.
abi = RUBY_VERSION[/\A\d+\.\d+/]
dlext = RbConfig::CONFIG["DLEXT"]
built = File.join(target_dir, "release", "libsocket_rs.so")
sitearchdir = RbConfig::CONFIG["sitearchdir"]

File.write("Makefile", <<~MAKE)
  SHELL = /bin/sh
  RUBY = #{RbConfig.ruby.shellescape}
  CARGO = #{cargo.shellescape}
  CRATE_ROOT = #{crate_root.shellescape}
  CARGO_TARGET_DIR = #{target_dir.shellescape}
  sitearchdir = #{sitearchdir.shellescape}
  sitelibdir = #{RbConfig::CONFIG["sitelibdir"].shellescape}
  target_prefix = /socket_rs/#{abi}
  DLLIB = socket_rs.#{dlext}
  DESTDIR ?=

  all: $(DLLIB)

  $(DLLIB): FORCE
  \tRUBY=$(RUBY) CARGO_TARGET_DIR=$(CARGO_TARGET_DIR) $(CARGO) build --release --manifest-path $(CRATE_ROOT)/Cargo.toml
  \tcp #{built.shellescape} $(DLLIB)

  # Copy then rename: a running process that has the old library mapped keeps it intact.
  install: $(DLLIB)
  \tmkdir -p $(DESTDIR)$(sitearchdir)$(target_prefix)
  \tcp $(DLLIB) $(DESTDIR)$(sitearchdir)$(target_prefix)/$(DLLIB).tmp
  \tmv -f $(DESTDIR)$(sitearchdir)$(target_prefix)/$(DLLIB).tmp $(DESTDIR)$(sitearchdir)$(target_prefix)/$(DLLIB)
  #{in_checkout ? "" : "\trm -rf $(CARGO_TARGET_DIR) $(DLLIB)"}

  clean:
  \trm -f $(DLLIB)

  distclean: clean
  \trm -f Makefile

  .PHONY: all install clean distclean FORCE
  FORCE:
MAKE
