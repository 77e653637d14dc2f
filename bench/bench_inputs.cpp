// Benchmark of the input readers: reads one input several times and prints
// the median read time, MB/s, resources/s and the peak RSS.
//
//   python3 bench/gen_plan.py --resources 100000 --seed 1 --out /tmp/plan-100k.json
//   build/bench/bench_inputs /tmp/plan-100k.json            (5 runs, Terraform)
//   build/bench/bench_inputs --runs 9 --format cloudformation template.yaml
//
// Peak RSS is the process maximum (getrusage ru_maxrss): one read holds the
// input, simdjson's index and the resources; runs do not accumulate.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "engine/inputs/resource.hpp"
#include "bench/bench_support.hpp"

using onus::bench::peak_rss_mib;

namespace {

using onus::inputs::Format;

/// Paths a typical policy binds (the stdlib's AWS mappings ask for similar ones).
const std::map<std::string, std::vector<std::string>, std::less<>>& bench_paths() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> paths = {
      {"aws_ecs_service", {"launch_type", "network_configuration.assign_public_ip"}},
      {"aws_lambda_function", {"package_type", "runtime"}},
      {"aws_instance", {"instance_type", "metadata_options.http_tokens", "root_block_device.encrypted"}},
      {"aws_s3_bucket",
       {"acl", "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm"}},
      {"aws_db_instance", {"engine", "storage_encrypted", "publicly_accessible"}},
      {"aws_eks_cluster", {"vpc_config.endpoint_public_access"}},
      {"AWS::ECS::Service", {"LaunchType"}},
      {"AWS::Lambda::Function", {"PackageType", "Runtime"}},
      {"AWS::EC2::Instance", {"InstanceType"}},
  };
  return paths;
}

int usage() {
  std::fprintf(stderr, "usage: bench_inputs [--runs N] [--format terraform|cloudformation|inventory] FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string format = "terraform";
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--format" && i + 1 < argc) {
      format = argv[++i];
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return usage();
    } else {
      path = arg;
    }
  }
  if (path.empty()) return usage();

  const onus::inputs::AttributePaths paths = [](Format, std::string_view type) -> const std::vector<std::string>* {
    const auto& table = bench_paths();
    auto it = table.find(type);
    return it == table.end() ? nullptr : &it->second;
  };
  struct stat info {};
  const double megabytes = ::stat(path.c_str(), &info) == 0 ? static_cast<double>(info.st_size) / 1e6 : 0.0;

  std::vector<double> seconds;
  std::size_t resources = 0;
  std::size_t attributes = 0;
  std::size_t data_sources = 0;
  for (int run = 0; run < runs; ++run) {
    onus::inputs::InputSet set;
    onus::Diagnostics diagnostics;
    const auto start = std::chrono::steady_clock::now();
    bool ok = false;
    if (format == "terraform") {
      ok = onus::inputs::read_terraform_plan(path, paths, set, diagnostics);
    } else if (format == "cloudformation") {
      ok = onus::inputs::read_cloudformation(path, paths, set, diagnostics);
    } else if (format == "inventory") {
      ok = onus::inputs::read_inventory(path, paths, set, diagnostics);
    } else {
      return usage();
    }
    const auto stop = std::chrono::steady_clock::now();
    if (!ok) {
      for (const auto& d : diagnostics.all()) {
        std::fprintf(stderr, "%s:%u:%u: %s[%s]: %s\n", d.external.file.c_str(), d.external.line, d.external.column,
                     onus::to_string(d.severity), d.code.c_str(), d.message.c_str());
      }
      return 1;
    }
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
    resources = set.resources.size();
    data_sources = set.data_sources_skipped;
    attributes = 0;
    for (const auto& resource : set.resources) attributes += resource.attributes.size();
  }
  const double median = onus::bench::median(seconds);
  std::printf("file            %s (%.1f MB)\n", path.c_str(), megabytes);
  std::printf("resources       %zu (%zu attributes bound, %zu data sources skipped)\n", resources, attributes,
              data_sources);
  std::printf("runs            %d:", runs);
  for (double s : seconds) std::printf(" %.3f", s);
  std::printf(" s\n");
  std::printf("median read     %.3f s\n", median);
  std::printf("throughput      %.0f MB/s, %.0f resources/s\n", megabytes / median,
              static_cast<double>(resources) / median);
  std::printf("peak RSS        %.0f MiB (%.2fx the file)\n", peak_rss_mib(),
              megabytes > 0 ? peak_rss_mib() * 1.048576 / megabytes : 0.0);
  return 0;
}
