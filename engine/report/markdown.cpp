// Markdown: a pull-request comment (also the GitHub step summary).
#include <fmt/format.h>

#include <string>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace detail {

namespace {

std::string change_of(bool added, bool removed) {
  if (added) return "added";
  if (removed) return "removed";
  return "";
}

std::string join_code(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += markdown_code(item);
  }
  return out;
}

std::string severity_cell(const Finding& finding) {
  const char* name = severity_name(finding.level);
  if (finding.waived) return fmt::format("waived ({})", name);
  return fmt::format("**{}**", name);
}

std::string resource_cell(const Finding& finding) {
  std::string cell = markdown_code(subject(finding));
  if (has_source_line(finding)) {
    if (!cell.empty()) cell += "<br>";
    cell += markdown_code(
        location_string(finding.location.file, finding.location.line, finding.location.column));
  }
  if (cell.empty()) cell = "(policy)";
  return cell;
}

std::string policy_cell(const PolicyRef& ref) {
  std::string cell = markdown_code(policy_string(ref));
  if (!ref.statement.empty()) {
    if (!cell.empty()) cell += "<br>";
    cell += markdown_code(ref.statement);
  }
  return cell;
}

std::string message_cell(const Finding& finding) {
  std::string cell = markdown_cell(finding.message);
  if (finding.waived) {
    cell += "<br>**Waived:** ";
    cell += finding.waiver_reason.empty() ? std::string("(no justification)")
                                          : markdown_cell(finding.waiver_reason);
    const std::string at = policy_string(finding.waiver);
    if (!at.empty()) cell += " (" + markdown_code(at) + ")";
  }
  return cell;
}

}  // namespace

namespace {

/// The part of the document above the findings: heading and summary table.
std::string summary_section(const Report& report, std::string_view heading) {
  const Summary& summary = report.summary;
  std::string out = fmt::format("{} {} Onus check {}: {}\n\n", heading,
                                report.failed ? ":x:" : ":white_check_mark:", verdict(report),
                                counts_line(summary));
  std::size_t added = 0;
  std::size_t removed = 0;
  for (const auto& service : summary.services) {
    added += service.added ? 1 : 0;
    removed += service.removed ? 1 : 0;
  }
  std::size_t responsibilities = 0;
  std::size_t unassigned = 0;
  for (const auto& team : summary.teams) {
    responsibilities += team.responsibilities.size();
    if (team.kind.empty()) unassigned += team.responsibilities.size();
  }
  std::size_t unmapped_resources = 0;
  for (const auto& type : report.unmapped) unmapped_resources += type.count;

  out += "| | |\n|---|---|\n";
  if (!report.organization.empty()) {
    out += fmt::format("| Organization | {} |\n", markdown_code(report.organization));
  }
  out += fmt::format("| Inputs | {} |\n", report.inputs.empty() ? "(none)" : join_code(report.inputs));
  out += fmt::format("| Resources | {} |\n", report.resources.size());
  std::string services_cell = std::to_string(summary.services.size());
  if (summary.is_plan) services_cell += fmt::format(" ({} added, {} removed)", added, removed);
  out += fmt::format("| Services used | {} |\n", services_cell);
  std::size_t real_teams = 0;  // "(unassigned)" is not a team
  for (const auto& team : summary.teams) real_teams += team.kind.empty() ? 0 : 1;
  std::string teams_cell = fmt::format("{} across {}", responsibilities, plural(real_teams, "team", "teams"));
  if (unassigned > 0) teams_cell += fmt::format(" (**{} unassigned**)", unassigned);
  out += fmt::format("| Customer responsibilities | {} |\n", teams_cell);
  out += fmt::format("| Unmapped resource types | {} |\n",
                     report.unmapped.empty()
                         ? std::string("0")
                         : fmt::format("{} ({})", report.unmapped.size(),
                                       plural(unmapped_resources, "resource", "resources")));
  out += fmt::format("| Findings | {} |\n", counts_line(summary));
  out += fmt::format("| Fails on | {} and above |\n\n", severity_name(report.fail_on));
  return out;
}

std::string finding_row(const Finding& finding) {
  return fmt::format("| {} | {} | {} | {} | {} |\n", severity_cell(finding), markdown_code(finding.rule_id),
                     resource_cell(finding), message_cell(finding), policy_cell(finding.policy));
}

std::string services_section(const Report& report, std::string_view heading) {
  const Summary& summary = report.summary;
  std::string out = fmt::format("{}# Services used\n\n", heading);
  if (summary.services.empty()) return out + "No services.\n\n";
  out += summary.is_plan ? "| Service | Name | Resources | Change |\n|---|---|---:|---|\n"
                         : "| Service | Name | Resources |\n|---|---|---:|\n";
  for (const auto& service : summary.services) {
    out += fmt::format("| {} | {} | {}", markdown_code(service.service), markdown_cell(service.title), service.resources);
    if (summary.is_plan) out += fmt::format(" | {}", change_of(service.added, service.removed));
    out += " |\n";
  }
  return out + "\n";
}

/// The team table, and (when `details`) every responsibility in a folded list.
std::string teams_section(const Report& report, std::string_view heading, bool details, std::string_view what) {
  const Summary& summary = report.summary;
  std::string out = fmt::format("{}# Responsibilities per team\n\n", heading);
  if (summary.teams.empty()) return out + "No customer responsibilities.\n\n";
  out += summary.is_plan ? "| Team | Kind | Responsibilities | Added | Removed |\n|---|---|---:|---:|---:|\n"
                         : "| Team | Kind | Responsibilities |\n|---|---|---:|\n";
  std::size_t responsibilities = 0;
  for (const auto& team : summary.teams) {
    responsibilities += team.responsibilities.size();
    std::size_t team_added = 0;
    std::size_t team_removed = 0;
    for (const auto& r : team.responsibilities) {
      team_added += r.added ? 1 : 0;
      team_removed += r.removed ? 1 : 0;
    }
    const std::string name = team.kind.empty() ? "**" + markdown_cell(team.team) + "**" : markdown_cell(team.team);
    out += fmt::format("| {} | {} | {}", name, team.kind.empty() ? "-" : markdown_cell(team.kind),
                       team.responsibilities.size());
    if (summary.is_plan) out += fmt::format(" | {} | {}", team_added, team_removed);
    out += " |\n";
  }
  out += "\n";
  if (!details) {
    return out + fmt::format("The list of all {} customer responsibilities is left out to keep this {} within "
                             "its size limit: `onus check --format json` lists them.\n\n",
                             responsibilities, what);
  }
  out += fmt::format("<details><summary>All customer responsibilities ({})</summary>\n\n", responsibilities);
  out += summary.is_plan ? "| Team | Service | Area | Owner | Change |\n|---|---|---|---|---|\n"
                         : "| Team | Service | Area | Owner |\n|---|---|---|---|\n";
  for (const auto& team : summary.teams) {
    for (const auto& r : team.responsibilities) {
      out += fmt::format("| {} | {} | {} | {}", markdown_cell(team.team), markdown_code(r.service),
                         markdown_code(r.area), markdown_cell(r.owner));
      if (summary.is_plan) out += fmt::format(" | {}", change_of(r.added, r.removed));
      out += " |\n";
    }
  }
  return out + "\n</details>\n\n";
}

/// The unmapped types, at most `max_rows` of them (the rest counted in a line).
std::string unmapped_section(const Report& report, std::string_view heading, std::size_t max_rows,
                             std::string_view what) {
  std::string out = fmt::format("{}# Unmapped resource types\n\n", heading);
  if (report.unmapped.empty()) return out + "Every resource type maps to a service.\n\n";
  out += "These resources were not checked: add `resources` mappings for their types.\n\n";
  out += "| Type | Resources |\n|---|---:|\n";
  std::size_t shown = 0;
  for (const auto& type : report.unmapped) {
    if (shown == max_rows) break;
    out += fmt::format("| {} | {} |\n", markdown_code(type.type), type.count);
    ++shown;
  }
  if (shown < report.unmapped.size()) {
    out += fmt::format("\n{} more unmapped {} not shown (size limit of this {}): `onus check --format json` "
                       "lists them.\n",
                       report.unmapped.size() - shown, report.unmapped.size() - shown == 1 ? "type" : "types", what);
  }
  return out + "\n";
}

}  // namespace

