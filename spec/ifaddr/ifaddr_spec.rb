# frozen_string_literal: true

require_relative "../spec_helper"
require "json"

RSpec.describe Socket::Ifaddr do
  let(:ifaddrs) { Socket.getifaddrs }
  let(:lo4) { ifaddrs.find { |i| i.name == "lo" && i.addr&.ipv4? } }

  it "is made only by Socket.getifaddrs", type_check: false do
    expect { Socket::Ifaddr.new }.to raise_error(TypeError, "allocator undefined for Socket::Ifaddr")
    expect { Socket::Ifaddr.allocate }.to raise_error(TypeError, "allocator undefined for Socket::Ifaddr")
    expect { lo4.dup }.to raise_error(TypeError, "allocator undefined for Socket::Ifaddr")
    expect(Socket::Ifaddr.superclass).to eq(Object)
    expect(Socket::Ifaddr.instance_methods(false).sort)
      .to eq(%i[addr broadaddr dstaddr flags ifindex inspect name netmask])
  end

  it "describes the loopback interface's IPv4 address" do
    expect(ifaddrs).to all(be_a(Socket::Ifaddr))
    expect(lo4.name).to eq("lo")
    expect(lo4.name.encoding).to eq(Encoding::BINARY)
    expect(lo4.ifindex).to eq(Socket.getifaddrs.find { |i| i.name == "lo" }.ifindex)
    expect(lo4.ifindex).to be > 0
    expect(lo4.flags & (Socket::IFF_UP | Socket::IFF_LOOPBACK)).to eq(Socket::IFF_UP | Socket::IFF_LOOPBACK)
    expect(lo4.addr.inspect).to eq("#<Addrinfo: 127.0.0.1>")
    expect([lo4.addr.pfamily, lo4.addr.socktype, lo4.addr.protocol]).to eq([Socket::PF_INET, 0, 0])
    expect(lo4.netmask.inspect).to eq("#<Addrinfo: 255.0.0.0>")
    expect(lo4.broadaddr).to be_nil
    expect(lo4.dstaddr).to be_nil
    expect(lo4.inspect).to match(/\A#<Socket::Ifaddr lo UP,LOOPBACK,RUNNING(,0x[0-9a-f]+)? 127\.0\.0\.1 netmask=255\.0\.0\.0>\z/)
  end

  it "shows the link-level (AF_PACKET) entries in the stdlib's PACKET[...] form" do
    lo = ifaddrs.find { |i| i.name == "lo" && i.addr&.afamily == Socket::AF_PACKET }
    expect(lo.addr.inspect).to eq("#<Addrinfo: PACKET[protocol=0 lo hatype=772 HOST hwaddr=00:00:00:00:00:00]>")
    expect(lo.addr.to_sockaddr.bytesize).to eq(18)
    expect(lo.netmask).to be_nil
  end

  it "takes its class name from the object's class in #inspect" do
    expect(lo4.inspect).to start_with("#<Socket::Ifaddr lo ")
  end

  describe "Socket.ip_address_list" do
    it "lists the IPv4 and IPv6 interface addresses as plain Addrinfo" do
      list = Socket.ip_address_list
      expect(list).to all(be_a(Addrinfo))
      expect(list.map(&:inspect)).to include("#<Addrinfo: 127.0.0.1>")
      expect(list.map { |a| [a.ip?, a.socktype, a.protocol] }.uniq).to eq([[true, 0, 0]])
      expect(list.map(&:inspect)).to eq(ifaddrs.map(&:addr).compact.select(&:ip?).map(&:inspect))
    end
  end

  context "in a private namespace with veth, tun and loopback interfaces", netns: true do
    let(:setup) do
      <<~SH
        ip link add v0 type veth peer name v1
        ip addr add 10.8.0.1/24 brd + dev v0
        ip -6 addr add fd00:8::1/64 dev v0 nodad
        ip tuntap add t0 mode tun
        ip addr add 10.9.0.1 peer 10.9.0.2 dev t0
      SH
    end

    def run_in_namespace
      script = <<~RUBY
        require "json"
        system(#{setup.inspect}, exception: true)
        ours = Socket.getifaddrs.map(&:inspect)
        details = Socket.getifaddrs.map { |i| [i.name, i.flags, i.addr&.inspect, i.netmask&.inspect, i.broadaddr&.inspect, i.dstaddr&.inspect] }
        stdlib = IO.popen([RbConfig.ruby, "-rsocket", "-e", "Socket.getifaddrs.each { |i| puts i.inspect }"], &:read).lines(chomp: true)
        puts JSON.generate([ours, stdlib, details, Socket.ip_address_list.map(&:inspect)])
      RUBY
      r = NetNs.ruby(script)
      expect(r.status.success?).to be(true), "child failed:\n#{r.out}\n#{r.err}"
      JSON.parse(r.out.lines.last)
    end

    it "inspects every entry as the stdlib does, line by line" do
      ours, stdlib, details, addresses = run_in_namespace
      expect(ours.size).to eq(stdlib.size)
      ours.zip(stdlib).each { |o, s| expect(o).to eq(s) }
      expect(ours).to include("#<Socket::Ifaddr lo UP,LOOPBACK,RUNNING,0x10000 127.0.0.1 netmask=255.0.0.0>")
      expect(ours).to include("#<Socket::Ifaddr lo UP,LOOPBACK,RUNNING,0x10000 ::1 netmask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff>")
      expect(ours).to include("#<Socket::Ifaddr t0 POINTOPOINT,NOARP,MULTICAST 10.9.0.1 netmask=255.255.255.255 dstaddr=10.9.0.2>")
      expect(ours).to include("#<Socket::Ifaddr v0 BROADCAST,MULTICAST 10.8.0.1 netmask=255.255.255.0 broadcast=10.8.0.255>")
      expect(ours).to include("#<Socket::Ifaddr v0 BROADCAST,MULTICAST fd00:8::1 netmask=ffff:ffff:ffff:ffff::>")
      expect(ours.grep(/\A#<Socket::Ifaddr v0 BROADCAST,MULTICAST PACKET\[protocol=0 v0 hatype=1 HOST hwaddr=(\h\h:){5}\h\h\] broadcast=PACKET\[protocol=0 v0 hatype=1 HOST hwaddr=ff:ff:ff:ff:ff:ff\]>\z/).size).to eq(1)
      expect(details).to include(["t0", 0x1090, "#<Addrinfo: 10.9.0.1>", "#<Addrinfo: 255.255.255.255>", nil, "#<Addrinfo: 10.9.0.2>"])
      expect(details).to include(["v0", 0x1002, "#<Addrinfo: 10.8.0.1>", "#<Addrinfo: 255.255.255.0>", "#<Addrinfo: 10.8.0.255>", nil])
      expect(addresses).to eq(["#<Addrinfo: 127.0.0.1>", "#<Addrinfo: 10.8.0.1>", "#<Addrinfo: 10.9.0.1>",
                               "#<Addrinfo: ::1>", "#<Addrinfo: fd00:8::1>"])
    end
  end
end
