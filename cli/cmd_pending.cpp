// TEMPORARY: commands not wired yet (replaced as the engine lands).
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/session.hpp"
namespace onus::cli {
}
