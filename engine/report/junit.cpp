// JUnit XML as GitLab and Jenkins read it, valid against windyroad's strict JUnit.xsd:
// one <testsuite> per rule, one <testcase> per rule x resource, a <failure> per finding,
// waived findings as <skipped>.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"

namespace onus::report {

namespace {

/// Escapes XML text; `attribute` also escapes quotes and keeps line breaks as
/// character references. Characters XML 1.0 cannot hold become U+FFFD.
std::string xml_escape(std::string_view raw, bool attribute) {
  const std::string text = detail::valid_utf8(raw);
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += attribute ? "&quot;" : "\""; continue;
      case '\'': out += attribute ? "&apos;" : "'"; continue;
      case '\n': out += attribute ? "&#10;" : "\n"; continue;
      case '\r': out += "&#13;"; continue;
      case '\t': out += attribute ? "&#9;" : "\t"; continue;
      default: break;
    }
    if (byte < 0x20) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    // U+FFFE and U+FFFF are not XML characters either.
    if (byte == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

bool parse_epoch(const char* value, std::time_t& out) {
  if (value == nullptr || *value == '\0') return false;
  for (const char* p = value; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
  }
  char* end = nullptr;
  const long long seconds = std::strtoll(value, &end, 10);
  if (end == nullptr || *end != '\0' || seconds < 0) return false;
  out = static_cast<std::time_t>(seconds);
  return true;
}

/// "YYYY-MM-DDTHH:MM:SS" at the start of `value` (a trailing "Z", offset or fraction is dropped).
bool parse_iso(const char* value, std::string& out) {
  if (value == nullptr) return false;
  const std::string_view text(value);
  if (text.size() < 19) return false;
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = text[i];
    if (shape[i] == 'd' ? (c < '0' || c > '9') : c != shape[i]) return false;
  }
  out = std::string(text.substr(0, 19));
  return true;
}

std::string format_utc(std::time_t seconds) {
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
  return std::string(buffer, length);
}

/// The schema requires a timestamp without time zone (UTC here). ONUS_TIMESTAMP
/// (ISO or epoch seconds), then SOURCE_DATE_EPOCH, keep output reproducible;
/// only without them is the current time used.
std::string junit_timestamp() {
  const char* onus = std::getenv("ONUS_TIMESTAMP");
  std::string iso;
  if (parse_iso(onus, iso)) return iso;
  std::time_t seconds = 0;
  if (parse_epoch(onus, seconds)) return format_utc(seconds);
  if (parse_epoch(std::getenv("SOURCE_DATE_EPOCH"), seconds)) return format_utc(seconds);
  return format_utc(std::time(nullptr));
}

struct TestCase {
  std::string name;
  const Finding* finding = nullptr;  ///< nullptr: passed
};

/// Gives each case of a suite a unique name ("name", "name #2", ...): GitLab keys
/// cases by classname + name and drops duplicates.
class CaseNames {
 public:
  std::string unique(const std::string& wanted) {
    std::string base = wanted.empty() ? std::string("(policy)") : wanted;
    if (taken_.insert(base).second) return base;
    for (std::size_t n = 2;; ++n) {
      std::string candidate = fmt::format("{} #{}", base, n);
      if (taken_.insert(candidate).second) return candidate;
    }
  }

