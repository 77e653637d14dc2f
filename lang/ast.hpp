// The typed syntax tree of one .onus file. Every node carries its span.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "source.hpp"

namespace onus::ast {

/// A simple identifier: `ec2`, `platform`.
struct Ident {
  std::string text;
  Span span;
};

/// A dotted name: `aws.ec2`, `guest_os.patching`, `core.iaas`.
struct Name {
  std::vector<Ident> parts;
  Span span;
  /// The parts joined with '.'.
  [[nodiscard]] std::string text() const;
};

/// A string literal with escapes already decoded.
struct StringLit {
  std::string value;
  Span span;
};

/// A calendar date `2027-03-31`.
struct Date {
  int year = 0, month = 0, day = 0;
  Span span;
  /// "YYYY-MM-DD".
  [[nodiscard]] std::string text() const;
};

/// `key "value"` inside a block: `source "https://..."`, `contact "a@b"`.
struct Property {
  Ident key;
  StringLit value;
  Span span;
};

// ---------------------------------------------------------------- expressions

enum class ExprKind {
  name,        ///< `aws.ec2`, `platform`, `provider`, a bound variable
  string,      ///< "text"
  number,      ///< 42
  none,        ///< `none`
  set,         ///< { a, b, c }
  call,        ///< f(a, b)
  not_,        ///< not e
  and_,        ///< a and b
  or_,         ///< a or b
  compare,     ///< a == b, a != b, a < b, a <= b, a > b, a >= b
  in,          ///< a in S
  not_in,      ///< a not in S
  all,         ///< all x in S: e
  any,         ///< any x in S: e
};

/// An expression node. `children` holds operands in source order:
/// set elements, call arguments, unary/binary operands, and for quantifiers
/// [collection, body].
struct Expr {
  ExprKind kind = ExprKind::none;
  Span span;
  Name name;                 ///< name, call (callee), all/any (bound variable in parts[0])
  std::string text;          ///< string value; comparison operator ("==", "!=", "<", ...)
  long long number = 0;      ///< number value
  std::vector<std::unique_ptr<Expr>> children;
};
using ExprPtr = std::unique_ptr<Expr>;

// ---------------------------------------------------------------- ownership statements

/// One target of an ownership statement: an area or layer, or a range of layers
/// `physical..host_os` (inclusive, in stack order).
struct Target {
  Name from;
  std::optional<Name> to;  ///< set for ranges
  Span span;
};

/// `provider: physical..host_os, network_config` (party is provider, customer or shared).
struct OwnerStmt {
  Ident party;
  std::vector<Target> targets;
  Span span;
};

/// `provider "text"` inside a shared block.
struct PartyNote {
  Ident party;
  StringLit text;
  Span span;
};

/// `shared data.encryption_at_rest { provider "..." customer "..." }`
struct SharedStmt {
  std::vector<Target> targets;
  std::vector<PartyNote> notes;
  Span span;
};

/// A condition of a `when` variant (or a mapping's guard) on a resource attribute:
/// `attr == "v"`, `attr != "v"`, `attr in {"a", "b"}`, `attr not in {...}`,
/// `attr matches "*.metal*"` (glob patterns, '*' for any run of characters), joined by `and`.
struct AttrTest {
  Ident attribute;
  std::string op;                 ///< "==", "!=", "in", "not in", "matches"
  std::vector<StringLit> values;  ///< one value for ==/!=
  Span span;
};

struct WhenBlock;

/// A statement inside a model or service body.
using BodyStmt = std::variant<OwnerStmt, SharedStmt, Property, std::unique_ptr<WhenBlock>>;

/// `when launch_type == "FARGATE" { provider: guest_os }`
struct WhenBlock {
  std::vector<AttrTest> conditions;  ///< all must hold
  std::vector<BodyStmt> body;
  Span span;
};

// ---------------------------------------------------------------- declarations

struct PackageDecl {
  Name name;
  Span span;
};

/// `import aws` or `import aws.{ec2, lambda}`.
struct ImportDecl {
  Name package;
  std::vector<Ident> items;  ///< names brought into scope unqualified
  Span span;
};

/// `party provider "The cloud service provider"`
struct PartyDecl {
  Ident name;
  std::optional<StringLit> description;
  Span span;
};

/// `area patching "Applying OS security updates"` inside a layer.
struct AreaDecl {
  Ident name;
  std::optional<StringLit> description;
  Span span;
};

/// `layer guest_os "Guest operating system" { area patching ... }`
struct LayerDecl {
  Ident name;
  std::optional<StringLit> description;
  std::vector<AreaDecl> areas;
  std::vector<Property> properties;
  Span span;
};

/// `model paas "Platform as a Service" extends iaas { provider: guest_os, runtime }`
struct ModelDecl {
  Ident name;
  std::optional<StringLit> description;
  std::optional<Name> extends;
  std::vector<BodyStmt> body;
  Span span;
};

/// `provider aws "Amazon Web Services" { source "..." }`
struct ProviderDecl {
  Ident name;
  std::optional<StringLit> description;
  std::vector<Property> properties;
  Span span;
};

/// `service ec2 "Amazon EC2" : core.iaas { ... }` (parent is a model or a service)
struct ServiceDecl {
  Ident name;
  std::optional<StringLit> description;
  Name parent;
  std::vector<BodyStmt> body;
  Span span;
};

/// `control patch_management "Patch management" { covers host_os, guest_os.patching }`
struct ControlDecl {
  Ident name;
  std::optional<StringLit> description;
  std::vector<Target> covers;
  std::vector<Property> properties;
  Span span;
};

/// `package_type = package_type default "Zip"` inside a mapping's braces.
/// The path is a dotted attribute path in the resource's attributes.
/// Or a constant, `compute_type = "fargate"`: every resource of the mapping has that value.
struct AttrBinding {
  Ident attribute;
  Name path;                          ///< empty for a constant
  std::optional<StringLit> fallback;  ///< `default "Zip"` when the attribute is absent
  std::optional<StringLit> constant;  ///< `= "fargate"`: the value, whatever the resource holds
  Span span;
};

/// `aws_instance -> ec2`, `"aws_db_*" -> rds { ... }`, or a guarded mapping
/// `aws_instance -> ec2_bare_metal when instance_type matches "*.metal*" { instance_type = instance_type }`.
struct ResourceMapping {
  StringLit type;                ///< resource type or a pattern with '*'
  bool quoted = false;           ///< written as a string literal
  Name service;
  std::vector<AttrTest> guard;   ///< `when ...`: the mapping applies only to resources for which all hold
  std::vector<AttrBinding> bindings;
  Span span;
};

/// `resources terraform { ... }` / `resources cloudformation { ... }`
struct ResourcesDecl {
  Ident format;
  std::vector<ResourceMapping> mappings;
  Span span;
};

/// `team platform "Platform Engineering" { contact "platform@acme.example" }`
struct MemberDecl {
  Ident kind;  ///< "team" or "vendor"
  Ident name;
  std::optional<StringLit> description;
  std::vector<Property> properties;
  Span span;
};

/// `organization acme "ACME Corp" { team ...; vendor ... }`
struct OrganizationDecl {
  Ident name;
  std::optional<StringLit> description;
  std::vector<MemberDecl> members;
  std::vector<Property> properties;
  Span span;
};

/// `assign platform: guest_os, runtime on aws.ec2, aws.ecs`
struct AssignDecl {
  Ident team;
  std::vector<Target> targets;
  std::vector<Name> services;  ///< empty = every service
  Span span;
};

/// `take data.backup on aws.rds "We do not rely on automated snapshots"`
struct TakeDecl {
  std::vector<Target> targets;
  std::vector<Name> services;
  std::optional<StringLit> reason;
  Span span;
};

/// `allow aws.ec2, aws.lambda` / `deny aws.ec2_bare_metal "reason"`
struct AllowDecl {
  bool deny = false;
  std::vector<Name> services;
  std::optional<StringLit> reason;
  Span span;
};

/// `rule NAME mandatory "description" { expression }`
struct RuleDecl {
  Ident name;
  Ident level;  ///< advisory, mandatory or hard
  std::optional<StringLit> description;
  ExprPtr condition;
  Span span;
};

/// `waive RULE for "resource address" until 2027-03-31 "justification"`
struct WaiveDecl {
  Ident rule;
  std::optional<StringLit> subject;  ///< resource address (glob allowed); empty = whole rule
  std::optional<Date> until;
  std::optional<StringLit> reason;
  Span span;
};

/// `expect EXPRESSION` inside a test.
struct ExpectStmt {
  ExprPtr condition;
  Span span;
};

/// `resource aws_lambda_function "legacy" { package_type = "Image" }` inside a test:
/// a resource the test's expectations see through `resources()` and `used_services`.
struct FixtureResource {
  StringLit type;
  StringLit address;
  std::vector<std::pair<Ident, StringLit>> attributes;
  Span span;
};

using TestStmt = std::variant<ExpectStmt, FixtureResource>;

/// `test "EC2 guest OS patching is ours" { expect ... }`
struct TestDecl {
  StringLit name;
  std::vector<TestStmt> body;
  Span span;
};

using Decl = std::variant<PartyDecl, LayerDecl, ModelDecl, ProviderDecl, ServiceDecl, ControlDecl,
                          ResourcesDecl, OrganizationDecl, AssignDecl, TakeDecl, AllowDecl, RuleDecl,
                          WaiveDecl, TestDecl>;

/// A comment as written (`# ...`), kept for the formatter.
struct Comment {
  std::string text;  ///< including the leading '#', without the line end
  Span span;
};

/// One parsed file.
struct File {
  FileId file = 0;
  std::optional<PackageDecl> package;
  std::vector<ImportDecl> imports;
  std::vector<Decl> decls;
  std::vector<Comment> comments;
};

/// The span of any declaration.
Span span_of(const Decl& decl);

/// A deterministic, indented text dump of the tree (used by golden tests and `onus parse --dump`).
/// Spans print as line:col-line:col.
std::string dump(const File& file, const SourceFile& source);

}  // namespace onus::ast
