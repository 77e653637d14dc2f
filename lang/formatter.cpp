#include "formatter.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <string_view>

// How it works. A Printer walks the tree in source order and writes tokens to
// an output buffer, with an indentation. Every token that has a position in
// the source first emits the comments that come before that position (the
// comment cursor), so no comment is lost, duplicated or reordered. Where a
// construct may be written on one line or broken over several (lists,
// clauses, expressions, short blocks), `choose` prints it flat, keeps that if
// it fits in format_width columns without a line break (a comment inside
// forces one), and otherwise rolls the buffer back and prints it broken.

namespace onus {

std::string quote_string(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
  return out;
}

namespace {

// Binding strength of expressions, loosest first (grammar.hpp: or_expr,
// and_expr, not_expr, cmp_expr, primary).
enum Precedence : int { prec_or = 1, prec_and = 2, prec_not = 3, prec_compare = 4, prec_primary = 5 };

int precedence(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::or_: return prec_or;
    case ast::ExprKind::and_: return prec_and;
    case ast::ExprKind::not_: return prec_not;
    case ast::ExprKind::compare:
    case ast::ExprKind::in:
    case ast::ExprKind::not_in: return prec_compare;
    default: return prec_primary;
  }
}

// `all x in S: body` extends as far to the right as it can: unless nothing
// follows it, it needs parentheses.
bool is_quantifier(const ast::Expr& e) { return e.kind == ast::ExprKind::all || e.kind == ast::ExprKind::any; }

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f' || s.back() == '\v'))
    s.remove_suffix(1);
  return s;
}

// One statement of a block: where it starts and how to print it.
struct BlockItem {
  std::uint32_t begin = 0;
  std::function<void()> print;
  bool simple = true;  ///< may share one line with the braces of a short nested block
};

// A `{ ... }` block after a header.
struct Block {
  std::vector<BlockItem> items;
  bool present = true;        ///< the braces were written (optional blocks)
  std::uint32_t close = 0;    ///< byte offset of the closing '}', when present
  bool required = false;      ///< the grammar requires the braces (printed `{}` when empty)
  bool may_inline = false;    ///< a nested block: one short statement may stay on the header's line
  std::string_view suffix;    ///< written after each statement of an expanded block ("," for bindings)
};

// A clause of a statement (`on SERVICES`, `"reason"`, `until DATE`).
struct Clause {
  std::uint32_t begin = 0;
  std::function<void()> print;
};

class Printer {
 public:
  Printer(const ast::File& file, const SourceFile& source)
      : file_(file), comments_(file.comments), text_(source.text()) {}

