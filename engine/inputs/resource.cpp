#include "resource.hpp"

namespace onus::inputs {

const char* to_string(Action action) {
  switch (action) {
    case Action::create: return "create";
    case Action::update: return "update";
    case Action::replace: return "replace";
    case Action::remove: return "delete";
    case Action::noop: return "no-op";
    case Action::read: return "read";
    case Action::present: return "present";
  }
  return "present";
}

const char* to_string(Format format) {
  switch (format) {
    case Format::terraform: return "terraform";
    case Format::cloudformation: return "cloudformation";
    case Format::inventory: return "inventory";
  }
  return "terraform";
}

}  // namespace onus::inputs
