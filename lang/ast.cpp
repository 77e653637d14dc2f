#include "ast.hpp"

#include <fmt/format.h>

namespace onus::ast {

std::string Name::text() const {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '.';
    out += parts[i].text;
  }
  return out;
}

std::string Date::text() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

Span span_of(const Decl& decl) {
  return std::visit([](const auto& d) { return d.span; }, decl);
}

namespace {

// Writes the tree one node a line, children indented by two spaces.
class Dumper {
 public:
  explicit Dumper(const SourceFile& source) : source_(source) {}

  std::string take() { return std::move(out_); }

  void line(int depth, std::string_view label, const Span& span, std::string_view detail = {}) {
    const auto b = source_.line_column(span.begin);
    const auto e = source_.line_column(span.end);
    out_ += fmt::format("{:{}}{} @{}:{}-{}:{}", "", depth * 2, label, b.line, b.column, e.line, e.column);
    if (!detail.empty()) out_ += fmt::format(" {}", detail);
    out_ += '\n';
  }

  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') { out += "\\n"; continue; }
      if (c == '\t') { out += "\\t"; continue; }
      out += c;
    }
    return out + "\"";
  }

  void description(int depth, const std::optional<StringLit>& d) {
    if (d) line(depth, "description", d->span, quote(d->value));
  }

  void properties(int depth, const std::vector<Property>& ps) {
    for (const auto& p : ps) line(depth, "property", p.span, fmt::format("{} {}", p.key.text, quote(p.value.value)));
  }

  void targets(int depth, const std::vector<Target>& ts) {
    for (const auto& t : ts) {
      line(depth, "target", t.span, t.to ? fmt::format("{}..{}", t.from.text(), t.to->text()) : t.from.text());
    }
  }

  void body(int depth, const std::vector<BodyStmt>& stmts) {
    for (const auto& s : stmts) {
      if (const auto* o = std::get_if<OwnerStmt>(&s)) {
        line(depth, "owner", o->span, o->party.text);
        targets(depth + 1, o->targets);
      } else if (const auto* sh = std::get_if<SharedStmt>(&s)) {
        line(depth, "shared", sh->span);
        targets(depth + 1, sh->targets);
        for (const auto& n : sh->notes) line(depth + 1, "note", n.span, fmt::format("{} {}", n.party.text, quote(n.text.value)));
      } else if (const auto* p = std::get_if<Property>(&s)) {
        line(depth, "property", p->span, fmt::format("{} {}", p->key.text, quote(p->value.value)));
      } else if (const auto* w = std::get_if<std::unique_ptr<WhenBlock>>(&s)) {
        line(depth, "when", (*w)->span);
        for (const auto& c : (*w)->conditions) line(depth + 1, "condition", c.span, attr_test_text(c));
        body(depth + 1, (*w)->body);
      }
    }
  }

  static std::string attr_test_text(const AttrTest& c) {
    std::string values;
    for (const auto& v : c.values) values += (values.empty() ? "" : ", ") + quote(v.value);
    return fmt::format("{} {} {}", c.attribute.text, c.op, values);
  }

  void expr(int depth, const Expr& e) {
    switch (e.kind) {
      case ExprKind::name: line(depth, "name", e.span, e.name.text()); return;
      case ExprKind::string: line(depth, "string", e.span, quote(e.text)); return;
      case ExprKind::number: line(depth, "number", e.span, std::to_string(e.number)); return;
      case ExprKind::none: line(depth, "none", e.span); return;
      case ExprKind::set: line(depth, "set", e.span); break;
      case ExprKind::call: line(depth, "call", e.span, e.name.text()); break;
      case ExprKind::not_: line(depth, "not", e.span); break;
      case ExprKind::and_: line(depth, "and", e.span); break;
      case ExprKind::or_: line(depth, "or", e.span); break;
      case ExprKind::compare: line(depth, "compare", e.span, e.text); break;
      case ExprKind::in: line(depth, "in", e.span); break;
      case ExprKind::not_in: line(depth, "not in", e.span); break;
      case ExprKind::all: line(depth, "all", e.span, e.name.text()); break;
      case ExprKind::any: line(depth, "any", e.span, e.name.text()); break;
    }
    for (const auto& c : e.children) expr(depth + 1, *c);
  }

  void decl(const Decl& d) {
    std::visit([this](const auto& x) { this->visit(x); }, d);
  }

  void visit(const PartyDecl& d) { line(0, "party", d.span, d.name.text); description(1, d.description); }
  void visit(const LayerDecl& d) {
    line(0, d.name.text.empty() ? "area-extension" : "layer", d.span, d.name.text);
    description(1, d.description);
    for (const auto& a : d.areas) {
      line(1, "area", a.span, a.name.text);
      description(2, a.description);
    }
    properties(1, d.properties);
  }
  void visit(const ModelDecl& d) {
    line(0, "model", d.span, d.name.text);
    description(1, d.description);
    if (d.extends) line(1, "extends", d.extends->span, d.extends->text());
    body(1, d.body);
  }
  void visit(const ProviderDecl& d) {
    line(0, "provider", d.span, d.name.text);
    description(1, d.description);
    properties(1, d.properties);
  }
  void visit(const ServiceDecl& d) {
    line(0, "service", d.span, d.name.text);
    description(1, d.description);
    line(1, "parent", d.parent.span, d.parent.text());
    body(1, d.body);
  }
  void visit(const ControlDecl& d) {
    line(0, "control", d.span, d.name.text);
    description(1, d.description);
    targets(1, d.covers);
    properties(1, d.properties);
  }
  void visit(const ResourcesDecl& d) {
    line(0, "resources", d.span, d.format.text);
    for (const auto& m : d.mappings) {
      line(1, "mapping", m.span, fmt::format("{} -> {}", m.quoted ? quote(m.type.value) : m.type.value, m.service.text()));
      for (const auto& t : m.guard) line(2, "guard", t.span, attr_test_text(t));
      for (const auto& b : m.bindings) {
        line(2, "binding", b.span,
             b.constant ? fmt::format("{} = {}", b.attribute.text, quote(b.constant->value))
                        : fmt::format("{} = {}{}", b.attribute.text, b.path.text(), b.fallback ? " default " + quote(b.fallback->value) : ""));
      }
    }
  }
  void visit(const OrganizationDecl& d) {
    line(0, "organization", d.span, d.name.text);
    description(1, d.description);
    for (const auto& m : d.members) {
      line(1, m.kind.text, m.span, m.name.text);
      description(2, m.description);
      properties(2, m.properties);
    }
    properties(1, d.properties);
  }
  void services(int depth, const std::vector<Name>& ss) {
    for (const auto& s : ss) line(depth, "service", s.span, s.text());
  }
  void visit(const AssignDecl& d) {
    line(0, "assign", d.span, d.team.text);
    targets(1, d.targets);
    services(1, d.services);
  }
  void visit(const TakeDecl& d) {
    line(0, "take", d.span);
    targets(1, d.targets);
    services(1, d.services);
    if (d.reason) line(1, "reason", d.reason->span, quote(d.reason->value));
  }
  void visit(const AllowDecl& d) {
    line(0, d.deny ? "deny" : "allow", d.span);
    services(1, d.services);
    if (d.reason) line(1, "reason", d.reason->span, quote(d.reason->value));
  }
  void visit(const RuleDecl& d) {
    line(0, "rule", d.span, fmt::format("{} {}", d.name.text, d.level.text));
    description(1, d.description);
    if (d.condition) expr(1, *d.condition);
  }
  void visit(const WaiveDecl& d) {
    line(0, "waive", d.span, d.rule.text);
    if (d.subject) line(1, "for", d.subject->span, quote(d.subject->value));
    if (d.until) line(1, "until", d.until->span, d.until->text());
    if (d.reason) line(1, "reason", d.reason->span, quote(d.reason->value));
  }
  void visit(const TestDecl& d) {
    line(0, "test", d.span, quote(d.name.value));
    for (const auto& s : d.body) {
      if (const auto* e = std::get_if<ExpectStmt>(&s)) {
        line(1, "expect", e->span);
        if (e->condition) expr(2, *e->condition);
      } else if (const auto* f = std::get_if<FixtureResource>(&s)) {
        line(1, "resource", f->span, fmt::format("{} {}", f->type.value, quote(f->address.value)));
        for (const auto& [k, v] : f->attributes) line(2, "attribute", k.span, fmt::format("{} = {}", k.text, quote(v.value)));
      }
    }
  }

 private:
  const SourceFile& source_;
  std::string out_;
};

}  // namespace

std::string dump(const File& file, const SourceFile& source) {
  Dumper d(source);
  if (file.package) d.line(0, "package", file.package->span, file.package->name.text());
  for (const auto& i : file.imports) {
    std::string items;
    for (const auto& it : i.items) items += (items.empty() ? "" : ", ") + it.text;
    d.line(0, "import", i.span, items.empty() ? i.package.text() : fmt::format("{}.{{{}}}", i.package.text(), items));
  }
  for (const auto& decl : file.decls) d.decl(decl);
  for (const auto& c : file.comments) d.line(0, "comment", c.span, Dumper::quote(c.text));
  return d.take();
}

}  // namespace onus::ast