  std::string run() {
    bool header = false;
    if (file_.package) {
      begin_item(file_.package->span.begin);
      keyword("package", file_.package->span.begin);
      write(" ");
      token(file_.package->name.text(), file_.package->name.span);
      newline();
      header = true;
    }
    for (const auto& import : file_.imports) {
      flush_comments(import.span.begin);
      print(import);
      newline();
      header = true;
    }
    bool previous_multiline = false;
    bool first = true;
    for (const auto& decl : file_.decls) {
      const std::size_t mark = out_.size();
      begin_item(ast::span_of(decl).begin);
      const std::size_t start = out_.size();
      std::visit([this](const auto& d) { this->print(d); }, decl);
      newline();
      const bool multiline = std::count(out_.begin() + static_cast<std::ptrdiff_t>(start), out_.end(), '\n') > 1;
      if (first ? header : (previous_multiline || multiline)) blank_line_at(mark);
      previous_multiline = multiline;
      first = false;
    }
    flush_comments(std::numeric_limits<std::uint32_t>::max());
    while (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n') out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return std::move(out_);
  }

 private:
  // ------------------------------------------------------------ output

  struct State {
    std::size_t size, column, line_indent, extra, next_comment;
    std::uint32_t last_end;
    bool after_open;
  };

  State save() const { return State{out_.size(), column_, line_indent_, extra_, next_comment_, last_end_, after_open_}; }

  void restore(const State& s) {
    out_.resize(s.size);
    column_ = s.column;
    line_indent_ = s.line_indent;
    extra_ = s.extra;
    next_comment_ = s.next_comment;
    last_end_ = s.last_end;
    after_open_ = s.after_open;
  }

  bool at_line_start() const { return out_.empty() || out_.back() == '\n'; }

  // The indentation of the current line (or of the next one, at a line start).
  std::size_t current_line_indent() const { return at_line_start() ? indent_ + extra_ : line_indent_; }

  // Appends text without a line end; indents first at the start of a line.
  void write(std::string_view s) {
    if (s.empty()) return;
    if (at_line_start()) {
      line_indent_ = indent_ + extra_;
      out_.append(line_indent_, ' ');
      column_ = line_indent_;
    }
    out_ += s;
    column_ += count_code_points(s);
    after_open_ = false;
  }

  // A token found in the source at [begin, end): the comments before it come first.
  void token(std::string_view s, std::uint32_t begin, std::uint32_t end) {
    flush_comments(begin);
    write(s);
    last_end_ = std::max(last_end_, end);
  }
  void token(std::string_view s, const Span& span) { token(s, span.begin, span.end); }
  void keyword(std::string_view word, std::uint32_t begin) {
    token(word, begin, begin + static_cast<std::uint32_t>(word.size()));
  }
  void string(const ast::StringLit& s) { token(quote_string(s.value), s.span); }

  // Ends the current line, taking along a comment that ended this line in the source.
  void newline() {
    if (at_line_start()) return;
    if (next_comment_ < comments_.size() && trails(last_end_, comments_[next_comment_].span.begin)) {
      end_line_with(comments_[next_comment_++]);
    }
    while (out_.back() == ' ') out_.pop_back();
    out_ += '\n';
    column_ = 0;
    extra_ = 0;
  }

  // Appends ` # comment` to the current line.
  void end_line_with(const ast::Comment& c) {
    while (out_.back() == ' ') out_.pop_back();
    out_ += ' ';
    out_ += rtrim(c.text);
    last_end_ = c.span.end;
  }

  // Writes the comments that start before `pos`. At the start of a line they
  // get lines of their own; in the middle of one (a comment between two tokens
  // of a statement printed on one line), the comment ends the line and the
  // rest of the statement continues two columns deeper.
  void flush_comments(std::uint32_t pos) {
    while (next_comment_ < comments_.size() && comments_[next_comment_].span.begin < pos) {
      const ast::Comment& c = comments_[next_comment_++];
      if (!at_line_start()) {
        end_line_with(c);
        out_ += '\n';
        extra_ = 2;
      } else {
        blank_before(c.span.begin);
        write(rtrim(c.text));
        out_ += '\n';
      }
      column_ = 0;
      last_end_ = c.span.end;
    }
  }

  // True when a comment at `comment` ends the source line of the token that
  // ended at `from`: only white space, punctuation and operator words (which
  // are printed without a position, right after that token) lie between.
  bool trails(std::uint32_t from, std::uint32_t comment) const {
    if (from > comment) return false;
    static constexpr std::string_view operators[] = {"in", "not", "and", "or", "on", "for", "until", "extends",
                                                     "default", "all", "any"};
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    std::uint32_t i = from;
    while (i < comment) {
      const char c = text_[i];
      if (is_word(c)) {
        std::uint32_t end = i;
        while (end < comment && is_word(text_[end])) ++end;
        const std::string_view word = text_.substr(i, end - i);
        if (std::find(std::begin(operators), std::end(operators), word) == std::end(operators)) return false;
        i = end;
      } else if (std::string_view(" \t\r,;:{()=<>!.-").find(c) != std::string_view::npos) {
        ++i;
      } else {
        return false;  // a line end, a string, a '}' or another comment
      }
    }
    return true;
  }

  // True when the source holds an empty line between `from` and `to`.
  bool blank_in_source(std::uint32_t from, std::uint32_t to) const {
    int newlines = 0;
    for (std::uint32_t i = from; i < to && i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '\n') {
        if (++newlines >= 2) return true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        newlines = 0;
      }
    }
    return false;
  }

  // Keeps the author's blank line before an item (never at the top of a block or file).
  void blank_before(std::uint32_t pos) {
    if (!at_line_start() || out_.empty() || after_open_) return;
    if (out_.size() >= 2 && out_[out_.size() - 2] == '\n') return;
    if (blank_in_source(last_end_, pos)) out_ += '\n';
  }

