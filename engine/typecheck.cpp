// The type checker of the expression language: resolves names to ids and checks
// every operator and built-in, reporting E0501-E0520 at the sub-expression at fault.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "engine/eval.hpp"

namespace onus::eval {

using detail::Node;
using detail::Op;

std::string type_name(Type type) {
  switch (type.kind) {
    case Kind::invalid: return "invalid";
    case Kind::boolean: return "bool";
    case Kind::number: return "number";
    case Kind::string: return "string";
    case Kind::party: return "party";
    case Kind::team: return "team";
    case Kind::none: return "none";
    case Kind::service: return "service";
    case Kind::row: return "row";
    case Kind::resource: return "resource";
    case Kind::set: return type.element == Kind::invalid ? "set" : "set<" + type_name(Type{type.element}) + ">";
  }
  return "invalid";
}

namespace {

const char* plural(Kind kind) {
  switch (kind) {
    case Kind::boolean: return "bools";
    case Kind::number: return "numbers";
    case Kind::string: return "strings";
    case Kind::party: return "parties";
    case Kind::team: case Kind::none: return "teams";
    case Kind::service: return "services";
    case Kind::row: return "layers or areas";
    case Kind::resource: return "resources";
    default: return "values";
  }
}

}  // namespace

std::string type_phrase(Type type) {
  switch (type.kind) {
    case Kind::invalid: return "an invalid value";
    case Kind::boolean: return "a bool (true or false)";
    case Kind::number: return "a number";
    case Kind::string: return "a string";
    case Kind::party: return "a party (provider, customer or shared)";
    case Kind::team: return "a team";
    case Kind::none: return "none";
    case Kind::service: return "a service";
    case Kind::row: return "a layer or area";
    case Kind::resource: return "a resource";
    case Kind::set: return type.element == Kind::invalid ? "an empty set" : fmt::format("a set of {}", plural(type.element));
  }
  return "a value";
}

Scope package_scope(const Program& program, std::string_view package) {
  Scope scope;
  scope.package = std::string(package);
  scope.sources = &program.sources;
  const int p = program.find(package);
  if (p < 0) return scope;
  for (const auto f : program.packages[static_cast<std::size_t>(p)].files) {
    for (const auto& imp : program.files[f].ast.imports) {
      const std::string name = imp.package.text();
      if (std::find(scope.imports.begin(), scope.imports.end(), name) == scope.imports.end()) scope.imports.push_back(name);
      for (const auto& item : imp.items) scope.items.emplace_back(item.text, name);
    }
  }
  return scope;
}

Scope query_scope() {
  Scope scope;
  scope.query = true;
  return scope;
}

/// The built-in functions: name, arity, and how their arguments read.
struct Builtin {
  const char* name;
  Op op;
  std::size_t arity;
  const char* signature;  ///< for messages: "owner(SERVICE, AREA)"
  const char* example;
};

constexpr std::array<Builtin, 8> kBuiltins{{
    {"owner", Op::owner, 2, "owner(SERVICE, AREA)", "owner(aws.ec2, guest_os.patching)"},
    {"team", Op::team, 2, "team(SERVICE, AREA)", "team(aws.ec2, guest_os.patching)"},
    {"areas", Op::areas, 1, "areas(LAYER)", "areas(guest_os)"},
    {"resources", Op::resources, 1, "resources(SERVICE)", "resources(aws.lambda)"},
    {"responsibilities", Op::responsibilities, 2, "responsibilities(SERVICE, PARTY or TEAM)",
     "responsibilities(aws.lambda, customer)"},
    {"count", Op::count, 1, "count(SET)", "count(services)"},
    {"passes", Op::passes, 1, "passes(RULE)", "passes(encryption_has_owner)"},
    {"violations", Op::violations, 1, "violations(RULE)", "violations(encryption_has_owner)"},
}};

class Compiler {
 public:
  Compiler(const model::Model& model, const Scope& scope, CompiledExpr& out, Diagnostics& diagnostics)
      : m_(model), scope_(scope), out_(out), d_(diagnostics) {}

  bool run(const ast::Expr& expression, bool condition) {
    out_ = CompiledExpr{};
    const std::size_t errors = d_.error_count();
    const std::uint32_t root = check(expression);
    if (d_.error_count() == errors && condition && node(root).type.valid() && node(root).type.kind != Kind::boolean) {
      d_.error("E0513", expression.span,
               fmt::format("a condition must be true or false, but {} is {}", quote(expression), type_phrase(node(root).type)))
          .with_help(help_for_condition(node(root).type));
    }
    out_.root_ = root;
    out_.valid_ = d_.error_count() == errors && node(root).type.valid();
    return out_.valid_;
  }

