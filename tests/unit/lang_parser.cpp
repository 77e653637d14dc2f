// The parser: exact spans, grammar analysis, error recovery, nesting limit, expressions.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <variant>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"
#include "lang/source.hpp"

namespace ast = onus::ast;
using onus::Span;

namespace {

// One parsed text with everything it refers to.
struct Parsed {
  onus::SourceMap sources;
  onus::Diagnostics diagnostics;
  ast::File file;
  const onus::SourceFile* source = nullptr;

  explicit Parsed(std::string text, onus::ParseOptions options = {}) {
    source = &sources.add("test.onus", std::move(text));
    file = onus::parse_file(*source, diagnostics, options);
  }

  // "line:col-line:col" of a span.
  [[nodiscard]] std::string where(const Span& span) const {
    const auto b = source->line_column(span.begin);
    const auto e = source->line_column(span.end);
    return std::to_string(b.line) + ":" + std::to_string(b.column) + "-" + std::to_string(e.line) + ":" +
           std::to_string(e.column);
  }
  [[nodiscard]] std::string text(const Span& span) const { return std::string(source->slice(span)); }

  // "line:col CODE message" of diagnostic i.
  [[nodiscard]] std::string diagnostic(std::size_t i) const {
    const auto& d = diagnostics.all().at(i);
    const auto b = source->line_column(d.span.begin);
    return std::to_string(b.line) + ":" + std::to_string(b.column) + " " + d.code + " " + d.message;
  }

  template <typename T>
  [[nodiscard]] const T& decl(std::size_t i) const {
    REQUIRE(i < file.decls.size());
    REQUIRE(std::holds_alternative<T>(file.decls[i]));
    return std::get<T>(file.decls[i]);
  }
};

// A parsed standalone expression.
struct ParsedExpr {
  onus::SourceMap sources;
  onus::Diagnostics diagnostics;
  ast::ExprPtr expr;
  const onus::SourceFile* source = nullptr;
  explicit ParsedExpr(std::string text) {
    source = &sources.add("<query>", std::move(text));
    expr = onus::parse_expression(*source, diagnostics);
  }
};

// A compact prefix form of an expression: (and (compare== (name a) (string "x")) ...).
std::string shape(const ast::Expr& e) {
  std::string out;
  switch (e.kind) {
    case ast::ExprKind::name: return "(name " + e.name.text() + ")";
    case ast::ExprKind::string: return "(string \"" + e.text + "\")";
    case ast::ExprKind::number: return "(number " + std::to_string(e.number) + ")";
    case ast::ExprKind::none: return "(none)";
    case ast::ExprKind::set: out = "(set"; break;
    case ast::ExprKind::call: out = "(call " + e.name.text(); break;
    case ast::ExprKind::not_: out = "(not"; break;
    case ast::ExprKind::and_: out = "(and"; break;
    case ast::ExprKind::or_: out = "(or"; break;
    case ast::ExprKind::compare: out = "(" + e.text; break;
    case ast::ExprKind::in: out = "(in"; break;
    case ast::ExprKind::not_in: out = "(not-in"; break;
    case ast::ExprKind::all: out = "(all " + e.name.text(); break;
    case ast::ExprKind::any: out = "(any " + e.name.text(); break;
  }
  for (const auto& c : e.children) out += " " + shape(*c);
  return out + ")";
}

}  // namespace

TEST_CASE("the grammar has no left recursion or cycle without progress", "[parser]") {
  CHECK(onus::analyze_grammar() == 0);
}

TEST_CASE("spans of the package, imports and names", "[parser][span]") {
  Parsed p("package acme.demo\n\nimport aws\nimport core.{iaas, paas}\n");
  REQUIRE(p.diagnostics.empty());
  REQUIRE(p.file.package);
  CHECK(p.where(p.file.package->span) == "1:1-1:18");
  const ast::Name& name = p.file.package->name;
  CHECK(name.text() == "acme.demo");
  CHECK(p.where(name.span) == "1:9-1:18");
  REQUIRE(name.parts.size() == 2);
  CHECK(p.where(name.parts[0].span) == "1:9-1:13");
  CHECK(p.where(name.parts[1].span) == "1:14-1:18");

  REQUIRE(p.file.imports.size() == 2);
  CHECK(p.where(p.file.imports[0].span) == "3:1-3:11");
  CHECK(p.where(p.file.imports[0].package.span) == "3:8-3:11");
  const ast::ImportDecl& items = p.file.imports[1];
  CHECK(items.package.text() == "core");
  REQUIRE(items.items.size() == 2);
  CHECK(items.items[1].text == "paas");
  CHECK(p.where(items.items[1].span) == "4:20-4:24");
  CHECK(p.where(items.span) == "4:1-4:25");
}

