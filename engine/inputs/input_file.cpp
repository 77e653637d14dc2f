// Loading inputs with limits and early checks; positions from byte offsets.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cerrno>
#include <cstring>
#include <numeric>

#include "engine/inputs/reader_support.hpp"

namespace onus::inputs::detail {
namespace {

constexpr std::size_t kFirstChunk = std::size_t{64} << 10;
constexpr std::size_t kMaxLineText = 300;  // longer lines are not printed under a diagnostic

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string human_size(std::size_t bytes) {
  const double value = static_cast<double>(bytes);
  char buffer[64];
  if (bytes >= (std::size_t{1} << 30)) {
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", value / static_cast<double>(std::size_t{1} << 30));
  } else if (bytes >= (std::size_t{1} << 20)) {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", value / static_cast<double>(std::size_t{1} << 20));
  } else {
    std::snprintf(buffer, sizeof buffer, "%zu bytes", bytes);
  }
  return buffer;
}

const char* what_is_expected(InputKind kind) {
  switch (kind) {
    case InputKind::terraform_plan: return "a Terraform plan in JSON";
    case InputKind::cloudformation: return "a CloudFormation template";
    case InputKind::inventory: return "an inventory in JSON";
  }
  return "an input";
}

const char* how_to_produce(InputKind kind) {
  switch (kind) {
    case InputKind::terraform_plan:
      return "produce the JSON with `terraform plan -out=plan.out && terraform show -json plan.out > plan.json`";
    case InputKind::cloudformation:
      return "pass the template file (JSON or YAML) as it is deployed";
    case InputKind::inventory:
      return "an inventory is a JSON array of objects {\"type\": ..., \"id\": ..., \"attributes\": {...}}";
  }
  return "";
}

ExternalLocation file_only(const std::string& name) {
  ExternalLocation where;
  where.file = name;
  return where;
}

/// Reads until `want` bytes are in `buffer` from `have`, or end of input. Returns false on error.
bool read_fully(int fd, char* buffer, std::size_t& have, std::size_t want, int& error) {
  while (have < want) {
    const ssize_t n = ::read(fd, buffer + have, want - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  return true;
}

class FileCloser {
 public:
  explicit FileCloser(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileCloser() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  FileCloser(const FileCloser&) = delete;
  FileCloser& operator=(const FileCloser&) = delete;

 private:
  int fd_;
  bool owned_;
};

/// Checks the first bytes. Returns false (with a diagnostic) when the input
/// cannot be what the reader expects. `complete` = the whole input is in `text`.
bool check_first_bytes(const InputText& input, std::string_view text, bool complete, InputKind kind,
                       Diagnostics& diagnostics) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  if (text.size() >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) ||
                           (bytes[0] != 0 && bytes[1] == 0) || (bytes[0] == 0 && bytes[1] != 0))) {
    add_input_diagnostic(diagnostics, Severity::error, "E0604", file_only(input.name),
                         "`" + input.name + "` is UTF-16 text; Onus reads UTF-8 only",
                         "convert it to UTF-8 (Windows PowerShell's `>` writes UTF-16: use "
                         "`| Out-File -Encoding utf8` or run the command in cmd or bash)");
    return false;
  }
  if (text.size() >= 4 && text.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    if (kind == InputKind::terraform_plan) {
      add_input_diagnostic(diagnostics, Severity::error, "E0604", file_only(input.name),
                           "`" + input.name + "` is a binary Terraform plan (a zip archive), not its JSON form",
                           "convert it: `terraform show -json " + input.name + " > plan.json`, then pass plan.json");
    } else {
      add_input_diagnostic(diagnostics, Severity::error, "E0604", file_only(input.name),
                           "`" + input.name + "` is a zip archive, not " + what_is_expected(kind),
                           "extract the file and pass it instead");
    }
    return false;
  }
  if (const void* nul = std::memchr(text.data(), 0, text.size()); nul != nullptr) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    add_input_diagnostic(diagnostics, Severity::error, "E0604", file_only(input.name),
                         "`" + input.name + "` is a binary file, not " + what_is_expected(kind) +
                             " (byte " + std::to_string(offset + input.skip) + " is NUL)",
                         how_to_produce(kind));
    return false;
  }
  if (kind == InputKind::cloudformation) return true;  // JSON or YAML: decided by the reader
  std::size_t first = 0;
  while (first < text.size() && is_json_space(text[first])) ++first;
  if (first == text.size()) return true;  // only whitespace so far: decided once complete
  const bool wrapper_log = text.substr(first).starts_with("[command]");
  if (!wrapper_log && (text[first] == '{' || text[first] == '[')) return true;
  const std::size_t line_end = std::min(text.find('\n', first), text.size());
  std::string help = how_to_produce(kind);
  if (kind == InputKind::terraform_plan && wrapper_log) {
    help = "the file holds the log of hashicorp/setup-terraform's wrapper: set `terraform_wrapper: false` "
           "in the workflow, then `terraform show -json plan.out > plan.json`";
  }
  (void)complete;
  add_input_diagnostic(diagnostics, Severity::error, "E0605", location_in(input.name, text, first),
                       "`" + input.name + "` does not contain JSON: it starts with `" +
                           excerpt(text.substr(first, line_end - first)) + "`, but " + what_is_expected(kind) +
                           " starts with `{`" + (kind == InputKind::inventory ? " or `[`" : ""),
                       help);
  return false;
}

}  // namespace

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) noexcept {
  if (this != &other) {
    reset();
    data_ = other.data_;
    size_ = other.size_;
    mapped_ = other.mapped_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

bool ByteBuffer::allocate(std::size_t size) {
  reset();
  constexpr std::size_t kMapAbove = std::size_t{4} << 20;
  if (size >= kMapAbove) {
    // MAP_POPULATE faults the pages in one go: cheaper than one fault per page.
    void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (memory == MAP_FAILED) return false;
    data_ = static_cast<char*>(memory);
    mapped_ = true;
  } else {
    data_ = new (std::nothrow) char[size];
    if (data_ == nullptr) return false;
    mapped_ = false;
  }
  size_ = size;
  return true;
}

void ByteBuffer::reset() {
  if (data_ == nullptr) return;
  if (mapped_) {
    ::munmap(data_, size_);
  } else {
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

std::string excerpt(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') break;
    if ((c & 0xC0) != 0x80) {
      if (chars == max_chars) {
        out += "...";
        break;
      }
      ++chars;
    }
    if (c < 0x20 || c == 0x7F) {
      out += '?';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool load_input(const std::string& path, InputKind kind, std::size_t limit, InputText& out,
                Diagnostics& diagnostics) {
  const bool from_stdin = path == "-";
  out = InputText{};
  out.name = from_stdin ? std::string("<stdin>") : path;
  if (path.empty()) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "an empty file name was given for " + std::string(what_is_expected(kind)),
                         "pass the path of the file, or `-` to read standard input");
    return false;
  }
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::string help = error == ENOENT ? std::string("check the path; ") + how_to_produce(kind)
                       : error == EACCES ? std::string("check the file's permissions for the user running onus")
                                         : std::string(how_to_produce(kind));
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "cannot open `" + out.name + "`: " + std::strerror(error), help);
    return false;
  }
  FileCloser closer(fd, !from_stdin);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "`" + out.name + "` is a directory, not " + std::string(what_is_expected(kind)),
                         "pass the file itself; " + std::string(how_to_produce(kind)));
    return false;
  }
  const bool regular = S_ISREG(info.st_mode);
  const auto stat_size = regular ? static_cast<std::size_t>(info.st_size) : std::size_t{0};
  const std::string limit_text = human_size(limit) + " (" + std::to_string(limit) + " bytes)";
  if (regular && stat_size > limit) {
    add_input_diagnostic(diagnostics, Severity::error, "E0602", file_only(out.name),
                         "`" + out.name + "` is " + human_size(stat_size) + "; Onus reads " + what_is_expected(kind) +
                             " of at most " + limit_text,
                         kind == InputKind::terraform_plan
                             ? "split the configuration (per workspace or root module) and check each plan"
                             : "split the input into smaller files and pass each one");
    return false;
  }
  if (regular && stat_size == 0) {
    add_input_diagnostic(diagnostics, Severity::error, "E0603", file_only(out.name),
                         "`" + out.name + "` is empty", how_to_produce(kind));
    return false;
  }

  // The first bytes go to a small buffer: a binary or non-JSON input is refused
  // before memory for the whole file is committed.
  std::size_t capacity = regular ? stat_size : kFirstChunk;
  const std::size_t first_size = std::min(capacity, kFirstChunk);
  std::unique_ptr<char[]> first(new char[first_size + simdjson::SIMDJSON_PADDING]);
  int error = 0;
  std::size_t have = 0;
  if (!read_fully(fd, first.get(), have, first_size, error)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
    return false;
  }
  out.skip = have >= 3 && std::memcmp(first.get(), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (!check_first_bytes(out, std::string_view(first.get() + out.skip, have - out.skip), false, kind, diagnostics)) {
    return false;
  }
  if (!out.storage.allocate(capacity + simdjson::SIMDJSON_PADDING)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "not enough memory to read `" + out.name + "` (" + human_size(capacity) + ")",
                         "free memory or split the input");
    return false;
  }
  std::memcpy(out.storage.get(), first.get(), have);
  first.reset();
  auto starts_with_bom = [&] {
    return have >= 3 && std::memcmp(out.storage.get(), "\xEF\xBB\xBF", 3) == 0;
  };
  if (regular) {
    // In slices, indexing lines while each slice is still in the CPU cache:
    // a second pass over 300 MB of memory later would cost more.
    constexpr std::size_t kReadSlice = std::size_t{1} << 20;
    out.lines.reserve(capacity);
    out.lines.extend(reinterpret_cast<const unsigned char*>(out.storage.get()), have);
    while (have < capacity) {
      const std::size_t before = have;
      if (!read_fully(fd, out.storage.get(), have, std::min(capacity, have + kReadSlice), error)) {
        add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                             "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
        return false;
      }
      if (have == before) break;  // the file shrank while being read
      out.lines.extend(reinterpret_cast<const unsigned char*>(out.storage.get()), have);
    }
  } else {
    // A pipe or stdin: grow by doubling until the end, refusing past the limit.
    while (have == capacity) {
      if (capacity >= limit) {
        char probe = 0;
        std::size_t extra = 0;
        if (read_fully(fd, &probe, extra, 1, error) && extra == 0) break;
        add_input_diagnostic(diagnostics, Severity::error, "E0602", file_only(out.name),
                             "`" + out.name + "` holds more than " + limit_text + "; Onus reads " +
                                 what_is_expected(kind) + " of at most that size",
                             "split the input into smaller files and pass each one");
        return false;
      }
      const std::size_t grown = std::min(limit, capacity * 2);
      ByteBuffer bigger;
      if (!bigger.allocate(grown + simdjson::SIMDJSON_PADDING)) {
        add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                             "not enough memory to read `" + out.name + "` (" + human_size(grown) + ")",
                             "free memory or split the input");
        return false;
      }
      std::memcpy(bigger.get(), out.storage.get(), have);
      out.storage = std::move(bigger);
      capacity = grown;
      if (!read_fully(fd, out.storage.get(), have, capacity, error)) {
        add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                             "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
        return false;
      }
    }
  }
  out.lines.extend(reinterpret_cast<const unsigned char*>(out.storage.get()), have);
  std::memset(out.storage.get() + have, 0, simdjson::SIMDJSON_PADDING);
  out.size = have;
  out.skip = starts_with_bom() ? 3 : 0;
  const std::string_view text = out.text();
  if (std::all_of(text.begin(), text.end(), is_json_space)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0603", file_only(out.name),
                         "`" + out.name + "` is empty" + (text.empty() ? "" : " (only whitespace)"),
                         how_to_produce(kind));
    return false;
  }
  // The first chunk was checked. When it held only whitespace, check the first
  // character now. (A NUL further on is a JSON error that simdjson reports.)
  const std::size_t first_chunk = std::min(have, kFirstChunk);
  if (first_chunk > out.skip &&
      std::all_of(out.storage.get() + out.skip, out.storage.get() + first_chunk, is_json_space)) {
    return check_first_bytes(out, text, true, kind, diagnostics);
  }
  return true;
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