 private:
  struct Bound {
    std::string name;
    Kind kind;
    std::uint8_t slot;
  };

  const model::Model& m_;
  const Scope& scope_;
  CompiledExpr& out_;
  Diagnostics& d_;
  std::vector<Bound> bound_;

  Node& node(std::uint32_t i) { return out_.nodes_[i]; }

  std::uint32_t add(Node n) {
    out_.nodes_.push_back(n);
    return static_cast<std::uint32_t>(out_.nodes_.size() - 1);
  }

  std::uint32_t invalid(const ast::Expr& e) {
    Node n;
    n.expr = &e;
    return add(n);
  }

  std::uint32_t constant(const ast::Expr& e, Kind kind, std::int64_t value) {
    Node n;
    n.op = Op::constant;
    n.type = Type{kind};
    n.value = value;
    n.expr = &e;
    return add(n);
  }

  /// The source text of an expression, quoted, for messages.
  std::string quote(const ast::Expr& e) const {
    if (scope_.sources) {
      if (const SourceFile* f = scope_.sources->get(e.span.file)) {
        std::string text(f->slice(e.span));
        if (!text.empty() && text.size() <= 60 && text.find('\n') == std::string::npos) return "'" + text + "'";
      }
    }
    return "this expression";
  }

  static std::string help_for_condition(Type t) {
    switch (t.kind) {
      case Kind::party: return "compare it with a party: owner(aws.ec2, guest_os) == customer";
      case Kind::team: return "compare it with a team or none: team(aws.ec2, guest_os.patching) != none";
      case Kind::number: return "compare the number: count(used_services) > 0";
      case Kind::set: return "ask about the set: count(S) > 0, x in S, or all x in S: ...";
      default: return "write a comparison such as owner(aws.ec2, guest_os) == customer";
    }
  }

  // ------------------------------------------------------------ dispatch

  std::uint32_t check(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::string: {
        const auto it = std::find(out_.strings_.begin(), out_.strings_.end(), e.text);
        const auto index = static_cast<std::int64_t>(it - out_.strings_.begin());
        if (it == out_.strings_.end()) out_.strings_.push_back(e.text);
        return constant(e, Kind::string, index);
      }
      case ast::ExprKind::number: return constant(e, Kind::number, e.number);
      case ast::ExprKind::none: return constant(e, Kind::none, model::no_team);
      case ast::ExprKind::name: return name(e);
      case ast::ExprKind::set: return set(e);
      case ast::ExprKind::call: return call(e);
      case ast::ExprKind::not_: return logic(e, Op::not_);
      case ast::ExprKind::and_: return logic(e, Op::and_);
      case ast::ExprKind::or_: return logic(e, Op::or_);
      case ast::ExprKind::compare: return compare(e);
      case ast::ExprKind::in: return membership(e, Op::in);
      case ast::ExprKind::not_in: return membership(e, Op::not_in);
      case ast::ExprKind::all: return quantifier(e, Op::all);
      case ast::ExprKind::any: return quantifier(e, Op::any);
    }
    return invalid(e);
  }

  // ------------------------------------------------------------ names