TEST_CASE("spans of declarations and strings", "[parser][span]") {
  Parsed p(
      "package a\n"
      "party provider \"The cloud \\\"service\\\" provider\"\n"
      "layer guest_os \"Guest OS\" {\n"
      "  area patching \"Updates\"\n"
      "}\n"
      "service ec2 \"Amazon EC2\" : core.iaas {\n"
      "  customer: guest_os..data, identity\n"
      "}\n");
  REQUIRE(p.diagnostics.empty());
  REQUIRE(p.file.decls.size() == 3);

  const auto& party = p.decl<ast::PartyDecl>(0);
  CHECK(party.name.text == "provider");
  CHECK(p.where(party.name.span) == "2:7-2:15");
  REQUIRE(party.description);
  CHECK(party.description->value == "The cloud \"service\" provider");  // escapes decoded
  CHECK(p.where(party.description->span) == "2:16-2:48");               // quotes included
  CHECK(p.text(party.description->span) == "\"The cloud \\\"service\\\" provider\"");
  CHECK(p.where(party.span) == "2:1-2:48");

  const auto& layer = p.decl<ast::LayerDecl>(1);
  CHECK(p.where(layer.span) == "3:1-5:2");
  REQUIRE(layer.areas.size() == 1);
  CHECK(p.where(layer.areas[0].span) == "4:3-4:26");
  CHECK(p.where(layer.areas[0].name.span) == "4:8-4:16");

  const auto& service = p.decl<ast::ServiceDecl>(2);
  CHECK(p.where(service.span) == "6:1-8:2");
  CHECK(service.parent.text() == "core.iaas");
  CHECK(p.where(service.parent.span) == "6:28-6:37");
  REQUIRE(service.body.size() == 1);
  const auto& owner = std::get<ast::OwnerStmt>(service.body[0]);
  CHECK(owner.party.text == "customer");
  CHECK(p.where(owner.span) == "7:3-7:37");
  REQUIRE(owner.targets.size() == 2);
  CHECK(p.where(owner.targets[0].span) == "7:13-7:27");
  REQUIRE(owner.targets[0].to);
  CHECK(owner.targets[0].to->text() == "data");
  CHECK(p.where(owner.targets[1].span) == "7:29-7:37");
}

TEST_CASE("spans count code points: tabs and UTF-8 before a token", "[parser][span]") {
  Parsed p("package a\n\tparty\tprovider \"\xC3\xBC\xE6\x97\xA5\" # \xF0\x9F\x98\x80\nparty x\n");
  REQUIRE(p.diagnostics.empty());
  const auto& party = p.decl<ast::PartyDecl>(0);
  CHECK(p.where(party.name.span) == "2:8-2:16");
  REQUIRE(party.description);
  CHECK(party.description->value == "\xC3\xBC\xE6\x97\xA5");
  CHECK(p.where(party.description->span) == "2:17-2:21");  // 4 code points: " ü 日 "
  REQUIRE(p.file.comments.size() == 1);
  CHECK(p.where(p.file.comments[0].span) == "2:22-2:25");
}

TEST_CASE("CRLF line ends and a byte order mark", "[parser][span]") {
  Parsed p("\xEF\xBB\xBFpackage a\r\nparty provider \"P\"\r\n# note\r\nparty customer\r\n");
  REQUIRE(p.diagnostics.empty());
  REQUIRE(p.file.package);
  CHECK(p.where(p.file.package->span) == "1:1-1:10");
  REQUIRE(p.file.decls.size() == 2);
  CHECK(p.where(p.decl<ast::PartyDecl>(0).span) == "2:1-2:19");
  CHECK(p.where(p.decl<ast::PartyDecl>(1).name.span) == "4:7-4:15");
  REQUIRE(p.file.comments.size() == 1);
  CHECK(p.file.comments[0].text == "# note");  // no '\r'
}

