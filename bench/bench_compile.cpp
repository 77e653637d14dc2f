// Benchmark of loading and compiling a large model: loads a policy directory
// (normally a synthetic provider package from bench/gen_model.py) and times
// load_program (read + parse + imports) and compile (the responsibility matrix,
// the organisation, the checks) separately. Prints the median of the runs, wall
// and CPU time, and the model's size.
//
//   python3 bench/gen_model.py --services 1000 --out /tmp/onus-model-1000
//   build-bench/bench/bench_compile /tmp/onus-model-1000            (5 runs)
//   build-bench/bench/bench_compile --runs 9 --full-stdlib DIR
//
// By default only the standard library's `core` package is loaded with the
// directory (LoadOptions::stdlib_only, when this build has it): the synthetic
// package declares its own areas, which the provider packages' services do not
// cover. --full-stdlib loads everything (expect E0301 errors from a synthetic
// package; the work done is the same).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile.hpp"
#include "lang/loader.hpp"
#include "bench/bench_support.hpp"

using namespace onus;
using bench::cpu_seconds;
using bench::median;
using bench::peak_rss_mib;

namespace {

int usage() {
  std::fprintf(stderr, "usage: bench_compile [--runs N] [--full-stdlib] DIR_OR_FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool full = false;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--full-stdlib") {
      full = true;
    } else if (!arg.starts_with("-") && path.empty()) {
      path = arg;
    } else {
      return usage();
    }
  }
  if (path.empty()) return usage();

  std::vector<double> load_wall, load_cpu, compile_wall, compile_cpu;
  std::size_t rows = 0, services = 0, cells = 0, files = 0, errors = 0, warnings = 0;
  const bool core_only = !full;
  for (int run = 0; run < runs; ++run) {
    Program program;
    Diagnostics diagnostics;
    LoadOptions lo;
    lo.policies = {path};
    if (core_only) lo.stdlib_only = {"core"};

    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_seconds();
    const bool loaded = load_program(lo, program, diagnostics);
    load_cpu.push_back(cpu_seconds() - c0);
    load_wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!loaded) {
      for (const auto& d : diagnostics.all()) std::fprintf(stderr, "%s[%s]: %s\n", to_string(d.severity), d.code.c_str(), d.message.c_str());
      std::fprintf(stderr, "bench_compile: cannot load %s\n", path.c_str());
      return 1;
    }

    model::Model model;
    t0 = std::chrono::steady_clock::now();
    c0 = cpu_seconds();
    compile(program, CompileOptions{}, model, diagnostics);
    compile_cpu.push_back(cpu_seconds() - c0);
    compile_wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

    rows = model.rows.size();
    services = model.services.size();
    cells = model.cells.size();
    files = program.files.size();
    errors = warnings = 0;
    for (const auto& d : diagnostics.all()) {
      if (d.severity == Severity::error) ++errors;
      if (d.severity == Severity::warning) ++warnings;
    }
    if (run == 0 && errors > 0) {
      int shown = 0;
      for (const auto& d : diagnostics.all()) {
        if (d.severity != Severity::error || ++shown > 3) continue;
        std::fprintf(stderr, "first errors: %s[%s]: %s\n", to_string(d.severity), d.code.c_str(), d.message.c_str());
      }
    }
  }
  std::printf("input         %s (%zu files loaded, %s)\n", path.c_str(), files,
              core_only ? "stdlib: core only" : "stdlib: all packages");
  std::printf("model         %zu services x %zu rows = %zu cells\n", services, rows, cells);
  std::printf("diagnostics   %zu errors, %zu warnings\n", errors, warnings);
  std::printf("runs          %d\n", runs);
  std::printf("load+parse    %9.2f ms wall  %9.2f ms CPU (median)\n", median(load_wall) * 1e3, median(load_cpu) * 1e3);
  std::printf("compile       %9.2f ms wall  %9.2f ms CPU (median)\n", median(compile_wall) * 1e3,
              median(compile_cpu) * 1e3);
  std::printf("peak RSS      %.0f MiB\n", peak_rss_mib());
  return errors == 0 ? 0 : 1;
}
