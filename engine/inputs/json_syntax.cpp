// A strict JSON checker that says where and what, for diagnostics; and the
// reporting of simdjson failures.
#include <cstdio>

#include "engine/inputs/reader_support.hpp"

namespace onus::inputs::detail {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// Length of the valid UTF-8 sequence at `i`, or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && s[i + 1] < 0xA0) return 0;   // overlong
    if (c == 0xED && s[i + 1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && s[i + 1] < 0x90) return 0;
    if (c == 0xF4 && s[i + 1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

std::string describe_char(std::string_view text, std::size_t i) {
  if (i >= text.size()) return "the end of the file";
  const auto c = static_cast<unsigned char>(text[i]);
  char buffer[48];
  if (c < 0x20 || c == 0x7F) {
    std::snprintf(buffer, sizeof buffer, "the control character U+%04X", c);
    return buffer;
  }
  if (c >= 0x80) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0) {
      std::snprintf(buffer, sizeof buffer, "the byte 0x%02X (not UTF-8)", c);
      return buffer;
    }
    return "'" + std::string(text.substr(i, length)) + "'";
  }
  // A word (true, abc...) reads better than its first letter.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    std::size_t end = i;
    while (end < text.size() && end - i < 20 &&
           ((text[end] >= 'a' && text[end] <= 'z') || (text[end] >= 'A' && text[end] <= 'Z') ||
            (text[end] >= '0' && text[end] <= '9') || text[end] == '_')) {
      ++end;
    }
    return "`" + std::string(text.substr(i, end - i)) + "`";
  }
  return "'" + std::string(1, static_cast<char>(c)) + "'";
}

struct Checker {
  std::string_view text;
  std::size_t max_depth;
  std::size_t i = 0;

  std::optional<JsonSyntaxError> fail(std::size_t at, std::string message, std::string help = {}) {
    return JsonSyntaxError{at, std::move(message), std::move(help)};
  }

  void skip_space() {
    while (i < text.size() && is_space(static_cast<unsigned char>(text[i]))) ++i;
  }

  std::optional<JsonSyntaxError> string() {
    const std::size_t open = i;
    ++i;  // the quote
    while (true) {
      if (i >= text.size()) {
        return fail(open, "this string is never closed: the file ends inside it",
                    "the file looks truncated, or a quote is missing");
      }
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '"') {
        ++i;
        return std::nullopt;
      }
      if (c == '\\') {
        if (i + 1 >= text.size()) return fail(i, "the file ends inside an escape sequence");
        const auto e = static_cast<unsigned char>(text[i + 1]);
        if (e == 'u') {
          for (std::size_t k = 2; k < 6; ++k) {
            if (i + k >= text.size() || !is_hex(static_cast<unsigned char>(text[i + k]))) {
              return fail(i, "invalid escape: `\\u` needs four hexadecimal digits");
            }
          }
          i += 6;
          continue;
        }
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          i += 2;
          continue;
        }
        return fail(i, "invalid escape `\\" + std::string(1, static_cast<char>(e)) + "` in a string",
                    "JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
      }
      if (c < 0x20) {
        if (c == '\n') {
          return fail(open, "this string is not closed on its line (JSON strings cannot contain a line break)",
                      "a closing quote is probably missing");
        }
        return fail(i, "a string contains " + describe_char(text, i) + "; JSON needs it escaped");
      }
      if (c >= 0x80) {
        const std::size_t length = utf8_length(text, i);
        if (length == 0) return fail(i, "invalid UTF-8: " + describe_char(text, i), "save the file as UTF-8");
        i += length;
        continue;
      }
      ++i;
    }
  }

