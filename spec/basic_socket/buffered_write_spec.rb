# frozen_string_literal: true

require_relative "../spec_helper"

# With `sync = false`, IO#write may leave bytes in Ruby's write buffer. A method
# that writes to the fd directly writes those out first, so nothing is reordered.
RSpec.describe "Writes that bypass Ruby's write buffer" do
  before do
    @a, @b = UNIXSocket.pair
    @a.sync = false
  end

  after { [@a, @b].each { |s| s.close unless s.closed? } }

  it "write_nonblock flushes what IO#write buffered" do
    @a.write("h")
    @a.write_nonblock("ello")
    expect(@b.recv(10)).to eq("hello")
  end

  # The stdlib sends these past the buffered bytes.
  reorders = "sends past the bytes IO#write buffered"
  it "send, sendmsg and send_io flush it too", stdlib_bug: { "3.1" => reorders, "3.3" => reorders, "3.4" => reorders } do
    @a.write("1")
    @a.send("2", 0)
    expect(@b.recv(10)).to eq("12")
    @a.write("3")
    @a.sendmsg("4")
    expect(@b.recv(10)).to eq("34")
    r, w = IO.pipe
    @a.write("5")
    @a.send_io(r)
    expect(@b.recv(1)).to eq("5")
    got = @b.recv_io
    expect(got).to be_an(IO)
    [r, w, got].each(&:close)
  end
end
