// The commands of the onus CLI. Each lives in its own cmd_*.cpp file.
#pragma once

#include <string>
#include <vector>

namespace onus::cli {

/// Runs one command with its arguments (global options included); returns the exit code.
int run_command(const std::string& name, const std::vector<std::string>& args);

int cmd_check(const std::vector<std::string>& args);
int cmd_who(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_query(const std::vector<std::string>& args);
int cmd_matrix(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_controls(const std::vector<std::string>& args);
int cmd_test(const std::vector<std::string>& args);
int cmd_fmt(const std::vector<std::string>& args);
int cmd_parse(const std::vector<std::string>& args);

}  // namespace onus::cli
