// `onus test`: runs the `test` blocks of policies. Each test's `resource` fixtures
// are the resources under evaluation for its expectations; every `expect` is
// evaluated and a failure keeps both sides' values. Optionally records which
// cells of the matrix and which rules the tests read (coverage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "engine/eval.hpp"
#include "engine/model.hpp"
#include "lang/diagnostic.hpp"
#include "lang/loader.hpp"

namespace onus::testing {

/// Which tests to run.
struct TestSelection {
  std::vector<std::string> packages;  ///< packages whose tests run (others are skipped)
  std::optional<std::regex> filter;   ///< --run: only tests whose name matches (regex_search)
};

/// One expectation that did not hold.
struct ExpectFailure {
  Span span;                 ///< the `expect` statement
  std::string file;          ///< its location (kept as text: results outlive their SourceMap)
  std::uint32_t line = 0, column = 0;
  std::string expression;    ///< its source text
  bool comparison = false;   ///< the top level is a comparison or membership: left/right are set
  std::string op;            ///< "==", "in", ...
  std::string left_text, right_text;  ///< source text of both sides
  std::string left, right;            ///< their values
  std::vector<std::string> counterexamples;  ///< `all x in S: ...`: the x for which it was false
};

/// The outcome of one test block.
struct TestResult {
  std::string name;
  std::string package;
  Span span;
  std::string file;  ///< where the test is declared
  std::uint32_t line = 0;
  std::size_t expectations = 0;
  std::vector<ExpectFailure> failures;
  double seconds = 0;
  [[nodiscard]] bool passed() const { return failures.empty(); }
};

/// What the tests of one package touched.
struct PackageCoverage {
  std::string package;
  std::size_t cells = 0;       ///< service x leaf row cells in scope: the package's services, or the org's allowed ones
  std::size_t cells_read = 0;  ///< of those, read by owner(), team() or responsibilities()
  std::size_t rules = 0;       ///< rules declared by the package
  std::size_t rules_evaluated = 0;  ///< evaluated through passes() or violations()
  std::vector<std::string> rules_not_evaluated;
  /// Percentages (100 when there is nothing to cover).
  [[nodiscard]] double cell_percent() const { return cells ? 100.0 * static_cast<double>(cells_read) / static_cast<double>(cells) : 100.0; }
  [[nodiscard]] double rule_percent() const { return rules ? 100.0 * static_cast<double>(rules_evaluated) / static_cast<double>(rules) : 100.0; }
};

/// The outcome of a run.
struct TestRun {
  std::vector<TestResult> results;        ///< in declaration order (packages dependencies first)
  std::vector<PackageCoverage> coverage;  ///< per package that ran tests, when coverage was asked
  [[nodiscard]] std::size_t failed() const;
  [[nodiscard]] std::size_t passed() const { return results.size() - failed(); }
  /// Appends the results and coverage of another run (e.g. the standard library's, run apart).
  void append(TestRun&& other);
};

/// A test ready to run: fixtures mapped to services, expectations compiled.
struct PreparedTest {
  const model::Test* test = nullptr;
  std::vector<eval::EvalResource> resources;
  std::vector<const ast::ExpectStmt*> statements;
  std::vector<eval::CompiledExpr> expectations;  ///< same index as statements
};

/// The selected tests of a program, compiled.
class TestSuite {
 public:
  /// Compiles the selected tests and the model's rules (for passes()/violations()).
  /// Type errors (E0501-E0520), fixtures whose type maps to no service (E0521) and
  /// fixture attributes no mapping binds (W0501) become diagnostics. Returns false on errors.
  bool prepare(const Program& program, const model::Model& model, const TestSelection& selection, Diagnostics& diagnostics);

  /// Runs every prepared test; with `coverage`, fills TestRun::coverage.
  TestRun run(bool coverage) const;

  /// Number of tests selected.
  [[nodiscard]] std::size_t size() const { return tests_.size(); }

 private:
  const Program* program_ = nullptr;
  const model::Model* model_ = nullptr;
  std::vector<std::string> packages_;
  std::vector<PreparedTest> tests_;
  eval::CompiledRules rules_;
};

/// Human-readable results: one line per test, each failure with file:line, the
/// expression and both sides' values, then a summary (and coverage when present).
std::string render_text(const TestRun& run);

/// JUnit XML valid against the strict windyroad schema (tests/data/schemas/junit.xsd):
/// one <testsuite> per package, one <testcase> per test.
std::string render_junit(const TestRun& run);

/// The JUnit timestamp, "YYYY-MM-DDTHH:MM:SS" in UTC: ONUS_TIMESTAMP (ISO or epoch
/// seconds), else SOURCE_DATE_EPOCH, else the current time.
std::string junit_timestamp();

/// True when ONUS_TIMESTAMP or SOURCE_DATE_EPOCH asks for reproducible output
/// (JUnit times are then written as 0).
bool reproducible();

}  // namespace onus::testing
