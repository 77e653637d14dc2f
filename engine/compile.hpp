// AST -> resolved model. The stages, in order (compile.cpp calls them in a line):
//   declare   collect every declaration into symbol tables (duplicates reported)
//   matrix    resolve models and services into cells with provenance (matrix.cpp)
//   org       apply the organisation: take, allow/deny, assign (org.cpp)
//   checks    completeness, consistency and warnings (checks.cpp)
#pragma once

#include <string>

#include "engine/model.hpp"
#include "lang/diagnostic.hpp"
#include "lang/loader.hpp"

namespace onus {

/// Options of a compilation.
struct CompileOptions {
  std::string organization;  ///< --org; empty = the only one loaded, if any
  bool org_checks = true;    ///< org completeness and warnings (off for pure queries of the stdlib)
};

/// Compiles a loaded program into `model`. Returns false when errors were
/// reported (the model is then partial but safe to inspect).
bool compile(const Program& program, const CompileOptions& options, model::Model& model, Diagnostics& diagnostics);

}  // namespace onus
