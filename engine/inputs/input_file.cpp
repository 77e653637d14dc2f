// Loading inputs with limits and early checks; positions from byte offsets.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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
  if (text[first] == '{' || text[first] == '[') return true;
  const std::size_t line_end = std::min(text.find('\n', first), text.size());
  std::string help = how_to_produce(kind);
  if (kind == InputKind::terraform_plan && text.substr(first).starts_with("[command]")) {
    help = "the file holds the log of hashicorp/setup-terraform's wrapper: set `terraform_wrapper: false` "
           "in the workflow, then `terraform show -json plan.out > plan.json`";
  }
  (void)complete;
  add_input_diagnostic(diagnostics, Severity::error, "E0605", location_of(input, first),
                       "`" + input.name + "` does not contain JSON: it starts with `" +
                           excerpt(text.substr(first, line_end - first)) + "`, but " + what_is_expected(kind) +
                           " starts with `{`" + (kind == InputKind::inventory ? " or `[`" : ""),
                       help);
  return false;
}

}  // namespace

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

  std::size_t capacity = regular ? stat_size : kFirstChunk;
  out.storage.reset(new (std::nothrow) char[capacity + simdjson::SIMDJSON_PADDING]);
  if (!out.storage) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "not enough memory to read `" + out.name + "` (" + human_size(capacity) + ")",
                         "free memory or split the input");
    return false;
  }
  int error = 0;
  std::size_t have = 0;
  if (!read_fully(fd, out.storage.get(), have, std::min(capacity, kFirstChunk), error)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                         "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
    return false;
  }
  auto starts_with_bom = [&] {
    return have >= 3 && std::memcmp(out.storage.get(), "\xEF\xBB\xBF", 3) == 0;
  };
  out.skip = starts_with_bom() ? 3 : 0;
  out.size = have;
  if (!check_first_bytes(out, std::string_view(out.storage.get() + out.skip, have - out.skip), false, kind,
                         diagnostics)) {
    return false;
  }
  if (regular) {
    if (!read_fully(fd, out.storage.get(), have, capacity, error)) {
      add_input_diagnostic(diagnostics, Severity::error, "E0601", file_only(out.name),
                           "cannot read `" + out.name + "`: " + std::strerror(error), how_to_produce(kind));
      return false;
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
      std::unique_ptr<char[]> bigger(new (std::nothrow) char[grown + simdjson::SIMDJSON_PADDING]);
      if (!bigger) {
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
  // The first chunk was checked; check again now that the whole input is here
  // (a NUL further on, or a first character after a long run of whitespace).
  return check_first_bytes(out, text, true, kind, diagnostics);
}

std::vector<LineColumn> positions_of(std::string_view text, const std::vector<std::size_t>& offsets) {
  std::vector<std::size_t> order(offsets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });
  std::vector<LineColumn> result(offsets.size());
  std::size_t at = 0;          // scanned up to here
  std::uint32_t line = 1;
  std::size_t column_cp = 0;   // code points between the line start and `at`
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  auto code_points = [&](std::size_t from, std::size_t to) {
    std::size_t n = 0;
    for (std::size_t i = from; i < to; ++i) n += (bytes[i] & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  for (std::size_t index : order) {
    const std::size_t target = std::min(offsets[index], text.size());
    if (target > at) {
      const char* begin = text.data() + at;
      const auto length = target - at;
      const auto newlines = static_cast<std::size_t>(std::count(begin, begin + length, '\n'));
      if (newlines == 0) {
        column_cp += code_points(at, target);
      } else {
        line += static_cast<std::uint32_t>(newlines);
        const void* last = ::memrchr(begin, '\n', length);
        const auto line_start = static_cast<std::size_t>(static_cast<const char*>(last) - text.data()) + 1;
        column_cp = code_points(line_start, target);
      }
      at = target;
    }
    result[index] = LineColumn{line, static_cast<std::uint32_t>(column_cp + 1)};
  }
  return result;
}

ExternalLocation location_of(const InputText& input, std::size_t offset) {
  const std::string_view text = input.text();
  offset = std::min(offset, text.size());
  ExternalLocation where;
  where.file = input.name;
  const LineColumn position = positions_of(text, {offset}).front();
  where.line = position.line;
  where.column = position.column;
  std::size_t line_start = offset;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  std::size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  if (line_end > line_start && text[line_end - 1] == '\r') --line_end;
  if (line_end - line_start <= kMaxLineText) where.line_text = std::string(text.substr(line_start, line_end - line_start));
  return where;
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
