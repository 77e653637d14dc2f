// The evaluator: walks the compiled nodes over ids. Sets are sorted runs of ids,
// either fixed (the expression's pool, the context's precomputed sets) or in the
// context's scratch arena, which every scalar-valued node truncates back on return:
// after warm-up, evaluation allocates nothing.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "engine/eval.hpp"

namespace onus::eval {

using detail::Node;
using detail::Op;
using model::Owner;
using model::RowId;
using model::ServiceId;
using model::TeamId;

EvalContext::EvalContext(const model::Model& model, std::span<const EvalResource> resources)
    : model_(model), resources_(resources), row_count_(model.rows.size()) {
  const std::size_t service_count = model.services.size();

  // Resources grouped by service (resource order kept inside a group): a
  // resource belongs to its service and to every service that one extends
  // (resources(aws.ec2) holds the bare metal instances of aws.ec2_bare_metal).
  // used_services lists the services resources map to directly.
  const auto for_each_service_of = [&model, service_count](model::ServiceId s, auto&& visit) {
    int cur = static_cast<int>(s);
    for (int guard = 0; cur >= 0 && static_cast<std::size_t>(cur) < service_count && guard < 64; ++guard) {
      visit(static_cast<std::size_t>(cur));
      cur = model.services[static_cast<std::size_t>(cur)].parent_service;
    }
  };
  std::vector<char> used(service_count, 0);
  by_service_begin_.assign(service_count + 1, 0);
  for (const auto& r : resources_) {
    if (r.service >= service_count) continue;
    used[r.service] = 1;
    for_each_service_of(r.service, [this](std::size_t s) { ++by_service_begin_[s + 1]; });
  }
  for (std::size_t s = 0; s < service_count; ++s) by_service_begin_[s + 1] += by_service_begin_[s];
  by_service_.assign(by_service_begin_[service_count], 0);
  {
    std::vector<std::uint32_t> next(by_service_begin_.begin(), by_service_begin_.end() - 1);
    for (std::size_t i = 0; i < resources_.size(); ++i) {
      const auto s = resources_[i].service;
      if (s >= service_count) continue;
      for_each_service_of(s, [&](std::size_t t) { by_service_[next[t]++] = static_cast<std::int64_t>(i); });
    }
  }
  for (std::size_t s = 0; s < service_count; ++s) {
    if (used[s]) used_services_.push_back(static_cast<std::int64_t>(s));
  }

  // Leaf rows under each row: an area is its own; a layer has its areas, or itself without areas.
  leaves_begin_.assign(row_count_ + 1, 0);
  for (std::size_t r = 0; r < row_count_; ++r) {
    const auto& row = model.rows[r];
    if (row.is_layer && !row.areas.empty()) {
      for (const auto a : row.areas) {
        if (a < row_count_) leaves_.push_back(a);
      }
    } else {
      leaves_.push_back(static_cast<std::int64_t>(r));
    }
    leaves_begin_[r + 1] = static_cast<std::uint32_t>(leaves_.size());
    std::sort(leaves_.begin() + leaves_begin_[r], leaves_.end());
    if (row.leaf()) leaf_rows_.push_back(static_cast<std::int64_t>(r));
  }

  // Cells that each resource's variants change, with the team that follows.
  overrides_begin_.assign(resources_.size() + 1, 0);
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    const auto& res = resources_[i];
    if (res.service < service_count && model.cells.size() == service_count * row_count_) {
      std::vector<RowId> rows;
      for (const auto& v : model.services[res.service].variants) {
        if (!model::conditions_hold(v.conditions, res.attributes)) continue;
        for (const auto& effect : v.effects) {
          if (effect.row < row_count_) rows.push_back(effect.row);
        }
      }
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      for (const RowId r : rows) {
        const model::Cell c = model.cell_with(res.service, r, res.attributes);
        overrides_.push_back(Override{r, c.owner, c.team});
      }
    }
    overrides_begin_[i + 1] = static_cast<std::uint32_t>(overrides_.size());
  }
  cells_ok_ = model.cells.size() == service_count * row_count_;
  arena_.reserve(256);
  variables_.resize(16);
}

void EvalContext::set_coverage(Coverage* coverage) {
  coverage_ = coverage;
  if (!coverage_) return;
  coverage_->cells.resize(model_.services.size() * row_count_, 0);
  coverage_->rules.resize(model_.rules.size(), 0);
}

