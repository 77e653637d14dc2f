// Stage 3: the organisation. `take` moves provider cells to the customer; then
// `assign` gives each customer or shared cell a team, most specific first:
// service+area > service+layer > area > layer. A tie of different teams at the
// same specificity is an error naming both statements.
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

/// One assignment candidate for a cell.
struct Candidate {
  int specificity = -1;  ///< 1 layer, 2 area, 3 service+layer, 4 service+area
  model::TeamId team = model::no_team;
  std::size_t statement = 0;
};

class OrgBuilder {
 public:
  explicit OrgBuilder(Context& ctx) : ctx_(ctx), m_(ctx.model) {}

  void run() {
    m_.candidate_team.assign(m_.cells.size(), model::no_team);
    m_.candidate_span.assign(m_.cells.size(), Span{});
    m_.taken.assign(m_.cells.size(), model::Provenance{});
    if (ctx_.org_package < 0) return;
    pkg_ = static_cast<std::size_t>(ctx_.org_package);
    apply_takes();
    resolve_assigns();
  }

 private:
  std::vector<ServiceId> services_of(const std::vector<ast::Name>& names) {
    std::vector<ServiceId> out;
    if (names.empty()) {
      for (ServiceId s = 0; s < m_.services.size(); ++s) out.push_back(s);
      return out;
    }
    for (const auto& n : names) {
      if (auto s = ctx_.service(pkg_, n)) out.push_back(*s);
    }
    return out;
  }

  void apply_takes() {
    for (const auto* t : ctx_.takes) {
      const auto services = services_of(t->services);
      bool changed = false;
      for (const auto& target : t->targets) {
        auto r = ctx_.target(target);
        if (!r) continue;
        for (const RowId row : r->rows) {
          std::vector<RowId> rows{row};
          if (r->layer_level) rows.insert(rows.end(), m_.rows[row].areas.begin(), m_.rows[row].areas.end());
          for (const ServiceId s : services) {
            for (const RowId rr : rows) {
              auto& c = m_.cell(s, rr);
              const model::Provenance step{
                  t->span, m_.label(fmt::format("customer by organisation {} (take{})", m_.organization->name,
                                                t->reason ? ": " + t->reason->value : "")),
                  Owner::customer};
              m_.taken[s * m_.rows.size() + rr] = step;  // also applies when a variant gives the cell back
              if (c.owner != Owner::provider && c.owner != Owner::shared) continue;
              c.owner = Owner::customer;
              c.provenance.push_back(step);
              changed = true;
            }
          }
        }
      }
      if (!changed && !t->targets.empty()) {
        ctx_.diagnostics.warning("W0405", t->span, "this 'take' changes nothing: those cells are already the customer's")
            .with_help("remove it, or name the provider cells the organisation takes on");
      }
    }
  }

