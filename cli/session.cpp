#include "cli/session.hpp"

namespace onus::cli {

bool open_session(const GlobalOptions& g, const SessionOptions& options, Session& session, bool print_warnings) {
  LoadOptions lo;
  lo.policies = g.policies;
  lo.policies.insert(lo.policies.end(), options.extra_policies.begin(), options.extra_policies.end());
  lo.search_roots = search_roots(g);
  lo.include_tests = options.include_tests;
  lo.stdlib_tests = options.stdlib_tests;
  for (const auto& name : options.named_services) {
    const auto dot = name.find('.');
    if (dot == std::string::npos || dot == 0) {  // a short name may belong to any provider
      lo.stdlib_only.clear();
      break;
    }
    lo.stdlib_only.push_back(name.substr(0, dot));
  }
  const bool loaded = load_program(lo, session.program, session.diagnostics);
  // Syntax and loading errors stop here: resolving a half-parsed program would
  // only add follow-on errors.
  if (loaded) {
    CompileOptions co;
    co.organization = g.org;
    co.org_checks = options.org_checks;
    const bool compiled = compile(session.program, co, session.model, session.diagnostics);
    if (compiled && options.rules) eval::compile_rules(session.program, session.model, session.rules, session.diagnostics);
  }
  const bool ok = !session.diagnostics.has_errors();
  if (!ok || print_warnings) print_diagnostics(session.diagnostics, session.program.sources, g);
  return ok;
}

}  // namespace onus::cli
