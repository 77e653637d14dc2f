// The resolved model: layers, areas, services, the responsibility matrix with
// provenance, controls, resource mappings and the organisation's policy.
// Built once by compile() (compile.hpp); after that every lookup is by dense index.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lang/ast.hpp"
#include "lang/loader.hpp"

namespace onus::model {

using RowId = std::uint32_t;      ///< a layer or an area: one row of the matrix
using ServiceId = std::uint32_t;  ///< one column of the matrix
using TeamId = std::int32_t;      ///< index into Model::teams; -1 = none
constexpr TeamId no_team = -1;

/// Who owns a cell. `unset` only appears while resolving (and in errors).
enum class Owner : std::uint8_t { unset, provider, customer, shared };

/// "provider", "customer", "shared", "unset".
const char* to_string(Owner owner);

/// One step of a cell's history: a declaration that set or changed it.
struct Provenance {
  Span span;                ///< the statement (file:line:col via the SourceMap)
  std::string_view change;  ///< what it did: "customer by model core.iaas" (text owned by Model::labels)
  Owner owner = Owner::unset;  ///< the owner after this step
};

/// One cell of the matrix: who owns an area (or a layer) on a service.
struct Cell {
  Owner owner = Owner::unset;
  std::string provider_note;  ///< for shared cells: the provider's part
  std::string customer_note;  ///< for shared cells: the customer's part
  TeamId team = no_team;      ///< who carries the customer's part (customer or shared cells only)
  Span team_span;             ///< the assign statement that chose the team
  std::vector<Provenance> provenance;  ///< oldest first
};

/// A layer of the stack or an area inside one. Rows are in stack order: each
/// layer row is followed by its area rows.
struct Row {
  std::string name;         ///< "guest_os" or "guest_os.patching"
  std::string description;
  RowId layer = 0;          ///< the layer row (itself for a layer)
  bool is_layer = false;
  std::vector<RowId> areas; ///< for a layer: its area rows
  Span span;
  /// A leaf is a row that counts on its own: an area, or a layer without areas.
  [[nodiscard]] bool leaf() const { return !is_layer || areas.empty(); }
};

/// An ownership change of one row, as a `when` variant or a statement applies it.
struct Effect {
  RowId row = 0;
  Owner owner = Owner::unset;
  std::string provider_note, customer_note;
  Span span;
  std::string_view change;  ///< provenance text of a variant's effect (owned by Model::labels)
};

/// A condition on a resource attribute.
struct Condition {
  std::string attribute;
  std::string op;  ///< "==", "!=", "in", "not in", "matches" (values are glob patterns)
  std::vector<std::string> values;
  Span span;
};

/// Resource attributes as the evaluator sees them: bound attribute name -> value.
using Attributes = std::vector<std::pair<std::string, std::string>>;

/// Whether every condition holds for the attributes. An absent attribute equals
/// nothing and matches no pattern: `==`, `in` and `matches` fail, `!=` and `not in` hold.
bool conditions_hold(const std::vector<Condition>& conditions, const Attributes& attributes);

/// Glob match where '*' stands for any run of characters (possibly empty); no other wildcard.
bool glob_match(std::string_view pattern, std::string_view text);

/// A `when` variant of a service.
struct Variant {
  std::vector<Condition> conditions;  ///< all must hold
  std::vector<Effect> effects;        ///< in application order (layers first, then areas)
  Span span;
  /// "launch_type == \"FARGATE\"" as written.
  std::string text;
};

/// A service model (core.iaas...).
struct ServiceModel {
  std::string name;  ///< qualified: "core.iaas"
  std::string description;
  Span span;
};

/// A provider (aws, azure, gcp).
struct Provider {
  std::string name;
  std::string description;
  std::string source;
  Span span;
};

/// A service: one column of the matrix.
struct Service {
  std::string name;         ///< qualified: "aws.ec2"
  std::string short_name;   ///< "ec2"
  std::string package;      ///< "aws"
  std::string description;  ///< "Amazon EC2"
  std::string source;       ///< documenting URL
  std::string parent;       ///< qualified parent (model or service)
  int parent_service = -1;  ///< index of the parent when it is a service
  std::string model;        ///< the model at the root of the parent chain
  int provider = -1;        ///< index into Model::providers, -1 if none
  std::vector<Variant> variants;
  Span span;
};

/// A control and the rows it covers (layers expanded to their leaf rows).
struct Control {
  std::string name;  ///< qualified: "aws.patch_management"
  std::string description;
  std::vector<RowId> rows;
  Span span;
};

/// A control's class on a service, computed from the owners of its rows.
enum class ControlClass { inherited, shared, customer_specific };

/// "inherited", "shared", "customer-specific".
const char* to_string(ControlClass c);

/// An attribute binding of a resource mapping.
struct Binding {
  std::string attribute;    ///< name used by `when` conditions
  std::string path;         ///< dotted path in the resource; empty for a constant (its value is `fallback`)
  std::optional<std::string> fallback;
  Span span;
};

/// A resource type (or prefix pattern) mapped to a service.
struct Mapping {
  std::string format;   ///< terraform, cloudformation, inventory
  std::string type;     ///< exact type, or the prefix of a pattern (without '*')
  bool pattern = false;
  ServiceId service = 0;
  std::vector<Binding> bindings;
  /// `when ...` guard (exact types only): the mapping applies to a resource only
  /// when these hold for the attributes its own bindings give. Empty = unguarded.
  std::vector<Condition> guard;
  std::string guard_text;  ///< the guard as written, for explanations
  Span span;

