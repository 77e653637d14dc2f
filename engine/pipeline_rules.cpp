#include "engine/pipeline_rules.hpp"

#include <fmt/format.h>

namespace onus {

report::PolicyRef policy_ref(const SourceMap& sources, const Span& span) {
  report::PolicyRef ref;
  const SourceFile* f = sources.get(span.file);
  if (!f) return ref;
  const auto b = f->line_column(span.begin);
  const auto e = f->line_column(std::max(span.begin, span.end));
  ref.file = f->name();
  ref.line = b.line;
  ref.column = b.column;
  ref.end_line = e.line;
  ref.end_column = e.column;
  std::string_view line = f->line_text(b.line);
  line.remove_prefix(std::min<std::size_t>(span.begin - f->line_start(b.line), line.size()));
  if (span.end > span.begin) line = line.substr(0, std::min<std::size_t>(line.size(), span.end - span.begin));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '{')) line.remove_suffix(1);
  ref.statement = std::string(line);
  return ref;
}

std::vector<report::Finding> evaluate_rules(const Program& program, const model::Model& model,
                                            const eval::CompiledRules& rules,
                                            const std::vector<PipelineResource>& resources) {
  std::vector<eval::EvalResource> view;
  view.reserve(resources.size());
  for (const auto& r : resources) view.push_back(r.resource);
  eval::EvalContext context(model, view);
  context.set_rules(&rules);
  std::vector<report::Finding> out;
  for (std::size_t i = 0; i < model.rules.size(); ++i) {
    const auto& rule = model.rules[i];
    const eval::RuleResult result = eval::evaluate_rule(rules, i, context);
    if (result.holds) continue;
    const Severity level = rule.level == model::Level::advisory ? Severity::warning : Severity::error;
    const std::string id = rule.package + "." + rule.name;
    const std::string what = rule.description.empty() ? rule.name : rule.description;
    if (!result.per_element || result.counterexamples.empty()) {
      report::Finding f;
      f.rule_id = id;
      f.level = level;
      f.message = fmt::format("{} rule {} does not hold: {}", model::to_string(rule.level), rule.name, what);
      f.policy = policy_ref(program.sources, rule.span);
      out.push_back(std::move(f));
      continue;
    }
    for (const auto& c : result.counterexamples) {
      report::Finding f;
      f.rule_id = id;
      f.level = level;
      f.policy = policy_ref(program.sources, rule.span);
      f.service = c.service;
      if (c.is_resource) {
        f.resource_address = c.address;
        f.resource_type = c.type;
        f.location = c.location;
        for (const auto& r : resources) {
          if (r.resource.address == c.address) {
            f.format = r.format;
            break;
          }
        }
        f.message = fmt::format("breaks {} rule {}: {}", model::to_string(rule.level), rule.name, what);
      } else {
        f.message = fmt::format("{} breaks {} rule {}: {}", c.name, model::to_string(rule.level), rule.name, what);
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace onus
