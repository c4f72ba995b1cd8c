# frozen_string_literal: true

# Addrinfo and Socket.getaddrinfo on numeric hosts: argument handling,
# sockaddr packing and text, no name server involved.
require_relative "lib/harness"

Bench.measure("Addrinfo.tcp(\"127.0.0.1\", 80)") { Addrinfo.tcp("127.0.0.1", 80) }

v6 = Addrinfo.tcp("::1", 80)
Bench.measure("Addrinfo#inspect (::1)") { v6.inspect }

Bench.measure("Socket.getaddrinfo(\"127.0.0.1\", 80)") { Socket.getaddrinfo("127.0.0.1", 80) }

v4 = Addrinfo.tcp("127.0.0.1", 80)
Bench.measure("Addrinfo#ip_unpack") { v4.ip_unpack }

Bench.measure("Marshal round-trip of an Addrinfo") { Marshal.load(Marshal.dump(v4)) }
