# frozen_string_literal: true

class TCPSocket < IPSocket
  # TCPSocket.new(host, port, local_host = nil, local_port = nil,
  #               resolv_timeout: nil, connect_timeout: nil, fast_fallback: Socket.tcp_fast_fallback)
  # Connects with Happy Eyeballs v2 unless fast_fallback is false or host is an IP address.
  def initialize(host, port, local_host = nil, local_port = nil,
                 resolv_timeout: nil, connect_timeout: nil, fast_fallback: Socket.tcp_fast_fallback)
    __initialize(host, port, local_host, local_port, resolv_timeout, connect_timeout, fast_fallback)
  end
end
