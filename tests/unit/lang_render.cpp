// Rendering diagnostics: caret placement with tabs and UTF-8, plain and JSON
// formats, the --max-errors cap, colour on and off.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "lang/diagnostic.hpp"
#include "lang/source.hpp"

using onus::Diagnostics;
using onus::DiagnosticFormat;
using onus::RenderOptions;
using onus::SourceMap;
using onus::Span;

namespace {

// The byte offset of the first occurrence of `needle` in a file's text.
std::uint32_t offset_of(const onus::SourceFile& f, std::string_view needle) {
  const auto at = f.text().find(needle);
  REQUIRE(at != std::string_view::npos);
  return static_cast<std::uint32_t>(at);
}

}  // namespace

TEST_CASE("human format: location, source line and caret", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("p.onus", "package a\nrule r hard { a = b }\n");
  Diagnostics ds;
  const auto at = offset_of(f, "=");
  ds.error("E0001", Span{f.id(), at, at + 1}, "'=' is not a comparison").with_help("use '==' to compare two values");
  CHECK(onus::render_human(ds.all()[0], sources, false) ==
        "p.onus:2:17: error[E0001]: '=' is not a comparison\n"
        "    2 | rule r hard { a = b }\n"
        "      |                 ^\n"
        "      = help: use '==' to compare two values\n");
}

TEST_CASE("the caret lines up under tabs and UTF-8", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("u.onus", "package a\n\tparty \xC3\xBC\xE6\x97\xA5 \"x\"\n");
  Diagnostics ds;
  const auto at = offset_of(f, "\"x\"");
  ds.error("E0001", Span{f.id(), at, at + 3}, "message");
  const std::string out = onus::render_human(ds.all()[0], sources, false);
  // Tabs are copied, every other code point becomes one space; the underline spans 3 code points.
  CHECK(out ==
        "u.onus:2:11: error[E0001]: message\n"
        "    2 | \tparty \xC3\xBC\xE6\x97\xA5 \"x\"\n"
        "      | \t         ^~~\n");
}

TEST_CASE("a span over a multi-byte token underlines code points", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("u.onus", "party \xC3\xBC\xC3\xBC\xC3\xBC x\n");
  Diagnostics ds;
  ds.error("E0001", Span{f.id(), 6, 12}, "m");
  const std::string out = onus::render_human(ds.all()[0], sources, false);
  CHECK(out.ends_with("      |       ^~~\n"));
}

TEST_CASE("a span at the end of a line or the file still shows a caret", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("e.onus", "party \"abc");
  Diagnostics ds;
  ds.error("E0001", Span{f.id(), 10, 10}, "unterminated");
  CHECK(onus::render_human(ds.all()[0], sources, false) ==
        "e.onus:1:11: error[E0001]: unterminated\n"
        "    1 | party \"abc\n"
        "      |           ^\n");
}

TEST_CASE("CRLF lines are shown without the carriage return", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("c.onus", "package a\r\nparty 1\r\n");
  Diagnostics ds;
  ds.error("E0001", Span{f.id(), 17, 18}, "m");
  CHECK(onus::render_human(ds.all()[0], sources, false) ==
        "c.onus:2:7: error[E0001]: m\n"
        "    2 | party 1\n"
        "      |       ^\n");
}

TEST_CASE("very long lines are cut around the column", "[render]") {
  SourceMap sources;
  const std::string line = std::string(1000, 'a') + "X" + std::string(1000, 'b');
  const auto& f = sources.add("long.onus", line);
  Diagnostics ds;
  ds.error("E0001", Span{f.id(), 1000, 1001}, "m");
  const std::string out = onus::render_human(ds.all()[0], sources, false);
  CHECK(out.starts_with("long.onus:1:1001: error[E0001]: m\n"));
  // The shown line is at most 120 characters and the caret is under the X.
  const auto l2 = out.find('\n') + 1;
  const auto l3 = out.find('\n', l2) + 1;
  const std::string shown = out.substr(l2 + 8, out.find('\n', l2) - l2 - 8);
  const std::string caret = out.substr(l3 + 8, out.find('\n', l3) - l3 - 8);
  CHECK(shown.size() <= 120);
  REQUIRE(caret.find('^') != std::string::npos);
  CHECK(shown.at(caret.find('^')) == 'X');
}

