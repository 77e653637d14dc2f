// The expression language: type checking (codes and spans) and evaluation, over
// a small model built by hand so that every expected value is visible here.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "engine/eval.hpp"
#include "lang/parser.hpp"

using namespace onus;
using model::Owner;

// Counts allocations, to check that a warmed-up evaluation makes none (not under
// AddressSanitizer, which brings its own operator new).
#if !defined(__SANITIZE_ADDRESS__)
#define ONUS_COUNT_ALLOCATIONS 1
#if defined(__GNUC__) && !defined(__clang__)
// GCC cannot see that the replacement operator new below uses malloc as well.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
static std::atomic<std::size_t> g_allocations{0};
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

// rows: 0 physical (leaf layer), 1 guest_os, 2 guest_os.patching, 3 guest_os.hardening,
//       4 data, 5 data.encryption_at_rest
// services: 0 aws.ec2, 1 aws.lambda (variant package_type == "Image" -> guest_os.patching customer), 2 gcp.lambda
// teams: 0 platform, 1 security
model::Model small_model() {
  model::Model m;
  auto row = [&m](std::string name, bool layer, model::RowId parent) {
    model::Row r;
    r.name = std::move(name);
    r.is_layer = layer;
    const auto id = static_cast<model::RowId>(m.rows.size());
    r.layer = layer ? id : parent;
    m.rows.push_back(r);
    if (!layer) m.rows[parent].areas.push_back(id);
    m.row_index[m.rows.back().name] = id;
    return id;
  };
  row("physical", true, 0);
  const auto guest = row("guest_os", true, 0);
  row("guest_os.patching", false, guest);
  row("guest_os.hardening", false, guest);
  const auto data = row("data", true, 0);
  row("data.encryption_at_rest", false, data);
  auto service = [&m](std::string package, std::string name) {
    model::Service s;
    s.package = package;
    s.short_name = name;
    s.name = package + "." + name;
    m.service_index[s.name] = static_cast<model::ServiceId>(m.services.size());
    m.services.push_back(s);
  };
  service("aws", "ec2");
  service("aws", "lambda");
  service("gcp", "lambda");
  for (const char* name : {"platform", "security"}) {
    model::Team t;
    t.name = name;
    t.kind = "team";
    m.teams.push_back(t);
  }
  m.organization = model::Organization{};
  m.organization->name = "acme";
  m.organization->package = "acme";
  const std::size_t rows = m.rows.size();
  m.cells.resize(m.services.size() * rows);
  m.candidate_team.assign(m.cells.size(), model::no_team);
  m.candidate_span.resize(m.cells.size());
  // ec2: physical provider, guest_os customer (platform), data customer (security), encryption shared (security)
  const Owner ec2[] = {Owner::provider, Owner::customer, Owner::customer, Owner::customer, Owner::customer, Owner::shared};
  const model::TeamId ec2_team[] = {-1, 0, 0, 0, 1, 1};
  // lambda: guest_os provider, data customer; gcp.lambda the same
  const Owner lambda[] = {Owner::provider, Owner::provider, Owner::provider, Owner::provider, Owner::customer, Owner::customer};
  const model::TeamId lambda_team[] = {-1, -1, -1, -1, 1, model::no_team};
  for (std::size_t r = 0; r < rows; ++r) {
    m.cell(0, static_cast<model::RowId>(r)).owner = ec2[r];
    m.cell(0, static_cast<model::RowId>(r)).team = ec2_team[r];
    for (model::ServiceId s : {1u, 2u}) {
      m.cell(s, static_cast<model::RowId>(r)).owner = lambda[r];
      m.cell(s, static_cast<model::RowId>(r)).team = lambda_team[r];
    }
  }
  // platform would carry guest OS patching on lambda, were it the customer's
  m.candidate_team[1 * rows + 2] = 0;
  model::Variant v;
  model::Condition condition;
  condition.attribute = "package_type";
  condition.op = "==";
  condition.values = {"Image"};
  v.conditions.push_back(condition);
  model::Effect effect;
  effect.row = 2;
  effect.owner = Owner::customer;
  v.effects.push_back(effect);
  v.text = "package_type == \"Image\"";
  m.services[1].variants.push_back(v);
  model::Mapping map;
  map.format = "terraform";
  map.type = "aws_lambda_function";
  map.service = 1;
  m.mappings.push_back(map);
  model::Rule rule;
  rule.name = "guest_patched_by_provider";
  rule.package = "acme";
  m.rules.push_back(rule);
  return m;
}

