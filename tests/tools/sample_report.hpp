// A realistic report for reporter tests: resources from a Terraform plan and a
// CloudFormation template, unmapped types, and findings of every kind, with
// strings that need escaping (% , : newline quotes < > & | and non-ASCII).
// Shared by tests/tools/sample_report.cpp and tests/unit/report_*.cpp.
#pragma once

#include <string>
#include <utility>

#include "engine/report/report.hpp"

namespace onus::report::sample {

inline constexpr const char* kPlan = "infra/plan.json";
inline constexpr const char* kTemplate = "templates/réseau, stack.yaml";
inline constexpr const char* kOrgPolicy = "policies/acme/org.onus";
inline constexpr const char* kRulesPolicy = "policies/acme/rules.onus";

inline PolicyRef policy_ref(std::string file, std::uint32_t line, std::uint32_t column, std::uint32_t end_column,
                            std::string statement) {
  PolicyRef ref;
  ref.file = std::move(file);
  ref.line = line;
  ref.column = column;
  ref.end_line = line;
  ref.end_column = end_column;
  ref.statement = std::move(statement);
  return ref;
}

inline RuleInfo rule(std::string id, std::string name, Severity level, std::string short_description,
                     std::string help, std::string security_severity, bool per_resource = true) {
  RuleInfo info;
  info.id = std::move(id);
  info.name = std::move(name);
  info.level = level;
  info.short_description = short_description;
  info.full_description = short_description + ". Reported by onus check against the deployed resources.";
  info.help = std::move(help);
  info.security_severity = std::move(security_severity);
  info.tags = {"shared-responsibility"};
  info.per_resource = per_resource;
  return info;
}

inline ResourceRow plan_row(std::string address, std::string type, std::string service, std::string action,
                            std::uint32_t line) {
  ResourceRow row;
  row.address = std::move(address);
  row.type = std::move(type);
  row.service = std::move(service);
  row.action = std::move(action);
  row.location = inputs::Location{kPlan, line, 7};
  row.format = inputs::Format::terraform;
  return row;
}

inline ResourceRow template_row(std::string address, std::string type, std::string service, std::uint32_t line) {
  ResourceRow row;
  row.address = std::move(address);
  row.type = std::move(type);
  row.service = std::move(service);
  row.action = "present";
  row.location = inputs::Location{kTemplate, line, 3};
  row.format = inputs::Format::cloudformation;
  return row;
}

/// A finding on a resource row.
inline Finding on(const ResourceRow& row, std::string rule_id, Severity level, std::string message, PolicyRef policy) {
  Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.level = level;
  finding.message = std::move(message);
  finding.resource_address = row.address;
  finding.resource_type = row.type;
  finding.service = row.service;
  finding.location = row.location;
  finding.format = row.format;
  finding.policy = std::move(policy);
  return finding;
}

/// A finding about the policy itself.
inline Finding about_policy(std::string rule_id, Severity level, std::string message, PolicyRef policy) {
  Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.level = level;
  finding.message = std::move(message);
  finding.policy = std::move(policy);
  return finding;
}

inline Responsibility duty(std::string service, std::string area, std::string owner, bool added = false,
                           bool removed = false) {
  return Responsibility{std::move(service), std::move(area), std::move(owner), added, removed};
}

/// The sample: a plan and a template checked against organisation "acme".
inline Report make_sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.information_uri = "https://example.com/onus";
  report.organization = "acme";
  report.inputs = {kPlan, kTemplate};
  report.policies = {"policies/acme"};

  // Resources in input order: the plan, then the template.
  const ResourceRow web = plan_row("aws_instance.web", "aws_instance", "aws.ec2", "update", 120);
  const ResourceRow billing =
      plan_row("aws_lambda_function.billing[\"eu-west-1\"]", "aws_lambda_function", "aws.lambda", "create", 188);
  const ResourceRow logs = plan_row("aws_s3_bucket.logs", "aws_s3_bucket", "aws.s3", "create", 240);
  const ResourceRow archive = plan_row("aws_s3_bucket.archive", "aws_s3_bucket", "aws.s3", "no-op", 301);
  const ResourceRow queue = plan_row("aws_sqs_queue.jobs", "aws_sqs_queue", "aws.sqs", "delete", 355);
  const ResourceRow nat = plan_row("module.net.aws_nat_gateway.main", "aws_nat_gateway", "aws.vpc", "no-op", 402);
  const ResourceRow widget1 = plan_row("aws_foo_widget.a", "aws_foo_widget", "", "create", 450);
  const ResourceRow widget2 = plan_row("aws_foo_widget.b", "aws_foo_widget", "", "create", 470);
  const ResourceRow server = template_row("WebServer", "AWS::EC2::Instance", "aws.ec2", 12);
  const ResourceRow bucket = template_row("Bucket", "AWS::S3::Bucket", "aws.s3", 30);
  const ResourceRow custom = template_row("Thing", "Custom::Thing", "", 44);
  const ResourceRow table = template_row("Table", "AWS::DynamoDB::Table", "aws.dynamodb", 52);
  report.resources = {web, billing, logs, archive, queue, nat, widget1, widget2, server, bucket, custom, table};