std::string markdown_document(const Report& report, std::string_view heading, std::size_t max_bytes,
                              std::string_view what) {
  // Every section but the findings is small unless the run is huge; the
  // findings take what is left of the budget, most severe first, and a line
  // says how many were left out. Under pressure the folded list of every
  // responsibility goes first, then unmapped types beyond the first 20.
  const std::string head = summary_section(report, heading);
  const std::string services = services_section(report, heading);
  const std::string footer = fmt::format("<sub>onus {}</sub>\n", markdown_cell(report.tool_version));
  std::string teams = teams_section(report, heading, true, what);
  std::string unmapped = unmapped_section(report, heading, report.unmapped.size(), what);
  constexpr std::size_t kNoteRoom = 512;  // the "N more findings" line and the findings heading
  const auto fixed = [&] { return head.size() + services.size() + teams.size() + unmapped.size() + footer.size() + kNoteRoom; };
  if (fixed() > max_bytes) teams = teams_section(report, heading, false, what);
  if (fixed() > max_bytes) unmapped = unmapped_section(report, heading, 20, what);
  const std::size_t budget = max_bytes > fixed() ? max_bytes - fixed() : 0;

  std::string findings = fmt::format("{}# Findings\n\n", heading);
  if (report.findings.empty()) {
    findings += "No findings.\n";
  } else {
    const std::string table_head = "| Severity | Rule | Resource | Message | Policy statement |\n|---|---|---|---|---|\n";
    std::string rows;
    std::size_t shown = 0;
    for (const auto& finding : report.findings) {
      std::string row = finding_row(finding);
      if (table_head.size() + rows.size() + row.size() > budget) break;
      rows += row;
      ++shown;
    }
    if (shown > 0) findings += table_head + rows;
    if (shown < report.findings.size()) {
      std::size_t errors = 0, warnings = 0;
      for (std::size_t i = shown; i < report.findings.size(); ++i) {
        const Finding& f = report.findings[i];
        if (f.waived) continue;
        errors += f.level == Severity::error ? 1 : 0;
        warnings += f.level == Severity::warning ? 1 : 0;
      }
      findings += fmt::format("{}**{} more {} not shown** ({}, {}): this {} is limited to {} bytes. "
                              "`onus check --format json` lists every finding.\n",
                              shown > 0 ? "\n" : "", report.findings.size() - shown,
                              report.findings.size() - shown == 1 ? "finding" : "findings",
                              plural(errors, "error", "errors"), plural(warnings, "warning", "warnings"), what, max_bytes);
    }
  }
  findings += "\n";
  return head + findings + services + teams + unmapped + footer;
}

}  // namespace detail

std::string render_markdown(const Report& report) {
  return detail::markdown_document(report, "##", kMarkdownCommentLimit, "comment");
}

}  // namespace onus::report
