// Stage 1 (declare) and the compile() driver. Name resolution helpers live here too.
#include "engine/compile.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/compile_context.hpp"

namespace onus {

namespace compiler {

using model::RowId;
using model::ServiceId;

std::string Context::text(const Span& span) const {
  const SourceFile* f = program.sources.get(span.file);
  return f ? std::string(f->slice(span)) : std::string();
}

void Context::unknown(const Span& span, const std::string& what, const std::string& name,
                      const std::vector<std::string>& candidates, const std::string& help) {
  auto& d = diagnostics.error("E0201", span, fmt::format("unknown {} '{}'", what, name));
  const std::string guess = closest_match(name, candidates);
  if (!guess.empty()) d.with_help(fmt::format("did you mean '{}'?", guess));
  else if (!help.empty()) d.with_help(help);
}

std::optional<RowId> Context::row(const ast::Name& name, const char* expected) {
  std::vector<ast::Ident> parts = name.parts;
  // An optional package qualifier: core.guest_os.patching
  if (parts.size() > 1 && program.find(parts[0].text) >= 0 && !model.row_index.count(parts[0].text)) {
    parts.erase(parts.begin());
  }
  std::string key;
  for (std::size_t i = 0; i < parts.size(); ++i) key += (i ? "." : "") + parts[i].text;
  if (auto it = model.row_index.find(key); it != model.row_index.end()) return it->second;
  std::vector<std::string> candidates;
  for (const auto& r : model.rows) candidates.push_back(r.name);
  if (model.find_service(key)) {
    diagnostics.error("E0204", name.span, fmt::format("'{}' is a service, but {} is expected here", key, expected))
        .with_help("name a layer such as guest_os, or an area such as guest_os.patching");
    return std::nullopt;
  }
  unknown(name.span, "layer or area", key, candidates, "layers and areas are declared in stdlib/core (onus matrix lists them)");
  return std::nullopt;
}

std::optional<ResolvedTarget> Context::target(const ast::Target& t) {
  ResolvedTarget out;
  out.span = t.span;
  out.text = text(t.span);
  const auto from = row(t.from);
  if (!from) return std::nullopt;
  if (!t.to) {
    out.layer_level = model.rows[*from].is_layer;
    out.rows.push_back(*from);
    return out;
  }
  const auto to = row(*t.to);
  if (!to) return std::nullopt;
  for (const auto& [r, n] : {std::pair{*from, &t.from}, std::pair{*to, &*t.to}}) {
    if (!model.rows[r].is_layer) {
      diagnostics.error("E0204", n->span, fmt::format("a range runs between layers, but '{}' is an area", model.rows[r].name))
          .with_help("list areas one by one, or use whole layers in the range (physical..host_os)");
      return std::nullopt;
    }
  }
  if (*to < *from) {
    diagnostics.error("E0203", t.span, fmt::format("the range {}..{} runs backwards", model.rows[*from].name, model.rows[*to].name))
        .with_help(fmt::format("layers go bottom to top: write {}..{}", model.rows[*to].name, model.rows[*from].name));
    return std::nullopt;
  }
  out.layer_level = true;
  for (RowId r = *from; r <= *to; ++r) {
    if (model.rows[r].is_layer) out.rows.push_back(r);
  }
  return out;
}

std::optional<ServiceId> Context::service(std::size_t pkg, const ast::Name& name) {
  const Scope& scope = scopes[pkg];
  const std::string full = name.text();
  std::string qualified;
  if (name.parts.size() >= 2) {
    const std::string& package = name.parts[0].text;
    if (package != scope.package && !scope.imports.count(package) && program.find(package) >= 0) {
      diagnostics.error("E0209", name.parts[0].span, fmt::format("package '{}' is not imported here", package))
          .with_help(fmt::format("add 'import {}' after the package line", package));
      return std::nullopt;
    }
    qualified = full;
  } else if (auto it = scope.items.find(full); it != scope.items.end()) {
    qualified = it->second + "." + full;
  } else {
    qualified = scope.package + "." + full;
  }
  if (auto it = model.service_index.find(qualified); it != model.service_index.end()) return it->second;
  std::vector<std::string> candidates;
  for (const auto& s : model.services) {
    candidates.push_back(s.name);
    if (s.package == scope.package) candidates.push_back(s.short_name);
  }
  if (model.row_index.count(full)) {
    diagnostics.error("E0204", name.span, fmt::format("'{}' is a layer or area, but a service is expected here", full))
        .with_help("name a service such as aws.ec2");
    return std::nullopt;
  }
  unknown(name.span, "service", full, candidates, "services are named PROVIDER.SERVICE, such as aws.ec2 (onus matrix lists them)");
  return std::nullopt;
}

std::optional<std::pair<bool, std::size_t>> Context::parent(std::size_t pkg, const ast::Name& name) {
  const Scope& scope = scopes[pkg];
  const std::string full = name.text();
  std::vector<std::string> tries;
  if (name.parts.size() >= 2) tries.push_back(full);
  else {
    tries.push_back(scope.package + "." + full);
    if (auto it = scope.items.find(full); it != scope.items.end()) tries.push_back(it->second + "." + full);
  }
  for (const auto& q : tries) {
    if (auto it = model_index.find(q); it != model_index.end()) {
      const std::string package = q.substr(0, q.find('.'));
      if (package != scope.package && !scope.imports.count(package)) {
        diagnostics.error("E0209", name.span, fmt::format("package '{}' is not imported here", package))
            .with_help(fmt::format("add 'import {}' after the package line", package));
        return std::nullopt;
      }
      return std::pair{true, it->second};
    }
  }
  for (const auto& q : tries) {
    if (auto it = model.service_index.find(q); it != model.service_index.end()) return std::pair{false, std::size_t{it->second}};
  }
  std::vector<std::string> candidates;
  for (const auto& [k, v] : model_index) candidates.push_back(k);
  for (const auto& s : model.services) candidates.push_back(s.name);
  unknown(name.span, "model or service", full, candidates, "a service's parent is a model such as core.iaas or another service");
  return std::nullopt;
}

namespace {

// Reports a duplicate of a qualified name; returns false if it was one.
bool declare_name(Context& ctx, const std::string& qualified, const Span& span, const char* what) {
  auto [it, inserted] = ctx.declared.emplace(qualified, span);
  if (!inserted) {
    ctx.diagnostics.error("E0202", span, fmt::format("{} '{}' is declared twice", what, qualified))
        .note(it->second, "first declared here")
        .with_help("rename one of them or remove the duplicate");
  }
  return inserted;
}

std::string property(const std::vector<ast::Property>& props, std::string_view key) {
  for (const auto& p : props) {
    if (p.key.text == key) return p.value.value;
  }
  return "";
}

void check_properties(Context& ctx, const std::vector<ast::Property>& props, std::initializer_list<std::string_view> allowed,
                      const char* where) {
  std::set<std::string> seen;
  for (const auto& p : props) {
    bool ok = false;
    std::vector<std::string> names;
    for (const auto a : allowed) {
      names.emplace_back(a);
      ok = ok || p.key.text == a;
    }
    if (!ok) {
      auto& d = ctx.diagnostics.error("E0206", p.key.span, fmt::format("'{}' is not a property of {}", p.key.text, where));
      const std::string guess = closest_match(p.key.text, names);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      d.with_help(!guess.empty() ? fmt::format("did you mean '{}'?", guess)
                                 : list.empty() ? std::string("this declaration takes no properties")
                                                : fmt::format("{} takes: {}", where, list));
    } else if (!seen.insert(p.key.text).second) {
      ctx.diagnostics.error("E0202", p.key.span, fmt::format("'{}' is given twice", p.key.text))
          .with_help("keep one value");
    }
  }
}

void declare_rows(Context& ctx) {
  struct LayerEntry {
    const ast::LayerDecl* decl;
    std::vector<const ast::AreaDecl*> areas;
  };
  std::vector<LayerEntry> layers;
  std::map<std::string, std::size_t> by_name;
  for (const auto& pkg : ctx.program.packages) {
    for (const auto f : pkg.files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        const auto* l = std::get_if<ast::LayerDecl>(&decl);
        if (!l || l->name.text.empty()) continue;
        if (!declare_name(ctx, "layer " + l->name.text, l->name.span, "layer")) continue;
        check_properties(ctx, l->properties, {"source"}, "a layer");
        by_name[l->name.text] = layers.size();
        LayerEntry entry{l, {}};
        std::set<std::string> seen;
        for (const auto& a : l->areas) {
          if (a.name.text.find('.') != std::string::npos) {
            ctx.diagnostics.error("E0208", a.name.span, fmt::format("an area inside layer '{}' takes a simple name", l->name.text))
                .with_help("write 'area patching' inside the layer; 'area layer.name' is for adding an area from another package");
            continue;
          }
          if (!declare_name(ctx, "area " + l->name.text + "." + a.name.text, a.name.span, "area")) continue;
          entry.areas.push_back(&a);
        }
        layers.push_back(std::move(entry));
      }
    }
  }
  // Areas added to a layer from elsewhere: `area identity.directory "..."`.
  for (const auto& pkg : ctx.program.packages) {
    for (const auto f : pkg.files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        const auto* l = std::get_if<ast::LayerDecl>(&decl);
        if (!l || !l->name.text.empty()) continue;
        for (const auto& a : l->areas) {
          const auto dot = a.name.text.find('.');
          if (dot == std::string::npos) {
            ctx.diagnostics.error("E0208", a.name.span, "an area outside a layer names its layer: area LAYER.NAME")
                .with_help(fmt::format("write 'area data.{}' to add it to the data layer, or declare it inside a layer block", a.name.text));
            continue;
          }
          const std::string layer = a.name.text.substr(0, dot);
          auto it = by_name.find(layer);
          if (it == by_name.end()) {
            std::vector<std::string> names;
            for (const auto& [k, v] : by_name) names.push_back(k);
            ctx.unknown(a.name.span, "layer", layer, names);
            continue;
          }
          if (a.name.text.find('.', dot + 1) != std::string::npos) {
            ctx.diagnostics.error("E0208", a.name.span, "an area name has two parts: LAYER.NAME");
            continue;
          }
          if (!declare_name(ctx, "area " + a.name.text, a.name.span, "area")) continue;
          layers[it->second].areas.push_back(&a);
        }
      }
    }
  }
  for (const auto& entry : layers) {
    model::Row layer;
    layer.name = entry.decl->name.text;
    layer.description = entry.decl->description ? entry.decl->description->value : "";
    layer.is_layer = true;
    layer.span = entry.decl->span;
    const auto layer_id = static_cast<RowId>(ctx.model.rows.size());
    layer.layer = layer_id;
    ctx.model.rows.push_back(layer);
    for (const auto* a : entry.areas) {
      model::Row area;
      const std::string short_name = a->name.text.substr(a->name.text.find('.') == std::string::npos ? 0 : a->name.text.find('.') + 1);
      area.name = layer.name + "." + short_name;
      area.description = a->description ? a->description->value : "";
      area.layer = layer_id;
      area.span = a->span;
      ctx.model.rows[layer_id].areas.push_back(static_cast<RowId>(ctx.model.rows.size()));
      ctx.model.rows.push_back(area);
    }
  }
  for (RowId r = 0; r < ctx.model.rows.size(); ++r) ctx.model.row_index[ctx.model.rows[r].name] = r;
}

void declare_entities(Context& ctx) {
  auto& m = ctx.model;
  for (std::size_t p = 0; p < ctx.program.packages.size(); ++p) {
    const auto& pkg = ctx.program.packages[p];
    int package_provider = -1;
    for (const auto f : pkg.files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        if (const auto* d = std::get_if<ast::ProviderDecl>(&decl)) {
          if (!declare_name(ctx, "provider " + d->name.text, d->name.span, "provider")) continue;
          check_properties(ctx, d->properties, {"source"}, "a provider");
          if (package_provider >= 0) {
            ctx.diagnostics.error("E0210", d->name.span, fmt::format("package '{}' declares a second provider", pkg.name))
                .with_help("one package describes one provider; put the other in a package of its own");
          }
          m.providers.push_back({d->name.text, d->description ? d->description->value : "", property(d->properties, "source"), d->span});
          package_provider = static_cast<int>(m.providers.size() - 1);
        }
        if (const auto* d = std::get_if<ast::ModelDecl>(&decl)) {
          const std::string q = pkg.name + "." + d->name.text;
          if (!declare_name(ctx, q, d->name.span, "model")) continue;
          for (const auto& s : d->body) {
            if (const auto* prop = std::get_if<ast::Property>(&s)) {
              check_properties(ctx, {*prop}, {"source"}, "a model");
            }
          }
          ctx.model_index[q] = ctx.model_decls.size();
          ctx.model_decls.push_back(d);
          ctx.model_package.push_back(p);
          m.models.push_back({q, d->description ? d->description->value : "", d->span});
        }
        if (const auto* d = std::get_if<ast::ServiceDecl>(&decl)) {
          const std::string q = pkg.name + "." + d->name.text;
          if (!declare_name(ctx, q, d->name.span, "service")) continue;
          model::Service s;
          s.name = q;
          s.short_name = d->name.text;
          s.package = pkg.name;
          s.description = d->description ? d->description->value : "";
          s.span = d->span;
          std::vector<ast::Property> props;
          for (const auto& b : d->body) {
            if (const auto* prop = std::get_if<ast::Property>(&b)) props.push_back(*prop);
          }
          check_properties(ctx, props, {"source"}, "a service");
          s.source = property(props, "source");
          m.service_index[q] = static_cast<ServiceId>(m.services.size());
          m.services.push_back(std::move(s));
          ctx.service_decls.push_back(d);
          ctx.service_package.push_back(p);
        }
      }
    }
    // Services belong to the provider of their package.
    for (std::size_t s = 0; s < m.services.size(); ++s) {
      if (ctx.service_package[s] == p) m.services[s].provider = package_provider;
    }
  }
}

