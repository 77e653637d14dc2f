// Rules of the organisation evaluated over a pipeline's resources (bridge to the evaluator).
#pragma once

#include <map>
#include <span>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "engine/eval.hpp"
#include "engine/inputs/resource.hpp"
#include "engine/model.hpp"
#include "engine/report/report.hpp"

namespace onus {

/// The policy statement at `span`: file, start and end, and its text (from the
/// statement's start to its end or the end of its first line).
report::PolicyRef policy_ref(const SourceMap& sources, const Span& span);

/// policy_ref() memoised per statement: findings of one statement share it.
class PolicyRefs {
 public:
  explicit PolicyRefs(const SourceMap& sources) : sources_(sources) {}
  const report::PolicyRef& operator()(const Span& span);

 private:
  const SourceMap& sources_;
  std::map<std::tuple<FileId, std::uint32_t, std::uint32_t>, report::PolicyRef> cache_;
};

/// Evaluates every rule of the organisation; one finding per failing element of
/// a top-level `all x in S: ...`, else one per failing rule. Levels: advisory =
/// warning, mandatory and hard = error.
std::vector<report::Finding> evaluate_rules(const Program& program, const model::Model& model,
                                            const eval::CompiledRules& rules,
                                            std::span<const eval::EvalResource> resources,
                                            std::span<const inputs::Format> formats);

}  // namespace onus