/// Runs one compiled expression in a context (internal).
class Machine {
 public:
  /// A value while evaluating: a scalar, or a run of set elements.
  struct Val {
    std::int64_t scalar = 0;
    const std::int64_t* fixed = nullptr;  ///< elements outside the arena
    std::uint32_t begin = 0;              ///< elements in the arena (when fixed is null)
    std::uint32_t size = 0;
  };

  Machine(const CompiledExpr& e, EvalContext& c) : e_(e), c_(c), base_(c.frame_) {
    if (c_.variables_.size() < base_ + e_.slots_) c_.variables_.resize(base_ + e_.slots_ + 16);
    c_.frame_ = base_ + e_.slots_;
  }
  ~Machine() { c_.frame_ = base_; }
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  [[nodiscard]] std::int64_t element(const Val& v, std::uint32_t i) const { return v.fixed ? v.fixed[i] : c_.arena_[v.begin + i]; }
  [[nodiscard]] const std::int64_t* data(const Val& v) const { return v.fixed ? v.fixed : c_.arena_.data() + v.begin; }

  bool truth(std::uint32_t n) { return scalar(n) != 0; }

  /// Any node: a scalar or a set.
  Val eval(std::uint32_t index) { return e_.nodes_[index].type.is_set() ? set(index) : Val{scalar(index)}; }

  /// An operand: constants and variables are read in place, without a call.
  std::int64_t operand(std::uint32_t index) {
    const Node& n = e_.nodes_[index];
    if (n.op == Op::constant) return n.value;
    if (n.op == Op::variable) return c_.variables_[base_ + n.slot];
    return scalar(index);
  }

  /// A node whose type is not a set (returned in a register: the hot path).
  std::int64_t scalar(std::uint32_t index) {
    const Node& n = e_.nodes_[index];
    switch (n.op) {
      case Op::constant: return n.value;
      case Op::variable: return c_.variables_[base_ + n.slot];
      case Op::owner: {
        const std::int64_t s = operand(n.a);
        const std::int64_t r = operand(n.b);
        return static_cast<std::int64_t>((n.value & 1) ? resource_cell(s, r).owner : service_cell(s, r).owner);
      }
      case Op::team: {
        const std::int64_t s = operand(n.a);
        const std::int64_t r = operand(n.b);
        return (n.value & 1) ? resource_cell(s, r).team : service_cell(s, r).team;
      }
      case Op::count: {
        const std::size_t mark = c_.arena_.size();
        const Val v = set(n.a);
        c_.arena_.resize(mark);
        return static_cast<std::int64_t>(v.size);
      }
      case Op::passes:
      case Op::violations: return rule(n);
      case Op::not_: return truth(n.a) ? 0 : 1;
      case Op::and_: return truth(n.a) && truth(n.b) ? 1 : 0;
      case Op::or_: return truth(n.a) || truth(n.b) ? 1 : 0;
      case Op::eq:
      case Op::ne: {
        const bool equal = e_.nodes_[n.a].type.is_set() ? sets_equal(n) : operand(n.a) == operand(n.b);
        return (n.op == Op::eq) == equal ? 1 : 0;
      }
      case Op::lt: return operand(n.a) < operand(n.b) ? 1 : 0;
      case Op::le: return operand(n.a) <= operand(n.b) ? 1 : 0;
      case Op::gt: return operand(n.a) > operand(n.b) ? 1 : 0;
      case Op::ge: return operand(n.a) >= operand(n.b) ? 1 : 0;
      case Op::in:
      case Op::not_in: {
        const std::size_t mark = c_.arena_.size();
        const std::int64_t x = operand(n.a);
        const Val s = set(n.b);
        const std::int64_t* p = data(s);
        const bool found = s.size <= 8 ? std::find(p, p + s.size, x) != p + s.size : std::binary_search(p, p + s.size, x);
        c_.arena_.resize(mark);
        return (n.op == Op::in) == found ? 1 : 0;
      }
      case Op::all:
      case Op::any: {
        const std::size_t mark = c_.arena_.size();
        const Val s = set(n.a);
        const bool want = n.op == Op::any;
        bool result = !want;
        std::int64_t& variable = c_.variables_[base_ + n.slot];
        for (std::uint32_t i = 0; i < s.size; ++i) {
          variable = element(s, i);
          if (truth(n.b) == want) {
            result = want;
            break;
          }
        }
        c_.arena_.resize(mark);
        return result ? 1 : 0;
      }
      default: return 0;  // set-valued nodes are read through set()
    }
  }

