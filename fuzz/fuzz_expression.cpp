// libFuzzer target for standalone expressions (`onus query EXPR`): any byte
// string must parse without a crash, a hang or an escaping exception; a parsed
// expression's spans must nest inside the input, a failed parse must say why.
//
// Run: build-fuzz/fuzz/fuzz_expression -dict=fuzz/onus.dict -max_len=1024 WORK_CORPUS
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"
#include "lang/source.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_expression: invariant broken: %s\n", what);
  std::abort();
}

// Visits every node; returns the number of nodes.
std::size_t walk(const onus::ast::Expr& e, const onus::SourceFile& source, std::size_t depth) {
  if (depth > 100000) fail("expression deeper than the input could make it");
  if (e.span.file != source.id() || e.span.begin > e.span.end || e.span.end > source.text().size())
    fail("expression span outside the input");
  std::size_t n = 1;
  for (const auto& c : e.children) {
    if (!c) fail("null child expression");
    n += walk(*c, source, depth + 1);
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onus::SourceMap sources;
  const onus::SourceFile& source =
      sources.add("<query>", std::string(reinterpret_cast<const char*>(data), size));
  onus::Diagnostics diagnostics;
  const onus::ast::ExprPtr expr = onus::parse_expression(source, diagnostics);
  if (expr) {
    (void)walk(*expr, source, 0);
  } else if (!diagnostics.has_errors()) {
    fail("no expression and no error");
  }
  diagnostics.sort(sources);
  onus::RenderOptions render;
  (void)onus::render_diagnostics(diagnostics, sources, render);
  render.format = onus::DiagnosticFormat::json;
  (void)onus::render_diagnostics(diagnostics, sources, render);
  return 0;
}