  std::uint32_t name(const ast::Expr& e) {
    const auto& parts = e.name.parts;
    const std::string text = e.name.text();
    if (parts.empty()) return invalid(e);
    // 1. bound variables
    for (auto it = bound_.rbegin(); it != bound_.rend(); ++it) {
      if (it->name != parts[0].text) continue;
      if (parts.size() > 1) {
        d_.error("E0501", e.span, fmt::format("'{}' is a bound variable: '{}' names nothing", parts[0].text, text))
            .with_help(fmt::format("values have no fields: pass {} to a function, such as owner({}, guest_os)", parts[0].text,
                                   parts[0].text));
        return invalid(e);
      }
      Node n;
      n.op = Op::variable;
      n.type = Type{it->kind};
      n.slot = it->slot;
      n.expr = &e;
      return add(n);
    }
    if (parts.size() == 1) {
      // 2. parties
      if (text == "provider") return constant(e, Kind::party, static_cast<std::int64_t>(model::Owner::provider));
      if (text == "customer") return constant(e, Kind::party, static_cast<std::int64_t>(model::Owner::customer));
      if (text == "shared") return constant(e, Kind::party, static_cast<std::int64_t>(model::Owner::shared));
      // 3. teams of the organisation
      if (const auto t = m_.find_team(text)) return constant(e, Kind::team, *t);
      // 4. built-in sets
      if (text == "services") {
        Node n;
        n.op = Op::constant_set;
        n.type = Type::set_of(Kind::service);
        n.value = static_cast<std::int64_t>(out_.pool_.size());
        n.list_size = static_cast<std::uint32_t>(m_.services.size());
        n.expr = &e;
        for (std::size_t s = 0; s < m_.services.size(); ++s) out_.pool_.push_back(static_cast<std::int64_t>(s));
        return add(n);
      }
      if (text == "used_services") {
        Node n;
        n.op = Op::used_services;
        n.type = Type::set_of(Kind::service);
        n.expr = &e;
        return add(n);
      }
      for (const auto& b : kBuiltins) {
        if (text == b.name) {
          d_.error("E0518", e.span, fmt::format("'{}' is a function: it needs its arguments", text))
              .with_help(fmt::format("call it as {}, such as {}", b.signature, b.example));
          return invalid(e);
        }
      }
    }
    // 5. rows
    if (const auto r = m_.find_row(text)) return constant(e, Kind::row, *r);
    // 6. services
    bool reported = false;
    if (const auto s = service(e.name, reported)) return constant(e, Kind::service, *s);
    if (reported) return invalid(e);
    unknown_name(e, text);
    return invalid(e);
  }

  std::optional<model::ServiceId> service(const ast::Name& name, bool& reported) {
    const std::string text = name.text();
    if (scope_.query) {
      if (auto it = m_.service_index.find(text); it != m_.service_index.end()) return it->second;
      std::vector<std::string> matches;
      std::optional<model::ServiceId> found;
      for (model::ServiceId s = 0; s < m_.services.size(); ++s) {
        if (m_.services[s].short_name == text) {
          matches.push_back(m_.services[s].name);
          found = s;
        }
      }
      if (matches.size() == 1) return found;
      if (matches.size() > 1) {
        reported = true;
        d_.error("E0519", name.span, fmt::format("'{}' names {} services: {}", text, matches.size(), fmt::join(matches, ", ")))
            .with_help(fmt::format("write the qualified name, such as {}", matches[0]));
      }
      return std::nullopt;
    }
    std::string qualified;
    if (name.parts.size() >= 2) {
      const std::string& package = name.parts[0].text;
      const bool visible = package == scope_.package ||
                           std::find(scope_.imports.begin(), scope_.imports.end(), package) != scope_.imports.end();
      if (auto it = m_.service_index.find(text); it != m_.service_index.end()) {
        if (!visible) {
          reported = true;
          d_.error("E0514", name.parts[0].span, fmt::format("package '{}' is not imported here", package))
              .with_help(fmt::format("add 'import {}' after the package line", package));
          return std::nullopt;
        }
        return it->second;
      }
      return std::nullopt;
    }
    qualified = scope_.package + "." + text;
    for (const auto& [item, package] : scope_.items) {
      if (item == text) qualified = package + "." + text;
    }
    if (auto it = m_.service_index.find(qualified); it != m_.service_index.end()) return it->second;
    return std::nullopt;
  }

  void unknown_name(const ast::Expr& e, const std::string& text) {
    std::vector<std::string> candidates{"provider", "customer", "shared", "services", "used_services"};
    for (const auto& b : bound_) candidates.push_back(b.name);
    for (const auto& t : m_.teams) candidates.push_back(t.name);
    for (const auto& r : m_.rows) candidates.push_back(r.name);
    for (const auto& s : m_.services) {
      candidates.push_back(s.name);
      if (s.package == scope_.package || scope_.query) candidates.push_back(s.short_name);
    }
    auto& d = d_.error("E0501", e.span, fmt::format("unknown name '{}'", text));
    const std::string guess = closest_match(text, candidates);
    if (!guess.empty()) {
      d.with_help(fmt::format("did you mean '{}'?", guess));
    } else if (e.name.parts.size() >= 2 && !scope_.query) {
      d.with_help("services are named PROVIDER.SERVICE, such as aws.ec2; layers and areas such as guest_os.patching");
    } else {
      d.with_help("a name is a party (provider, customer, shared), a team, a layer or area (guest_os.patching), "
                  "a service (aws.ec2), services or used_services");
    }
  }