  /// A set-valued node: a run of sorted ids, fixed or in the arena.
  Val set(std::uint32_t index) {
    const Node& n = e_.nodes_[index];
    switch (n.op) {
      case Op::constant_set: return fixed(e_.pool_.data() + n.value, n.list_size);
      case Op::used_services: return fixed(c_.used_services_.data(), c_.used_services_.size());
      case Op::areas: {
        const std::int64_t r = scalar(n.a);
        if (r < 0 || static_cast<std::size_t>(r) >= c_.row_count_) return Val{};
        const auto b = c_.leaves_begin_[static_cast<std::size_t>(r)], end = c_.leaves_begin_[static_cast<std::size_t>(r) + 1];
        return fixed(c_.leaves_.data() + b, end - b);
      }
      case Op::resources: {
        const std::int64_t s = scalar(n.a);
        if (s < 0 || static_cast<std::size_t>(s) >= c_.model_.services.size()) return Val{};
        const auto b = c_.by_service_begin_[static_cast<std::size_t>(s)], end = c_.by_service_begin_[static_cast<std::size_t>(s) + 1];
        return fixed(c_.by_service_.data() + b, end - b);
      }
      case Op::responsibilities: return responsibilities(n);
      case Op::set_literal: {
        const auto begin = static_cast<std::uint32_t>(c_.arena_.size());
        for (std::uint32_t i = 0; i < n.list_size; ++i) {
          const std::int64_t x = scalar(e_.lists_[n.list_begin + i]);
          c_.arena_.push_back(x);
        }
        auto first = c_.arena_.begin() + begin;
        std::sort(first, c_.arena_.end());
        c_.arena_.erase(std::unique(first, c_.arena_.end()), c_.arena_.end());
        return Val{0, nullptr, begin, static_cast<std::uint32_t>(c_.arena_.size() - begin)};
      }
      default: return Val{};
    }
  }

  /// Evaluates the body of a top-level `all` for each element; calls `failed(x)` for each false one.
  template <typename F>
  bool each_failure(F&& failed) {
    const Node& n = e_.nodes_[e_.root_];
    const std::size_t mark = c_.arena_.size();
    const Val s = set(n.a);
    bool holds = true;
    for (std::uint32_t i = 0; i < s.size; ++i) {
      const std::int64_t x = element(s, i);
      c_.variables_[base_ + n.slot] = x;
      if (!truth(n.b)) {
        holds = false;
        failed(x);
      }
    }
    c_.arena_.resize(mark);
    return holds;
  }

  /// A value owning its elements.
  Value materialize(std::uint32_t index) {
    const std::size_t mark = c_.arena_.size();
    Value out;
    out.type = e_.nodes_[index].type;
    const Val v = eval(index);
    out.scalar = v.scalar;
    if (out.type.is_set()) {
      const std::int64_t* p = data(v);
      out.elements.assign(p, p + v.size);
    }
    c_.arena_.resize(mark);
    return out;
  }

 private:
  const CompiledExpr& e_;
  EvalContext& c_;
  std::size_t base_;

  static Val fixed(const std::int64_t* p, std::size_t size) { return Val{0, p, 0, static_cast<std::uint32_t>(size)}; }

  struct Cellish {
    Owner owner;
    TeamId team;
  };

  void touch(std::size_t s, std::size_t r) {
    if (c_.coverage_) c_.coverage_->cells[s * c_.row_count_ + r] = 1;
  }

  Cellish service_cell(std::int64_t s, std::int64_t r) {
    const auto& m = c_.model_;
    if (!c_.cells_ok_ || s < 0 || r < 0 || static_cast<std::size_t>(s) >= m.services.size() ||
        static_cast<std::size_t>(r) >= c_.row_count_)
      return Cellish{Owner::unset, model::no_team};
    touch(static_cast<std::size_t>(s), static_cast<std::size_t>(r));
    const model::Cell& cell = m.cell(static_cast<ServiceId>(s), static_cast<RowId>(r));
    return Cellish{cell.owner, cell.team};
  }

