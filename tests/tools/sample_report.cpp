// onus_sample_report DIR: writes every report format of a realistic sample
// report into DIR (report.txt, report-color.txt, report.json, report.sarif,
// report.junit.xml, report.github.txt, report.step-summary.md, report.md).
// tests/scripts/report_formats.sh validates them with tests/tools/validate_report.py.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "onus_sample_report: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: onus_sample_report DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const onus::report::Report report = onus::report::sample::make_sample_report();
  std::string step_summary;
  const std::string github = onus::report::render_github(report, step_summary);
  bool ok = true;
  ok = write_file(dir + "/report.txt", onus::report::render_text(report, false)) && ok;
  ok = write_file(dir + "/report-color.txt", onus::report::render_text(report, true)) && ok;
  ok = write_file(dir + "/report.json", onus::report::render_json(report)) && ok;
  ok = write_file(dir + "/report.sarif", onus::report::render_sarif(report)) && ok;
  ok = write_file(dir + "/report.junit.xml", onus::report::render_junit(report)) && ok;
  ok = write_file(dir + "/report.github.txt", github) && ok;
  ok = write_file(dir + "/report.step-summary.md", step_summary) && ok;
  ok = write_file(dir + "/report.md", onus::report::render_markdown(report)) && ok;
  return ok ? 0 : 1;
}
