#include "parser.hpp"

#include <algorithm>

#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <fmt/format.h>

#include "grammar.hpp"

namespace onus {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// ---------------------------------------------------------------- error messages
// Every rule that can raise carries a message written for the reader of a
// policy, not for a parser engineer. must_if checks at compile time that none
// is missing.

template <typename> inline constexpr const char* error_message = nullptr;
// Rules that cannot fail still need an entry for the compile-time check.
template <typename... R> inline constexpr const char* error_message<pegtl::star<R...>> = "unexpected input";
template <typename... R> inline constexpr const char* error_message<pegtl::opt<R...>> = "unexpected input";
template <> inline constexpr auto error_message<g::sep> = "unexpected input";
template <> inline constexpr auto error_message<g::opt_description> = "unexpected input";

template <> inline constexpr auto error_message<g::escape_char> = "unknown escape sequence in a string (use \\\", \\\\, \\n or \\t)";
template <> inline constexpr auto error_message<g::string_body> = "unterminated string: close it with '\"' on the same line";
template <> inline constexpr auto error_message<g::range_end> = "expected the layer that ends the range after '..'";
template <> inline constexpr auto error_message<g::more_target> = "expected a layer or area after ','";
template <> inline constexpr auto error_message<g::more_service> = "expected a service after ','";
template <> inline constexpr auto error_message<g::service_list> = "expected one or more services, such as aws.ec2";
template <> inline constexpr auto error_message<g::service_ref> = "expected a service name, such as aws.ec2";
template <> inline constexpr auto error_message<g::package_name> = "expected the package name after 'package'";
template <> inline constexpr auto error_message<g::import_path> = "expected the package to import after 'import'";
template <> inline constexpr auto error_message<g::import_item> = "expected a name to import inside '{ }'";
template <> inline constexpr auto error_message<g::more_import_item> = "expected a name to import after ','";
template <> inline constexpr auto error_message<g::close<g::tag_import>> = "expected '}' to close the import list";
template <> inline constexpr auto error_message<g::decl_name> = "expected a name for this declaration (letters, digits and '_', not a keyword)";
template <> inline constexpr auto error_message<g::area_name> = "expected the area name after 'area'";
template <> inline constexpr auto error_message<g::close<g::tag_layer>> = "expected 'area NAME \"description\"' or '}' to close the layer";
template <> inline constexpr auto error_message<g::targets> = "expected one or more layers or areas, such as guest_os or data.backup";
template <> inline constexpr auto error_message<g::string_lit> = "expected a string in double quotes";
template <> inline constexpr auto error_message<g::close<g::tag_shared>> = "expected a party's note (provider \"...\" or customer \"...\") or '}' to close the shared block";
template <> inline constexpr auto error_message<g::attr_op> = "expected '==', '!=', 'in', 'not in' or 'matches' after the attribute name";
template <> inline constexpr auto error_message<g::attr_value> = "expected a string or a set of strings such as {\"EC2\", \"FARGATE\"}";
template <> inline constexpr auto error_message<g::close<g::tag_set>> = "expected ',' or '}' to close the set";
template <> inline constexpr auto error_message<g::more_attr_test> = "expected another attribute test after 'and'";
template <> inline constexpr auto error_message<g::when_cond> = "expected a condition on a resource attribute, such as launch_type == \"FARGATE\"";
template <> inline constexpr auto error_message<g::lbrace> = "expected '{' to open the block";
template <> inline constexpr auto error_message<g::close<g::tag_when>> = "expected a statement (provider: ..., customer: ..., shared ...) or '}' to close the when block";
template <> inline constexpr auto error_message<g::parent_name> = "expected the parent: a model such as core.iaas, or another service";
template <> inline constexpr auto error_message<g::model_block> = "expected '{' to open the model's body";
template <> inline constexpr auto error_message<g::close<g::tag_model>> = "expected a statement (provider: ..., customer: ..., shared ..., when ...) or '}' to close the model";
template <> inline constexpr auto error_message<g::close<g::tag_provider>> = "expected a property such as source \"https://...\" or '}' to close the provider";
template <> inline constexpr auto error_message<g::service_parent> = "expected ':' and the service's parent (a model such as core.iaas, or another service)";
template <> inline constexpr auto error_message<g::close<g::tag_service>> = "expected a statement (provider: ..., customer: ..., shared ..., when ..., source \"...\") or '}' to close the service";
template <> inline constexpr auto error_message<g::control_block> = "expected '{' and the areas the control covers";
template <> inline constexpr auto error_message<g::close<g::tag_control>> = "expected 'covers AREAS', a property, or '}' to close the control";
template <> inline constexpr auto error_message<g::resource_format> = "expected the input format: terraform, cloudformation or inventory";
template <> inline constexpr auto error_message<g::resources_block> = "expected '{' and the resource mappings";
template <> inline constexpr auto error_message<g::arrow> = "expected '->' and the service this resource type maps to";
template <> inline constexpr auto error_message<g::binding_eq> = "expected '=' between the attribute name and its path in the resource";
template <> inline constexpr auto error_message<g::attr_path> = "expected the attribute's path in the resource, such as launch_type or Properties.LaunchType";
template <> inline constexpr auto error_message<g::binding_source> = "expected the attribute's path in the resource, such as launch_type or Properties.LaunchType, or a constant string";
template <> inline constexpr auto error_message<g::close<g::tag_bindings>> = "expected ',' or '}' to close the attribute bindings";
template <> inline constexpr auto error_message<g::close<g::tag_resources>> = "expected a mapping (TYPE -> SERVICE) or '}' to close the resources block";
template <> inline constexpr auto error_message<g::close<g::tag_member>> = "expected a property such as contact \"...\" or '}' to close the team";
template <> inline constexpr auto error_message<g::org_block> = "expected '{' and the organisation's teams and vendors";
template <> inline constexpr auto error_message<g::close<g::tag_org>> = "expected 'team NAME \"...\"', 'vendor NAME \"...\"' or '}' to close the organization";
template <> inline constexpr auto error_message<g::team_ref> = "expected the team or vendor to assign";
template <> inline constexpr auto error_message<g::colon> = "expected ':'";
template <> inline constexpr auto error_message<g::assign_colon> = "expected ':' after the team name, as in assign platform: guest_os";
template <> inline constexpr auto error_message<g::rule_level> = "expected the enforcement level: advisory, mandatory or hard";
template <> inline constexpr auto error_message<g::rule_body> = "expected the rule's condition, an expression";
template <> inline constexpr auto error_message<g::close<g::tag_rule>> = "expected '}' to close the rule: a rule holds one expression (join conditions with 'and')";
template <> inline constexpr auto error_message<g::rule_ref> = "expected the name of the rule to waive";
template <> inline constexpr auto error_message<g::waive_subject> = "expected the resource address to waive, in double quotes";
template <> inline constexpr auto error_message<g::date> = "expected a date as YYYY-MM-DD";
template <> inline constexpr auto error_message<g::expr> = "expected an expression";
template <> inline constexpr auto error_message<g::not_expr> = "expected an expression";
template <> inline constexpr auto error_message<g::and_expr> = "expected an expression after 'or'";
template <> inline constexpr auto error_message<g::operand> = "expected a value to compare with";
template <> inline constexpr auto error_message<g::single_equals> = "'=' is not a comparison";
template <> inline constexpr auto error_message<g::rparen> = "expected ')'";
template <> inline constexpr auto error_message<g::arg> = "expected an argument";
template <> inline constexpr auto error_message<g::call_args> = "expected '(' and the arguments";
template <> inline constexpr auto error_message<g::set_elem> = "expected an element of the set";
template <> inline constexpr auto error_message<g::bound_var> = "expected a variable name after 'all' or 'any'";
template <> inline constexpr auto error_message<g::quant_in> = "expected 'in' after the variable: all x in SET: CONDITION";
template <> inline constexpr auto error_message<g::quant_set> = "expected the set to range over, such as services or resources(aws.lambda)";
template <> inline constexpr auto error_message<g::quant_body> = "expected the condition after ':'";
template <> inline constexpr auto error_message<g::fixture_type> = "expected the resource type, such as aws_lambda_function";
template <> inline constexpr auto error_message<g::fixture_address> = "expected the resource address in double quotes";
template <> inline constexpr auto error_message<g::close<g::tag_fixture>> = "expected NAME = \"value\" or '}' to close the resource's attributes";
template <> inline constexpr auto error_message<g::test_name> = "expected the test's name in double quotes";
template <> inline constexpr auto error_message<g::close<g::tag_test>> = "expected 'expect CONDITION', 'resource TYPE \"address\"' or '}' to close the test";
template <> inline constexpr auto error_message<g::declaration> = "expected a declaration (package, import, party, layer, area, model, provider, service, control, resources, organization, assign, take, allow, deny, rule, waive or test)";
template <> inline constexpr auto error_message<pegtl::eof> = "unexpected text after the expression";

struct error_messages {
  template <typename Rule> static constexpr auto message = error_message<Rule>;
  template <typename Rule> static constexpr bool raise_on_failure = false;
};

template <typename Rule> using control = pegtl::must_if<error_messages>::control<Rule>;

// ---------------------------------------------------------------- tree selection

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        // leaves and names
        g::decl_name, g::property_key, g::note_party, g::attr_name, g::import_item, g::more_import_item,
        g::team_ref, g::rule_ref, g::bound_var, g::binding_name, g::path_segment, g::type_name, g::name,
        g::package_name, g::import_path, g::area_name, g::range_end, g::parent_name, g::service_ref,
        g::more_service, g::string_lit, g::description, g::property_value, g::reason, g::waive_subject,
        g::test_name, g::fixture_address, g::number, g::date, g::owner_party, g::attr_op, g::cmp_op, g::op_in,
        g::op_not_in, g::rule_level, g::resource_format, g::member_kind, g::quant_kind, g::callee_kw, g::not_op,
        g::none_lit, g::shared_lit,
        // structure
        g::package_decl, g::import_decl, g::import_items, g::party_decl, g::layer_decl, g::area_decl,
        g::top_area_decl, g::model_decl, g::extends_clause, g::provider_decl, g::service_decl, g::control_decl,
        g::covers_stmt, g::resources_decl, g::mapping, g::mapping_guard, g::binding, g::attr_path, g::fallback,
        g::organization_decl, g::member_decl, g::assign_decl, g::take_decl, g::allow_decl, g::deny_decl,
        g::on_clause, g::rule_decl, g::waive_decl, g::waive_for, g::waive_until, g::test_decl, g::expect_stmt,
        g::fixture, g::fixture_attr, g::owner_stmt, g::shared_stmt, g::party_note, g::when_block, g::attr_test,
        g::more_attr_test, g::value_set, g::property, g::target, g::more_target,
        // expressions
        g::expr, g::or_expr, g::and_expr, g::not_expr, g::cmp_expr, g::operand, g::paren_expr, g::call_args,
        g::arg, g::callee_or_name, g::kw_call, g::set_lit, g::set_elem, g::quantifier, g::quant_set,
        g::quant_body, g::rule_body>>;

// Nesting is limited on the rules through which input can recurse (nested
// parentheses, sets, calls, negations, quantifiers, when blocks), so that no
// input overflows the stack. Other rules pay nothing for the check.
template <typename Rule> struct depth_action : pegtl::nothing<Rule> {};
template <> struct depth_action<g::paren_expr> : pegtl::limit_depth<200> {};
template <> struct depth_action<g::set_lit> : pegtl::limit_depth<200> {};
template <> struct depth_action<g::call_args> : pegtl::limit_depth<200> {};
template <> struct depth_action<g::not_expr> : pegtl::limit_depth<200> {};
template <> struct depth_action<g::quantifier> : pegtl::limit_depth<200> {};
template <> struct depth_action<g::when_block> : pegtl::limit_depth<200> {};

using Node = pegtl::parse_tree::node;

// ---------------------------------------------------------------- tree -> AST

class Builder {
 public:
  Builder(const SourceFile& source, Diagnostics& diagnostics) : source_(source), diagnostics_(diagnostics) {}