struct Harness {
  SourceMap sources;
  model::Model model = small_model();
  Diagnostics diagnostics;
  std::vector<ast::ExprPtr> trees;

  /// Parses and compiles; REQUIREs that parsing worked.
  eval::CompiledExpr compile(const std::string& text, eval::Scope scope = eval::query_scope()) {
    const SourceFile& f = sources.add("<test>", text);
    trees.push_back(parse_expression(f, diagnostics));
    REQUIRE(trees.back());
    scope.sources = &sources;
    eval::CompiledExpr out;
    eval::compile_expression(*trees.back(), model, scope, out, diagnostics);
    return out;
  }

  /// The value of an expression on one line (REQUIREs a clean compile).
  std::string value(const std::string& text, std::span<const eval::EvalResource> resources = {}) {
    diagnostics = Diagnostics{};
    const eval::CompiledExpr e = compile(text);
    INFO(text);
    for (const auto& d : diagnostics.all()) INFO(d.code << " " << d.message);
    REQUIRE(e.valid());
    eval::EvalContext context(model, resources);
    return eval::format_value(eval::evaluate(e, context), e, context);
  }

  /// The first diagnostic's code (and its span's source text in `at`).
  std::string error(const std::string& text, std::string* at = nullptr, eval::Scope scope = eval::query_scope()) {
    diagnostics = Diagnostics{};
    const eval::CompiledExpr e = compile(text, scope);
    CHECK_FALSE(e.valid());
    if (diagnostics.all().empty()) return "";
    const auto& d = diagnostics.all().front();
    if (at) *at = std::string(sources.get(d.span.file)->slice(d.span));
    return d.code;
  }
};

std::vector<eval::EvalResource> lambdas() {
  std::vector<eval::EvalResource> r(2);
  r[0].address = "aws_lambda_function.zip";
  r[0].type = "aws_lambda_function";
  r[0].service = 1;
  r[0].attributes = {{"package_type", "Zip"}};
  r[0].file = "main.tf";
  r[0].line = 3;
  r[0].column = 1;
  r[1].address = "aws_lambda_function.image";
  r[1].type = "aws_lambda_function";
  r[1].service = 1;
  r[1].attributes = {{"package_type", "Image"}};
  r[1].file = "main.tf";
  r[1].line = 9;
  r[1].column = 1;
  return r;
}

}  // namespace

TEST_CASE("owner and team read the matrix", "[eval]") {
  Harness h;
  CHECK(h.value("owner(aws.ec2, guest_os.patching)") == "customer");
  CHECK(h.value("owner(aws.ec2, physical)") == "provider");
  CHECK(h.value("owner(aws.ec2, data.encryption_at_rest)") == "shared");
  CHECK(h.value("team(aws.ec2, guest_os.patching)") == "platform");
  CHECK(h.value("team(aws.lambda, guest_os)") == "none");
  CHECK(h.value("team(aws.lambda, guest_os) == none") == "true");
  CHECK(h.value("team(aws.ec2, data) != none") == "true");
  CHECK(h.value("owner(aws.ec2, guest_os) == customer and team(aws.ec2, guest_os) == platform") == "true");
  CHECK(h.value("core.guest_os == guest_os") == "true");
}

TEST_CASE("names: unique short service names in queries, qualified in packages", "[eval]") {
  Harness h;
  CHECK(h.value("owner(ec2, guest_os)") == "customer");
  std::string at;
  CHECK(h.error("owner(lambda, guest_os)", &at) == "E0519");
  CHECK(at == "lambda");
  eval::Scope acme;
  acme.package = "acme";
  acme.imports = {"aws"};
  CHECK(h.error("owner(gcp.lambda, guest_os) == provider", &at, acme) == "E0514");
  CHECK(at == "gcp");
  CHECK(h.error("owner(ec2, guest_os) == provider", &at, acme) == "E0501");
  eval::Scope aws;
  aws.package = "aws";
  h.diagnostics = Diagnostics{};
  CHECK(h.compile("owner(ec2, guest_os) == customer", aws).valid());
}