/// Number of bits set in a 16-bit mask (no POPCNT instruction in baseline x86-64).
unsigned popcount16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

/// Sum of the high bits of each byte of `flags` (only bits 7, 15, ... set).
std::size_t count_flags(std::uint64_t flags) { return static_cast<std::size_t>(((flags >> 7) * kOnes) >> 56); }

/// Scans [from, to) once (the text is large and not in cache): counts line
/// feeds into `line`, and code points since the last line start into `column`
/// (a code point is a byte that is not a UTF-8 continuation byte 10xxxxxx).
void advance(const unsigned char* bytes, std::size_t from, std::size_t to, std::uint32_t& line, std::size_t& column) {
  std::size_t i = from;
#if defined(__SSE2__)
  // 16 bytes at a time with SSE2 (always there on x86-64). Runs without a line
  // feed count their continuation bytes in byte lanes (flushed before a lane
  // can overflow); a vector with a line feed is resolved with bit masks.
  const __m128i zero = _mm_setzero_si128();
  const __m128i newline_byte = _mm_set1_epi8('\n');
  const __m128i top_bits = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i continuation_byte = _mm_set1_epi8(static_cast<char>(0x80));
  __m128i counts = zero;
  std::size_t counted_bytes = 0;
  unsigned rounds = 0;
  auto flush = [&] {
    const __m128i sums = _mm_sad_epu8(counts, zero);
    const auto continuations = static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                               static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    column += counted_bytes - continuations;
    counts = zero;
    counted_bytes = 0;
    rounds = 0;
  };
  for (; i + 16 <= to; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const __m128i is_continuation = _mm_cmpeq_epi8(_mm_and_si128(v, top_bits), continuation_byte);
    const auto newlines = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline_byte)));
    if (newlines == 0) {
      counts = _mm_sub_epi8(counts, is_continuation);  // each lane +1 per continuation byte
      counted_bytes += 16;
      if (++rounds == 255) flush();
      continue;
    }
    flush();
    const auto continuations = static_cast<unsigned>(_mm_movemask_epi8(is_continuation));
    line += popcount16(newlines);
    const auto last = static_cast<unsigned>(31 - __builtin_clz(newlines));  // bit of the last '\n'
    const unsigned after = (0xFFFFu << (last + 1)) & 0xFFFFu;
    column = popcount16(after) - popcount16(continuations & after);
  }
  flush();
