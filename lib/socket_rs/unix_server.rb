# frozen_string_literal: true

class UNIXServer < UNIXSocket
  def accept_nonblock(exception: true)
    __accept_nonblock(exception)
  end
end