  // A node's span without the white space and comments the grammar consumed
  // after it (declarations end with an optional part preceded by `sep`).
  Span span(const Node& n) const {
    const auto begin = static_cast<std::uint32_t>(n.begin().byte);
    auto end = static_cast<std::uint32_t>(n.end().byte);
    const std::string_view text = source_.text();
    while (end > begin) {
      const char c = text[end - 1];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        --end;
        continue;
      }
      // The end of a trailing comment: step back to its '#'.
      const auto it = std::lower_bound(comment_ends_.begin(), comment_ends_.end(), end);
      if (it != comment_ends_.end() && *it == end) {
        const std::size_t i = static_cast<std::size_t>(it - comment_ends_.begin());
        if (comment_begins_[i] >= begin) {
          end = comment_begins_[i];
          continue;
        }
      }
      break;
    }
    return Span{source_.id(), begin, end};
  }

  /// Comment positions (sorted), for span trimming.
  void set_comments(const std::vector<ast::Comment>& comments) {
    for (const auto& c : comments) {
      comment_begins_.push_back(c.span.begin);
      comment_ends_.push_back(c.span.end);
    }
  }

  ast::Ident ident(const Node& n) const { return ast::Ident{std::string(n.string_view()), span(n)}; }

  // Dotted names are leaves of the tree (no node per part, which keeps parsing
  // cheap): split the text at '.' and compute each part's span.
  ast::Name name(const Node& n) const {
    ast::Name out;
    out.span = span(n);
    const std::string_view text = n.string_view();
    std::uint32_t start = 0;
    for (std::uint32_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '.') {
        out.parts.push_back(ast::Ident{std::string(text.substr(start, i - start)),
                                       Span{source_.id(), out.span.begin + start, out.span.begin + i}});
        start = i + 1;
      }
    }
    return out;
  }

  ast::StringLit string(const Node& n) {
    std::string_view raw = n.string_view();
    ast::StringLit out;
    out.span = span(n);
    if (raw.size() >= 2) raw = raw.substr(1, raw.size() - 2);
    out.value.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        const char e = raw[++i];
        out.value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        out.value += raw[i];
      }
    }
    return out;
  }

  ast::Date date(const Node& n) {
    ast::Date d;
    d.span = span(n);
    const std::string_view t = n.string_view();
    auto num = [&t](std::size_t at, std::size_t len) {
      int v = 0;
      for (std::size_t i = 0; i < len; ++i) v = v * 10 + (t[at + i] - '0');
      return v;
    };
    d.year = num(0, 4);
    d.month = num(5, 2);
    d.day = num(8, 2);
    static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    const bool ok = d.month >= 1 && d.month <= 12 && d.day >= 1 &&
                    d.day <= (d.month == 2 && !leap ? 28 : days[d.month - 1]);
    if (!ok) {
      diagnostics_.error("E0003", d.span, fmt::format("'{}' is not a calendar date", t))
          .with_help("write the date as YYYY-MM-DD with a real month and day, such as 2027-03-31");
    }
    return d;
  }

  ast::Target target(const Node& n) const {
    ast::Target t;
    t.span = span(n);
    t.from = name(*n.children.at(0));
    if (n.children.size() > 1) t.to = name(*n.children[1]);
    return t;
  }

  std::vector<ast::Name> services(const Node& n) const {
    std::vector<ast::Name> out;
    for (const auto& c : n.children) {
      if (c->is_type<g::service_ref>() || c->is_type<g::more_service>()) out.push_back(name(*c));
    }
    return out;
  }

  ast::Property property(const Node& n) {
    return ast::Property{ident(*n.children.at(0)), string(*n.children.at(1)), span(n)};
  }

  // A body statement of a model, service or when block; false if `n` is not one.
  bool body_stmt(const Node& n, std::vector<ast::BodyStmt>& body) {
    if (n.is_type<g::owner_stmt>()) {
      ast::OwnerStmt s;
      s.span = span(n);
      s.party = ident(*n.children.at(0));
      for (std::size_t i = 1; i < n.children.size(); ++i) s.targets.push_back(target(*n.children[i]));
      body.emplace_back(std::move(s));
    } else if (n.is_type<g::shared_stmt>()) {
      ast::SharedStmt s;
      s.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::party_note>()) {
          s.notes.push_back(ast::PartyNote{ident(*c->children.at(0)), string(*c->children.at(1)), span(*c)});
        } else {
          s.targets.push_back(target(*c));
        }
      }
      body.emplace_back(std::move(s));
    } else if (n.is_type<g::when_block>()) {
      auto w = std::make_unique<ast::WhenBlock>();
      w->span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::attr_test>() || c->is_type<g::more_attr_test>()) {
          w->conditions.push_back(attr_test(*c));
        } else {
          body_stmt(*c, w->body);
        }
      }
      body.emplace_back(std::move(w));
    } else if (n.is_type<g::property>()) {
      body.emplace_back(property(n));
    } else {
      return false;
    }
    return true;
  }

  // Common head of most declarations: name and optional description.
  template <typename Decl>
  void head(const Node& n, Decl& d) {
    d.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::decl_name>()) d.name = ident(*c);
      else if (c->is_type<g::description>()) d.description = string(*c);
    }
  }

  // ------------------------------------------------------------ expressions

  ast::ExprPtr expr(const Node& n) {
    // or-shaped: expr, or_expr, rule_body, quant_body, quant_set, arg, set_elem
    if (n.is_type<g::expr>() || n.is_type<g::or_expr>() || n.is_type<g::rule_body>() ||
        n.is_type<g::quant_body>() || n.is_type<g::quant_set>() || n.is_type<g::arg>() ||
        n.is_type<g::set_elem>()) {
      return binary_chain(n, ast::ExprKind::or_);
    }
    if (n.is_type<g::and_expr>()) return binary_chain(n, ast::ExprKind::and_);
    if (n.is_type<g::not_expr>()) {
      if (n.children.size() == 2) {
        auto e = make(ast::ExprKind::not_, n);
        e->children.push_back(expr(*n.children[1]));
        return e;
      }
      return expr(*n.children.at(0));
    }
    if (n.is_type<g::cmp_expr>()) {
      if (n.children.size() == 1) return expr(*n.children[0]);
      const Node& op = *n.children.at(1);
      ast::ExprPtr e;
      if (op.is_type<g::op_in>()) e = make(ast::ExprKind::in, n);
      else if (op.is_type<g::op_not_in>()) e = make(ast::ExprKind::not_in, n);
      else {
        e = make(ast::ExprKind::compare, n);
        e->text = std::string(op.string_view());
      }
      e->children.push_back(expr(*n.children[0]));
      e->children.push_back(expr(*n.children.at(2)));
      return e;
    }
    if (n.is_type<g::operand>() || n.is_type<g::paren_expr>()) {
      if (n.is_type<g::paren_expr>()) {
        auto inner = expr(*n.children.at(0));
        inner->span = span(n);
        return inner;
      }
      return expr(*n.children.at(0));
    }
    if (n.is_type<g::string_lit>()) {
      auto e = make(ast::ExprKind::string, n);
      e->text = string(n).value;
      return e;
    }
    if (n.is_type<g::number>()) {
      auto e = make(ast::ExprKind::number, n);
      long long v = 0;
      bool overflow = false;
      for (const char c : n.string_view()) {
        if (v > (9'000'000'000'000'000'000LL - 9) / 10) overflow = true;
        else v = v * 10 + (c - '0');
      }
      if (overflow) {
        diagnostics_.error("E0004", span(n), "number is too large")
            .with_help("numbers in expressions are counts; keep them below 9e18");
      }
      e->number = v;
      return e;
    }
    if (n.is_type<g::none_lit>()) return make(ast::ExprKind::none, n);
    if (n.is_type<g::shared_lit>()) {
      auto e = make(ast::ExprKind::name, n);
      e->name.parts.push_back(ast::Ident{"shared", span(n)});
      e->name.span = span(n);
      return e;
    }
    if (n.is_type<g::set_lit>()) {
      auto e = make(ast::ExprKind::set, n);
      for (const auto& c : n.children) e->children.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::quantifier>()) {
      const bool all = n.children.at(0)->string_view() == "all";
      auto e = make(all ? ast::ExprKind::all : ast::ExprKind::any, n);
      e->name.parts.push_back(ident(*n.children.at(1)));
      e->name.span = span(*n.children[1]);
      e->children.push_back(expr(*n.children.at(2)));
      e->children.push_back(expr(*n.children.at(3)));
      return e;
    }
    if (n.is_type<g::callee_or_name>() || n.is_type<g::kw_call>()) {
      const Node& callee = *n.children.at(0);
      if (n.children.size() == 1) {
        auto e = make(ast::ExprKind::name, n);
        e->name = name(callee);
        return e;
      }
      auto e = make(ast::ExprKind::call, n);
      e->name = callee.is_type<g::callee_kw>() ? ast::Name{{ident(callee)}, span(callee)} : name(callee);
      for (const auto& a : n.children[1]->children) e->children.push_back(expr(*a));
      return e;
    }
    // Should not happen: the selector and the grammar agree.
    auto e = make(ast::ExprKind::none, n);
    return e;
  }

  ast::ExprPtr binary_chain(const Node& n, ast::ExprKind kind) {
    if (n.children.empty()) return make(ast::ExprKind::none, n);
    ast::ExprPtr left = expr(*n.children[0]);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      auto e = std::make_unique<ast::Expr>();
      e->kind = kind;
      ast::ExprPtr right = expr(*n.children[i]);
      e->span = left->span.to(right->span);
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ast::ExprPtr make(ast::ExprKind kind, const Node& n) const {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->span = span(n);
    return e;
  }

  // ------------------------------------------------------------ declarations

  void declaration(const Node& n, ast::File& file) {
    if (n.is_type<g::package_decl>()) {
      ast::PackageDecl p{name(*n.children.at(0)), span(n)};
      if (file.package || !file.decls.empty() || !file.imports.empty()) {
        diagnostics_.error("E0005", p.span, "'package' must come first in the file, and only once")
            .with_help("move the package line to the top of the file");
      }
      if (!file.package) file.package = std::move(p);
    } else if (n.is_type<g::import_decl>()) {
      ast::ImportDecl d;
      d.span = span(n);
      d.package = name(*n.children.at(0));
      if (n.children.size() > 1) {
        for (const auto& c : n.children[1]->children) d.items.push_back(ident(*c));
      }
      if (!file.decls.empty()) {
        diagnostics_.error("E0006", d.span, "imports must come before the declarations")
            .with_help("move this import up, right after the package line");
      }
      file.imports.push_back(std::move(d));
    } else if (n.is_type<g::party_decl>()) {
      ast::PartyDecl d;
      head(n, d);
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::layer_decl>()) {
      ast::LayerDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::area_decl>()) d.areas.push_back(area(*c));
        else if (c->is_type<g::property>()) d.properties.push_back(property(*c));
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::top_area_decl>()) {
      // `area layer.name "..."` at the top level extends a layer; kept as a layer
      // declaration without a name of its own (resolved by the engine).
      ast::LayerDecl d;
      d.span = span(n);
      ast::AreaDecl a = area(n);
      d.name = ast::Ident{"", Span{}};
      d.areas.push_back(std::move(a));
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::model_decl>()) {
      ast::ModelDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::extends_clause>()) d.extends = name(*c->children.at(0));
        else body_stmt(*c, d.body);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::provider_decl>()) {
      ast::ProviderDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::property>()) d.properties.push_back(property(*c));
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::service_decl>()) {
      ast::ServiceDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::parent_name>()) d.parent = name(*c);
        else body_stmt(*c, d.body);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::control_decl>()) {
      ast::ControlDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::covers_stmt>()) {
          for (const auto& t : c->children) d.covers.push_back(target(*t));
        } else if (c->is_type<g::property>()) {
          d.properties.push_back(property(*c));
        }
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::resources_decl>()) {
      ast::ResourcesDecl d;
      d.span = span(n);
      d.format = ident(*n.children.at(0));
      for (std::size_t i = 1; i < n.children.size(); ++i) d.mappings.push_back(mapping(*n.children[i]));
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::organization_decl>()) {
      ast::OrganizationDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::member_decl>()) {
          ast::MemberDecl m;
          head(*c, m);
          m.kind = ident(*c->children.at(0));
          for (const auto& p : c->children) {
            if (p->is_type<g::property>()) m.properties.push_back(property(*p));
          }
          d.members.push_back(std::move(m));
        } else if (c->is_type<g::property>()) {
          d.properties.push_back(property(*c));
        }
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::assign_decl>()) {
      ast::AssignDecl d;
      d.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::team_ref>()) d.team = ident(*c);
        else if (c->is_type<g::target>() || c->is_type<g::more_target>()) d.targets.push_back(target(*c));
        else if (c->is_type<g::on_clause>()) d.services = services(*c);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::take_decl>()) {
      ast::TakeDecl d;
      d.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::target>() || c->is_type<g::more_target>()) d.targets.push_back(target(*c));
        else if (c->is_type<g::on_clause>()) d.services = services(*c);
        else if (c->is_type<g::reason>()) d.reason = string(*c);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::allow_decl>() || n.is_type<g::deny_decl>()) {
      ast::AllowDecl d;
      d.span = span(n);
      d.deny = n.is_type<g::deny_decl>();
      d.services = services(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::reason>()) d.reason = string(*c);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::rule_decl>()) {
      ast::RuleDecl d;
      head(n, d);
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_level>()) d.level = ident(*c);
        else if (c->is_type<g::rule_body>()) d.condition = expr(*c);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::waive_decl>()) {
      ast::WaiveDecl d;
      d.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_ref>()) d.rule = ident(*c);
        else if (c->is_type<g::waive_for>()) d.subject = string(*c->children.at(0));
        else if (c->is_type<g::waive_until>()) d.until = date(*c->children.at(0));
        else if (c->is_type<g::reason>()) d.reason = string(*c);
      }
      file.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::test_decl>()) {
      ast::TestDecl d;
      d.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::test_name>()) {
          d.name = string(*c);
        } else if (c->is_type<g::expect_stmt>()) {
          d.body.emplace_back(ast::ExpectStmt{expr(*c->children.at(0)), span(*c)});
        } else if (c->is_type<g::fixture>()) {
          ast::FixtureResource f;
          f.span = span(*c);
          const Node& type = *c->children.at(0);
          f.type = type.is_type<g::string_lit>() ? string(type) : ast::StringLit{std::string(type.string_view()), span(type)};
          f.address = string(*c->children.at(1));
          for (std::size_t i = 2; i < c->children.size(); ++i) {
            const Node& a = *c->children[i];
            f.attributes.emplace_back(ident(*a.children.at(0)), string(*a.children.at(1)));
          }
          d.body.emplace_back(std::move(f));
        }
      }
      file.decls.emplace_back(std::move(d));
    }
  }

  ast::AreaDecl area(const Node& n) {
    ast::AreaDecl a;
    a.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::area_name>()) {
        const ast::Name nm = name(*c);
        a.name = ast::Ident{nm.text(), nm.span};
      } else if (c->is_type<g::description>()) {
        a.description = string(*c);
      }
    }
    return a;
  }

  /// `launch_type == "FARGATE"`, `instance_type matches "*.metal*"`, `x in {"a", "b"}`.
  ast::AttrTest attr_test(const Node& n) {
    ast::AttrTest t;
    t.span = span(n);
    t.attribute = ident(*n.children.at(0));
    const Node& op = *n.children.at(1);
    const std::string_view op_text = op.string_view();
    t.op = op_text.starts_with("not") ? "not in" : std::string(op_text);
    for (std::size_t i = 2; i < n.children.size(); ++i) {
      const Node& v = *n.children[i];
      if (v.is_type<g::value_set>()) {
        for (const auto& s : v.children) t.values.push_back(string(*s));
      } else {
        t.values.push_back(string(v));
      }
    }
    return t;
  }

  ast::ResourceMapping mapping(const Node& n) {
    ast::ResourceMapping m;
    m.span = span(n);
    const Node& type = *n.children.at(0);
    if (type.is_type<g::string_lit>()) {
      m.type = string(type);
      m.quoted = true;
    } else {
      m.type = ast::StringLit{std::string(type.string_view()), span(type)};
    }
    m.service = name(*n.children.at(1));
    for (std::size_t i = 2; i < n.children.size(); ++i) {
      const Node& b = *n.children[i];
      if (b.is_type<g::mapping_guard>()) {
        for (const auto& c : b.children) m.guard.push_back(attr_test(*c));
        continue;
      }
      ast::AttrBinding binding;
      binding.span = span(b);
      binding.attribute = ident(*b.children.at(0));
      if (b.children.at(1)->is_type<g::string_lit>()) {
        binding.constant = string(*b.children[1]);
      } else {
        binding.path = name(*b.children.at(1));
        if (b.children.size() > 2) binding.fallback = string(*b.children[2]->children.at(0));
      }
      m.bindings.push_back(std::move(binding));
    }
    return m;
  }

 private:
  const SourceFile& source_;
  Diagnostics& diagnostics_;
  std::vector<std::uint32_t> comment_begins_, comment_ends_;
};

