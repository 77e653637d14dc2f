#include "engine/model.hpp"

#include <algorithm>

namespace onus::model {

const char* to_string(Owner owner) {
  switch (owner) {
    case Owner::provider: return "provider";
    case Owner::customer: return "customer";
    case Owner::shared: return "shared";
    case Owner::unset: return "unset";
  }
  return "unset";
}

const char* to_string(ControlClass c) {
  switch (c) {
    case ControlClass::inherited: return "inherited";
    case ControlClass::shared: return "shared";
    case ControlClass::customer_specific: return "customer-specific";
  }
  return "shared";
}

const char* to_string(Level level) {
  switch (level) {
    case Level::advisory: return "advisory";
    case Level::mandatory: return "mandatory";
    case Level::hard: return "hard";
  }
  return "advisory";
}

std::string_view Model::label(std::string text) {
  // Most labels repeat (one per declaration and owner): look back a little first.
  const std::size_t n = labels.size();
  for (std::size_t i = n; i > 0 && i + 8 > n; --i) {
    if (labels[i - 1] == text) return labels[i - 1];
  }
  labels.push_back(std::move(text));
  return labels.back();
}

std::optional<ServiceId> Model::find_service(std::string_view name) const {
  if (auto it = service_index.find(std::string(name)); it != service_index.end()) return it->second;
  // A unique short name: "ec2" for "aws.ec2".
  std::optional<ServiceId> found;
  for (ServiceId s = 0; s < services.size(); ++s) {
    if (services[s].short_name == name) {
      if (found) return std::nullopt;  // ambiguous
      found = s;
    }
  }
  return found;
}

std::optional<RowId> Model::find_row(std::string_view name) const {
  if (auto it = row_index.find(std::string(name)); it != row_index.end()) return it->second;
  if (name.starts_with("core.")) return find_row(name.substr(5));
  return std::nullopt;
}

std::optional<TeamId> Model::find_team(std::string_view name) const {
  for (std::size_t t = 0; t < teams.size(); ++t) {
    if (teams[t].name == name) return static_cast<TeamId>(t);
  }
  return std::nullopt;
}

int Model::find_control(std::string_view name) const {
  for (std::size_t c = 0; c < controls.size(); ++c) {
    const auto& n = controls[c].name;
    if (n == name || (n.size() > name.size() && n.ends_with(name) && n[n.size() - name.size() - 1] == '.'))
      return static_cast<int>(c);
  }
  return -1;
}

int Model::find_provider(std::string_view name) const {
  for (std::size_t p = 0; p < providers.size(); ++p) {
    if (providers[p].name == name) return static_cast<int>(p);
  }
  return -1;
}

bool Model::has_allow_list() const {
  return std::any_of(service_policies.begin(), service_policies.end(), [](const ServicePolicy& p) { return !p.deny; });
}

const ServicePolicy* Model::denial(ServiceId s) const {
  int cur = static_cast<int>(s);
  for (int guard = 0; cur >= 0 && static_cast<std::size_t>(cur) < services.size() && guard < 64; ++guard) {
    for (const auto& p : service_policies) {
      if (p.deny && p.service == static_cast<ServiceId>(cur)) return &p;
    }
    cur = services[static_cast<std::size_t>(cur)].parent_service;
  }
  return nullptr;
}

bool Model::allowed(ServiceId s) const {
  if (denial(s)) return false;
  bool allow_list = false, listed = false;
  for (const auto& p : service_policies) {
    if (!p.deny) {
      allow_list = true;
      listed = listed || p.service == s;
    }
  }
  return !allow_list || listed;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool conditions_hold(const std::vector<Condition>& conditions, const Attributes& attributes) {
  for (const auto& c : conditions) {
    const std::string* value = nullptr;
    for (const auto& [k, val] : attributes) {
      if (k == c.attribute) {
        value = &val;
        break;
      }
    }
    if (c.op == "matches") {
      if (!value || std::none_of(c.values.begin(), c.values.end(), [value](const std::string& p) { return glob_match(p, *value); }))
        return false;
      continue;
    }
    const bool in = value && std::find(c.values.begin(), c.values.end(), *value) != c.values.end();
    if (c.op == "==" || c.op == "in") {
      if (!in) return false;
    } else {  // "!=", "not in": an absent attribute is not equal to anything
      if (in) return false;
    }
  }
  return true;
}

Attributes Mapping::bind(const std::vector<std::pair<std::string, std::string>>& raw) const {
  Attributes out;
  for (const auto& b : bindings) {
    const auto found = b.path.empty() ? raw.end()
                                      : std::find_if(raw.begin(), raw.end(), [&b](const auto& kv) { return kv.first == b.path; });
    if (found != raw.end()) out.emplace_back(b.attribute, found->second);
    else if (b.fallback) out.emplace_back(b.attribute, *b.fallback);
  }
  return out;
}

Cell Model::cell_with(ServiceId s, RowId r, const std::vector<std::pair<std::string, std::string>>& attributes) const {
  Cell c = cell(s, r);
  bool changed = false;
  for (const auto& v : services[s].variants) {
    if (!conditions_hold(v.conditions, attributes)) continue;
    for (const auto& e : v.effects) {
      if (e.row != r) continue;
      c.owner = e.owner;
      c.provider_note = e.provider_note;
      c.customer_note = e.customer_note;
      c.provenance.push_back(Provenance{e.span, e.change, e.owner});
      changed = true;
    }
  }
  if (changed) {
    const std::size_t i = s * rows.size() + r;
    // The organisation's take comes after the variants (resolution order 3 < 4).
    if (i < taken.size() && taken[i].span.valid() && (c.owner == Owner::provider || c.owner == Owner::shared)) {
      c.owner = Owner::customer;
      c.provider_note.clear();
      c.customer_note.clear();
      c.provenance.push_back(taken[i]);
    }
    const TeamId t = i < candidate_team.size() ? candidate_team[i] : no_team;
    const bool needs_team = c.owner == Owner::customer || c.owner == Owner::shared;
    c.team = needs_team ? t : no_team;
    c.team_span = needs_team && i < candidate_span.size() ? candidate_span[i] : Span{};
  }
  return c;
}

ControlClass Model::control_class(std::size_t control, ServiceId s) const {
  bool all_provider = true, all_customer = true;
  for (const RowId r : controls[control].rows) {
    const Owner o = cell(s, r).owner;
    all_provider = all_provider && o == Owner::provider;
    all_customer = all_customer && o == Owner::customer;
  }
  if (controls[control].rows.empty()) return ControlClass::shared;
  if (all_provider) return ControlClass::inherited;
  if (all_customer) return ControlClass::customer_specific;
  return ControlClass::shared;
}

const Mapping* Model::find_mapping(std::string_view format, std::string_view type) const {
  const Mapping* best = nullptr;
  for (const auto& m : mappings) {
    if (m.format != format || !m.guard.empty()) continue;
    if (!m.pattern) {
      if (m.type == type) return &m;
    } else if (type.starts_with(m.type) && (!best || m.type.size() > best->type.size())) {
      best = &m;
    }
  }
  return best;
}

std::vector<const Mapping*> Model::guarded_mappings(std::string_view format, std::string_view type) const {
  std::vector<const Mapping*> out;
  for (const auto& m : mappings) {
    if (!m.guard.empty() && m.format == format && m.type == type) out.push_back(&m);
  }
  return out;
}

}  // namespace onus::model
