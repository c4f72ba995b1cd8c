# frozen_string_literal: true

# What the stdlib socket library of the running Ruby does where Rubies differ,
# as the specs expect it (the library's own table is src/glue/ruby_version.rs).
# Specs state a version difference through these, never through RUBY_VERSION.
module PerRuby
  module_function

  def at_least?(version)
    Gem::Version.new(RUBY_VERSION) >= Gem::Version.new(version)
  end

  # What recv, recvfrom, recvmsg and recv_nonblock return at the end of a
  # stream: nil from 3.3 (Feature #19012); before, what they return for data,
  # with "" as the data (`before_3_3`).
  def end_of_stream(before_3_3 = "")
    at_least?("3.3") ? nil : before_3_3
  end

  # How Ruby quotes a C type or method in core messages: `int' before 3.4, 'int' from 3.4.
  def quote(name)
    at_least?("3.4") ? "'#{name}'" : "`#{name}'"
  end

  # NoMethodError's text for calling `name` on an Integer (3.3 reworded it), as
  # a pattern: did_you_mean may append suggestions.
  def undefined_method_on_integer(name, value)
    text = if at_least?("3.3")
             "undefined method #{quote(name)} for an instance of Integer"
           else
             "undefined method `#{name}' for #{value}:Integer"
           end
    /\A#{Regexp.escape(text)}/
  end

  # The error TCPSocket.new raises when connect_timeout runs out after `attempts`
  # attempts (Happy Eyeballs or one address at a time): [class, message].
  def tcp_connect_timeout(host, port, attempts: 1)
    if at_least?("3.4")
      attempts == 1 ? [IO::TimeoutError, "Connect timed out!"] : [Errno::ETIMEDOUT, "Connection timed out - user specified timeout"]
    elsif at_least?("3.3")
      [IO::TimeoutError, "connect(2) for #{host.inspect} port #{port}"]
    else
      [Errno::ETIMEDOUT, "Connection timed out - connect(2) for #{host.inspect} port #{port}"]
    end
  end

  # The call TCPSocket.new's Happy Eyeballs names in resolution errors.
  def happy_eyeballs_getaddrinfo
    at_least?("3.4") ? "getaddrinfo(3)" : "getaddrinfo"
  end
end

RSpec.configure do |config|
  # `added_in: "3.4"`: behaviour a Ruby version introduced. socket_rs has it on
  # every Ruby; the stdlib is the oracle only from that version on.
  config.filter_run_excluding(added_in: ->(v) { !SocketRsSpecHelpers.socket_rs? && !PerRuby.at_least?(v) })
  # `stdlib_bug: { "3.4" => "why" }`: where that Ruby's stdlib is plainly wrong and
  # socket_rs deliberately does better (listed in the README); not run on that stdlib.
  config.filter_run_excluding(stdlib_bug: lambda { |bugs|
    !SocketRsSpecHelpers.socket_rs? && bugs.key?(RUBY_VERSION[/\A\d+\.\d+/])
  })
end