  // ------------------------------------------------------------ sets

  static bool team_like(Kind k) { return k == Kind::team || k == Kind::none; }

  /// Elements of these kinds can share a set (or be compared).
  static bool compatible(Kind a, Kind b) { return a == b || (team_like(a) && team_like(b)); }

  std::uint32_t set(const ast::Expr& e) {
    std::vector<std::uint32_t> children;
    bool ok = true;
    Kind element = Kind::invalid;
    const ast::Expr* first = nullptr;
    for (const auto& c : e.children) {
      const std::uint32_t i = check(*c);
      children.push_back(i);
      const Type t = node(i).type;
      if (!t.valid()) {
        ok = false;
        continue;
      }
      if (t.is_set()) {
        d_.error("E0512", c->span, fmt::format("a set cannot hold sets, but {} is {}", quote(*c), type_phrase(t)))
            .with_help("list the elements themselves: {aws.ec2, aws.s3}");
        ok = false;
        continue;
      }
      if (!ok) continue;
      if (element == Kind::invalid) {
        element = t.kind;
        first = c.get();
      } else if (!compatible(element, t.kind)) {
        d_.error("E0511", c->span,
                 fmt::format("the elements of a set must have one type: {} is {}, but {} is {}", quote(*c), type_phrase(t),
                             quote(*first), type_phrase(Type{element})))
            .note(first->span, "the first element sets the set's type")
            .with_help("split the set in two, or remove the element that does not belong");
        ok = false;
      } else if (t.kind == Kind::team) {
        element = Kind::team;
      }
    }
    if (!ok) return invalid(e);
    if (element == Kind::none) element = Kind::team;
    Node n;
    n.type = Type::set_of(element);
    n.expr = &e;
    const bool all_constant =
        std::all_of(children.begin(), children.end(), [this](std::uint32_t i) { return node(i).op == Op::constant; });
    if (all_constant) {
      std::vector<std::int64_t> values;
      for (const auto i : children) values.push_back(node(i).value);
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      n.op = Op::constant_set;
      n.value = static_cast<std::int64_t>(out_.pool_.size());
      n.list_size = static_cast<std::uint32_t>(values.size());
      out_.pool_.insert(out_.pool_.end(), values.begin(), values.end());
      return add(n);
    }
    n.op = Op::set_literal;
    n.list_begin = static_cast<std::uint32_t>(out_.lists_.size());
    n.list_size = static_cast<std::uint32_t>(children.size());
    out_.lists_.insert(out_.lists_.end(), children.begin(), children.end());
    return add(n);
  }

  // ------------------------------------------------------------ operators

  std::uint32_t logic(const ast::Expr& e, Op op) {
    std::vector<std::uint32_t> operands;
    bool ok = true;
    for (const auto& c : e.children) {
      const std::uint32_t i = check(*c);
      operands.push_back(i);
      const Type t = node(i).type;
      if (!t.valid()) {
        ok = false;
      } else if (t.kind != Kind::boolean) {
        const char* word = op == Op::not_ ? "not" : op == Op::and_ ? "and" : "or";
        d_.error("E0508", c->span, fmt::format("'{}' needs true or false, but {} is {}", word, quote(*c), type_phrase(t)))
            .with_help(help_for_condition(t));
        ok = false;
      }
    }
    if (!ok || operands.empty() || (op != Op::not_ && operands.size() < 2)) return invalid(e);
    Node n;
    n.op = op;
    n.type = Type{Kind::boolean};
    n.a = operands[0];
    n.b = op == Op::not_ ? 0 : operands[1];
    n.expr = &e;
    return add(n);
  }

  static bool comparable(Type l, Type r) {
    if (l.is_set() != r.is_set()) return false;
    if (l.is_set()) return l.element == Kind::invalid || r.element == Kind::invalid || compatible(l.element, r.element);
    return compatible(l.kind, r.kind);
  }

