# frozen_string_literal: true

require_relative "../spec_helper"

# Ruby 3.3+ (Feature #19012): the end of a stream is nil from recvmsg too (before,
# a message with "" as its data); an empty datagram is still an empty String.
RSpec.describe "BasicSocket#recvmsg at the end of a stream" do
  it "returns nil from recvmsg and recvmsg_nonblock on a closed stream" do
    a, b = UNIXSocket.pair
    b.close
    [a.recvmsg, a.recvmsg_nonblock].each do |got|
      if PerRuby.end_of_stream.nil?
        expect(got).to be_nil
      else
        expect(got[0]).to eq("")
        expect(got[1].inspect).to eq("#<Addrinfo: empty-sockaddr SOCK_STREAM>")
      end
    end
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
