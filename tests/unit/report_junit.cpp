// The JUnit reporter: suites per rule, cases per rule x resource, escaping, timestamp.
// (XSD validation runs in tests/scripts/report_formats.sh through validate_report.py.)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <regex>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_junit;
using onus::report::sample::make_sample_report;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

/// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      had_ = true;
      old_ = old;
    }
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_, old_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

}  // namespace

TEST_CASE("junit: one suite per rule with the attributes the strict XSD requires") {
  const ScopedEnv env("ONUS_TIMESTAMP", "2026-01-02T03:04:05Z");
  const std::string out = render_junit(make_sample_report());
  CHECK(out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", 0) == 0);
  CHECK(occurrences(out, "<testsuite ") == 11);
  CHECK(contains(out, "<testsuite name=\"ONUS001 denied-service\" package=\"onus\" id=\"0\" tests=\"9\" "
                      "failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"2026-01-02T03:04:05\" "
                      "hostname=\"localhost\">"));
  CHECK(contains(out, "id=\"10\""));
  CHECK(occurrences(out, "<properties>") == 11);
  CHECK(occurrences(out, "<system-err/>") == 11);
}

TEST_CASE("junit: timestamp from ONUS_TIMESTAMP, then SOURCE_DATE_EPOCH") {
  {
    const ScopedEnv onus("ONUS_TIMESTAMP", "86400");
    const ScopedEnv epoch("SOURCE_DATE_EPOCH", "0");
    CHECK(contains(render_junit(make_sample_report()), "timestamp=\"1970-01-02T00:00:00\""));
  }
  {
    const ScopedEnv onus("ONUS_TIMESTAMP", nullptr);
    const ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
    CHECK(contains(render_junit(make_sample_report()), "timestamp=\"2023-11-14T22:13:20\""));
  }
  {
    const ScopedEnv onus("ONUS_TIMESTAMP", "not a time");
    const ScopedEnv epoch("SOURCE_DATE_EPOCH", nullptr);
    const std::string out = render_junit(make_sample_report());
    CHECK(std::regex_search(out, std::regex("timestamp=\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\"")));
  }
}

TEST_CASE("junit: a failure per finding, waived ones skipped, passing cases for the rest") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "0");
  const std::string out = render_junit(make_sample_report());
  CHECK(occurrences(out, "<failure ") == 11);
  CHECK(occurrences(out, "<skipped ") == 1);
  CHECK(contains(out, "<skipped message=\"waived error: Migration tracked in OPS-42: résumé, 100% by 2027-03-31 "
                      "(policies/acme/rules.onus:30)\"/>"));
  CHECK(contains(out, "<testcase classname=\"ONUS001\" name=\"aws_instance.web\" time=\"0\"/>"));
  // Rules about the policy itself have no per-resource cases.
  CHECK(contains(out, "<testsuite name=\"ONUS010 unused-waiver\" package=\"onus\" id=\"5\" tests=\"1\" failures=\"1\""));
  CHECK(contains(out, "<testcase classname=\"ONUS010\" name=\"policies/acme/rules.onus:34\" time=\"0\">"));
  CHECK(contains(out, "<testcase classname=\"ONUS004\" name=\"aws_foo_widget\" time=\"0\">"));
}

TEST_CASE("junit: attributes and text are escaped") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "0");
  const std::string out = render_junit(make_sample_report());
  CHECK(contains(out, "name=\"aws_lambda_function.billing[&quot;eu-west-1&quot;]\""));
  CHECK(contains(out, "message=\"security group allows 0.0.0.0/0 on port 22 &lt;ssh&gt; &amp; 3389 &quot;rdp&quot;: "));
  CHECK(contains(out, "message=\"no team carries these customer responsibilities of aws.s3:&#10;  data.encryption_at_rest"));
  CHECK(contains(out, "policy: &lt;stdlib&gt;/aws/s3.onus:40  service s3 \"Amazon S3\" {\n"));
}

TEST_CASE("junit: characters XML cannot hold are replaced") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "0");
  auto report = make_sample_report();
  report.findings[0].message = std::string("bell\x07 and bad \xff byte");
  const std::string out = render_junit(report);
  CHECK(contains(out, "message=\"bell\xEF\xBF\xBD and bad \xEF\xBF\xBD byte\""));
  CHECK_FALSE(contains(out, "\x07"));
}

TEST_CASE("junit: test case names are unique within a suite") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "0");
  auto report = make_sample_report();
  // A second finding of the same rule on the same resource, and two policy-wide ones at one line.
  auto again = report.findings[0];
  again.message = "a second reason";
  report.findings.push_back(again);
  auto unused = report.findings[9];
  unused.message = "another unused waiver";
  report.findings.push_back(unused);
  const std::string out = render_junit(report);
  CHECK(contains(out, "name=\"aws_lambda_function.billing[&quot;eu-west-1&quot;] #2\""));
  CHECK(contains(out, "name=\"policies/acme/rules.onus:34 #2\""));
}

TEST_CASE("junit: an empty report is an empty testsuites element") {
  CHECK(render_junit(onus::report::Report{}) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n</testsuites>\n");
}

TEST_CASE("junit: same input, same bytes (with a fixed timestamp)") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "1700000000");
  CHECK(render_junit(make_sample_report()) == render_junit(make_sample_report()));
}

TEST_CASE("junit: a policy-wide rule without findings passes once") {
  const ScopedEnv env("SOURCE_DATE_EPOCH", "0");
  auto report = make_sample_report();
  std::vector<onus::report::Finding> kept;
  for (const auto& finding : report.findings) {
    if (finding.rule_id != "ONUS010") kept.push_back(finding);
  }
  report.findings = kept;
  const std::string out = render_junit(report);
  CHECK(contains(out, "<testsuite name=\"ONUS010 unused-waiver\" package=\"onus\" id=\"5\" tests=\"1\" failures=\"0\""));
  CHECK(contains(out, "<testcase classname=\"ONUS010\" name=\"(policy)\" time=\"0\"/>"));
}
