#include "engine/testing.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>

#include <fmt/format.h>

namespace onus::testing {

namespace {

constexpr std::array<const char*, 3> kFormats{"terraform", "cloudformation", "inventory"};

std::string source_text(const SourceMap& sources, const Span& span) {
  const SourceFile* f = sources.get(span.file);
  if (!f) return "";
  std::string text(f->slice(span));
  // One line: collapse line breaks and runs of blanks.
  std::string out;
  bool blank = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

const SourceFile* file_of(const SourceMap& sources, const Span& span) { return sources.get(span.file); }

}  // namespace

void TestRun::append(TestRun&& other) {
  for (auto& r : other.results) results.push_back(std::move(r));
  for (auto& c : other.coverage) coverage.push_back(std::move(c));
}

std::size_t TestRun::failed() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [](const TestResult& r) { return !r.passed(); }));
}

bool TestSuite::prepare(const Program& program, const model::Model& model, const TestSelection& selection,
                        Diagnostics& diagnostics) {
  program_ = &program;
  model_ = &model;
  packages_ = selection.packages;
  tests_.clear();
  const std::size_t errors = diagnostics.error_count();
  eval::compile_rules(program, model, rules_, diagnostics);
  for (const auto& test : model.tests) {
    if (!test.decl) continue;
    if (std::find(packages_.begin(), packages_.end(), test.package) == packages_.end()) continue;
    if (selection.filter && !std::regex_search(test.name, *selection.filter)) continue;
    PreparedTest prepared;
    prepared.test = &test;
    const eval::Scope scope = eval::package_scope(program, test.package);
    for (const auto& stmt : test.decl->body) {
      if (const auto* fixture = std::get_if<ast::FixtureResource>(&stmt)) {
        // The fixture's attributes as a mapping binds them, as in pipelines: its
        // bound names take the fixture's value, else their default; constants
        // hold whatever the fixture says. The mapping is the first guarded one
        // whose guard holds for them, else the type's own.
        const auto bound_by = [fixture](const model::Mapping& m) {
          model::Attributes out;
          for (const auto& b : m.bindings) {
            const auto given = b.path.empty() ? fixture->attributes.end()  // a constant: the fixture cannot change it
                                              : std::find_if(fixture->attributes.begin(), fixture->attributes.end(),
                                                             [&b](const auto& kv) { return kv.first.text == b.attribute; });
            if (given != fixture->attributes.end()) out.emplace_back(b.attribute, given->second.value);
            else if (b.fallback) out.emplace_back(b.attribute, *b.fallback);
          }
          return out;
        };
        const model::Mapping* mapping = nullptr;
        for (const char* format : kFormats) {
          mapping = model.resolve_mapping(format, fixture->type.value, bound_by);
          if (mapping) break;
        }
        if (!mapping) {
          std::vector<std::string> types;
          for (const auto& m : model.mappings) {
            if (!m.pattern) types.push_back(m.type);
          }
          auto& d = diagnostics.error("E0521", fixture->type.span,
                                      fmt::format("resource type '{}' maps to no service", fixture->type.value));
          const std::string guess = closest_match(fixture->type.value, types);
          d.with_help(!guess.empty() ? fmt::format("did you mean '{}'?", guess)
                                     : "use a type that a `resources` block maps, such as aws_instance, or add a mapping");
          continue;
        }
        eval::EvalResource r;
        r.address = fixture->address.value;
        r.type = fixture->type.value;
        r.service = mapping->service;
        if (const SourceFile* f = file_of(program.sources, fixture->span)) {
          const LineColumn lc = f->line_column(fixture->span.begin);
          r.file = f->name();
          r.line = lc.line;
          r.column = lc.column;
        }
        for (const auto& [key, value] : fixture->attributes) {
          const auto binding = std::find_if(mapping->bindings.begin(), mapping->bindings.end(),
                                            [&key](const model::Binding& b) { return b.attribute == key.text; });
          const bool bound = binding != mapping->bindings.end();
          if (bound && binding->path.empty()) {
            // As in pipelines, a constant binding holds whatever the resource says.
            diagnostics
                .warning("W0501", key.span,
                         fmt::format("the mapping of {} binds '{}' to the constant \"{}\": the fixture's value is ignored",
                                     fixture->type.value, key.text, binding->fallback.value_or("")))
                .with_help(fmt::format("remove '{}' from the fixture", key.text));
          } else if (!bound) {
            std::vector<std::string> names;
            for (const auto& b : mapping->bindings) names.push_back(b.attribute);
            auto& d = diagnostics.warning(
                "W0501", key.span,
                fmt::format("the mapping of {} binds no attribute '{}': no variant can see it", fixture->type.value, key.text));
            const std::string guess = closest_match(key.text, names);
            if (!guess.empty()) d.with_help(fmt::format("did you mean '{}'?", guess));
            else if (names.empty()) d.with_help(fmt::format("the mapping of {} binds no attributes", fixture->type.value));
            else d.with_help(fmt::format("it binds: {}", fmt::join(names, ", ")));
          }
        }
        r.attributes = bound_by(*mapping);
        prepared.resources.push_back(std::move(r));
      } else if (const auto* expect = std::get_if<ast::ExpectStmt>(&stmt)) {
        if (!expect->condition) continue;
        prepared.statements.push_back(expect);
        prepared.expectations.emplace_back();
        eval::compile_condition(*expect->condition, model, scope, prepared.expectations.back(), diagnostics);
      }
    }
    tests_.push_back(std::move(prepared));
  }
  return diagnostics.error_count() == errors;
}

