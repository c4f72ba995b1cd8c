# frozen_string_literal: true

require "spec_helper"
require "json"
require "rbconfig"

RSpec.describe "socket_rs as a drop-in for the socket library" do
  lib = File.expand_path("../../lib", __dir__)

  # Loading order matters for a drop-in, so each scenario gets a fresh
  # interpreter. The child's stdout is its verdict as JSON.
  def run_ruby(code, lib)
    env = { "RUBYOPT" => nil, "http_proxy" => nil, "HTTP_PROXY" => nil, "no_proxy" => nil }
    out_r, out_w = IO.pipe
    err_r, err_w = IO.pipe
    pid = Process.spawn(env, RbConfig.ruby, "-I", lib, "-e", code, out: out_w, err: err_w)
    out_w.close
    err_w.close
    readers = [Thread.new { out_r.read }, Thread.new { err_r.read }]
    unless readers.all? { |t| t.join(15) }
      Process.kill(:KILL, pid)
      raise "ruby subprocess hung: #{code.lines.first}"
    end
    _, status = Process.wait2(pid)
    [readers[0].value, readers[1].value, status]
  ensure
    [out_r, err_r].each { |io| io&.close }
  end

  # Paths of a stdlib socket.so actually mapped into the process, not just listed.
  stdlib_so_mapped = <<~RUBY
    def stdlib_socket_so_mapped
      File.read("/proc/self/maps").lines.map { |l| l.split.last }
          .select { |path| path.end_with?("/socket.so") }.uniq
    end
  RUBY

  context "after require \"socket_rs\"", socket_rs_only: true do
    it "makes require \"socket\" a no-op that loads nothing" do
      out, err, status = run_ruby(<<~RUBY, lib)
        require "json"
        #{stdlib_so_mapped}
        require "socket_rs"
        before = $LOADED_FEATURES.dup
        classes = [Socket, BasicSocket, SocketError]
        result = require "socket"
        puts JSON.generate(
          require_result: result,
          new_features: $LOADED_FEATURES - before,
          mapped: stdlib_socket_so_mapped,
          version: SocketRs::VERSION,
          same_classes: classes.zip([Socket, BasicSocket, SocketError]).all? { |a, b| a.equal?(b) }
        )
      RUBY
      expect(status).to be_success, err
      verdict = JSON.parse(out)
      expect(verdict["require_result"]).to be(false)
      expect(verdict["new_features"]).to eq([])
      expect(verdict["mapped"]).to eq([])
      expect(verdict["version"]).to match(/\A\d+\.\d+\.\d+/)
      expect(verdict["same_classes"]).to be(true)
    end

    it "serves net/http over its own TCPServer and TCPSocket on 127.0.0.1" do
      out, err, status = run_ruby(<<~RUBY, lib)
        require "json"
        #{stdlib_so_mapped}
        require "socket_rs"
        require "net/http"

        server = TCPServer.new("127.0.0.1", 0)
        port = server.local_address.ip_port
        responder = Thread.new do
          client = server.accept
          nil until ["\\r\\n", nil].include?(client.gets)
          body = "served by \#{client.class}"
          client.write("HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n" \\
                       "Content-Length: \#{body.bytesize}\\r\\nConnection: close\\r\\n\\r\\n\#{body}")
          client.close
        end
        # nil proxy: never route through an http_proxy from the environment.
        response = Net::HTTP.new("127.0.0.1", port, nil).start { |http| http.get("/") }
        responder.join
        server.close
        puts JSON.generate(code: response.code, body: response.body,
                           mapped: stdlib_socket_so_mapped, socket_rs: defined?(SocketRs::VERSION))
      RUBY
      expect(status).to be_success, err
      verdict = JSON.parse(out)
      expect(verdict["code"]).to eq("200")
      expect(verdict["body"]).to eq("served by TCPSocket")
      expect(verdict["mapped"]).to eq([])
      expect(verdict["socket_rs"]).to be_truthy
    end
  end

  context "after require \"socket\"", socket_rs_only: true do
    it "refuses to load and says to load socket_rs first" do
      out, err, status = run_ruby(<<~RUBY, lib)
        require "json"
        require "socket"
        begin
          require "socket_rs"
          puts JSON.generate(raised: nil)
        rescue LoadError => e
          puts JSON.generate(raised: e.class.name, message: e.message)
        end
      RUBY
      expect(status).to be_success, err
      verdict = JSON.parse(out)
      expect(verdict["raised"]).to eq("LoadError")
      expect(verdict["message"]).to include("socket_rs")
      expect(verdict["message"]).to include("RUBYOPT=-rsocket_rs")
    end
  end

  describe "the class tree" do
    {
      "BasicSocket" => "IO",
      "Socket" => "BasicSocket",
      "IPSocket" => "BasicSocket",
      "TCPSocket" => "IPSocket",
      "TCPServer" => "TCPSocket",
      "UDPSocket" => "IPSocket",
      "UNIXSocket" => "BasicSocket",
      "UNIXServer" => "UNIXSocket",
      "SocketError" => "StandardError"
    }.each do |name, parent|
      it "has #{name} < #{parent}" do
        klass = Object.const_get(name)
        expect(klass).to be_a(Class)
        expect(klass.superclass).to equal(Object.const_get(parent))
      end
    end

    it "has Socket::ResolutionError < SocketError", added_in: "3.3" do
      expect(Socket::ResolutionError.superclass).to equal(SocketError)
    end
  end
end
