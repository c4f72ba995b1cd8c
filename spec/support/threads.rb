# frozen_string_literal: true

# Helpers for examples about blocking calls and fd leaks, shared by every
# spec folder.
module SpecThreads
  # A thread whose exception is expected (checked through #join), so Ruby
  # doesn't report it on stderr.
  def quiet_thread(&block)
    Thread.new do
      Thread.current.report_on_exception = false
      block.call
    end
  end

  # Waits (up to 5 s) until `thread` is blocked, then a little longer so it
  # is inside the call rather than on its way in.
  def wait_until_sleeping(thread)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 5
    sleep 0.01 until thread.status == "sleep" || !thread.alive? || Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
    sleep 0.05
  end

  # The process's open fds, after a GC run has closed unreachable IOs.
  def open_fds
    GC.start
    Dir.children("/proc/self/fd").size
  end
end

RSpec.configure { |config| config.include SpecThreads }
