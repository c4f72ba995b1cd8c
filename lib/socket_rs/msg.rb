# frozen_string_literal: true

class BasicSocket < IO
  # The non-blocking message calls take `exception:` (and recvmsg_nonblock
  # `scm_rights:`) as the stdlib's do; the native part does the work.

  def sendmsg_nonblock(mesg, flags = 0, dest_sockaddr = nil, *controls, exception: true)
    __sendmsg_nonblock(mesg, flags, dest_sockaddr, controls, exception)
  end

  def recvmsg_nonblock(dlen = nil, flags = 0, clen = nil, scm_rights: false, exception: true)
    __recvmsg_nonblock(dlen, flags, clen, scm_rights, exception)
  end
end
