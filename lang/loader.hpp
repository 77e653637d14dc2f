// The module loader: packages from the embedded standard library, search roots
// and the user's policy paths; imports resolved, cycles and duplicates reported.
#pragma once

#include <string>
#include <vector>

#include "ast.hpp"
#include "diagnostic.hpp"
#include "parser.hpp"
#include "source.hpp"

namespace onus {

/// One parsed file of a package.
struct LoadedFile {
  const SourceFile* source = nullptr;
  ast::File ast;
  bool is_test = false;  ///< a `*_test.onus` file: loaded only for `onus test`
};

/// A package: every .onus file of one directory (or one file given alone).
struct Package {
  std::string name;
  std::string origin;                 ///< directory or file it came from ("<stdlib>/aws" when embedded)
  bool stdlib = false;                ///< embedded standard library
  bool root = false;                  ///< named by the user (-p/--policy or positional)
  std::vector<std::size_t> files;     ///< indexes into Program::files
  std::vector<std::string> imports;   ///< package names, deduplicated, in first-seen order
};

/// Everything loaded for one run. Packages are ordered dependencies first
/// (deterministically), so later stages can process them in order.
struct Program {
  SourceMap sources;
  std::vector<LoadedFile> files;
  std::vector<Package> packages;
  /// Index of a package by name, or -1.
  [[nodiscard]] int find(std::string_view name) const;
};

/// What to load.
struct LoadOptions {
  std::vector<std::string> policies;      ///< files or directories named by the user
  std::vector<std::string> search_roots;  ///< --path, then ONUS_PATH entries
  bool include_tests = false;             ///< also load `*_test.onus` files
  bool stdlib_tests = false;              ///< with include_tests: the stdlib's test files too
  /// When non-empty, only these standard library packages are loaded up front;
  /// others load when something imports them. Used by commands about named
  /// services (who, explain, controls, diff) to skip unrelated providers: only
  /// core declares layers and areas, so the answers do not change.
  std::vector<std::string> stdlib_only;
  ParseOptions parse;
};

/// Loads the embedded standard library, the user's packages and what they
/// import. Returns false when anything failed (diagnostics say what).
bool load_program(const LoadOptions& options, Program& program, Diagnostics& diagnostics);

/// Reads a whole file into `text`; on failure returns a message for the user.
bool read_file(const std::string& path, std::string& text, std::string& error);

/// The closest candidate by edit distance (for "did you mean"), or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace onus