  // Makes sure a blank line precedes the output written from `mark` on.
  void blank_line_at(std::size_t mark) {
    if (mark == 0 || out_[mark - 1] != '\n') return;
    if ((mark >= 2 && out_[mark - 2] == '\n') || (mark < out_.size() && out_[mark] == '\n')) return;
    out_.insert(mark, "\n");
  }

  // The start of a statement or declaration on a line of its own.
  void begin_item(std::uint32_t pos) {
    flush_comments(pos);
    blank_before(pos);
  }

  // Prints `flat` if it fits on the current line (with `reserve` columns to
  // spare for what follows) and holds no comment; otherwise `broken`.
  template <typename Flat, typename Broken>
  void choose(std::uint32_t begin, Flat flat, Broken broken, std::size_t reserve = 0) {
    if (flat_) {
      flat();
      return;
    }
    if (at_line_start()) flush_comments(begin);
    const State s = save();
    flat_ = true;
    flat();
    flat_ = false;
    if (out_.find('\n', s.size) == std::string::npos && column_ + reserve <= format_width) return;
    restore(s);
    broken();
  }

  // ------------------------------------------------------------ source scanning

  // The first offset at or after `pos` that is not white space, a comment or ';'.
  std::uint32_t skip_trivia(std::uint32_t pos) const {
    while (pos < text_.size()) {
      const char c = text_[pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';') {
        ++pos;
      } else if (c == '#') {
        while (pos < text_.size() && text_[pos] != '\n') ++pos;
      } else {
        break;
      }
    }
    return pos;
  }

  // The optional block after a header that ends at `head_end`, inside `span`.
  Block optional_block(std::uint32_t head_end, const Span& span) const {
    Block b;
    const std::uint32_t open = skip_trivia(head_end);
    b.present = open < span.end && text_[open] == '{';
    b.close = b.present ? span.end - 1 : span.end;
    return b;
  }

  static Block required_block(const Span& span) {
    Block b;
    b.required = true;
    b.close = span.end - 1;
    return b;
  }

  bool inside_comment(std::size_t pos) const {
    for (const auto& c : comments_) {
      if (pos >= c.span.begin && pos < c.span.end) return true;
    }
    return false;
  }

  // True when a ',' (outside comments) lies in [from, to).
  bool comma_between(std::uint32_t from, std::uint32_t to) const {
    for (std::uint32_t i = from; i < to; ++i) {
      if (text_[i] == '#') {
        while (i < to && text_[i] != '\n') ++i;
      } else if (text_[i] == ',') {
        return true;
      }
    }
    return false;
  }

  // Where the `covers` keyword before offset `pos` starts.
  std::uint32_t covers_keyword(std::uint32_t pos) const {
    std::size_t at = text_.rfind("covers", pos);
    while (at != std::string_view::npos && inside_comment(at)) at = at == 0 ? std::string_view::npos : text_.rfind("covers", at - 1);
    return at == std::string_view::npos ? pos : static_cast<std::uint32_t>(at);
  }

  // ------------------------------------------------------------ layouts

  // Items after a keyword: `a, b, c` or one per line, two columns deeper.
  template <typename T, typename Print, typename Begin>
  void bare_list(const std::vector<T>& items, Print item, Begin begin, std::size_t reserve = 0) {
    if (items.empty()) return;
    choose(
        begin(items.front()),
        [&] {
          for (std::size_t i = 0; i < items.size(); ++i) {
            write(i ? ", " : " ");
            item(items[i]);
          }
        },
        [&] {
          const std::size_t saved = indent_;
          indent_ = current_line_indent() + 2;
          for (std::size_t i = 0; i < items.size(); ++i) {
            newline();
            flush_comments(begin(items[i]));
            item(items[i]);
            if (i + 1 < items.size()) write(",");
          }
          indent_ = saved;
        },
        reserve);
  }

  // The closing bracket at `pos`, positioned when the source has it there.
  void close_bracket(std::string_view close, std::uint32_t pos) {
    if (pos < text_.size() && text_[pos] == close.front()) token(close, pos, pos + 1);
    else write(close);
  }

