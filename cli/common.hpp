// What every command shares: global options, loading, diagnostics output.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "lang/diagnostic.hpp"
#include "lang/loader.hpp"

namespace onus::cli {

namespace po = boost::program_options;

/// Exit codes, as documented in `onus --help` and docs/cli.md.
enum Exit : int { exit_ok = 0, exit_findings = 1, exit_invalid = 2, exit_internal = 3 };

/// Options every command accepts.
struct GlobalOptions {
  std::vector<std::string> policies;
  std::vector<std::string> paths;
  std::string org;
  std::string color = "auto";
  std::string format;
  std::size_t max_errors = 50;
  std::string error_format = "human";  ///< diagnostics: human, plain or json
  bool help = false;
};

/// Describes the global options (added to each command's description).
po::options_description global_options(GlobalOptions& g);

/// Parses a command's arguments. On a usage error prints it (with the command's
/// name) and returns false; `exit_code` is then 2. `--help` prints `usage` and
/// the options and returns false with exit code 0.
bool parse_args(const std::string& command, const std::vector<std::string>& args, po::options_description& visible,
                const po::positional_options_description& positional, po::options_description& hidden,
                GlobalOptions& g, const std::string& usage, int& exit_code);

/// Whether to colour output written to `stream` (stdout or stderr).
bool use_color(const GlobalOptions& g, std::FILE* stream);

/// Search roots: --path then ONUS_PATH (':'-separated).
std::vector<std::string> search_roots(const GlobalOptions& g);

/// Prints diagnostics to stderr in the chosen style; returns nothing.
void print_diagnostics(Diagnostics& diagnostics, const SourceMap& sources, const GlobalOptions& g,
                       bool json = false);

/// Prints a usage error `onus COMMAND: error: MESSAGE` and returns 2.
int usage_error(const std::string& command, const std::string& message, const std::string& help = "");

}  // namespace onus::cli
