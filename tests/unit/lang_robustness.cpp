// Bad input never crashes the parser: empty files, binary garbage, invalid
// UTF-8, control characters, stray bytes, a 50 MB policy.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <random>
#include <string>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"
#include "lang/source.hpp"

namespace ast = onus::ast;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

struct Result {
  onus::SourceMap sources;
  onus::Diagnostics diagnostics;
  ast::File file;
  const onus::SourceFile* source = nullptr;
};

std::unique_ptr<Result> parse(std::string text) {
  auto r = std::make_unique<Result>();
  r->source = &r->sources.add("input.onus", std::move(text));
  r->file = onus::parse_file(*r->source, r->diagnostics);
  return r;
}

// Everything a command does with a parse result: dump, sort, render.
void use_everything(Result& r) {
  (void)ast::dump(r.file, *r.source);
  r.diagnostics.sort(r.sources);
  for (const auto format : {onus::DiagnosticFormat::human, onus::DiagnosticFormat::plain, onus::DiagnosticFormat::json}) {
    onus::RenderOptions options;
    options.format = format;
    options.color = true;
    (void)onus::render_diagnostics(r.diagnostics, r.sources, options);
  }
}

}  // namespace

TEST_CASE("an empty file parses to nothing, without diagnostics", "[robustness]") {
  for (const char* text : {"", "\n", "   \t\r\n", "# only a comment", "\xEF\xBB\xBF"}) {
    auto r = parse(text);
    INFO(text);
    CHECK(r->diagnostics.empty());
    CHECK_FALSE(r->file.package);
    CHECK(r->file.decls.empty());
    use_everything(*r);
  }
}

TEST_CASE("invalid UTF-8 is E0002 at the first bad byte", "[robustness]") {
  auto r = parse("package a\nparty x \"caf\xC3\xA9\"\n# \xE9t\xE9\n");
  REQUIRE(r->diagnostics.all().size() == 1);
  const auto& d = r->diagnostics.all()[0];
  CHECK(d.code == "E0002");
  CHECK(d.message == "this file is not valid UTF-8");
  const auto lc = r->source->line_column(d.span.begin);
  CHECK(lc.line == 3);
  CHECK(lc.column == 3);
  use_everything(*r);
}

TEST_CASE("binary garbage gives diagnostics, not a crash", "[robustness]") {
  SECTION("an ELF header") {
    auto r = parse(std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 20));
    REQUIRE_FALSE(r->diagnostics.empty());
    CHECK(r->diagnostics.all()[0].code == "E0001");
    CHECK(r->diagnostics.all()[0].message.ends_with("found a control character (byte 0x7F)"));
    use_everything(*r);
  }
  SECTION("NUL bytes inside a valid file") {
    auto r = parse(std::string("package a\nparty \0x\n", 20));
    REQUIRE(r->diagnostics.all().size() == 1);
    CHECK(r->diagnostics.all()[0].message.ends_with("found a control character (byte 0x00)"));
    const std::string shown = onus::render_human(r->diagnostics.all()[0], r->sources, false);
    CHECK(shown.find('\0') == std::string::npos);  // the line is made printable
    use_everything(*r);
  }
  SECTION("random bytes, many seeds") {
    std::mt19937 rng(12345);
    for (int round = 0; round < 300; ++round) {
      std::string text(static_cast<std::size_t>(rng() % 2000), '\0');
      for (auto& c : text) c = static_cast<char>(rng() % 256);
      auto r = parse(text);
      use_everything(*r);
    }
    SUCCEED("no crash");
  }
  SECTION("random keywords and punctuation") {
    const char* tokens[] = {"package", "import", "party", "layer", "area", "model", "service", "rule", "test",
                            "expect", "when", "shared", "all", "in", "not", "{", "}", "(", ")", ":", ",", "..",
                            "->", "==", "=", "\"", "\"s\"", "x", "a.b", "\n", " ", "#c\n", "2027-01-01", "9"};
    std::mt19937 rng(777);
    for (int round = 0; round < 300; ++round) {
      std::string text;
      const auto n = rng() % 200;
      for (std::uint32_t i = 0; i < n; ++i) text += tokens[rng() % std::size(tokens)] + std::string(" ");
      auto r = parse(text);
      use_everything(*r);
    }
    SUCCEED("no crash");
  }
}

TEST_CASE("every prefix of a valid file parses without a crash", "[robustness]") {
  const std::string text =
      "package a\nimport aws.{ec2}\nlayer l \"L\" { area x \"X\" }\n"
      "service s \"S\" : core.iaas { when t in {\"a\", \"b\"} { provider: l.x } shared l { customer \"c\" } }\n"
      "resources terraform { \"aws_*\" -> s { t = a.b default \"z\" } }\n"
      "rule r hard \"R\" { all s in services: owner(s, l) != none or {1} == {} }\n"
      "waive r for \"x\" until 2027-01-01 \"y\"\n"
      "test \"t\" { resource aws_instance \"i\" { a = \"b\" } expect not r }\n";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto r = parse(text.substr(0, n));
    use_everything(*r);
  }
  auto whole = parse(text);
  CHECK(whole->diagnostics.empty());
}

TEST_CASE("a 50 MB policy parses in reasonable time", "[robustness][large]") {
  // '@' stands for a number that makes each declaration's name unique.
  const std::string block =
      "service svc@ \"A generated service\" : core.iaas {\n"
      "  customer: guest_os.patching, runtime..data\n"
      "  when tier in {\"gold\", \"silver\"} and size != \"small\" { provider: guest_os }\n"
      "  source \"https://example.com/services/@\"\n"
      "}\n"
      "# a comment between declarations\n"
      "rule r@ mandatory \"generated\" { all s in used_services: team(s, data) != none or count(services) > 3 }\n";
  std::string text = "package big\n";
  text.reserve((50u << 20) + 1024);
  std::size_t count = 0;
  while (text.size() < (50u << 20)) {
    const std::string id = std::to_string(count++);
    for (const char c : block) {
      if (c == '@') text += id;
      else text += c;
    }
  }
  // CPU time, not wall time: the machine may be busy with other builds.
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  auto r = parse(text);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r->diagnostics.empty());
  CHECK(r->file.decls.size() == 2 * count);
  INFO("parsed " << (text.size() >> 20) << " MiB in " << cpu << " s CPU, " << wall << " s wall");
  // A Release build needs about 3 s; sanitizer builds are up to 20 times slower.
  CHECK(cpu < (sanitized ? 300.0 : 60.0));
}
