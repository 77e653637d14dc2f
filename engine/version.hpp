#pragma once

#ifndef ONUS_VERSION_STRING
#define ONUS_VERSION_STRING "0.1.0"
#endif

namespace onus {

/// The version of onus, as printed by `onus --version` and written into reports.
const char* version();

}  // namespace onus
