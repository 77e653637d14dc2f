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

std::string markdown_document(const Report& report, std::string_view heading) {
  const Summary& summary = report.summary;
  std::string out;
  auto line = [&](std::string_view text) {
    out += text;
    out += '\n';
  };

  // Heading with the verdict.
  out += fmt::format("{} {} Onus check {}: {}\n\n", heading,
                     report.failed ? ":x:" : ":white_check_mark:", verdict(report),
                     counts_line(summary));

  // Summary table.
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

  line("| | |");
  line("|---|---|");
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
  out += fmt::format("| Fails on | {} and above |\n", severity_name(report.fail_on));
  line("");

  // Findings: every one of them, waived ones included.
  out += fmt::format("{}# Findings\n\n", heading);
  if (report.findings.empty()) {
    line("No findings.");
  } else {
    line("| Severity | Rule | Resource | Message | Policy statement |");
    line("|---|---|---|---|---|");
    for (const auto& finding : report.findings) {
      out += fmt::format("| {} | {} | {} | {} | {} |\n", severity_cell(finding),
                         markdown_code(finding.rule_id), resource_cell(finding), message_cell(finding),
                         policy_cell(finding.policy));
    }
  }
  line("");

  // Services.
  out += fmt::format("{}# Services used\n\n", heading);
  if (summary.services.empty()) {
    line("No services.");
  } else {
    line(summary.is_plan ? "| Service | Name | Resources | Change |" : "| Service | Name | Resources |");
    line(summary.is_plan ? "|---|---|---:|---|" : "|---|---|---:|");
    for (const auto& service : summary.services) {
      out += fmt::format("| {} | {} | {}", markdown_code(service.service), markdown_cell(service.title),
                         service.resources);
      if (summary.is_plan) out += fmt::format(" | {}", change_of(service.added, service.removed));
      out += " |\n";
    }
  }
  line("");

  // Responsibilities per team.
  out += fmt::format("{}# Responsibilities per team\n\n", heading);
  if (summary.teams.empty()) {
    line("No customer responsibilities.");
  } else {
    line(summary.is_plan ? "| Team | Kind | Responsibilities | Added | Removed |"
                         : "| Team | Kind | Responsibilities |");
    line(summary.is_plan ? "|---|---|---:|---:|---:|" : "|---|---|---:|");
    for (const auto& team : summary.teams) {
      std::size_t team_added = 0;
      std::size_t team_removed = 0;
      for (const auto& r : team.responsibilities) {
        team_added += r.added ? 1 : 0;
        team_removed += r.removed ? 1 : 0;
      }
      const std::string name = team.kind.empty() ? "**" + markdown_cell(team.team) + "**"
                                                 : markdown_cell(team.team);
      out += fmt::format("| {} | {} | {}", name, team.kind.empty() ? "-" : markdown_cell(team.kind),
                         team.responsibilities.size());
      if (summary.is_plan) out += fmt::format(" | {} | {}", team_added, team_removed);
      out += " |\n";
    }
    line("");
    out += fmt::format("<details><summary>All customer responsibilities ({})</summary>\n\n",
                       responsibilities);
    line(summary.is_plan ? "| Team | Service | Area | Owner | Change |" : "| Team | Service | Area | Owner |");
    line(summary.is_plan ? "|---|---|---|---|---|" : "|---|---|---|---|");
    for (const auto& team : summary.teams) {
      for (const auto& r : team.responsibilities) {
        out += fmt::format("| {} | {} | {} | {}", markdown_cell(team.team), markdown_code(r.service),
                           markdown_code(r.area), markdown_cell(r.owner));
        if (summary.is_plan) out += fmt::format(" | {}", change_of(r.added, r.removed));
        out += " |\n";
      }
    }
    line("");
    line("</details>");
  }
  line("");

  // Unmapped types.
  out += fmt::format("{}# Unmapped resource types\n\n", heading);
  if (report.unmapped.empty()) {
    line("Every resource type maps to a service.");
  } else {
    line("These resources were not checked: add `resources` mappings for their types.");
    line("");
    line("| Type | Resources |");
    line("|---|---:|");
    for (const auto& type : report.unmapped) {
      out += fmt::format("| {} | {} |\n", markdown_code(type.type), type.count);
    }
  }
  line("");
  out += fmt::format("<sub>onus {}</sub>\n", markdown_cell(report.tool_version));
  return out;
}

}  // namespace detail

std::string render_markdown(const Report& report) { return detail::markdown_document(report, "##"); }

}  // namespace onus::report
