#include "cli/lookup.hpp"

#include <fmt/format.h>

#include "engine/pipeline_rules.hpp"

namespace onus::cli {

std::optional<model::ServiceId> lookup_service(const std::string& command, const model::Model& m, const std::string& name) {
  if (auto s = m.find_service(name)) return s;
  std::vector<std::string> names;
  int same_short = 0;
  for (const auto& s : m.services) {
    names.push_back(s.name);
    if (s.short_name == name) ++same_short;
  }
  if (same_short > 1) {
    usage_error(command, fmt::format("'{}' names services of several providers", name),
                "qualify it with the provider, such as aws." + name);
    return std::nullopt;
  }
  const std::string guess = closest_match(name, names);
  usage_error(command, fmt::format("unknown service '{}'", name),
              guess.empty() ? "run 'onus matrix' to list the services" : fmt::format("did you mean '{}'?", guess));
  return std::nullopt;
}

std::optional<model::RowId> lookup_row(const std::string& command, const model::Model& m, const std::string& name) {
  if (auto r = m.find_row(name)) return r;
  std::vector<std::string> names;
  for (const auto& r : m.rows) names.push_back(r.name);
  // An area named without its layer: "patching" is ambiguous, "mfa" is not.
  std::vector<std::string> suffix;
  for (const auto& r : m.rows) {
    if (r.name.size() > name.size() && r.name.ends_with("." + name)) suffix.push_back(r.name);
  }
  if (suffix.size() == 1) return m.find_row(suffix.front());
  if (suffix.size() > 1) {
    usage_error(command, fmt::format("'{}' is an area of several layers: {}", name, fmt::join(suffix, ", ")),
                "name it with its layer, such as " + suffix.front());
    return std::nullopt;
  }
  const std::string guess = closest_match(name, names);
  usage_error(command, fmt::format("unknown layer or area '{}'", name),
              guess.empty() ? "run 'onus matrix' to list the layers and areas" : fmt::format("did you mean '{}'?", guess));
  return std::nullopt;
}

bool parse_attributes(const std::string& command, const std::vector<std::string>& raw,
                      std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& a : raw) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      usage_error(command, fmt::format("--attr takes NAME=VALUE, not '{}'", a), "for example --attr launch_type=FARGATE");
      return false;
    }
    out.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  return true;
}

std::string statement_text(const SourceMap& sources, const Span& span) { return policy_ref(sources, span).statement; }

Where where(const SourceMap& sources, const Span& span) {
  const SourceFile* f = sources.get(span.file);
  if (!f) return {};
  const auto lc = f->line_column(span.begin);
  return Where{f->name(), lc.line, lc.column};
}

std::string team_name(const model::Model& m, const model::Cell& c) {
  return c.team == model::no_team ? "" : m.teams[static_cast<std::size_t>(c.team)].name;
}

}  // namespace onus::cli
