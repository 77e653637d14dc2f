// The JSON reporter: documented field names (docs/json-output.md), escaping, nulls.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_json;
using onus::report::sample::make_sample_report;
using Json = nlohmann::ordered_json;

namespace {

std::vector<std::string> keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& item : object.items()) out.push_back(item.key());
  return out;
}

}  // namespace

TEST_CASE("json: top-level fields in documented order") {
  const Json doc = Json::parse(render_json(make_sample_report()));
  CHECK(keys(doc) == std::vector<std::string>{"version", "tool", "organization", "inputs", "policies",
                                               "resources", "unmapped", "rules", "findings", "summary"});
  CHECK(doc["version"] == 1);
  CHECK(doc["tool"]["name"] == "onus");
  CHECK(doc["tool"]["version"] == "0.1.0");
  CHECK(doc["organization"] == "acme");
  CHECK(doc["inputs"] == Json::array({"infra/plan.json", "templates/réseau, stack.yaml"}));
}

TEST_CASE("json: resources with service, action, format and location") {
  const Json doc = Json::parse(render_json(make_sample_report()));
  const Json& resources = doc["resources"];
  REQUIRE(resources.size() == 12);
  CHECK(keys(resources[0]) ==
        std::vector<std::string>{"address", "type", "format", "service", "action", "location"});
  CHECK(resources[0]["address"] == "aws_instance.web");
  CHECK(resources[0]["format"] == "terraform");
  CHECK(resources[0]["location"] == Json{{"file", "infra/plan.json"}, {"line", 120}, {"column", 7}});
  // Unmapped resources have no service.
  CHECK(resources[6]["service"].is_null());
  CHECK(resources[8]["format"] == "cloudformation");
  CHECK(doc["unmapped"][1] == Json{{"type", "aws_foo_widget"}, {"count", 2}});
}

TEST_CASE("json: findings keep their text exactly, escaped by the JSON encoder") {
  const auto report = make_sample_report();
  const Json doc = Json::parse(render_json(report));
  const Json& findings = doc["findings"];
  REQUIRE(findings.size() == report.findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    CHECK(findings[i]["message"] == report.findings[i].message);
    CHECK(findings[i]["rule_id"] == report.findings[i].rule_id);
  }
  const Json& denied = findings[0];
  CHECK(denied["level"] == "error");
  CHECK(denied["resource"] == "aws_lambda_function.billing[\"eu-west-1\"]");
  CHECK(denied["policy"]["file"] == "policies/acme/org.onus");
  CHECK(denied["policy"]["line"] == 14);
  CHECK(denied["waived"] == false);
  CHECK(denied["waiver"].is_null());
  CHECK(denied["fingerprint"].get<std::string>().size() == 16);
}

TEST_CASE("json: a waived finding carries its waiver, a policy-wide finding nulls") {
  const Json doc = Json::parse(render_json(make_sample_report()));
  bool saw_waived = false;
  bool saw_policy_wide = false;
  for (const auto& finding : doc["findings"]) {
    if (finding["waived"] == true) {
      saw_waived = true;
      CHECK(finding["waiver"]["reason"] == "Migration tracked in OPS-42: résumé, 100% by 2027-03-31");
      CHECK(finding["waiver"]["statement"]["line"] == 30);
    }
    if (finding["rule_id"] == "ONUS011") {
      saw_policy_wide = true;
      CHECK(finding["resource"].is_null());
      CHECK(finding["location"].is_null());
      CHECK(finding["format"].is_null());
    }
  }
  CHECK(saw_waived);
  CHECK(saw_policy_wide);
}

TEST_CASE("json: summary") {
  const Json summary = Json::parse(render_json(make_sample_report()))["summary"];
  CHECK(summary["verdict"] == "failed");
  CHECK(summary["failed"] == true);
  CHECK(summary["fail_on"] == "error");
  CHECK(summary["errors"] == 7);
  CHECK(summary["warnings"] == 3);
  CHECK(summary["notes"] == 1);
  CHECK(summary["waived"] == 1);
  CHECK(summary["is_plan"] == true);
  CHECK(summary["services"][2] == Json{{"service", "aws.lambda"}, {"title", "AWS Lambda"}, {"resources", 1},
                                       {"added", true}, {"removed", false}});
  CHECK(summary["teams"][3]["team"] == "(unassigned)");
  CHECK(summary["teams"][3]["kind"].is_null());
  CHECK(summary["teams"][0]["responsibilities"][2]["area"] == "application.code");
}

TEST_CASE("json: an empty report and a missing organisation") {
  const Json doc = Json::parse(render_json(onus::report::Report{}));
  CHECK(doc["organization"].is_null());
  CHECK(doc["findings"].empty());
  CHECK(doc["summary"]["verdict"] == "passed");
}

TEST_CASE("json: invalid UTF-8 is replaced, not thrown") {
  auto report = make_sample_report();
  report.findings[0].message = "bad \xff byte";
  std::string out;
  REQUIRE_NOTHROW(out = render_json(report));
  CHECK(Json::parse(out)["findings"][0]["message"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("json: same input, same bytes") {
  CHECK(render_json(make_sample_report()) == render_json(make_sample_report()));
}
