// Stage 2: resolve models and services into the matrix, with provenance.
// Precedence, lowest first: the model's layer statements, then its area
// statements, through `extends` (parent first); then the parent service; then
// the service's own layer and area statements. Variants are kept per service.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "engine/compile_context.hpp"

namespace onus::compiler {

using model::Cell;
using model::Effect;
using model::Owner;
using model::RowId;

namespace {

// Effects of one body, in application order: layer-level first, then areas.
struct BodyEffects {
  std::vector<Effect> effects;
  std::vector<model::Variant> variants;
};

Owner party_owner(std::string_view party) {
  if (party == "provider") return Owner::provider;
  if (party == "customer") return Owner::customer;
  return Owner::unset;
}

class MatrixBuilder {
 public:
  explicit MatrixBuilder(Context& ctx) : ctx_(ctx), m_(ctx.model) {}

  void run() {
    const std::size_t rows = m_.rows.size();
    model_state_.assign(ctx_.model_decls.size(), 0);
    model_cells_.assign(ctx_.model_decls.size(), {});
    service_state_.assign(m_.services.size(), 0);
    m_.cells.assign(m_.services.size() * rows, Cell{});
    ctx_.broken_service.assign(m_.services.size(), false);
    // Every model is checked, even one that no service follows yet.
    for (std::size_t i = 0; i < ctx_.model_decls.size(); ++i) model_cells(i);
    for (std::size_t s = 0; s < m_.services.size(); ++s) resolve_service(s);
    fill_layer_rows();
    check_when_attributes();
  }

 private:
  // Collects the effects of a body; `allow_when` is false for models.
  BodyEffects effects_of(std::size_t pkg, const std::vector<ast::BodyStmt>& body, bool allow_when) {
    BodyEffects out;
    std::vector<Effect> layer_level, area_level;
    // For conflict detection inside one declaration: row -> (owner, span).
    std::map<RowId, std::pair<Owner, Span>> seen_layers, seen_areas;
    auto add = [&](const ResolvedTarget& t, Owner owner, const std::string& pnote, const std::string& cnote, Span span) {
      auto& seen = t.layer_level ? seen_layers : seen_areas;
      for (const RowId r : t.rows) {
        auto [it, inserted] = seen.emplace(r, std::pair{owner, span});
        if (!inserted && it->second.first != owner) {
          ctx_.diagnostics.error("E0303", t.span,
                                 fmt::format("'{}' is given to both {} and {} in the same declaration", m_.rows[r].name,
                                             model::to_string(it->second.first), model::to_string(owner)))
              .note(it->second.second, "the other statement")
              .with_help("every area has exactly one owner: keep one statement, or use 'shared' with a note for each party");
          continue;
        }
        auto& target = t.layer_level ? layer_level : area_level;
        target.push_back(Effect{r, owner, pnote, cnote, span, {}});
        if (t.layer_level) {
          for (const RowId a : m_.rows[r].areas) target.push_back(Effect{a, owner, pnote, cnote, span, {}});
        }
      }
    };
    for (const auto& stmt : body) {
      if (const auto* o = std::get_if<ast::OwnerStmt>(&stmt)) {
        const Owner owner = party_owner(o->party.text);
        for (const auto& t : o->targets) {
          if (auto r = ctx_.target(t)) add(*r, owner, "", "", o->span);
        }
      } else if (const auto* s = std::get_if<ast::SharedStmt>(&stmt)) {
        std::string pnote, cnote;
        for (const auto& n : s->notes) {
          if (n.party.text == "provider") pnote = n.text.value;
          else if (n.party.text == "customer") cnote = n.text.value;
          else {
            ctx_.diagnostics.error("E0201", n.party.span, fmt::format("unknown party '{}' in a shared note", n.party.text))
                .with_help("a shared cell has one note for 'provider' and one for 'customer'");
          }
        }
        if (pnote.empty() || cnote.empty()) {
          ctx_.diagnostics.error("E0302", s->span,
                                 fmt::format("this shared cell has no note for the {}", pnote.empty() ? "provider" : "customer"))
              .with_help("say what each party does: shared AREA { provider \"...\" customer \"...\" }");
        }
        for (const auto& t : s->targets) {
          if (auto r = ctx_.target(t)) add(*r, Owner::shared, pnote, cnote, s->span);
        }
      } else if (const auto* w = std::get_if<std::unique_ptr<ast::WhenBlock>>(&stmt)) {
        if (!allow_when) {
          ctx_.diagnostics.error("E0217", (*w)->span, "'when' variants belong to services, not models")
              .with_help("move the variant into the service whose resources it depends on");
          continue;
        }
        model::Variant v;
        v.span = (*w)->span;
        for (const auto& c : (*w)->conditions) {
          model::Condition cond{c.attribute.text, c.op, {}, c.span};
          for (const auto& val : c.values) cond.values.push_back(val.value);
          v.text += (v.text.empty() ? "" : " and ") + ctx_.text(c.span);
          v.conditions.push_back(std::move(cond));
        }
        BodyEffects inner = effects_of(pkg, (*w)->body, true);
        if (!inner.variants.empty()) {
          ctx_.diagnostics.error("E0217", inner.variants.front().span, "a 'when' variant cannot contain another 'when'")
              .with_help("join the conditions with 'and' in one variant");
        }
        v.effects = std::move(inner.effects);
        for (auto& e : v.effects) e.change = m_.label(fmt::format("{} by variant when {}", model::to_string(e.owner), v.text));
        out.variants.push_back(std::move(v));
      }
    }
    out.effects = std::move(layer_level);
    out.effects.insert(out.effects.end(), area_level.begin(), area_level.end());
    return out;
  }