  report.unmapped = {{"Custom::Thing", 1}, {"aws_foo_widget", 2}};

  report.rules = {
      rule("ONUS001", "denied-service", Severity::error, "A resource uses a service the organisation denies",
           "Remove the resource, or change the `deny` statement.", "8.0"),
      rule("ONUS002", "service-not-allowed", Severity::error, "A resource uses a service outside the allow list",
           "Add the service to `allow`, or remove the resource.", "7.0"),
      rule("ONUS003", "missing-team", Severity::error, "A customer responsibility has no team",
           "Add an `assign TEAM: SERVICE AREA` statement.", "7.5"),
      rule("ONUS004", "unmapped-type", Severity::warning, "A resource type maps to no service",
           "Add a `resources` mapping for the type.", "4.0", false),
      rule("ONUS005", "responsibility-added", Severity::note, "This change adds customer responsibilities",
           "Make sure the team knows.", "1.0"),
      rule("ONUS010", "unused-waiver", Severity::warning, "A waiver matches no finding",
           "Remove the waiver.", "3.0", false),
      rule("ONUS011", "expired-waiver", Severity::error, "A waiver is past its date",
           "Renew the waiver with a new date, or fix the finding.", "7.0", false),
      rule("acme.encryption_has_owner", "encryption_has_owner", Severity::error,
           "Encryption at rest always has an owning team", "Assign a team to data.encryption_at_rest.", "8.5"),
      rule("acme.mfa_everywhere", "mfa_everywhere", Severity::error, "MFA is enforced by a team",
           "Assign identity.mfa.", "9.0"),
      rule("acme.no_public_ingress", "no_public_ingress", Severity::error, "No ingress from the internet",
           "Restrict the security group.", "9.5"),
      rule("acme.tags_have_owner", "tags_have_owner", Severity::warning, "Resources carry an owner tag",
           "Add an `owner` tag.", "2.0"),
  };

  const PolicyRef deny_lambda =
      policy_ref(kOrgPolicy, 14, 1, 58, "deny aws.lambda \"No functions until runtime patching has an owner\"");
  const PolicyRef allow_list = policy_ref(kOrgPolicy, 12, 1, 45, "allow aws.ec2, aws.lambda, aws.s3, aws.vpc");
  const PolicyRef s3_service = policy_ref("<stdlib>/aws/s3.onus", 40, 1, 29, "service s3 \"Amazon S3\" {");
  const PolicyRef encryption_rule = policy_ref(
      kRulesPolicy, 3, 1, 83, "rule encryption_has_owner mandatory \"Encryption at rest always has an owning team\" {");
  const PolicyRef ingress_rule =
      policy_ref(kRulesPolicy, 9, 1, 60, "rule no_public_ingress hard \"No ingress from the internet\" {");
  const PolicyRef tags_rule =
      policy_ref(kRulesPolicy, 16, 1, 58, "rule tags_have_owner advisory \"Resources carry an owner tag\" {");

  Finding waived = on(archive, "acme.encryption_has_owner", Severity::error,
                      "aws.s3 data.encryption_at_rest has no owning team: assign one", encryption_rule);
  waived.waived = true;
  waived.waiver_reason = "Migration tracked in OPS-42: résumé, 100% by 2027-03-31";
  waived.waiver = policy_ref(kRulesPolicy, 30, 1, 92,
                             "waive encryption_has_owner for \"aws_s3_bucket.archive\" until 2027-03-31 "
                             "\"Migration tracked in OPS-42: résumé, 100% by 2027-03-31\"");

  Finding unmapped = about_policy(
      "ONUS004", Severity::warning,
      "resource type aws_foo_widget (2 resources) maps to no service: add a `resources terraform` mapping",
      PolicyRef{});
  unmapped.resource_type = "aws_foo_widget";
  unmapped.location = widget1.location;