TEST_CASE("notes and diagnostics outside the source map", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("n.onus", "package dup\n");
  Diagnostics ds;
  ds.error("E0103", Span{f.id(), 8, 11}, "package 'dup' is already defined").note(Span{f.id(), 0, 11}, "first defined here");
  onus::Diagnostic external;
  external.code = "E0101";
  external.message = "no such file or directory";
  external.external.file = "missing.onus";
  ds.add(external);
  ds.error("E0009", Span{}, "no location at all");
  CHECK(onus::render_human(ds.all()[0], sources, false) ==
        "n.onus:1:9: error[E0103]: package 'dup' is already defined\n"
        "    1 | package dup\n"
        "      |         ^~~\n"
        "n.onus:1:1: note: first defined here\n"
        "    1 | package dup\n"
        "      | ^~~~~~~~~~~\n");
  CHECK(onus::render_human(ds.all()[1], sources, false) == "missing.onus: error[E0101]: no such file or directory\n");
  CHECK(onus::render_human(ds.all()[2], sources, false) == "error[E0009]: no location at all\n");
}

TEST_CASE("colour on and off", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("p.onus", "party 1\n");
  Diagnostics ds;
  ds.error("E0001", Span{f.id(), 6, 7}, "m");
  ds.warning("W0001", Span{f.id(), 0, 5}, "w");
  const std::string plain = onus::render_human(ds.all()[0], sources, false);
  const std::string coloured = onus::render_human(ds.all()[0], sources, true);
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(coloured.find("\x1b[") != std::string::npos);
  CHECK(coloured.find("\x1b[1m\x1b[91merror[E0001]:") != std::string::npos);  // bold bright red
  CHECK(onus::render_human(ds.all()[1], sources, true).find("\x1b[95mwarning[W0001]:") != std::string::npos);
  // Stripping the escapes gives the plain text back.
  std::string stripped;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      while (i < coloured.size() && coloured[i] != 'm') ++i;
    } else {
      stripped += coloured[i];
    }
  }
  CHECK(stripped == plain);
  // render_diagnostics: colour only for the human format.
  RenderOptions options;
  options.color = true;
  options.format = DiagnosticFormat::plain;
  CHECK(onus::render_diagnostics(ds, sources, options).find('\x1b') == std::string::npos);
  options.format = DiagnosticFormat::human;
  CHECK(onus::render_diagnostics(ds, sources, options).find('\x1b') != std::string::npos);
  options.color = false;
  CHECK(onus::render_diagnostics(ds, sources, options).find('\x1b') == std::string::npos);
}

TEST_CASE("plain format: one line per diagnostic, notes and help", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("p.onus", "package dup\nparty 1\n");
  Diagnostics ds;
  ds.error("E0103", Span{f.id(), 8, 11}, "already defined").note(Span{f.id(), 0, 7}, "here").with_help("rename it");
  ds.warning("W0001", Span{f.id(), 18, 19}, "a warning");
  onus::Diagnostic external;
  external.code = "E0101";
  external.message = "missing";
  external.external.file = "x.onus";
  external.external.line = 3;
  external.external.column = 4;
  ds.add(external);
  RenderOptions options;
  options.format = DiagnosticFormat::plain;
  CHECK(onus::render_diagnostics(ds, sources, options) ==
        "p.onus:1:9: error[E0103]: already defined\n"
        "p.onus:1:1: note: here\n"
        "help: rename it\n"
        "p.onus:2:7: warning[W0001]: a warning\n"
        "x.onus:3:4: error[E0101]: missing\n");
}

