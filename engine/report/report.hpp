// The result of evaluating policies against inputs, as the reporters see it.
// Everything here is plain data, already sorted: reporters only format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/inputs/resource.hpp"
#include "lang/diagnostic.hpp"

namespace onus::report {

/// A policy statement behind a finding (rule, deny, allow, assign, waive...).
struct PolicyRef {
  std::string file;          ///< path as the user named it, "<stdlib>/..." for embedded files
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;
  std::string statement;     ///< the statement's first source line, trimmed
};

/// One kind of finding, for SARIF `rules[]` and JUnit grouping.
struct RuleInfo {
  std::string id;                 ///< stable: "ONUS001" style for built-ins, "acme.rule_name" for policy rules
  std::string name;               ///< PascalCase-free readable name: "denied-service"
  std::string short_description;
  std::string full_description;
  std::string help;               ///< what to do
  Severity level = Severity::error;
  std::string security_severity;  ///< "8.0" etc. for SARIF properties
  std::vector<std::string> tags;
  /// Checked once per resource (JUnit lists a test case per rule x resource);
  /// false for rules about the policy itself (unused or expired waivers).
  bool per_resource = true;
};

/// One finding.
struct Finding {
  std::string rule_id;
  Severity level = Severity::error;
  std::string message;            ///< says what to do
  std::string resource_address;   ///< empty for findings about the policy as a whole
  std::string resource_type;
  std::string service;            ///< "aws.ec2", may be empty
  inputs::Location location;      ///< input file:line where known
  PolicyRef policy;               ///< the statement behind it
  bool waived = false;
  std::string waiver_reason;
  PolicyRef waiver;               ///< the waive statement when waived
  /// The input the resource came from. Only CloudFormation locations are shown
  /// as source lines (file:line:col); plan and inventory resources are named by address.
  inputs::Format format = inputs::Format::terraform;
};

/// A resource as listed in reports.
struct ResourceRow {
  std::string address;
  std::string type;
  std::string service;  ///< empty when unmapped
  std::string action;   ///< inputs::to_string(Action)
  inputs::Location location;
  inputs::Format format = inputs::Format::terraform;  ///< the input it came from
};

/// An unmapped resource type and how many resources had it.
struct UnmappedType {
  std::string type;
  std::size_t count = 0;
};

/// A service in use and how many resources of it.
struct ServiceUse {
  std::string service;       ///< "aws.lambda"
  std::string title;         ///< "AWS Lambda"
  std::size_t resources = 0;
  bool added = false;        ///< appears only through created resources (plan)
  bool removed = false;      ///< all its resources are being deleted (plan)
};

/// One responsibility carried by the customer side.
struct Responsibility {
  std::string service;  ///< "aws.ec2"
  std::string area;     ///< "guest_os.patching"
  std::string owner;    ///< "customer" or "shared"
  bool added = false;
  bool removed = false;
};

/// Responsibilities grouped by the team or vendor carrying them ("(unassigned)" for gaps).
struct TeamLoad {
  std::string team;
  std::string kind;  ///< "team", "vendor", or "" for unassigned
  std::vector<Responsibility> responsibilities;
};

/// What the run covered, for the human summary.
struct Summary {
  std::vector<ServiceUse> services;
  std::vector<TeamLoad> teams;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  std::size_t waived = 0;
  bool is_plan = false;  ///< added/removed are meaningful
};

/// The whole report of an `onus check` run with inputs.
struct Report {
  std::string tool_version;
  std::string organization;               ///< empty when no organisation is loaded
  std::vector<std::string> inputs;        ///< input files as named by the user
  std::vector<std::string> policies;      ///< policy paths loaded
  std::vector<ResourceRow> resources;     ///< input order
  std::vector<UnmappedType> unmapped;     ///< sorted by type
  std::vector<RuleInfo> rules;            ///< every rule that can produce a finding, sorted by id
  std::vector<Finding> findings;          ///< sorted: severity desc, rule, address
  Summary summary;
  Severity fail_on = Severity::error;     ///< informational
  bool failed = false;                    ///< exit code 1 is due
  std::string information_uri;            ///< project home page (SARIF tool.driver.informationUri); omitted when empty
};

/// Reporters: each returns the complete document.
std::string render_text(const Report& report, bool color);
std::string render_json(const Report& report);
/// GitHub code scanning keeps at most 5,000 results of a SARIF run (and rejects
/// a run of more than 25,000): the default cap of render_sarif.
constexpr std::size_t kSarifResultLimit = 5000;
/// SARIF 2.1.0 with at most `max_results` results (0 = every finding), the most
/// severe first; the findings left out are counted in a tool execution
/// notification and in the run's properties.
std::string render_sarif(const Report& report, std::size_t max_results = kSarifResultLimit);
std::string render_junit(const Report& report);
/// GitHub workflow commands (annotations). `step_summary` gets the Markdown summary.
std::string render_github(const Report& report, std::string& step_summary);
/// A pull-request comment, at most kMarkdownCommentLimit bytes.
std::string render_markdown(const Report& report);

/// GitHub's limit on an issue or pull-request comment body: 65,536 characters
/// (bytes are counted, which is never fewer).
constexpr std::size_t kMarkdownCommentLimit = 65536;
/// GitHub's limit on a job step summary ($GITHUB_STEP_SUMMARY): 1 MiB.
constexpr std::size_t kStepSummaryLimit = std::size_t{1} << 20;

}  // namespace onus::report
