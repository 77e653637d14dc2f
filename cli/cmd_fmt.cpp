// onus fmt [--write | --check] [FILE...]: formats policies canonically (docs/formatting.md).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "lang/formatter.hpp"
#include "lang/parser.hpp"

namespace onus::cli {

namespace {

// The lines of a text, each with its '\n' (the last one may lack it).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t len = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

// One line of an edit script: kept (' '), removed ('-') or added ('+').
struct Edit {
  char kind;
  std::string_view line;
};

// The shortest edit script from `a` to `b`, by longest common subsequence
// (after trimming the common head and tail; a very large middle is replaced whole).
std::vector<Edit> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;

  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({' ', a[i]});
  constexpr std::size_t max_cells = 16'000'000;
  if (n * m > max_cells) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({'-', a[head + i]});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({'+', b[head + j]});
  } else {
    // lcs[i * (m + 1) + j]: length of the LCS of a[head + i ..] and b[head + j ..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        lcs[i * (m + 1) + j] = a[head + i] == b[head + j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                                                          : std::max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        edits.push_back({' ', a[head + i]});
        ++i, ++j;
      } else if (j == m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
        edits.push_back({'-', a[head + i++]});
      } else {
        edits.push_back({'+', b[head + j++]});
      }
    }
  }
  for (std::size_t i = a.size() - tail; i < a.size(); ++i) edits.push_back({' ', a[i]});
  return edits;
}

// "start,count" of a hunk side, as diff -u writes it.
std::string hunk_range(std::size_t start, std::size_t count) {
  if (count == 1) return std::to_string(start + 1);
  return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

// A unified diff (3 lines of context) from `before` to `after`; empty when equal.
std::string unified_diff(const std::string& name, std::string_view before, std::string_view after) {
  const std::vector<Edit> edits = edit_script(split_lines(before), split_lines(after));
  constexpr std::size_t context = 3;
  std::string out;
  std::size_t k = 0, old_line = 0, new_line = 0;  // lines of each side before edits[k]
  while (k < edits.size()) {
    std::size_t change = k;
    while (change < edits.size() && edits[change].kind == ' ') ++change;
    if (change == edits.size()) break;
    // The hunk: context before the first change, up to a run of more than
    // 2 * context kept lines (or the end), then context after.
    const std::size_t start = change - std::min(context, change - k);
    std::size_t end = change;
    while (end < edits.size()) {
      std::size_t kept = end;
      while (kept < edits.size() && edits[kept].kind == ' ') ++kept;
      if (kept == edits.size() || kept - end > 2 * context) {
        end = std::min(kept, end + context);
        break;
      }
      end = kept;
      while (end < edits.size() && edits[end].kind != ' ') ++end;
    }
    for (std::size_t i = k; i < start; ++i) ++old_line, ++new_line;
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t i = start; i < end; ++i) {
      if (edits[i].kind != '+') ++old_count;
      if (edits[i].kind != '-') ++new_count;
    }
    if (out.empty()) out = fmt::format("--- {}\n+++ {}\n", name, name);
    out += fmt::format("@@ -{} +{} @@\n", hunk_range(old_line, old_count), hunk_range(new_line, new_count));
    for (std::size_t i = start; i < end; ++i) {
      out += edits[i].kind;
      out += edits[i].line;
      if (edits[i].line.empty() || edits[i].line.back() != '\n') out += "\n\\ No newline at end of file\n";
    }
    old_line += old_count;
    new_line += new_count;
    k = end;
  }
  return out;
}

bool write_whole_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int cmd_fmt(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> files;
  bool write = false, check = false;
  po::options_description visible("fmt options"), hidden;
  visible.add_options()
      ("write,w", po::bool_switch(&write), "rewrite each file in place (only files that change)")
      ("check", po::bool_switch(&check), "change nothing; print a diff of each file that is not formatted and exit 1");
  hidden.add_options()("file", po::value<std::vector<std::string>>(&files), "files");
  po::positional_options_description positional;
  positional.add("file", -1);
  int code = 0;
  if (!parse_args("fmt", args, visible, positional, hidden, g,
                  "usage: onus fmt [--write | --check] [FILE...]\n\n"
                  "Formats policies in the canonical style (docs/formatting.md); comments are kept.\n"
                  "Without --write or --check, prints the formatted text of each file. '-' or no\n"
                  "file reads standard input. Exit codes: 0 formatted, 1 --check found files to\n"
                  "format, 2 syntax or usage errors (files with syntax errors are left alone).\n\n"
                  "examples:\n"
                  "  onus fmt policy.onus                 print the formatted policy\n"
                  "  onus fmt --write policies/*.onus     format files in place\n"
                  "  onus fmt --check $(git ls-files '*.onus')   CI: fail and show a diff if unformatted\n"
                  "  cat policy.onus | onus fmt -         format standard input\n",
                  code))
    return code;
  if (write && check) return usage_error("fmt", "--write and --check cannot be used together", "see 'onus fmt --help'");
  if (files.empty()) files.emplace_back("-");

  SourceMap sources;
  Diagnostics diagnostics;
  bool unformatted = false;
  bool write_failed = false;
  for (const auto& path : files) {
    const bool from_stdin = path == "-";
    std::string text, error;
    if (from_stdin) {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else if (!read_file(path, text, error)) {
      Diagnostic d;
      d.code = "E0101";
      d.message = error;
      d.external.file = path;
      diagnostics.add(std::move(d));
      continue;
    }
    const std::string name = from_stdin ? "<stdin>" : path;
    const SourceFile& source = sources.add(name, text);
    Diagnostics parse_diagnostics;
    const ast::File file = parse_file(source, parse_diagnostics);
    diagnostics.append(parse_diagnostics);
    if (parse_diagnostics.has_errors()) continue;  // never format a file that does not parse

    const std::string formatted = format_file(file, source);
    if (check) {
      if (formatted != text) {
        unformatted = true;
        fmt::print("{}", unified_diff(name, text, formatted));
      }
    } else if (write && !from_stdin) {
      if (formatted != text && !write_whole_file(path, formatted)) {
        fmt::print(stderr, "onus fmt: error: cannot write {}\n", path);
        write_failed = true;
      }
    } else {
      fmt::print("{}", formatted);
    }
  }
  std::fflush(stdout);
  print_diagnostics(diagnostics, sources, g);
  if (diagnostics.has_errors() || write_failed) return exit_invalid;
  return unformatted ? exit_findings : exit_ok;
}

}  // namespace onus::cli
