// Text: for a terminal. Colour only when asked (no escapes at all otherwise).
#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace {

class TextWriter {
 public:
  explicit TextWriter(bool color) : color_(color) {}

  /// `text` in `style` when colour is on, plain otherwise.
  [[nodiscard]] std::string paint(std::string_view text, fmt::text_style style) const {
    if (!color_ || text.empty()) return std::string(text);
    return fmt::format("{}", fmt::styled(text, style));
  }

  [[nodiscard]] fmt::text_style severity_style(Severity severity) const {
    switch (severity) {
      case Severity::error: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_red);
      case Severity::warning: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_yellow);
      case Severity::note: return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_cyan);
    }
    return fmt::emphasis::bold;
  }

 private:
  bool color_;
};

/// Makes text safe for a terminal: control characters other than line feed and tab
/// (ESC, CR, BEL, C1 controls...) are shown as \xNN / \uNNNN instead of acting.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF -> LF
    if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte == 0x7F) {
      out += fmt::format("\\x{:02x}", byte);
      continue;
    }
    if (byte == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        out += fmt::format("\\u{:04x}", next);
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

void clean(std::string& text) { text = printable(text); }

void clean(PolicyRef& ref) {
  clean(ref.file);
  clean(ref.statement);
}

/// A copy of the report whose texts are safe to print (resource names and
/// messages come from inputs a pull request controls).
Report printable_copy(const Report& report) {
  Report copy = report;
  clean(copy.organization);
  for (auto& input : copy.inputs) clean(input);
  for (auto& finding : copy.findings) {
    clean(finding.rule_id);
    clean(finding.message);
    clean(finding.resource_address);
    clean(finding.resource_type);
    clean(finding.location.file);
    clean(finding.policy);
    clean(finding.waiver_reason);
    clean(finding.waiver);
  }
  for (auto& service : copy.summary.services) {
    clean(service.service);
    clean(service.title);
  }
  for (auto& team : copy.summary.teams) {
    clean(team.team);
    clean(team.kind);
    for (auto& r : team.responsibilities) {
      clean(r.service);
      clean(r.area);
      clean(r.owner);
    }
  }
  for (auto& type : copy.unmapped) clean(type.type);
  return copy;
}

/// Indents every line after the first by `indent` spaces (messages may hold line breaks).
std::string indent_continuation(std::string_view text, std::size_t indent) {
  std::string out;
  const std::string pad(indent, ' ');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += c == '\r' ? '\n' : c;
    if (c == '\n' || c == '\r') out += pad;
  }
  return out;
}

/// Code points, which is how fmt pads strings ('{:<N}') for the scripts we print.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return width;
}

std::string change_mark(bool added, bool removed) {
  if (added) return "+ ";
  if (removed) return "- ";
  return "  ";
}

std::string change_note(bool added, bool removed) {
  if (added) return "  (added)";
  if (removed) return "  (removed)";
  return "";
}

void write_finding(std::string& out, const TextWriter& w, const Finding& finding) {
  const std::string head = finding.waived
                               ? w.paint(fmt::format("waived {}[{}]", detail::severity_name(finding.level),
                                                     finding.rule_id),
                                         fmt::emphasis::bold | fmt::fg(fmt::terminal_color::bright_blue))
                               : w.paint(fmt::format("{}[{}]", detail::severity_name(finding.level),
                                                     finding.rule_id),
                                         w.severity_style(finding.level));
  std::string where = detail::where(finding);
  if (detail::has_source_line(finding) && !finding.resource_address.empty()) {
    where += " (" + finding.resource_address + ")";
  }
  out += fmt::format("  {} {}: {}\n", head, w.paint(where, fmt::emphasis::bold),
                     indent_continuation(finding.message, 4));
  const std::string policy = detail::policy_string(finding.policy);
  if (!policy.empty() || !finding.policy.statement.empty()) {
    out += fmt::format("    {} {}", w.paint("policy:", fmt::emphasis::faint), policy);
    if (!finding.policy.statement.empty()) out += "  " + finding.policy.statement;
    out += '\n';
  }
  if (finding.waived) {
    out += fmt::format("    {} {}", w.paint("waived:", fmt::emphasis::faint),
                       finding.waiver_reason.empty() ? std::string("(no justification)")
                                                     : indent_continuation(finding.waiver_reason, 6));
    const std::string waiver = detail::policy_string(finding.waiver);
    if (!waiver.empty()) out += " (" + waiver + ")";
    out += '\n';
  }
}

}  // namespace