  // Sorted as the engine sorts: severity desc, rule, address.
  report.findings = {
      on(billing, "ONUS001", Severity::error,
         "service aws.lambda is denied by acme (\"No functions until runtime patching has an owner\"): "
         "remove the resource or change the deny statement",
         deny_lambda),
      on(table, "ONUS002", Severity::error,
         "service aws.dynamodb is not in the allow list of acme: add it to `allow`, or remove the resource",
         allow_list),
      on(bucket, "ONUS003", Severity::error,
         "no team carries these customer responsibilities of aws.s3:\n"
         "  data.encryption_at_rest (shared)\n"
         "  identity.access_policies (customer)\n"
         "add `assign TEAM: aws.s3 data` to acme",
         s3_service),
      on(logs, "ONUS003", Severity::error,
         "no team carries data.encryption_at_rest (shared) of aws.s3: add `assign TEAM: aws.s3 data` to acme",
         s3_service),
      about_policy("ONUS011", Severity::error,
                   "waiver of acme.tags_have_owner for \"aws_instance.legacy\" expired on 2026-01-31: "
                   "renew it with a new date, or fix the finding",
                   policy_ref(kRulesPolicy, 38, 1, 70,
                              "waive tags_have_owner for \"aws_instance.legacy\" until 2026-01-31 \"Q4\"")),
      waived,
      on(logs, "acme.encryption_has_owner", Severity::error,
         "bucket encryption at 0% coverage, key: none; set server_side_encryption_configuration, or waive it",
         encryption_rule),
      on(server, "acme.no_public_ingress", Severity::error,
         "security group allows 0.0.0.0/0 on port 22 <ssh> & 3389 \"rdp\": restrict ingress to the VPN range",
         ingress_rule),
      unmapped,
      about_policy("ONUS010", Severity::warning,
                   "waiver of acme.tags_have_owner for \"aws_instance.old\" matches no finding: remove it",
                   policy_ref(kRulesPolicy, 34, 1, 66,
                              "waive tags_have_owner for \"aws_instance.old\" until 2027-06-30 \"Q2\"")),
      on(web, "acme.tags_have_owner", Severity::warning,
         "add an `owner` tag, e.g. owner = \"platform\" | team * _ [x] #1 @octocat", tags_rule),
      on(billing, "ONUS005", Severity::note,
         "aws.lambda adds 2 customer responsibilities for team platform (runtime.patching, application.code)",
         policy_ref("<stdlib>/aws/lambda.onus", 22, 1, 33, "service lambda \"AWS Lambda\" {")),
  };

  Summary& summary = report.summary;
  summary.is_plan = true;
  summary.services = {
      ServiceUse{"aws.dynamodb", "Amazon DynamoDB", 1, false, false},
      ServiceUse{"aws.ec2", "Amazon EC2", 2, false, false},
      ServiceUse{"aws.lambda", "AWS Lambda", 1, true, false},
      ServiceUse{"aws.s3", "Amazon S3", 3, false, false},
      ServiceUse{"aws.sqs", "Amazon SQS | Simple Queue Service", 1, false, true},
      ServiceUse{"aws.vpc", "Amazon VPC", 1, false, false},
  };
  summary.teams = {
      TeamLoad{"platform",
               "team",
               {duty("aws.ec2", "guest_os.patching", "customer"), duty("aws.ec2", "network.security_groups", "customer"),
                duty("aws.lambda", "application.code", "customer", true),
                duty("aws.lambda", "runtime.patching", "shared", true)}},
      TeamLoad{"sécurité",
               "team",
               {duty("aws.ec2", "identity.access_policies", "customer"),
                duty("aws.s3", "identity.access_policies", "customer"),
                duty("aws.sqs", "identity.access_policies", "customer", false, true)}},
      TeamLoad{"msp", "vendor", {duty("aws.ec2", "guest_os.hardening", "customer")}},
      TeamLoad{"(unassigned)",
               "",
               {duty("aws.s3", "data.encryption_at_rest", "shared"),
                duty("aws.sqs", "data.encryption_at_rest", "shared", false, true)}},
  };
  summary.errors = 7;
  summary.warnings = 3;
  summary.notes = 1;
  summary.waived = 1;
  report.fail_on = Severity::error;
  report.failed = true;
  return report;
}

}  // namespace onus::report::sample
