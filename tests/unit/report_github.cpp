// The GitHub reporter: workflow command syntax and escaping, and the step summary.
#include <catch2/catch.hpp>

#include <sstream>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_github;
using onus::report::sample::make_sample_report;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

onus::report::Report one_finding(onus::report::Finding finding) {
  onus::report::Report report;
  report.findings.push_back(std::move(finding));
  report.summary.errors = 1;
  return report;
}

}  // namespace

TEST_CASE("github: one command per finding, by severity, waived as notice") {
  std::string summary;
  const auto lines = lines_of(render_github(make_sample_report(), summary));
  REQUIRE(lines.size() == 13);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notices = 0;
  for (const auto& line : lines) {
    errors += line.rfind("::error ", 0) == 0 ? 1 : 0;
    warnings += line.rfind("::warning ", 0) == 0 ? 1 : 0;
    notices += line.rfind("::notice ", 0) == 0 ? 1 : 0;
  }
  CHECK(errors == 7);
  CHECK(warnings == 3);
  CHECK(notices == 2);
  CHECK(lines.back() == "onus: 7 errors, 3 warnings, 1 note, 1 waived (failed)");
}

TEST_CASE("github: template findings carry file, line and col; properties escaped") {
  std::string summary;
  const std::string out = render_github(make_sample_report(), summary);
  CHECK(contains(out, "::error file=templates/réseau%2C stack.yaml,line=12,col=3,"
                      "title=acme.no_public_ingress WebServer::WebServer: security group allows"));
}

TEST_CASE("github: message escaping of % CR LF, property escaping of : and ,") {
  onus::report::Finding finding;
  finding.rule_id = "acme.rule";
  finding.message = "100% sure\r\nnext: a, b";
  finding.resource_address = "mod:x,y";
  finding.policy.file = "pol,icies/a:b.onus";
  finding.policy.line = 3;
  std::string summary;
  const std::string out = render_github(one_finding(finding), summary);
  CHECK(lines_of(out).front() ==
        "::error file=pol%2Cicies/a%3Ab.onus,line=3,title=acme.rule mod%3Ax%2Cy::"
        "mod:x,y: 100%25 sure%0D%0Anext: a, b%0Apolicy: pol,icies/a:b.onus:3");
}

TEST_CASE("github: without a file, no file or line") {
  onus::report::Finding finding;
  finding.rule_id = "ONUS003";
  finding.message = "no team";
  finding.resource_address = "aws_s3_bucket.logs";
  finding.policy.file = "<stdlib>/aws/s3.onus";  // not a file of the repository
  finding.policy.line = 40;
  std::string summary;
  const std::string out = render_github(one_finding(finding), summary);
  CHECK(lines_of(out).front().rfind("::error title=ONUS003 aws_s3_bucket.logs::aws_s3_bucket.logs: no team", 0) == 0);
}

TEST_CASE("github: the step summary lists every finding, even past GitHub's 10 annotations") {
  auto report = make_sample_report();
  for (int i = 0; i < 15; ++i) {
    auto extra = report.findings[0];
    extra.resource_address = "aws_lambda_function.extra_" + std::to_string(i);
    report.findings.push_back(extra);
  }
  std::string summary;
  render_github(report, summary);
  for (const auto& finding : report.findings) {
    CAPTURE(finding.resource_address);
    if (!finding.resource_address.empty()) CHECK(contains(summary, finding.resource_address.substr(0, 20)));
  }
  CHECK(contains(summary, "aws_lambda_function.extra_14"));
  CHECK(contains(summary, "### Findings"));
  CHECK(contains(summary, "### Services used"));
  CHECK(contains(summary, "### Responsibilities per team"));
}