TEST_CASE("JSON format: valid JSON with locations, notes, help and counts", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("dir/\"q\".onus", "package dup\n\tparty \xC3\xBC\n");
  Diagnostics ds;
  ds.error("E0103", Span{f.id(), 8, 11}, "already \"defined\"\n").note(Span{f.id(), 0, 7}, "here");
  ds.warning("W0001", Span{f.id(), 19, 21}, "tab\tand \x01 control").with_help("a help");
  onus::Diagnostic external;
  external.code = "E0101";
  external.message = "missing";
  external.external.file = "x.onus";
  ds.add(external);
  RenderOptions options;
  options.format = DiagnosticFormat::json;
  options.color = true;  // never applies to JSON
  const std::string text = onus::render_diagnostics(ds, sources, options);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.ends_with("}\n"));
  const auto json = nlohmann::json::parse(text);
  REQUIRE(json["diagnostics"].size() == 3);
  const auto& first = json["diagnostics"][0];
  CHECK(first["code"] == "E0103");
  CHECK(first["severity"] == "error");
  CHECK(first["message"] == "already \"defined\"\n");
  CHECK(first["location"]["file"] == "dir/\"q\".onus");
  CHECK(first["location"]["line"] == 1);
  CHECK(first["location"]["column"] == 9);
  CHECK(first["location"]["end_line"] == 1);
  CHECK(first["location"]["end_column"] == 12);
  CHECK(first["notes"][0]["message"] == "here");
  CHECK(first["notes"][0]["location"]["column"] == 1);
  CHECK(first["help"].is_null());
  const auto& second = json["diagnostics"][1];
  CHECK(second["severity"] == "warning");
  CHECK(second["message"] == "tab\tand \x01 control");
  CHECK(second["location"]["line"] == 2);
  CHECK(second["location"]["column"] == 8);  // tab and "party " are 7 code points
  CHECK(second["location"]["end_column"] == 9);  // "ü" is one code point
  CHECK(second["help"] == "a help");
  CHECK(json["diagnostics"][2]["location"]["file"] == "x.onus");
  CHECK(json["errors"] == 2);
  CHECK(json["warnings"] == 1);
  CHECK(json["not_shown"] == 0);
}

TEST_CASE("the error cap (--max-errors) hides errors, never warnings", "[render]") {
  SourceMap sources;
  const auto& f = sources.add("m.onus", "a\nb\nc\nd\n");
  Diagnostics ds;
  for (std::uint32_t i = 0; i < 4; ++i) ds.error("E0001", Span{f.id(), 2 * i, 2 * i + 1}, "error " + std::to_string(i));
  ds.warning("W0001", Span{f.id(), 6, 7}, "a warning");
  RenderOptions options;
  options.format = DiagnosticFormat::plain;
  options.max_errors = 2;
  CHECK(onus::render_diagnostics(ds, sources, options) ==
        "m.onus:1:1: error[E0001]: error 0\n"
        "m.onus:2:1: error[E0001]: error 1\n"
        "m.onus:4:1: warning[W0001]: a warning\n"
        "2 more errors not shown (--max-errors 2)\n");
  options.max_errors = 3;
  CHECK(onus::render_diagnostics(ds, sources, options).ends_with("1 more error not shown (--max-errors 3)\n"));
  options.max_errors = 0;  // no cap
  CHECK(onus::render_diagnostics(ds, sources, options).find("not shown") == std::string::npos);
  options.format = DiagnosticFormat::json;
  options.max_errors = 1;
  const auto json = nlohmann::json::parse(onus::render_diagnostics(ds, sources, options));
  CHECK(json["diagnostics"].size() == 2);  // one error, one warning
  CHECK(json["errors"] == 4);
  CHECK(json["not_shown"] == 3);
}

TEST_CASE("sorting: by file, position and code; duplicates removed", "[render]") {
  SourceMap sources;
  const auto& a = sources.add("a.onus", "x\ny\n");
  const auto& b = sources.add("b.onus", "x\ny\n");
  Diagnostics ds;
  ds.error("E0002", Span{b.id(), 0, 1}, "b1");
  ds.error("E0001", Span{a.id(), 2, 3}, "a2");
  ds.error("E0001", Span{a.id(), 0, 1}, "a1");
  ds.error("E0001", Span{a.id(), 0, 1}, "a1");  // duplicate
  ds.sort(sources);
  REQUIRE(ds.all().size() == 3);
  CHECK(ds.all()[0].message == "a1");
  CHECK(ds.all()[1].message == "a2");
  CHECK(ds.all()[2].message == "b1");
  CHECK(ds.error_count() == 3);
  CHECK(ds.warning_count() == 0);
}
