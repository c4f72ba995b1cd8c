# frozen_string_literal: true

require_relative "../spec_helper"

# Ruby 3.3+ (Bug #19012): the end of a stream is nil from recvmsg too; an
# empty datagram is still an empty String.
RSpec.describe "BasicSocket#recvmsg at the end of a stream", ruby34: true do
  it "returns nil from recvmsg and recvmsg_nonblock on a closed stream" do
    a, b = UNIXSocket.pair
    b.close
    expect(a.recvmsg).to be_nil
    expect(a.recvmsg_nonblock).to be_nil
    a.close
  end

  it "still returns an empty datagram as a message" do
    a, b = UNIXSocket.pair(:DGRAM)
    b.send("", 0)
    msg, = a.recvmsg
    expect(msg).to eq("")
    [a, b].each(&:close)
  end
end