void report_overlap(Context& ctx, const model::Mapping& a, const model::Mapping& b) {
  if (a.service == b.service) return;
  const auto& m = ctx.model;
  ctx.diagnostics.error("E0213", a.span,
                        fmt::format("patterns \"{}*\" and \"{}*\" both match some {} types but map to different services ({} and {})",
                                    a.type, b.type, a.format, m.services[a.service].name, m.services[b.service].name))
      .note(b.span, "the other pattern")
      .with_help("map the types they share with exact names, or narrow one pattern");
}

void declare_controls_and_mappings(Context& ctx) {
  auto& m = ctx.model;
  for (std::size_t p = 0; p < ctx.program.packages.size(); ++p) {
    const auto& pkg = ctx.program.packages[p];
    for (const auto f : pkg.files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        if (const auto* d = std::get_if<ast::ControlDecl>(&decl)) {
          const std::string q = pkg.name + "." + d->name.text;
          if (!declare_name(ctx, q, d->name.span, "control")) continue;
          check_properties(ctx, d->properties, {"source"}, "a control");
          model::Control c;
          c.name = q;
          c.description = d->description ? d->description->value : "";
          c.span = d->span;
          for (const auto& t : d->covers) {
            auto r = ctx.target(t);
            if (!r) continue;
            for (const RowId row : r->rows) {
              const auto& info = m.rows[row];
              if (info.leaf()) c.rows.push_back(row);
              else c.rows.insert(c.rows.end(), info.areas.begin(), info.areas.end());
            }
          }
          std::sort(c.rows.begin(), c.rows.end());
          c.rows.erase(std::unique(c.rows.begin(), c.rows.end()), c.rows.end());
          if (d->covers.empty()) {
            ctx.diagnostics.error("E0211", d->name.span, fmt::format("control '{}' covers nothing", q))
                .with_help("add 'covers AREAS' inside the control: its class is computed from the owners of those areas");
          }
          m.controls.push_back(std::move(c));
        }
        if (const auto* d = std::get_if<ast::ResourcesDecl>(&decl)) {
          for (const auto& mp : d->mappings) {
            auto service = ctx.service(p, mp.service);
            if (!service) continue;
            model::Mapping out;
            out.format = d->format.text;
            out.service = *service;
            out.span = mp.span;
            const std::string& type = mp.type.value;
            const auto star = type.find('*');
            if (star != std::string::npos) {
              if (star + 1 != type.size() || star == 0) {
                ctx.diagnostics.error("E0212", mp.type.span, "a pattern may only end in '*'")
                    .with_help("write a prefix pattern such as \"aws_db_*\", or the exact type");
                continue;
              }
              out.pattern = true;
              out.type = type.substr(0, star);
            } else {
              out.type = type;
            }
            if (out.type.empty()) {
              ctx.diagnostics.error("E0212", mp.type.span, "the resource type is empty");
              continue;
            }
            for (const auto& b : mp.bindings) {
              if (b.constant) out.bindings.push_back({b.attribute.text, "", b.constant->value, b.span});  // a constant: no path, always the default
              else out.bindings.push_back({b.attribute.text, b.path.text(), b.fallback ? std::optional(b.fallback->value) : std::nullopt, b.span});
              if (std::find(m.bound_attributes.begin(), m.bound_attributes.end(), b.attribute.text) == m.bound_attributes.end())
                m.bound_attributes.push_back(b.attribute.text);
            }
            if (!mp.guard.empty() && out.pattern) {
              ctx.diagnostics.error("E0218", mp.guard.front().span, "a 'when' guard needs an exact resource type, not a pattern")
                  .with_help("write a guarded mapping for each exact type, and keep the pattern unguarded");
              continue;
            }
            bool guard_ok = true;
            for (const auto& t : mp.guard) {
              const bool bound = std::any_of(out.bindings.begin(), out.bindings.end(),
                                             [&t](const model::Binding& b) { return b.attribute == t.attribute.text; });
              if (!bound) {
                guard_ok = false;
                ctx.diagnostics.error("E0219", t.attribute.span,
                                      fmt::format("the guard tests '{}', which this mapping does not bind", t.attribute.text))
                    .with_help(fmt::format("bind it after the guard: {{ {} = path.in.resource }}", t.attribute.text));
                continue;
              }
              model::Condition cond{t.attribute.text, t.op, {}, t.span};
              for (const auto& v : t.values) cond.values.push_back(v.value);
              out.guard.push_back(std::move(cond));
              out.guard_text += (out.guard_text.empty() ? "" : " and ") + std::string(ctx.text(t.span));
            }
            if (!guard_ok) continue;
            m.mappings.push_back(std::move(out));
          }
        }
      }
    }
  }
  // Exact duplicates and overlapping patterns of different services, per format.
  std::map<std::pair<std::string, std::string>, std::size_t> exact;
  std::map<std::string, std::vector<std::size_t>> patterns;  // format -> pattern mappings seen so far
  for (std::size_t i = 0; i < m.mappings.size(); ++i) {
    const auto& a = m.mappings[i];
    if (!a.guard.empty()) continue;  // guarded mappings are tried in order before the type's own mapping
    if (!a.pattern) {
      auto [it, inserted] = exact.emplace(std::pair{a.format, a.type}, i);
      if (!inserted) {
        const auto& b = m.mappings[it->second];
        auto& d = ctx.diagnostics.error("E0202", a.span, fmt::format("{} type '{}' is mapped twice", a.format, a.type));
        d.note(b.span, "first mapped here");
        d.with_help(a.service == b.service ? "remove the duplicate" : "a resource type maps to exactly one service: keep one mapping");
      }
      continue;
    }
    // Two patterns overlap when one is a prefix of the other.
    auto& same_format = patterns[a.format];
    for (const std::size_t j : same_format) {
      const auto& b = m.mappings[j];
      if (a.type.starts_with(b.type) || b.type.starts_with(a.type)) report_overlap(ctx, a, b);
    }
    same_format.push_back(i);
  }
}

