# frozen_string_literal: true

require "spec_helper"
require "pathname"

# sig/ covers the whole public API of the library under test: every class and
# module, every public singleton and instance method and every constant it
# defines on this Ruby (socket_rs's, or the stdlib's: both must be covered).
# Needs rbs, which comes with Ruby (2.x with Debian's 3.1).
RSpec.describe "sig/", type_check: false do
  rbs_available = begin
    require "rbs"
    true
  rescue LoadError
    false
  end

  before { skip("no rbs for Ruby #{RUBY_VERSION}") unless rbs_available }

  let(:env) do
    loader = RBS::EnvironmentLoader.new
    loader.add(path: Pathname(File.expand_path("../../sig", __dir__)))
    RBS::Environment.from_loader(loader).resolve_type_names
  end
  let(:builder) { RBS::DefinitionBuilder.new(env: env) }

  # "Socket::Option" as an absolute RBS::TypeName (rbs 2.x and 3.x alike).
  def type_name(name)
    *path, last = name.split("::").map(&:to_sym)
    RBS::TypeName.new(name: last, namespace: RBS::Namespace.new(path: path, absolute: true))
  end

  names = ApiSurface::NAMES + %w[SocketRs SocketRs::Helpers]
  names.each do |name|
    it "has signatures for every public method and constant of #{name}" do
      mod = name.split("::").inject(Object) { |m, c| m&.const_defined?(c, false) ? m.const_get(c, false) : nil }
      skip("#{name} is not defined here") unless mod

      decl = env.class_decls[type_name(name)]
      expect(decl).not_to be_nil, "no declaration of #{name} in sig/"

      singleton = builder.build_singleton(type_name(name)).methods.keys
      expect(mod.singleton_methods(false) - singleton).to eq([]), "#{name}: singleton methods without a signature"

      instance = builder.build_instance(type_name(name)).methods.keys
      own = mod.public_instance_methods(false) + mod.protected_instance_methods(false)
      expect(own - instance).to eq([]), "#{name}: instance methods without a signature"

      declared = env.constant_decls.keys.select { |c| c.namespace.to_s == "::#{name}::" }.map { |c| c.name }
      nested = env.class_decls.keys.select { |c| c.namespace.to_s == "::#{name}::" }.map { |c| c.name }
      expect(mod.constants(false) - declared - nested).to eq([]), "#{name}: constants without a signature"
    end
  end
end
