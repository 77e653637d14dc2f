// TEMPORARY: commands not wired yet (replaced as the engine lands).
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/session.hpp"
namespace onus::cli {
int cmd_query(const std::vector<std::string>&) { return usage_error("query", "not built yet"); }
int cmd_test(const std::vector<std::string>&) { return usage_error("test", "not built yet"); }
}