  // `{a, b}` / `(a, b)` or, when long, one item per line between the brackets
  // (`close_pos`: where the closing bracket is in the source).
  void bracketed(std::string_view open, std::string_view close, std::size_t count,
                 const std::function<void(std::size_t)>& item, const std::function<std::uint32_t(std::size_t)>& begin,
                 std::uint32_t close_pos) {
    if (count == 0) {
      write(open);
      close_bracket(close, close_pos);
      return;
    }
    choose(
        begin(0),
        [&] {
          write(open);
          for (std::size_t i = 0; i < count; ++i) {
            if (i) write(", ");
            item(i);
          }
          close_bracket(close, close_pos);
        },
        [&] {
          write(open);
          const std::size_t saved = indent_;
          const bool saved_chain = in_chain_;
          indent_ = current_line_indent() + 2;
          in_chain_ = false;
          for (std::size_t i = 0; i < count; ++i) {
            newline();
            flush_comments(begin(i));
            item(i);
            if (i + 1 < count) write(",");
          }
          newline();
          flush_comments(close_pos);
          indent_ -= 2;
          close_bracket(close, close_pos);
          indent_ = saved;
          in_chain_ = saved_chain;
        });
  }

  // A statement with clauses: on one line, or each clause on a line of its own.
  void clauses(const std::function<void()>& head, const std::vector<Clause>& list, std::uint32_t begin) {
    if (list.empty()) {
      head();
      return;
    }
    choose(
        begin,
        [&] {
          head();
          for (const auto& c : list) {
            write(" ");
            c.print();
          }
        },
        [&] {
          head();
          const std::size_t saved = indent_;
          indent_ = current_line_indent() + 2;
          for (const auto& c : list) {
            newline();
            flush_comments(c.begin);
            c.print();
          }
          indent_ = saved;
        });
  }

  void block(const Block& b) {
    if (!b.present) return;
    const bool has_comment = next_comment_ < comments_.size() && comments_[next_comment_].span.begin < b.close;
    if (b.items.empty() && !has_comment) {
      if (b.required) {
        write(" {");
        token("}", b.close, b.close + 1);
      }
      return;
    }
    if (b.may_inline && b.items.size() == 1 && b.items.front().simple) {
      choose(
          b.items.front().begin,
          [&] {
            write(" { ");
            b.items.front().print();
            write(" ");
            token("}", b.close, b.close + 1);
          },
          [&] { expanded(b); });
      return;
    }
    expanded(b);
  }

  void expanded(const Block& b) {
    write(" {");
    const std::size_t saved = indent_;
    const bool saved_chain = in_chain_;
    newline();
    after_open_ = true;
    indent_ = saved + 2;
    in_chain_ = false;
    for (const auto& item : b.items) {
      begin_item(item.begin);
      item.print();
      write(b.suffix);
      newline();
    }
    flush_comments(b.close);
    indent_ = saved;
    in_chain_ = saved_chain;
    token("}", b.close, b.close + 1);
  }

  // ------------------------------------------------------------ expressions

  void expr(const ast::Expr& e, int min_precedence, bool tail) {
    const bool parens = precedence(e) < min_precedence || (is_quantifier(e) && !tail);
    if (parens) {
      flush_comments(e.span.begin);
      write("(");
    }
    expr_body(e, tail || parens);
    if (parens) write(")");
  }

