// Helpers shared by the reporters (internal to engine/report, not a public API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/report/report.hpp"

namespace onus::report::detail {

/// "error", "warning" or "note" (kept here so the reporters do not depend on lang's sources).
const char* severity_name(Severity severity);

/// "terraform", "cloudformation" or "inventory".
const char* input_format_name(inputs::Format format);

/// "1 error" / "2 errors": `count` followed by the singular or plural word.
std::string plural(std::size_t count, std::string_view singular, std::string_view plural_form);

/// The closing count line: "2 errors, 3 warnings, 1 waived" (notes only when there are some).
std::string counts_line(const Summary& summary);

/// "failed" or "passed".
const char* verdict(const Report& report);

/// True when the finding's input location is a source line a reader can open
/// (a template or inventory line). Resources of a Terraform plan are named by address.
bool has_source_line(const Finding& finding);

/// "file:line:col" (":col" only when known; ":line" only when known).
std::string location_string(const std::string& file, std::uint32_t line, std::uint32_t column);

/// Where a finding is, for people: "file:line:col" for templates, else the resource
/// address, else the policy statement behind it.
std::string where(const Finding& finding);

/// What a finding is about: the resource address, else the resource type (unmapped
/// types), else "".
const std::string& subject(const Finding& finding);

/// "file:line" of a policy statement, or "" when it has no file.
std::string policy_string(const PolicyRef& ref);

/// True for policy files embedded in the binary ("<stdlib>/aws/ec2.onus").
bool is_embedded(const std::string& file);

/// A source position chosen for tools that need a file and a line (SARIF, GitHub).
struct SourcePosition {
  std::string file;
  std::uint32_t line = 0;  ///< >= 1
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;
  bool is_input = false;  ///< the input (template) line rather than the policy statement
};

/// The template line when known; else the policy statement behind the finding.
/// `allow_embedded`: accept a statement of the embedded standard library.
std::optional<SourcePosition> primary_position(const Finding& finding, bool allow_embedded);

/// FNV-1a 64-bit hash as 16 lowercase hex digits.
std::string fnv1a64_hex(std::string_view text);

/// A stable fingerprint of a finding: FNV-1a 64 of rule id, resource address and
/// message (plus the template file for CloudFormation resources). Line moves keep it.
std::string fingerprint(const Finding& finding);

/// Replaces invalid UTF-8 sequences by U+FFFD so that XML and JSON stay well-formed.
std::string valid_utf8(std::string_view text);

/// Cuts text to at most `max_code_points` code points, adding "..." when cut.
std::string truncate_code_points(std::string_view text, std::size_t max_code_points);

/// Escapes text for a Markdown table cell: `|`, newlines (as <br>), HTML and
/// inline Markdown characters, @mentions and #references.
std::string markdown_cell(std::string_view text);

/// Text as inline code in a table cell (`aws_instance.web`); falls back to
/// markdown_cell() when the text holds a backtick or a line break.
std::string markdown_code(std::string_view text);

/// The Markdown report shared by `markdown` and the GitHub step summary.
/// `heading` is the first line's heading marker ("##"). The document stays
/// within `max_bytes`: findings beyond it are counted, not listed (most severe
/// first), and the folded list of every responsibility is dropped first.
/// `what` names the document in those notes ("comment", "step summary").
std::string markdown_document(const Report& report, std::string_view heading, std::size_t max_bytes,
                              std::string_view what);

}  // namespace onus::report::detail
