# frozen_string_literal: true

class BasicSocket < IO
  # The non-blocking calls take `exception:` as the stdlib's do; the native
  # part does the work.

  def recv_nonblock(len, flag = 0, str = nil, exception: true)
    __recv_nonblock(len, flag, str, exception)
  end

  def read_nonblock(len, str = nil, exception: true)
    __read_nonblock(len, str, exception)
  end

  def write_nonblock(buf, exception: true)
    __write_nonblock(buf, exception)
  end
end