  /// The resource's attributes as this mapping binds them: `raw` holds values
  /// by path (as the readers extract them); bound names get the value at their
  /// path, else their default, else are absent.
  [[nodiscard]] Attributes bind(const std::vector<std::pair<std::string, std::string>>& raw) const;
};

/// A team or vendor of the organisation.
struct Team {
  std::string name;
  std::string kind;  ///< "team" or "vendor"
  std::string description;
  std::string contact;
  Span span;
};

/// The organisation's enforcement levels.
enum class Level { advisory, mandatory, hard };
const char* to_string(Level level);

/// A rule of the organisation.
struct Rule {
  std::string name;      ///< unqualified, unique in the organisation
  std::string package;
  Level level = Level::advisory;
  std::string description;
  const ast::Expr* condition = nullptr;  ///< owned by the Program's AST
  Span span;
};

/// A waiver of a rule.
struct Waiver {
  std::string rule;
  std::string subject;  ///< resource address or glob; empty = whole rule
  std::optional<ast::Date> until;
  std::string reason;
  Span span;
};

/// An allow or deny statement entry.
struct ServicePolicy {
  ServiceId service = 0;
  bool deny = false;
  std::string reason;
  Span span;
};

/// A test block.
struct Test {
  std::string name;
  std::string package;
  const ast::TestDecl* decl = nullptr;  ///< owned by the Program's AST
  Span span;
};

/// The organisation in force (at most one per run; --org chooses).
struct Organization {
  std::string name;
  std::string package;
  std::string description;
  Span span;
};

/// The whole resolved model.
struct Model {
  std::vector<Row> rows;
  std::vector<ServiceModel> models;
  std::vector<Provider> providers;
  std::vector<Service> services;
  std::vector<Control> controls;
  std::vector<Mapping> mappings;
  std::optional<Organization> organization;
  std::vector<Team> teams;
  std::vector<ServicePolicy> service_policies;  ///< allow/deny, in declaration order
  std::vector<Rule> rules;
  std::vector<Waiver> waivers;
  std::vector<Test> tests;
  /// Every declared attribute name bound by some mapping (for `when` checks).
  std::vector<std::string> bound_attributes;

  /// services.size() * rows.size() cells, service-major.
  std::vector<Cell> cells;

  [[nodiscard]] const Cell& cell(ServiceId s, RowId r) const { return cells[s * rows.size() + r]; }
  [[nodiscard]] Cell& cell(ServiceId s, RowId r) { return cells[s * rows.size() + r]; }

  /// Lookups by name for the CLI (qualified or unique short names); nullopt if unknown.
  [[nodiscard]] std::optional<ServiceId> find_service(std::string_view name) const;
  [[nodiscard]] std::optional<RowId> find_row(std::string_view name) const;
  [[nodiscard]] std::optional<TeamId> find_team(std::string_view name) const;
  [[nodiscard]] int find_control(std::string_view name) const;
  [[nodiscard]] int find_provider(std::string_view name) const;

  /// Whether the organisation allows a service: denied (itself, or a service it
  /// extends) -> false; with allow statements, only those it names; without
  /// any allow statement, every service. A deny reaches the services that extend
  /// the denied one (EC2 bare metal is EC2); an allow does not (they add
  /// responsibilities that must be agreed on their own).
  [[nodiscard]] bool allowed(ServiceId s) const;
  /// The deny statement that refuses a service: on the service itself, else on
  /// the nearest service it extends; nullptr if none.
  [[nodiscard]] const ServicePolicy* denial(ServiceId s) const;
  /// Whether any allow statement exists.
  [[nodiscard]] bool has_allow_list() const;

  /// The cell for a resource's attributes: the base cell with the matching
  /// variants applied (in declaration order) and the organisation's team.
  [[nodiscard]] Cell cell_with(ServiceId s, RowId r,
                               const std::vector<std::pair<std::string, std::string>>& attributes) const;

  /// A control's class on a service (base cells).
  [[nodiscard]] ControlClass control_class(std::size_t control, ServiceId s) const;

  /// The unguarded mapping of a resource type in a format: exact beats pattern
  /// (the longest prefix among patterns); nullptr if none.
  [[nodiscard]] const Mapping* find_mapping(std::string_view format, std::string_view type) const;
  /// The guarded mappings of an exact type in a format, in declaration order.
  [[nodiscard]] std::vector<const Mapping*> guarded_mappings(std::string_view format, std::string_view type) const;
  /// The mapping that applies to one resource: the first guarded mapping of its
  /// type whose guard holds for `bound(mapping)`, else find_mapping(). `bound`
  /// gives the resource's attributes as a mapping binds them.
  template <typename Bound>
  [[nodiscard]] const Mapping* resolve_mapping(std::string_view format, std::string_view type, Bound&& bound) const {
    for (const Mapping* g : guarded_mappings(format, type)) {
      if (conditions_hold(g->guard, bound(*g))) return g;
    }
    return find_mapping(format, type);
  }

  /// Interned provenance texts (a deque: references stay valid as it grows).
  std::deque<std::string> labels;
  /// Interns a provenance text and returns a view of it.
  std::string_view label(std::string text);

  /// Index for find_service / find_row (filled by compile()).
  std::unordered_map<std::string, ServiceId> service_index;
  std::unordered_map<std::string, RowId> row_index;
  /// Assignment resolution: for each cell, the team chosen by specificity
  /// regardless of the owner (the effective team needs a customer or shared owner).
  std::vector<TeamId> candidate_team;
  std::vector<Span> candidate_span;
  /// Cells the organisation takes on (`take`), per cell: the statement and its
  /// provenance text; an invalid span when not taken. Variants cannot undo a take.
  std::vector<Provenance> taken;
};

}  // namespace onus::model
