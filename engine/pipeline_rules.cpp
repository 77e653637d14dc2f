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

const report::PolicyRef& PolicyRefs::operator()(const Span& span) {
  const auto key = std::tuple{span.file, span.begin, span.end};
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, policy_ref(sources_, span)).first;
  return it->second;
}

std::vector<report::Finding> evaluate_rules(const Program& program, const model::Model& model,
                                            const eval::CompiledRules& rules,
                                            std::span<const eval::EvalResource> resources,
                                            std::span<const inputs::Format> formats) {
  eval::EvalContext context(model, resources);
  PolicyRefs refs(program.sources);
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
      f.policy = refs(rule.span);
      out.push_back(std::move(f));
      continue;
    }
    for (const auto& c : result.counterexamples) {
      report::Finding f;
      f.rule_id = id;
      f.level = level;
      f.policy = refs(rule.span);
      f.service = c.service;
      if (c.is_resource && c.resource < resources.size()) {
        const eval::EvalResource& res = resources[c.resource];
        f.resource_address = res.address;
        f.resource_type = res.type;
        f.location = {std::string(res.file), res.line, res.column};
        if (c.resource < formats.size()) f.format = formats[c.resource];
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