TEST_CASE("sets: services, areas, responsibilities, literals", "[eval]") {
  Harness h;
  CHECK(h.value("count(services)") == "3");
  CHECK(h.value("services") == "{aws.ec2, aws.lambda, gcp.lambda}");
  CHECK(h.value("areas(guest_os)") == "{guest_os.patching, guest_os.hardening}");
  CHECK(h.value("areas(guest_os.hardening)") == "{guest_os.hardening}");
  CHECK(h.value("areas(physical)") == "{physical}");
  CHECK(h.value("responsibilities(aws.ec2, customer)") == "{guest_os.patching, guest_os.hardening}");
  CHECK(h.value("responsibilities(aws.ec2, shared)") == "{data.encryption_at_rest}");
  CHECK(h.value("responsibilities(aws.ec2, security)") == "{data.encryption_at_rest}");
  CHECK(h.value("responsibilities(aws.lambda, none)") == "{data.encryption_at_rest}");
  CHECK(h.value("{aws.lambda, aws.ec2, aws.ec2}") == "{aws.ec2, aws.lambda}");
  CHECK(h.value("{aws.lambda, aws.ec2} == {aws.ec2, aws.lambda}") == "true");
  CHECK(h.value("{platform, none} == {none, platform}") == "true");
  CHECK(h.value("aws.ec2 in {aws.ec2, aws.lambda}") == "true");
  CHECK(h.value("gcp.lambda not in {aws.ec2, aws.lambda}") == "true");
  CHECK(h.value("team(aws.lambda, guest_os) in {platform, none}") == "true");
  CHECK(h.value("{owner(aws.ec2, physical), owner(aws.lambda, physical)}") == "{provider}");
  CHECK(h.value("count({})") == "0");
  CHECK(h.value("count(used_services)") == "0");
  CHECK(h.value("\"a\" == \"a\" and \"a\" != \"b\"") == "true");
}

TEST_CASE("quantifiers and numbers", "[eval]") {
  Harness h;
  CHECK(h.value("all s in services: owner(s, physical) == provider") == "true");
  CHECK(h.value("any s in services: owner(s, guest_os) == customer") == "true");
  CHECK(h.value("all s in services: owner(s, guest_os) == customer") == "false");
  CHECK(h.value("all s in services: all a in areas(guest_os): owner(s, a) == owner(s, guest_os)") == "true");
  CHECK(h.value("any s in services: count(responsibilities(s, customer)) > 1") == "true");
  CHECK(h.value("count(services) >= 3 and count(services) < 4 and 2 <= 2 and 3 > 2") == "true");
  CHECK(h.value("not (count(services) == 2) or 1 == 2") == "true");
}

TEST_CASE("resources: variants apply per resource, used_services follows them", "[eval]") {
  Harness h;
  const auto r = lambdas();
  CHECK(h.value("used_services", r) == "{aws.lambda}");
  CHECK(h.value("resources(aws.lambda)", r) == "{aws_lambda_function.image, aws_lambda_function.zip}");
  CHECK(h.value("count(resources(aws.ec2))", r) == "0");
  CHECK(h.value("any x in resources(aws.lambda): owner(x, guest_os.patching) == customer", r) == "true");
  CHECK(h.value("all x in resources(aws.lambda): owner(x, guest_os.patching) == customer", r) == "false");
  // The team follows the variant: platform is the candidate for lambda guest OS patching.
  CHECK(h.value("any x in resources(aws.lambda): team(x, guest_os.patching) == platform", r) == "true");
  CHECK(h.value("all x in resources(aws.lambda): owner(x, guest_os.hardening) == provider", r) == "true");
  CHECK(h.value("any x in resources(aws.lambda): guest_os.patching in responsibilities(x, customer)", r) == "true");

  h.diagnostics = Diagnostics{};
  const eval::CompiledExpr rule = h.compile("all x in resources(aws.lambda): owner(x, guest_os.patching) == provider");
  REQUIRE(rule.valid());
  REQUIRE(rule.is_all());
  eval::EvalContext context(h.model, r);
  const eval::RuleResult result = eval::evaluate_condition(rule, context);
  CHECK_FALSE(result.holds);
  CHECK(result.per_element);
  REQUIRE(result.counterexamples.size() == 1);
  const auto& c = result.counterexamples[0];
  CHECK(c.name == "aws_lambda_function.image");
  CHECK(c.is_resource);
  REQUIRE(c.resource == 1);
  CHECK(r[c.resource].type == "aws_lambda_function");
  CHECK(c.service == "aws.lambda");
  CHECK(r[c.resource].file == "main.tf");
  CHECK(r[c.resource].line == 9);
}

