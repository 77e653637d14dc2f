#include "diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/color.h>
#include <fmt/format.h>

namespace onus {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

Diagnostic& Diagnostics::add(Diagnostic diagnostic) {
  items_.push_back(std::move(diagnostic));
  return items_.back();
}

Diagnostic& Diagnostics::error(std::string code, Span span, std::string message) {
  return add(Diagnostic{std::move(code), Severity::error, span, std::move(message), {}, {}, {}});
}

Diagnostic& Diagnostics::warning(std::string code, Span span, std::string message) {
  return add(Diagnostic{std::move(code), Severity::warning, span, std::move(message), {}, {}, {}});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::warning; }));
}

void Diagnostics::sort(const SourceMap& sources) {
  auto key = [&sources](const Diagnostic& d) {
    const SourceFile* f = sources.get(d.span.file);
    std::string file = f ? f->name() : d.external.file;
    std::uint32_t line = d.external.line, column = d.external.column;
    if (f) {
      const auto lc = f->line_column(d.span.begin);
      line = lc.line;
      column = lc.column;
    }
    // The user's files first: the embedded standard library comes last.
    const bool stdlib = file.starts_with("<stdlib>");
    return std::make_tuple(stdlib, file, line, column, d.code, d.message);
  };
  std::stable_sort(items_.begin(), items_.end(),
                   [&key](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  items_.erase(std::unique(items_.begin(), items_.end(),
                           [](const Diagnostic& a, const Diagnostic& b) {
                             return a.code == b.code && a.span == b.span && a.message == b.message &&
                                    a.external.file == b.external.file && a.external.line == b.external.line;
                           }),
               items_.end());
}

std::string location_string(const Span& span, const SourceMap& sources) {
  const SourceFile* f = sources.get(span.file);
  if (!f) return "<unknown>";
  const auto lc = f->line_column(span.begin);
  return fmt::format("{}:{}:{}", f->name(), lc.line, lc.column);
}

namespace {

fmt::text_style style(bool color, fmt::text_style s) { return color ? s : fmt::text_style{}; }

fmt::text_style severity_style(Severity s) {
  switch (s) {
    case Severity::error: return fmt::emphasis::bold | fg(fmt::terminal_color::bright_red);
    case Severity::warning: return fmt::emphasis::bold | fg(fmt::terminal_color::bright_magenta);
    case Severity::note: return fmt::emphasis::bold | fg(fmt::terminal_color::bright_cyan);
  }
  return {};
}

// The prefix that puts a caret under a column: tabs are copied so that the
// caret lines up whatever the tab width; every other code point is one space.
std::string caret_prefix(std::string_view line, std::uint32_t column) {
  std::string out;
  std::uint32_t cp = 1;
  for (std::size_t i = 0; i < line.size() && cp < column; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    out += (c == '\t') ? '\t' : ' ';
    ++cp;
  }
  while (cp < column) { out += ' '; ++cp; }
  return out;
}

// Replaces control characters (other than tab) so that a line of binary
// garbage cannot corrupt the terminal.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (const char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t') out += "\xEF\xBF\xBD";  // U+FFFD
    else if (c == 0x7F) out += "\xEF\xBF\xBD";
    else out += ch;
  }
  return out;
}

void render_snippet(std::string& out, std::string_view raw_line, std::uint32_t line, std::uint32_t column,
                    std::uint32_t width, bool color, fmt::text_style marker_style) {
  // Very long lines (minified input) are cut around the column.
  std::string_view shown = raw_line;
  std::uint32_t col = column;
  if (shown.size() > 200) {
    std::size_t byte = 0;
    std::uint32_t cp = 1;
    while (byte < shown.size() && cp < column) {
      ++byte;
      while (byte < shown.size() && (static_cast<unsigned char>(shown[byte]) & 0xC0) == 0x80) ++byte;
      ++cp;
    }
    const std::size_t from = byte > 60 ? byte - 60 : 0;
    std::size_t start = from;
    while (start < shown.size() && (static_cast<unsigned char>(shown[start]) & 0xC0) == 0x80) ++start;
    col = column - count_code_points(shown.substr(0, start));
    shown = shown.substr(start, std::min<std::size_t>(120, shown.size() - start));
  }
  const std::string text = printable(shown);
  const std::string gutter = fmt::format("{:>5} | ", line);
  out += fmt::format("{}{}\n", fmt::styled(gutter, style(color, fg(fmt::terminal_color::bright_blue))), text);
  const std::uint32_t line_cps = count_code_points(text);
  std::uint32_t w = std::max<std::uint32_t>(1, width);
  if (col <= line_cps && col + w - 1 > line_cps) w = line_cps - col + 1;
  if (w == 0) w = 1;
  out += fmt::format("{}{}{}\n", fmt::styled("      | ", style(color, fg(fmt::terminal_color::bright_blue))),
                     caret_prefix(text, col),
                     fmt::styled("^" + std::string(w - 1, '~'), style(color, marker_style)));
}

}  // namespace

