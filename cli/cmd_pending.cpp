// TEMPORARY: commands not wired yet (replaced as the engine lands).
#include "cli/commands.hpp"
#include "cli/common.hpp"
namespace onus::cli {
int cmd_who(const std::vector<std::string>&) { return usage_error("who", "not built yet"); }
int cmd_explain(const std::vector<std::string>&) { return usage_error("explain", "not built yet"); }
int cmd_query(const std::vector<std::string>&) { return usage_error("query", "not built yet"); }
int cmd_matrix(const std::vector<std::string>&) { return usage_error("matrix", "not built yet"); }
int cmd_diff(const std::vector<std::string>&) { return usage_error("diff", "not built yet"); }
int cmd_controls(const std::vector<std::string>&) { return usage_error("controls", "not built yet"); }
int cmd_test(const std::vector<std::string>&) { return usage_error("test", "not built yet"); }
int cmd_fmt(const std::vector<std::string>&) { return usage_error("fmt", "not built yet"); }
int cmd_check(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> pos;
  po::options_description visible("check options"), hidden;
  hidden.add_options()("policies", po::value<std::vector<std::string>>(&pos), "");
  po::positional_options_description p; p.add("policies", -1);
  int code = 0;
  if (!parse_args("check", args, visible, p, hidden, g, "usage: onus check [POLICY...]\n", code)) return code;
  LoadOptions lo; lo.policies = g.policies; lo.policies.insert(lo.policies.end(), pos.begin(), pos.end());
  lo.search_roots = search_roots(g);
  Program program; Diagnostics d;
  load_program(lo, program, d);
  print_diagnostics(d, program.sources, g);
  return d.has_errors() ? 2 : 0;
}
}
