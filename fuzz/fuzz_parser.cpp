// libFuzzer target for the parser: any byte string given as a policy file must
// parse without a crash, a hang or an escaping exception; every diagnostic must
// render (human with and without colour, plain, JSON) and the JSON must be valid;
// the syntax tree must dump; spans must stay inside the file.
//
// Run (see docs/building.md):
//   build-fuzz/fuzz/fuzz_parser -dict=fuzz/onus.dict -max_len=4096 WORK_CORPUS fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"
#include "lang/source.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_parser: invariant broken: %s\n", what);
  std::abort();
}

void check_span(const onus::Span& span, const onus::SourceFile& source, const char* what) {
  if (!span.valid()) return;
  if (span.file != source.id()) fail(what);
  if (span.begin > span.end || span.end > source.text().size()) fail(what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onus::SourceMap sources;
  const onus::SourceFile& source =
      sources.add("fuzz.onus", std::string(reinterpret_cast<const char*>(data), size));
  onus::Diagnostics diagnostics;
  onus::ParseOptions options;
  options.max_errors = 20;  // keeps each run short; the cap itself (E0009) is exercised too
  const onus::ast::File file = onus::parse_file(source, diagnostics, options);

  for (const auto& decl : file.decls) check_span(onus::ast::span_of(decl), source, "declaration span");
  if (file.package) check_span(file.package->span, source, "package span");
  for (const auto& imp : file.imports) check_span(imp.span, source, "import span");
  for (const auto& d : diagnostics.all()) {
    check_span(d.span, source, "diagnostic span");
    if (d.code.empty() || d.message.empty()) fail("diagnostic without code or message");
    for (const auto& n : d.notes) check_span(n.span, source, "note span");
  }
  (void)onus::ast::dump(file, source);

  diagnostics.sort(sources);
  for (const auto& d : diagnostics.all()) {
    (void)onus::render_human(d, sources, true);
    (void)onus::render_human(d, sources, false);
  }
  onus::RenderOptions render;
  render.format = onus::DiagnosticFormat::plain;
  (void)onus::render_diagnostics(diagnostics, sources, render);
  render.format = onus::DiagnosticFormat::human;
  render.max_errors = 2;
  (void)onus::render_diagnostics(diagnostics, sources, render);
  render.format = onus::DiagnosticFormat::json;
  render.max_errors = 0;
  const std::string json = onus::render_diagnostics(diagnostics, sources, render);
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) fail("the JSON rendering is not valid JSON");
  if (parsed.at("diagnostics").size() != diagnostics.all().size()) fail("the JSON rendering lost diagnostics");
  return 0;
}
