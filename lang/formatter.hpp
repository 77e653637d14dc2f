// The canonical layout of Onus source (`onus fmt`). The style is described in
// docs/formatting.md; this file prints a parsed tree in that style, keeping
// every comment of the file.
#pragma once

#include <string>

#include "ast.hpp"
#include "source.hpp"

namespace onus {

/// Widest line the formatter aims for, in code points. Lists, clauses and
/// expressions that would pass it are broken over several lines; a single
/// long string or name may still pass it.
inline constexpr std::size_t format_width = 100;

/// Returns the canonical text of `file`, which was parsed from `source`
/// without syntax errors. Comments (ast::File::comments) are all kept, in
/// order, with trailing white space removed. The result parses back to the
/// same tree (spans aside) and formatting it again changes nothing.
std::string format_file(const ast::File& file, const SourceFile& source);

/// A string literal in canonical form: double quotes, with `"`, `\`, line
/// feed and tab escaped (`\"`, `\\`, `\n`, `\t`).
std::string quote_string(std::string_view value);

}  // namespace onus