TEST_CASE("spans of expressions", "[parser][span]") {
  Parsed p(
      "package a\n"
      "rule r hard {\n"
      "  all s in used_services: team(s, data) != none and not (s in {aws.ec2, aws.s3})\n"
      "}\n");
  REQUIRE(p.diagnostics.empty());
  const auto& rule = p.decl<ast::RuleDecl>(0);
  CHECK(rule.level.text == "hard");
  REQUIRE(rule.condition);
  const ast::Expr& all = *rule.condition;
  CHECK(shape(all) ==
        "(all s (name used_services) (and (!= (call team (name s) (name data)) (none)) "
        "(not (in (name s) (set (name aws.ec2) (name aws.s3))))))");
  CHECK(p.where(all.span) == "3:3-3:81");
  CHECK(p.where(all.name.span) == "3:7-3:8");
  const ast::Expr& body = *all.children.at(1);
  CHECK(p.where(body.span) == "3:27-3:81");
  const ast::Expr& compare = *body.children.at(0);
  CHECK(p.where(compare.span) == "3:27-3:48");
  CHECK(p.text(compare.children.at(0)->span) == "team(s, data)");
  CHECK(p.text(compare.children.at(1)->span) == "none");
  const ast::Expr& negation = *body.children.at(1);
  CHECK(p.text(negation.span) == "not (s in {aws.ec2, aws.s3})");
  CHECK(p.text(negation.children.at(0)->span) == "(s in {aws.ec2, aws.s3})");  // parentheses included
}

TEST_CASE("expression precedence: not > comparison > and > or", "[parser][expr]") {
  const auto parse = [](const char* text) {
    ParsedExpr e(text);
    INFO(text);
    REQUIRE(e.diagnostics.empty());
    REQUIRE(e.expr);
    return shape(*e.expr);
  };
  CHECK(parse("a or b and c") == "(or (name a) (and (name b) (name c)))");
  CHECK(parse("(a or b) and c") == "(and (or (name a) (name b)) (name c))");
  CHECK(parse("not a == b") == "(not (== (name a) (name b)))");
  CHECK(parse("a not in {1, 2}") == "(not-in (name a) (set (number 1) (number 2)))");
  CHECK(parse("count(services) >= 3") == "(>= (call count (name services)) (number 3))");
  CHECK(parse("x < 1 or x <= 2 or x > 3 or x != \"y\"") ==
        "(or (or (or (< (name x) (number 1)) (<= (name x) (number 2))) (> (name x) (number 3))) "
        "(!= (name x) (string \"y\")))");
  CHECK(parse("any r in resources(aws.lambda): owner(r, runtime) == shared") ==
        "(any r (call resources (name aws.lambda)) (== (call owner (name r) (name runtime)) (name shared)))");
  CHECK(parse("team(aws.ec2, guest_os) == none") == "(== (call team (name aws.ec2) (name guest_os)) (none))");
  CHECK(parse("{}") == "(set)");
  CHECK(parse("  # comment\n a\n") == "(name a)");
}

TEST_CASE("standalone expressions report errors", "[parser][expr]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "expected an expression, found end of file"},
      {"a = b", "'=' is not a comparison"},
      {"a == ", "expected a value to compare with, found end of file"},
      {"(a", "expected ')', found end of file"},
      {"a b", "unexpected text after the expression, found 'b'"},
      {"all x services: x", "expected 'in' after the variable: all x in SET: CONDITION, found 'services'"},
  };
  for (const auto& c : cases) {
    ParsedExpr e(c.text);
    INFO(c.text);
    CHECK_FALSE(e.expr);
    REQUIRE(e.diagnostics.error_count() == 1);
    CHECK(e.diagnostics.all()[0].code == "E0001");
    CHECK(e.diagnostics.all()[0].message.starts_with(c.message));
  }
}

TEST_CASE("three unrelated syntax errors give three diagnostics, no cascade", "[parser][recovery]") {
  Parsed p(
      "package demo\n"                                                    // 1
      "layer guest_os \"Guest operating system\" {\n"                      // 2
      "  area patching \"Security updates\"\n"                             // 3
      "}\n"                                                               // 4
      "service ec2 \"Amazon EC2\" core.iaas\n"                            // 5: missing ':'
      "model iaas \"IaaS\" {\n"                                           // 6
      "  customer: guest_os\n"                                            // 7
      "}\n"                                                               // 8
      "rule patched mandatory { owner(aws.ec2, guest_os) = customer }\n"  // 9: '=' for '=='
      "party provider \"The cloud service provider\"\n"                   // 10
      "waive patched until 2027-3-31 \"Migration\"\n"                     // 11: bad date
      "test \"ok\" {\n"                                                   // 12
      "  expect owner(aws.ec2, guest_os) == customer\n"                   // 13
      "}\n");
  REQUIRE(p.diagnostics.all().size() == 3);
  CHECK(p.diagnostic(0) ==
        "5:26 E0001 expected ':' and the service's parent (a model such as core.iaas, or another service), found 'core'");
  CHECK(p.diagnostic(1) == "9:51 E0001 '=' is not a comparison");
  CHECK(p.diagnostic(2) == "11:27 E0001 expected a date as YYYY-MM-DD, found '-'");
  CHECK(p.diagnostics.all()[1].help == "use '==' to compare two values");
  // Everything between the errors parsed.
  REQUIRE(p.file.package);
  REQUIRE(p.file.decls.size() == 4);
  CHECK(p.decl<ast::LayerDecl>(0).name.text == "guest_os");
  CHECK(p.decl<ast::ModelDecl>(1).name.text == "iaas");
  CHECK(p.decl<ast::PartyDecl>(2).name.text == "provider");
  CHECK(p.decl<ast::TestDecl>(3).name.value == "ok");
}

