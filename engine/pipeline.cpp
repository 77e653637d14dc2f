#include "engine/pipeline.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/pipeline_rules.hpp"
#include "engine/version.hpp"

namespace onus {

using model::Owner;
using model::RowId;
using model::ServiceId;

namespace {

/// The mappings of one resource type: guarded ones (tried in order) and the type's own.
struct TypeMappings {
  std::vector<const model::Mapping*> guarded;
  const model::Mapping* base = nullptr;
};

/// The mappings of a type read in `format`. Inventories usually name resources
/// by their Terraform or CloudFormation type: without an inventory mapping, the
/// first of those formats that maps the type is used.
TypeMappings mappings_of(const model::Model& m, inputs::Format format, std::string_view type) {
  TypeMappings found;
  for (const char* name : {inputs::to_string(format), "terraform", "cloudformation"}) {
    found.guarded = m.guarded_mappings(name, type);
    found.base = m.find_mapping(name, type);
    if (format != inputs::Format::inventory || found.base || !found.guarded.empty()) break;
  }
  return found;
}

}  // namespace

inputs::AttributePaths BindingIndex::attribute_paths() {
  return [this](inputs::Format format, std::string_view type) -> const std::vector<std::string>* {
    const std::string key = std::string(inputs::to_string(format)) + ":" + std::string(type);
    for (const auto& [k, v] : cache_) {
      if (k == key) return v.empty() ? nullptr : &v;
    }
    // Every path a mapping of the type binds: its guarded mappings' too, whose
    // guards choose the service per resource.
    std::vector<std::string> paths;
    const auto add = [&paths](const model::Mapping* m) {
      if (!m) return;
      for (const auto& b : m->bindings) {
        if (!b.path.empty() && std::find(paths.begin(), paths.end(), b.path) == paths.end()) paths.push_back(b.path);
      }
    };
    const TypeMappings found = mappings_of(model_, format, type);
    for (const auto* m : found.guarded) add(m);
    add(found.base);
    cache_.emplace_back(key, std::move(paths));
    return cache_.back().second.empty() ? nullptr : &cache_.back().second;
  };
}

std::string today_utc() {
  if (const char* t = std::getenv("ONUS_TODAY"); t && *t) return t;
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

namespace {

report::RuleInfo builtin(const std::string& id, const std::string& name, Severity level, const std::string& short_d,
                         const std::string& full, const std::string& help, const std::string& severity) {
  report::RuleInfo r;
  r.id = id;
  r.name = name;
  r.level = level;
  r.short_description = short_d;
  r.full_description = full;
  r.help = help;
  r.security_severity = severity;
  r.tags = {"security", "shared-responsibility"};
  return r;
}

}  // namespace

report::Report evaluate_pipeline(const Program& program, const model::Model& m, const eval::CompiledRules& rules,
                                 const inputs::InputSet& in, const PipelineOptions& options) {
  report::Report r;
  r.tool_version = version();
  r.organization = m.organization ? m.organization->name : "";
  r.inputs = in.files;
  r.policies = options.policies;
  r.fail_on = options.fail_on;

  // ---- map resources to services, with their variant attributes
  // The resources that exist after the change, as the evaluator sees them, with
  // their input format and whether the change creates them.
  std::vector<eval::EvalResource> resources;
  std::vector<inputs::Format> formats;
  std::vector<char> created;
  resources.reserve(in.resources.size());
  formats.reserve(in.resources.size());
  created.reserve(in.resources.size());
  r.resources.reserve(in.resources.size());
  std::unordered_map<std::string_view, TypeMappings> mapping_cache[3];  // per inputs::Format
  std::map<std::string, std::size_t> unmapped;
  struct Usage {
    std::size_t live = 0, created = 0, removed = 0;
  };
  std::map<ServiceId, Usage> usage;
  for (const auto& res : in.resources) {
    // Keyed by a view of the type (the InputSet outlives this function): no
    // string is built per resource.
    auto& cache = mapping_cache[static_cast<std::size_t>(res.format)];
    auto it = cache.find(res.type);
    if (it == cache.end()) it = cache.emplace(std::string_view(res.type), mappings_of(m, res.format, res.type)).first;
    const model::Mapping* mapping = it->second.base;
    for (const model::Mapping* guarded : it->second.guarded) {
      if (model::conditions_hold(guarded->guard, guarded->bind(res.attributes))) {
        mapping = guarded;
        break;
      }
    }
    report::ResourceRow row{res.address, res.type, mapping ? m.services[mapping->service].name : "", inputs::to_string(res.action),
                            res.location};
    row.format = res.format;
    r.resources.push_back(std::move(row));
    if (!mapping) {
      ++unmapped[res.type];
      continue;
    }
    Usage& u = usage[mapping->service];
    if (res.action == inputs::Action::remove) {
      ++u.removed;
      continue;
    }
    if (res.action == inputs::Action::read) continue;
    ++u.live;
    if (res.action == inputs::Action::create) ++u.created;
    eval::EvalResource e;
    e.address = res.address;
    e.type = res.type;
    e.service = mapping->service;
    e.file = res.location.file;
    e.line = res.location.line;
    e.column = res.location.column;
    e.attributes = mapping->bind(res.attributes);
    resources.push_back(std::move(e));
    formats.push_back(res.format);
    created.push_back(res.action == inputs::Action::create ? 1 : 0);
  }
  for (const auto& [type, count] : unmapped) r.unmapped.push_back({type, count});

  // ---- the rule catalogue
  r.rules.push_back(builtin("ONUS001", "denied-service", Severity::error, "A denied service is in use",
                            "The organisation denies this service, but the input deploys resources of it.",
                            "Remove the resources, or change the organisation's deny statement after review.", "8.0"));
  r.rules.push_back(builtin("ONUS002", "service-not-allowed", Severity::error, "A service outside the allow list is in use",
                            "The organisation lists the services it allows; this one is not among them, so nobody has agreed who carries its customer responsibilities.",
                            "Add the service to an allow statement and assign teams to its customer responsibilities, or remove the resources.", "7.0"));
  r.rules.push_back(builtin("ONUS003", "responsibility-without-team", Severity::error, "A customer responsibility has no team",
                            "A service in use has a customer or shared responsibility that no team or vendor of the organisation carries.",
                            "Add an assign statement for the area and service.", "6.0"));
  r.rules.push_back(builtin("ONUS004", "unmapped-resource-type", Severity::warning, "A resource type maps to no service",
                            "Resources of this type were not evaluated: no resources mapping names their type.",
                            "Add a mapping TYPE -> SERVICE in a resources block of the policy or the standard library.", "3.0"));
  r.rules.push_back(builtin("ONUS005", "expired-waiver", Severity::error, "A waiver has expired",
                            "A waiver's until date has passed; the findings it covered are active again.",
                            "Fix the findings, or renew the waiver with a new date and justification.", "5.0"));
  r.rules.push_back(builtin("ONUS006", "unused-waiver", Severity::warning, "A waiver matches no finding",
                            "A waiver names a rule and resource for which no finding exists.",
                            "Remove the waiver: what it covered is fixed or gone.", "2.0"));
  for (auto& rule : r.rules) rule.per_resource = rule.id != "ONUS005" && rule.id != "ONUS006";
  for (const auto& rule : m.rules) {
    const Severity level = rule.level == model::Level::advisory ? Severity::warning : Severity::error;
    report::RuleInfo info = builtin(rule.package + "." + rule.name, rule.name, level,
                                    rule.description.empty() ? rule.name : rule.description,
                                    fmt::format("{} rule of organisation {}: {}", model::to_string(rule.level), r.organization,
                                                rule.description),
                                    "Change the resources so that the rule holds, or waive the rule for them with a justification and a date.",
                                    rule.level == model::Level::hard ? "9.0" : rule.level == model::Level::mandatory ? "7.0" : "4.0");
    info.tags.push_back(model::to_string(rule.level));
    r.rules.push_back(std::move(info));
  }
  std::sort(r.rules.begin(), r.rules.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  // ---- built-in findings
  // Denied and not-allowed services: one finding per resource, in one pass.
  std::vector<const model::ServicePolicy*> deny_of(m.services.size(), nullptr);
  for (ServiceId s = 0; s < m.services.size(); ++s) deny_of[s] = m.denial(s);
  const model::ServicePolicy* first_allow = nullptr;
  for (const auto& p : m.service_policies) {
    if (!p.deny && !first_allow) first_allow = &p;
  }
  const bool allow_list = m.organization && m.has_allow_list();
  PolicyRefs refs(program.sources);
  std::vector<std::string> refusal_message(m.services.size());  // one text per service
  std::vector<char> refused(m.services.size(), 0);
  for (ServiceId s = 0; s < m.services.size(); ++s) refused[s] = deny_of[s] || (allow_list && !m.allowed(s));
  r.findings.reserve(static_cast<std::size_t>(
      std::count_if(resources.begin(), resources.end(), [&refused](const auto& x) { return refused[x.service] != 0; })));
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& res = resources[i];
    if (!refused[res.service]) continue;
    const auto& service = m.services[res.service];
    const model::ServicePolicy* deny = deny_of[res.service];
    report::Finding f;
    f.level = Severity::error;
    f.resource_address = res.address;
    f.resource_type = res.type;
    f.service = service.name;
    f.location = {std::string(res.file), res.line, res.column};
    f.format = formats[i];
    std::string& message = refusal_message[res.service];
    if (deny) {
      f.rule_id = "ONUS001";
      if (message.empty())
        message = fmt::format("{}{} is denied by organisation {}{}: remove this resource, or get the deny statement reviewed",
                              service.name,
                              deny->service == res.service ? "" : fmt::format(" (it extends {})", m.services[deny->service].name),
                              r.organization, deny->reason.empty() ? "" : " (" + deny->reason + ")");
      f.policy = refs(deny->span);
    } else {
      f.rule_id = "ONUS002";
      if (message.empty())
        message = fmt::format("{} is not in organisation {}'s allow list: allow it and assign its responsibilities, or remove this resource",
                              service.name, r.organization);
      if (first_allow) f.policy = refs(first_allow->span);
    }
    f.message = message;
    r.findings.push_back(std::move(f));
  }
  // Responsibilities carried per cell, with variants applied per resource.
  // Resources of one service that match the same variants have the same cells:
  // group them (a handful of groups for 100,000 resources) and resolve each
  // group's cells once.
  struct Group {
    std::size_t first = 0;  // index of its first resource (input order)
    std::size_t count = 0;
    bool all_created = true;
  };
  std::map<std::pair<ServiceId, std::uint64_t>, Group> groups;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& res = resources[i];
    std::uint64_t mask = 0;
    const auto& variants = m.services[res.service].variants;
    for (std::size_t v = 0; v < variants.size() && v < 64; ++v) {
      if (model::conditions_hold(variants[v].conditions, res.attributes)) mask |= std::uint64_t{1} << v;
    }
    auto [it, inserted] = groups.try_emplace({res.service, mask});
    if (inserted) it->second.first = i;
    ++it->second.count;
    it->second.all_created = it->second.all_created && created[i];
  }
  struct CellUse {
    Owner owner = Owner::unset;
    model::TeamId team = model::no_team;
    std::size_t resources = 0;
    std::size_t first = 0;  // its first resource
    bool added = true;      // every resource behind it is being created
  };
  const std::size_t row_count = m.rows.size();
  std::vector<CellUse> cell_use(m.services.size() * row_count);
  for (const auto& [key, g] : groups) {
    const auto& first = resources[g.first];
    for (RowId row = 0; row < row_count; ++row) {
      if (!m.rows[row].leaf()) continue;
      const model::Cell& base = m.cell(key.first, row);
      model::Cell varied;
      const model::Cell* c = &base;
      if (key.second != 0) {
        varied = m.cell_with(key.first, row, first.attributes);
        c = &varied;
      }
      if (c->owner != Owner::customer && c->owner != Owner::shared) continue;
      CellUse& u = cell_use[key.first * row_count + row];
      if (u.resources == 0 || g.first < u.first) {
        // Groups of one service disagree only where variants differ; the
        // first resource in input order gives the cell its owner and name.
        u.owner = c->owner;
        u.team = c->team;
        u.first = g.first;
      }
      u.resources += g.count;
      u.added = u.added && g.all_created;
    }
  }
  std::map<std::pair<ServiceId, RowId>, const CellUse*> cells;  // ordered for output
  for (ServiceId s = 0; s < m.services.size(); ++s) {
    for (RowId row = 0; row < row_count; ++row) {
      const CellUse& u = cell_use[s * row_count + row];
      if (u.resources > 0) cells.emplace(std::pair{s, row}, &u);
    }
  }
  if (m.organization) {
    // One finding per service and area without a team, pointing at its first
    // resource; services already reported as denied or not allowed are skipped
    // (the fix there is to remove or allow the service first).
    for (const auto& [key, use] : cells) {
      const CellUse& u = *use;
      if (u.team != model::no_team || refused[key.first]) continue;
      const auto& first = resources[u.first];
      const inputs::Format first_format = formats[u.first];
      const auto& service = m.services[key.first];
      report::Finding f;
      f.rule_id = "ONUS003";
      f.level = Severity::error;
      f.message = fmt::format("{} on {} is a {} responsibility ({} resource{}) that no team carries: add 'assign TEAM: {} on {}'",
                              m.rows[key.second].name, service.name, model::to_string(u.owner), u.resources,
                              u.resources == 1 ? "" : "s", m.rows[key.second].name, service.name);
      f.resource_address = first.address;
      f.resource_type = first.type;
      f.service = service.name;
      f.location = {std::string(first.file), first.line, first.column};
      f.format = first_format;
      f.policy = refs(m.organization->span);
      r.findings.push_back(std::move(f));
    }
  }
  for (const auto& [type, count] : unmapped) {
    report::Finding f;
    f.rule_id = "ONUS004";
    f.level = Severity::warning;
    f.message = fmt::format("{} resource{} of type {} map{} to no service and {} not evaluated: add a mapping for {}", count,
                            count == 1 ? "" : "s", type, count == 1 ? "s" : "", count == 1 ? "was" : "were", type);
    f.resource_type = type;
    for (const auto& res : in.resources) {
      if (res.type == type) {
        f.resource_address = res.address;
        f.location = res.location;
        f.format = res.format;
        break;
      }
    }
    r.findings.push_back(std::move(f));
  }

  // ---- policy rules
  std::vector<report::Finding> rule_findings = evaluate_rules(program, m, rules, resources, formats);

  // ---- waivers: applied, expired, unused
  const std::string today = options.today.empty() ? today_utc() : options.today;
  std::vector<bool> waiver_used(m.waivers.size(), false);
  for (auto& f : rule_findings) {
    for (std::size_t w = 0; w < m.waivers.size(); ++w) {
      const auto& waiver = m.waivers[w];
      if (f.rule_id != waiver.rule && !f.rule_id.ends_with("." + waiver.rule)) continue;
      if (!waiver.subject.empty() && !model::glob_match(waiver.subject, f.resource_address) && !model::glob_match(waiver.subject, f.service)) continue;
      const auto rule = std::find_if(m.rules.begin(), m.rules.end(), [&waiver](const auto& x) { return x.name == waiver.rule; });
      if (rule == m.rules.end() || rule->level == model::Level::hard) continue;
      waiver_used[w] = true;
      if (waiver.until && waiver.until->text() < today) continue;  // expired: the finding stays active
      f.waived = true;
      f.waiver_reason = waiver.reason;
      f.waiver = refs(waiver.span);
    }
  }
  for (std::size_t w = 0; w < m.waivers.size(); ++w) {
    const auto& waiver = m.waivers[w];
    report::Finding f;
    f.policy = refs(waiver.span);
    if (waiver.until && waiver.until->text() < today) {
      f.rule_id = "ONUS005";
      f.level = Severity::error;
      f.message = fmt::format("the waiver of {}{} expired on {}: fix what it covered or renew it with a new date", waiver.rule,
                              waiver.subject.empty() ? "" : " for " + waiver.subject, waiver.until->text());
      r.findings.push_back(std::move(f));
    } else if (!waiver_used[w]) {
      f.rule_id = "ONUS006";
      f.level = Severity::warning;
      f.message = fmt::format("the waiver of {}{} matches no finding: remove it", waiver.rule,
                              waiver.subject.empty() ? "" : " for " + waiver.subject);
      r.findings.push_back(std::move(f));
    }
  }
  r.findings.reserve(r.findings.size() + rule_findings.size());
  for (auto& f : rule_findings) r.findings.push_back(std::move(f));
  // Sort an index (a Finding is large: moving it in every comparison step
  // dominated the evaluation of large plans), then move each finding once.
  // First by severity and rule, as integers (a rule id's rank in r.rules, which
  // is sorted by id); then each rule's findings by address and message. Those
  // are produced in input order, and plans list resources by address, so most
  // runs are already in order and are only checked.
  struct SortKey {
    Severity level;
    std::uint32_t rule_rank;  // r.rules.size() for an id not listed there (not expected)
    std::string_view address;  // contiguous with the key: no visit to the large Finding per comparison
    bool same_rule(const SortKey& o) const { return level == o.level && rule_rank == o.rule_rank; }
  };
  std::vector<SortKey> keys(r.findings.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const report::Finding& f = r.findings[i];
    const auto rule = std::lower_bound(r.rules.begin(), r.rules.end(), f.rule_id,
                                       [](const report::RuleInfo& x, const std::string& id) { return x.id < id; });
    const bool listed = rule != r.rules.end() && rule->id == f.rule_id;
    keys[i] = {f.level, static_cast<std::uint32_t>(listed ? rule - r.rules.begin() : r.rules.size()), f.resource_address};
  }
  std::vector<std::uint32_t> order(r.findings.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&keys](std::uint32_t x, std::uint32_t y) {
    if (keys[x].level != keys[y].level) return keys[x].level > keys[y].level;
    return keys[x].rule_rank < keys[y].rule_rank;
  });
  const auto within_rule = [&r, &keys](std::uint32_t x, std::uint32_t y) {
    if (const int c = keys[x].address.compare(keys[y].address); c != 0) return c < 0;
    const report::Finding& a = r.findings[x];
    const report::Finding& b = r.findings[y];
    if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;  // only for ids not in r.rules
    return a.message < b.message;
  };
  for (auto group = order.begin(); group != order.end();) {
    const auto group_end = std::find_if(group, order.end(), [&](std::uint32_t i) { return !keys[i].same_rule(keys[*group]); });
    if (!std::is_sorted(group, group_end, within_rule)) std::stable_sort(group, group_end, within_rule);
    group = group_end;
  }
  // Apply the order in place, one cycle of the permutation at a time: each
  // finding moves once and no second array of findings is allocated.
  for (std::uint32_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    report::Finding held = std::move(r.findings[start]);
    std::uint32_t at = start;
    while (order[at] != start) {
      const std::uint32_t from = order[at];
      r.findings[at] = std::move(r.findings[from]);
      order[at] = at;  // placed
      at = from;
    }
    r.findings[at] = std::move(held);
    order[at] = at;
  }