TEST_CASE("rules: evaluate_rule, passes() and violations(), and coverage", "[eval]") {
  Harness h;
  const SourceFile& f = h.sources.add("<rule>", "all s in used_services: owner(s, guest_os.patching) == provider");
  const ast::ExprPtr tree = parse_expression(f, h.diagnostics);
  REQUIRE(tree);
  h.model.rules[0].condition = tree.get();
  eval::CompiledRules rules;
  rules.conditions.resize(1);
  eval::Scope scope = eval::query_scope();
  scope.in_rule = true;
  REQUIRE(eval::compile_condition(*tree, h.model, scope, rules.conditions[0], h.diagnostics));

  const auto r = lambdas();
  eval::EvalContext context(h.model, r);
  context.set_rules(&rules);
  const eval::RuleResult result = eval::evaluate_rule(rules, 0, context);
  CHECK(result.holds);  // per service: lambda's base cell is the provider's
  CHECK(result.per_element);

  const eval::CompiledExpr passes = h.compile("passes(guest_patched_by_provider) and violations(guest_patched_by_provider) == 0");
  REQUIRE(passes.valid());
  eval::Coverage coverage;
  context.set_coverage(&coverage);
  CHECK(eval::evaluate_bool(passes, context));
  CHECK(coverage.rules[0] == 1);
  const std::size_t rows = h.model.rows.size();
  CHECK(coverage.cells[1 * rows + 2] == 1);  // aws.lambda x guest_os.patching
  CHECK(coverage.cells[0 * rows + 2] == 0);

  std::string at;
  CHECK(h.error("passes(guest_patched_by_providr)", &at) == "E0516");
  CHECK(at == "guest_patched_by_providr");
  CHECK(h.diagnostics.all().front().help == "did you mean 'guest_patched_by_provider'?");
  eval::Scope in_rule = eval::query_scope();
  in_rule.in_rule = true;
  CHECK(h.error("passes(guest_patched_by_provider)", &at, in_rule) == "E0517");
}

TEST_CASE("type errors point at the sub-expression at fault", "[eval][typecheck]") {
  Harness h;
  std::string at;
  CHECK(h.error("team(aws.ec2, guest_os) == guest_os", &at) == "E0505");
  CHECK(at == "team(aws.ec2, guest_os) == guest_os");
  CHECK(h.error("owner(aws.ec2, aws.lambda) == customer", &at) == "E0504");
  CHECK(at == "aws.lambda");
  CHECK(h.error("owner(guest_os, guest_os) == customer", &at) == "E0504");
  CHECK(at == "guest_os");
  CHECK(h.error("count(services) and owner(aws.ec2, physical) == provider", &at) == "E0508");
  CHECK(at == "count(services)");
  CHECK(h.error("not count(services)", &at) == "E0508");
  CHECK(h.error("owner(aws.ec2) == customer", &at) == "E0503");
  CHECK(at == "owner(aws.ec2)");
  CHECK(h.error("owner(aws.ec2, guest_os.patchng)", &at) == "E0501");
  CHECK(at == "guest_os.patchng");
  CHECK(h.diagnostics.all().front().help == "did you mean 'guest_os.patching'?");
  CHECK(h.error("ownr(aws.ec2, guest_os)", &at) == "E0502");
  CHECK(h.diagnostics.all().front().help == "did you mean 'owner'?");
  CHECK(h.error("owner(aws.ec2, guest_os) < customer", &at) == "E0506");
  CHECK(at == "owner(aws.ec2, guest_os)");
  CHECK(h.error("aws.ec2 in aws.lambda", &at) == "E0507");
  CHECK(at == "aws.lambda");
  CHECK(h.error("guest_os in services", &at) == "E0507");
  CHECK(at == "guest_os");
  CHECK(h.error("all s in aws.ec2: true_ == 1", &at) == "E0509");
  CHECK(at == "aws.ec2");
  CHECK(h.error("all s in services: count(services)", &at) == "E0510");
  CHECK(at == "count(services)");
  CHECK(h.error("{aws.ec2, guest_os}", &at) == "E0511");
  CHECK(at == "guest_os");
  CHECK(h.error("{services}", &at) == "E0512");
  CHECK(h.error("all s in services: all s in services: owner(s, physical) == provider", &at) == "E0515");
  CHECK(h.error("services()", &at) == "E0518");
  CHECK(h.error("owner", &at) == "E0518");
  CHECK(h.error("all s in {}: owner(s, physical) == provider", &at) == "E0520");
  CHECK(h.error("owner(aws.ec2, guest_os) == none", &at) == "E0505");
  CHECK(h.error("s.name", &at) == "E0501");

  // A condition must be a bool.
  h.diagnostics = Diagnostics{};
  const SourceFile& f = h.sources.add("<cond>", "owner(aws.ec2, guest_os)");
  const ast::ExprPtr tree = parse_expression(f, h.diagnostics);
  eval::CompiledExpr out;
  CHECK_FALSE(eval::compile_condition(*tree, h.model, eval::query_scope(), out, h.diagnostics));
  REQUIRE(h.diagnostics.all().size() == 1);
  CHECK(h.diagnostics.all()[0].code == "E0513");
  CHECK_FALSE(h.diagnostics.all()[0].help.empty());
}

