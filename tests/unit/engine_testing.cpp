// `onus test` as a library: fixtures, expectations, failures with values, coverage, JUnit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "engine/compile.hpp"
#include "engine/testing.hpp"

using namespace onus;

namespace {

struct Loaded {
  Program program;
  model::Model model;
  Diagnostics diagnostics;
  bool ok = false;
};

void load(Loaded& out, const std::string& policy) {
  LoadOptions lo;
  lo.policies = {policy};
  lo.include_tests = true;
  out.ok = load_program(lo, out.program, out.diagnostics) && compile(out.program, CompileOptions{}, out.model, out.diagnostics);
}

std::vector<std::string> roots(const Program& program) {
  std::vector<std::string> out;
  for (const auto& p : program.packages) {
    if (p.root) out.push_back(p.name);
  }
  return out;
}

std::string data(const std::string& rest) { return std::string(ONUS_SOURCE_DIR) + "/tests/data/test/" + rest; }

/// A policy directory written for one test, removed afterwards.
struct TempPolicy {
  std::filesystem::path dir;
  explicit TempPolicy(const std::string& text) {
    dir = std::filesystem::temp_directory_path() / ("onus_engine_testing_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "policy.onus") << text;
  }
  ~TempPolicy() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("passing tests, rules through passes() and violations(), coverage", "[testing]") {
  Loaded l;
  load(l, data("pass"));
  REQUIRE(l.ok);
  testing::TestSelection selection;
  selection.packages = roots(l.program);
  REQUIRE(selection.packages == std::vector<std::string>{"testpass"});
  testing::TestSuite suite;
  Diagnostics d;
  REQUIRE(suite.prepare(l.program, l.model, selection, d));
  CHECK(d.empty());
  CHECK(suite.size() == 3);
  const testing::TestRun run = suite.run(true);
  REQUIRE(run.results.size() == 3);
  CHECK(run.failed() == 0);
  REQUIRE(run.coverage.size() == 1);
  const auto& c = run.coverage[0];
  CHECK(c.package == "testpass");
  CHECK(c.rules == 2);
  CHECK(c.rules_evaluated == 2);
  CHECK(c.cells > 0);
  CHECK(c.cells_read > 0);
  CHECK(c.cells_read <= c.cells);
  const std::string text = testing::render_text(run);
  CHECK(text.find("3 tests, 3 passed, 0 failed") != std::string::npos);
  CHECK(text.find("rules 2/2 (100.0%)") != std::string::npos);
}

TEST_CASE("a failure keeps the expression, both sides' values and its location", "[testing]") {
  Loaded l;
  load(l, data("fail"));
  REQUIRE(l.ok);
  testing::TestSelection selection;
  selection.packages = roots(l.program);
  testing::TestSuite suite;
  Diagnostics d;
  REQUIRE(suite.prepare(l.program, l.model, selection, d));
  const testing::TestRun run = suite.run(false);
  REQUIRE(run.results.size() == 3);
  CHECK(run.results[0].passed());
  REQUIRE(run.results[1].failures.size() == 3);
  const auto& f = run.results[1].failures[0];
  CHECK(f.expression == "team(aws.ec2, data.encryption_at_rest) == platform");
  CHECK(f.comparison);
  CHECK(f.op == "==");
  CHECK(f.left_text == "team(aws.ec2, data.encryption_at_rest)");
  CHECK(f.left == "security");
  CHECK(f.right == "platform");
  CHECK(location_string(f.span, l.program.sources).ends_with("tests/data/test/fail/policy_test.onus:10:3"));
  CHECK(f.file.ends_with("tests/data/test/fail/policy_test.onus"));
  CHECK(f.line == 10);
  CHECK(f.column == 3);
  CHECK(run.results[1].line == 9);
  CHECK(run.results[1].failures[2].op == "in");
  CHECK(run.results[1].failures[2].right == "{}");
  REQUIRE(run.results[2].failures.size() == 1);
  CHECK_FALSE(run.results[2].failures[0].comparison);
  CHECK(run.results[2].failures[0].counterexamples == std::vector<std::string>{"aws_lambda_function.zip"});
  CHECK(run.coverage.empty());

  SECTION("--run selects by regex_search") {
    selection.filter.emplace("^wrong", std::regex::ECMAScript);
    testing::TestSuite some;
    REQUIRE(some.prepare(l.program, l.model, selection, d));
    CHECK(some.size() == 1);
  }
  SECTION("JUnit: one suite per package with every required attribute") {
    const std::string xml = testing::render_junit(run);
    for (const char* needle : {"<testsuites>", "name=\"testfail\"", "package=\"testfail\"", "id=\"0\"", "tests=\"3\"",
                               "failures=\"2\"", "errors=\"0\"", "skipped=\"0\"", "time=\"", "timestamp=\"", "hostname=\"localhost\"",
                               "<properties>", "<system-out/>", "<system-err/>", "type=\"expect\""}) {
      INFO(needle);
      CHECK(xml.find(needle) != std::string::npos);
    }
    CHECK(xml.find("guest OS patching is platform&apos;s") == std::string::npos);  // quotes stay readable in attributes
  }
}

TEST_CASE("type errors and unmapped fixtures stop the run before it starts", "[testing]") {
  Loaded l;
  load(l, data("broken"));
  REQUIRE(l.ok);
  testing::TestSelection selection;
  selection.packages = roots(l.program);
  testing::TestSuite suite;
  Diagnostics d;
  CHECK_FALSE(suite.prepare(l.program, l.model, selection, d));
  std::vector<std::string> codes;
  for (const auto& x : d.all()) codes.push_back(x.code);
  CHECK(codes == std::vector<std::string>{"E0505", "E0504", "E0513", "E0514", "E0521"});
}

TEST_CASE("fixtures take the mapping's defaults; unbound attributes are warned about", "[testing]") {
  TempPolicy policy(R"(package fixtures
import aws

test "a zip function by default" {
  resource aws_lambda_function "aws_lambda_function.plain" {}
  resource aws_lambda_function "aws_lambda_function.typo" { pakage_type = "Image" }
  expect all r in resources(aws.lambda): owner(r, runtime.patching) == provider
  expect count(resources(aws.lambda)) == 2
  expect used_services == {aws.lambda}
}
)");
  Loaded l;
  load(l, policy.dir.string());
  REQUIRE(l.ok);
  testing::TestSelection selection;
  selection.packages = {"fixtures"};
  testing::TestSuite suite;
  Diagnostics d;
  REQUIRE(suite.prepare(l.program, l.model, selection, d));
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].code == "W0501");
  CHECK(d.all()[0].help == "did you mean 'package_type'?");
  const testing::TestRun run = suite.run(false);
  REQUIRE(run.results.size() == 1);
  for (const auto& f : run.results[0].failures) INFO(f.expression);
  CHECK(run.results[0].passed());
}

TEST_CASE("the standard library's own tests pass", "[testing][stdlib]") {
  Loaded l;
  LoadOptions lo;
  lo.include_tests = true;
  lo.stdlib_tests = true;
  REQUIRE(load_program(lo, l.program, l.diagnostics));
  REQUIRE(compile(l.program, CompileOptions{}, l.model, l.diagnostics));
  testing::TestSelection selection;
  for (const auto& p : l.program.packages) {
    if (p.stdlib) selection.packages.push_back(p.name);
  }
  testing::TestSuite suite;
  Diagnostics d;
  REQUIRE(suite.prepare(l.program, l.model, selection, d));
  CHECK(suite.size() > 20);
  const testing::TestRun run = suite.run(false);
  for (const auto& r : run.results) {
    INFO(r.package << ": " << r.name);
    CHECK(r.passed());
  }
}

TEST_CASE("JUnit timestamps are reproducible with ONUS_TIMESTAMP", "[testing]") {
  setenv("ONUS_TIMESTAMP", "2026-01-02T03:04:05Z", 1);
  CHECK(testing::junit_timestamp() == "2026-01-02T03:04:05");
  CHECK(testing::reproducible());
  setenv("ONUS_TIMESTAMP", "0", 1);
  CHECK(testing::junit_timestamp() == "1970-01-01T00:00:00");
  unsetenv("ONUS_TIMESTAMP");
}
