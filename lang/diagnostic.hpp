// Diagnostics are data: collected, sorted and rendered, never thrown for user mistakes.
#pragma once

#include <string>
#include <vector>

#include "source.hpp"

namespace onus {

/// How bad a diagnostic is. Order matters: higher is worse.
enum class Severity { note, warning, error };

/// "note", "warning" or "error".
const char* to_string(Severity severity);

/// A secondary location attached to a diagnostic ("first declared here").
struct Note {
  Span span;            ///< may be invalid for a note without a location
  std::string message;
};

/// A position in a file that is not held in the SourceMap (a 300 MB Terraform
/// plan, a CloudFormation template): diagnostics about inputs point here.
struct ExternalLocation {
  std::string file;
  std::uint32_t line = 0;    ///< 1-based; 0 = unknown
  std::uint32_t column = 0;  ///< 1-based code points; 0 = unknown
  std::string line_text;     ///< the source line for the caret, when known
};

/// One message for the user. `code` is stable across releases (E0101, W0301...)
/// and documented in docs/diagnostics.md.
struct Diagnostic {
  std::string code;
  Severity severity = Severity::error;
  Span span;
  std::string message;
  std::vector<Note> notes;
  std::string help;     ///< one actionable line, or empty
  ExternalLocation external;  ///< used when `span` is invalid and external.file is set

  /// Fluent helpers for building a diagnostic in one expression.
  Diagnostic& note(Span at, std::string text) {
    notes.push_back(Note{at, std::move(text)});
    return *this;
  }
  Diagnostic& with_help(std::string text) {
    help = std::move(text);
    return *this;
  }
};

/// Collects diagnostics of one run. Adding never throws on user mistakes.
class Diagnostics {
 public:
  /// Adds a diagnostic and returns it for further notes/help.
  Diagnostic& add(Diagnostic diagnostic);
  /// Shorthands.
  Diagnostic& error(std::string code, Span span, std::string message);
  Diagnostic& warning(std::string code, Span span, std::string message);

  /// Appends all diagnostics of another collection.
  void append(const Diagnostics& other);

  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
  [[nodiscard]] bool has_errors() const { return error_count() > 0; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

  /// Sorts by file, position, then code; removes exact duplicates. Deterministic.
  void sort(const SourceMap& sources);

 private:
  std::vector<Diagnostic> items_;
};

/// How diagnostics are printed.
enum class DiagnosticFormat { human, plain, json };

/// Options for rendering.
struct RenderOptions {
  DiagnosticFormat format = DiagnosticFormat::human;
  bool color = false;
  std::size_t max_errors = 0;  ///< 0 = no cap; past the cap, errors are counted but not printed
};

/// Renders one diagnostic in clang/rustc style: `file:line:col: error[E0101]: message`,
/// the source line with a caret/underline, notes, and the help line.
std::string render_human(const Diagnostic& d, const SourceMap& sources, bool color);

/// Renders all diagnostics (honouring the cap, with a line saying how many were
/// not shown) as text (human/plain) or as one JSON document (json).
std::string render_diagnostics(const Diagnostics& diagnostics, const SourceMap& sources,
                               const RenderOptions& options);

/// "file:line:col" of a span (or "<unknown>" for an invalid one).
std::string location_string(const Span& span, const SourceMap& sources);

}  // namespace onus