std::string render_text(const Report& original, bool color) {
  const Report report = printable_copy(original);
  const TextWriter w(color);
  const Summary& summary = report.summary;
  std::string out;

  // Findings grouped by severity, waived ones last.
  struct Group {
    const char* title;
    Severity level;
    bool waived;
  };
  const Group groups[] = {{"Errors", Severity::error, false},
                          {"Warnings", Severity::warning, false},
                          {"Notes", Severity::note, false},
                          {"Waived", Severity::error, true}};
  for (const auto& group : groups) {
    const auto belongs = [&](const Finding& f) {
      return group.waived ? f.waived : (!f.waived && f.level == group.level);
    };
    const auto count = static_cast<std::size_t>(
        std::count_if(report.findings.begin(), report.findings.end(), belongs));
    if (count == 0) continue;
    out += w.paint(fmt::format("{} ({})", group.title, count),
                   group.waived ? fmt::text_style(fmt::emphasis::bold) : w.severity_style(group.level));
    out += '\n';
    for (const auto& finding : report.findings) {
      if (belongs(finding)) write_finding(out, w, finding);
    }
    out += '\n';
  }

  out += w.paint("Summary", fmt::emphasis::bold);
  out += '\n';
  if (!report.organization.empty()) out += fmt::format("  organization: {}\n", report.organization);
  if (!report.inputs.empty()) {
    out += "  inputs:";
    for (const auto& input : report.inputs) out += " " + input;
    out += '\n';
  }
  out += fmt::format("  {} checked\n", detail::plural(report.resources.size(), "resource", "resources"));

  // Services.
  out += fmt::format("  services used ({}):\n", summary.services.size());
  std::size_t width = 0;
  std::size_t title_width = 0;
  for (const auto& service : summary.services) {
    width = std::max(width, service.service.size());
    title_width = std::max(title_width, display_width(service.title));
  }
  for (const auto& service : summary.services) {
    const std::string mark = summary.is_plan ? change_mark(service.added, service.removed) : "  ";
    std::string row = fmt::format("    {}{:<{}}  {:<{}}  {}", mark, service.service, width, service.title,
                                  title_width, detail::plural(service.resources, "resource", "resources"));
    if (summary.is_plan) row += change_note(service.added, service.removed);
    out += (service.added || service.removed) && summary.is_plan
               ? w.paint(row, fmt::fg(service.added ? fmt::terminal_color::green : fmt::terminal_color::red))
               : row;
    out += '\n';
  }

  // Responsibilities per team.
  out += "  responsibilities per team:\n";
  if (summary.teams.empty()) out += "    (none)\n";
  for (const auto& team : summary.teams) {
    const std::string label = team.kind.empty() ? team.team : fmt::format("{} ({})", team.team, team.kind);
    const std::string row =
        fmt::format("    {}: {}", label,
                    detail::plural(team.responsibilities.size(), "responsibility", "responsibilities"));
    out += team.kind.empty() ? w.paint(row, w.severity_style(Severity::error)) : row;
    out += '\n';
    std::size_t service_width = 0;
    for (const auto& r : team.responsibilities) service_width = std::max(service_width, r.service.size());
    for (const auto& r : team.responsibilities) {
      const std::string mark = summary.is_plan ? change_mark(r.added, r.removed) : "  ";
      std::string item = fmt::format("      {}{:<{}}  {} ({})", mark, r.service, service_width, r.area, r.owner);
      if (summary.is_plan) item += change_note(r.added, r.removed);
      out += (r.added || r.removed) && summary.is_plan
                 ? w.paint(item, fmt::fg(r.added ? fmt::terminal_color::green : fmt::terminal_color::red))
                 : item;
      out += '\n';
    }
  }

  // Unmapped types.
  if (!report.unmapped.empty()) {
    out += fmt::format("  unmapped resource types ({}), not checked:\n", report.unmapped.size());
    for (const auto& type : report.unmapped) {
      out += fmt::format("    {}  {}\n", type.type, detail::plural(type.count, "resource", "resources"));
    }
  }

  const fmt::text_style closing = report.failed ? w.severity_style(Severity::error)
                                                : fmt::emphasis::bold | fmt::fg(fmt::terminal_color::green);
  out += '\n';
  out += w.paint(detail::counts_line(summary), closing);
  out += '\n';
  return out;
}

}  // namespace onus::report
