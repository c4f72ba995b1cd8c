# frozen_string_literal: true

# A tiny timing loop shared by the benchmarks in bench/*.rb. Each benchmark
# process prints one JSON line per measurement for bench/run.rb to collect.
require "json"

module Bench
  WARMUP = Float(ENV.fetch("BENCH_WARMUP", "0.3"))
  DURATION = Float(ENV.fetch("BENCH_DURATION", "1.0"))

  def self.now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  def self.implementation
    defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "stdlib #{RUBY_VERSION}"
  end

  # Runs the block (one operation) in batches, growing the batch until one
  # takes a few milliseconds, so reading the clock doesn't dominate cheap ops.
  def self.measure(name)
    batch = 1
    deadline = now + WARMUP
    loop do
      started = now
      batch.times { yield }
      break if now >= deadline

      batch *= 2 if now - started < 0.005
    end

    ops = 0
    started = now
    deadline = started + DURATION
    while now < deadline
      batch.times { yield }
      ops += batch
    end
    elapsed = now - started
    puts JSON.generate(name: name, implementation: implementation, ops: ops,
                       seconds: elapsed.round(6), ops_per_sec: (ops / elapsed).round(1))
    $stdout.flush
  end
end
