# frozen_string_literal: true

# The public face of the socket library in this process: every class and module,
# its methods (public, protected, private; instance and singleton) and constants.
# The drop-in spec compares it between the stdlib and socket_rs on the same Ruby.
module ApiSurface
  NAMES = %w[Socket BasicSocket IPSocket TCPSocket TCPServer UDPSocket UNIXSocket UNIXServer Addrinfo
             Socket::Option Socket::AncillaryData Socket::Ifaddr Socket::UDPSource Socket::Constants
             SocketError Socket::ResolutionError].freeze

  module_function

  # { "Socket" => { "singleton" => [...], "instance" => [...], "constants" => {...} }, ... }
  def capture
    NAMES.to_h do |name|
      mod = name.split("::").inject(Object) { |m, c| m.const_defined?(c, false) ? m.const_get(c, false) : nil }
      [name, mod && describe(mod)]
    end
  end

  def describe(mod)
    own = ->(list) { list.map(&:to_s).sort }
    {
      "kind" => mod.class.name,
      "superclass" => mod.is_a?(Class) ? mod.superclass&.name : nil,
      "singleton" => own.(mod.singleton_methods(false)),
      "singleton_private" => own.(mod.singleton_class.private_instance_methods(false)),
      "instance" => own.(mod.public_instance_methods(false) + mod.protected_instance_methods(false)),
      "private" => own.(mod.private_instance_methods(false)),
      "constants" => mod.constants(false).sort.to_h do |c|
        v = mod.const_get(c, false)
        [c.to_s, v.is_a?(Module) ? v.name : v.inspect]
      end
    }
  end
end
