// Internal helpers shared by the input readers: loading files (and stdin) with
// limits, positions from byte offsets, JSON error reporting, attribute paths.
// Not part of the engine's interface: include only from engine/inputs/*.cpp.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inputs/resource.hpp"

namespace onus::inputs::detail {

/// What a reader expects, for the first-bytes checks and the messages.
enum class InputKind { terraform_plan, cloudformation, inventory };

/// Memory for an input: large buffers are mapped directly and populated at
/// once, which is cheaper than faulting 300 MB in page by page.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer() { reset(); }
  ByteBuffer(ByteBuffer&& other) noexcept : data_(other.data_), size_(other.size_), mapped_(other.mapped_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  ByteBuffer& operator=(ByteBuffer&& other) noexcept;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  /// Allocates `size` bytes (contents undefined); false when out of memory.
  bool allocate(std::size_t size);
  /// Frees the memory.
  void reset();
  [[nodiscard]] char* get() const { return data_; }
  explicit operator bool() const { return data_ != nullptr; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

/// Line and column checkpoints every 256 bytes of an input, computed while it
/// is read, so that positions of many offsets cost a short scan each.
class LineIndex {
 public:
  /// Reserves room for an input of `size` bytes.
  void reserve(std::size_t size) {
    lines_.reserve(size / kBlock + 1);
    columns_.reserve(size / kBlock + 1);
  }
  /// Scans the bytes read so far, [scanned, size).
  void extend(const unsigned char* bytes, std::size_t size);
  /// True when the index covers the first `size` bytes.
  [[nodiscard]] bool covers(std::size_t size) const { return scanned_ >= size && size > 0; }
  /// 1-based line and 0-based column (code points) of a byte offset of the raw input.
  [[nodiscard]] LineColumn position(const unsigned char* bytes, std::size_t offset) const;

 private:
  static constexpr std::size_t kBlock = 256;
  std::vector<std::uint32_t> lines_;
  std::vector<std::uint32_t> columns_;
  std::size_t scanned_ = 0;
  std::uint32_t line_ = 1;
  std::size_t column_ = 0;
};

/// An input held in memory with SIMDJSON_PADDING readable bytes after its end.
struct InputText {
  std::string name;    ///< as diagnostics print it: the path, or "<stdin>"
  ByteBuffer storage;  ///< the bytes as read, plus zeroed padding
  std::size_t size = 0;             ///< bytes read
  std::size_t skip = 0;             ///< 3 when the file starts with a UTF-8 byte order mark
  LineIndex lines;                  ///< built while reading

  /// The text without the byte order mark; offsets in diagnostics are relative to it.
  [[nodiscard]] std::string_view text() const { return {storage.get() + skip, size - skip}; }
};

/// Reads `path` (`-` = stdin) after checking its size against `limit`, and
/// refuses binary files, UTF-16, a Terraform binary plan, and JSON inputs
/// whose first character is not `{` or `[` before reading the rest.
/// On failure adds an error diagnostic and returns false.
bool load_input(const std::string& path, InputKind kind, std::size_t limit, InputText& out,
                Diagnostics& diagnostics);

/// 1-based line and column (code points) of byte offsets. `offsets` may be in
/// any order; one pass over the text up to the largest offset.
std::vector<LineColumn> positions_of(std::string_view text, const std::vector<std::size_t>& offsets);

/// The same, from the input's line index (no pass over the whole text).
std::vector<LineColumn> positions_of(const InputText& input, const std::vector<std::size_t>& offsets);

/// The external location of one byte offset, with the line text when the
/// line is short enough to print (Terraform plans are often one long line).
ExternalLocation location_of(const InputText& input, std::size_t offset);

/// The same for a text that is not (yet) an InputText.
ExternalLocation location_in(const std::string& name, std::string_view text, std::size_t offset);

/// The external location of a 1-based line and a 0-based byte column.
ExternalLocation location_of_line(const InputText& input, std::uint32_t line, std::uint32_t byte_column);

/// Adds an input error (or warning) located in the input file.
Diagnostic& add_input_diagnostic(Diagnostics& diagnostics, Severity severity, std::string code,
                                 ExternalLocation where, std::string message, std::string help);

/// A JSON syntax error found by the strict checker.
struct JsonSyntaxError {
  std::size_t offset = 0;  ///< where in the text
  std::string message;     ///< what was expected and what was found
  std::string help;        ///< optional specific advice (e.g. truncated file)
};

/// Checks `text` against the JSON grammar (RFC 8259, UTF-8, nesting up to
/// `max_depth`) and returns the first error. Used on the error path to locate
/// simdjson failures, and up front for inputs up to kStrictCheckBytes.
std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, std::size_t max_depth = 1024);

/// Inputs up to this size are fully checked against the JSON grammar before
/// they are read; larger ones are checked as they are read (simdjson checks
/// strings, UTF-8 and nesting of the whole file, and the values Onus reads).
constexpr std::size_t kStrictCheckBytes = std::size_t{16} << 20;

/// Reports a simdjson failure: locates it with the strict checker when it is
/// a syntax error, else at `where` (a pointer into the text, or nullptr).
void report_json_failure(Diagnostics& diagnostics, const InputText& input, simdjson::error_code error,
                         const char* where, std::string_view what_is_read);

/// A short description of a JSON value's type for messages ("an array", "a string").
const char* describe_json_type(simdjson::ondemand::json_type type);

/// The attribute paths requested for one resource type, as a trie.
class AttributeSelector {
 public:
  struct Node {
    std::string name;
    int slot = -1;  ///< index of the path ending here, or -1
    bool plain = true;  ///< no quote or backslash: compared with keys as written
    std::vector<Node> children;
  };

  explicit AttributeSelector(const std::vector<std::string>& paths);

  std::string type;  ///< the resource type this selector is for (interned by SelectorCache)

  /// The distinct paths, in the order first requested.
  [[nodiscard]] const std::vector<std::string>& paths() const { return paths_; }
  [[nodiscard]] const std::vector<Node>& roots() const { return roots_; }
  [[nodiscard]] bool empty() const { return paths_.empty(); }

 private:
  std::vector<std::string> paths_;
  std::vector<Node> roots_;
};

/// Extracted values, one slot per selector path.
using AttributeSlots = std::vector<std::optional<std::string>>;

/// Fills `slots` from `value` (the attributes object): strings as-is, numbers
/// and booleans as JSON text; objects, arrays and null are not extracted; a
/// path segment that meets an array descends into its first element.
/// Existing slots are kept (first value wins). Returns a simdjson error on malformed JSON.
simdjson::error_code extract_attributes(simdjson::ondemand::value value, const AttributeSelector& selector,
                                        AttributeSlots& slots);

/// Fills `out` with (path, value) for each filled slot, in path order; a slot
/// empty in `primary` is taken from `fallback` when given.
void append_attributes(const AttributeSelector& selector, AttributeSlots& primary, AttributeSlots* fallback,
                       std::vector<std::pair<std::string, std::string>>& out);

/// Asks the AttributePaths callback once per resource type and keeps the selectors.
class SelectorCache {
 public:
  SelectorCache(const AttributePaths& paths, Format format) : paths_(paths), format_(format) {}
  /// The selector for `type`; never null (an empty selector when nothing is asked).
  const AttributeSelector* get(std::string_view type);

 private:
  const AttributePaths& paths_;
  Format format_;
  std::map<std::string, std::unique_ptr<AttributeSelector>, std::less<>> cache_;
};

/// The contents of a JSON string value read in place when it has no escape
/// (no copy into simdjson's string buffer, which would grow with every
/// string read); otherwise unescaped by simdjson. The view is valid while
/// the input and the parser are.
simdjson::error_code read_json_string(simdjson::ondemand::value& value, std::string_view& out);

/// True when `token` is a JSON number (RFC 8259 grammar).
bool is_json_number(std::string_view token);

/// The token without trailing JSON whitespace.
std::string_view trim_json_token(std::string_view token);

/// A printable excerpt of the start of a line, for messages ("the file starts with `...`").
std::string excerpt(std::string_view text, std::size_t max_chars = 60);

}  // namespace onus::inputs::detail
