#include "version.hpp"

namespace onus {

const char* version() { return ONUS_VERSION_STRING; }

}  // namespace onus
