// onus test [POLICY...]: runs the `test` blocks of the given policies (and of the
// standard library with --stdlib); text, JUnit or JSON results; optional coverage.
#include <cmath>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "engine/testing.hpp"

namespace onus::cli {

namespace {

nlohmann::ordered_json json_results(const testing::TestRun& run) {
  nlohmann::ordered_json j;
  auto tests = nlohmann::ordered_json::array();
  for (const auto& r : run.results) {
    nlohmann::ordered_json t;
    t["package"] = r.package;
    t["name"] = r.name;
    t["file"] = r.file;
    t["line"] = r.line;
    t["status"] = r.passed() ? "passed" : "failed";
    t["expectations"] = r.expectations;
    auto failures = nlohmann::ordered_json::array();
    for (const auto& f : r.failures) {
      nlohmann::ordered_json o;
      o["file"] = f.file;
      o["line"] = f.line;
      o["column"] = f.column;
      o["expression"] = f.expression;
      if (f.comparison) {
        o["operator"] = f.op;
        o["left"] = {{"expression", f.left_text}, {"value", f.left}};
        o["right"] = {{"expression", f.right_text}, {"value", f.right}};
      }
      if (!f.counterexamples.empty()) o["false_for"] = f.counterexamples;
      failures.push_back(std::move(o));
    }
    t["failures"] = std::move(failures);
    tests.push_back(std::move(t));
  }
  j["tests"] = std::move(tests);
  j["summary"] = {{"tests", run.results.size()}, {"passed", run.passed()}, {"failed", run.failed()}};
  if (!run.coverage.empty()) {
    auto coverage = nlohmann::ordered_json::array();
    for (const auto& c : run.coverage) {
      coverage.push_back({{"package", c.package},
                          {"cells", c.cells},
                          {"cells_read", c.cells_read},
                          {"cell_percent", std::round(c.cell_percent() * 10) / 10},
                          {"rules", c.rules},
                          {"rules_evaluated", c.rules_evaluated},
                          {"rule_percent", std::round(c.rule_percent() * 10) / 10},
                          {"rules_not_evaluated", c.rules_not_evaluated}});
    }
    j["coverage"] = std::move(coverage);
  }
  return j;
}

/// Prepares and runs the tests of the session's root packages (or, with `stdlib`,
/// of its standard library packages) into `run`; records the packages in `selection`.
/// Returns exit_ok, or exit_invalid after printing diagnostics.
int run_tests(Session& session, testing::TestSelection& selection, bool coverage, bool stdlib, const GlobalOptions& g,
              testing::TestRun& run) {
  testing::TestSelection mine;
  mine.filter = selection.filter;
  for (const auto& p : session.program.packages) {
    if (stdlib ? p.stdlib : p.root) {
      mine.packages.push_back(p.name);
      selection.packages.push_back(p.name);
    }
  }
  testing::TestSuite suite;
  Diagnostics diagnostics;
  const bool prepared = suite.prepare(session.program, session.model, mine, diagnostics);
  if (!diagnostics.empty()) print_diagnostics(diagnostics, session.program.sources, g);
  if (!prepared) return exit_invalid;
  run.append(suite.run(coverage));
  return exit_ok;
}

}  // namespace

int cmd_test(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> positional_policies;
  std::string run_filter, threshold_text;
  bool stdlib = false, coverage = false, allow_empty = false;
  po::options_description visible("test options"), hidden;
  visible.add_options()
      ("format", po::value<std::string>(&g.format)->default_value("text"), "text, junit or json")
      ("run", po::value<std::string>(&run_filter), "REGEX: only tests whose name matches (ECMAScript syntax)")
      ("stdlib", po::bool_switch(&stdlib), "also run the standard library's tests")
      ("coverage", po::bool_switch(&coverage), "report the cells and rules each package's tests read")
      ("threshold", po::value<std::string>(&threshold_text), "PCT: fail when any package's cell coverage is below PCT")
      ("allow-empty", po::bool_switch(&allow_empty), "succeed when no test ran");
  hidden.add_options()("policies", po::value<std::vector<std::string>>(&positional_policies), "");
  po::positional_options_description positional;
  positional.add("policies", -1);
  int code = 0;
  if (!parse_args("test", args, visible, positional, hidden, g,
                  "usage: onus test [POLICY...] [--stdlib] [--run REGEX] [--format text|junit|json]\n"
                  "                 [--coverage] [--threshold PCT] [--allow-empty]\n\n"
                  "Runs the `test` blocks of the policies (positional or -p; *_test.onus files are loaded too).\n"
                  "Exit codes: 0 all passed, 1 a test failed (or coverage is below --threshold),\n"
                  "2 the policy does not compile, a usage error, or no test ran (unless --allow-empty).\n\n"
                  "examples:\n"
                  "  onus test policies/enterprise\n"
                  "  onus test --stdlib --run Lambda\n"
                  "  onus test policies/startup --format junit > results.xml\n"
                  "  onus test policies/startup --coverage --threshold 5\n",
                  code))
    return code;
  if (g.format != "text" && g.format != "junit" && g.format != "json")
    return usage_error("test", fmt::format("--format must be text, junit or json, not '{}'", g.format));
  testing::TestSelection selection;
  if (!run_filter.empty()) {
    try {
      selection.filter.emplace(run_filter, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return usage_error("test", fmt::format("--run: invalid regular expression '{}': {}", run_filter, e.what()),
                         "the syntax is ECMAScript's, such as 'Lambda|EC2'");
    }
  }
  double threshold = -1;
  if (!threshold_text.empty()) {
    char* end = nullptr;
    threshold = std::strtod(threshold_text.c_str(), &end);
    if (end == threshold_text.c_str() || *end != '\0' || threshold < 0 || threshold > 100)
      return usage_error("test", fmt::format("--threshold must be a percentage from 0 to 100, not '{}'", threshold_text));
    coverage = true;
  }

  // The standard library's tests check the base model: with policies loaded they run
  // in a session of their own, where no organisation's `take` changes the answers.
  const bool has_policies = !g.policies.empty() || !positional_policies.empty();
  testing::TestRun run;
  if (stdlib) {
    GlobalOptions base = g;
    base.policies.clear();
    base.org.clear();
    Session session;
    SessionOptions so;
    so.include_tests = true;
    so.stdlib_tests = true;
    if (!open_session(base, so, session)) return exit_invalid;
    const int status = run_tests(session, selection, coverage, true, g, run);
    if (status != exit_ok) return status;
  }
  if (has_policies || !stdlib) {
    Session session;
    SessionOptions so;
    so.extra_policies = positional_policies;
    so.include_tests = true;
    if (!open_session(g, so, session)) return exit_invalid;
    const int status = run_tests(session, selection, coverage, false, g, run);
    if (status != exit_ok) return status;
  }
  if (run.results.empty()) {
    std::string what = selection.packages.empty() ? "no policy given (name policies, or add --stdlib)"
                                                  : fmt::format("no test in {}", fmt::join(selection.packages, ", "));
    if (selection.filter) what += fmt::format(" matches --run '{}'", run_filter);
    if (!allow_empty) {
      fmt::print(stderr, "onus test: error: no test ran: {}\n  = help: {}\n", what,
                 selection.packages.empty() ? "onus test POLICY..., or onus test --stdlib"
                                            : "add `test` blocks, or pass --allow-empty");
      return exit_invalid;
    }
    fmt::print(stderr, "onus test: no test ran: {}\n", what);
  }
  if (g.format == "junit") fmt::print("{}", testing::render_junit(run));
  else if (g.format == "json") fmt::print("{}\n", json_results(run).dump(2));
  else fmt::print("{}", testing::render_text(run));

  int exit = run.failed() > 0 ? exit_findings : exit_ok;
  if (threshold >= 0) {
    for (const auto& c : run.coverage) {
      if (c.cell_percent() + 1e-9 < threshold) {
        fmt::print(stderr, "onus test: error: cell coverage of package {} is {:.1f}%, below the threshold of {}%\n", c.package,
                   c.cell_percent(), threshold_text);
        exit = exit_findings;
      }
    }
  }
  return exit;
}

}  // namespace onus::cli
