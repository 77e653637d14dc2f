// Helpers shared by the reporters.
#include "engine/report/common.hpp"

#include <fmt/format.h>

namespace onus::report::detail {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

const char* input_format_name(inputs::Format format) {
  switch (format) {
    case inputs::Format::terraform: return "terraform";
    case inputs::Format::cloudformation: return "cloudformation";
    case inputs::Format::inventory: return "inventory";
  }
  return "terraform";
}

std::string plural(std::size_t count, std::string_view singular, std::string_view plural_form) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural_form);
}

std::string counts_line(const Summary& summary) {
  std::string line = plural(summary.errors, "error", "errors") + ", " +
                     plural(summary.warnings, "warning", "warnings");
  if (summary.notes > 0) line += ", " + plural(summary.notes, "note", "notes");
  line += fmt::format(", {} waived", summary.waived);
  return line;
}

const char* verdict(const Report& report) { return report.failed ? "failed" : "passed"; }

bool has_source_line(const Finding& finding) {
  return finding.format == inputs::Format::cloudformation && !finding.location.file.empty() &&
         finding.location.line > 0;
}

std::string location_string(const std::string& file, std::uint32_t line, std::uint32_t column) {
  if (line == 0) return file;
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string where(const Finding& finding) {
  if (has_source_line(finding)) {
    return location_string(finding.location.file, finding.location.line, finding.location.column);
  }
  if (!finding.resource_address.empty()) return finding.resource_address;
  if (!finding.policy.file.empty()) return policy_string(finding.policy);
  if (!finding.resource_type.empty()) return finding.resource_type;
  return "(policy)";
}

const std::string& subject(const Finding& finding) {
  return finding.resource_address.empty() ? finding.resource_type : finding.resource_address;
}

std::string policy_string(const PolicyRef& ref) {
  if (ref.file.empty()) return "";
  return location_string(ref.file, ref.line, 0);
}

bool is_embedded(const std::string& file) { return !file.empty() && file.front() == '<'; }

std::optional<SourcePosition> primary_position(const Finding& finding, bool allow_embedded) {
  if (has_source_line(finding)) {
    SourcePosition at;
    at.file = finding.location.file;
    at.line = finding.location.line;
    at.column = finding.location.column;
    at.is_input = true;
    return at;
  }
  const PolicyRef& ref = finding.policy;
  if (ref.file.empty() || (!allow_embedded && is_embedded(ref.file))) return std::nullopt;
  SourcePosition at;
  at.file = ref.file;
  at.line = ref.line > 0 ? ref.line : 1;
  at.column = ref.line > 0 ? ref.column : 0;
  if (ref.end_line >= at.line && ref.line > 0) {
    at.end_line = ref.end_line;
    // An end column only makes sense with a start column, and after it on one line.
    if (at.column > 0 && ref.end_column > 0 && (ref.end_line > at.line || ref.end_column >= at.column)) {
      at.end_column = ref.end_column;
    }
  }
  return at;
}

std::string fnv1a64_hex(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

std::string fingerprint(const Finding& finding) {
  // Unit separators keep ("a", "bc") and ("ab", "c") apart.
  std::string key = finding.rule_id;
  key += '\x1f';
  key += finding.resource_address;
  key += '\x1f';
  key += finding.message;
  // Two templates may both have a logical id "Bucket": the template keeps them apart.
  // (Plan addresses are unique, and a plan's file name often changes between runs.)
  if (finding.format == inputs::Format::cloudformation && !finding.location.file.empty()) {
    key += '\x1f';
    key += finding.location.file;
  }
  return fnv1a64_hex(key);
}

namespace {

/// Length of the valid UTF-8 sequence starting at `i`, or 0 when invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t min = 0;
  std::uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
    code = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
    code = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
    code = c & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string truncate_code_points(std::string_view text, std::size_t max_code_points) {
  const auto is_lead = [&](std::size_t k) { return (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80; };
  std::size_t total = 0;
  for (std::size_t k = 0; k < text.size(); ++k) total += is_lead(k) ? 1 : 0;
  if (total <= max_code_points) return std::string(text);
  const std::size_t keep = max_code_points > 3 ? max_code_points - 3 : 0;
  std::size_t seen = 0;
  std::size_t cut = text.size();
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (!is_lead(k)) continue;
    if (seen == keep) {
      cut = k;
      break;
    }
    ++seen;
  }
  return std::string(text.substr(0, cut)) + "...";
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '|': out += "\\|"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "<br>";
        break;
      case '\n': out += "<br>"; break;
      case '\t': out += ' '; break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '~':
      case '#':
      case '@':
      case '!':
      case '$':
        out += '\\';
        out += c;
        break;
      default: out += c; break;
    }
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  if (text.empty()) return "";
  if (text.find_first_of("`\r\n") != std::string_view::npos) return markdown_cell(text);
  std::string out = "`";
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";  // GFM splits cells before reading code spans
    } else {
      out += c;
    }
  }
  out += '`';
  return out;
}

}  // namespace onus::report::detail
