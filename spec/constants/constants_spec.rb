# frozen_string_literal: true

require_relative "../spec_helper"
require "rbconfig"

RSpec.describe "Socket::Constants" do
  # The stdlib's names and values on this machine, from a separate process
  # (the stdlib and socket_rs can't both be loaded in one).
  let(:stdlib_constants) do
    script = 'Socket::Constants.constants.sort.each { |c| puts "#{c} #{Socket::Constants.const_get(c)}" }'
    out = IO.popen([RbConfig.ruby, "-rsocket", "-e", script], &:read)
    out.lines.to_h { |l| n, v = l.split; [n.to_sym, Integer(v)] }
  end

  it "is a module under Socket" do
    expect(Socket::Constants).to be_an_instance_of(Module)
    expect(Socket.const_defined?(:Constants, false)).to be true
  end

  it "has that Ruby's number of constants: 314 on 3.1, 316 on 3.3 (SO_INCOMING_*), 318 on 3.4 (IPV6_MTU_DISCOVER, IPV6_RECVERR)" do
    count = if PerRuby.at_least?("3.4") then 318
            elsif PerRuby.at_least?("3.3") then 316
            else 314
            end
    expect(Socket::Constants.constants.size).to eq count
  end

  it "names the options newer Rubies added in Socket::Option#inspect only where that Ruby has them" do
    cpu = Socket::Option.new(:INET, :SOCKET, 49, [1].pack("i")).inspect
    mtu = Socket::Option.new(:INET6, :IPV6, 23, [1].pack("i")).inspect
    expect(cpu).to eq(PerRuby.at_least?("3.3") ? '#<Socket::Option: INET SOCKET INCOMING_CPU "\x01\x00\x00\x00">' : '#<Socket::Option: INET SOCKET optname:49 "\x01\x00\x00\x00">')
    expect(mtu).to eq(PerRuby.at_least?("3.4") ? '#<Socket::Option: INET6 IPV6 MTU_DISCOVER "\x01\x00\x00\x00">' : '#<Socket::Option: INET6 IPV6 optname:23 "\x01\x00\x00\x00">')
  end

  it "has exactly the stdlib's names and values" do
    ours = Socket::Constants.constants.sort.to_h { |c| [c, Socket::Constants.const_get(c)] }
    expect(ours).to eq stdlib_constants
  end

  it "holds the expected values for a sample" do
    expect(Socket::Constants::AF_INET).to eq 2
    expect(Socket::Constants::AF_INET6).to eq 10
    expect(Socket::Constants::AF_UNIX).to eq 1
    expect(Socket::Constants::PF_LOCAL).to eq 1
    expect(Socket::Constants::SOCK_STREAM).to eq 1
    expect(Socket::Constants::SOCK_DGRAM).to eq 2
    expect(Socket::Constants::SOCK_CLOEXEC).to eq 524_288
    expect(Socket::Constants::SOL_SOCKET).to eq 1
    expect(Socket::Constants::SO_REUSEADDR).to eq 2
    expect(Socket::Constants::SO_REUSEPORT).to eq 15
    expect(Socket::Constants::TCP_NODELAY).to eq 1
    expect(Socket::Constants::IPPROTO_IPV6).to eq 41
    expect(Socket::Constants::IPV6_V6ONLY).to eq 26
    expect(Socket::Constants::INADDR_BROADCAST).to eq 4_294_967_295
    expect(Socket::Constants::INADDR_LOOPBACK).to eq 0x7f000001
    expect(Socket::Constants::EAI_ADDRFAMILY).to eq(-9)
    expect(Socket::Constants::SHUT_RDWR).to eq 2
    expect(Socket::Constants::SOMAXCONN).to eq 4096
    expect(Socket::Constants::MSG_FASTOPEN).to eq 0x20000000
  end

  it "defines every constant on Socket itself too, without including the module" do
    Socket::Constants.constants.each do |c|
      expect(Socket.const_defined?(c, false)).to be(true), "Socket::#{c} missing"
      expect(Socket.const_get(c, false)).to eq Socket::Constants.const_get(c)
    end
    expect(Socket.include?(Socket::Constants)).to be false
    expect(Socket.ancestors).not_to include(Socket::Constants)
  end

  it "lists the constants among Socket.constants" do
    expect(Socket.constants).to include(:AF_INET, :SOCK_STREAM, :SO_REUSEADDR, :Constants)
    expect(Socket::Constants.constants - Socket.constants(false)).to eq []
  end

  it "can be included to reach the names unqualified" do
    klass = Class.new { include Socket::Constants }
    expect(klass.const_get(:AF_INET6)).to eq 10
    expect(klass.const_get(:SOCK_DGRAM)).to eq 2
  end

  it "raises NameError for a name the stdlib lacks" do
    expect { Socket::Constants::AF_NOPE }.to raise_error(NameError, /uninitialized constant Socket::Constants::AF_NOPE/)
  end
end
