# frozen_string_literal: true

# Runs every bench/*.rb twice, in separate processes (both implementations
# define ::Socket): once on the stdlib (-rsocket), once on socket_rs
# (-Ilib -rsocket_rs), then prints a Markdown table of ops/s and the ratio.
#
#   ruby bench/run.rb [name-filter]     BENCH_DURATION=2 for longer runs
require "json"
require "open3"
require "rbconfig"

root = File.expand_path("..", __dir__)
lib = File.join(root, "lib")
implementations = {
  "stdlib" => ["-rsocket"],
  "socket_rs" => ["-I", lib, "-rsocket_rs"]
}

files = Dir[File.join(__dir__, "*.rb")].sort - [File.expand_path(__FILE__)]
files.select! { |f| File.basename(f).include?(ARGV[0]) } if ARGV[0]
abort "no benchmarks match #{ARGV[0].inspect}" if files.empty?

# One row per measurement (a file may hold several):
# "file/name" => { "name" => label, impl => ops/s }.
results = Hash.new { |h, k| h[k] = { "name" => k } }
failures = []

files.each do |file|
  key = File.basename(file, ".rb")
  implementations.each do |impl, flags|
    # No RUBYOPT: a -rsocket_rs inherited from the shell would mix the two.
    out, err, status = Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, *flags, file, chdir: root)
    unless status.success?
      failures << "#{File.basename(file)} on #{impl}: #{err.lines.first(3).join.strip}"
      # Mark this file's rows (known from the other implementation) as failed.
      rows = results.keys.select { |k| k.start_with?("#{key}/") }
      (rows.empty? ? [key] : rows).each { |k| results[k][impl] = nil }
      next
    end
    out.lines.grep(/\A\{/).each do |line|
      row = JSON.parse(line)
      results["#{key}/#{row["name"]}"]["name"] = row["name"]
      results["#{key}/#{row["name"]}"][impl] = row["ops_per_sec"]
    end
  end
end

fmt = ->(ops) { ops ? ops.round.to_s.reverse.scan(/\d{1,3}/).join(",").reverse : "failed" }
puts "Ruby #{RUBY_VERSION} (#{RUBY_PLATFORM}), " \
     "#{ENV.fetch('BENCH_DURATION', '1.0')} s per measurement"
puts
puts "| benchmark | stdlib ops/s | socket_rs ops/s | ratio |"
puts "|-----------|-------------:|----------------:|------:|"
results.each_value do |by_impl|
  name = by_impl["name"]
  std = by_impl["stdlib"]
  ours = by_impl["socket_rs"]
  ratio = std && ours ? format("%.2f", ours / std) : "-"
  puts "| #{name} | #{fmt[std]} | #{fmt[ours]} | #{ratio} |"
end
puts
puts "ratio = socket_rs / stdlib (above 1: socket_rs is faster)"

unless failures.empty?
  warn "\nFailed runs:"
  failures.each { |f| warn "  #{f}" }
  exit 1
end