  std::uint32_t compare(const ast::Expr& e) {
    if (e.children.size() != 2) return invalid(e);
    const std::uint32_t a = check(*e.children[0]);
    const std::uint32_t b = check(*e.children[1]);
    const Type l = node(a).type, r = node(b).type;
    if (!l.valid() || !r.valid()) return invalid(e);
    const std::string& op = e.text;
    Node n;
    n.type = Type{Kind::boolean};
    n.a = a;
    n.b = b;
    n.expr = &e;
    if (op == "==" || op == "!=") {
      if (!comparable(l, r)) {
        auto& d = d_.error("E0505", e.span,
                           fmt::format("cannot compare {}, {}, with {}, {}", quote(*e.children[0]), type_phrase(l),
                                       quote(*e.children[1]), type_phrase(r)));
        d.with_help(compare_help(l, r));
        return invalid(e);
      }
      n.op = op == "==" ? Op::eq : Op::ne;
      return add(n);
    }
    for (const auto& [side, t] : {std::pair{e.children[0].get(), l}, std::pair{e.children[1].get(), r}}) {
      if (t.kind != Kind::number) {
        d_.error("E0506", side->span,
                 fmt::format("'{}' compares numbers, but {} is {}", op, quote(*side), type_phrase(t)))
            .with_help("order only numbers, such as count(used_services) > 3; use == or != for other values");
        return invalid(e);
      }
    }
    n.op = op == "<" ? Op::lt : op == "<=" ? Op::le : op == ">" ? Op::gt : Op::ge;
    return add(n);
  }

  static std::string compare_help(Type l, Type r) {
    const auto has = [&](Kind k) { return l.kind == k || r.kind == k; };
    if (has(Kind::party) && has(Kind::none)) return "owner() always gives provider, customer or shared; ask team() for none";
    if (has(Kind::party) && has(Kind::team))
      return "owner() gives a party (provider, customer, shared); team() gives a team: compare like with like";
    if (has(Kind::team) && has(Kind::row))
      return "team(...) gives a team or none: compare it with a team of the organisation, such as platform";
    if (has(Kind::party) && has(Kind::row))
      return "owner(...) gives a party: compare it with provider, customer or shared";
    return "both sides of == and != must have the same type";
  }

  std::uint32_t membership(const ast::Expr& e, Op op) {
    if (e.children.size() != 2) return invalid(e);
    const std::uint32_t a = check(*e.children[0]);
    const std::uint32_t b = check(*e.children[1]);
    const Type l = node(a).type, r = node(b).type;
    if (!l.valid() || !r.valid()) return invalid(e);
    const char* word = op == Op::in ? "in" : "not in";
    if (!r.is_set()) {
      d_.error("E0507", e.children[1]->span,
               fmt::format("'{}' needs a set on its right, but {} is {}", word, quote(*e.children[1]), type_phrase(r)))
          .with_help("write a set such as {aws.ec2, aws.s3}, or use == to compare two values");
      return invalid(e);
    }
    if (l.is_set() || (r.element != Kind::invalid && !compatible(l.kind, r.element))) {
      d_.error("E0507", e.children[0]->span,
               fmt::format("{} is {}, but {} holds {}", quote(*e.children[0]), type_phrase(l), quote(*e.children[1]),
                           plural(r.element)))
          .with_help("the value and the set's elements must have the same type");
      return invalid(e);
    }
    Node n;
    n.op = op;
    n.type = Type{Kind::boolean};
    n.a = a;
    n.b = b;
    n.expr = &e;
    return add(n);
  }

