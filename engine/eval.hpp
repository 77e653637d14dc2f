// The expression language of rules, tests and `onus query`: a type checker that
// resolves names to ids once (compile_expression), and an evaluator that runs
// over those ids without strings or allocations on its hot path (evaluate_bool).
//
// Evaluation is total: it recurses no deeper than the expression, loops no more
// than the sizes of its sets, and never throws for user input. Type errors are
// diagnostics E0501-E0520 (docs/expressions.md), each at the sub-expression at fault.
//
// Typical use (the pipeline):
//
//   eval::CompiledRules rules;
//   eval::compile_rules(program, model, rules, diagnostics);      // type errors -> diagnostics
//   std::vector<eval::EvalResource> resources = ...;               // mapped to services
//   eval::EvalContext context(model, resources);
//   for (std::size_t i = 0; i < model.rules.size(); ++i) {
//     eval::RuleResult r = eval::evaluate_rule(rules, i, context);
//     if (!r.holds) ...  // one finding per r.counterexamples element (or one for the rule)
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/inputs/resource.hpp"
#include "engine/model.hpp"
#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/loader.hpp"

namespace onus::eval {

// ---------------------------------------------------------------- types

/// The kind of a value. `none` is the literal `none` (it compares equal to "no team").
enum class Kind : std::uint8_t { invalid, boolean, number, string, party, team, none, service, row, resource, set };

/// The type of an expression: a kind, and for sets the element kind
/// (`invalid` for the empty literal `{}`, whose element type is unknown).
struct Type {
  Kind kind = Kind::invalid;
  Kind element = Kind::invalid;
  /// set<element>.
  static Type set_of(Kind element) { return Type{Kind::set, element}; }
  [[nodiscard]] bool is_set() const { return kind == Kind::set; }
  [[nodiscard]] bool valid() const { return kind != Kind::invalid; }
  friend bool operator==(const Type&, const Type&) = default;
};

/// The type as `onus query --format json` prints it: "bool", "number", "string",
/// "party", "team", "none", "service", "row", "resource", "set<service>".
std::string type_name(Type type);

/// The type in a sentence: "a service", "a layer or area", "a set of services".
std::string type_phrase(Type type);

// ---------------------------------------------------------------- names in scope

/// Where an expression is written: decides which services it may name.
struct Scope {
  std::string package;                                      ///< the package the expression is written in
  std::vector<std::string> imports;                         ///< imported packages (qualified names allowed)
  std::vector<std::pair<std::string, std::string>> items;   ///< `import aws.{ec2}`: {"ec2", "aws"}
  bool query = false;    ///< `onus query`: every loaded package is visible and unique short names resolve
  bool in_rule = false;  ///< a rule's condition: passes()/violations() are refused (no recursion)
  const SourceMap* sources = nullptr;  ///< to quote the source text in messages (optional)
};

/// The scope of a package of the program (its imports over all its files).
Scope package_scope(const Program& program, std::string_view package);

/// The scope of `onus query`.
Scope query_scope();

// ---------------------------------------------------------------- compiled expressions

namespace detail {

/// Operations of the compiled form (internal).
enum class Op : std::uint8_t {
  constant,          ///< scalar in `value`
  constant_set,      ///< `list_size` elements at `value` in the pool
  variable,          ///< bound variable in `slot`
  used_services,
  owner, team, areas, resources, responsibilities, count, passes, violations,
  not_, and_, or_, eq, ne, lt, le, gt, ge, in, not_in, all, any,
  set_literal,       ///< `list_size` children at `list_begin` in the lists
};

/// One node of the compiled form: children are indexes into CompiledExpr's nodes.
struct Node {
  Op op = Op::constant;
  Type type;
  std::uint8_t slot = 0;             ///< variable / quantifier slot
  std::uint32_t a = 0, b = 0;        ///< first and second operand
  std::uint32_t list_begin = 0, list_size = 0;
  std::int64_t value = 0;            ///< constant, pool offset, rule index
  const ast::Expr* expr = nullptr;   ///< the source node (spans, source text)
};

}  // namespace detail

/// A type-checked expression with every name resolved to an id. Valid only
/// with the Model it was compiled against; owns no AST (the Program does).
class CompiledExpr {
 public:
  /// False when type checking failed (evaluating it then yields false / an empty value).
  [[nodiscard]] bool valid() const { return valid_; }
  /// The expression's type.
  [[nodiscard]] Type type() const { return valid_ ? nodes_[root_].type : Type{}; }
  /// The source expression.
  [[nodiscard]] const ast::Expr* source() const { return valid_ ? nodes_[root_].expr : nullptr; }
  /// True when the top level is `all x in S: body` (one counterexample per failing x).
  [[nodiscard]] bool is_all() const { return valid_ && nodes_[root_].op == detail::Op::all; }

