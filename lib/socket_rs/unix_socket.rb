# frozen_string_literal: true

module SocketRs
  # How the stdlib shows a UNIX socket path in error messages: the path as is
  # when every character is printable, else escaped character by character.
  SPECIAL_ESCAPES = {
    0x00 => "\\0", 0x07 => "\\a", 0x08 => "\\b", 0x09 => "\\t", 0x0A => "\\n", 0x0B => "\\v",
    0x0C => "\\f", 0x0D => "\\r", 0x1B => "\\e", 0x7F => "\\c?"
  }.freeze
  private_constant :SPECIAL_ESCAPES

  def self.unix_path_text(path)
    return path if printable?(path)

    unicode = path.encoding.name.start_with?("UTF-")
    path.each_char.map do |c|
      next c.bytes.map { |b| format("\\x%02X", b) }.join unless c.valid_encoding?

      code = c.ord
      if SPECIAL_ESCAPES.key?(code) then SPECIAL_ESCAPES[code]
      elsif code < 0x80 && c.match?(/[[:print:]]/) then c
      elsif unicode then code < 0x10000 ? format("\\u%04X", code) : format("\\u{%X}", code)
      elsif c.bytesize == 1 then format("\\x%02X", code)
      else format("\\x{%X}", code)
      end
    end.join
  end

  # Printable ASCII, or printable text in the encoding messages are shown in.
  def self.printable?(path)
    return false unless path.valid_encoding?
    return path.match?(/\A[[:print:]]*\z/) if path.encoding == (Encoding.default_internal || Encoding.default_external)

    path.ascii_only? && path.match?(/\A[[:print:]]*\z/)
  end
  private_class_method :printable?
end
