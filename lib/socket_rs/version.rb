# frozen_string_literal: true

module SocketRs
  VERSION = "0.1.0"
end
