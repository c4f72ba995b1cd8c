# frozen_string_literal: true

require_relative "../spec_helper"
require_relative "../support/test_scheduler"

# Every blocking call waits through Ruby: other threads run, Thread#raise,
# Thread#kill and IO#close from another thread wake it, and a fiber
# scheduler's io_wait hook is used.
RSpec.describe "Blocking socket calls" do
  # Each case: a block that builds the situation and returns
  # [io that the call blocks on, the call, a way to let it finish, the expected result check, cleanup list].
  def unix_listener
    path = File.join(Dir.mktmpdir("socket_rs"), "s")
    @tmpdirs = (@tmpdirs || []) << File.dirname(path)
    server = Socket.new(:UNIX, :STREAM)
    server.bind(Socket.sockaddr_un(path))
    server.listen(0)
    [server, path]
  end

  BLOCKING_CASES = {
    "accept" => lambda do |ctx|
      server, path = ctx.unix_listener
      {
        io: server, call: -> { server.accept[0] },
        finish: -> { c = Socket.new(:UNIX, :STREAM); c.connect(Socket.sockaddr_un(path)); c },
        check: ->(r) { r.is_a?(Socket) }, cleanup: [server]
      }
    end,
    "connect" => lambda do |_ctx|
      # A TCP listener with backlog 0 whose queue is full drops SYNs, so
      # connect waits until the queue has room again.
      server = Socket.new(:INET, :STREAM)
      server.bind(Socket.sockaddr_in(0, "127.0.0.1"))
      server.listen(0)
      fillers = Array.new(2) do
        f = Socket.new(:INET, :STREAM)
        f.connect_nonblock(server.local_address, exception: false)
        f
      end
      sleep 0.05
      client = Socket.new(:INET, :STREAM)
      {
        io: client, call: -> { client.connect(server.local_address) },
        finish: -> { 3.times { IO.select([server], nil, nil, 3) && server.accept_nonblock(exception: false) } },
        check: ->(r) { r == 0 }, cleanup: [server, client, *fillers]
      }
    end,
    "recv" => lambda do |_ctx|
      a, b = Socket.pair(:UNIX, :STREAM)
      { io: a, call: -> { a.recv(10) }, finish: -> { b.write("data") }, check: ->(r) { r == "data" }, cleanup: [a, b] }
    end,
    "recvfrom" => lambda do |_ctx|
      a, b = Socket.pair(:UNIX, :DGRAM)
      {
        io: a, call: -> { a.recvfrom(10) }, finish: -> { b.send("dgram", 0) },
        check: ->(r) { r[0] == "dgram" && r[1].is_a?(Addrinfo) }, cleanup: [a, b]
      }
    end
  }.freeze

  before { require "tmpdir" }
  after { (@tmpdirs || []).each { |d| FileUtils.rm_rf(d) } }

  BLOCKING_CASES.each do |name, setup|
    describe name do
      let(:c) { setup.call(self) }

      after { c[:cleanup].each { |s| s.close unless s.closed? } }

      it "lets other threads run while it waits, then completes" do
        t = quiet_thread { c[:call].call }
        counter = 0
        deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 0.2
        counter += 1 while Process.clock_gettime(Process::CLOCK_MONOTONIC) < deadline
        wait_until_sleeping(t)
        expect(t.status).to eq("sleep")
        expect(counter).to be > 1000
        extra = c[:finish].call
        expect(t.join(5)).to eq(t)
        expect(c[:check].call(t.value)).to be(true)
        c[:cleanup] << extra if extra.is_a?(IO)
      end

      it "is woken by Thread#raise" do
        t = quiet_thread { c[:call].call }
        wait_until_sleeping(t)
        t.raise(Interrupt, "stop waiting")
        expect { t.join(5) }.to raise_error(Interrupt, "stop waiting")
      end

      it "is ended by Thread#kill" do
        t = quiet_thread { c[:call].call }
        wait_until_sleeping(t)
        t.kill
        expect(t.join(5)).to eq(t)
        expect(t.alive?).to be(false)
      end

      it "raises IOError when another thread closes the socket" do
        t = quiet_thread { c[:call].call }
        wait_until_sleeping(t)
        c[:io].close
        expect { t.join(5) }.to raise_error(IOError, "stream closed in another thread")
      end

      it "waits through a fiber scheduler's io_wait hook" do
        scheduler = TestScheduler.new
        result = nil
        Thread.new do
          Fiber.set_scheduler(scheduler)
          Fiber.schedule { result = c[:call].call }
          Fiber.schedule do
            extra = c[:finish].call
            c[:cleanup] << extra if extra.is_a?(IO)
          end
        end.join(10)
        expect(scheduler.io_waits).to be >= 1
        expect(c[:check].call(result)).to be(true)
      end
    end
  end
end