  void resolve_assigns() {
    const std::size_t rows = m_.rows.size();
    std::vector<Candidate> best(m_.cells.size());
    // (statement, statement) pairs already reported as ties
    std::set<std::pair<std::size_t, std::size_t>> ties;
    std::vector<bool> statement_valid(ctx_.assigns.size(), false);
    std::vector<bool> statement_error(ctx_.assigns.size(), false);  // already reported: no warning on top
    for (std::size_t i = 0; i < ctx_.assigns.size(); ++i) {
      const auto* a = ctx_.assigns[i];
      const std::string& who = a->team.text;
      if (who == "provider") {
        ctx_.diagnostics.error("E0402", a->team.span,
                               "an organisation cannot hand its responsibilities to the provider")
            .with_help("the provider's side is fixed by the base model; assign a team or vendor of the organisation");
        continue;
      }
      const auto team = m_.find_team(who);
      if (!team) {
        std::vector<std::string> names;
        for (const auto& t : m_.teams) names.push_back(t.name);
        if (who == "customer") {
          ctx_.diagnostics.error("E0201", a->team.span, "assign names a team or vendor, not the party 'customer'")
              .with_help(names.empty() ? "declare teams in the organization block" : fmt::format("assign one of: {}", fmt::join(names, ", ")));
        } else {
          ctx_.unknown(a->team.span, "team or vendor", who, names, "teams and vendors are declared in the organization block");
        }
        continue;
      }
      statement_valid[i] = true;
      const auto services = services_of(a->services);
      const bool specific = !a->services.empty();
      for (const auto& target : a->targets) {
        auto r = ctx_.target(target);
        if (!r) continue;
        const int specificity = (r->layer_level ? 1 : 2) + (specific ? 2 : 0);
        for (const RowId row : r->rows) {
          std::vector<RowId> covered{row};
          if (r->layer_level) covered.insert(covered.end(), m_.rows[row].areas.begin(), m_.rows[row].areas.end());
          for (const ServiceId s : services) {
            if (specific && !check_not_provider(*a, target, *r, s, covered)) statement_error[i] = true;
            for (const RowId rr : covered) {
              Candidate& c = best[s * rows + rr];
              if (specificity > c.specificity) {
                c = Candidate{specificity, *team, i};
              } else if (specificity == c.specificity && c.team != *team) {
                const auto key = std::pair{std::min(c.statement, i), std::max(c.statement, i)};
                statement_error[i] = statement_error[c.statement] = true;
                if (ties.insert(key).second) {
                  const auto* other = ctx_.assigns[c.statement];
                  ctx_.diagnostics.error("E0405", a->span,
                                         fmt::format("'{}' on {} is assigned to both {} and {} with the same specificity",
                                                     m_.rows[rr].name, m_.services[s].name, m_.teams[static_cast<std::size_t>(c.team)].name,
                                                     who))
                      .note(other->span, "the other assignment")
                      .with_help(fmt::format("make one of them more specific (name the area, or add 'on {}'), or remove one",
                                             m_.services[s].name));
                }
              }
            }
          }
        }
      }
    }
    for (std::size_t i = 0; i < best.size(); ++i) {
      if (best[i].specificity < 0) continue;
      m_.candidate_team[i] = best[i].team;
      m_.candidate_span[i] = ctx_.assigns[best[i].statement]->span;
      auto& cell = m_.cells[i];
      if (cell.owner == Owner::customer || cell.owner == Owner::shared) {
        cell.team = best[i].team;
        cell.team_span = m_.candidate_span[i];
        cell.provenance.push_back(model::Provenance{
            cell.team_span, m_.label(fmt::format("team {} by organisation {} (assign)", m_.teams[static_cast<std::size_t>(best[i].team)].name,
                                        m_.organization->name)),
            cell.owner});
      }
    }
    // Which statements win somewhere on a cell that needs a team (for warnings).
    used_statements_.assign(ctx_.assigns.size(), false);
    for (ServiceId s = 0; s < m_.services.size(); ++s) {
      if (!m_.allowed(s) && m_.has_allow_list()) continue;
      for (RowId r = 0; r < rows; ++r) {
        const auto& c = best[s * rows + r];
        const auto& cell = m_.cell(s, r);
        if (c.specificity >= 0 && (cell.owner == Owner::customer || cell.owner == Owner::shared))
          used_statements_[c.statement] = true;
      }
    }
    for (std::size_t i = 0; i < ctx_.assigns.size(); ++i) {
      if (!statement_valid[i] || statement_error[i] || used_statements_[i]) continue;
      ctx_.diagnostics.warning("W0402", ctx_.assigns[i]->span,
                               "this assignment never takes effect: more specific assignments cover every cell it names, or those cells are the provider's")
          .with_help("remove it, or narrow the more specific assignments");
    }
    // Assignments naming services the organisation does not allow.
    for (const auto* a : ctx_.assigns) {
      for (const auto& n : a->services) {
        auto s = m_.find_service(n.text());
        if (!s) {
          // qualified through imports
          if (auto r = ctx_.service(pkg_, n)) s = r;
        }
        if (s && m_.has_allow_list() && !m_.allowed(*s)) {
          ctx_.diagnostics.warning("W0403", n.span, fmt::format("{} is denied or not allowed by this organisation, so this assignment serves nothing", m_.services[*s].name))
              .with_help(fmt::format("allow {} or remove it from the assignment", m_.services[*s].name));
        }
      }
    }
  }

  // An assignment that names a service must reach a customer or shared cell there.
  // Returns false (after reporting) when every covered cell is the provider's.
  bool check_not_provider(const ast::AssignDecl& a, const ast::Target& target, const ResolvedTarget& r, ServiceId s,
                          const std::vector<RowId>& covered) {
    for (const RowId rr : covered) {
      const auto o = m_.cell(s, rr).owner;
      if (o == Owner::customer || o == Owner::shared) return true;
    }
    const auto& cell = m_.cell(s, covered.front());
    auto& d = ctx_.diagnostics.error("E0403", target.span,
                                     fmt::format("'{}' on {} is the provider's: a team can only carry customer or shared cells",
                                                 r.text, m_.services[s].name));
    if (!cell.provenance.empty()) d.note(cell.provenance.back().span, "the base model gives it to the provider here");
    d.with_help(fmt::format("remove '{}' from this assignment, or 'take {} on {}' first if the organisation really runs it",
                            r.text, r.text, m_.services[s].name));
    (void)a;
    return false;
  }

  Context& ctx_;
  model::Model& m_;
  std::size_t pkg_ = 0;
  std::vector<bool> used_statements_;
};

}  // namespace

void apply_org(Context& ctx) { OrgBuilder(ctx).run(); }

}  // namespace onus::compiler
