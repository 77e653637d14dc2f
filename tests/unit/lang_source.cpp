// Source files: line/column in code points (tabs count one), CRLF, BOM, UTF-8 checks.
#include <catch2/catch.hpp>

#include <string>

#include "lang/source.hpp"

using onus::LineColumn;
using onus::SourceFile;
using onus::SourceMap;
using onus::Span;

namespace {

std::string at(const SourceFile& f, std::uint32_t offset) {
  const LineColumn lc = f.line_column(offset);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

}  // namespace

TEST_CASE("line and column of byte offsets", "[source]") {
  SourceMap map;
  const SourceFile& f = map.add("a.onus", "package a\nparty b\n\nlayer c");
  CHECK(at(f, 0) == "1:1");
  CHECK(at(f, 8) == "1:9");
  CHECK(at(f, 9) == "1:10");   // the '\n' itself is on line 1
  CHECK(at(f, 10) == "2:1");
  CHECK(at(f, 16) == "2:7");
  CHECK(at(f, 18) == "3:1");   // empty line
  CHECK(at(f, 19) == "4:1");
  CHECK(at(f, 25) == "4:7");   // 'c'
  CHECK(at(f, 26) == "4:8");   // end of text
  CHECK(at(f, 9999) == "4:8");  // clamped
  CHECK(f.line_count() == 4);
  CHECK(f.line_text(2) == "party b");
  CHECK(f.line_text(3).empty());
  CHECK(f.line_text(4) == "layer c");
  CHECK(f.line_text(0).empty());
  CHECK(f.line_text(5).empty());
  CHECK(f.line_start(4) == 19);
}

TEST_CASE("a tab counts as one column", "[source]") {
  SourceMap map;
  const SourceFile& f = map.add("t.onus", "\tparty\t\tx");
  CHECK(at(f, 1) == "1:2");  // 'p'
  CHECK(at(f, 8) == "1:9");  // 'x' after two tabs
}

TEST_CASE("columns count UTF-8 code points, not bytes", "[source]") {
  SourceMap map;
  // "ü" is 2 bytes, "日" 3 bytes, "😀" 4 bytes.
  const std::string text = "# \xC3\xBC \xE6\x97\xA5 \xF0\x9F\x98\x80 x";
  const SourceFile& f = map.add("u.onus", text);
  CHECK(at(f, 2) == "1:3");                  // ü
  CHECK(at(f, 5) == "1:5");                  // 日
  CHECK(at(f, 9) == "1:7");                  // 😀
  CHECK(at(f, static_cast<std::uint32_t>(text.size() - 1)) == "1:9");  // x
  CHECK(onus::count_code_points(text) == 9);
}

TEST_CASE("CRLF line ends", "[source]") {
  SourceMap map;
  const SourceFile& f = map.add("crlf.onus", "package a\r\nparty b\r\n");
  CHECK(at(f, 11) == "2:1");
  CHECK(at(f, 17) == "2:7");
  CHECK(f.line_text(1) == "package a");  // no '\r'
  CHECK(f.line_text(2) == "party b");
}

TEST_CASE("a UTF-8 byte order mark is dropped", "[source]") {
  SourceMap map;
  const SourceFile& f = map.add("bom.onus", "\xEF\xBB\xBFpackage a\n");
  CHECK(f.text() == "package a\n");
  CHECK(at(f, 0) == "1:1");
  // Only at the very start.
  const SourceFile& g = map.add("mid.onus", "a\xEF\xBB\xBF");
  CHECK(g.text().size() == 4);
}

TEST_CASE("slices clamp to the text", "[source]") {
  SourceMap map;
  const SourceFile& f = map.add("s.onus", "package abc");
  CHECK(f.slice(Span{f.id(), 8, 11}) == "abc");
  CHECK(f.slice(Span{f.id(), 8, 99}) == "abc");
  CHECK(f.slice(Span{f.id(), 99, 100}).empty());
  CHECK(f.slice(Span{f.id(), 5, 2}).empty());
}

TEST_CASE("file ids start at 1; 0 is no file", "[source]") {
  SourceMap map;
  CHECK(map.get(0) == nullptr);
  const SourceFile& a = map.add("a", "");
  const SourceFile& b = map.add("b", "");
  CHECK(a.id() == 1);
  CHECK(b.id() == 2);
  CHECK(map.get(2) == &b);
  CHECK(map.get(3) == nullptr);
  CHECK_FALSE(Span{}.valid());
  CHECK(Span{1, 2, 3}.to(Span{1, 7, 9}) == Span{1, 2, 9});
}

TEST_CASE("UTF-8 validation", "[source]") {
  std::size_t bad = 99;
  CHECK(onus::is_valid_utf8("", bad));
  CHECK(onus::is_valid_utf8("plain ASCII", bad));
  CHECK(onus::is_valid_utf8("\xC3\xBC\xE6\x97\xA5\xF0\x9F\x98\x80", bad));
  CHECK(onus::is_valid_utf8("\xF4\x8F\xBF\xBF", bad));  // U+10FFFF

  const auto invalid_at = [](std::string_view text) {
    std::size_t offset = 999;
    return onus::is_valid_utf8(text, offset) ? std::size_t{999} : offset;
  };
  CHECK(invalid_at("ab\xFF") == 2);               // never valid
  CHECK(invalid_at("a\x80") == 1);                // lone continuation byte
  CHECK(invalid_at("a\xC3") == 1);                // truncated at the end
  CHECK(invalid_at("a\xC3(") == 1);               // bad continuation
  CHECK(invalid_at("\xC0\xAF") == 0);             // overlong '/'
  CHECK(invalid_at("\xE0\x80\xAF") == 0);         // overlong, 3 bytes
  CHECK(invalid_at("x\xED\xA0\x80") == 1);        // UTF-16 surrogate
  CHECK(invalid_at("\xF4\x90\x80\x80") == 0);     // above U+10FFFF
  CHECK(invalid_at("ok \xF8\x88\x80\x80\x80") == 3);  // 5-byte form
}
