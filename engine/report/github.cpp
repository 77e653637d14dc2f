// GitHub Actions: workflow commands (annotations) plus a Markdown step summary.
#include <fmt/format.h>

#include <string>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace {

/// Escapes a workflow command's message (% CR LF) or, with `property`, a
/// property value, which also escapes : and ,.
std::string escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c; break;
    }
  }
  return out;
}

std::string escape_data(std::string_view text) { return escape(text, false); }
std::string escape_property(std::string_view text) { return escape(text, true); }

const char* command_of(const Finding& finding) {
  if (finding.waived) return "notice";
  switch (finding.level) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "notice";
  }
  return "error";
}

}  // namespace

std::string render_github(const Report& report, std::string& step_summary) {
  std::string out;
  for (const auto& finding : report.findings) {
    std::string properties;
    // Annotations need a file of the repository: a template line, else the policy
    // statement; without one (embedded policy, plan resource) they go without file.
    if (const auto at = detail::primary_position(finding, false)) {
      properties += "file=" + escape_property(at->file);
      properties += fmt::format(",line={}", at->line);
      if (at->end_line > 0) properties += fmt::format(",endLine={}", at->end_line);
      if (at->column > 0) properties += fmt::format(",col={}", at->column);
      if (at->end_column > 0) properties += fmt::format(",endColumn={}", at->end_column);
      properties += ',';
    }
    std::string title = finding.rule_id;
    if (!detail::subject(finding).empty()) title += " " + detail::subject(finding);
    if (finding.waived) title = "waived: " + title;
    properties += "title=" + escape_property(title);

    std::string message = finding.message;
    if (!finding.resource_address.empty()) {
      message = finding.resource_address + ": " + message;
    }
    const std::string policy = detail::policy_string(finding.policy);
    if (!policy.empty()) message += "\npolicy: " + policy;
    if (!finding.policy.statement.empty()) message += "  " + finding.policy.statement;
    if (finding.waived) {
      message += fmt::format("\nwaived ({}): {}", detail::severity_name(finding.level),
                             finding.waiver_reason.empty() ? "(no justification)" : finding.waiver_reason);
      const std::string waiver = detail::policy_string(finding.waiver);
      if (!waiver.empty()) message += " (" + waiver + ")";
    }
    out += fmt::format("::{} {}::{}\n", command_of(finding), properties, escape_data(message));
  }
  // A plain closing line for the log; GitHub shows at most 10 annotations of each
  // kind per step, so the step summary lists every finding.
  out += fmt::format("onus: {} ({})\n", detail::counts_line(report.summary), detail::verdict(report));
  step_summary = detail::markdown_document(report, "##", kStepSummaryLimit, "step summary");
  return out;
}

}  // namespace onus::report