TEST_CASE("an invalid expression evaluates safely", "[eval]") {
  Harness h;
  eval::CompiledExpr empty;
  eval::EvalContext context(h.model);
  CHECK_FALSE(eval::evaluate_bool(empty, context));
  CHECK_FALSE(eval::evaluate(empty, context).type.valid());
  CHECK(eval::evaluate_condition(empty, context).holds);
  // A resource whose service id is out of range is ignored, not read.
  std::vector<eval::EvalResource> bad(1);
  bad[0].service = 99;
  eval::EvalContext odd(h.model, bad);
  CHECK(h.value("count(used_services)", bad) == "0");
}

TEST_CASE("types print as the JSON output names them", "[eval]") {
  CHECK(eval::type_name(eval::Type{eval::Kind::party}) == "party");
  CHECK(eval::type_name(eval::Type::set_of(eval::Kind::service)) == "set<service>");
  CHECK(eval::type_phrase(eval::Type::set_of(eval::Kind::row)) == "a set of layers or areas");
}

TEST_CASE("deep expressions evaluate within their depth; violations count failing elements", "[eval]") {
  Harness h;
  std::string text = "owner(aws.ec2, guest_os) == customer";
  for (int i = 0; i < 40; ++i) text = "not (" + text + ")";
  CHECK(h.value(text) == "true");  // an even number of nots
  std::string quantifiers = "owner(s9, physical) == provider";
  for (int i = 9; i >= 0; --i) quantifiers = "all s" + std::to_string(i) + " in services: " + quantifiers;
  CHECK(h.value(quantifiers) == "true");  // 3^10 body evaluations, no recursion beyond the nesting

  const SourceFile& f = h.sources.add("<rule>", "all x in resources(aws.lambda): owner(x, guest_os.hardening) == customer");
  const ast::ExprPtr tree = parse_expression(f, h.diagnostics);
  REQUIRE(tree);
  eval::CompiledRules rules;
  rules.conditions.resize(1);
  REQUIRE(eval::compile_condition(*tree, h.model, eval::query_scope(), rules.conditions[0], h.diagnostics));
  const auto r = lambdas();
  eval::EvalContext context(h.model, r);
  context.set_rules(&rules);
  const eval::CompiledExpr violations = h.compile("violations(guest_patched_by_provider)");
  REQUIRE(violations.valid());
  CHECK(eval::evaluate(violations, context).scalar == 2);
  // Evaluating again gives the same answer: the scratch memory is reused, not leaked into results.
  CHECK(eval::evaluate(violations, context).scalar == 2);
}

#ifdef ONUS_COUNT_ALLOCATIONS
TEST_CASE("a warmed-up evaluation allocates nothing", "[eval][performance]") {
  Harness h;
  const auto r = lambdas();
  eval::EvalContext context(h.model, r);
  std::vector<eval::CompiledExpr> compiled;
  for (const char* text : {"owner(aws.ec2, guest_os.patching) == customer",
                           "all s in services: any a in areas(guest_os): owner(s, a) == provider or team(s, a) != none",
                           "count(responsibilities(aws.ec2, customer)) == 2 and guest_os.patching in responsibilities(aws.ec2, platform)",
                           "{owner(aws.ec2, physical), owner(aws.lambda, physical)} == {provider}",
                           "all x in resources(aws.lambda): owner(x, guest_os.patching) in {provider, customer}"}) {
    compiled.push_back(h.compile(text));
    REQUIRE(compiled.back().valid());
  }
  for (const auto& e : compiled) eval::evaluate_bool(e, context);  // warm-up: scratch memory grows once
  const std::size_t before = g_allocations.load();
  bool all = true;
  for (int i = 0; i < 100; ++i) {
    for (const auto& e : compiled) all = eval::evaluate_bool(e, context) && all;
  }
  CHECK(g_allocations.load() == before);
  CHECK(all);
}
#endif
