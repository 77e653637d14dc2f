// The SARIF reporter: structure GitHub code scanning reads (full schema validation
// runs in tests/scripts/report_formats.sh through tests/tools/validate_report.py).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_sarif;
using onus::report::sample::make_sample_report;
using Json = nlohmann::ordered_json;

namespace {

const Json* result_for(const Json& run, const std::string& rule, const std::string& resource) {
  for (const auto& result : run["results"]) {
    if (result["ruleId"] != rule) continue;
    const Json& location = result["locations"][0];
    const std::string name =
        location.contains("logicalLocations") ? location["logicalLocations"][0]["fullyQualifiedName"].get<std::string>()
                                              : std::string();
    if (name == resource) return &result;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("sarif: log, run and driver") {
  const Json log = Json::parse(render_sarif(make_sample_report()));
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const Json& driver = log["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "onus");
  CHECK(driver["version"] == "0.1.0");
  CHECK(driver["informationUri"] == "https://example.com/onus");
  CHECK(driver["rules"].size() == 11);
}

TEST_CASE("sarif: rules carry what GitHub requires") {
  const Json log = Json::parse(render_sarif(make_sample_report()));
  for (const auto& rule : log["runs"][0]["tool"]["driver"]["rules"]) {
    CAPTURE(rule.dump());
    CHECK_FALSE(rule["id"].get<std::string>().empty());
    CHECK_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    CHECK_FALSE(rule["fullDescription"]["text"].get<std::string>().empty());
    CHECK_FALSE(rule["help"]["text"].get<std::string>().empty());
    CHECK(rule["properties"]["security-severity"].is_string());
    const std::string level = rule["defaultConfiguration"]["level"];
    CHECK((level == "error" || level == "warning" || level == "note"));
  }
}

TEST_CASE("sarif: every result names a rule that exists, at its index") {
  const Json run = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  const Json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(run["results"].size() == 12);
  for (const auto& result : run["results"]) {
    const std::size_t index = result["ruleIndex"];
    REQUIRE(index < rules.size());
    CHECK(rules[index]["id"] == result["ruleId"]);
    CHECK_FALSE(result["message"]["text"].get<std::string>().empty());
    CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() >= 1);
  }
}

TEST_CASE("sarif: a plan finding points at the policy statement and names the resource") {
  const Json run = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  const Json* result = result_for(run, "ONUS001", "aws_lambda_function.billing[\"eu-west-1\"]");
  REQUIRE(result != nullptr);
  const Json& physical = (*result)["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "policies/acme/org.onus");
  CHECK(physical["region"]["startLine"] == 14);
  CHECK(physical["region"]["startColumn"] == 1);
  CHECK((*result)["message"]["text"].get<std::string>().rfind("aws_lambda_function.billing[\"eu-west-1\"]: ", 0) == 0);
}

TEST_CASE("sarif: a template finding points at the template, percent-encoded, policy as related") {
  const Json run = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  const Json* result = result_for(run, "acme.no_public_ingress", "WebServer");
  REQUIRE(result != nullptr);
  const Json& physical = (*result)["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "templates/r%C3%A9seau,%20stack.yaml");
  CHECK(physical["region"]["startLine"] == 12);
  CHECK(physical["region"]["startColumn"] == 3);
  CHECK((*result)["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/acme/rules.onus");
}

TEST_CASE("sarif: embedded policy files are relative to ONUS_STDLIB") {
  const Json run = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  const Json* result = result_for(run, "ONUS003", "aws_s3_bucket.logs");
  REQUIRE(result != nullptr);
  const Json& artifact = (*result)["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK(artifact["uri"] == "aws/s3.onus");
  CHECK(artifact["uriBaseId"] == "ONUS_STDLIB");
  CHECK(run["originalUriBaseIds"].contains("ONUS_STDLIB"));
}

TEST_CASE("sarif: absolute paths become file URIs") {
  auto report = make_sample_report();
  report.findings[1].location.file = "/home/ci/work/my stack.yaml";
  const Json run = Json::parse(render_sarif(report))["runs"][0];
  CHECK(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///home/ci/work/my%20stack.yaml");
}

TEST_CASE("sarif: waived findings are suppressed with the justification") {
  const Json run = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  const Json* result = result_for(run, "acme.encryption_has_owner", "aws_s3_bucket.archive");
  REQUIRE(result != nullptr);
  const Json& suppression = (*result)["suppressions"][0];
  CHECK(suppression["kind"] == "external");
  CHECK(suppression["justification"] == "Migration tracked in OPS-42: résumé, 100% by 2027-03-31");
  CHECK(suppression["location"]["physicalLocation"]["region"]["startLine"] == 30);
  const Json* open = result_for(run, "acme.encryption_has_owner", "aws_s3_bucket.logs");
  REQUIRE(open != nullptr);
  CHECK_FALSE(open->contains("suppressions"));
}

TEST_CASE("sarif: fingerprints are stable and distinct") {
  const Json first = Json::parse(render_sarif(make_sample_report()))["runs"][0];
  auto moved = make_sample_report();
  for (auto& finding : moved.findings) finding.location.line += 10;  // lines move, findings stay
  const Json second = Json::parse(render_sarif(moved))["runs"][0];
  std::set<std::string> seen;
  for (std::size_t i = 0; i < first["results"].size(); ++i) {
    const std::string print = first["results"][i]["partialFingerprints"]["onusFindingHash/v1"];
    CHECK(print.size() == 16);
    CHECK(print == second["results"][i]["partialFingerprints"]["onusFindingHash/v1"]);
    CHECK(seen.insert(print).second);
  }
}

TEST_CASE("sarif: a finding whose rule is not listed still gets a rule") {
  auto report = make_sample_report();
  report.rules.clear();
  const Json run = Json::parse(render_sarif(report))["runs"][0];
  std::set<std::string> ids;
  for (const auto& rule : run["tool"]["driver"]["rules"]) ids.insert(rule["id"]);
  for (const auto& result : run["results"]) CHECK(ids.count(result["ruleId"]) == 1);
}

TEST_CASE("sarif: long descriptions are cut to GitHub's 1024 characters") {
  auto report = make_sample_report();
  report.rules[0].full_description = std::string(3000, 'x');
  const Json run = Json::parse(render_sarif(report))["runs"][0];
  CHECK(run["tool"]["driver"]["rules"][0]["fullDescription"]["text"].get<std::string>().size() == 1024);
}

TEST_CASE("sarif: same input, same bytes") {
  CHECK(render_sarif(make_sample_report()) == render_sarif(make_sample_report()));
}

TEST_CASE("sarif: a rule listed twice is written once") {
  auto report = make_sample_report();
  report.rules.push_back(report.rules[0]);
  const Json run = Json::parse(render_sarif(report))["runs"][0];
  CHECK(run["tool"]["driver"]["rules"].size() == 11);
}

TEST_CASE("sarif: the same logical id in two templates gets two fingerprints") {
  auto report = make_sample_report();
  auto twin = report.findings[1];  // ONUS002 on template resource "Table"
  REQUIRE(twin.format == onus::inputs::Format::cloudformation);
  twin.location.file = "templates/other.yaml";
  report.findings.insert(report.findings.begin() + 2, twin);
  const Json run = Json::parse(render_sarif(report))["runs"][0];
  CHECK(run["results"][1]["partialFingerprints"] != run["results"][2]["partialFingerprints"]);
}

TEST_CASE("sarif: a cap keeps the most severe results and says how many were left out") {
  const auto report = make_sample_report();
  REQUIRE(report.findings.size() > 3);
  const Json run = Json::parse(render_sarif(report, 3))["runs"][0];
  REQUIRE(run["results"].size() == 3);
  CHECK(run["results"][0]["ruleId"] == report.findings[0].rule_id);
  CHECK(run["results"][2]["ruleId"] == report.findings[2].rule_id);
  CHECK(run["properties"]["findings"] == report.findings.size());
  CHECK(run["properties"]["findingsOmitted"] == report.findings.size() - 3);
  const Json& notification = run["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(notification["level"] == "warning");
  CHECK(notification["message"]["text"].get<std::string>().starts_with(
      std::to_string(report.findings.size() - 3) + " of " + std::to_string(report.findings.size()) + " findings are not listed"));
  // 0 lists everything, as does a cap above the count; neither adds a notification.
  for (const std::size_t cap : {std::size_t{0}, report.findings.size()}) {
    const Json all = Json::parse(render_sarif(report, cap))["runs"][0];
    CHECK(all["results"].size() == report.findings.size());
    CHECK_FALSE(all.contains("invocations"));
    CHECK_FALSE(all.contains("properties"));
  }
  CHECK(onus::report::kSarifResultLimit == 5000);  // GitHub code scanning's display limit
}
