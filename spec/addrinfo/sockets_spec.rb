# frozen_string_literal: true

require_relative "../spec_helper"

# Addrinfo#connect, #connect_from, #connect_to, #bind and #listen open sockets
# through Socket's public API; loopback only.
RSpec.describe Addrinfo, "socket helpers" do
  before do
    skip "needs Socket.new(family, type, protocol)" unless Socket.instance_method(:initialize).owner == Socket
  end

  it "listens, connects and closes block-form sockets" do
    server = Addrinfo.tcp("127.0.0.1", 0).listen
    port = server.local_address.ip_port
    client = Addrinfo.tcp("127.0.0.1", port).connect(timeout: 5)
    expect(client.remote_address.ip_port).to eq(port)
    client.close
    seen = nil
    Addrinfo.tcp("127.0.0.1", port).connect { |s| seen = s }
    expect(seen).to be_closed
  ensure
    server&.close
  end

  it "binds UDP sockets" do
    Addrinfo.udp("127.0.0.1", 0).bind do |s|
      expect(s.local_address.ip_address).to eq("127.0.0.1")
      expect(s.local_address.socktype).to eq(Socket::SOCK_DGRAM)
    end
  end

  it "connect_from and connect_to bind the local side" do
    server = Addrinfo.tcp("127.0.0.1", 0).listen
    port = server.local_address.ip_port
    Addrinfo.tcp("127.0.0.1", port).connect_from("127.0.0.1", 0) do |s|
      expect(s.remote_address.ip_port).to eq(port)
    end
    Addrinfo.tcp("127.0.0.1", 0).connect_to("127.0.0.1", port) do |s|
      expect(s.remote_address.ip_port).to eq(port)
    end
  ensure
    server&.close
  end

  it "raises the connect error and closes the socket" do
    port = Addrinfo.tcp("127.0.0.1", 0).bind { |s| s.local_address.ip_port }
    expect { Addrinfo.tcp("127.0.0.1", port).connect }
      .to raise_error(Errno::ECONNREFUSED, "Connection refused - connect(2) for 127.0.0.1:#{port}")
  end
end
