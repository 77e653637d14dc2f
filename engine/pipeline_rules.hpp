// Rules of the organisation evaluated over a pipeline's resources (bridge to the evaluator).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/inputs/resource.hpp"
#include "engine/model.hpp"
#include "engine/report/report.hpp"

namespace onus {

/// A resource that exists after the change, mapped to its service.
struct PipelineResource {
  std::string address;
  std::string type;
  model::ServiceId service = 0;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< variant attribute -> value
  inputs::Location location;
  inputs::Format format = inputs::Format::terraform;
};

/// Evaluates every rule of the organisation; one finding per failing element of
/// a top-level `all x in S: ...`, else one per failing rule.
std::vector<report::Finding> evaluate_rules(const Program& program, const model::Model& model,
                                            const std::vector<PipelineResource>& resources, const std::string& organization);

}  // namespace onus
