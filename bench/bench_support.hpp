// Measurement helpers shared by the benchmarks (header only: each bench_*.cpp
// is its own executable).
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <ctime>
#include <vector>

namespace onus::bench {

/// Peak resident set size of this process, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

/// CPU time of `clock` (CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID), in seconds.
inline double cpu_seconds(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

/// The median (the upper one for an even count) of non-empty samples.
inline double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace onus::bench
