// The text reporter: grouping, locations, waived findings, summary, colour.
#include <catch2/catch.hpp>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_text;
using onus::report::sample::make_sample_report;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string last_line(const std::string& text) {
  const std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

}  // namespace

TEST_CASE("text: no escape sequences without colour, some with it") {
  const auto report = make_sample_report();
  const std::string plain = render_text(report, false);
  CHECK_FALSE(contains(plain, "\x1b"));
  const std::string color = render_text(report, true);
  CHECK(contains(color, "\x1b["));
  CHECK(color != plain);
}

TEST_CASE("text: findings grouped by severity, waived last, counts in the headings") {
  const std::string out = render_text(make_sample_report(), false);
  const auto errors = out.find("Errors (7)");
  const auto warnings = out.find("Warnings (3)");
  const auto notes = out.find("Notes (1)");
  const auto waived = out.find("Waived (1)");
  const auto summary = out.find("Summary");
  REQUIRE(errors != std::string::npos);
  REQUIRE(warnings != std::string::npos);
  REQUIRE(notes != std::string::npos);
  REQUIRE(waived != std::string::npos);
  CHECK(errors < warnings);
  CHECK(warnings < notes);
  CHECK(notes < waived);
  CHECK(waived < summary);
}

TEST_CASE("text: template findings show file:line:col, plan findings the address") {
  const std::string out = render_text(make_sample_report(), false);
  CHECK(contains(out, "error[acme.no_public_ingress] templates/réseau, stack.yaml:12:3 (WebServer): "
                      "security group allows 0.0.0.0/0 on port 22 <ssh> & 3389 \"rdp\""));
  CHECK(contains(out, "error[ONUS001] aws_lambda_function.billing[\"eu-west-1\"]: service aws.lambda is denied"));
  CHECK_FALSE(contains(out, "infra/plan.json:188"));
}

TEST_CASE("text: the policy statement behind each finding") {
  const std::string out = render_text(make_sample_report(), false);
  CHECK(contains(out, "    policy: policies/acme/org.onus:14  deny aws.lambda"));
  CHECK(contains(out, "    policy: <stdlib>/aws/s3.onus:40  service s3"));
}

TEST_CASE("text: a multi-line message stays indented under its finding") {
  const std::string out = render_text(make_sample_report(), false);
  CHECK(contains(out, "responsibilities of aws.s3:\n      data.encryption_at_rest (shared)\n"));
}

TEST_CASE("text: waived findings are marked, with the justification and the waiver") {
  const std::string out = render_text(make_sample_report(), false);
  CHECK(contains(out, "waived error[acme.encryption_has_owner] aws_s3_bucket.archive:"));
  CHECK(contains(out, "waived: Migration tracked in OPS-42: résumé, 100% by 2027-03-31 (policies/acme/rules.onus:30)"));
}

TEST_CASE("text: summary of services, teams and unmapped types, then the counts") {
  const std::string out = render_text(make_sample_report(), false);
  CHECK(contains(out, "services used (6):"));
  CHECK(contains(out, "+ aws.lambda"));
  CHECK(contains(out, "(added)"));
  CHECK(contains(out, "- aws.sqs"));
  CHECK(contains(out, "(removed)"));
  CHECK(contains(out, "platform (team): 4 responsibilities"));
  CHECK(contains(out, "msp (vendor): 1 responsibility"));
  CHECK(contains(out, "(unassigned): 2 responsibilities"));
  CHECK(contains(out, "unmapped resource types (2), not checked:"));
  CHECK(contains(out, "aws_foo_widget  2 resources"));
  CHECK(last_line(out) == "7 errors, 3 warnings, 1 note, 1 waived");
}

TEST_CASE("text: a template run has no added/removed marks") {
  auto report = make_sample_report();
  report.summary.is_plan = false;
  const std::string out = render_text(report, false);
  CHECK_FALSE(contains(out, "(added)"));
  CHECK_FALSE(contains(out, "(removed)"));
}

TEST_CASE("text: an empty report still ends with the counts") {
  onus::report::Report report;
  const std::string out = render_text(report, false);
  CHECK(last_line(out) == "0 errors, 0 warnings, 0 waived");
  CHECK_FALSE(contains(out, "Errors"));
}

TEST_CASE("text: same input, same bytes") {
  CHECK(render_text(make_sample_report(), true) == render_text(make_sample_report(), true));
}

TEST_CASE("text: control characters from inputs cannot drive the terminal") {
  auto report = make_sample_report();
  report.findings[0].resource_address = "evil\x1b[2J";
  report.findings[0].message = "bell\x07 cr\r over \xC2\x9B c1";
  const std::string out = render_text(report, false);
  CHECK_FALSE(contains(out, "\x1b"));
  CHECK_FALSE(contains(out, "\x07"));
  CHECK_FALSE(contains(out, "\r"));
  CHECK(contains(out, "evil\\x1b[2J: bell\\x07 cr\\x0d over \\u009b c1"));
}
