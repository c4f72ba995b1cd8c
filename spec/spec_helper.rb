# frozen_string_literal: true

# Every example runs against two oracles: socket_rs (the default) and Ruby's
# own socket library (SOCKET_RS_ORACLE=stdlib). An example must pass in both.
require "timeout"

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))

SOCKET_RS_ORACLE = ENV.fetch("SOCKET_RS_ORACLE", "socket_rs")
case SOCKET_RS_ORACLE
when "stdlib" then require "socket"
when "socket_rs" then require "socket_rs"
else abort "SOCKET_RS_ORACLE must be socket_rs or stdlib, not #{SOCKET_RS_ORACLE.inspect}"
end

module SocketRsSpecHelpers
  # True when the classes under test are socket_rs's, for the rare example that must know.
  def socket_rs?
    SOCKET_RS_ORACLE == "socket_rs"
  end
  module_function :socket_rs?
end

# Shared helpers (fiber schedulers, namespace runners, ...) live in spec/support.
Dir[File.join(__dir__, "support", "**", "*.rb")].sort.each { |f| require f }

# Seconds an example may take before it fails; a hung accept or read must not stall CI.
SOCKET_RS_EXAMPLE_TIMEOUT = Float(ENV.fetch("SOCKET_RS_EXAMPLE_TIMEOUT", "20"))

RSpec.configure do |config|
  config.include SocketRsSpecHelpers
  config.extend SocketRsSpecHelpers

  # Examples about socket_rs itself (loading, packaging) have no stdlib counterpart.
  config.filter_run_excluding socket_rs_only: true unless SocketRsSpecHelpers.socket_rs?

  config.order = :random
  Kernel.srand config.seed
  config.fail_fast = false

  config.around do |example|
    limit = example.metadata.fetch(:timeout, SOCKET_RS_EXAMPLE_TIMEOUT)
    Timeout.timeout(limit, Timeout::Error, "example exceeded #{limit}s (hung?)") { example.run }
  end

  config.before(:suite) do
    impl = SocketRsSpecHelpers.socket_rs? ? "socket_rs #{SocketRs::VERSION}" : "stdlib socket (Ruby #{RUBY_VERSION})"
    RSpec.configuration.reporter.message("Oracle: #{impl}")
  end
end
