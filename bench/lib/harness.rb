# frozen_string_literal: true

# The timing loop shared by the benchmarks in bench/*.rb. Each benchmark
# process prints one JSON line per measurement for bench/run.rb to collect:
# wall-clock time and the process's CPU time (all its threads, kernel time
# included) over the same operations. bench/floor prints the same lines.
require "json"

module Bench
  WARMUP = Float(ENV.fetch("BENCH_WARMUP", "0.3"))
  DURATION = Float(ENV.fetch("BENCH_DURATION", "1.0"))

  def self.now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  def self.cpu
    Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)
  end

  def self.implementation
    defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "stdlib #{RUBY_VERSION}"
  end

  # Runs the block in batches, growing the batch until one takes a few
  # milliseconds, so reading the clocks doesn't dominate cheap operations.
  # One call of the block counts as `per_call` operations (a block that
  # serves 32,000 requests passes per_call: 32_000).
  def self.measure(name, per_call: 1)
    batch = 1
    deadline = now + WARMUP
    loop do
      started = now
      batch.times { yield }
      break if now >= deadline

      batch *= 2 if now - started < 0.005
    end

    GC.start # every measurement starts from the same heap
    calls = 0
    started = now
    cpu_started = cpu
    deadline = started + DURATION
    while now < deadline
      batch.times { yield }
      calls += batch
    end
    elapsed = now - started
    cpu_used = cpu - cpu_started
    ops = calls * per_call
    puts JSON.generate(name: name, implementation: implementation, ops: ops,
                       seconds: elapsed.round(6), cpu_seconds: cpu_used.round(6),
                       ops_per_sec: (ops / elapsed).round(1),
                       cpu_ns_per_op: (cpu_used * 1e9 / ops).round(1))
    $stdout.flush
  end
end