  std::optional<JsonSyntaxError> number() {
    const std::size_t start = i;
    if (text[i] == '-') ++i;
    if (i >= text.size() || !is_digit(static_cast<unsigned char>(text[i]))) {
      return fail(start, "invalid number: a digit must follow `-`");
    }
    if (text[i] == '0') {
      ++i;
      if (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) {
        return fail(start, "invalid number: JSON numbers cannot have leading zeros");
      }
    } else {
      while (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) ++i;
    }
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i >= text.size() || !is_digit(static_cast<unsigned char>(text[i]))) {
        return fail(start, "invalid number: a digit must follow the decimal point");
      }
      while (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) ++i;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
      if (i >= text.size() || !is_digit(static_cast<unsigned char>(text[i]))) {
        return fail(start, "invalid number: the exponent has no digits");
      }
      while (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) ++i;
    }
    return std::nullopt;
  }

  /// Scalars; containers are handled by the loop in run().
  std::optional<JsonSyntaxError> scalar(bool& ok) {
    ok = true;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"') return string();
    if (c == '-' || is_digit(c)) return number();
    for (std::string_view word : {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
      if (text.substr(i, word.size()) == word) {
        i += word.size();
        return std::nullopt;
      }
    }
    ok = false;
    return std::nullopt;
  }

  std::optional<JsonSyntaxError> run() {
    struct Open {
      char kind;  // '{' or '['
      std::size_t at;
    };
    std::vector<Open> stack;
    enum class Expect { value, first_key_or_end, key, colon, comma_or_end, first_value_or_end };
    Expect expect = Expect::value;
    skip_space();
    if (i >= text.size()) return fail(0, "the file holds no JSON value (it is empty)");
    while (true) {
      skip_space();
      if (i >= text.size()) {
        if (stack.empty()) return std::nullopt;
        const Open& open = stack.back();
        const LineColumn where = positions_of(text, {open.at}).front();
        return fail(text.size(),
                    std::string("the file ends before the ") + (open.kind == '{' ? "object" : "array") +
                        " opened at line " + std::to_string(where.line) + ", column " + std::to_string(where.column) +
                        " is closed",
                    "the file looks truncated: regenerate it, and check that the disk was not full and the "
                    "download or pipe completed");
      }
      const auto c = static_cast<unsigned char>(text[i]);
      switch (expect) {
        case Expect::first_key_or_end:
          if (c == '}') {
            ++i;
            stack.pop_back();
            expect = Expect::comma_or_end;
            break;
          }
          [[fallthrough]];
        case Expect::key:
          if (c != '"') {
            return fail(i, std::string("expected a member name in double quotes") +
                               (expect == Expect::first_key_or_end ? " or '}'" : "") + ", found " +
                               describe_char(text, i),
                        c == '}' ? "remove the comma before '}' (JSON does not allow a trailing comma)"
                        : c == '\'' ? "JSON strings use double quotes"
                                    : "");
          }
          if (auto error = string()) return error;
          expect = Expect::colon;
          break;
        case Expect::colon:
          if (c != ':') return fail(i, "expected ':' after the member name, found " + describe_char(text, i));
          ++i;
          expect = Expect::value;
          break;
        case Expect::first_value_or_end:
          if (c == ']') {
            ++i;
            stack.pop_back();
            expect = Expect::comma_or_end;
            break;
          }
          [[fallthrough]];
        case Expect::value: {
          if (c == '{' || c == '[') {
            if (stack.size() >= max_depth) {
              return fail(i, "the JSON nests deeper than " + std::to_string(max_depth) + " levels");
            }
            stack.push_back(Open{static_cast<char>(c), i});
            ++i;
            expect = c == '{' ? Expect::first_key_or_end : Expect::first_value_or_end;
            break;
          }
          bool ok = false;
          if (auto error = scalar(ok)) return error;
          if (!ok) {
            std::string help;
            if (c == ']' || c == '}') help = "remove the comma before it (JSON does not allow a trailing comma)";
            if (c == '\'') help = "JSON strings use double quotes";
            return fail(i, "expected a JSON value, found " + describe_char(text, i), help);
          }
          expect = Expect::comma_or_end;
          break;
        }
        case Expect::comma_or_end: {
          if (stack.empty()) {
            return fail(i, "unexpected " + describe_char(text, i) + " after the end of the JSON document",
                        "a file holds one JSON document; remove what follows it (or a '}' or ']' too many)");
          }
          const char kind = stack.back().kind;
          const char close = kind == '{' ? '}' : ']';
          if (c == ',') {
            ++i;
            expect = kind == '{' ? Expect::key : Expect::value;
          } else if (c == static_cast<unsigned char>(close)) {
            ++i;
            stack.pop_back();
          } else {
            const LineColumn where = positions_of(text, {stack.back().at}).front();
            return fail(i, std::string("expected ',' or '") + close + "' in the " +
                               (kind == '{' ? "object" : "array") + " opened at line " + std::to_string(where.line) +
                               ", column " + std::to_string(where.column) + ", found " + describe_char(text, i),
                        c == '"' ? "a comma is probably missing" : "");
          }
          break;
        }
      }
    }
  }
};

}  // namespace

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, std::size_t max_depth) {
  Checker checker{text, max_depth};
  return checker.run();
}

bool is_json_number(std::string_view token) {
  if (token.empty()) return false;
  Checker checker{token, 1};
  if (checker.number()) return false;
  return checker.i == token.size();
}

std::string_view trim_json_token(std::string_view token) {
  while (!token.empty() && is_space(static_cast<unsigned char>(token.back()))) token.remove_suffix(1);
  return token;
}

const char* describe_json_type(simdjson::ondemand::json_type type) {
  using simdjson::ondemand::json_type;
  switch (type) {
    case json_type::array: return "an array";
    case json_type::object: return "an object";
    case json_type::number: return "a number";
    case json_type::string: return "a string";
    case json_type::boolean: return "a boolean";
    case json_type::null: return "null";
  }
  return "a value";
}

void report_json_failure(Diagnostics& diagnostics, const InputText& input, simdjson::error_code error,
                         const char* where, std::string_view what_is_read) {
  const std::string_view text = input.text();
  if (auto syntax = find_json_syntax_error(text)) {
    add_input_diagnostic(diagnostics, Severity::error, "E0605", location_of(input, syntax->offset),
                         "malformed JSON in `" + input.name + "`: " + syntax->message,
                         syntax->help.empty() ? "fix the JSON syntax at this position; if a tool produced the file, "
                                                "regenerate it"
                                              : syntax->help);
    return;
  }
  // The text is valid JSON: the failure is about its shape or a limit.
  std::string message = std::string("cannot read ") + std::string(what_is_read) + " in `" + input.name + "`: " +
                        simdjson::error_message(error);
  ExternalLocation location;
  location.file = input.name;
  if (where != nullptr && where >= text.data() && where <= text.data() + text.size()) {
    location = location_of(input, static_cast<std::size_t>(where - text.data()));
  } else if (where != nullptr) {
    message += " (position unknown)";
  }
  add_input_diagnostic(diagnostics, Severity::error, "E0605", location, message,
                       "check that the file is complete and was produced by the expected tool");
}

}  // namespace onus::inputs::detail
