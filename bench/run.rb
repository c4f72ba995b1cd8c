# frozen_string_literal: true

# Runs bench/*.rb in separate processes (both implementations define ::Socket),
# alternating the stdlib (-rsocket) and socket_rs (-Ilib -rsocket_rs): each
# round runs every file on the stdlib, then on socket_rs, then bench/floor
# (the same syscalls from Rust, no Ruby) for the rows it covers. So a burst of
# load from elsewhere hits one round of both sides, and the medians drop it.
#
# Prints a Markdown table (median ops/s and spread of each side, CPU time per
# operation, the ratios, the floor) and writes every sample to
# tmp/bench/<ruby version>.json, from which bench/lib/chart.rb draws the chart.
#
#   ruby bench/run.rb [file-filter]
#   BENCH_ROUNDS=5 BENCH_DURATION=1.0 BENCH_WARMUP=0.3    the defaults
#   BENCH_SERVER_CLIENTS=32 BENCH_SERVER_REQUESTS=1000    tcp_server_load.rb's size
#   BENCH_FLOOR=0 skips the floor; BENCH_OUT=file.json writes the results there
require "etc"
require "fileutils"
require "json"
require "open3"
require "rbconfig"
require "time"

ROOT = File.expand_path("..", __dir__)
ROUNDS = Integer(ENV.fetch("BENCH_ROUNDS", "5"))
IMPLEMENTATIONS = {
  "stdlib" => ["-rsocket"],
  "socket_rs" => ["-I", File.join(ROOT, "lib"), "-rsocket_rs"]
}.freeze
# No RUBYOPT or RUBYLIB: a -rsocket_rs inherited from the shell would mix the two.
CHILD_ENV = { "RUBYOPT" => nil, "RUBYLIB" => nil }.freeze

filter = ARGV[0]
files = Dir[File.join(__dir__, "*.rb")].sort - [File.expand_path(__FILE__)]
files.select! { |f| File.basename(f).include?(filter) } if filter
abort "no benchmarks match #{filter.inspect}" if files.empty?

# Builds bench/floor; returns the binary, or nil (with a warning) without cargo.
def build_floor
  return nil if ENV["BENCH_FLOOR"] == "0"

  target = File.join(ROOT, "target", "floor")
  manifest = File.join(__dir__, "floor", "Cargo.toml")
  out, status = Open3.capture2e({ "CARGO_TARGET_DIR" => target },
                                "cargo", "build", "--release", "--quiet", "--manifest-path", manifest)
  return File.join(target, "release", "socket_rs_floor") if status.success?

  warn "bench/floor did not build, no floor column:\n#{out}"
  nil
rescue SystemCallError => e
  warn "bench/floor: #{e.message}, no floor column"
  nil
end

