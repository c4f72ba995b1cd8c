# frozen_string_literal: true

class BasicSocket < IO
  # The non-blocking calls take `exception:` (and recvmsg_nonblock
  # `scm_rights:`) as the stdlib's do; the native part does the work.

  def recv_nonblock(len, flag = 0, str = nil, exception: true)
    __recv_nonblock(len, flag, str, exception)
  end

  def read_nonblock(len, str = nil, exception: true)
    __read_nonblock(len, str, exception)
  end

  def write_nonblock(buf, exception: true)
    __write_nonblock(buf, exception)
  end

  def sendmsg_nonblock(mesg, flags = 0, dest_sockaddr = nil, *controls, exception: true)
    __sendmsg_nonblock(mesg, flags, dest_sockaddr, controls, exception)
  end

  def recvmsg_nonblock(dlen = nil, flags = 0, clen = nil, scm_rights: false, exception: true)
    __recvmsg_nonblock(dlen, flags, clen, scm_rights, exception)
  end
end
