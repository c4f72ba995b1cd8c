# frozen_string_literal: true

# A minimal fiber scheduler for specs: it records io_wait calls and runs
# ready fibers with IO.select, so a spec can show a blocking socket call
# yielded to the scheduler instead of blocking the thread.
class TestScheduler
  attr_reader :io_waits

  def initialize
    @readable = {}
    @writable = {}
    @sleeping = []
    @blocked = {}
    @ready = []
    @io_waits = 0
  end

  def fiber(&block)
    fiber = Fiber.new(blocking: false, &block)
    fiber.resume
    fiber
  end

  def io_wait(io, events, _timeout)
    @io_waits += 1
    @readable[io] = Fiber.current if events & IO::READABLE != 0
    @writable[io] = Fiber.current if events & IO::WRITABLE != 0
    Fiber.yield
    events
  end

  def kernel_sleep(duration = nil)
    @sleeping << [Fiber.current, duration && now + duration]
    Fiber.yield
  end

  def block(_blocker, timeout = nil)
    @blocked[Fiber.current] = timeout && now + timeout
    Fiber.yield
  end

  def unblock(_blocker, fiber)
    @ready << fiber
  end

  def close
    run
  end

  def closed?
    false
  end

  private

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  # Resumes a fiber once, forgetting any other event it waited for.
  def wake(fiber)
    return unless fiber&.alive?

    @readable.delete_if { |_, f| f == fiber }
    @writable.delete_if { |_, f| f == fiber }
    fiber.resume
  end

  def run
    until @readable.empty? && @writable.empty? && @sleeping.empty? && @ready.empty? && @blocked.empty?
      r, w = IO.select(@readable.keys, @writable.keys, [], 0.01)
      r&.each { |io| wake(@readable.delete(io)) }
      w&.each { |io| wake(@writable.delete(io)) }
      due, @sleeping = @sleeping.partition { |_, at| at.nil? || at <= now }
      due.each { |f, _| f.resume }
      ready, @ready = @ready, []
      ready.each { |f| @blocked.delete(f); f.resume if f.alive? }
      expired = @blocked.select { |_, at| at && at <= now }.keys
      expired.each { |f| @blocked.delete(f); f.resume }
    end
  end
end
