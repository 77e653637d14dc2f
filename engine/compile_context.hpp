// Internal to the compiler: the state shared by its stages (not a public API).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/compile.hpp"

namespace onus::compiler {

/// What a package can see: its own names, its imports and imported items.
struct Scope {
  std::string package;
  std::set<std::string> imports;                   ///< imported package names
  std::map<std::string, std::string> items;        ///< `import aws.{ec2}`: "ec2" -> "aws"
};

/// A target resolved to rows: layer-level targets cover the layer row and all
/// its areas; area-level targets one area row.
struct ResolvedTarget {
  std::vector<model::RowId> rows;  ///< layer rows for layer-level targets, else one area row
  bool layer_level = false;
  Span span;
  std::string text;                ///< as written
};

/// The compiler's state.
struct Context {
  const Program& program;
  const CompileOptions& options;
  model::Model& model;
  Diagnostics& diagnostics;

  std::vector<Scope> scopes;  ///< per package, same order as Program::packages

  // declarations by qualified name
  std::map<std::string, std::size_t> model_index;    ///< "core.iaas" -> index into model_decls
  std::vector<const ast::ModelDecl*> model_decls;
  std::vector<std::size_t> model_package;
  std::vector<const ast::ServiceDecl*> service_decls;  ///< same index as Model::services
  std::vector<std::size_t> service_package;
  std::map<std::string, Span> declared;  ///< every qualified name -> first declaration (duplicates)

  // the organisation in force
  int org_package = -1;
  std::vector<const ast::AssignDecl*> assigns;
  std::vector<const ast::TakeDecl*> takes;

  /// Services whose parent could not be resolved (their cells are incomplete
  /// because of an error already reported: completeness skips them).
  std::vector<bool> broken_service;

  /// The package index of a file id.
  std::map<FileId, std::size_t> file_package;

  Context(const Program& p, const CompileOptions& o, model::Model& m, Diagnostics& d)
      : program(p), options(o), model(m), diagnostics(d) {}

  /// Resolves a service reference seen from package `pkg`; reports errors.
  std::optional<model::ServiceId> service(std::size_t pkg, const ast::Name& name);
  /// Resolves a model or service used as a parent: {is_model, index}.
  std::optional<std::pair<bool, std::size_t>> parent(std::size_t pkg, const ast::Name& name);
  /// Resolves a layer or area (with an optional package qualifier); reports errors.
  std::optional<model::RowId> row(const ast::Name& name, const char* expected = "a layer or an area");
  /// Resolves an ownership/covers target (range, layer or area); reports errors.
  std::optional<ResolvedTarget> target(const ast::Target& target);
  /// The text of a span.
  std::string text(const Span& span) const;
  /// Reports an unknown name with "did you mean".
  void unknown(const Span& span, const std::string& what, const std::string& name,
               const std::vector<std::string>& candidates, const std::string& help = "");
};

// The stages (one file each).
void declare(Context& ctx);        // compile.cpp
void build_matrix(Context& ctx);   // matrix.cpp
void apply_org(Context& ctx);      // org.cpp
void run_checks(Context& ctx);     // checks.cpp

}  // namespace onus::compiler
