# frozen_string_literal: true

require "spec_helper"
require "json"
require "open3"
require "rbconfig"

# On each Ruby, socket_rs has every class, public method and constant of that
# Ruby's stdlib socket library, with the same names and values, and adds only
# what newer Rubies brought. Private helpers are each side's own business.
RSpec.describe "socket_rs's public API", socket_rs_only: true do
  # What newer Rubies added that socket_rs has on every Ruby.
  ADDITIONS = {
    "Socket" => { "singleton" => %w[tcp_fast_fallback tcp_fast_fallback= tcp_with_fast_fallback],
                  "constants" => %w[ResolutionError] }
  }.freeze
  ADDED_CLASSES = %w[Socket::ResolutionError].freeze

  PUBLIC = %w[kind superclass singleton instance constants].freeze

  def stdlib_surface
    code = "require 'json'; load #{File.expand_path('../support/api_surface.rb', __dir__).dump}; " \
           "print JSON.generate(ApiSurface.capture)"
    out, err, status = Open3.capture3({ "RUBYOPT" => nil }, RbConfig.ruby, "-rsocket", "-e", code)
    expect(status.success?).to be(true), err
    JSON.parse(out)
  end

  it "matches the stdlib of this Ruby, plus the newer Rubies' additions", type_check: false do
    ours = JSON.parse(JSON.generate(ApiSurface.capture))
    stdlib_surface.each do |name, theirs|
      mine = ours.fetch(name)
      if theirs.nil?
        expect(ADDED_CLASSES).to include(name), "#{name} is not in this Ruby's stdlib"
        next
      end
      PUBLIC.each do |part|
        added = ADDITIONS.dig(name, part) || []
        if theirs[part].is_a?(Hash)
          expect(mine[part].reject { |k, _| added.include?(k) })
            .to eq(theirs[part].reject { |k, _| added.include?(k) }), "#{name} #{part}"
        elsif theirs[part].is_a?(Array)
          expect(mine[part] - added).to eq(theirs[part] - added), "#{name} #{part}"
        else
          expect(mine[part]).to eq(theirs[part]), "#{name} #{part}"
        end
      end
    end
  end
end
