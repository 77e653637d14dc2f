// Source files and spans: byte offsets stored, line/column computed on demand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace onus {

/// Identifies a file inside a SourceMap. 0 means "no file" (synthetic spans).
using FileId = std::uint32_t;

/// A half-open byte range [begin, end) inside one source file.
struct Span {
  FileId file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  /// True when the span points into a real file.
  [[nodiscard]] bool valid() const { return file != 0; }
  /// The smallest span covering both (same file assumed).
  [[nodiscard]] Span to(const Span& other) const { return Span{file, begin, other.end}; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// A 1-based line and column; columns count Unicode code points, a tab counts as one.
struct LineColumn {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// One loaded source file. The text is kept as read, except that a UTF-8 BOM
/// is dropped; CRLF line ends stay in the text and are handled by the line table.
class SourceFile {
 public:
  /// `name` is what diagnostics print (a path relative to where the user ran
  /// onus, or `<stdlib>/aws/ec2.onus` for embedded files).
  SourceFile(FileId id, std::string name, std::string text);

  [[nodiscard]] FileId id() const { return id_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::string_view text() const { return text_; }

  /// Line and column (code points) of a byte offset; offsets past the end clamp.
  [[nodiscard]] LineColumn line_column(std::uint32_t offset) const;
  /// The text of a 1-based line without its line terminator ("\n" or "\r\n").
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
  /// Byte offset where a 1-based line starts.
  [[nodiscard]] std::uint32_t line_start(std::uint32_t line) const;
  /// Number of lines (a final line without terminator counts).
  [[nodiscard]] std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  /// The source text a span covers.
  [[nodiscard]] std::string_view slice(const Span& span) const;

 private:
  FileId id_;
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

/// Owns every file of a run; spans refer to files by id.
class SourceMap {
 public:
  /// Adds a file and returns it. Ids start at 1.
  const SourceFile& add(std::string name, std::string text);
  /// The file with this id, or nullptr for id 0 / unknown ids.
  [[nodiscard]] const SourceFile* get(FileId id) const;
  /// Number of files.
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

/// Counts the code points of a UTF-8 byte range (invalid bytes count as one each).
std::uint32_t count_code_points(std::string_view text);

/// True when `text` is valid UTF-8; on failure `bad_offset` gets the first bad byte.
bool is_valid_utf8(std::string_view text, std::size_t& bad_offset);

}  // namespace onus
