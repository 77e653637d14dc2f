// Loading and compiling for a command: the embedded standard library, the
// user's policies and their imports, compiled into a model.
#pragma once

#include <memory>

#include "cli/common.hpp"
#include "engine/compile.hpp"
#include "engine/eval.hpp"
#include "engine/model.hpp"

namespace onus::cli {

/// Everything a command works on.
struct Session {
  Program program;
  model::Model model;
  Diagnostics diagnostics;
  eval::CompiledRules rules;  ///< the organisation's rules, type-checked (when SessionOptions::rules)
};

/// What to load beyond the global options.
struct SessionOptions {
  std::vector<std::string> extra_policies;  ///< positional policies (check, test)
  bool include_tests = false;
  bool stdlib_tests = false;
  bool org_checks = true;
  bool rules = false;  ///< type-check the organisation's rules into Session::rules
  /// Services named on the command line: when all are qualified with a standard
  /// library package (aws.ec2), only those packages (and their imports) load.
  std::vector<std::string> named_services;
};

/// Loads and compiles. Prints diagnostics when there are errors (or warnings
/// when `print_warnings`) and returns false on errors.
bool open_session(const GlobalOptions& g, const SessionOptions& options, Session& session, bool print_warnings = false);

}  // namespace onus::cli
