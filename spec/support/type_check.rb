# frozen_string_literal: true

# SOCKET_RS_TYPE_CHECK=1: run the suite under rbs's runtime type checker with
# the signatures in sig/ (and only those: not rbs's own stdlib socket
# signatures), so every call the specs make into the socket classes is checked
# against what sig/ says it takes, returns and yields. `rake rbs:test` runs it.
#
# rbs/test/setup installs its hooks from a TracePoint on `class ... end`, which
# never fires for classes defined in Rust alone (IPSocket, Socket::Option, ...),
# so this installs them explicitly, after the library is loaded.
#
# A type error fails the call that made it (rbs raises) and is counted here as
# well, so one swallowed by a rescue or a dying thread still fails the run. A
# call outside the signatures that the method rejects (TypeError, ArgumentError,
# RangeError, NoMethodError, SocketError, IOError for a closed socket: the specs check those rejections on purpose) is the
# method doing its job: it is counted apart and not raised.
if ENV["SOCKET_RS_TYPE_CHECK"] == "1"
  require "rbs"
  require "rbs/test"
  require "pathname"

  module SocketRsTypeCheck
    SIG = Pathname(File.expand_path("../../sig", __dir__))
    TARGETS = (ApiSurface::NAMES + %w[SocketRs SocketRs::Helpers] - %w[Socket::Constants]).freeze
    # The exceptions a method raises for arguments outside its signature.
    REJECTIONS = [TypeError, ArgumentError, RangeError, NoMethodError, SocketError, IOError].freeze

    ARGUMENT_ERRORS = [RBS::Test::Errors::ArgumentTypeError, RBS::Test::Errors::ArgumentError,
                       RBS::Test::Errors::UnresolvedOverloadingError].freeze

    # Known differences between socket_rs and sig/ (which follows the stdlib),
    # each to be fixed in the library; reported apart, never silently. Listed
    # in sig/README.md.
    KNOWN = {}.freeze

    @errors = []
    @known = Hash.new(0)
    @rejected = 0
    @lock = Mutex.new

    class << self
      attr_reader :errors, :rejected, :known

      def install
        RBS.logger_level = ENV.fetch("RBS_TEST_LOGLEVEL", "error")
        loader = RBS::EnvironmentLoader.new
        loader.add(path: SIG)
        env = RBS::Environment.from_loader(loader).resolve_type_names
        tester = RBS::Test::Tester.new(env: env)
        RBS::Test::Tester::MethodCallTester.prepend(Recorder)
        TARGETS.each do |name|
          klass = name.split("::").inject(Object) { |m, c| m&.const_defined?(c, false) ? m.const_get(c, false) : nil }
          next unless klass # SocketRs and Socket::ResolutionError, against an older stdlib

          tester.install!(klass, sample_size: 100, unchecked_classes: ["::RSpec::Mocks::Double"])
        end
        tester.targets.size
      end

      def record(errors, trace)
        exception = trace.method_call.exception? ? trace.method_call.exception : nil
        rejected = exception && REJECTIONS.any? { |k| exception.is_a?(k) } &&
                   errors.all? { |e| ARGUMENT_ERRORS.any? { |k| e.is_a?(k) } }
        messages = errors.map { |e| RBS::Test::Errors.to_string(e) }
        known = !rejected && SocketRsTypeCheck.socket_rs? && messages.all? { |m| KNOWN.key?(m[/\A\[[^\]]+\]/]) }
        @lock.synchronize do
          if rejected
            @rejected += 1
          elsif known
            messages.each { |m| @known[m[/\A\[[^\]]+\]/]] += 1 }
          else
            messages.each { |m| @errors << [m, caller_location] }
          end
        end
        rejected || known
      end

      def socket_rs?
        SocketRsSpecHelpers.socket_rs?
      end

      def caller_location
        caller_locations.find { |l| l.path.include?("/spec/") && !l.path.end_with?("/support/type_check.rb") }&.to_s
      end
    end

    # Counts every type error the checker finds before it raises it.
    module Recorder
      def call(receiver, trace)
        super
      rescue RBS::Test::Tester::TypeError => e
        raise unless SocketRsTypeCheck.record(e.errors, trace)
      end
    end
  end

  hooked = SocketRsTypeCheck.install

  RSpec.configure do |config|
    # `type_check: false`: examples the hooks themselves change (they add alias
    # methods, turn "expected 2" arity messages into "expected 2+" and become
    # the caller a deprecation warning names), or that call outside the
    # signatures on purpose without an error (IPSocket#addr's ignored extra
    # argument, an allocated but uninitialized Socket::Option).
    config.filter_run_excluding type_check: false

    config.before(:suite) do
      RSpec.configuration.reporter.message("Type check: rbs #{RBS::VERSION}, sig/ on #{hooked} classes and modules")
    end
  end

  at_exit do
    errors = SocketRsTypeCheck.errors
    $stderr.puts "Type check: #{errors.size} type errors, #{SocketRsTypeCheck.rejected} calls outside the signatures " \
         "rejected"
    SocketRsTypeCheck.known.each do |method, count|
      $stderr.puts "  known difference #{method}: #{SocketRsTypeCheck::KNOWN[method]} (#{count}x)"
    end
    errors.group_by(&:first).each do |message, hits|
      $stderr.puts "  #{message}\n    (#{hits.size}x, first at #{hits.first[1]})"
    end
    exit 1 unless errors.empty?
  end
end