TEST_CASE("an error at the start of a line keeps the declaration that starts there", "[parser][recovery]") {
  // `party` lacks its name; the error is found at `layer` on the next line.
  // Known issue: resync() skips the line of the error, so the layer is lost.
  Parsed p("package demo\nparty\nlayer guest_os \"Guest OS\"\nparty customer\n");
  REQUIRE(p.diagnostics.all().size() == 1);
  CHECK(p.diagnostic(0).starts_with("3:1 E0001 expected a name for this declaration"));
  REQUIRE(p.file.decls.size() == 2);
  CHECK(p.decl<ast::LayerDecl>(0).name.text == "guest_os");
}

TEST_CASE("a declaration's span ends at its last token", "[parser][span]") {
  // Not at the white space and comments that follow it.
  Parsed p("package a\nparty auditor\n\n# next\ntake identity  \nallow aws.ec2\n");
  REQUIRE(p.diagnostics.empty());
  REQUIRE(p.file.decls.size() == 3);
  CHECK(p.where(p.decl<ast::PartyDecl>(0).span) == "2:1-2:14");
  CHECK(p.where(p.decl<ast::TakeDecl>(1).span) == "5:1-5:14");
  CHECK(p.where(p.decl<ast::AllowDecl>(2).span) == "6:1-6:14");
}

TEST_CASE("10,000 nested parentheses give one E0008 and no crash", "[parser][limits]") {
  const std::string deep(10000, '(');
  const std::string close(10000, ')');
  Parsed p("package a\ntest \"deep\" {\n  expect " + deep + "a" + close + "\n}\nparty after\n");
  REQUIRE(p.diagnostics.all().size() == 1);
  const auto& d = p.diagnostics.all()[0];
  CHECK(d.code == "E0008");
  CHECK(d.message.starts_with("this is nested too deeply"));
  CHECK(p.source->line_column(d.span.begin).line == 3);
  // Recovery continues after the deep expression.
  REQUIRE(p.file.decls.size() == 1);
  CHECK(p.decl<ast::PartyDecl>(0).name.text == "after");
}

TEST_CASE("deep nesting in a standalone expression is an error, not a crash", "[parser][limits]") {
  ParsedExpr e(std::string(10000, '(') + "a" + std::string(10000, ')'));
  CHECK_FALSE(e.expr);
  CHECK(e.diagnostics.error_count() == 1);
}

TEST_CASE("moderate nesting is accepted", "[parser][limits]") {
  ParsedExpr e(std::string(20, '(') + "a" + std::string(20, ')'));
  REQUIRE(e.diagnostics.empty());
  REQUIRE(e.expr);
  CHECK(shape(*e.expr) == "(name a)");
}