# Runs one benchmark process; returns its JSON lines, or raises with its stderr.
def measurements(*command)
  out, err, status = Open3.capture3(CHILD_ENV, *command, chdir: ROOT)
  raise err.lines.first(3).join.strip unless status.success?

  out.lines.grep(/\A\{/).map { |line| JSON.parse(line) }
end

def loadavg
  File.read("/proc/loadavg").split.first(3).map(&:to_f)
rescue SystemCallError
  nil
end

# One row per measurement (a file may hold several), in the order they run:
# "file/name" => { "file", "name", "samples" => { side => [measurement, ...] } }.
rows = {}
implementations = {} # side => what it said it was ("socket_rs 0.1.0")
failures = {}
started_at = Time.now
load_at_start = loadavg
floor = build_floor

ROUNDS.times do |round|
  round_started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  files.each do |file|
    key = File.basename(file, ".rb")
    IMPLEMENTATIONS.each do |side, flags|
      next if failures.key?("#{key} on #{side}") # failed before: it would again

      measurements(RbConfig.ruby, *flags, file).each do |m|
        implementations[side] ||= m["implementation"]
        row = rows["#{key}/#{m["name"]}"] ||= { "file" => key, "name" => m["name"], "samples" => {} }
        (row["samples"][side] ||= []) << m.except("name", "implementation")
      end
    rescue RuntimeError => e
      failures["#{key} on #{side}"] = e.message
    end
  end
  if floor
    begin
      names = rows.each_value.map { |r| r["name"] }.uniq
      measurements(floor, *names).each do |m|
        implementations["floor"] ||= m["implementation"]
        rows.each_value.select { |r| r["name"] == m["name"] }.each { |r| (r["samples"]["floor"] ||= []) << m.except("name", "implementation") }
      end
    rescue RuntimeError, SystemCallError => e
      failures["floor"] = e.message
      floor = nil
    end
  end
  seconds = Process.clock_gettime(Process::CLOCK_MONOTONIC) - round_started
  warn format("round %d/%d done in %.1f s", round + 1, ROUNDS, seconds)
end

# Statistics over the rounds: the median, and the spread as the interquartile
# range divided by the median (0.05: the middle half of the rounds lies within 5%).
def quantile(sorted, q)
  pos = (sorted.size - 1) * q
  lo = sorted[pos.floor]
  lo + ((sorted[pos.ceil] - lo) * (pos - pos.floor))
end

def stats(values)
  return nil if values.empty?

  sorted = values.sort
  median = quantile(sorted, 0.5)
  { "median" => median, "spread" => (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median,
    "min" => sorted.first, "max" => sorted.last, "rounds" => sorted.size }
end

# A ratio is claimed only when it is further from 1 than the wider of the two
# spreads it was made from; otherwise it is noise.
def ratio(numerator, denominator)
  return nil unless numerator && denominator

  value = numerator["median"] / denominator["median"]
  { "value" => value, "noise" => (value - 1).abs <= [numerator["spread"], denominator["spread"]].max }
end

rows.each_value do |row|
  sides = row["samples"].to_h do |side, samples|
    [side, { "ops_per_sec" => stats(samples.map { |m| m["ops_per_sec"] }),
             "cpu_ns_per_op" => stats(samples.map { |m| m["cpu_ns_per_op"] }),
             # CPU seconds per wall-clock second: below 1 in a one-thread row, the process waited or was
             # kept off the CPU (by other load), and its ops/s says less than its CPU/op.
             "cpu_share" => stats(samples.map { |m| m["cpu_seconds"] / m["seconds"] }) }]
  end
  std = sides["stdlib"]
  ours = sides["socket_rs"]
  floor_cpu = sides.dig("floor", "cpu_ns_per_op", "median")
  floor_ops = sides.dig("floor", "ops_per_sec", "median")
  row["summary"] = sides.merge(
    # Above 1: socket_rs is faster, or uses less CPU per operation.
    "ratio" => ratio(ours&.dig("ops_per_sec"), std&.dig("ops_per_sec")),
    "cpu_ratio" => ratio(std&.dig("cpu_ns_per_op"), ours&.dig("cpu_ns_per_op")),
    # How many times the floor's CPU time (and wall-clock time) per operation each side takes.
    "times_floor" => floor_cpu && %w[stdlib socket_rs].to_h { |s| [s, sides[s] && (sides[s]["cpu_ns_per_op"]["median"] / floor_cpu)] },
    "times_floor_wall" => floor_ops && %w[stdlib socket_rs].to_h { |s| [s, sides[s] && (floor_ops / sides[s]["ops_per_sec"]["median"])] }
  )
end

duration = ENV.fetch("BENCH_DURATION", "1.0")
results = {
  "ruby" => RUBY_VERSION, "ruby_platform" => RUBY_PLATFORM, "ruby_path" => RbConfig.ruby,
  "implementations" => implementations,
  "commit" => `git -C #{ROOT} describe --always --dirty 2>/dev/null`.strip,
  "started_at" => started_at.utc.iso8601, "seconds" => (Time.now - started_at).round(1),
  "rounds" => ROUNDS, "duration" => Float(duration), "warmup" => Float(ENV.fetch("BENCH_WARMUP", "0.3")),
  "filter" => filter, "env" => ENV.select { |k, _| k.start_with?("BENCH_") },
  "nproc" => Etc.respond_to?(:nprocessors) ? Etc.nprocessors : nil,
  "loadavg" => { "start" => load_at_start, "end" => loadavg },
  "rows" => rows.values, "failures" => failures
}
out = ENV["BENCH_OUT"] || File.join(ROOT, "tmp", "bench", filter ? "#{RUBY_VERSION}-#{filter.gsub(/\W/, '_')}.json" : "#{RUBY_VERSION}.json")
FileUtils.mkdir_p(File.dirname(out))
File.write(out, "#{JSON.pretty_generate(results)}\n")

def number(value)
  value.round.to_s.reverse.scan(/\d{1,3}/).join(",").reverse
end

def spread(stats)
  format("(%.1f%%)", stats["spread"] * 100)
end

def ops_cell(side)
  side ? "#{number(side['ops_per_sec']['median'])} #{spread(side['ops_per_sec'])}" : "failed"
end

def cpu_cell(side)
  return "failed" unless side

  ns = side["cpu_ns_per_op"]["median"]
  time = ns < 10_000 ? "#{number(ns)} ns" : format("%.1f µs", ns / 1000)
  "#{time} #{spread(side['cpu_ns_per_op'])}"
end

def ratio_cell(ratio)
  return "-" unless ratio

  "#{ratio['noise'] ? '~' : ''}#{format('%.2f', ratio['value'])}"
end

def times_cell(value)
  value ? format("%.2f", value) : ""
end

puts "Ruby #{RUBY_VERSION} (#{RUBY_PLATFORM}), #{results['implementations'].values.join(', ')}; " \
     "#{ROUNDS} round#{"s" unless ROUNDS == 1} of #{duration} s per measurement, stdlib and socket_rs processes alternating; " \
     "#{results['nproc']} CPUs, load average #{load_at_start&.first} at the start, " \
     "#{results.dig('loadavg', 'end')&.first} at the end; #{results['seconds']} s in all"
busiest = [load_at_start&.first, results.dig("loadavg", "end")&.first].compact.max
if busiest && results["nproc"] && busiest > results["nproc"]
  puts
  puts "The machine was busy (load average #{busiest} on #{results['nproc']} CPUs): the processes waited for a CPU, " \
       "so ops/s and its ratio say more about the other load than about the code; CPU/op holds better."
end
puts
puts "| benchmark | stdlib ops/s | socket_rs ops/s | ratio | stdlib CPU/op | socket_rs CPU/op | CPU ratio " \
     "| floor CPU/op | stdlib × floor | socket_rs × floor |"
puts "|-----------|-------------:|----------------:|------:|--------------:|-----------------:|----------:" \
     "|-------------:|---------------:|------------------:|"
rows.each_value do |row|
  s = row["summary"]
  puts "| #{row['name']} | #{ops_cell(s['stdlib'])} | #{ops_cell(s['socket_rs'])} | #{ratio_cell(s['ratio'])} " \
       "| #{cpu_cell(s['stdlib'])} | #{cpu_cell(s['socket_rs'])} | #{ratio_cell(s['cpu_ratio'])} " \
       "| #{s['floor'] ? cpu_cell(s['floor']) : ''} | #{times_cell(s.dig('times_floor', 'stdlib'))} " \
       "| #{times_cell(s.dig('times_floor', 'socket_rs'))} |"
end
puts
puts <<~NOTES
  Medians over the rounds; (n%) is the spread: the interquartile range of the rounds as a percentage of
  the median. CPU/op is the process's CPU time (all threads, kernel included) per operation.
  ratio = socket_rs / stdlib ops/s, CPU ratio = stdlib / socket_rs CPU time per op: above 1, socket_rs
  is faster. ~ marks noise: the ratio is no further from 1 than the wider of the two spreads.
  × floor = that side's CPU/op / the floor's: how many times the CPU time of the same syscalls made from
  Rust with no Ruby (bench/floor) each operation takes; 1.00 is the floor.
  Results: #{out.delete_prefix("#{ROOT}/")}
NOTES

unless failures.empty?
  warn "\nFailed runs:"
  failures.each { |what, message| warn "  #{what}: #{message}" }
  exit 1
end