 private:
  std::unordered_set<std::string> taken_;
};

std::string failure_body(const Finding& finding) {
  std::string body;
  body += fmt::format("rule: {}\n", finding.rule_id);
  body += fmt::format("severity: {}\n", detail::severity_name(finding.level));
  if (!finding.resource_address.empty()) {
    body += fmt::format("resource: {}", finding.resource_address);
    if (!finding.resource_type.empty()) body += fmt::format(" ({})", finding.resource_type);
    body += '\n';
  }
  if (!finding.service.empty()) body += fmt::format("service: {}\n", finding.service);
  if (!finding.location.file.empty()) {
    body += fmt::format("location: {}\n", detail::location_string(finding.location.file, finding.location.line,
                                                                  finding.location.column));
  }
  const std::string policy = detail::policy_string(finding.policy);
  if (!policy.empty()) body += fmt::format("policy: {}  {}\n", policy, finding.policy.statement);
  body += fmt::format("message: {}\n", finding.message);
  return body;
}

}  // namespace

std::string render_junit(const Report& report) {
  // Rules sorted by id, plus rules named only by findings.
  std::vector<RuleInfo> rules;
  std::set<std::string> known;
  for (const auto& rule : report.rules) {
    if (known.insert(rule.id).second) rules.push_back(rule);
  }
  for (const auto& finding : report.findings) {
    if (!known.insert(finding.rule_id).second) continue;
    RuleInfo rule;
    rule.id = finding.rule_id;
    rule.level = finding.level;
    rules.push_back(std::move(rule));
  }
  std::stable_sort(rules.begin(), rules.end(),
                   [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });

  // Resource addresses that occur more than once (the same logical id in two templates).
  std::unordered_map<std::string_view, std::size_t> address_count;
  for (const auto& row : report.resources) ++address_count[row.address];

  const std::string timestamp = junit_timestamp();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  std::size_t suite_id = 0;
  for (const auto& rule : rules) {
    std::vector<const Finding*> findings;
    for (const auto& finding : report.findings) {
      if (finding.rule_id == rule.id) findings.push_back(&finding);
    }
    std::vector<bool> placed(findings.size(), false);
    std::vector<TestCase> cases;
    CaseNames names;
    // The rule's findings by resource address (in report order), so that each
    // resource meets only its own findings: linear in resources + findings.
    std::unordered_map<std::string_view, std::vector<std::size_t>> by_address;
    for (std::size_t i = 0; i < findings.size(); ++i) by_address[findings[i]->resource_address].push_back(i);
    static const std::vector<std::size_t> kNone;

    if (rule.per_resource) {
      for (const auto& row : report.resources) {
        const std::string base = address_count[row.address] > 1 && !row.location.file.empty()
                                     ? fmt::format("{} ({})", row.address, row.location.file)
                                     : row.address;
        bool any = false;
        const auto hit = by_address.find(row.address);
        for (const std::size_t i : hit == by_address.end() ? kNone : hit->second) {
          const Finding& finding = *findings[i];
          if (placed[i]) continue;
          if (!finding.location.file.empty() && !row.location.file.empty() &&
              finding.location.file != row.location.file) {
            continue;
          }
          placed[i] = true;
          any = true;
          cases.push_back(TestCase{names.unique(base), &finding});
        }
        // A resource that maps to no service was not evaluated: it is no passing case.
        if (!any && !row.service.empty()) cases.push_back(TestCase{names.unique(base), nullptr});
      }
    }
    // Findings about the policy itself, or about resources not listed.
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (placed[i]) continue;
      const Finding& finding = *findings[i];
      std::string base = detail::subject(finding);
      if (base.empty()) base = detail::policy_string(finding.policy);
      cases.push_back(TestCase{names.unique(base), &finding});
    }

    // A rule about the policy itself that found nothing passed once.
    if (!rule.per_resource && cases.empty()) cases.push_back(TestCase{names.unique("(policy)"), nullptr});

    std::size_t failures = 0;
    std::size_t skipped = 0;
    for (const auto& c : cases) {
      if (c.finding == nullptr) continue;
      if (c.finding->waived) {
        ++skipped;
      } else {
        ++failures;
      }
    }

    const std::string suite_name = rule.name.empty() ? rule.id : fmt::format("{} {}", rule.id, rule.name);
    out += fmt::format(
        "  <testsuite name=\"{}\" package=\"onus\" id=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
        "skipped=\"{}\" time=\"0\" timestamp=\"{}\" hostname=\"localhost\">\n",
        xml_escape(suite_name, true), suite_id, cases.size(), failures, skipped, timestamp);
    out += "    <properties>\n";
    out += fmt::format("      <property name=\"rule\" value=\"{}\"/>\n", xml_escape(rule.id, true));
    out += fmt::format("      <property name=\"level\" value=\"{}\"/>\n", detail::severity_name(rule.level));
    if (!rule.security_severity.empty()) {
      out += fmt::format("      <property name=\"security-severity\" value=\"{}\"/>\n",
                         xml_escape(rule.security_severity, true));
    }
    out += "    </properties>\n";
    const std::string classname = xml_escape(rule.id, true);
    for (const auto& c : cases) {
      const std::string head =
          fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\"", classname, xml_escape(c.name, true));
      if (c.finding == nullptr) {
        out += head + "/>\n";
      } else if (c.finding->waived) {
        std::string reason = c.finding->waiver_reason.empty() ? "(no justification)" : c.finding->waiver_reason;
        const std::string at = detail::policy_string(c.finding->waiver);
        if (!at.empty()) reason += " (" + at + ")";
        out += head + ">\n";
        out += fmt::format("      <skipped message=\"{}\"/>\n",
                           xml_escape(fmt::format("waived {}: {}", detail::severity_name(c.finding->level),
                                                  reason),
                                      true));
        out += "    </testcase>\n";
      } else {
        out += head + ">\n";
        out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                           xml_escape(c.finding->message, true), detail::severity_name(c.finding->level),
                           xml_escape(failure_body(*c.finding), false));
        out += "    </testcase>\n";
      }
    }
    std::string description = rule.full_description.empty() ? rule.short_description : rule.full_description;
    if (!rule.help.empty()) description += (description.empty() ? "" : "\n") + rule.help;
    out += description.empty() ? "    <system-out/>\n"
                               : fmt::format("    <system-out>{}</system-out>\n", xml_escape(description, false));
    out += "    <system-err/>\n";
    out += "  </testsuite>\n";
    ++suite_id;
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace onus::report
