// source -> AST. Syntax errors become diagnostics; parsing resumes at the next
// top-level declaration so that one run reports every syntax error of a file.
#pragma once

#include <cstddef>

#include "ast.hpp"
#include "diagnostic.hpp"
#include "source.hpp"

namespace onus {

/// Limits that keep hostile input from exhausting the screen. (Nesting is
/// limited in the grammar itself: 200 levels of the recursive rules, E0008.)
struct ParseOptions {
  std::size_t max_errors = 100;  ///< syntax errors per file before giving up on it
};

/// Parses one file. Never throws for bad input: every problem becomes a
/// diagnostic (codes E0001-E0099) and the returned tree holds what parsed.
ast::File parse_file(const SourceFile& source, Diagnostics& diagnostics, const ParseOptions& options = {});

/// Parses a standalone expression (for `onus query`); null on error.
ast::ExprPtr parse_expression(const SourceFile& source, Diagnostics& diagnostics,
                              const ParseOptions& options = {});

/// Number of problems PEGTL's grammar analysis finds (0 = no left recursion or
/// cycles without progress). Used by a unit test.
std::size_t analyze_grammar();

}  // namespace onus
