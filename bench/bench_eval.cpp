// Benchmark of the expression evaluator: compiled expressions evaluated in-process
// against the standard library plus a policy. Prints the median time per evaluation
// of each expression over 15 rounds (thread CPU time).
//
//   bench_eval [POLICY_DIR]      (default policies/enterprise, run from the repository root)
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <time.h>

#include "engine/compile.hpp"
#include "engine/eval.hpp"
#include "lang/loader.hpp"
#include "lang/parser.hpp"

using namespace onus;

namespace {

/// CPU time of this thread in nanoseconds: on a shared machine, wall time measures the neighbours.
double cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string policy = argc > 1 ? argv[1] : "policies/enterprise";
  Program program;
  Diagnostics diagnostics;
  LoadOptions lo;
  lo.policies = {policy};
  if (!load_program(lo, program, diagnostics)) {
    std::fprintf(stderr, "bench_eval: cannot load %s (run from the repository root)\n", policy.c_str());
    return 2;
  }
  model::Model model;
  compile(program, CompileOptions{}, model, diagnostics);

  // Resources under evaluation: 10 Lambda functions (half of them container images), 10 EC2 instances.
  std::vector<eval::EvalResource> resources;
  std::vector<std::string> addresses;  // EvalResource borrows its address
  addresses.reserve(20);
  const auto lambda = model.find_service("aws.lambda");
  const auto ec2 = model.find_service("aws.ec2");
  if (!lambda || !ec2) {
    std::fprintf(stderr, "bench_eval: aws.lambda or aws.ec2 missing\n");
    return 2;
  }
  for (int i = 0; i < 10; ++i) {
    eval::EvalResource fn;
    fn.address = addresses.emplace_back("aws_lambda_function.f" + std::to_string(i));
    fn.type = "aws_lambda_function";
    fn.service = *lambda;
    fn.attributes = {{"package_type", i % 2 ? "Image" : "Zip"}};
    resources.push_back(fn);
    eval::EvalResource vm;
    vm.address = addresses.emplace_back("aws_instance.i" + std::to_string(i));
    vm.type = "aws_instance";
    vm.service = *ec2;
    resources.push_back(vm);
  }
  eval::EvalContext context(model, resources);

  const std::vector<std::string> expressions = {
      "owner(aws.ec2, guest_os.patching) == customer",
      "team(aws.ec2, guest_os.patching) != none",
      "owner(aws.s3, data.encryption_at_rest) == shared and team(aws.s3, data.encryption_at_rest) in {security, platform}",
      "all s in used_services: team(s, data.encryption_at_rest) != none",
      "all r in resources(aws.lambda): owner(r, runtime.patching) == provider",
      "count(responsibilities(aws.lambda, customer)) > 3",
      "all s in services: owner(s, physical) == provider",
  };
  std::printf("%-110s %12s\n", "expression", "median ns");
  int status = 0;
  for (const auto& text : expressions) {
    const SourceFile& source = program.sources.add("<bench>", text);
    Diagnostics d;
    const ast::ExprPtr tree = parse_expression(source, d);
    eval::CompiledExpr compiled;
    if (!tree || !eval::compile_condition(*tree, model, eval::query_scope(), compiled, d)) {
      std::fprintf(stderr, "bench_eval: %s does not compile\n", text.c_str());
      status = 1;
      continue;
    }
    // Iterations so that one round takes about 20 ms.
    std::size_t iterations = 1000;
    volatile bool sink = false;
    for (;;) {
      const double start = cpu_ns();
      for (std::size_t i = 0; i < iterations; ++i) sink = eval::evaluate_bool(compiled, context);
      if (cpu_ns() - start > 20e6 || iterations > (std::size_t{1} << 28)) break;
      iterations *= 2;
    }
    std::vector<double> rounds;
    for (int round = 0; round < 15; ++round) {
      const double start = cpu_ns();
      for (std::size_t i = 0; i < iterations; ++i) sink = eval::evaluate_bool(compiled, context);
      rounds.push_back((cpu_ns() - start) / static_cast<double>(iterations));
    }
    std::sort(rounds.begin(), rounds.end());
    std::printf("%-110s %12.1f   (%s)\n", text.c_str(), rounds[rounds.size() / 2], sink ? "true" : "false");
  }
  return status;
}
