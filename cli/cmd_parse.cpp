// onus parse FILE...: prints the syntax tree of each file (a debugging aid, used by golden tests).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "lang/parser.hpp"

namespace onus::cli {

int cmd_parse(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> files;
  po::options_description visible("parse options"), hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(&files), "files");
  po::positional_options_description positional;
  positional.add("file", -1);
  int code = 0;
  if (!parse_args("parse", args, visible, positional, hidden, g,
                  "usage: onus parse FILE...\n\nPrints the syntax tree of each file, one node a line with its span.\n"
                  "example: onus parse policies/startup/policy.onus\n",
                  code))
    return code;
  if (files.empty()) return usage_error("parse", "no file given", "onus parse FILE...");
  SourceMap sources;
  Diagnostics diagnostics;
  for (const auto& path : files) {
    std::string text, error;
    if (!read_file(path, text, error)) {
      Diagnostic d;
      d.code = "E0101";
      d.message = error;
      d.external.file = path;
      diagnostics.add(std::move(d));
      continue;
    }
    const SourceFile& source = sources.add(path, std::move(text));
    ast::File file = parse_file(source, diagnostics);
    fmt::print("{}", ast::dump(file, source));
  }
  print_diagnostics(diagnostics, sources, g);
  return diagnostics.has_errors() ? exit_invalid : exit_ok;
}

}  // namespace onus::cli