void declare_org(Context& ctx) {
  auto& m = ctx.model;
  // Which organisation is in force.
  std::vector<std::pair<std::size_t, const ast::OrganizationDecl*>> orgs;
  for (std::size_t p = 0; p < ctx.program.packages.size(); ++p) {
    for (const auto f : ctx.program.packages[p].files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        if (const auto* o = std::get_if<ast::OrganizationDecl>(&decl)) {
          for (const auto& [q, other] : orgs) {
            if (q == p) {
              ctx.diagnostics.error("E0202", o->name.span, fmt::format("package '{}' declares a second organization", ctx.program.packages[p].name))
                  .note(other->name.span, "first declared here")
                  .with_help("one package holds one organisation's policy");
            }
          }
          orgs.emplace_back(p, o);
        }
      }
    }
  }
  const ast::OrganizationDecl* chosen = nullptr;
  if (!ctx.options.organization.empty()) {
    std::vector<std::string> names;
    for (const auto& [p, o] : orgs) {
      names.push_back(o->name.text);
      if (o->name.text == ctx.options.organization) {
        chosen = o;
        ctx.org_package = static_cast<int>(p);
      }
    }
    if (!chosen) {
      auto& d = ctx.diagnostics.error("E0214", Span{}, fmt::format("no organisation named '{}' is loaded (--org)", ctx.options.organization));
      const std::string guess = closest_match(ctx.options.organization, names);
      d.with_help(!guess.empty() ? fmt::format("did you mean '{}'?", guess) : "load its policy with -p PATH");
    }
  } else if (orgs.size() == 1) {
    chosen = orgs[0].second;
    ctx.org_package = static_cast<int>(orgs[0].first);
  } else if (orgs.size() > 1) {
    std::string names;
    for (const auto& [p, o] : orgs) names += (names.empty() ? "" : ", ") + o->name.text;
    auto& d = ctx.diagnostics.error("E0214", orgs[1].second->name.span,
                                    fmt::format("{} organisations are loaded ({}): choose one with --org", orgs.size(), names));
    d.note(orgs[0].second->name.span, "another organisation");
    chosen = orgs[0].second;
    ctx.org_package = static_cast<int>(orgs[0].first);
  }
  if (chosen) {
    m.organization = model::Organization{chosen->name.text, ctx.program.packages[static_cast<std::size_t>(ctx.org_package)].name,
                                         chosen->description ? chosen->description->value : "", chosen->span};
    check_properties(ctx, chosen->properties, {"contact", "source"}, "an organization");
    for (const auto& member : chosen->members) {
      if (!declare_name(ctx, "team " + member.name.text, member.name.span, member.kind.text == "vendor" ? "vendor" : "team")) continue;
      check_properties(ctx, member.properties, {"contact"}, member.kind.text == "vendor" ? "a vendor" : "a team");
      m.teams.push_back({member.name.text, member.kind.text, member.description ? member.description->value : "",
                         property(member.properties, "contact"), member.span});
    }
  }
  // Statements that belong to an organisation.
  for (std::size_t p = 0; p < ctx.program.packages.size(); ++p) {
    const bool in_org = static_cast<int>(p) == ctx.org_package;
    bool has_org = false;
    for (const auto& [q, o] : orgs) has_org = has_org || q == p;
    for (const auto f : ctx.program.packages[p].files) {
      for (const auto& decl : ctx.program.files[f].ast.decls) {
        const bool org_statement = std::holds_alternative<ast::AssignDecl>(decl) || std::holds_alternative<ast::TakeDecl>(decl) ||
                                   std::holds_alternative<ast::AllowDecl>(decl) || std::holds_alternative<ast::RuleDecl>(decl) ||
                                   std::holds_alternative<ast::WaiveDecl>(decl);
        if (org_statement && !has_org) {
          ctx.diagnostics.error("E0215", ast::span_of(decl),
                                "this statement belongs to an organisation, but package '" + ctx.program.packages[p].name +
                                    "' declares none")
              .with_help("declare 'organization NAME \"...\" { team ... }' in the same package");
          continue;
        }
        if (const auto* t = std::get_if<ast::TestDecl>(&decl)) {
          m.tests.push_back({t->name.value, ctx.program.packages[p].name, t, t->span});
          continue;
        }
        if (!in_org) continue;
        if (const auto* a = std::get_if<ast::AssignDecl>(&decl)) ctx.assigns.push_back(a);
        else if (const auto* t = std::get_if<ast::TakeDecl>(&decl)) ctx.takes.push_back(t);
        else if (const auto* al = std::get_if<ast::AllowDecl>(&decl)) {
          for (const auto& s : al->services) {
            if (auto id = ctx.service(p, s)) m.service_policies.push_back({*id, al->deny, al->reason ? al->reason->value : "", al->span});
          }
        } else if (const auto* r = std::get_if<ast::RuleDecl>(&decl)) {
          if (!declare_name(ctx, "rule " + r->name.text, r->name.span, "rule")) continue;
          model::Rule rule;
          rule.name = r->name.text;
          rule.package = ctx.program.packages[p].name;
          rule.level = r->level.text == "hard" ? model::Level::hard : r->level.text == "mandatory" ? model::Level::mandatory : model::Level::advisory;
          rule.description = r->description ? r->description->value : "";
          rule.condition = r->condition.get();
          rule.span = r->span;
          m.rules.push_back(std::move(rule));
        } else if (const auto* w = std::get_if<ast::WaiveDecl>(&decl)) {
          m.waivers.push_back({w->rule.text, w->subject ? w->subject->value : "", w->until, w->reason ? w->reason->value : "", w->span});
        }
      }
    }
  }
  // Waivers name rules of the organisation; hard rules cannot be waived.
  for (const auto& w : m.waivers) {
    auto it = std::find_if(m.rules.begin(), m.rules.end(), [&w](const model::Rule& r) { return r.name == w.rule; });
    if (it == m.rules.end()) {
      std::vector<std::string> names;
      for (const auto& r : m.rules) names.push_back(r.name);
      ctx.unknown(w.span, "rule", w.rule, names, "a waiver names a rule of the same organisation");
    } else if (it->level == model::Level::hard) {
      ctx.diagnostics.error("E0216", w.span, fmt::format("rule '{}' is hard: it cannot be waived", w.rule))
          .note(it->span, "the rule is declared here")
          .with_help("make the rule mandatory if exceptions are acceptable, or fix the resources");
    }
    if (w.reason.empty()) {
      ctx.diagnostics.warning("W0406", w.span, fmt::format("the waiver of '{}' gives no justification", w.rule))
          .with_help("end the waiver with a reason in quotes, such as \"Migration tracked in OPS-42\"");
    }
  }
}

}  // namespace

void declare(Context& ctx) {
  for (const auto& pkg : ctx.program.packages) {
    Scope scope;
    scope.package = pkg.name;
    for (const auto f : pkg.files) {
      for (const auto& imp : ctx.program.files[f].ast.imports) {
        scope.imports.insert(imp.package.text());
        for (const auto& item : imp.items) scope.items[item.text] = imp.package.text();
      }
    }
    ctx.scopes.push_back(std::move(scope));
  }
  for (std::size_t p = 0; p < ctx.program.packages.size(); ++p) {
    for (const auto f : ctx.program.packages[p].files) ctx.file_package[ctx.program.files[f].source->id()] = p;
  }
  declare_rows(ctx);
  declare_entities(ctx);
  declare_controls_and_mappings(ctx);
  declare_org(ctx);
}

}  // namespace compiler

bool compile(const Program& program, const CompileOptions& options, model::Model& model, Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  compiler::Context ctx(program, options, model, diagnostics);
  compiler::declare(ctx);
  compiler::build_matrix(ctx);
  compiler::apply_org(ctx);
  compiler::run_checks(ctx);
  return diagnostics.error_count() == errors_before;
}

}  // namespace onus
