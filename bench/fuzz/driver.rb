# frozen_string_literal: true

# Differential fuzzer: runs one seeded stream of calls (generator.rb) in three
# processes, each in a private network namespace with only loopback: the
# stdlib socket twice and socket_rs once. Each process prints one outcome line
# per call; this driver reads the three streams in step and prints every call
# whose outcome differs between the stdlib and socket_rs. Calls where the two
# stdlib runs disagree are dropped as nondeterministic; differences listed in
# deliberate.rb are counted apart, and so are the not yet fixed ones known.rb
# lists (those still fail the run). A process that dies or stops answering is
# reported with the seed and call index, then restarted after that call.
#
#   ruby bench/fuzz/driver.rb            N=3000 SEED=1234 FROM=0 (environment)
#   ruby bench/fuzz/driver.rb --child SEED FROM COUNT   (one stream, on stdout)
#
# Exits 1 on any difference outside deliberate.rb, and on any crash or hang.
# Replay one call with FROM=<index> N=1 (the call's source is printed).
require_relative "generator"

if ARGV[0] == "--child"
  seed, from, count = ARGV[1, 3].map { |a| Integer(a) }
  scope = Object.new.instance_eval { binding }
  $stdout.sync = true # a line per call reaches the driver before the next call runs
  Fuzz::Generator.new(seed).each(from, count) { |_, src| $stdout.write("#{Fuzz.outcome(src, scope)}\n") }
  exit!(0)
end

require "rbconfig"
require "io/wait"
require "tempfile"
require_relative "deliberate"
require_relative "known"

ROOT = File.expand_path("../..", __dir__)
N = Integer(ENV.fetch("N", "3000"))
SEED = Integer(ENV["SEED"] || rand(2**31))
FROM = Integer(ENV.fetch("FROM", "0"))
HANG = Float(ENV.fetch("HANG_SECONDS", "60"))
IMPLS = { "stdlib" => ["-rsocket"], "stdlib again" => ["-rsocket"],
          "socket_rs" => ["-I", File.join(ROOT, "lib"), "-rsocket_rs"] }.freeze
LISTED = Fuzz::DELIBERATE + Fuzz::KNOWN
abort "fuzz: needs root (each run is in its own network namespace: unshare -n)" unless Process.uid.zero?

# One running stream: a process printing outcomes from call `from` on.
class Stream
  attr_reader :name

  def initialize(name, flags)
    @name = name
    @flags = flags
    @restarts = 0
  end

  def start(from)
    @err = Tempfile.new("fuzz-stderr")
    netns = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    cmd = [*netns, RbConfig.ruby, *@flags, __FILE__, "--child", SEED.to_s, from.to_s, (FROM + N - from).to_s]
    @io = IO.popen({ "RUBYOPT" => nil }, cmd, err: @err.path, chdir: ROOT)
  end

  # The next outcome line; on a crash or hang, a "CRASH ..." line instead
  # (with what went wrong in `failure`), and the stream restarts after `index`.
  def next_line(index)
    line = @io.wait_readable(HANG) ? @io.gets : :hang
    return line.chomp if line.is_a?(String)

    Process.kill(:KILL, @io.pid) if line == :hang
    @io.close
    why = line == :hang ? "no answer in #{HANG}s" : $?.to_s
    # Ruby's crash report starts with the "[BUG] ..." line that says what happened.
    stderr = File.read(@err.path).lines.first(3).map { |l| "    #{l}" }.join
    @err.close!
    @restarts += 1
    abort "fuzz: #{@name} keeps failing; last: #{why}\n#{stderr}" if @restarts > 20
    start(index + 1) if index + 1 < FROM + N
    @failure = [index, "#{@name}: #{why}\n#{stderr}"]
    "CRASH"
  end

  def take_failure = @failure.tap { @failure = nil }

  def finish
    @io.close unless @io.closed?
    @err.close! unless @err.closed?
  end
end

streams = IMPLS.map { |name, flags| Stream.new(name, flags) }
streams.each { |s| s.start(FROM) }
generator = Fuzz::Generator.new(SEED)
puts "fuzz: #{N} calls from #{FROM}, SEED=#{SEED}, Ruby #{RUBY_VERSION} (#{RbConfig.ruby})"
counts = Hash.new(0)
# A DELIBERATE or KNOWN entry => [number of calls, the first few as examples].
grouped = Hash.new { |h, k| h[k] = [0, []] }
crashes = []

report = lambda do |kind, index, src, stdlib, ours|
  puts "#{kind} at call #{index}: #{src}"
  puts "  stdlib:    #{stdlib}"
  puts "  socket_rs: #{ours}"
end

# The driver walks the same stream, to name the calls it reports.
generator.each(FROM, N) do |index, src|
  stdlib, again, ours = streams.map { |s| s.next_line(index) }
  streams.each { |s| (f = s.take_failure) && crashes << f }
  $stderr.puts "fuzz: #{index + 1 - FROM} calls" if ((index + 1 - FROM) % 100_000).zero?
  next if [stdlib, again, ours].include?("CRASH") # reported below
  next counts[:same] += 1 if stdlib == ours && again == ours
  next counts[:nondeterministic] += 1 if stdlib != again

  entry = LISTED.find { |d| d.match.call(src, stdlib, ours) }
  if entry
    hits = grouped[entry]
    hits[0] += 1
    hits[1] << [index, src, stdlib, ours] if hits[1].size < 3
  elsif stdlib.start_with?("!") && ours.start_with?("!") && stdlib.split(" ", 2)[0] == ours.split(" ", 2)[0]
    counts[:message_only] += 1
    report.call("message-only difference", index, src, stdlib, ours)
  else
    counts[:different] += 1
    report.call("difference", index, src, stdlib, ours)
  end
end
streams.each(&:finish)

grouped.each do |entry, (count, examples)|
  kind = Fuzz::KNOWN.include?(entry) ? "known, not fixed" : "deliberate"
  puts "#{kind} (#{count} calls): #{entry.name} -- #{entry.reason}"
  examples.each { |example| report.call("  #{kind}", *example) }
end
known = grouped.sum { |entry, (count, _)| Fuzz::KNOWN.include?(entry) ? count : 0 }
crashes.each do |index, what|
  puts "CRASH at call #{index}: #{generator.call_at(index)}  (replay: rake fuzz SEED=#{SEED} FROM=#{index} N=1)"
  puts "  #{what}"
end
puts "fuzz: SEED=#{SEED} N=#{N} FROM=#{FROM}: #{counts[:same]} same, #{counts[:different]} different, " \
     "#{counts[:message_only]} message-only, #{known} known (not fixed), " \
     "#{grouped.values.sum(&:first) - known} deliberate, " \
     "#{counts[:nondeterministic]} nondeterministic (dropped), #{crashes.size} crashes"
exit(counts[:different] + counts[:message_only] + known + crashes.size > 0 ? 1 : 0)