  void expr_body(const ast::Expr& e, bool tail) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::name: token(e.name.text(), e.name.span); return;
      case K::string: token(quote_string(e.text), e.span); return;
      case K::number: token(std::to_string(e.number), e.span); return;
      case K::none: token("none", e.span); return;
      case K::set:
        flush_comments(e.span.begin);
        bracketed(
            "{", "}", e.children.size(), [&](std::size_t i) { expr(*e.children[i], 0, true); },
            [&](std::size_t i) { return e.children[i]->span.begin; }, e.span.end - 1);
        return;
      case K::call:
        token(e.name.text(), e.name.span);
        bracketed(
            "(", ")", e.children.size(), [&](std::size_t i) { expr(*e.children[i], 0, true); },
            [&](std::size_t i) { return e.children[i]->span.begin; }, e.span.end - 1);
        return;
      case K::not_:
        flush_comments(e.span.begin);
        write("not ");
        expr(*e.children.at(0), prec_not, tail);
        return;
      case K::and_:
      case K::or_: chain(e, tail); return;
      case K::compare:
      case K::in:
      case K::not_in: {
        expr(*e.children.at(0), prec_primary, false);
        const std::string op = e.kind == K::in ? "in" : e.kind == K::not_in ? "not in" : e.text;
        write(" " + op + " ");
        expr(*e.children.at(1), prec_primary, tail);
        return;
      }
      case K::all:
      case K::any: quantifier(e, tail); return;
    }
  }

  // `a and b and c`: on one line, or one operand a line with the operator first.
  void chain(const ast::Expr& e, bool tail) {
    std::vector<const ast::Expr*> operands;
    const ast::Expr* left = &e;
    while (left->kind == e.kind) {
      operands.push_back(left->children.at(1).get());
      left = left->children.at(0).get();
    }
    operands.push_back(left);
    std::reverse(operands.begin(), operands.end());
    const std::string op = e.kind == ast::ExprKind::and_ ? "and" : "or";
    const int p = precedence(e);
    auto operand = [&](std::size_t i) {
      expr(*operands[i], i == 0 ? p : p + 1, i + 1 == operands.size() && tail);
    };
    choose(
        operands.front()->span.begin,
        [&] {
          for (std::size_t i = 0; i < operands.size(); ++i) {
            if (i) write(" " + op + " ");
            operand(i);
          }
        },
        [&] {
          // A chain that starts a line continues at that line's indentation;
          // one that starts after other text (or inside another chain) two deeper.
          const bool fresh = at_line_start() || column_ == line_indent_;
          const std::size_t saved = indent_;
          const bool saved_chain = in_chain_;
          indent_ = in_chain_ ? indent_ + 2 : current_line_indent() + (fresh ? 0 : 2);
          in_chain_ = true;
          for (std::size_t i = 0; i < operands.size(); ++i) {
            if (i) {
              newline();
              flush_comments(operands[i]->span.begin);
              write(op + " ");
            }
            operand(i);
          }
          indent_ = saved;
          in_chain_ = saved_chain;
        });
  }

  // `all x in S: body`, or with the body on the next line, two columns deeper.
  void quantifier(const ast::Expr& e, bool tail) {
    auto header = [&] {
      flush_comments(e.span.begin);
      write(e.kind == ast::ExprKind::all ? "all " : "any ");
      token(e.name.text(), e.name.span);
      write(" in ");
      expr(*e.children.at(0), 0, false);
      write(":");
    };
    choose(
        e.span.begin,
        [&] {
          header();
          write(" ");
          expr(*e.children.at(1), 0, tail);
        },
        [&] {
          header();
          const std::size_t saved = indent_;
          const bool saved_chain = in_chain_;
          indent_ = current_line_indent() + 2;
          in_chain_ = false;
          newline();
          expr(*e.children.at(1), 0, tail);
          indent_ = saved;
          in_chain_ = saved_chain;
        });
  }

  // ------------------------------------------------------------ pieces

  void target(const ast::Target& t) {
    token(t.from.text(), t.from.span);
    if (t.to) {
      write("..");
      token(t.to->text(), t.to->span);
    }
  }

  void targets(const std::vector<ast::Target>& ts, std::size_t reserve = 0) {
    bare_list(
        ts, [this](const ast::Target& t) { target(t); }, [](const ast::Target& t) { return t.span.begin; }, reserve);
  }

  void services(const std::vector<ast::Name>& ss) {
    bare_list(
        ss, [this](const ast::Name& n) { token(n.text(), n.span); }, [](const ast::Name& n) { return n.span.begin; });
  }

  // `KEYWORD name "description"`; returns where the header ends in the source.
  std::uint32_t head(std::string_view kw, std::uint32_t begin, const ast::Ident& name,
                     const std::optional<ast::StringLit>& description) {
    keyword(kw, begin);
    write(" ");
    token(name.text, name.span);
    if (description) {
      write(" ");
      string(*description);
      return description->span.end;
    }
    return name.span.end;
  }

  BlockItem property_item(const ast::Property& p) {
    return BlockItem{p.span.begin, [this, &p] {
                       token(p.key.text, p.key.span);
                       write(" ");
                       string(p.value);
                     }};
  }

  void add_properties(Block& b, const std::vector<ast::Property>& ps) {
    for (const auto& p : ps) b.items.push_back(property_item(p));
  }

  static void sort_items(Block& b) {
    std::stable_sort(b.items.begin(), b.items.end(),
                     [](const BlockItem& x, const BlockItem& y) { return x.begin < y.begin; });
  }

  void attr_test(const ast::AttrTest& t) {
    token(t.attribute.text, t.attribute.span);
    write(" " + t.op + " ");
    if ((t.op == "==" || t.op == "!=" || t.op == "matches") && t.values.size() == 1) {
      string(t.values.front());
      return;
    }
    bracketed(
        "{", "}", t.values.size(), [&](std::size_t i) { string(t.values[i]); },
        [&](std::size_t i) { return t.values[i].span.begin; }, t.span.end - 1);
  }

  BlockItem body_item(const ast::BodyStmt& s) {
    if (const auto* o = std::get_if<ast::OwnerStmt>(&s)) {
      return BlockItem{o->span.begin, [this, o] {
                         token(o->party.text, o->party.span);
                         write(":");
                         targets(o->targets);
                       }};
    }
    if (const auto* sh = std::get_if<ast::SharedStmt>(&s)) {
      const std::uint32_t head_end = sh->targets.empty() ? sh->span.begin + 6 : sh->targets.back().span.end;
      Block notes = optional_block(head_end, sh->span);
      notes.may_inline = true;
      for (const auto& n : sh->notes) {
        notes.items.push_back(BlockItem{n.span.begin, [this, &n] {
                                          token(n.party.text, n.party.span);
                                          write(" ");
                                          string(n.text);
                                        }});
      }
      return BlockItem{sh->span.begin,
                       [this, sh, notes] {
                         keyword("shared", sh->span.begin);
                         targets(sh->targets, notes.present ? 2 : 0);
                         block(notes);
                       },
                       !notes.present};
    }
    if (const auto* p = std::get_if<ast::Property>(&s)) return property_item(*p);
    const ast::WhenBlock& w = *std::get<std::unique_ptr<ast::WhenBlock>>(s);
    return BlockItem{w.span.begin,
                     [this, &w] {
                       keyword("when", w.span.begin);
                       write(" ");
                       conditions(w.conditions);
                       Block body = required_block(w.span);
                       body.may_inline = true;
                       for (const auto& stmt : w.body) body.items.push_back(body_item(stmt));
                       block(body);
                     },
                     false};
  }

  void conditions(const std::vector<ast::AttrTest>& cs) {
    if (cs.empty()) return;
    choose(
        cs.front().span.begin,
        [&] {
          for (std::size_t i = 0; i < cs.size(); ++i) {
            if (i) write(" and ");
            attr_test(cs[i]);
          }
        },
        [&] {
          const std::size_t saved = indent_;
          indent_ = current_line_indent() + 2;
          attr_test(cs.front());
          for (std::size_t i = 1; i < cs.size(); ++i) {
            newline();
            flush_comments(cs[i].span.begin);
            write("and ");
            attr_test(cs[i]);
          }
          indent_ = saved;
        },
        2);
  }

  Block body_block(const std::vector<ast::BodyStmt>& body, Block b) {
    for (const auto& s : body) b.items.push_back(body_item(s));
    return b;
  }

  // ------------------------------------------------------------ declarations

  void print(const ast::ImportDecl& d) {
    keyword("import", d.span.begin);
    write(" ");
    token(d.package.text(), d.package.span);
    if (d.items.empty()) return;
    write(".");
    bracketed(
        "{", "}", d.items.size(), [&](std::size_t i) { token(d.items[i].text, d.items[i].span); },
        [&](std::size_t i) { return d.items[i].span.begin; }, d.span.end - 1);
  }

  void print(const ast::PartyDecl& d) { head("party", d.span.begin, d.name, d.description); }

  void area(const ast::AreaDecl& a) {
    keyword("area", a.span.begin);
    write(" ");
    token(a.name.text, a.name.span);
    if (a.description) {
      write(" ");
      string(*a.description);
    }
  }

  void print(const ast::LayerDecl& d) {
    if (d.name.text.empty()) {  // `area layer.name "..."` at the top level
      if (!d.areas.empty()) area(d.areas.front());
      return;
    }
    Block b = optional_block(head("layer", d.span.begin, d.name, d.description), d.span);
    for (const auto& a : d.areas) b.items.push_back(BlockItem{a.span.begin, [this, &a] { area(a); }});
    add_properties(b, d.properties);
    sort_items(b);
    block(b);
  }

  void print(const ast::ModelDecl& d) {
    head("model", d.span.begin, d.name, d.description);
    if (d.extends) {
      write(" extends ");
      token(d.extends->text(), d.extends->span);
    }
    block(body_block(d.body, required_block(d.span)));
  }

  void print(const ast::ProviderDecl& d) {
    Block b = optional_block(head("provider", d.span.begin, d.name, d.description), d.span);
    add_properties(b, d.properties);
    block(b);
  }

  void print(const ast::ServiceDecl& d) {
    head("service", d.span.begin, d.name, d.description);
    write(" : ");
    token(d.parent.text(), d.parent.span);
    block(body_block(d.body, optional_block(d.parent.span.end, d.span)));
  }

  void print(const ast::ControlDecl& d) {
    head("control", d.span.begin, d.name, d.description);
    Block b = required_block(d.span);
    // Several `covers` statements are kept apart: a new one starts where no
    // comma separates two targets.
    std::size_t i = 0;
    while (i < d.covers.size()) {
      std::size_t j = i + 1;
      while (j < d.covers.size() && comma_between(d.covers[j - 1].span.end, d.covers[j].span.begin)) ++j;
      const std::uint32_t begin = covers_keyword(d.covers[i].span.begin);
      b.items.push_back(BlockItem{begin, [this, &d, i, j, begin] {
                                    keyword("covers", begin);
                                    const std::vector<ast::Target> group(d.covers.begin() + static_cast<std::ptrdiff_t>(i),
                                                                         d.covers.begin() + static_cast<std::ptrdiff_t>(j));
                                    targets(group);
                                  }});
      i = j;
    }
    add_properties(b, d.properties);
    sort_items(b);
    block(b);
  }

  void print(const ast::ResourcesDecl& d) {
    keyword("resources", d.span.begin);
    write(" ");
    token(d.format.text, d.format.span);
    Block b = required_block(d.span);
    for (const auto& m : d.mappings) b.items.push_back(BlockItem{m.span.begin, [this, &m] { mapping(m); }});
    block(b);
  }

  void mapping(const ast::ResourceMapping& m) {
    if (m.quoted) string(m.type);
    else token(m.type.value, m.type.span);
    write(" -> ");
    token(m.service.text(), m.service.span);
    std::uint32_t head_end = m.service.span.end;
    if (!m.guard.empty()) {
      write(" ");
      keyword("when", skip_trivia(m.service.span.end));
      write(" ");
      conditions(m.guard);
      head_end = m.guard.back().span.end;
    }
    Block b = optional_block(head_end, m.span);
    b.may_inline = true;
    b.suffix = ",";
    for (const auto& binding : m.bindings) {
      b.items.push_back(BlockItem{binding.span.begin, [this, &binding] {
                                    token(binding.attribute.text, binding.attribute.span);
                                    write(" = ");
                                    if (binding.constant) {
                                      string(*binding.constant);
                                      return;
                                    }
                                    token(binding.path.text(), binding.path.span);
                                    if (binding.fallback) {
                                      write(" default ");
                                      string(*binding.fallback);
                                    }
                                  }});
    }
    block(b);
  }

  void print(const ast::OrganizationDecl& d) {
    head("organization", d.span.begin, d.name, d.description);
    Block b = required_block(d.span);
    for (const auto& m : d.members) {
      b.items.push_back(BlockItem{m.span.begin, [this, &m] {
                                    Block props = optional_block(head(m.kind.text, m.span.begin, m.name, m.description), m.span);
                                    props.may_inline = true;
                                    add_properties(props, m.properties);
                                    block(props);
                                  }});
    }
    add_properties(b, d.properties);
    sort_items(b);
    block(b);
  }

  Clause on_clause(const std::vector<ast::Name>& ss) {
    return Clause{ss.front().span.begin, [this, &ss] {
                    write("on");
                    services(ss);
                  }};
  }

  Clause string_clause(std::string_view word, const ast::StringLit& s) {
    return Clause{s.span.begin, [this, word, &s] {
                    if (!word.empty()) write(std::string(word) + " ");
                    string(s);
                  }};
  }

  void print(const ast::AssignDecl& d) {
    std::vector<Clause> list;
    if (!d.services.empty()) list.push_back(on_clause(d.services));
    clauses(
        [&] {
          keyword("assign", d.span.begin);
          write(" ");
          token(d.team.text, d.team.span);
          write(":");
          targets(d.targets);
        },
        list, d.span.begin);
  }

  void print(const ast::TakeDecl& d) {
    std::vector<Clause> list;
    if (!d.services.empty()) list.push_back(on_clause(d.services));
    if (d.reason) list.push_back(string_clause("", *d.reason));
    clauses(
        [&] {
          keyword("take", d.span.begin);
          targets(d.targets);
        },
        list, d.span.begin);
  }

  void print(const ast::AllowDecl& d) {
    std::vector<Clause> list;
    if (d.reason) list.push_back(string_clause("", *d.reason));
    clauses(
        [&] {
          keyword(d.deny ? "deny" : "allow", d.span.begin);
          services(d.services);
        },
        list, d.span.begin);
  }

  void print(const ast::RuleDecl& d) {
    head("rule", d.span.begin, d.name, std::nullopt);
    write(" ");
    token(d.level.text, d.level.span);
    if (d.description) {
      write(" ");
      string(*d.description);
    }
    Block b = required_block(d.span);
    if (d.condition) {
      b.items.push_back(BlockItem{d.condition->span.begin, [this, &d] { expr(*d.condition, 0, true); }});
    }
    block(b);
  }

  void print(const ast::WaiveDecl& d) {
    std::vector<Clause> list;
    if (d.subject) list.push_back(string_clause("for", *d.subject));
    if (d.until) {
      list.push_back(Clause{d.until->span.begin, [this, &d] {
                              write("until ");
                              token(d.until->text(), d.until->span);
                            }});
    }
    if (d.reason) list.push_back(string_clause("", *d.reason));
    clauses(
        [&] {
          keyword("waive", d.span.begin);
          write(" ");
          token(d.rule.text, d.rule.span);
        },
        list, d.span.begin);
  }

  void print(const ast::TestDecl& d) {
    keyword("test", d.span.begin);
    write(" ");
    string(d.name);
    Block b = required_block(d.span);
    for (const auto& s : d.body) {
      if (const auto* e = std::get_if<ast::ExpectStmt>(&s)) {
        b.items.push_back(BlockItem{e->span.begin, [this, e] {
                                      keyword("expect", e->span.begin);
                                      write(" ");
                                      if (e->condition) expr(*e->condition, 0, true);
                                    }});
      } else {
        const auto& f = std::get<ast::FixtureResource>(s);
        b.items.push_back(BlockItem{f.span.begin, [this, &f] { fixture(f); }});
      }
    }
    block(b);
  }

  void fixture(const ast::FixtureResource& f) {
    keyword("resource", f.span.begin);
    write(" ");
    // The type is written as the author did: bare or quoted (the tree does not say).
    if (f.type.span.begin < text_.size() && text_[f.type.span.begin] == '"') string(f.type);
    else token(f.type.value, f.type.span);
    write(" ");
    string(f.address);
    Block b = optional_block(f.address.span.end, f.span);
    b.may_inline = true;
    b.suffix = ",";
    // (no structured binding: clang 14 cannot capture one in a lambda)
    for (const auto& attribute : f.attributes) {
      b.items.push_back(BlockItem{attribute.first.span.begin, [this, &attribute] {
                                    token(attribute.first.text, attribute.first.span);
                                    write(" = ");
                                    string(attribute.second);
                                  }});
    }
    block(b);
  }

  // ------------------------------------------------------------ state

  const ast::File& file_;
  const std::vector<ast::Comment>& comments_;
  std::string_view text_;

  std::string out_;
  std::size_t indent_ = 0;       ///< indentation of new lines, in spaces
  std::size_t extra_ = 0;        ///< added after a comment broke a line, until the statement ends
  std::size_t column_ = 0;       ///< code points on the current line
  std::size_t line_indent_ = 0;  ///< indentation of the current line
  bool after_open_ = false;      ///< the last line opened a block: no blank line here
  bool flat_ = false;            ///< inside a one-line attempt of `choose`
  bool in_chain_ = false;        ///< printing an operand of a broken and/or chain

  std::size_t next_comment_ = 0;  ///< the comment cursor: first comment not yet written
  std::uint32_t last_end_ = 0;    ///< source end of the last token or comment written
};

}  // namespace

std::string format_file(const ast::File& file, const SourceFile& source) { return Printer(file, source).run(); }

}  // namespace onus
