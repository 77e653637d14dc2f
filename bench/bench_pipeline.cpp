// Benchmark of the pipeline's stages on one Terraform plan: load + compile the
// policy (standard library included), compile its rules, read the plan once,
// then time evaluate_pipeline alone (median of the runs) and, for reference,
// rendering the report as JSON. Prints resources/s of the evaluation.
//
//   python3 bench/gen_plan.py --resources 100000 --seed 1 --out /tmp/plan-100k.json
//   build-bench/bench/bench_pipeline /tmp/plan-100k.json                  (policies/enterprise, 5 runs)
//   build-bench/bench/bench_pipeline --runs 9 --policy policies/startup PLAN
//   build-bench/bench/bench_pipeline --no-render --runs 30 PLAN            (for profiling the evaluation)
//
// Times are wall time and this thread's CPU time; on a shared machine the CPU
// figure is the steadier one. Run from the repository root.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile.hpp"
#include "engine/eval.hpp"
#include "engine/pipeline.hpp"
#include "engine/report/report.hpp"
#include "lang/loader.hpp"
#include "bench/bench_support.hpp"

using namespace onus;
using bench::median;
using bench::peak_rss_mib;

namespace {

double thread_cpu_seconds() { return bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

/// Wall and CPU seconds of one call.
struct Timing {
  double wall = 0, cpu = 0;
};

template <typename Body>
Timing timed(Body body) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu = thread_cpu_seconds();
  body();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), thread_cpu_seconds() - cpu};
}

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.all()) {
    if (d.severity == Severity::error)
      std::fprintf(stderr, "%s[%s]: %s\n", to_string(d.severity), d.code.c_str(), d.message.c_str());
  }
}

int usage() {
  std::fprintf(stderr, "usage: bench_pipeline [--runs N] [--no-render] [--policy DIR] PLAN.json\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool render = true;
  std::string policy = "policies/enterprise";
  std::string plan;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--no-render") {
      render = false;
    } else if (arg == "--policy" && i + 1 < argc) {
      policy = argv[++i];
    } else if (!arg.starts_with("-") && plan.empty()) {
      plan = arg;
    } else {
      return usage();
    }
  }
  if (plan.empty()) return usage();

  Program program;
  model::Model model;
  eval::CompiledRules rules;
  Diagnostics diagnostics;
  bool ok = true;
  const Timing setup = timed([&] {
    LoadOptions lo;
    lo.policies = {policy};
    ok = load_program(lo, program, diagnostics) && compile(program, CompileOptions{}, model, diagnostics) &&
         eval::compile_rules(program, model, rules, diagnostics);
  });
  if (!ok) {
    print_diagnostics(diagnostics);
    std::fprintf(stderr, "bench_pipeline: %s does not load or compile (run from the repository root)\n", policy.c_str());
    return 2;
  }

  BindingIndex bindings(model);
  const auto paths = bindings.attribute_paths();
  inputs::InputSet in;
  Diagnostics input_diagnostics;
  const Timing read = timed([&] { ok = inputs::read_terraform_plan(plan, paths, in, input_diagnostics); });
  if (!ok) {
    print_diagnostics(input_diagnostics);
    return 1;
  }

  PipelineOptions options;
  options.today = "2026-01-01";  // fixed: waiver expiry does not depend on the day of the run
  options.policies = {policy};
  std::vector<double> eval_wall, eval_cpu, render_wall, render_cpu;
  std::size_t findings = 0, rows = 0, json_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    report::Report rep;
    const Timing e = timed([&] { rep = evaluate_pipeline(program, model, rules, in, options); });
    eval_wall.push_back(e.wall);
    eval_cpu.push_back(e.cpu);
    std::string json;
    const Timing r = timed([&] {
      if (render) json = report::render_json(rep);
    });
    render_wall.push_back(r.wall);
    render_cpu.push_back(r.cpu);
    findings = rep.findings.size();
    rows = rep.resources.size();
    json_bytes = json.size();
  }
  const double n = static_cast<double>(in.resources.size());
  std::printf("policy            %s (%zu services, %zu rules; load+compile %.1f ms wall, %.1f ms CPU)\n",
              policy.c_str(), model.services.size(), model.rules.size(), setup.wall * 1e3, setup.cpu * 1e3);
  std::printf("plan              %s: %zu resources (%zu data sources skipped)\n", plan.c_str(), in.resources.size(),
              in.data_sources_skipped);
  std::printf("read (once)       %.3f s wall, %.3f s CPU\n", read.wall, read.cpu);
  std::printf("report            %zu resource rows, %zu findings, JSON %.1f MB\n", rows, findings,
              static_cast<double>(json_bytes) / 1e6);
  std::printf("runs              %d; evaluate_pipeline wall:", runs);
  for (double s : eval_wall) std::printf(" %.3f", s);
  std::printf(" s\n");
  std::printf("evaluate_pipeline %.3f s wall, %.3f s CPU (median): %.2f M resources/s wall, %.2f M/s CPU\n",
              median(eval_wall), median(eval_cpu), n / median(eval_wall) / 1e6, n / median(eval_cpu) / 1e6);
  std::printf("render_json       %.3f s wall, %.3f s CPU (median)\n", median(render_wall), median(render_cpu));
  std::printf("peak RSS          %.0f MiB\n", peak_rss_mib());
  return 0;
}