  Cellish resource_cell(std::int64_t i, std::int64_t r) {
    if (i < 0 || static_cast<std::size_t>(i) >= c_.resources_.size()) return Cellish{Owner::unset, model::no_team};
    const auto idx = static_cast<std::size_t>(i);
    for (std::uint32_t k = c_.overrides_begin_[idx]; k < c_.overrides_begin_[idx + 1]; ++k) {
      const auto& o = c_.overrides_[k];
      if (static_cast<std::int64_t>(o.row) == r) {
        touch(c_.resources_[idx].service, o.row);
        return Cellish{o.owner, o.team};
      }
    }
    return service_cell(c_.resources_[idx].service, r);
  }

  Val responsibilities(const Node& n) {
    const std::int64_t s = scalar(n.a);
    const std::int64_t p = scalar(n.b);
    const bool by_team = (n.value & 2) != 0;
    const auto begin = static_cast<std::uint32_t>(c_.arena_.size());
    for (const std::int64_t r : c_.leaf_rows_) {
      const Cellish cell = (n.value & 1) ? resource_cell(s, r) : service_cell(s, r);
      bool take = false;
      if (by_team) {
        // A team carries customer or shared cells; `none` asks for those without a team.
        take = (cell.owner == Owner::customer || cell.owner == Owner::shared) && cell.team == p;
      } else {
        take = static_cast<std::int64_t>(cell.owner) == p;
      }
      if (take) c_.arena_.push_back(r);
    }
    return Val{0, nullptr, begin, static_cast<std::uint32_t>(c_.arena_.size() - begin)};
  }

  bool sets_equal(const Node& n) {
    const std::size_t mark = c_.arena_.size();
    const Val l = set(n.a);
    const Val r = set(n.b);
    bool equal = l.size == r.size;
    for (std::uint32_t i = 0; equal && i < l.size; ++i) equal = element(l, i) == element(r, i);
    c_.arena_.resize(mark);
    return equal;
  }

  std::int64_t rule(const Node& n) {
    const auto r = static_cast<std::size_t>(n.value);
    const CompiledRules* rules = c_.rules_;
    if (!rules || r >= rules->conditions.size() || !rules->conditions[r].valid()) return n.op == Op::passes ? 1 : 0;
    if (c_.coverage_ && r < c_.coverage_->rules.size()) c_.coverage_->rules[r] = 1;
    const CompiledExpr& condition = rules->conditions[r];
    Machine inner(condition, c_);
    if (n.op == Op::passes) return inner.truth(condition.root_) ? 1 : 0;
    if (!condition.is_all()) return inner.truth(condition.root_) ? 0 : 1;
    std::int64_t failures = 0;
    inner.each_failure([&failures](std::int64_t) { ++failures; });
    return failures;
  }
};

// ---------------------------------------------------------------- public functions

/// Access to CompiledExpr internals for the functions below.
struct Access {
  static const Node& root(const CompiledExpr& e) { return e.nodes_[e.root_]; }
  static const Node& node(const CompiledExpr& e, std::uint32_t i) { return e.nodes_[i]; }
  static std::uint32_t root_index(const CompiledExpr& e) { return e.root_; }
  static const std::vector<std::string>& strings(const CompiledExpr& e) { return e.strings_; }
};

Value evaluate(const CompiledExpr& expression, EvalContext& context) {
  if (!expression.valid()) return Value{};
  Machine machine(expression, context);
  return machine.materialize(Access::root_index(expression));
}

bool evaluate_bool(const CompiledExpr& expression, EvalContext& context) {
  if (!expression.valid() || expression.type().kind != Kind::boolean) return false;
  Machine machine(expression, context);
  return machine.truth(Access::root_index(expression));
}

std::string display(Kind kind, std::int64_t scalar, const CompiledExpr& expression, const EvalContext& context) {
  const auto& m = context.model();
  const auto in = [scalar](std::size_t size) { return scalar >= 0 && static_cast<std::size_t>(scalar) < size; };
  const auto i = static_cast<std::size_t>(scalar);
  switch (kind) {
    case Kind::boolean: return scalar ? "true" : "false";
    case Kind::number: return std::to_string(scalar);
    case Kind::string: {
      const auto& strings = Access::strings(expression);
      if (!in(strings.size())) return "\"?\"";
      std::string out = "\"";
      for (const char ch : strings[i]) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
      }
      return out + "\"";
    }
    case Kind::party: return model::to_string(static_cast<Owner>(scalar));
    case Kind::team:
    case Kind::none: return in(m.teams.size()) ? m.teams[i].name : "none";
    case Kind::service: return in(m.services.size()) ? m.services[i].name : "?";
    case Kind::row: return in(m.rows.size()) ? m.rows[i].name : "?";
    case Kind::resource: return in(context.resources().size()) ? std::string(context.resources()[i].address) : "?";
    case Kind::invalid:
    case Kind::set: return "?";
  }
  return "?";
}

