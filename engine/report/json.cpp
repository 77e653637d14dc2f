// JSON: the machine-readable report, schema in docs/json-output.md (version 1).
#include <nlohmann/json.hpp>

#include <string>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace {

using Json = nlohmann::ordered_json;

/// A 1-based number, or null when unknown (0).
Json number_or_null(std::uint32_t value) { return value == 0 ? Json(nullptr) : Json(value); }

/// A string, or null when empty.
Json string_or_null(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

/// {"file","line","column"}, or null without a file.
Json location_json(const inputs::Location& location) {
  if (location.file.empty()) return nullptr;
  Json out = Json::object();
  out["file"] = location.file;
  out["line"] = number_or_null(location.line);
  out["column"] = number_or_null(location.column);
  return out;
}

/// {"file","line","column","end_line","end_column","statement"}, or null without a file.
Json policy_json(const PolicyRef& ref) {
  if (ref.file.empty()) return nullptr;
  Json out = Json::object();
  out["file"] = ref.file;
  out["line"] = number_or_null(ref.line);
  out["column"] = number_or_null(ref.column);
  out["end_line"] = number_or_null(ref.end_line);
  out["end_column"] = number_or_null(ref.end_column);
  out["statement"] = ref.statement;
  return out;
}

Json string_array(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

}  // namespace

std::string render_json(const Report& report) {
  Json doc = Json::object();
  doc["version"] = 1;
  doc["tool"] = Json{{"name", "onus"}, {"version", report.tool_version}};
  doc["organization"] = string_or_null(report.organization);
  doc["inputs"] = string_array(report.inputs);
  doc["policies"] = string_array(report.policies);

  Json resources = Json::array();
  for (const auto& row : report.resources) {
    Json item = Json::object();
    item["address"] = row.address;
    item["type"] = row.type;
    item["format"] = detail::input_format_name(row.format);
    item["service"] = string_or_null(row.service);
    item["action"] = row.action;
    item["location"] = location_json(row.location);
    resources.push_back(std::move(item));
  }
  doc["resources"] = std::move(resources);

  Json unmapped = Json::array();
  for (const auto& type : report.unmapped) {
    unmapped.push_back(Json{{"type", type.type}, {"count", type.count}});
  }
  doc["unmapped"] = std::move(unmapped);

  Json rules = Json::array();
  for (const auto& rule : report.rules) {
    Json item = Json::object();
    item["id"] = rule.id;
    item["name"] = rule.name;
    item["level"] = detail::severity_name(rule.level);
    item["short_description"] = rule.short_description;
    item["full_description"] = rule.full_description;
    item["help"] = rule.help;
    item["security_severity"] = string_or_null(rule.security_severity);
    item["tags"] = string_array(rule.tags);
    item["per_resource"] = rule.per_resource;
    rules.push_back(std::move(item));
  }
  doc["rules"] = std::move(rules);

  Json findings = Json::array();
  for (const auto& finding : report.findings) {
    Json item = Json::object();
    item["rule_id"] = finding.rule_id;
    item["level"] = detail::severity_name(finding.level);
    item["message"] = finding.message;
    item["resource"] = string_or_null(finding.resource_address);
    item["resource_type"] = string_or_null(finding.resource_type);
    item["service"] = string_or_null(finding.service);
    item["format"] = finding.resource_address.empty() ? Json(nullptr)
                                                      : Json(detail::input_format_name(finding.format));
    item["location"] = location_json(finding.location);
    item["policy"] = policy_json(finding.policy);
    item["waived"] = finding.waived;
    if (finding.waived) {
      Json waiver = Json::object();
      waiver["reason"] = finding.waiver_reason;
      waiver["statement"] = policy_json(finding.waiver);
      item["waiver"] = std::move(waiver);
    } else {
      item["waiver"] = nullptr;
    }
    item["fingerprint"] = detail::fingerprint(finding);
    findings.push_back(std::move(item));
  }
  doc["findings"] = std::move(findings);

  const Summary& summary = report.summary;
  Json out_summary = Json::object();
  out_summary["verdict"] = detail::verdict(report);
  out_summary["failed"] = report.failed;
  out_summary["fail_on"] = detail::severity_name(report.fail_on);
  out_summary["errors"] = summary.errors;
  out_summary["warnings"] = summary.warnings;
  out_summary["notes"] = summary.notes;
  out_summary["waived"] = summary.waived;
  out_summary["is_plan"] = summary.is_plan;
  Json services = Json::array();
  for (const auto& service : summary.services) {
    Json item = Json::object();
    item["service"] = service.service;
    item["title"] = service.title;
    item["resources"] = service.resources;
    item["added"] = service.added;
    item["removed"] = service.removed;
    services.push_back(std::move(item));
  }
  out_summary["services"] = std::move(services);
  Json teams = Json::array();
  for (const auto& team : summary.teams) {
    Json item = Json::object();
    item["team"] = team.team;
    item["kind"] = string_or_null(team.kind);
    Json responsibilities = Json::array();
    for (const auto& r : team.responsibilities) {
      Json entry = Json::object();
      entry["service"] = r.service;
      entry["area"] = r.area;
      entry["owner"] = r.owner;
      entry["added"] = r.added;
      entry["removed"] = r.removed;
      responsibilities.push_back(std::move(entry));
    }
    item["responsibilities"] = std::move(responsibilities);
    teams.push_back(std::move(item));
  }
  out_summary["teams"] = std::move(teams);
  doc["summary"] = std::move(out_summary);

  // Invalid UTF-8 in inputs becomes U+FFFD instead of an exception.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace onus::report
