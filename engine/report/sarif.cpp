// SARIF 2.1.0 as GitHub code scanning reads it (see /work/shared/design/pipelines.md).
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kStdlibPrefix = "<stdlib>/";
constexpr const char* kStdlibBase = "ONUS_STDLIB";
constexpr std::size_t kMaxDescription = 1024;  // GitHub's limit for rule descriptions

/// Percent-encodes what a URI reference cannot hold (RFC 3986), keeping `/`.
/// `keep_colon` keeps ':' (a drive letter after file:///).
std::string percent_encode(std::string_view path, bool keep_colon) {
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    const bool allowed = unreserved || c == '/' || c == '!' || c == '$' || c == '&' || c == '\'' ||
                         c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' ||
                         c == '=' || c == '@' || (keep_colon && c == ':');
    if (allowed) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

/// An artifactLocation for a file as the user named it: repo-relative paths stay
/// relative, absolute paths become file:// URIs, embedded policy files are
/// relative to the ONUS_STDLIB base.
Json artifact_location(const std::string& file) {
  Json out = Json::object();
  if (file.rfind(kStdlibPrefix, 0) == 0) {
    out["uri"] = percent_encode(file.substr(std::string_view(kStdlibPrefix).size()), false);
    out["uriBaseId"] = kStdlibBase;
    return out;
  }
  std::string path = file;
  for (auto& c : path) {
    if (c == '\\') c = '/';
  }
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  const bool drive = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) &&
                     path[1] == ':' && path[2] == '/';
  if (!path.empty() && path.front() == '/') {
    out["uri"] = "file://" + percent_encode(path, false);
  } else if (drive) {
    out["uri"] = "file:///" + path.substr(0, 2) + percent_encode(path.substr(2), false);
  } else {
    out["uri"] = percent_encode(path, false);
  }
  return out;
}

Json region_json(std::uint32_t line, std::uint32_t column, std::uint32_t end_line,
                 std::uint32_t end_column, const std::string& snippet) {
  Json region = Json::object();
  region["startLine"] = line > 0 ? line : 1;
  if (column > 0) region["startColumn"] = column;
  if (end_line > 0) region["endLine"] = end_line;
  if (end_column > 0) region["endColumn"] = end_column;
  if (!snippet.empty()) region["snippet"] = Json{{"text", snippet}};
  return region;
}

Json physical_location(const detail::SourcePosition& at, const std::string& snippet) {
  Json physical = Json::object();
  physical["artifactLocation"] = artifact_location(at.file);
  physical["region"] = region_json(at.line, at.column, at.end_line, at.end_column, snippet);
  return physical;
}

Json policy_location(const PolicyRef& ref, const std::string& text) {
  detail::SourcePosition at;
  at.file = ref.file;
  at.line = ref.line > 0 ? ref.line : 1;
  at.column = ref.line > 0 ? ref.column : 0;
  Json location = Json::object();
  location["physicalLocation"] = physical_location(at, ref.statement);
  location["message"] = Json{{"text", text}};
  return location;
}

std::string default_security_severity(Severity level) {
  switch (level) {
    case Severity::error: return "8.0";
    case Severity::warning: return "5.0";
    case Severity::note: return "2.0";
  }
  return "8.0";
}

std::string text_or(const std::string& text, const std::string& fallback) {
  return text.empty() ? fallback : text;
}

Json rule_json(const RuleInfo& rule) {
  const std::string short_text = text_or(rule.short_description, text_or(rule.name, rule.id));
  const std::string full_text = text_or(rule.full_description, short_text);
  Json out = Json::object();
  out["id"] = rule.id;
  if (!rule.name.empty()) out["name"] = rule.name;
  out["shortDescription"] = Json{{"text", detail::truncate_code_points(short_text, kMaxDescription)}};
  out["fullDescription"] = Json{{"text", detail::truncate_code_points(full_text, kMaxDescription)}};
  out["help"] = Json{{"text", text_or(rule.help, full_text)}};
  out["defaultConfiguration"] = Json{{"level", detail::severity_name(rule.level)}};
  Json tags = Json::array();
  bool has_security = false;
  for (const auto& tag : rule.tags) {
    tags.push_back(tag);
    has_security = has_security || tag == "security";
  }
  // security-severity is read by GitHub for results tagged "security".
  if (!has_security) tags.push_back("security");
  Json properties = Json::object();
  properties["tags"] = std::move(tags);
  properties["security-severity"] = text_or(rule.security_severity, default_security_severity(rule.level));
  out["properties"] = std::move(properties);
  return out;
}

/// Where a result points: the template line, else the policy statement (user files
/// first, then the embedded library), else the plan entry, else the first input.
std::optional<detail::SourcePosition> result_position(const Report& report, const Finding& finding) {
  if (auto at = detail::primary_position(finding, false)) return at;
  if (auto at = detail::primary_position(finding, true)) return at;
  detail::SourcePosition at;
  if (!finding.location.file.empty()) {
    at.file = finding.location.file;
    at.line = finding.location.line > 0 ? finding.location.line : 1;
    at.column = finding.location.line > 0 ? finding.location.column : 0;
    at.is_input = true;
    return at;
  }
  if (!report.inputs.empty()) {
    at.file = report.inputs.front();
    at.line = 1;
    at.is_input = true;
    return at;
  }
  return std::nullopt;
}

}  // namespace

