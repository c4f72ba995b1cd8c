# frozen_string_literal: true

class TCPServer < TCPSocket
  def accept_nonblock(exception: true)
    __accept_nonblock(exception)
  end
end
