// JSON: the machine-readable report, schema in docs/json-output.md (version 1).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"
#include "lang/source.hpp"

namespace onus::report {

namespace {

using Json = nlohmann::ordered_json;

/// A 1-based number, or null when unknown (0).
Json number_or_null(std::uint32_t value) { return value == 0 ? Json(nullptr) : Json(value); }

/// A string, or null when empty.
Json string_or_null(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

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

// The two large arrays (resources, findings) are written directly instead of
// through a DOM: on a 100,000-resource plan the DOM cost most of the run. The
// layout is exactly nlohmann's dump(2) so that the document is the same.

/// Appends `text` as a JSON string (nlohmann's escaping; invalid UTF-8 -> U+FFFD).
void put_string(std::string& out, std::string_view text) {
  std::size_t bad = 0;
  std::string repaired;
  if (!is_valid_utf8(text, bad)) {
    repaired = Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
    out += repaired;
    return;
  }
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

/// `"key": ` at an indentation.
void put_key(std::string& out, int indent, std::string_view key) {
  out.append(static_cast<std::size_t>(indent), ' ');
  put_string(out, key);
  out += ": ";
}

void put_string_or_null(std::string& out, const std::string& value) {
  if (value.empty()) out += "null";
  else put_string(out, value);
}

void put_number_or_null(std::string& out, std::uint32_t value) {
  if (value == 0) out += "null";
  else out += std::to_string(value);
}

/// A small value (object, array) dumped by nlohmann and indented to `indent`.
void put_dump(std::string& out, const Json& value, int indent) {
  const std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
  for (const char c : text) {
    out += c;
    if (c == '\n') out.append(static_cast<std::size_t>(indent), ' ');
  }
}

/// The members of one object, written in dump(2)'s layout at `indent`: member()
/// starts a member and returns the text to append its value to; close() ends it.
class ObjectWriter {
 public:
  ObjectWriter(std::string& out, int indent) : out_(out), indent_(indent) { out_ += "{\n"; }
  std::string& member(std::string_view key) {
    if (!first_) out_ += ",\n";
    first_ = false;
    put_key(out_, indent_ + 2, key);
    return out_;
  }
  void close() {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(indent_), ' ');
    out_ += '}';
  }

 private:
  std::string& out_;
  int indent_;
  bool first_ = true;
};

/// An array of `items` at `indent` (`[]` when empty), each written by put_item.
template <typename Items, typename PutItem>
void put_array(std::string& out, const Items& items, int indent, PutItem put_item) {
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ",\n";
    first = false;
    out.append(static_cast<std::size_t>(indent + 2), ' ');
    put_item(item);
  }
  out += '\n';
  out.append(static_cast<std::size_t>(indent), ' ');
  out += ']';
}

void put_location(std::string& out, const inputs::Location& location, int indent) {
  if (location.file.empty()) {
    out += "null";
    return;
  }
  ObjectWriter object(out, indent);
  put_string(object.member("file"), location.file);
  put_number_or_null(object.member("line"), location.line);
  put_number_or_null(object.member("column"), location.column);
  object.close();
}

Json string_array(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

void put_resources(std::string& out, const Report& report) {
  put_array(out, report.resources, 2, [&out](const ResourceRow& row) {
    ObjectWriter object(out, 4);
    put_string(object.member("address"), row.address);
    put_string(object.member("type"), row.type);
    put_string(object.member("format"), detail::input_format_name(row.format));
    put_string_or_null(object.member("service"), row.service);
    put_string(object.member("action"), row.action);
    put_location(object.member("location"), row.location, 6);
    object.close();
  });
}

void put_findings(std::string& out, const Report& report) {
  put_array(out, report.findings, 2, [&out](const Finding& finding) {
    ObjectWriter object(out, 4);
    put_string(object.member("rule_id"), finding.rule_id);
    put_string(object.member("level"), detail::severity_name(finding.level));
    put_string(object.member("message"), finding.message);
    put_string_or_null(object.member("resource"), finding.resource_address);
    put_string_or_null(object.member("resource_type"), finding.resource_type);
    put_string_or_null(object.member("service"), finding.service);
    std::string& format = object.member("format");
    if (finding.resource_address.empty()) format += "null";
    else put_string(format, detail::input_format_name(finding.format));
    put_location(object.member("location"), finding.location, 6);
    put_dump(object.member("policy"), policy_json(finding.policy), 6);
    object.member("waived") += finding.waived ? "true" : "false";
    std::string& waiver = object.member("waiver");
    if (finding.waived) {
      Json item = Json::object();
      item["reason"] = finding.waiver_reason;
      item["statement"] = policy_json(finding.waiver);
      put_dump(waiver, item, 6);
    } else {
      waiver += "null";
    }
    put_string(object.member("fingerprint"), detail::fingerprint(finding));
    object.close();
  });
}

Json summary_json(const Report& report) {
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
  return out_summary;
}

Json rules_json(const Report& report) {
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
  return rules;
}

}  // namespace

std::string render_json(const Report& report) {
  std::string out;
  out.reserve(256 * (report.resources.size() + 2 * report.findings.size()) + 4096);
  ObjectWriter document(out, 0);
  put_dump(document.member("version"), 1, 2);
  put_dump(document.member("tool"), Json{{"name", "onus"}, {"version", report.tool_version}}, 2);
  put_dump(document.member("organization"), string_or_null(report.organization), 2);
  put_dump(document.member("inputs"), string_array(report.inputs), 2);
  put_dump(document.member("policies"), string_array(report.policies), 2);
  put_resources(document.member("resources"), report);
  Json unmapped = Json::array();
  for (const auto& type : report.unmapped) unmapped.push_back(Json{{"type", type.type}, {"count", type.count}});
  put_dump(document.member("unmapped"), unmapped, 2);
  put_dump(document.member("rules"), rules_json(report), 2);
  put_findings(document.member("findings"), report);
  put_dump(document.member("summary"), summary_json(report), 2);
  document.close();
  out += '\n';
  return out;
}

}  // namespace onus::report