  std::uint32_t quantifier(const ast::Expr& e, Op op) {
    if (e.children.size() != 2 || e.name.parts.empty()) return invalid(e);
    const std::string& var = e.name.parts[0].text;
    const std::uint32_t a = check(*e.children[0]);
    const Type s = node(a).type;
    if (!s.valid()) return invalid(e);
    const char* word = op == Op::all ? "all" : "any";
    if (!s.is_set()) {
      d_.error("E0509", e.children[0]->span,
               fmt::format("'{}' ranges over a set, but {} is {}", word, quote(*e.children[0]), type_phrase(s)))
          .with_help(fmt::format("{} {} in used_services: ..., or {} {} in {{aws.ec2, aws.s3}}: ...", word, var, word, var));
      return invalid(e);
    }
    if (s.element == Kind::invalid) {
      d_.error("E0520", e.children[0]->span, fmt::format("'{}' over the empty set {{}}: '{}' would have no type", word, var))
          .with_help(fmt::format("an empty set makes '{}' always {}; write the condition without it", word,
                                 op == Op::all ? "true" : "false"));
      return invalid(e);
    }
    for (const auto& b : bound_) {
      if (b.name == var) {
        d_.error("E0515", e.name.span, fmt::format("'{}' is already bound by an enclosing quantifier", var))
            .with_help("choose another name for the inner variable");
        return invalid(e);
      }
    }
    const auto slot = static_cast<std::uint8_t>(std::min<std::size_t>(bound_.size(), 255));
    if (bound_.size() >= 255) {
      d_.error("E0515", e.name.span, "too many nested quantifiers").with_help("split the condition into several rules");
      return invalid(e);
    }
    bound_.push_back(Bound{var, s.element, slot});
    out_.slots_ = std::max<std::uint8_t>(out_.slots_, static_cast<std::uint8_t>(slot + 1));
    const std::uint32_t b = check(*e.children[1]);
    bound_.pop_back();
    const Type body = node(b).type;
    if (!body.valid()) return invalid(e);
    if (body.kind != Kind::boolean) {
      d_.error("E0510", e.children[1]->span,
               fmt::format("the body of '{}' must be true or false, but {} is {}", word, quote(*e.children[1]),
                           type_phrase(body)))
          .with_help(help_for_condition(body));
      return invalid(e);
    }
    Node n;
    n.op = op;
    n.type = Type{Kind::boolean};
    n.slot = slot;
    n.a = a;
    n.b = b;
    n.expr = &e;
    return add(n);
  }

  // ------------------------------------------------------------ calls

  std::uint32_t call(const ast::Expr& e) {
    const std::string fname = e.name.text();
    const Builtin* builtin = nullptr;
    for (const auto& b : kBuiltins) {
      if (fname == b.name) builtin = &b;
    }
    if (!builtin) {
      if (fname == "services" || fname == "used_services") {
        d_.error("E0518", e.name.span, fmt::format("'{}' is a set, not a function", fname))
            .with_help(fmt::format("write {} without parentheses", fname));
        return invalid(e);
      }
      bool is_value = m_.find_row(fname).has_value() || m_.find_team(fname).has_value() || m_.service_index.count(fname) > 0;
      if (is_value) {
        d_.error("E0518", e.name.span, fmt::format("'{}' is a value, not a function", fname))
            .with_help("the functions are owner, team, areas, resources, responsibilities, count, passes and violations");
        return invalid(e);
      }
      std::vector<std::string> names;
      for (const auto& b : kBuiltins) names.emplace_back(b.name);
      auto& d = d_.error("E0502", e.name.span, fmt::format("unknown function '{}'", fname));
      const std::string guess = closest_match(fname, names);
      d.with_help(!guess.empty() ? fmt::format("did you mean '{}'?", guess)
                                 : "the functions are owner, team, areas, resources, responsibilities, count, passes and violations");
      return invalid(e);
    }
    if (e.children.size() != builtin->arity) {
      d_.error("E0503", e.span,
               fmt::format("{}() takes {} argument{}, but {} {} given", fname, builtin->arity, builtin->arity == 1 ? "" : "s",
                           e.children.size(), e.children.size() == 1 ? "is" : "are"))
          .with_help(fmt::format("write {}, such as {}", builtin->signature, builtin->example));
      return invalid(e);
    }
    if (builtin->op == Op::passes || builtin->op == Op::violations) return rule_call(e, *builtin);
    std::vector<std::uint32_t> args;
    bool ok = true;
    for (const auto& c : e.children) {
      args.push_back(check(*c));
      ok = ok && node(args.back()).type.valid();
    }
    if (!ok) return invalid(e);
    Node n;
    n.op = builtin->op;
    n.a = args[0];
    n.b = args.size() > 1 ? args[1] : 0;
    n.expr = &e;
    const Type t0 = node(args[0]).type;
    const Type t1 = args.size() > 1 ? node(args[1]).type : Type{};
    switch (builtin->op) {
      case Op::owner:
      case Op::team:
      case Op::responsibilities:
        if (t0.kind != Kind::service && t0.kind != Kind::resource)
          return bad_argument(e, *builtin, 0, t0, "a service or a resource");
        if (builtin->op != Op::responsibilities) {
          if (t1.kind != Kind::row) return bad_argument(e, *builtin, 1, t1, "a layer or an area");
          n.type = Type{builtin->op == Op::owner ? Kind::party : Kind::team};
        } else {
          if (t1.kind != Kind::party && !team_like(t1.kind))
            return bad_argument(e, *builtin, 1, t1, "a party (provider, customer, shared) or a team");
          n.type = Type::set_of(Kind::row);
          if (team_like(t1.kind)) n.value |= 2;
        }
        if (t0.kind == Kind::resource) n.value |= 1;
        break;
      case Op::areas:
        if (t0.kind != Kind::row) return bad_argument(e, *builtin, 0, t0, "a layer or an area");
        n.type = Type::set_of(Kind::row);
        break;
      case Op::resources:
        if (t0.kind != Kind::service) return bad_argument(e, *builtin, 0, t0, "a service");
        n.type = Type::set_of(Kind::resource);
        break;
      case Op::count:
        if (!t0.is_set()) return bad_argument(e, *builtin, 0, t0, "a set");
        n.type = Type{Kind::number};
        break;
      default:
        return invalid(e);
    }
    return add(n);
  }

