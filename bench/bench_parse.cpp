// Benchmark of the parser: parses one policy file several times and prints the
// median parse time, MB/s, declarations and the peak RSS.
//
//   python3 bench/gen_policy.py --mb 10 --seed 1 --out /tmp/policy-10mb.onus
//   build/bench/bench_parse /tmp/policy-10mb.onus              (5 runs)
//   build/bench/bench_parse --runs 9 policies/enterprise/policy.onus
//
// Only parse_file is timed: reading the file and building the SourceFile (its
// line table) happen once, before the runs. Wall time and the process's CPU
// time are both measured: on a busy machine the CPU figure is the steadier
// one. See docs/performance.md.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lang/loader.hpp"
#include "lang/parser.hpp"
#include "bench/bench_support.hpp"

using onus::bench::peak_rss_mib;

namespace {

int usage() {
  std::fprintf(stderr, "usage: bench_parse [--runs N] FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
      if (runs < 1) return usage();
    } else if (!arg.starts_with("-") && path.empty()) {
      path = arg;
    } else {
      return usage();
    }
  }
  if (path.empty()) return usage();

  std::string text, error;
  if (!onus::read_file(path, text, error)) {
    std::fprintf(stderr, "bench_parse: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  const double mb = static_cast<double>(text.size()) / 1e6;
  onus::SourceMap sources;
  const onus::SourceFile& source = sources.add(path, std::move(text));

  std::vector<double> seconds, cpu_seconds;
  std::size_t decls = 0, diagnostics = 0;
  for (int run = 0; run < runs; ++run) {
    onus::Diagnostics ds;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const onus::ast::File file = onus::parse_file(source, ds);
    cpu_seconds.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    decls = file.decls.size();
    diagnostics = ds.all().size();
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double cpu_median = cpu_seconds[cpu_seconds.size() / 2];
  std::printf("file          %s\n", path.c_str());
  std::printf("size          %.2f MB\n", mb);
  std::printf("declarations  %zu\n", decls);
  std::printf("diagnostics   %zu\n", diagnostics);
  std::printf("runs          %d (min %.3f s, max %.3f s)\n", runs, seconds.front(), seconds.back());
  std::printf("median        %.3f s wall, %.3f s CPU\n", median, cpu_median);
  std::printf("throughput    %.1f MB/s (wall), %.1f MB/s (CPU)\n", mb / median, mb / cpu_median);
  std::printf("declarations  %.0f /s\n", static_cast<double>(decls) / median);
  std::printf("peak RSS      %.0f MiB\n", peak_rss_mib());
  return diagnostics == 0 ? 0 : 1;
}