  // Applies effects to cells[offset + row].
  void apply(std::vector<Cell>& cells, const std::vector<Effect>& effects, const std::string& by, std::size_t offset = 0) {
    std::string_view labels[4];  // one provenance text per owner, interned once
    for (const auto& e : effects) {
      auto& label = labels[static_cast<int>(e.owner)];
      if (label.empty()) label = m_.label(fmt::format("{} by {}", model::to_string(e.owner), by));
      Cell& c = cells[offset + e.row];
      c.owner = e.owner;
      c.provider_note = e.provider_note;
      c.customer_note = e.customer_note;
      c.provenance.push_back(model::Provenance{e.span, label, e.owner});
    }
  }

  // The cells of a model (through its extends chain). Empty on a cycle.
  const std::vector<Cell>& model_cells(std::size_t i) {
    if (model_state_[i] == 2) return model_cells_[i];
    const ast::ModelDecl* d = ctx_.model_decls[i];
    if (model_state_[i] == 1) {
      ctx_.diagnostics.error("E0207", d->name.span, fmt::format("model '{}' extends itself through a cycle", m_.models[i].name))
          .with_help("a model extends a more general one; break the cycle");
      model_state_[i] = 2;
      model_cells_[i].assign(m_.rows.size(), Cell{});
      return model_cells_[i];
    }
    model_state_[i] = 1;
    std::vector<Cell> cells(m_.rows.size());
    const std::size_t pkg = ctx_.model_package[i];
    if (d->extends) {
      if (auto parent = ctx_.parent(pkg, *d->extends)) {
        if (!parent->first) {
          ctx_.diagnostics.error("E0204", d->extends->span, fmt::format("'{}' is a service: a model extends another model", d->extends->text()))
              .with_help("models form the base; services follow models with 'service NAME \"...\" : MODEL'");
        } else {
          cells = model_cells(parent->second);
        }
      }
    }
    BodyEffects body = effects_of(pkg, d->body, false);
    apply(cells, body.effects, "model " + m_.models[i].name);
    model_cells_[i] = std::move(cells);
    model_state_[i] = 2;
    return model_cells_[i];
  }