std::string render_human(const Diagnostic& d, const SourceMap& sources, bool color) {
  std::string out;
  const SourceFile* f = sources.get(d.span.file);
  std::string where;
  LineColumn lc{};
  if (f) {
    lc = f->line_column(d.span.begin);
    where = fmt::format("{}:{}:{}: ", f->name(), lc.line, lc.column);
  } else if (!d.external.file.empty()) {
    where = d.external.line ? fmt::format("{}:{}:{}: ", d.external.file, d.external.line,
                                          std::max<std::uint32_t>(1, d.external.column))
                            : fmt::format("{}: ", d.external.file);
  }
  const std::string label = fmt::format("{}[{}]:", to_string(d.severity), d.code);
  out += fmt::format("{}{} {}\n", fmt::styled(where, style(color, fmt::emphasis::bold)),
                     fmt::styled(label, style(color, severity_style(d.severity))),
                     fmt::styled(d.message, style(color, fmt::emphasis::bold)));
  const auto marker = fmt::emphasis::bold | fg(fmt::terminal_color::bright_green);
  if (f) {
    const auto end_lc = f->line_column(std::max(d.span.begin, d.span.end));
    const std::uint32_t width = end_lc.line == lc.line ? end_lc.column - lc.column : 1;
    render_snippet(out, f->line_text(lc.line), lc.line, lc.column, width, color, marker);
  } else if (!d.external.line_text.empty() && d.external.line) {
    render_snippet(out, d.external.line_text, d.external.line, std::max<std::uint32_t>(1, d.external.column), 1,
                   color, marker);
  }
  for (const Note& n : d.notes) {
    const SourceFile* nf = sources.get(n.span.file);
    if (nf) {
      const auto nlc = nf->line_column(n.span.begin);
      const auto nend = nf->line_column(std::max(n.span.begin, n.span.end));
      out += fmt::format("{} {} {}\n",
                         fmt::styled(fmt::format("{}:{}:{}:", nf->name(), nlc.line, nlc.column),
                                     style(color, fmt::emphasis::bold)),
                         fmt::styled("note:", style(color, severity_style(Severity::note))), n.message);
      render_snippet(out, nf->line_text(nlc.line), nlc.line, nlc.column,
                     nend.line == nlc.line ? nend.column - nlc.column : 1, color,
                     fg(fmt::terminal_color::bright_cyan));
    } else {
      out += fmt::format("      = {} {}\n", fmt::styled("note:", style(color, fmt::emphasis::bold)), n.message);
    }
  }
  if (!d.help.empty()) {
    out += fmt::format("      = {} {}\n", fmt::styled("help:", style(color, fmt::emphasis::bold)), d.help);
  }
  return out;
}

namespace {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
  return out;
}

std::string json_location(const Span& span, const SourceMap& sources, const ExternalLocation& external) {
  const SourceFile* f = sources.get(span.file);
  if (f) {
    const auto b = f->line_column(span.begin);
    const auto e = f->line_column(std::max(span.begin, span.end));
    return fmt::format(R"({{"file":"{}","line":{},"column":{},"end_line":{},"end_column":{}}})",
                       json_escape(f->name()), b.line, b.column, e.line, e.column);
  }
  if (!external.file.empty()) {
    return fmt::format(R"({{"file":"{}","line":{},"column":{}}})", json_escape(external.file), external.line,
                       external.column);
  }
  return "null";
}

}  // namespace

std::string render_diagnostics(const Diagnostics& diagnostics, const SourceMap& sources,
                               const RenderOptions& options) {
  std::string out;
  std::size_t shown_errors = 0, hidden_errors = 0;
  const auto& all = diagnostics.all();
  if (options.format == DiagnosticFormat::json) {
    out += "{\"diagnostics\":[";
    bool first = true;
    for (const Diagnostic& d : all) {
      if (d.severity == Severity::error && options.max_errors && shown_errors >= options.max_errors) {
        ++hidden_errors;
        continue;
      }
      if (d.severity == Severity::error) ++shown_errors;
      if (!first) out += ",";
      first = false;
      out += fmt::format(R"({{"code":"{}","severity":"{}","message":"{}","location":{},"notes":[)",
                         d.code, to_string(d.severity), json_escape(d.message),
                         json_location(d.span, sources, d.external));
      for (std::size_t i = 0; i < d.notes.size(); ++i) {
        out += fmt::format(R"({}{{"message":"{}","location":{}}})", i ? "," : "", json_escape(d.notes[i].message),
                           json_location(d.notes[i].span, sources, ExternalLocation{}));
      }
      out += fmt::format(R"(],"help":{}}})", d.help.empty() ? "null" : "\"" + json_escape(d.help) + "\"");
    }
    out += fmt::format(R"(],"errors":{},"warnings":{},"not_shown":{}}})", diagnostics.error_count(),
                       diagnostics.warning_count(), hidden_errors);
    out += "\n";
    return out;
  }
  const bool color = options.format == DiagnosticFormat::human && options.color;
  for (const Diagnostic& d : all) {
    if (d.severity == Severity::error && options.max_errors && shown_errors >= options.max_errors) {
      ++hidden_errors;
      continue;
    }
    if (d.severity == Severity::error) ++shown_errors;
    if (options.format == DiagnosticFormat::plain) {
      const SourceFile* f = sources.get(d.span.file);
      std::string where;
      if (f) where = location_string(d.span, sources) + ": ";
      else if (!d.external.file.empty())
        where = d.external.line ? fmt::format("{}:{}:{}: ", d.external.file, d.external.line, d.external.column)
                                : d.external.file + ": ";
      out += fmt::format("{}{}[{}]: {}\n", where, to_string(d.severity), d.code, d.message);
      for (const Note& n : d.notes) {
        out += fmt::format("{}note: {}\n", n.span.valid() ? location_string(n.span, sources) + ": " : "", n.message);
      }
      if (!d.help.empty()) out += fmt::format("help: {}\n", d.help);
    } else {
      out += render_human(d, sources, color);
    }
  }
  if (hidden_errors) {
    out += fmt::format("{} more error{} not shown (--max-errors {})\n", hidden_errors, hidden_errors == 1 ? "" : "s",
                       options.max_errors);
  }
  return out;
}

}  // namespace onus
