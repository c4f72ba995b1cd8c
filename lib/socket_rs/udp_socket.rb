# frozen_string_literal: true

class UDPSocket < IPSocket
  # The keyword is taken here; the native part does the work.
  def recvfrom_nonblock(len, flag = 0, outbuf = nil, exception: true)
    __recvfrom_nonblock(len, flag, outbuf, exception)
  end
end