TestRun TestSuite::run(bool coverage) const {
  TestRun out;
  if (!model_ || !program_) return out;
  const model::Model& m = *model_;
  const SourceMap& sources = program_->sources;
  std::map<std::string, eval::Coverage> touched;  // per package
  for (const auto& t : tests_) {
    const auto start = std::chrono::steady_clock::now();
    TestResult result;
    result.name = t.test->name;
    result.package = t.test->package;
    result.span = t.test->span;
    if (const SourceFile* file = file_of(sources, t.test->span)) {
      result.file = file->name();
      result.line = file->line_column(t.test->span.begin).line;
    }
    result.expectations = t.expectations.size();
    eval::EvalContext context(m, t.resources);
    context.set_rules(&rules_);
    if (coverage) context.set_coverage(&touched[t.test->package]);
    for (std::size_t i = 0; i < t.expectations.size(); ++i) {
      const eval::CompiledExpr& e = t.expectations[i];
      const eval::RuleResult r = eval::evaluate_condition(e, context);
      if (r.holds && e.valid()) continue;
      ExpectFailure f;
      f.span = t.statements[i]->span;
      if (const SourceFile* file = file_of(sources, f.span)) {
        const LineColumn lc = file->line_column(f.span.begin);
        f.file = file->name();
        f.line = lc.line;
        f.column = lc.column;
      }
      f.expression = source_text(sources, t.statements[i]->condition->span);
      if (auto operands = eval::comparison_operands(e, context)) {
        f.comparison = true;
        f.op = operands->op;
        f.left_text = source_text(sources, operands->left_expr->span);
        f.right_text = source_text(sources, operands->right_expr->span);
        f.left = eval::format_value(operands->left, e, context);
        f.right = eval::format_value(operands->right, e, context);
      }
      for (const auto& c : r.counterexamples) f.counterexamples.push_back(c.name);
      result.failures.push_back(std::move(f));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.results.push_back(std::move(result));
  }
  if (!coverage) return out;
  // Per package that ran tests, in the order of the selection.
  for (const auto& package : packages_) {
    auto it = touched.find(package);
    if (it == touched.end()) continue;
    const eval::Coverage& read = it->second;
    PackageCoverage pc;
    pc.package = package;
    const bool org_package = m.organization && m.organization->package == package;
    for (model::ServiceId s = 0; s < m.services.size(); ++s) {
      const bool in_scope = m.services[s].package == package || (org_package && m.allowed(s));
      if (!in_scope) continue;
      for (model::RowId r = 0; r < m.rows.size(); ++r) {
        if (!m.rows[r].leaf()) continue;
        ++pc.cells;
        const std::size_t i = static_cast<std::size_t>(s) * m.rows.size() + r;
        if (i < read.cells.size() && read.cells[i]) ++pc.cells_read;
      }
    }
    for (std::size_t r = 0; r < m.rules.size(); ++r) {
      if (m.rules[r].package != package) continue;
      ++pc.rules;
      if (r < read.rules.size() && read.rules[r]) ++pc.rules_evaluated;
      else pc.rules_not_evaluated.push_back(m.rules[r].name);
    }
    out.coverage.push_back(std::move(pc));
  }
  return out;
}

// ---------------------------------------------------------------- text

namespace {

std::string failure_lines(const ExpectFailure& f, const char* indent) {
  std::string out;
  out += fmt::format("{}{}:{}:{}: expect {}\n", indent, f.file, f.line, f.column, f.expression);
  if (f.comparison) {
    // `left:  team(aws.ec2, data) = security`; a literal side shows just its value.
    const auto side = [](const std::string& text, const std::string& value) {
      return text == value ? value : fmt::format("{} = {}", text, value);
    };
    out += fmt::format("{}  left:  {}\n", indent, side(f.left_text, f.left));
    out += fmt::format("{}  right: {}\n", indent, side(f.right_text, f.right));
  }
  if (!f.counterexamples.empty()) out += fmt::format("{}  false for: {}\n", indent, fmt::join(f.counterexamples, ", "));
  if (!f.comparison && f.counterexamples.empty()) out += fmt::format("{}  was false\n", indent);
  return out;
}

std::string percent(double p) { return fmt::format("{:.1f}%", p); }

}  // namespace

std::string render_text(const TestRun& run) {
  std::string out;
  for (const auto& r : run.results) {
    out += fmt::format("{} {}: {}\n", r.passed() ? "ok  " : "FAIL", r.package, r.name);
    for (const auto& f : r.failures) out += failure_lines(f, "      ");
  }
  std::size_t expectations = 0, failed_expectations = 0;
  for (const auto& r : run.results) {
    expectations += r.expectations;
    failed_expectations += r.failures.size();
  }
  out += fmt::format("\n{} test{}, {} passed, {} failed ({} expectation{}, {} failed)\n", run.results.size(),
                     run.results.size() == 1 ? "" : "s", run.passed(), run.failed(), expectations, expectations == 1 ? "" : "s",
                     failed_expectations);
  if (!run.coverage.empty()) {
    out += "\ncoverage (cells: service x leaf area read by owner/team/responsibilities; rules: evaluated by passes/violations)\n";
    for (const auto& c : run.coverage) {
      out += fmt::format("  {}: cells {}/{} ({}), rules {}/{} ({})\n", c.package, c.cells_read, c.cells, percent(c.cell_percent()),
                         c.rules_evaluated, c.rules, c.rules ? percent(c.rule_percent()) : std::string("none declared"));
      if (!c.rules_not_evaluated.empty())
        out += fmt::format("    rules no test evaluates: {}\n", fmt::join(c.rules_not_evaluated, ", "));
    }
  }
  return out;
}

// ---------------------------------------------------------------- junit

namespace {

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";  // not an XML character
        else out += c;
    }
  }
  return out;
}

