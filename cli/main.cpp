// onus: the command line. Parses global options, then hands over to one command.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "engine/version.hpp"

namespace {

void print_usage(std::FILE* to) {
  fmt::print(to,
             "onus {}: the cloud shared responsibility model as code\n"
             "\n"
             "usage: onus [GLOBAL OPTIONS] COMMAND [ARGS]\n"
             "\n"
             "commands:\n"
             "  check    [POLICY...]      compile policies, run all checks, evaluate plans and templates\n"
             "  who      SERVICE AREA     who owns an area on a service, and which team\n"
             "  explain  SERVICE AREA     the provenance chain of a cell, one step a line\n"
             "  query    EXPR             evaluate an expression against the model\n"
             "  matrix   [PROVIDER|SERVICE...]  the responsibility matrix\n"
             "  diff     SERVICE SERVICE  what moves between provider and customer\n"
             "  controls SERVICE          each control's class on a service, computed\n"
             "  test     [POLICY...]      run the test blocks of policies\n"
             "  fmt      [FILE...]        format policies canonically\n"
             "  parse    FILE...          print the syntax tree (for debugging policies)\n"
             "\n"
             "global options (also accepted after the command):\n"
             "  -p, --policy PATH   load a policy file or directory (repeatable)\n"
             "  --path DIR          add a package search root (repeatable; also ONUS_PATH)\n"
             "  --org NAME          the organisation to apply when several are loaded\n"
             "  --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
             "  --format FORMAT     output format (per command)\n"
             "  --max-errors N      stop printing errors after N (default 50; 0 = no limit)\n"
             "  --error-format F    diagnostics as human (default), plain or json\n"
             "  --version           print the version\n"
             "  -h, --help          help (onus COMMAND --help for a command)\n"
             "\n"
             "exit codes: 0 clean, 1 findings at or above --fail-on, 2 invalid policy or usage, 3 internal error\n",
             onus::version());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
      print_usage(stderr);
      return 2;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      fmt::print("onus {}\n", onus::version());
      return 0;
    }
    if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
      if (args.size() > 1 && args[0] != "help" ) return onus::cli::run_command(args[1], {"--help"});
      if (args[0] == "help" && args.size() > 1) return onus::cli::run_command(args[1], {"--help"});
      print_usage(stdout);
      return 0;
    }
    // Global options may come before the command: move them after it, where
    // every command accepts them.
    std::vector<std::string> before;
    std::size_t i = 0;
    while (i < args.size() && args[i].starts_with("-")) {
      before.push_back(args[i]);
      const bool takes_value = args[i] == "-p" || args[i] == "--policy" || args[i] == "--path" ||
                               args[i] == "--org" || args[i] == "--color" || args[i] == "--format" ||
                               args[i] == "--max-errors" || args[i] == "--error-format";
      ++i;
      if (takes_value && i < args.size()) before.push_back(args[i++]);
    }
    if (i >= args.size()) {
      if (std::find(before.begin(), before.end(), "--version") != before.end()) {
        fmt::print("onus {}\n", onus::version());
        return 0;
      }
      fmt::print(stderr, "onus: error: no command given\n\n");
      print_usage(stderr);
      return 2;
    }
    const std::string command = args[i];
    std::vector<std::string> rest(before);
    rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    return onus::cli::run_command(command, rest);
  } catch (const std::exception& e) {
    fmt::print(stderr, "onus: internal error: {}\nThis is a bug in onus: please report it with the command you ran.\n",
               e.what());
    return 3;
  } catch (...) {
    fmt::print(stderr, "onus: internal error\nThis is a bug in onus: please report it with the command you ran.\n");
    return 3;
  }
}
