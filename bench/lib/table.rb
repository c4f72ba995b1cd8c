# frozen_string_literal: true

# Prints the ratios of every Ruby's full run (tmp/bench/<version>.json) side by
# side as a Markdown table: socket_rs over the stdlib, by CPU time per operation
# and by ops/s; "~" marks a ratio inside the noise band.
#   ruby bench/lib/table.rb [results dir]
require "json"

dir = ARGV[0] || File.expand_path("../../tmp/bench", __dir__)
runs = Dir[File.join(dir, "*.json")].grep(%r{/\d+\.\d+\.\d+\.json\z}).sort_by { |f| Gem::Version.new(File.basename(f, ".json")) }
abort "no full runs in #{dir} (run rake bench first)" if runs.empty?
results = runs.to_h { |f| [File.basename(f, ".json"), JSON.parse(File.read(f))] }

cell = lambda do |ratio|
  next "-" unless ratio && ratio["value"]

  text = format("%.2f", ratio["value"])
  ratio["noise"] ? "~#{text}" : text
end

names = results.values.flat_map { |r| r["rows"].map { |row| row["name"] } }.uniq
versions = results.keys
puts "| benchmark | #{versions.map { |v| "CPU #{v}" }.join(' | ')} | #{versions.map { |v| "ops/s #{v}" }.join(' | ')} |"
puts "|---|#{'---:|' * (versions.size * 2)}"
names.each do |name|
  rows = versions.map { |v| results[v]["rows"].find { |row| row["name"] == name }&.dig("summary") }
  cpu = rows.map { |s| cell.(s&.dig("cpu_ratio")) }
  ops = rows.map { |s| cell.(s&.dig("ratio")) }
  puts "| #{name} | #{cpu.join(' | ')} | #{ops.join(' | ')} |"
end
