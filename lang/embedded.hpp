// The standard library files embedded at build time (see cmake/embed_stdlib.cmake).
#pragma once

#include <span>
#include <string_view>

namespace onus {

/// One embedded file: its path relative to stdlib/ ("aws/ec2.onus") and its text.
struct EmbeddedFile {
  std::string_view path;
  std::string_view text;
};

/// Every file of stdlib/, sorted by path. Defined in the generated embedded_stdlib.cpp.
std::span<const EmbeddedFile> embedded_stdlib();

}  // namespace onus