TEST_CASE("diagnostics of the parser's semantic checks", "[parser]") {
  SECTION("E0003: a date that is not in the calendar") {
    Parsed p("package a\nwaive r until 2027-02-29\nwaive r until 2028-02-29\nwaive r until 2027-13-01\n");
    REQUIRE(p.diagnostics.all().size() == 2);
    CHECK(p.diagnostic(0) == "2:15 E0003 '2027-02-29' is not a calendar date");
    CHECK(p.diagnostic(1) == "4:15 E0003 '2027-13-01' is not a calendar date");
    CHECK(p.where(p.diagnostics.all()[0].span) == "2:15-2:25");
    CHECK(p.decl<ast::WaiveDecl>(1).until->text() == "2028-02-29");
  }
  SECTION("E0004: a number too large") {
    Parsed p("package a\nrule r hard { count(services) < 99999999999999999999 }\n");
    REQUIRE(p.diagnostics.all().size() == 1);
    CHECK(p.diagnostic(0) == "2:33 E0004 number is too large");
    CHECK(p.where(p.diagnostics.all()[0].span) == "2:33-2:53");
  }
  SECTION("E0005: package not first, or twice") {
    Parsed p("party x\npackage a\npackage b\n");
    REQUIRE(p.diagnostics.all().size() == 2);
    CHECK(p.diagnostic(0) == "2:1 E0005 'package' must come first in the file, and only once");
    CHECK(p.diagnostic(1) == "3:1 E0005 'package' must come first in the file, and only once");
    REQUIRE(p.file.package);
    CHECK(p.file.package->name.text() == "a");
  }
  SECTION("E0006: import after a declaration") {
    Parsed p("package a\nparty x\nimport aws\n");
    REQUIRE(p.diagnostics.all().size() == 1);
    CHECK(p.diagnostic(0) == "3:1 E0006 imports must come before the declarations");
  }
  SECTION("E0009: too many syntax errors") {
    std::string text = "package a\n";
    for (int i = 0; i < 10; ++i) text += "party 1\n";
    onus::ParseOptions options;
    options.max_errors = 3;
    Parsed p(text, options);
    REQUIRE(p.diagnostics.all().size() == 4);
    CHECK(p.diagnostics.all()[3].code == "E0009");
    CHECK(p.diagnostics.all()[3].message.find("too many syntax errors") != std::string::npos);
  }
}

TEST_CASE("common syntax errors have clear messages", "[parser][recovery]") {
  struct Case {
    const char* text;
    const char* expected;  // "line:col CODE message" prefix
  };
  const Case cases[] = {
      {"package a\nparty p \"unterminated\n", "2:22 E0001 unterminated string: close it with '\"' on the same line"},
      {"package a\nparty p \"a\\qb\"\n", "2:12 E0001 unknown escape sequence in a string"},
      {"package a\nprovider: guest_os\n", "2:1 E0001 expected a declaration (package, import, party"},
      {"package a\nmodel m { provider: }\n", "2:21 E0001 expected one or more layers or areas"},
      {"package a\nrule r sometimes { a }\n", "2:8 E0001 expected the enforcement level: advisory, mandatory or hard"},
      {"package a\nrule r hard { a b }\n", "2:17 E0001 expected '}' to close the rule"},
      {"package a\nresources terraform { aws_instance ec2 }\n", "2:36 E0001 expected '->'"},
      {"package a\nlayer l { zone z }\n", "2:11 E0001 expected 'area NAME \"description\"' or '}' to close the layer, found 'zone'"},
      {"package a\nassign platform guest_os\n", "2:17 E0001 expected ':' after the team name"},
      {"package a\nparty import\n", "2:7 E0001 expected a name for this declaration"},
      {"package\n", "2:1 E0001 expected the package name after 'package', found end of file"},
      {"package a\nservice s \"S\" : core.iaas {\n  provider: guest_os\n", "4:1 E0001 expected a statement"},
  };
  for (const auto& c : cases) {
    Parsed p(c.text);
    INFO(c.text);
    REQUIRE(p.diagnostics.all().size() == 1);
    CHECK(p.diagnostic(0).starts_with(c.expected));
  }
}

TEST_CASE("every construct parses", "[parser]") {
  onus::SourceMap sources;
  onus::Diagnostics diagnostics;
  std::string text;
  {
    const std::string path = std::string(ONUS_SOURCE_DIR) + "/tests/data/lang/all_constructs.onus";
    std::FILE* f = std::fopen(path.c_str(), "rb");
    REQUIRE(f);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
  }
  const auto& source = sources.add("all_constructs.onus", text);
  const ast::File file = onus::parse_file(source, diagnostics);
  CHECK(diagnostics.empty());
  CHECK(file.package);
  CHECK(file.imports.size() == 2);
  CHECK(file.decls.size() >= 30);
  // Each kind of declaration appears.
  std::size_t seen[std::variant_size_v<ast::Decl>] = {};
  for (const auto& d : file.decls) ++seen[d.index()];
  for (std::size_t i = 0; i < std::variant_size_v<ast::Decl>; ++i) {
    INFO("declaration kind " << i);
    CHECK(seen[i] > 0);
  }
  const std::string dump = ast::dump(file, source);
  CHECK(dump.starts_with("package @3:1-3:18 acme.demo\n"));
}
