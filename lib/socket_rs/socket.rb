# frozen_string_literal: true

class Socket < BasicSocket
  def recvfrom_nonblock(len, flag = 0, str = nil, exception: true)
    __recvfrom_nonblock(len, flag, str, exception)
  end

  def accept_nonblock(exception: true)
    __accept_nonblock(exception)
  end

  def connect_nonblock(addr, exception: true)
    __connect_nonblock(addr, exception)
  end
end
