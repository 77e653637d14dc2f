// Pipelines: evaluate the organisation's policy against deployable resources
// (Terraform plans, CloudFormation templates, inventories) into a Report.
#pragma once

#include <string>
#include <vector>

#include "engine/eval.hpp"
#include "engine/inputs/resource.hpp"
#include "engine/model.hpp"
#include "engine/report/report.hpp"

namespace onus {

/// Resource attribute paths the model's mappings bind, per format and type.
/// Owns its cache; pass attribute_paths() to the input readers.
class BindingIndex {
 public:
  explicit BindingIndex(const model::Model& model) : model_(model) {}
  /// The function the readers call.
  inputs::AttributePaths attribute_paths();

 private:
  const model::Model& model_;
  std::vector<std::pair<std::string, std::vector<std::string>>> cache_;  ///< "format:type" -> paths
};

/// Options of an evaluation.
struct PipelineOptions {
  Severity fail_on = Severity::error;  ///< findings at or above fail the run
  bool fail_never = false;             ///< --fail-on never
  std::string today;                   ///< YYYY-MM-DD, for waiver expiry
  std::vector<std::string> policies;   ///< for the report
};

/// Evaluates the model's organisation against the resources.
/// `rules` are the organisation's rules compiled by eval::compile_rules.
report::Report evaluate_pipeline(const Program& program, const model::Model& model, const eval::CompiledRules& rules,
                                 const inputs::InputSet& inputs, const PipelineOptions& options);

/// Today's date as YYYY-MM-DD (UTC), or ONUS_TODAY when set (for reproducible tests).
std::string today_utc();

}  // namespace onus
