// onus query EXPR: type-checks and evaluates one expression of the policy language
// against the model (standard library plus -p policies) and prints its value.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "engine/eval.hpp"
#include "lang/parser.hpp"

namespace onus::cli {

namespace {

/// One scalar as JSON: bools and numbers as such, `none` as null, names as strings.
nlohmann::ordered_json json_scalar(eval::Kind kind, std::int64_t scalar, const eval::CompiledExpr& e, const eval::EvalContext& c) {
  switch (kind) {
    case eval::Kind::boolean: return scalar != 0;
    case eval::Kind::number: return scalar;
    case eval::Kind::team:
    case eval::Kind::none:
      if (scalar < 0) return nullptr;
      return eval::display(kind, scalar, e, c);
    case eval::Kind::string: return nlohmann::ordered_json::parse(eval::display(kind, scalar, e, c), nullptr, false);
    default: return eval::display(kind, scalar, e, c);
  }
}

}  // namespace

int cmd_query(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> words;
  po::options_description visible("query options"), hidden;
  visible.add_options()("format", po::value<std::string>(&g.format)->default_value("text"), "text or json");
  hidden.add_options()("expression", po::value<std::vector<std::string>>(&words), "");
  po::positional_options_description positional;
  positional.add("expression", -1);
  int code = 0;
  if (!parse_args("query", args, visible, positional, hidden, g,
                  "usage: onus query EXPRESSION [--format text|json]\n\n"
                  "Evaluates an expression of the policy language (docs/expressions.md) against the standard\n"
                  "library and the policies given with -p. Sets print one element a line (rows in stack order,\n"
                  "other elements by name); an empty set prints nothing (and says so on stderr).\n\n"
                  "examples:\n"
                  "  onus query 'owner(aws.ec2, guest_os.patching)'\n"
                  "  onus query 'responsibilities(aws.lambda, customer)'\n"
                  "  onus query 'count(services)' --format json\n"
                  "  onus query 'team(aws.ec2, guest_os.patching) == platform' -p policies/startup\n",
                  code))
    return code;
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return usage_error("query", "no expression given", "onus query 'owner(aws.ec2, guest_os.patching)'");
  if (g.format != "text" && g.format != "json")
    return usage_error("query", fmt::format("--format must be text or json, not '{}'", g.format));

  Session session;
  SessionOptions so;
  so.org_checks = false;
  if (!open_session(g, so, session)) return exit_invalid;
  const SourceFile& source = session.program.sources.add("<query>", text);
  Diagnostics diagnostics;
  const ast::ExprPtr expression = parse_expression(source, diagnostics);
  eval::CompiledExpr compiled;
  eval::CompiledRules rules;
  if (expression) {
    eval::Scope scope = eval::query_scope();
    scope.sources = &session.program.sources;
    eval::compile_expression(*expression, session.model, scope, compiled, diagnostics);
    eval::compile_rules(session.program, session.model, rules, diagnostics);
  }
  if (!expression || diagnostics.has_errors() || !compiled.valid()) {
    print_diagnostics(diagnostics, session.program.sources, g);
    return exit_invalid;
  }

  eval::EvalContext context(session.model);
  context.set_rules(&rules);
  const eval::Value value = eval::evaluate(compiled, context);
  if (g.format == "json") {
    nlohmann::ordered_json j;
    j["expression"] = text;
    j["type"] = eval::type_name(value.type);
    if (value.type.is_set()) {
      auto items = nlohmann::ordered_json::array();
      for (const auto x : eval::display_order(value, compiled, context))
        items.push_back(json_scalar(value.type.element, x, compiled, context));
      j["value"] = items;
    } else {
      j["value"] = json_scalar(value.type.kind, value.scalar, compiled, context);
    }
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  if (value.type.is_set()) {
    const auto names = eval::display_elements(value, compiled, context);
    for (const auto& name : names) fmt::print("{}\n", name);
    if (names.empty()) fmt::print(stderr, "(empty set)\n");
  } else {
    fmt::print("{}\n", eval::format_value(value, compiled, context));
  }
  return exit_ok;
}

}  // namespace onus::cli