 private:
  friend class Compiler;
  friend class Machine;
  friend struct Access;
  bool valid_ = false;
  std::uint32_t root_ = 0;
  std::uint8_t slots_ = 0;                 ///< bound variables needed
  std::vector<detail::Node> nodes_;
  std::vector<std::uint32_t> lists_;       ///< set literal children
  std::vector<std::int64_t> pool_;         ///< constant sets (sorted, unique)
  std::vector<std::string> strings_;       ///< string literals (values are indexes)
};

/// Type-checks an expression and resolves its names. Returns false (and adds
/// diagnostics E0501-E0520 at the sub-expressions at fault) on errors.
bool compile_expression(const ast::Expr& expression, const model::Model& model, const Scope& scope,
                        CompiledExpr& out, Diagnostics& diagnostics);

/// As compile_expression, and the expression must be a bool (rules, `expect`): E0513 otherwise.
bool compile_condition(const ast::Expr& expression, const model::Model& model, const Scope& scope,
                       CompiledExpr& out, Diagnostics& diagnostics);

/// The conditions of the model's rules, compiled; same index as Model::rules.
struct CompiledRules {
  std::vector<CompiledExpr> conditions;
};

/// Type-checks every rule of the model in its package's scope. Returns false on errors.
bool compile_rules(const Program& program, const model::Model& model, CompiledRules& out, Diagnostics& diagnostics);

// ---------------------------------------------------------------- evaluation

/// A resource under evaluation (a pipeline's resource, or a test fixture).
/// Borrows its address, type and file: the strings they view (a pipeline's
/// InputSet, a test's fixtures) must outlive the EvalContext that reads them.
/// Views rather than copies keep a 100,000-resource plan free of per-resource
/// allocations.
struct EvalResource {
  std::string_view address;  ///< aws_lambda_function.legacy
  std::string_view type;     ///< aws_lambda_function
  model::ServiceId service = 0;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< variant attribute -> value
  std::string_view file;     ///< where it is written, when known ("" = unknown)
  std::uint32_t line = 0;    ///< 0 = unknown
  std::uint32_t column = 0;
};

/// Which cells and rules evaluation read (for `onus test --coverage`).
struct Coverage {
  std::vector<std::uint8_t> cells;  ///< services x rows (service-major, as Model::cells); 1 = read
  std::vector<std::uint8_t> rules;  ///< per Model::rules; 1 = evaluated
};

/// What evaluation sees: the model, the resources under evaluation (`resources()`,
/// `used_services`, owner() of a resource with its variants applied), and
/// optionally the compiled rules (for passes()/violations()) and a coverage record.
/// Holds scratch memory reused across evaluations: one context per thread.
class EvalContext {
 public:
  /// `resources` must outlive the context.
  explicit EvalContext(const model::Model& model, std::span<const EvalResource> resources = {});

  [[nodiscard]] const model::Model& model() const { return model_; }
  [[nodiscard]] std::span<const EvalResource> resources() const { return resources_; }
  /// Rules for passes()/violations(); nullptr = none compiled.
  void set_rules(const CompiledRules* rules) { rules_ = rules; }
  /// Records cells and rules read into `coverage` (sized by the context); nullptr stops.
  void set_coverage(Coverage* coverage);