#endif
  for (; i + 8 <= to; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes + i, 8);
    const std::uint64_t continuation = word & ~(word << 1) & kHighs;  // bit 7 set, bit 6 clear
    const std::uint64_t x = word ^ (kOnes * '\n');
    const std::uint64_t newline = ~(((x & ~kHighs) + ~kHighs) | x | ~kHighs);  // exact: high bit where x is 0
    if (newline == 0) {
      column += 8 - count_flags(continuation);
      continue;
    }
    line += static_cast<std::uint32_t>(count_flags(newline));
    const auto last = static_cast<unsigned>(63 - __builtin_clzll(newline)) / 8;  // byte index of the last '\n'
    const std::uint64_t after = last == 7 ? 0 : ~std::uint64_t{0} << (8 * (last + 1));
    column = (7 - last) - count_flags(continuation & after);
  }
  for (; i < to; ++i) {
    if (bytes[i] == '\n') {
      ++line;
      column = 0;
    } else if ((bytes[i] & 0xC0) != 0x80) {
      ++column;
    }
  }
}

}  // namespace

void LineIndex::extend(const unsigned char* bytes, std::size_t size) {
  while (scanned_ < size) {
    if (scanned_ % kBlock == 0) {
      lines_.push_back(line_);
      columns_.push_back(static_cast<std::uint32_t>(column_));
    }
    const std::size_t end = std::min(size, (scanned_ / kBlock + 1) * kBlock);
    advance(bytes, scanned_, end, line_, column_);
    scanned_ = end;
  }
}

