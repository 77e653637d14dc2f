// Stage 4: checks over the resolved model. Base completeness (every cell has
// one owner), organisation completeness (every customer or shared cell of an
// allowed service has a team), and warnings about unused policy.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/compile_context.hpp"

namespace onus::compiler {

using model::Owner;
using model::RowId;
using model::ServiceId;

namespace {

void check_base_completeness(Context& ctx) {
  const auto& m = ctx.model;
  // Missing owners, by row: a row missing on many services is one mistake
  // (usually a new layer or area that no model covers), reported once.
  std::vector<std::vector<ServiceId>> missing(m.rows.size());
  for (ServiceId s = 0; s < m.services.size(); ++s) {
    if (ctx.broken_service[s]) continue;  // its parent is in error already
    for (RowId r = 0; r < m.rows.size(); ++r) {
      if (m.rows[r].leaf() && m.cell(s, r).owner == Owner::unset) missing[r].push_back(s);
    }
  }
  constexpr std::size_t group_above = 3;
  std::map<ServiceId, std::vector<std::string>> by_service;
  for (RowId r = 0; r < m.rows.size(); ++r) {
    const auto& services = missing[r];
    if (services.size() > group_above) {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < services.size() && i < 3; ++i) names.push_back(m.services[services[i]].name);
      ctx.diagnostics.error("E0301", m.rows[r].span,
                            fmt::format("'{}' has no owner on {} services ({}{})", m.rows[r].name, services.size(),
                                        fmt::join(names, ", "), services.size() > 3 ? ", ..." : ""))
          .with_help(fmt::format("give it an owner in the models the services follow (such as core.iaas): provider: {} or customer: {}",
                                 m.rows[r].name, m.rows[r].name));
      continue;
    }
    for (const ServiceId s : services) by_service[s].push_back(m.rows[r].name);
  }
  for (const auto& [s, rows] : by_service) {
    const auto& service = m.services[s];
    ctx.diagnostics.error("E0301", service.span,
                          fmt::format("{} leaves {} without an owner: {}", service.name,
                                      rows.size() == 1 ? "one area" : fmt::format("{} areas", rows.size()), fmt::join(rows, ", ")))
        .with_help(fmt::format("give each an owner in the service or its model (provider: {} or customer: {})", rows.front(),
                               rows.front()));
  }
}

void check_service_policies(Context& ctx) {
  const auto& m = ctx.model;
  std::map<ServiceId, const model::ServicePolicy*> allow, deny;
  for (const auto& p : m.service_policies) {
    auto& table = p.deny ? deny : allow;
    auto [it, inserted] = table.emplace(p.service, &p);
    if (!inserted) {
      ctx.diagnostics.warning("W0407", p.span, fmt::format("{} is {} twice", m.services[p.service].name, p.deny ? "denied" : "allowed"))
          .note(it->second->span, "first here")
          .with_help("remove the repetition");
    }
  }
  for (const auto& [s, p] : deny) {
    if (auto it = allow.find(s); it != allow.end()) {
      ctx.diagnostics.error("E0406", p->span, fmt::format("{} is both allowed and denied", m.services[s].name))
          .note(it->second->span, "allowed here")
          .with_help("decide: keep the allow or the deny");
    }
  }
}

// Gaps: customer or shared cells of allowed services without a team, listed
// by area and service in a form that can be pasted into the policy.
void check_org_completeness(Context& ctx) {
  const auto& m = ctx.model;
  if (!m.organization || !m.has_allow_list()) return;
  std::map<std::string, std::vector<std::string>> by_area;  // area -> services
  std::size_t gaps = 0;
  for (ServiceId s = 0; s < m.services.size(); ++s) {
    if (!m.allowed(s)) continue;
    for (RowId r = 0; r < m.rows.size(); ++r) {
      if (!m.rows[r].leaf()) continue;
      const auto& c = m.cell(s, r);
      if ((c.owner == Owner::customer || c.owner == Owner::shared) && c.team == model::no_team) {
        by_area[m.rows[r].name].push_back(m.services[s].name);
        ++gaps;
      }
    }
  }
  if (gaps == 0) return;
  // Group areas that share the same list of services on one line.
  std::map<std::vector<std::string>, std::vector<std::string>> lines;
  for (const auto& [area, services] : by_area) lines[services].push_back(area);
  std::vector<std::string> paste;
  for (const auto& [services, areas] : lines) {
    paste.push_back(fmt::format("assign TEAM: {} on {}", fmt::join(areas, ", "), fmt::join(services, ", ")));
  }
  std::sort(paste.begin(), paste.end());
  auto& d = ctx.diagnostics.error(
      "E0404", m.organization->span,
      fmt::format("organisation {} leaves {} customer responsibilit{} of allowed services without a team", m.organization->name, gaps,
                  gaps == 1 ? "y" : "ies"));
  for (const auto& line : paste) d.note(Span{}, line);
  d.with_help("paste the lines above into the policy and replace TEAM with the team or vendor that carries them");
}

void check_unused_teams(Context& ctx) {
  const auto& m = ctx.model;
  if (!m.organization) return;
  std::vector<bool> used(m.teams.size(), false);
  for (const auto& c : m.cells) {
    if (c.team != model::no_team) used[static_cast<std::size_t>(c.team)] = true;
  }
  for (std::size_t t = 0; t < m.teams.size(); ++t) {
    if (used[t]) continue;
    ctx.diagnostics.warning("W0401", m.teams[t].span, fmt::format("{} '{}' carries no responsibility", m.teams[t].kind, m.teams[t].name))
        .with_help(fmt::format("assign it with 'assign {}: AREAS', or remove it", m.teams[t].name));
  }
}

}  // namespace

void run_checks(Context& ctx) {
  check_base_completeness(ctx);
  check_service_policies(ctx);
  if (ctx.options.org_checks) {
    check_org_completeness(ctx);
    check_unused_teams(ctx);
  }
}

}  // namespace onus::compiler
