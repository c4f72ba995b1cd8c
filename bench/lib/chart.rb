# frozen_string_literal: true

# Draws the ratios socket_rs/stdlib (median ops/s) of bench/run.rb's results
# as an SVG bar chart with gnuplot: one group of bars per benchmark row, one
# colour per Ruby, on a log scale around 1. Pale bars are noise (see run.rb).
#
#   ruby bench/lib/chart.rb [out.svg] [results.json ...]
#   defaults: bench/results/ratios.svg from every unfiltered tmp/bench/*.json
require "fileutils"
require "json"
require "open3"

root = File.expand_path("../..", __dir__)
out = ARGV[0] || File.join(root, "bench", "results", "ratios.svg")
paths = ARGV.drop(1)
paths = Dir[File.join(root, "tmp", "bench", "*.json")] if paths.empty?
results = paths.map { |p| JSON.parse(File.read(p)) }.reject { |r| r["filter"] }
abort "chart: no results in #{paths.empty? ? 'tmp/bench' : paths.join(', ')}; run bench/run.rb first" if results.empty?
results.sort_by! { |r| Gem::Version.new(r["ruby"]) }

names = results.flat_map { |r| r["rows"].map { |row| row["name"] } }.uniq
# Two panels: the ratio of median ops/s, and of median CPU time per operation.
metrics = { "ratio" => "median ops/s, socket_rs / stdlib (above 1: socket_rs is faster)",
            "cpu_ratio" => "median CPU time per op, stdlib / socket_rs (above 1: socket_rs uses less)" }
colours = %w[#4e79a7 #e15759 #59a14f #f28e2b #b07aa1]
gap = 0.8 / results.size # the height of one bar; a row's bars fill 0.8 of it
quote = ->(text) { "'#{text.gsub("'", "''")}'" } # a gnuplot single-quoted string
ticks = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50, 100, 200, 500].map { |t| "'#{t}' #{t}" }.join(", ")

key_height = 16 * (results.size + 1) # the key's title and a line per Ruby
height = 110 + key_height + (names.size * results.size * 15) + (names.size * 8)
script = +<<~GNUPLOT
  set terminal svg size 1400,#{height} dynamic noenhanced font 'sans,11' background '#ffffff'
  set encoding utf8
  set output #{quote[out]}
  set logscale x 2
  set yrange [#{names.size + 0.5}:0.5]
  set xtics (#{ticks}) nomirror
  set grid xtics lc '#dddddd'
  set style fill solid 1.0 noborder
  set arrow from 1, graph 0 to 1, graph 1 nohead lc '#000000' lw 1
  # Both panels get the same margins, so their rows line up; the key sits below them.
  set tmargin at screen #{1 - (40.0 / height)}
  set bmargin at screen #{(40.0 + key_height) / height}
  set key at screen 0.425, screen #{4.0 / height} center bottom vertical title 'pale bars and ~: within the noise'
  set multiplot
GNUPLOT

metrics.each_with_index do |(metric, title), panel|
  values = []
  plots = []
  results.each_with_index do |r, j|
    ratios = r["rows"].filter_map { |row| (ratio = row.dig("summary", metric)) && [row["name"], ratio] }.to_h
    offset = (j - ((results.size - 1) / 2.0)) * gap
    bars = Hash.new { |h, k| h[k] = [] }
    names.each_with_index do |name, i|
      next unless (ratio = ratios[name])

      v = ratio["value"]
      values << v
      y = i + 1 + offset
      bars[ratio["noise"] ? :noise : :claimed] << [v, y, [v, 1].min, [v, 1].max, y - (gap / 2.2), y + (gap / 2.2)]
      bars[v >= 1 ? :right : :left] << [v, y, format("%<noise>s%<v>.2f", noise: ratio["noise"] ? "~" : "", v: v)]
    end
    label = "Ruby #{r['ruby']} (#{r['rounds']} rounds × #{r['duration']} s, #{r['started_at'][0, 10]})"
    colour = colours[j % colours.size]
    { claimed: "solid 1.0", noise: "solid 0.3 border lc '#{colour}'" }.each do |kind, fill|
      next if bars[kind].empty?

      script << "$b#{panel}#{j}#{kind} << EOD\n#{bars[kind].map { |b| b.join(' ') }.join("\n")}\nEOD\n"
      key = kind == :claimed || bars[:claimed].empty? ? "title #{quote[label]}" : "notitle"
      plots << "$b#{panel}#{j}#{kind} using 1:2:3:4:5:6 with boxxyerror fs #{fill} lc '#{colour}' #{key}"
    end
    { right: "left offset 0.4,0", left: "right offset -0.4,0" }.each do |side, placement|
      next if bars[side].empty?

      script << "$l#{panel}#{j}#{side} << EOD\n#{bars[side].map { |b| b.join(' ') }.join("\n")}\nEOD\n"
      plots << "$l#{panel}#{j}#{side} using 1:2:3 with labels #{placement} font ',8' tc '#444444' notitle"
    end
  end
  next if values.empty?

  # The row names stand left of the first panel only; the key sits under it.
  labels = names.each_with_index.map { |name, i| "#{panel.zero? ? quote[name] : "''"} #{i + 1}" }.join(", ")
  script << <<~GNUPLOT
    set title #{quote[title]}
    set lmargin at screen #{panel.zero? ? 0.25 : 0.63}
    set rmargin at screen #{panel.zero? ? 0.60 : 0.98}
    set xrange [#{[values.min, 1].min / 1.4}:#{[values.max, 1].max * 1.6}]
    set ytics (#{labels}) nomirror
    #{panel.zero? ? '' : 'unset key'}
    plot #{plots.join(", \\\n     ")}
  GNUPLOT
end
script << "unset multiplot\n"

FileUtils.mkdir_p(File.dirname(out))
begin
  _, err, status = Open3.capture3("gnuplot", stdin_data: script)
rescue Errno::ENOENT
  abort "chart: gnuplot is missing (script/setup installs it: apt-get install gnuplot-nox)"
end
abort "chart: gnuplot failed:\n#{err}" unless status.success?
warn err unless err.empty?
puts "chart: #{out} (#{results.map { |r| r['ruby'] }.join(', ')})"
