# frozen_string_literal: true

require_relative "../spec_helper"
require "json"
require "rbconfig"
require "resolv"
require "tmpdir"

# Real users of sockets (net/http, drb, resolv) run in a fresh interpreter on
# the oracle's socket library; each child prints its verdict as JSON.
RSpec.describe "libraries built on sockets", timeout: 60 do
  def oracle_flags
    socket_rs? ? ["-I", File.expand_path("../../lib", __dir__), "-rsocket_rs"] : ["-rsocket"]
  end

  # Prelude for the child: its verdict also says which library it ran on.
  def prelude
    <<~RUBY
      require "json"
      def verdict(h)
        h[:socket_rs] = !!defined?(SocketRs)
        puts JSON.generate(h)
      end
    RUBY
  end

  def run_child(code)
    env = { "RUBYOPT" => nil, "http_proxy" => nil, "HTTP_PROXY" => nil, "no_proxy" => nil }
    out_r, out_w = IO.pipe
    err_r, err_w = IO.pipe
    pid = Process.spawn(env, RbConfig.ruby, *oracle_flags, "-e", prelude + code, out: out_w, err: err_w)
    out_w.close
    err_w.close
    readers = [Thread.new { out_r.read }, Thread.new { err_r.read }]
    unless readers.all? { |t| t.join(40) }
      Process.kill(:KILL, pid)
      raise "child ruby hung"
    end
    _, status = Process.wait2(pid)
    out, err = readers.map(&:value)
    expect(status).to be_success, "child failed:\n#{err}"
    result = JSON.parse(out.lines.last)
    expect(result["socket_rs"]).to be(socket_rs?)
    result
  ensure
    [out_r, err_r].each { |io| io&.close }
  end

  it "net/http GETs from a TCPServer-based responder" do
    result = run_child(<<~RUBY)
      require "net/http"
      server = TCPServer.new("127.0.0.1", 0)
      port = server.local_address.ip_port
      responder = Thread.new do
        2.times do
          conn = server.accept
          request_line = conn.gets
          nil until conn.gets == "\\r\\n"
          body = "you asked for \#{request_line.split[1]}"
          conn.write("HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n" \\
                     "Content-Length: \#{body.bytesize}\\r\\nConnection: close\\r\\n\\r\\n\#{body}")
          conn.close
        end
      end
      get = Net::HTTP.get_response(URI("http://127.0.0.1:\#{port}/hello"))
      started = Net::HTTP.start("localhost", port) { |http| http.get("/again").body }
      responder.join
      server.close
      verdict(code: get.code, body: get.body, type: get["content-type"], second: started)
    RUBY
    expect(result).to include("code" => "200", "body" => "you asked for /hello", "type" => "text/plain",
                              "second" => "you asked for /again")
  end

  it "drb calls a front object over TCP (druby://127.0.0.1:0)" do
    result = run_child(<<~RUBY)
      require "drb/drb"
      front = Class.new { def add(a, b) = a + b; def echo(x) = x }.new
      server = DRb.start_service("druby://127.0.0.1:0", front)
      remote = DRbObject.new_with_uri(server.uri)
      verdict(uri: server.uri, sum: remote.add(2, 3), echo: remote.echo([1, "two", :three].inspect))
      DRb.stop_service
    RUBY
    expect(result["uri"]).to match(%r{\Adruby://127\.0\.0\.1:\d+\z})
    expect(result["sum"]).to eq(5)
    expect(result["echo"]).to eq('[1, "two", :three]')
  end

  it "drb calls a front object over a UNIX socket (drbunix:)" do
    Dir.mktmpdir("socket_rs-drb") do |dir|
      path = File.join(dir, "drb.sock")
      result = run_child(<<~RUBY)
        require "drb/drb"
        require "drb/unix"
        front = Class.new { def shout(s) = s.upcase }.new
        server = DRb.start_service("drbunix:#{path}", front)
        remote = DRbObject.new_with_uri("drbunix:#{path}")
        verdict(uri: server.uri, shout: remote.shout("quiet"), socket: File.socket?("#{path}"))
        DRb.stop_service
      RUBY
      expect(result).to include("uri" => "drbunix:#{path}", "shout" => "QUIET", "socket" => true)
    end
  end

  it "Resolv (over UDPSocket) asks a local DNS responder on 127.0.0.1" do
    dns = Socket.new(:INET, :DGRAM)
    dns.bind(Addrinfo.udp("127.0.0.1", 0))
    port = dns.local_address.ip_port
    queries = Queue.new
    # Answers every A query with 192.0.2.7 (a documentation address; nothing connects to it).
    responder = Thread.new do
      loop do
        data, from = dns.recvfrom(512)
        query = Resolv::DNS::Message.decode(data)
        name, type = query.question.first
        queries << [name.to_s, type]
        reply = Resolv::DNS::Message.new(query.id)
        reply.qr = 1
        reply.aa = 1
        reply.rd = query.rd
        reply.ra = 1
        reply.add_question(name, type)
        reply.add_answer(name, 300, Resolv::DNS::Resource::IN::A.new("192.0.2.7")) if type == Resolv::DNS::Resource::IN::A
        dns.send(reply.encode, 0, from)
      end
    end
    responder.report_on_exception = false
    begin
      result = run_child(<<~RUBY)
        require "resolv"
        resolver = Resolv::DNS.new(nameserver_port: [["127.0.0.1", #{port}]])
        resolver.timeouts = 5
        verdict(address: resolver.getaddress("example.test").to_s,
                all: resolver.getaddresses("example.test").map(&:to_s))
      RUBY
      expect(result["address"]).to eq("192.0.2.7")
      expect(result["all"]).to eq(["192.0.2.7"])
      first = queries.pop
      expect(first[0]).to eq("example.test")
    ensure
      responder.kill.join(5)
      dns.close
    end
  end
end