bool epoch_of(const char* value, std::time_t& out) {
  if (value == nullptr || *value == '\0') return false;
  for (const char* p = value; *p; ++p) {
    if (*p < '0' || *p > '9') return false;
  }
  out = static_cast<std::time_t>(std::strtoll(value, nullptr, 10));
  return true;
}

bool iso_of(const char* value, std::string& out) {
  if (value == nullptr) return false;
  const std::string_view text(value);
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != shape[i]) return false;
  }
  out = std::string(text.substr(0, shape.size()));
  return true;
}

std::string utc(std::time_t seconds) {
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
  return std::string(buffer, n);
}

std::string seconds_text(double s) { return reproducible() ? "0" : fmt::format("{:.6f}", s); }

}  // namespace

bool reproducible() {
  std::time_t t = 0;
  std::string iso;
  return iso_of(std::getenv("ONUS_TIMESTAMP"), iso) || epoch_of(std::getenv("ONUS_TIMESTAMP"), t) ||
         epoch_of(std::getenv("SOURCE_DATE_EPOCH"), t);
}

std::string junit_timestamp() {
  std::string iso;
  if (iso_of(std::getenv("ONUS_TIMESTAMP"), iso)) return iso;
  std::time_t seconds = 0;
  if (epoch_of(std::getenv("ONUS_TIMESTAMP"), seconds)) return utc(seconds);
  if (epoch_of(std::getenv("SOURCE_DATE_EPOCH"), seconds)) return utc(seconds);
  return utc(std::time(nullptr));
}

std::string render_junit(const TestRun& run) {
  const std::string timestamp = junit_timestamp();
  std::vector<std::string> packages;
  for (const auto& r : run.results) {
    if (std::find(packages.begin(), packages.end(), r.package) == packages.end()) packages.push_back(r.package);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  std::size_t id = 0;
  for (const auto& package : packages) {
    std::size_t tests = 0, failures = 0;
    double seconds = 0;
    for (const auto& r : run.results) {
      if (r.package != package) continue;
      ++tests;
      failures += r.passed() ? 0 : 1;
      seconds += r.seconds;
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" package=\"{}\" id=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
        "time=\"{}\" timestamp=\"{}\" hostname=\"localhost\">\n",
        xml_escape(package, true), xml_escape(package, true), id++, tests, failures, seconds_text(seconds), timestamp);
    out += "    <properties>\n";
    for (const auto& c : run.coverage) {
      if (c.package != package) continue;
      out += fmt::format("      <property name=\"coverage.cells\" value=\"{}/{}\"/>\n", c.cells_read, c.cells);
      out += fmt::format("      <property name=\"coverage.rules\" value=\"{}/{}\"/>\n", c.rules_evaluated, c.rules);
    }
    out += "    </properties>\n";
    for (const auto& r : run.results) {
      if (r.package != package) continue;
      const std::string head = fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escape(r.name, true),
                                           xml_escape(package, true), seconds_text(r.seconds));
      if (r.passed()) {
        out += head + "/>\n";
        continue;
      }
      std::string body;
      for (const auto& f : r.failures) body += failure_lines(f, "");
      const ExpectFailure& first = r.failures.front();
      std::string message = fmt::format("expect {}", first.expression);
      if (first.comparison) message += fmt::format(" (left {}, right {})", first.left, first.right);
      else if (!first.counterexamples.empty()) message += fmt::format(" (false for {})", fmt::join(first.counterexamples, ", "));
      if (r.failures.size() > 1) message += fmt::format(" and {} more", r.failures.size() - 1);
      out += head + ">\n";
      out += fmt::format("      <failure message=\"{}\" type=\"expect\">{}</failure>\n", xml_escape(message, true),
                         xml_escape(body, false));
      out += "    </testcase>\n";
    }
    out += "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace onus::testing