LineColumn LineIndex::position(const unsigned char* bytes, std::size_t offset) const {
  offset = std::min(offset, scanned_);
  std::size_t block = offset / kBlock;
  if (block >= lines_.size()) block = lines_.empty() ? 0 : lines_.size() - 1;
  std::uint32_t line = lines_.empty() ? 1 : lines_[block];
  std::size_t column = lines_.empty() ? 0 : columns_[block];
  advance(bytes, lines_.empty() ? 0 : block * kBlock, offset, line, column);
  return LineColumn{line, static_cast<std::uint32_t>(column)};
}

std::vector<LineColumn> positions_of(const InputText& input, const std::vector<std::size_t>& offsets) {
  if (!input.lines.covers(input.size)) return positions_of(input.text(), offsets);
  const auto* raw = reinterpret_cast<const unsigned char*>(input.storage.get());
  std::vector<LineColumn> result;
  result.reserve(offsets.size());
  for (std::size_t offset : offsets) {
    LineColumn position = input.lines.position(raw, std::min(offset, input.size - input.skip) + input.skip);
    if (input.skip != 0 && position.line == 1) position.column -= 1;  // the byte order mark is not a column
    result.push_back(LineColumn{position.line, position.column + 1});
  }
  return result;
}

std::vector<LineColumn> positions_of(std::string_view text, const std::vector<std::size_t>& offsets) {
  std::vector<std::size_t> order(offsets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (!std::is_sorted(offsets.begin(), offsets.end())) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });
  }
  std::vector<LineColumn> result(offsets.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t at = 0;         // scanned up to here
  std::uint32_t line = 1;
  std::size_t column_cp = 0;  // code points between the line start and `at`
  for (std::size_t index : order) {
    const std::size_t target = std::min(offsets[index], text.size());
    if (target > at) {
      advance(bytes, at, target, line, column_cp);
      at = target;
    }
    result[index] = LineColumn{line, static_cast<std::uint32_t>(column_cp + 1)};
  }
  return result;
}