  // ---- summary
  r.summary.is_plan = std::any_of(in.resources.begin(), in.resources.end(), [](const auto& x) { return x.format == inputs::Format::terraform; });
  for (const auto& [s, u] : usage) {
    report::ServiceUse su;
    su.service = m.services[s].name;
    su.title = m.services[s].description;
    su.resources = u.live;
    su.added = u.live > 0 && u.created == u.live;
    su.removed = u.live == 0 && u.removed > 0;
    r.summary.services.push_back(su);
  }
  std::map<std::string, report::TeamLoad> teams;
  for (const auto& [key, use] : cells) {
    const CellUse& u = *use;
    const std::string name = u.team == model::no_team ? "(unassigned)" : m.teams[static_cast<std::size_t>(u.team)].name;
    auto& load = teams[name];
    load.team = name;
    load.kind = u.team == model::no_team ? "" : m.teams[static_cast<std::size_t>(u.team)].kind;
    load.responsibilities.push_back({m.services[key.first].name, m.rows[key.second].name, model::to_string(u.owner),
                                     r.summary.is_plan && u.added, false});
  }
  // Responsibilities that go away: cells of services whose resources are all being deleted.
  for (const auto& [s, u] : usage) {
    if (u.live != 0 || u.removed == 0) continue;
    for (RowId row = 0; row < m.rows.size(); ++row) {
      if (!m.rows[row].leaf()) continue;
      const auto& c = m.cell(s, row);
      if (c.owner != Owner::customer && c.owner != Owner::shared) continue;
      const std::string name = c.team == model::no_team ? "(unassigned)" : m.teams[static_cast<std::size_t>(c.team)].name;
      auto& load = teams[name];
      load.team = name;
      load.kind = c.team == model::no_team ? "" : m.teams[static_cast<std::size_t>(c.team)].kind;
      load.responsibilities.push_back({m.services[s].name, m.rows[row].name, model::to_string(c.owner), false, true});
    }
  }
  for (auto& [name, load] : teams) r.summary.teams.push_back(std::move(load));
  for (const auto& f : r.findings) {
    if (f.waived) ++r.summary.waived;
    else if (f.level == Severity::error) ++r.summary.errors;
    else if (f.level == Severity::warning) ++r.summary.warnings;
    else ++r.summary.notes;
    if (!f.waived && !options.fail_never && f.level >= options.fail_on) r.failed = true;
  }
  return r;
}

}  // namespace onus
