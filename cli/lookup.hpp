// Shared by the query commands: resolving names given on the command line,
// statement text for provenance, and --attr parsing.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/session.hpp"

namespace onus::cli {

/// Resolves a service name (qualified or a unique short name); prints
/// "unknown service" with "did you mean" and returns nullopt when unknown.
std::optional<model::ServiceId> lookup_service(const std::string& command, const model::Model& m, const std::string& name);

/// Resolves a layer or area name; prints an error with "did you mean" when unknown.
std::optional<model::RowId> lookup_row(const std::string& command, const model::Model& m, const std::string& name);

/// Parses `--attr key=value` options; prints a usage error and returns false when malformed.
bool parse_attributes(const std::string& command, const std::vector<std::string>& raw,
                      std::vector<std::pair<std::string, std::string>>& out);

/// The first line of a span's source text, trimmed ("customer: guest_os..data").
std::string statement_text(const SourceMap& sources, const Span& span);

/// "file:line:col" of a span.
struct Where {
  std::string file;
  std::uint32_t line = 0, column = 0;
};
Where where(const SourceMap& sources, const Span& span);

/// The team name of a cell, or "" when none.
std::string team_name(const model::Model& m, const model::Cell& c);

}  // namespace onus::cli