 private:
  friend class Machine;
  struct Override {
    model::RowId row;
    model::Owner owner;
    model::TeamId team;
  };
  const model::Model& model_;
  std::span<const EvalResource> resources_;
  const CompiledRules* rules_ = nullptr;
  Coverage* coverage_ = nullptr;
  std::size_t row_count_ = 0;
  bool cells_ok_ = false;                       ///< the model's matrix is complete (services x rows)
  std::vector<std::int64_t> used_services_;     ///< sorted, unique
  std::vector<std::int64_t> by_service_;        ///< resource indexes grouped by service
  std::vector<std::uint32_t> by_service_begin_; ///< services + 1 offsets into by_service_
  std::vector<std::int64_t> leaves_;            ///< leaf rows under each row, grouped
  std::vector<std::uint32_t> leaves_begin_;     ///< rows + 1 offsets into leaves_
  std::vector<std::int64_t> leaf_rows_;         ///< every leaf row, stack order
  std::vector<Override> overrides_;             ///< per resource: cells its variants change
  std::vector<std::uint32_t> overrides_begin_;  ///< resources + 1 offsets into overrides_
  std::vector<std::int64_t> arena_;             ///< scratch for computed sets
  std::vector<std::int64_t> variables_;         ///< bound variables (frames per expression)
  std::size_t frame_ = 0;
};

/// A value, owning its elements (for display and tests; the hot path does not build these).
struct Value {
  Type type;
  /// bool 0/1; number; party: model::Owner; team: TeamId (-1 = none); service: ServiceId;
  /// row: RowId; resource: index into EvalContext::resources(); string: index into the expression's strings.
  std::int64_t scalar = 0;
  std::vector<std::int64_t> elements;  ///< sets: encoded as scalars are, sorted by id, unique
};

/// Evaluates a compiled expression. An invalid expression yields an invalid Value.
Value evaluate(const CompiledExpr& expression, EvalContext& context);

/// Evaluates a bool expression without building a Value (the hot path).
/// An invalid or non-bool expression yields false.
bool evaluate_bool(const CompiledExpr& expression, EvalContext& context);

/// The display text of one element or scalar: "customer", "platform", "none",
/// "aws.ec2", "guest_os.patching", a resource address, "\"text\"", "true", "42".
std::string display(Kind kind, std::int64_t scalar, const CompiledExpr& expression, const EvalContext& context);

/// A set's elements in display order: rows in stack order, numbers ascending,
/// everything else by display name.
std::vector<std::int64_t> display_order(const Value& value, const CompiledExpr& expression, const EvalContext& context);

/// The display texts of a set's elements, in display order.
std::vector<std::string> display_elements(const Value& value, const CompiledExpr& expression, const EvalContext& context);

/// A whole value on one line: scalars as display(), sets as `{a, b}`.
std::string format_value(const Value& value, const CompiledExpr& expression, const EvalContext& context);

/// The two sides of a top-level comparison (or membership), evaluated, for
/// failure messages; nullopt when the top level is not one.
struct Operands {
  const ast::Expr* left_expr = nullptr;
  const ast::Expr* right_expr = nullptr;
  std::string op;  ///< "==", "!=", "<", "<=", ">", ">=", "in", "not in"
  Value left, right;
};
std::optional<Operands> comparison_operands(const CompiledExpr& expression, EvalContext& context);

// ---------------------------------------------------------------- rules

/// An element for which the body of a top-level `all x in S: body` is false.
struct Counterexample {
  std::string name;      ///< display name: "aws.ec2", "guest_os.patching", or the resource address
  bool is_resource = false;
  std::size_t resource = 0;  ///< resources: index into EvalContext::resources()
  std::string_view service;  ///< resources: the service's qualified name; services: the service's name (Model-owned)
};

/// The outcome of a rule (or of any bool expression).
struct RuleResult {
  bool holds = true;
  bool per_element = false;  ///< the top level is `all x in S: ...`: one counterexample per failing x
  std::vector<Counterexample> counterexamples;  ///< in the order of S
};

/// Evaluates a bool expression; for a top-level `all`, lists the failing elements.
RuleResult evaluate_condition(const CompiledExpr& condition, EvalContext& context);

/// Evaluates rule `rule` (index into Model::rules) against the context's resources.
/// A rule that failed to compile holds vacuously (its type errors were reported).
RuleResult evaluate_rule(const CompiledRules& rules, std::size_t rule, EvalContext& context);

}  // namespace onus::eval