// ---------------------------------------------------------------- driver

namespace {

// The token at a byte offset, for "found 'x'" in messages.
std::string describe_token(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "end of file";
  const auto c = static_cast<unsigned char>(text[at]);
  auto is_word = [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; };
  if (c == '\n' || c == '\r') return "end of line";
  if (is_word(c)) {
    std::size_t end = at;
    while (end < text.size() && end - at < 40 && is_word(static_cast<unsigned char>(text[end]))) ++end;
    return fmt::format("'{}'", text.substr(at, end - at));
  }
  if (c == '"') return "a string";
  if (c < 0x20 || c == 0x7F) return fmt::format("a control character (byte 0x{:02X})", c);
  if (c >= 0x80) {
    std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    std::size_t bad = 0;
    const std::string_view ch = text.substr(at, len);
    if (!is_valid_utf8(ch, bad)) return fmt::format("a byte that is not UTF-8 (0x{:02X})", c);
    return fmt::format("'{}'", ch);
  }
  return fmt::format("'{}'", text.substr(at, 1));
}

// A help line for the most common mistakes, keyed by message.
std::string help_for(std::string_view message, std::string_view found) {
  if (message.starts_with("'=' is not a comparison")) return "use '==' to compare two values";
  if (message.starts_with("expected a declaration")) {
    if (found == "'provider'" || found == "'customer'")
      return "ownership statements (provider: ..., customer: ...) belong inside a model or service body";
    return "every top-level statement starts with a keyword; check the spelling of the first word";
  }
  if (message.starts_with("expected ':' and the service's parent"))
    return "a service follows a model or another service: service NAME \"description\" : core.iaas { ... }";
  if (message.starts_with("unterminated string")) return "strings cannot span lines; use \\n for a line break";
  if (message.starts_with("expected the enforcement level"))
    return "advisory reports a warning, mandatory an error that a waiver can lift, hard an error that cannot be waived";
  if (message.starts_with("expected '}' to close the rule"))
    return "combine conditions with 'and' / 'or' inside one rule, or write several rules";
  if (message.starts_with("expected '->'")) return "a mapping reads: aws_instance -> ec2";
  if (message.starts_with("expected a date")) return "dates are written YYYY-MM-DD, such as 2027-03-31";
  if (message.starts_with("maximum")) return "split the expression: nesting this deep is not needed by any policy";
  return "";
}

bool is_top_keyword(std::string_view word) {
  static constexpr std::string_view words[] = {"package", "import", "party", "layer", "area", "model", "provider",
                                               "service", "control", "resources", "organization", "assign", "take",
                                               "allow", "deny", "rule", "waive", "test"};
  for (const auto w : words) {
    if (w == word) return true;
  }
  return false;
}

// True when a declaration starts at `line` (a byte offset at the start of a
// line): a top-level keyword in column 1, but not `provider:` (an ownership
// statement).
bool starts_declaration(std::string_view text, std::size_t line) {
  std::size_t end = line;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
  if (end == line || !is_top_keyword(text.substr(line, end - line))) return false;
  std::size_t after = end;
  while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
  return !(text.substr(line, end - line) == "provider" && after < text.size() && text[after] == ':');
}

// Where to resume after a syntax error found at `error_at` while parsing the
// item that starts at `item_start`: the start of the next line that begins in
// column 1 with a top-level keyword (canonical formatting puts declarations
// there and indents everything inside blocks). When the error itself is at the
// start of such a line (`party` missing its name, followed by `layer ...`),
// resume right there so that the declaration is not lost.
std::size_t resync(std::string_view text, std::size_t error_at, std::size_t item_start) {
  if (error_at > item_start && error_at < text.size() && text[error_at - 1] == '\n' &&
      starts_declaration(text, error_at))
    return error_at;
  std::size_t pos = text.find('\n', error_at);
  while (pos != std::string_view::npos) {
    const std::size_t line = pos + 1;
    if (starts_declaration(text, line)) return line;
    pos = text.find('\n', line);
  }
  return text.size();
}

void collect_comments(const SourceFile& source, ast::File& file) {
  const std::string_view text = source.text();
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"' || c == '\n') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      std::size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      std::size_t trim = end;
      if (trim > i && text[trim - 1] == '\r') --trim;
      file.comments.push_back(ast::Comment{std::string(text.substr(i, trim - i)),
                                           Span{source.id(), static_cast<std::uint32_t>(i),
                                                static_cast<std::uint32_t>(trim)}});
      i = end;
    }
  }
}

