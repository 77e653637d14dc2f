#include "cli/common.hpp"

#include <cstdlib>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace onus::cli {

po::options_description global_options(GlobalOptions& g) {
  po::options_description d("global options");
  d.add_options()
      ("policy,p", po::value<std::vector<std::string>>(&g.policies)->composing(), "policy file or directory (repeatable)")
      ("path", po::value<std::vector<std::string>>(&g.paths)->composing(), "package search root (repeatable)")
      ("org", po::value<std::string>(&g.org), "organisation to apply when several are loaded")
      ("color", po::value<std::string>(&g.color)->default_value("auto"), "auto, always or never")
      ("max-errors", po::value<std::size_t>(&g.max_errors)->default_value(50), "errors to print at most (0 = all)")
      ("error-format", po::value<std::string>(&g.error_format)->default_value("human"),
       "diagnostics as human (source line and caret), plain (one line each) or json")
      ("help,h", po::bool_switch(&g.help), "this help");
  return d;
}

bool parse_args(const std::string& command, const std::vector<std::string>& args, po::options_description& visible,
                const po::positional_options_description& positional, po::options_description& hidden,
                GlobalOptions& g, const std::string& usage, int& exit_code) {
  po::options_description globals = global_options(g);
  po::options_description all;
  all.add(visible).add(globals).add(hidden);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    exit_code = usage_error(command, e.what(), fmt::format("see 'onus {} --help'", command));
    return false;
  }
  if (g.help) {
    std::ostringstream os;
    os << visible << "\n" << globals;
    fmt::print("{}\n{}", usage, os.str());
    exit_code = exit_ok;
    return false;
  }
  if (g.error_format != "human" && g.error_format != "plain" && g.error_format != "json") {
    exit_code = usage_error(command, fmt::format("--error-format must be human, plain or json, not '{}'", g.error_format));
    return false;
  }
  if (g.color != "auto" && g.color != "always" && g.color != "never") {
    exit_code = usage_error(command, fmt::format("--color must be auto, always or never, not '{}'", g.color));
    return false;
  }
  return true;
}

bool use_color(const GlobalOptions& g, std::FILE* stream) {
  if (g.color == "never") return false;
  if (g.color == "always") return true;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) != 0;
}

std::vector<std::string> search_roots(const GlobalOptions& g) {
  std::vector<std::string> roots = g.paths;
  if (const char* env = std::getenv("ONUS_PATH"); env && *env) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string_view part = rest.substr(0, colon);
      if (!part.empty()) roots.emplace_back(part);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  return roots;
}

void print_diagnostics(Diagnostics& diagnostics, const SourceMap& sources, const GlobalOptions& g, bool json) {
  diagnostics.sort(sources);
  RenderOptions options;
  options.format = json || g.error_format == "json" ? DiagnosticFormat::json
                   : g.error_format == "plain"      ? DiagnosticFormat::plain
                                                    : DiagnosticFormat::human;
  options.color = use_color(g, stderr);
  options.max_errors = g.max_errors;
  const std::string text = render_diagnostics(diagnostics, sources, options);
  std::fputs(text.c_str(), stderr);
}

int usage_error(const std::string& command, const std::string& message, const std::string& help) {
  fmt::print(stderr, "onus {}: error: {}\n", command, message);
  if (!help.empty()) fmt::print(stderr, "  = help: {}\n", help);
  return exit_invalid;
}

int run_command(const std::string& name, const std::vector<std::string>& args) {
  if (name == "check") return cmd_check(args);
  if (name == "who") return cmd_who(args);
  if (name == "explain") return cmd_explain(args);
  if (name == "query") return cmd_query(args);
  if (name == "matrix") return cmd_matrix(args);
  if (name == "diff") return cmd_diff(args);
  if (name == "controls") return cmd_controls(args);
  if (name == "test") return cmd_test(args);
  if (name == "fmt") return cmd_fmt(args);
  if (name == "parse") return cmd_parse(args);
  const std::vector<std::string> commands = {"check", "who", "explain", "query", "matrix", "diff",
                                             "controls", "test", "fmt", "parse"};
  const std::string guess = closest_match(name, commands);
  return usage_error(name, fmt::format("'{}' is not an onus command", name),
                     guess.empty() ? "run 'onus --help' for the list of commands" : fmt::format("did you mean 'onus {}'?", guess));
}

}  // namespace onus::cli
