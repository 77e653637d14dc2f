// Benchmark of queries after compilation: Model::cell(s, r) (the matrix lookup
// behind `onus who`), the by-name lookup (find_service + find_row + cell), and
// eval::evaluate (a general query building a Value, as `onus query` does) on a
// few compiled expressions. Loads the standard library and a policy once, then
// prints the median time per operation over 15 rounds (thread CPU time: on a
// shared machine wall time measures the neighbours).
//
//   build-bench/bench/bench_lookup [POLICY_DIR]     (default policies/enterprise, from the repository root)
//   build-bench/bench/bench_lookup --quick          (one short round of each: for callgrind, see
//                                                    bench/README.md; the timed loops are the
//                                                    noinline functions run_*)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>

#include "engine/compile.hpp"
#include "engine/eval.hpp"
#include "lang/loader.hpp"
#include "lang/parser.hpp"

using namespace onus;

namespace {

double cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

struct Pair {
  model::ServiceId service;
  model::RowId row;
};

/// Looks up every pair once; returns a checksum of the owners and teams.
[[gnu::noinline]] std::uint64_t run_cells(const model::Model& model, const std::vector<Pair>& pairs) {
  std::uint64_t sum = 0;
  for (const Pair& p : pairs) {
    const model::Cell& c = model.cell(p.service, p.row);
    sum += static_cast<std::uint64_t>(c.owner) + static_cast<std::uint64_t>(c.team + 1);
  }
  return sum;
}

/// The lookup of `onus who SERVICE ROW` after parsing its arguments: names -> ids -> cell.
[[gnu::noinline]] std::uint64_t run_by_name(const model::Model& model, const std::vector<std::string>& services,
                                            const std::vector<std::string>& rows, std::size_t count) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto s = model.find_service(services[i % services.size()]);
    const auto r = model.find_row(rows[i % rows.size()]);
    if (s && r) sum += static_cast<std::uint64_t>(model.cell(*s, *r).owner);
  }
  return sum;
}

/// eval::evaluate `count` times (builds a Value each time, as `onus query` does).
[[gnu::noinline]] std::uint64_t run_evaluate(const eval::CompiledExpr& expr, eval::EvalContext& context,
                                             std::size_t count) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += static_cast<std::uint64_t>(eval::evaluate(expr, context).scalar);
  return sum;
}

/// eval::evaluate_bool `count` times (the rules' hot path).
[[gnu::noinline]] std::uint64_t run_evaluate_bool(const eval::CompiledExpr& expr, eval::EvalContext& context,
                                                  std::size_t count) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += eval::evaluate_bool(expr, context) ? 1 : 0;
  return sum;
}

/// Median ns per operation of `body(n)` (which performs n operations) over 15 rounds of ~20 ms.
template <typename Body>
double median_ns(Body body, bool quick, std::uint64_t& sink) {
  std::size_t n = 1000;
  if (quick) {
    sink += body(n);
    return 0;
  }
  for (;;) {
    const double start = cpu_ns();
    sink += body(n);
    if (cpu_ns() - start > 20e6 || n > (std::size_t{1} << 30)) break;
    n *= 2;
  }
  std::vector<double> rounds;
  for (int round = 0; round < 15; ++round) {
    const double start = cpu_ns();
    sink += body(n);
    rounds.push_back((cpu_ns() - start) / static_cast<double>(n));
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[rounds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string policy = "policies/enterprise";
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else {
      policy = arg;
    }
  }
  Program program;
  Diagnostics diagnostics;
  LoadOptions lo;
  lo.policies = {policy};
  if (!load_program(lo, program, diagnostics)) {
    std::fprintf(stderr, "bench_lookup: cannot load %s (run from the repository root)\n", policy.c_str());
    return 2;
  }
  model::Model model;
  if (!compile(program, CompileOptions{}, model, diagnostics)) {
    std::fprintf(stderr, "bench_lookup: %s does not compile\n", policy.c_str());
    return 2;
  }
  std::printf("model: %zu services x %zu rows = %zu cells\n", model.services.size(), model.rows.size(),
              model.cells.size());
  std::uint64_t sink = 0;

  // 1. Model::cell over pseudo-random (service, row) pairs (1M pairs: the
  // matrix does not fit in L1, as in a long-running process answering many queries).
  std::vector<Pair> pairs(1 << 20);
  std::mt19937 random(1);
  for (auto& p : pairs) {
    p.service = static_cast<model::ServiceId>(random() % model.services.size());
    p.row = static_cast<model::RowId>(random() % model.rows.size());
  }
  const double cell_ns = median_ns(
      [&](std::size_t n) {
        std::uint64_t s = 0;
        for (std::size_t done = 0; done < n; done += pairs.size()) {
          if (n - done >= pairs.size()) {
            s += run_cells(model, pairs);
          } else {
            std::vector<Pair> part(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(n - done));
            s += run_cells(model, part);
          }
        }
        return s;
      },
      quick, sink);
  std::printf("%-70s %10.2f ns\n", "Model::cell(s, r), random pairs", cell_ns);

  // 2. By name, as `onus who aws.ec2 guest_os.patching` after parsing arguments.
  const std::vector<std::string> service_names = {"aws.ec2", "aws.s3", "aws.lambda", "azure.virtual_machines", "gcp.compute_engine"};
  const std::vector<std::string> row_names = {"guest_os.patching", "data.encryption_at_rest", "guest_os", "identity.mfa"};
  const double by_name_ns =
      median_ns([&](std::size_t n) { return run_by_name(model, service_names, row_names, n); }, quick, sink);
  std::printf("%-70s %10.2f ns\n", "find_service + find_row + cell (by name)", by_name_ns);

  // 3. Compiled expressions, evaluated as `onus query` does (a Value) and as rules do (bool).
  eval::EvalContext context(model);
  const std::vector<std::string> expressions = {
      "owner(aws.ec2, guest_os.patching) == customer",
      "owner(aws.ec2, guest_os.patching)",
      "team(aws.ec2, guest_os.patching)",
      "team(aws.ec2, guest_os.patching) != none",
      "responsibilities(aws.ec2, customer)",
  };
  int status = 0;
  for (const auto& text : expressions) {
    const SourceFile& source = program.sources.add("<bench>", text);
    Diagnostics d;
    const ast::ExprPtr tree = parse_expression(source, d);
    eval::CompiledExpr compiled;
    if (!tree || !eval::compile_expression(*tree, model, eval::query_scope(), compiled, d)) {
      std::fprintf(stderr, "bench_lookup: %s does not compile\n", text.c_str());
      status = 1;
      continue;
    }
    const double value_ns = median_ns([&](std::size_t n) { return run_evaluate(compiled, context, n); }, quick, sink);
    const eval::Value v = eval::evaluate(compiled, context);
    std::printf("%-70s %10.2f ns  = %s\n", ("evaluate: " + text).c_str(), value_ns,
                eval::format_value(v, compiled, context).c_str());
    if (compiled.type().kind == eval::Kind::boolean) {
      const double bool_ns =
          median_ns([&](std::size_t n) { return run_evaluate_bool(compiled, context, n); }, quick, sink);
      std::printf("%-70s %10.2f ns\n", ("evaluate_bool: " + text).c_str(), bool_ns);
    }
  }
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(sink));
  return status;
}