namespace {

ExternalLocation location_at(const std::string& name, std::string_view text, std::size_t offset,
                             LineColumn position) {
  ExternalLocation where;
  where.file = name;
  where.line = position.line;
  where.column = position.column;
  // Only short lines are printed, so look at most that far each way (a
  // one-line plan of 300 MB must not be scanned per diagnostic).
  std::size_t line_start = offset;
  const std::size_t lowest = offset > kMaxLineText + 1 ? offset - kMaxLineText - 1 : 0;
  while (line_start > lowest && text[line_start - 1] != '\n') --line_start;
  if (line_start > 0 && text[line_start - 1] != '\n') return where;  // longer than kMaxLineText
  const std::size_t window = std::min(text.size() - offset, kMaxLineText + 2);
  const void* newline = std::memchr(text.data() + offset, '\n', window);
  std::size_t line_end = newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - text.data())
                                            : (window == text.size() - offset ? text.size() : std::string_view::npos);
  if (line_end == std::string_view::npos) return where;
  if (line_end > line_start && text[line_end - 1] == '\r') --line_end;
  if (line_end - line_start <= kMaxLineText) where.line_text = std::string(text.substr(line_start, line_end - line_start));
  return where;
}

}  // namespace

ExternalLocation location_of(const InputText& input, std::size_t offset) {
  // Uses the line index when there is one: many warnings in a 300 MB plan
  // must not each rescan the file.
  offset = std::min(offset, input.text().size());
  return location_at(input.name, input.text(), offset, positions_of(input, {offset}).front());
}

ExternalLocation location_in(const std::string& name, std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return location_at(name, text, offset, positions_of(text, {offset}).front());
}

ExternalLocation location_of_line(const InputText& input, std::uint32_t line, std::uint32_t byte_column) {
  const std::string_view text = input.text();
  std::size_t offset = 0;
  for (std::uint32_t current = 1; current < line && offset < text.size(); ++current) {
    const std::size_t next = text.find('\n', offset);
    if (next == std::string_view::npos) {
      offset = text.size();
      break;
    }
    offset = next + 1;
  }
  std::size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  return location_of(input, std::min(offset + byte_column, line_end));
}

Diagnostic& add_input_diagnostic(Diagnostics& diagnostics, Severity severity, std::string code,
                                 ExternalLocation where, std::string message, std::string help) {
  Diagnostic diagnostic;
  diagnostic.code = std::move(code);
  diagnostic.severity = severity;
  diagnostic.message = std::move(message);
  diagnostic.help = std::move(help);
  diagnostic.external = std::move(where);
  return diagnostics.add(std::move(diagnostic));
}

}  // namespace onus::inputs::detail
