# frozen_string_literal: true

require "open3"
require "rbconfig"
require "tmpdir"

# Runs Ruby code in a private network and mount namespace (unshare -n -m):
# only a loopback interface, and private /etc/hosts and /etc/resolv.conf, so
# name lookups never leave the machine. The child loads the same socket
# library as the specs (the oracle) and may start a DNS server that never
# answers on 127.0.0.1:53.
module NetNs
  LIB = File.expand_path("../../lib", __dir__)

  # A DNS "server" that reads queries and never replies; it counts them in
  # the file given, and writes a ready file once bound.
  SILENT_DNS = <<~RUBY
    require "socket"
    s = UDPSocket.new
    s.bind("127.0.0.1", 53)
    File.write(ARGV[1], "ready")
    count = 0
    loop { s.recvfrom(512); File.write(ARGV[0], (count += 1).to_s) }
  RUBY

  def self.reason_unavailable
    return @reason if defined?(@reason)

    @reason =
      if Process.uid != 0
        "needs root for unshare -n -m"
      elsif !system("unshare -n -m true", %i[out err] => File::NULL)
        "unshare -n -m is not available here"
      elsif !system("unshare -n sh -c 'ip link set lo up'", %i[out err] => File::NULL)
        "`ip link set lo up` fails in a new network namespace"
      end
  end

  def self.oracle_flags
    SocketRsSpecHelpers.socket_rs? ? ["-I", LIB, "-rsocket_rs"] : ["-rsocket"]
  end

  Result = Struct.new(:out, :err, :status, :queries)

  # Runs `code` in the namespace. hosts/resolv are the files' contents;
  # silent_dns: true starts the never-answering server first.
  def self.ruby(code, hosts: "127.0.0.1 localhost\n",
                resolv: "nameserver 127.0.0.1\noptions timeout:4 attempts:1\n",
                silent_dns: false, timeout: 60)
    Dir.mktmpdir("socket_rs-netns") do |dir|
      File.write(File.join(dir, "hosts"), hosts)
      File.write(File.join(dir, "resolv.conf"), resolv)
      File.write(File.join(dir, "dns.rb"), SILENT_DNS)
      File.write(File.join(dir, "test.rb"), code)
      count = File.join(dir, "queries")
      ready = File.join(dir, "ready")
      script = +"set -e; ip link set lo up\n"
      script << "mount --bind #{dir}/hosts /etc/hosts\n"
      script << "mount --bind #{dir}/resolv.conf /etc/resolv.conf\n"
      if silent_dns
        # The server always runs on the stdlib: it is scenery, not under test.
        script << "#{RbConfig.ruby} #{dir}/dns.rb #{count} #{ready} & dns=$!\n"
        script << "i=0; while [ ! -e #{ready} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done\n"
      end
      script << "set +e; timeout #{timeout} \"$@\"; rc=$?\n"
      script << "[ -n \"${dns:-}\" ] && kill $dns 2>/dev/null; exit $rc\n"
      argv = ["unshare", "-n", "-m", "sh", "-c", script, "sh",
              RbConfig.ruby, *oracle_flags, File.join(dir, "test.rb")]
      out, err, status = Open3.capture3({ "RUBYOPT" => nil }, *argv)
      queries = File.exist?(count) ? File.read(count).to_i : 0
      Result.new(out, err, status, queries)
    end
  end
end

RSpec.configure do |config|
  # `netns: true` examples skip, saying why, where namespaces can't be made.
  config.before(:each, netns: true) do
    reason = NetNs.reason_unavailable
    skip("network namespace tests skipped: #{reason}") if reason
  end
end
