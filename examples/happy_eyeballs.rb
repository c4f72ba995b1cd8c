# frozen_string_literal: true

# Happy Eyeballs v2 (RFC 8305): TCPSocket.new and Socket.tcp try a name's IPv6
# and IPv4 addresses side by side, so an address that never answers costs
# 250 ms, not a whole connect timeout. fast_fallback: turns it on or off per
# call (Socket.tcp_fast_fallback is the default), connect_timeout: bounds the
# whole connect.
#
# "dual.example" has two addresses: ::1, where nothing ever answers (a listener
# whose queue is full drops the SYNs), and 127.0.0.1, where a server accepts.
# The names live in a private
# /etc/hosts inside a private network namespace that has only a loopback
# interface, so nothing leaves this machine and the real /etc/hosts is never
# touched. That takes root: the program re-runs itself under `unshare -n -m`
# (util-linux), and says why and exits 0 where it can't.
#
#   sudo ruby -rsocket_rs examples/happy_eyeballs.rb   # socket_rs: any Ruby from 3.1
#   sudo ruby -rsocket examples/happy_eyeballs.rb      # Ruby's own: Ruby 3.4 or later
#   (from a checkout: sudo ruby -Ilib -rsocket_rs examples/happy_eyeballs.rb)
require "socket"
require "rbconfig"
require "tmpdir"

HOSTS = <<~HOSTS
  127.0.0.1 localhost
  ::1 dual.example
  127.0.0.1 dual.example
HOSTS

unless ARGV.first == "--in-namespace"
  why = if !Process.uid.zero?
          "it needs root for unshare -n -m"
        elsif !system("unshare", "-n", "-m", "true", %i[out err] => File::NULL)
          "unshare -n -m is not available here"
        end
  if why
    puts "happy_eyeballs.rb: skipped, #{why}"
    exit 0
  end

  Dir.mktmpdir("happy_eyeballs") do |dir|
    hosts = File.join(dir, "hosts")
    File.write(hosts, HOSTS)
    # The child loads the same socket library as this process.
    socket_rs = $LOADED_FEATURES.find { |f| f.end_with?("/socket_rs.rb") }
    flags = socket_rs ? ["-I", File.dirname(socket_rs), "-rsocket_rs"] : ["-rsocket"]
    setup = 'ip link set lo up && mount --bind "$1" /etc/hosts && shift && exec "$@"'
    ok = system("unshare", "-n", "-m", "sh", "-c", setup, "sh", hosts,
                RbConfig.ruby, *flags, __FILE__, "--in-namespace")
    exit(ok ? 0 : 1)
  end
end

# ---- inside the namespace ----
impl = defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "the stdlib socket library"
puts "Happy Eyeballs with #{impl} on Ruby #{RUBY_VERSION}"
unless Socket.respond_to?(:tcp_fast_fallback)
  puts "  skipped: this socket library has no fast_fallback: (use socket_rs, or Ruby 3.4's own)"
  exit 0
end

port = 40_123
# The silent IPv6 address: a listener with a backlog of 0 and its queue already full.
black_hole = Socket.new(:INET6, :STREAM)
black_hole.bind(Addrinfo.tcp("::1", port))
black_hole.listen(0)
fillers = Array.new(2) do
  filler = Socket.new(:INET6, :STREAM)
  filler.connect_nonblock(Addrinfo.tcp("::1", port), exception: false)
  filler
end
sleep 0.1

server = TCPServer.new("127.0.0.1", port)
acceptor = Thread.new { loop { server.accept.close } }

def attempt(label)
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  outcome = begin
    sock = yield
    "connected to #{sock.remote_address.inspect_sockaddr}".tap { sock.close }
  rescue StandardError => e
    "#{e.class}: #{e.message}"
  end
  ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round
  puts format("  %-62s %5d ms  %s", label, ms, outcome)
end

puts "  dual.example resolves to #{Addrinfo.getaddrinfo('dual.example', port, nil, :STREAM).map(&:ip_address).join(' and ')}"
attempt('TCPSocket.new("dual.example", port)') { TCPSocket.new("dual.example", port) }
attempt('TCPSocket.new(..., fast_fallback: true)') { TCPSocket.new("dual.example", port, fast_fallback: true) }
attempt('Socket.tcp("dual.example", port)') { Socket.tcp("dual.example", port) }
# One address at a time: the silent ::1 holds the connect until connect_timeout
# runs out (what then happens to the next address depends on the Ruby).
attempt('TCPSocket.new(..., fast_fallback: false, connect_timeout: 1)') do
  TCPSocket.new("dual.example", port, fast_fallback: false, connect_timeout: 1)
end
# Nothing answers at all (the silent address alone): connect_timeout ends the connect.
attempt('Socket.tcp("::1", port, connect_timeout: 0.5)') { Socket.tcp("::1", port, connect_timeout: 0.5) }

acceptor.kill.join
[server, black_hole, *fillers].each(&:close)