std::string render_sarif(const Report& report, std::size_t max_results) {
  // Rules: the report's, plus any rule a finding names without a RuleInfo.
  // A rule listed twice is written once: GitHub requires unique rule ids.
  std::vector<RuleInfo> rules;
  std::map<std::string, std::size_t> rule_index;
  for (const auto& rule : report.rules) {
    if (rule_index.emplace(rule.id, rules.size()).second) rules.push_back(rule);
  }
  for (const auto& finding : report.findings) {
    if (rule_index.count(finding.rule_id) != 0) continue;
    RuleInfo rule;
    rule.id = finding.rule_id;
    rule.level = finding.level;
    rule_index.emplace(rule.id, rules.size());
    rules.push_back(std::move(rule));
  }

  Json driver = Json::object();
  driver["name"] = "onus";
  driver["version"] = report.tool_version;
  if (!report.information_uri.empty()) driver["informationUri"] = report.information_uri;
  Json rules_json = Json::array();
  for (const auto& rule : rules) rules_json.push_back(rule_json(rule));
  driver["rules"] = std::move(rules_json);

  Json results = Json::array();
  bool uses_stdlib = false;
  // Findings are sorted most severe first: a cap keeps the errors.
  const std::size_t shown =
      max_results == 0 ? report.findings.size() : std::min(max_results, report.findings.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const Finding& finding = report.findings[i];
    Json result = Json::object();
    result["ruleId"] = finding.rule_id;
    result["ruleIndex"] = rule_index.at(finding.rule_id);
    result["level"] = detail::severity_name(finding.level);

    const auto at = result_position(report, finding);
    // The message names the resource when the location does not show it.
    std::string message = finding.message.empty() ? std::string("(no message)") : finding.message;
    if (!finding.resource_address.empty() && !(at && at->is_input && detail::has_source_line(finding))) {
      message = finding.resource_address + ": " + message;
    }
    result["message"] = Json{{"text", message}};

    Json location = Json::object();
    if (at) {
      const std::string snippet = at->is_input ? std::string() : finding.policy.statement;
      location["physicalLocation"] = physical_location(*at, snippet);
      uses_stdlib = uses_stdlib || at->file.rfind(kStdlibPrefix, 0) == 0;
    }
    if (!finding.resource_address.empty()) {
      Json logical = Json::object();
      logical["name"] = finding.resource_address;
      logical["fullyQualifiedName"] = finding.resource_address;
      logical["kind"] = "resource";
      location["logicalLocations"] = Json::array({logical});
    }
    if (!location.empty()) result["locations"] = Json::array({location});

    // The policy statement behind it, when the primary location is the template.
    if (at && at->is_input && !finding.policy.file.empty()) {
      Json related = policy_location(finding.policy, "policy statement");
      related["id"] = 1;
      result["relatedLocations"] = Json::array({related});
      uses_stdlib = uses_stdlib || finding.policy.file.rfind(kStdlibPrefix, 0) == 0;
    }

    result["partialFingerprints"] = Json{{"onusFindingHash/v1", detail::fingerprint(finding)}};

    if (finding.waived) {
      Json suppression = Json::object();
      suppression["kind"] = "external";
      suppression["status"] = "accepted";
      if (!finding.waiver_reason.empty()) suppression["justification"] = finding.waiver_reason;
      if (!finding.waiver.file.empty()) {
        suppression["location"] = policy_location(finding.waiver, "waiver");
        uses_stdlib = uses_stdlib || finding.waiver.file.rfind(kStdlibPrefix, 0) == 0;
      }
      result["suppressions"] = Json::array({suppression});
    }

    Json properties = Json::object();
    if (!finding.resource_type.empty()) properties["resourceType"] = finding.resource_type;
    if (!finding.service.empty()) properties["service"] = finding.service;
    if (!properties.empty()) result["properties"] = std::move(properties);
    results.push_back(std::move(result));
  }

  Json run = Json::object();
  run["tool"] = Json{{"driver", std::move(driver)}};
  if (uses_stdlib) {
    run["originalUriBaseIds"] = Json{
        {kStdlibBase,
         Json{{"description", Json{{"text", "The Onus standard library, embedded in the onus binary"}}}}}};
  }
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";
  if (shown < report.findings.size()) {
    std::size_t errors = 0;
    for (std::size_t i = shown; i < report.findings.size(); ++i) {
      errors += !report.findings[i].waived && report.findings[i].level == Severity::error ? 1 : 0;
    }
    const std::size_t omitted = report.findings.size() - shown;
    Json notification = Json::object();
    notification["level"] = "warning";
    notification["message"] = Json{
        {"text", fmt::format("{} of {} findings are not listed ({} of them errors): this log keeps the {} most severe "
                             "(--sarif-max-results; GitHub code scanning keeps at most 5,000 results per run and "
                             "rejects more than 25,000). The json format lists every finding.",
                             omitted, report.findings.size(), errors, shown)}};
    Json invocation = Json::object();
    invocation["executionSuccessful"] = true;
    invocation["toolExecutionNotifications"] = Json::array({std::move(notification)});
    run["invocations"] = Json::array({std::move(invocation)});
    run["properties"] = Json{{"findings", report.findings.size()}, {"findingsOmitted", omitted}};
  }

  Json log = Json::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace onus::report