std::vector<std::int64_t> display_order(const Value& value, const CompiledExpr& expression, const EvalContext& context) {
  const Kind kind = value.type.element;
  if (kind == Kind::row || kind == Kind::number) return value.elements;  // ids are in stack order / ascending
  std::vector<std::pair<std::string, std::int64_t>> named;
  for (const auto x : value.elements) named.emplace_back(display(kind, x, expression, context), x);
  std::sort(named.begin(), named.end());
  std::vector<std::int64_t> out;
  for (const auto& [name, x] : named) out.push_back(x);
  return out;
}

std::vector<std::string> display_elements(const Value& value, const CompiledExpr& expression, const EvalContext& context) {
  std::vector<std::string> out;
  for (const auto x : display_order(value, expression, context)) out.push_back(display(value.type.element, x, expression, context));
  return out;
}

std::string format_value(const Value& value, const CompiledExpr& expression, const EvalContext& context) {
  if (!value.type.valid()) return "?";
  if (!value.type.is_set()) return display(value.type.kind, value.scalar, expression, context);
  return fmt::format("{{{}}}", fmt::join(display_elements(value, expression, context), ", "));
}

std::optional<Operands> comparison_operands(const CompiledExpr& expression, EvalContext& context) {
  if (!expression.valid()) return std::nullopt;
  const Node& root = Access::root(expression);
  static constexpr std::array<std::pair<Op, const char*>, 8> ops{{{Op::eq, "=="}, {Op::ne, "!="}, {Op::lt, "<"}, {Op::le, "<="},
                                                                 {Op::gt, ">"}, {Op::ge, ">="}, {Op::in, "in"}, {Op::not_in, "not in"}}};
  for (const auto& [op, text] : ops) {
    if (root.op != op) continue;
    Operands out;
    out.op = text;
    out.left_expr = Access::node(expression, root.a).expr;
    out.right_expr = Access::node(expression, root.b).expr;
    Machine machine(expression, context);
    out.left = machine.materialize(root.a);
    out.right = machine.materialize(root.b);
    return out;
  }
  return std::nullopt;
}

namespace {

Counterexample counterexample(Kind kind, std::int64_t x, const CompiledExpr& expression, const EvalContext& context) {
  Counterexample c;
  c.name = display(kind, x, expression, context);
  const auto& m = context.model();
  if (kind == Kind::resource && x >= 0 && static_cast<std::size_t>(x) < context.resources().size()) {
    const auto& r = context.resources()[static_cast<std::size_t>(x)];
    c.is_resource = true;
    c.resource = static_cast<std::size_t>(x);
    if (r.service < m.services.size()) c.service = m.services[r.service].name;
  } else if (kind == Kind::service && x >= 0 && static_cast<std::size_t>(x) < m.services.size()) {
    c.service = m.services[static_cast<std::size_t>(x)].name;
  }
  return c;
}

}  // namespace

RuleResult evaluate_condition(const CompiledExpr& condition, EvalContext& context) {
  RuleResult result;
  if (!condition.valid() || condition.type().kind != Kind::boolean) return result;
  Machine machine(condition, context);
  if (!condition.is_all()) {
    result.holds = machine.truth(Access::root_index(condition));
    return result;
  }
  result.per_element = true;
  const Node& root = Access::root(condition);
  const Kind kind = Access::node(condition, root.a).type.element;
  result.holds = machine.each_failure([&](std::int64_t x) { result.counterexamples.push_back(counterexample(kind, x, condition, context)); });
  return result;
}

RuleResult evaluate_rule(const CompiledRules& rules, std::size_t rule, EvalContext& context) {
  if (rule >= rules.conditions.size()) return RuleResult{};
  return evaluate_condition(rules.conditions[rule], context);
}

}  // namespace onus::eval