  std::uint32_t bad_argument(const ast::Expr& e, const Builtin& b, std::size_t index, Type got, const char* expected) {
    static constexpr std::array<const char*, 2> ordinal{"first", "second"};
    const ast::Expr& arg = *e.children[index];
    auto& d = d_.error("E0504", arg.span,
                       fmt::format("the {} argument of {}() must be {}, but {} is {}", b.arity == 1 ? "" : ordinal[index],
                                   b.name, expected, quote(arg), type_phrase(got)));
    // "the  argument" reads badly for one-argument functions: fix the wording.
    if (b.arity == 1) {
      d.message = fmt::format("the argument of {}() must be {}, but {} is {}", b.name, expected, quote(arg), type_phrase(got));
    }
    d.with_help(fmt::format("write {}, such as {}", b.signature, b.example));
    return invalid(e);
  }

  std::uint32_t rule_call(const ast::Expr& e, const Builtin& b) {
    const ast::Expr& arg = *e.children[0];
    if (scope_.in_rule) {
      d_.error("E0517", e.span, fmt::format("{}() cannot be used inside a rule", b.name))
          .with_help("rules cannot depend on rules (evaluation must terminate); use passes() and violations() in tests");
      return invalid(e);
    }
    const std::string rule = arg.kind == ast::ExprKind::name ? arg.name.text() : "";
    std::vector<std::string> names;
    for (std::size_t r = 0; r < m_.rules.size(); ++r) {
      names.push_back(m_.rules[r].name);
      if (m_.rules[r].name == rule) {
        Node n;
        n.op = b.op;
        n.type = Type{b.op == Op::passes ? Kind::boolean : Kind::number};
        n.value = static_cast<std::int64_t>(r);
        n.expr = &e;
        return add(n);
      }
    }
    if (rule.empty()) {
      d_.error("E0516", arg.span, fmt::format("{}() takes the name of a rule", b.name))
          .with_help(fmt::format("write {}", b.example));
      return invalid(e);
    }
    auto& d = d_.error("E0516", arg.span, fmt::format("unknown rule '{}'", rule));
    const std::string guess = closest_match(rule, names);
    if (!guess.empty()) d.with_help(fmt::format("did you mean '{}'?", guess));
    else if (m_.rules.empty()) d.with_help("no rule is loaded: rules belong to the organisation's policy (-p PATH)");
    else d.with_help(fmt::format("the rules are: {}", fmt::join(names, ", ")));
    return invalid(e);
  }
};

bool compile_expression(const ast::Expr& expression, const model::Model& model, const Scope& scope, CompiledExpr& out,
                        Diagnostics& diagnostics) {
  Compiler compiler(model, scope, out, diagnostics);
  return compiler.run(expression, false);
}

bool compile_condition(const ast::Expr& expression, const model::Model& model, const Scope& scope, CompiledExpr& out,
                       Diagnostics& diagnostics) {
  Compiler compiler(model, scope, out, diagnostics);
  return compiler.run(expression, true);
}

bool compile_rules(const Program& program, const model::Model& model, CompiledRules& out, Diagnostics& diagnostics) {
  out.conditions.clear();
  out.conditions.resize(model.rules.size());
  bool ok = true;
  for (std::size_t r = 0; r < model.rules.size(); ++r) {
    const auto& rule = model.rules[r];
    if (!rule.condition) continue;
    Scope scope = package_scope(program, rule.package);
    scope.in_rule = true;
    ok = compile_condition(*rule.condition, model, scope, out.conditions[r], diagnostics) && ok;
  }
  return ok;
}

}  // namespace onus::eval