struct Position {
  std::size_t byte, line, column;
};

Position position_at(const SourceFile& source, std::size_t byte) {
  // PEGTL counts columns in bytes; we only need a consistent starting point.
  const auto lc = source.line_column(static_cast<std::uint32_t>(byte));
  const std::uint32_t start = source.line_start(lc.line);
  return Position{byte, lc.line, byte - start + 1};
}

}  // namespace

ast::File parse_file(const SourceFile& source, Diagnostics& diagnostics, const ParseOptions& options) {
  ast::File file;
  file.file = source.id();
  const std::string_view text = source.text();
  Builder builder(source, diagnostics);

  std::size_t bad = 0;
  if (!is_valid_utf8(text, bad)) {
    diagnostics.error("E0002", Span{source.id(), static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
                      "this file is not valid UTF-8")
        .with_help("save the file as UTF-8; Onus policies are text files");
    return file;
  }
  if (text.size() >= 0xFFFFFFF0u) {
    diagnostics.error("E0007", Span{}, fmt::format("{} is too large to be a policy (4 GiB or more)", source.name()));
    return file;
  }
  collect_comments(source, file);
  builder.set_comments(file.comments);

  std::size_t pos = 0;
  std::size_t errors = 0;
  while (true) {
    const Position p = position_at(source, pos);
    {
      pegtl::memory_input<> in(text.data() + pos, text.data() + text.size(), "", p.byte, p.line, p.column);
      if (pegtl::parse<g::trailing>(in)) break;
    }
    // The source name stays empty: parse_tree copies it into every node, and we
    // only use byte offsets (diagnostics name the file through the SourceMap).
    pegtl::memory_input<> in(text.data() + pos, text.data() + text.size(), "", p.byte, p.line, p.column);
    try {
      auto root = pegtl::parse_tree::parse<g::item, Node, selector, depth_action, control>(in);
      if (root) {
        for (const auto& child : root->children) builder.declaration(*child, file);
      }
      pos = static_cast<std::size_t>(in.current() - text.data());
      continue;
    } catch (const pegtl::parse_error& e) {
      const std::size_t at = e.positions().empty() ? pos : e.positions().front().byte;
      const std::string found = describe_token(text, at);
      std::string message(e.message());
      if (message == "maximum parser rule nesting depth exceeded") {
        message = "this is nested too deeply (parentheses, sets or when blocks inside one another)";
      }
      auto& d = diagnostics.error(
          message.find("nested too deeply") != std::string::npos ? "E0008" : "E0001",
          Span{source.id(), static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(std::min(at + 1, text.size()))},
          message.starts_with("'='") ? message : fmt::format("{}, found {}", message, found));
      d.help = help_for(message, found);
      if (message.find("nested too deeply") != std::string::npos) d.help = help_for("maximum", found);
      if (++errors >= options.max_errors) {
        // Placed at the last error, so that it sorts right after it.
        diagnostics.error("E0009", d.span,
                          fmt::format("too many syntax errors ({}), giving up on this file", errors))
            .with_help("check that this is an Onus policy; fix the first errors and run again");
        break;
      }
      const std::size_t next = resync(text, at, pos);
      if (next <= pos) break;  // cannot happen: resync moves past the error's line
      pos = next;
    }
  }
  return file;
}

ast::ExprPtr parse_expression(const SourceFile& source, Diagnostics& diagnostics, const ParseOptions&) {
  struct whole : pegtl::seq<g::sep, pegtl::must<g::expr>, g::sep, pegtl::must<pegtl::eof>> {};
  const std::string_view text = source.text();
  std::size_t bad = 0;
  if (!is_valid_utf8(text, bad)) {
    diagnostics.error("E0002", Span{source.id(), static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
                      "this expression is not valid UTF-8")
        .with_help("write the expression as UTF-8 text");
    return nullptr;
  }
  pegtl::memory_input<> in(text.data(), text.data() + text.size(), "");
  Builder builder(source, diagnostics);
  try {
    auto root = pegtl::parse_tree::parse<whole, Node, selector, depth_action, control>(in);
    if (!root || root->children.empty()) {
      diagnostics.error("E0001", Span{source.id(), 0, 0}, "expected an expression");
      return nullptr;
    }
    return builder.expr(*root->children.front());
  } catch (const pegtl::parse_error& e) {
    const std::size_t at = e.positions().empty() ? 0 : e.positions().front().byte;
    const std::string found = describe_token(text, at);
    std::string message(e.message());
    const bool too_deep = message == "maximum parser rule nesting depth exceeded";
    if (too_deep) message = "this is nested too deeply (parentheses, sets or calls inside one another)";
    auto& d = diagnostics.error(
        too_deep ? "E0008" : "E0001",
        Span{source.id(), static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(std::min(at + 1, text.size()))},
        message.starts_with("'='") ? message : fmt::format("{}, found {}", message, found));
    d.help = help_for(too_deep ? "maximum" : message, found);
    return nullptr;
  }
}

std::size_t analyze_grammar() {
  return pegtl::analyze<g::item>(-1) + pegtl::analyze<g::expr>(-1);
}

}  // namespace onus