  void resolve_service(std::size_t s) {
    if (service_state_[s] == 2) return;
    model::Service& service = m_.services[s];
    const ast::ServiceDecl* d = ctx_.service_decls[s];
    if (service_state_[s] == 1) {
      ctx_.diagnostics.error("E0207", d->name.span, fmt::format("service '{}' is its own ancestor through a cycle", service.name))
          .with_help("a service follows a model or a more general service; break the cycle");
      service_state_[s] = 2;
      ctx_.broken_service[s] = true;
      return;
    }
    service_state_[s] = 1;
    const std::size_t pkg = ctx_.service_package[s];
    const std::size_t rows = m_.rows.size();
    // The service's cells are built in place in the matrix.
    std::vector<model::Variant> inherited;
    auto own = [this, s, rows](std::size_t i) { return m_.cells.begin() + static_cast<std::ptrdiff_t>(s * rows + i); };
    if (auto parent = ctx_.parent(pkg, d->parent)) {
      if (parent->first) {
        const auto& base = model_cells(parent->second);
        std::copy(base.begin(), base.end(), own(0));
        service.parent = m_.models[parent->second].name;
        service.model = service.parent;
      } else {
        resolve_service(parent->second);
        if (ctx_.broken_service[parent->second]) ctx_.broken_service[s] = true;
        const auto& p = m_.services[parent->second];
        service.parent = p.name;
        service.parent_service = static_cast<int>(parent->second);
        service.model = p.model;
        inherited = p.variants;
        const auto from = m_.cells.begin() + static_cast<std::ptrdiff_t>(parent->second * rows);
        std::copy(from, from + static_cast<std::ptrdiff_t>(rows), own(0));
      }
    } else {
      ctx_.broken_service[s] = true;
    }
    BodyEffects body = effects_of(pkg, d->body, true);
    apply(m_.cells, body.effects, "service " + service.name, s * rows);
    service.variants = std::move(inherited);
    for (auto& v : body.variants) service.variants.push_back(std::move(v));
    service_state_[s] = 2;
  }

  // A layer row that no layer-level statement set takes its areas' owner when
  // they agree, and `shared` when they differ.
  void fill_layer_rows() {
    for (model::ServiceId s = 0; s < m_.services.size(); ++s) {
      for (RowId r = 0; r < m_.rows.size(); ++r) {
        const auto& row = m_.rows[r];
        Cell& c = m_.cell(s, r);
        if (!row.is_layer || row.areas.empty() || c.owner != Owner::unset) continue;
        Owner owner = Owner::unset;
        bool mixed = false;
        for (const RowId a : row.areas) {
          const Owner o = m_.cell(s, a).owner;
          if (o == Owner::unset) continue;
          if (owner != Owner::unset && o != owner) mixed = true;
          owner = o;
        }
        if (owner == Owner::unset) continue;
        c.owner = mixed ? Owner::shared : owner;
        if (mixed) {
          c.provider_note = "Some areas of this layer are the provider's";
          c.customer_note = "Some areas of this layer are the customer's";
        }
        c.provenance.push_back(model::Provenance{row.span, m_.label(fmt::format("{} from its areas", model::to_string(c.owner))), c.owner});
      }
    }
  }

  // `when` conditions must name attributes that a resource mapping of the
  // service (or of a service that follows it) binds.
  void check_when_attributes() {
    // bound[s]: attributes bound by mappings of s or of services that follow s.
    std::vector<std::vector<std::string>> bound(m_.services.size());
    for (const auto& mp : m_.mappings) {
      int cur = static_cast<int>(mp.service);
      for (int guard = 0; cur >= 0 && guard < 64; ++guard) {
        for (const auto& b : mp.bindings) bound[static_cast<std::size_t>(cur)].push_back(b.attribute);
        cur = m_.services[static_cast<std::size_t>(cur)].parent_service;
      }
    }
    for (std::size_t s = 0; s < m_.services.size(); ++s) {
      const ast::ServiceDecl* d = ctx_.service_decls[s];
      for (const auto& stmt : d->body) {
        const auto* w = std::get_if<std::unique_ptr<ast::WhenBlock>>(&stmt);
        if (!w) continue;
        for (const auto& c : (*w)->conditions) {
          if (std::find(bound[s].begin(), bound[s].end(), c.attribute.text) != bound[s].end()) continue;
          auto& diag = ctx_.diagnostics.error(
              "E0205", c.attribute.span,
              fmt::format("no resource mapping of {} binds the attribute '{}'", m_.services[s].name, c.attribute.text));
          const std::string guess = closest_match(c.attribute.text, bound[s]);
          if (!guess.empty()) diag.with_help(fmt::format("did you mean '{}'?", guess));
          else diag.with_help(fmt::format("bind it in a mapping: TYPE -> {} {{ {} = path.in.resource }}", m_.services[s].short_name, c.attribute.text));
        }
      }
    }
  }

  Context& ctx_;
  model::Model& m_;
  std::vector<int> model_state_;
  std::vector<std::vector<Cell>> model_cells_;
  std::vector<int> service_state_;
};

}  // namespace

void build_matrix(Context& ctx) { MatrixBuilder(ctx).run(); }

}  // namespace onus::compiler
