# frozen_string_literal: true

# resolv_timeout: (TCPSocket.new, Socket.tcp) and timeout: (Addrinfo.getaddrinfo)
# end a name lookup that takes too long, instead of waiting for the system
# resolver to give up by itself.
#
# The lookup here never gets an answer: the program runs in a private network
# namespace that has only a loopback interface, with a private /etc/resolv.conf
# bind-mounted over the real one that names 127.0.0.1 as the only name server,
# and a "name server" on 127.0.0.1:53 that reads every query and never replies.
# So no query leaves this machine, and the real /etc/resolv.conf is never
# touched. That takes root: the program re-runs itself under `unshare -n -m`
# (util-linux), and says why and exits 0 where it can't.
#
#   sudo ruby -rsocket_rs examples/resolv_timeout.rb   # socket_rs: any Ruby from 3.1
#   sudo ruby -rsocket examples/resolv_timeout.rb      # Ruby's own, for comparison
#   (from a checkout: sudo ruby -Ilib -rsocket_rs examples/resolv_timeout.rb)
require "socket"
require "rbconfig"
require "tmpdir"

# The system resolver would wait 3 s (one attempt of 3 s) before failing.
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:3 attempts:1\n"
HOSTS = "127.0.0.1 localhost\n"

unless ARGV.first == "--in-namespace"
  why = if !Process.uid.zero?
          "it needs root for unshare -n -m"
        elsif !system("unshare", "-n", "-m", "true", %i[out err] => File::NULL)
          "unshare -n -m is not available here"
        end
  if why
    puts "resolv_timeout.rb: skipped, #{why}"
    exit 0
  end

  Dir.mktmpdir("resolv_timeout") do |dir|
    File.write(File.join(dir, "resolv.conf"), RESOLV_CONF)
    File.write(File.join(dir, "hosts"), HOSTS)
    # The child loads the same socket library as this process.
    socket_rs = $LOADED_FEATURES.find { |f| f.end_with?("/socket_rs.rb") }
    flags = socket_rs ? ["-I", File.dirname(socket_rs), "-rsocket_rs"] : ["-rsocket"]
    setup = 'ip link set lo up && mount --bind "$1/resolv.conf" /etc/resolv.conf && ' \
            'mount --bind "$1/hosts" /etc/hosts && shift && exec "$@"'
    ok = system("unshare", "-n", "-m", "sh", "-c", setup, "sh", dir,
                RbConfig.ruby, *flags, __FILE__, "--in-namespace")
    exit(ok ? 0 : 1)
  end
end

# ---- inside the namespace ----
impl = defined?(SocketRs::VERSION) ? "socket_rs #{SocketRs::VERSION}" : "the stdlib socket library"
puts "resolv_timeout: with #{impl} on Ruby #{RUBY_VERSION}"

# The name server that never answers.
dns = UDPSocket.new
dns.bind("127.0.0.1", 53)
queries = 0
listener = Thread.new do
  loop do
    dns.recvfrom(512)
    queries += 1
  end
end

def attempt(label)
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  outcome = begin
    result = yield
    "returned #{result.inspect}".tap { result.close if result.respond_to?(:close) }
  rescue StandardError => e
    "#{e.class}: #{e.message}"
  end
  ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round
  puts format("  %-62s %5d ms  %s", label, ms, outcome)
end

attempt('TCPSocket.new("slow.example", 80, resolv_timeout: 1)') do
  TCPSocket.new("slow.example", 80, resolv_timeout: 1)
end
attempt('Socket.tcp("slow.example", 80, resolv_timeout: 1)') do
  Socket.tcp("slow.example", 80, resolv_timeout: 1)
end
attempt('Addrinfo.getaddrinfo("slow.example", 80, timeout: 1)') do
  Addrinfo.getaddrinfo("slow.example", 80, nil, :STREAM, timeout: 1)
end
attempt('Addrinfo.getaddrinfo("slow.example", 80) (no timeout)') do
  Addrinfo.getaddrinfo("slow.example", 80, nil, :STREAM)
end

sleep 0.1
listener.kill.join
dns.close
puts "  the name server on 127.0.0.1:53 read #{queries} queries and answered none"
