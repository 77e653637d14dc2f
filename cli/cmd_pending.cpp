// TEMPORARY: commands not wired yet (replaced as the engine lands).
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/session.hpp"
namespace onus::cli {
int cmd_query(const std::vector<std::string>&) { return usage_error("query", "not built yet"); }
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
  Session session; SessionOptions so; so.extra_policies = pos;
  if (!open_session(g, so, session, true)) return 2;
  return 0;
}
}
