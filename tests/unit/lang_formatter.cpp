// The canonical formatter (lang/formatter.hpp, docs/formatting.md): one test per
// construct, comments, blank lines, line breaking. Every case also checks that
// the result parses to the same tree (spans aside) and formats to itself.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "lang/formatter.hpp"
#include "lang/parser.hpp"

using namespace onus;

namespace {

// A dump without spans, and without the trailing blanks of comments (fmt drops them).
std::string tree_of(const std::string& text) {
  SourceMap sources;
  Diagnostics diagnostics;
  const SourceFile& source = sources.add("test.onus", text);
  const ast::File file = parse_file(source, diagnostics);
  INFO(text);
  REQUIRE_FALSE(diagnostics.has_errors());
  std::string dump = ast::dump(file, source);
  dump = std::regex_replace(dump, std::regex(" @[0-9]+:[0-9]+-[0-9]+:[0-9]+"), "");
  return std::regex_replace(dump, std::regex("(comment \".*?)( |\\\\t)+\"\n"), "$1\"\n");
}

std::string format_text(const std::string& text) {
  SourceMap sources;
  Diagnostics diagnostics;
  const SourceFile& source = sources.add("test.onus", text);
  const ast::File file = parse_file(source, diagnostics);
  INFO(text);
  REQUIRE_FALSE(diagnostics.has_errors());
  return format_file(file, source);
}

// Formats `text` and checks that the meaning is kept and that formatting is idempotent.
std::string fmt(const std::string& text) {
  const std::string once = format_text(text);
  INFO("formatted:\n" << once);
  CHECK(tree_of(once) == tree_of(text));
  CHECK(format_text(once) == once);
  return once;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("fmt: package and imports come first, then one blank line", "[fmt]") {
  CHECK(fmt("package   acme\n\n\nimport aws\nimport   aws.{ ec2 ,s3 }\nparty provider") ==
        "package acme\nimport aws\nimport aws.{ec2, s3}\n\nparty provider\n");
  CHECK(fmt("package acme\nparty provider \"P\"\n") == "package acme\n\nparty provider \"P\"\n");
  CHECK(fmt("") == "");
  CHECK(fmt("\n\n# only a comment\n\n") == "# only a comment\n");
}

TEST_CASE("fmt: the author's blank lines between declarations are kept, runs collapse", "[fmt]") {
  CHECK(fmt("package a\n\nparty provider\nparty customer\n\n\n\nallow x\ndeny y\n") ==
        "package a\n\nparty provider\nparty customer\n\nallow x\ndeny y\n");
  // Multi-line declarations are always set apart by one blank line.
  CHECK(fmt("package a\nparty p\nmodel m {\n  provider: x\n}\nmodel n {\n  customer: x\n}\nparty q\n") ==
        "package a\n\nparty p\n\nmodel m {\n  provider: x\n}\n\nmodel n {\n  customer: x\n}\n\nparty q\n");
}

TEST_CASE("fmt: layers and areas", "[fmt]") {
  CHECK(fmt("package a\nlayer  guest_os \"Guest OS\"{area patching \"Updates\"; area hardening\n"
            "source \"https://x\"}\narea guest_os.malware   \"Anti-malware\"\nlayer data\nlayer empty {}\n") ==
        "package a\n\nlayer guest_os \"Guest OS\" {\n  area patching \"Updates\"\n  area hardening\n"
        "  source \"https://x\"\n}\n\narea guest_os.malware \"Anti-malware\"\nlayer data\nlayer empty\n");
}

TEST_CASE("fmt: models, ranges and empty bodies", "[fmt]") {
  CHECK(fmt("package a\nmodel iaas \"IaaS\" {provider : physical .. host_os,network\n\n\n customer:guest_os..data}\n"
            "model paas extends   iaas {\n}\n") ==
        "package a\n\nmodel iaas \"IaaS\" {\n  provider: physical..host_os, network\n\n  customer: guest_os..data\n}\n\n"
        "model paas extends iaas {}\n");
}

TEST_CASE("fmt: services, shared blocks and when variants", "[fmt]") {
  CHECK(fmt("package a\nservice ec2 \"EC2\":core.iaas{source \"https://x\"}\nservice bare : ec2 { }\n"
            "service s3 : m { shared data.encryption { provider \"keys\"  customer \"choice\" } shared data.x }\n"
            "service ecs : m { when launch_type==\"FARGATE\" {provider:guest_os} }\n"
            "service l : m { when a in {\"x\",\"y\"} and b != \"z\" and c not in \"w\" { customer: runtime; "
            "provider: guest_os } when d == {\"p\", \"q\"} { customer: data } }\n") ==
        "package a\n\n"
        "service ec2 \"EC2\" : core.iaas {\n  source \"https://x\"\n}\n\n"
        "service bare : ec2\n\n"
        "service s3 : m {\n  shared data.encryption {\n    provider \"keys\"\n    customer \"choice\"\n  }\n"
        "  shared data.x\n}\n\n"
        "service ecs : m {\n  when launch_type == \"FARGATE\" { provider: guest_os }\n}\n\n"
        "service l : m {\n  when a in {\"x\", \"y\"} and b != \"z\" and c not in {\"w\"} {\n    customer: runtime\n"
        "    provider: guest_os\n  }\n  when d == {\"p\", \"q\"} { customer: data }\n}\n");
}

TEST_CASE("fmt: a nested block with one statement stays on one line only when it fits", "[fmt]") {
  const std::string long_area(71, 'a');  // one column too many for one line
  CHECK(fmt("package a\nservice s : m { when k == \"v\" { provider: " + long_area + " } }\n") ==
        "package a\n\nservice s : m {\n  when k == \"v\" {\n    provider: " + long_area + "\n  }\n}\n");
  CHECK(fmt("package a\nservice s : m { shared x { provider \"only one\" } }\n") ==
        "package a\n\nservice s : m {\n  shared x { provider \"only one\" }\n}\n");
}

TEST_CASE("fmt: providers and controls", "[fmt]") {
  CHECK(fmt("package a\nprovider aws \"AWS\" { source \"https://a\" }\nprovider bare\n"
            "control patch \"Patching\" { covers host_os ,guest_os.patching\n source \"https://c\"\n covers data }\n") ==
        "package a\n\nprovider aws \"AWS\" {\n  source \"https://a\"\n}\n\nprovider bare\n\n"
        "control patch \"Patching\" {\n  covers host_os, guest_os.patching\n  source \"https://c\"\n  covers data\n}\n");
}

TEST_CASE("fmt: long lists are wrapped one item per line", "[fmt]") {
  std::string targets;
  for (int i = 0; i < 8; ++i) targets += (i ? ", " : "") + std::string("layer_number_") + std::to_string(i);
  CHECK(fmt("package a\ncontrol c { covers " + targets + " }\n") ==
        "package a\n\ncontrol c {\n  covers\n    layer_number_0,\n    layer_number_1,\n    layer_number_2,\n"
        "    layer_number_3,\n    layer_number_4,\n    layer_number_5,\n    layer_number_6,\n    layer_number_7\n}\n");
  std::string services;
  for (int i = 0; i < 10; ++i) services += (i ? ", " : "") + std::string("aws.service_") + std::to_string(i);
  CHECK(fmt("package a\nallow " + services + "\n") ==
        "package a\n\nallow\n  aws.service_0,\n  aws.service_1,\n  aws.service_2,\n  aws.service_3,\n  aws.service_4,\n"
        "  aws.service_5,\n  aws.service_6,\n  aws.service_7,\n  aws.service_8,\n  aws.service_9\n");
}

TEST_CASE("fmt: resources and attribute bindings", "[fmt]") {
  CHECK(fmt("package a\nresources terraform { aws_instance->ec2\n \"aws_db_*\"  ->  rds\n"
            "aws_ecs_service -> ecs {launch_type=launch_type default \"EC2\",}\n"
            "aws_lambda_function -> lambda { package_type = package_type default \"Zip\", runtime = Runtime }\n"
            "x -> y {} }\n") ==
        "package a\n\nresources terraform {\n  aws_instance -> ec2\n  \"aws_db_*\" -> rds\n"
        "  aws_ecs_service -> ecs { launch_type = launch_type default \"EC2\" }\n"
        "  aws_lambda_function -> lambda {\n    package_type = package_type default \"Zip\",\n    runtime = Runtime,\n  }\n"
        "  x -> y\n}\n");
}

TEST_CASE("fmt: organizations, teams and vendors", "[fmt]") {
  CHECK(fmt("package a\norganization acme \"ACME\" { team platform \"Platform\" {contact \"p@a\"}; vendor msp\n"
            "source \"https://o\" }\n") ==
        "package a\n\norganization acme \"ACME\" {\n  team platform \"Platform\" { contact \"p@a\" }\n  vendor msp\n"
        "  source \"https://o\"\n}\n");
}

TEST_CASE("fmt: assign, take, allow, deny and waive", "[fmt]") {
  CHECK(fmt("package a\nassign platform :guest_os,runtime\nassign msp: guest_os on aws.ec2 ,aws.ecs\n"
            "take data.backup on aws.rds \"No snapshots\"\ntake data\nallow aws.ec2,aws.s3\n"
            "deny aws.bare \"No hypervisors\"\nwaive r for \"aws_lambda_function.x\" until 2027-03-31 \"OPS-42\"\n"
            "waive q\n") ==
        "package a\n\nassign platform: guest_os, runtime\nassign msp: guest_os on aws.ec2, aws.ecs\n"
        "take data.backup on aws.rds \"No snapshots\"\ntake data\nallow aws.ec2, aws.s3\n"
        "deny aws.bare \"No hypervisors\"\nwaive r for \"aws_lambda_function.x\" until 2027-03-31 \"OPS-42\"\n"
        "waive q\n");
  // Too long for one line: each clause on a line of its own.
  CHECK(fmt("package a\nwaive runtimes_patched_by_aws for \"aws_lambda_function.legacy_billing\" "
            "until 2027-03-31 \"Migration tracked in OPS-42\"\n") ==
        "package a\n\nwaive runtimes_patched_by_aws\n  for \"aws_lambda_function.legacy_billing\"\n"
        "  until 2027-03-31\n  \"Migration tracked in OPS-42\"\n");
}

TEST_CASE("fmt: rules and expressions keep only the parentheses precedence needs", "[fmt]") {
  auto rule = [](const std::string& body) {
    const std::string out = fmt("package a\nrule r mandatory \"d\" { " + body + " }\n");
    const std::string prefix = "package a\n\nrule r mandatory \"d\" {\n  ";
    REQUIRE(out.rfind(prefix, 0) == 0);
    return out.substr(prefix.size(), out.size() - prefix.size() - 3);
  };
  CHECK(rule("all s in used_services:team(s,data.encryption)!=none") ==
        "all s in used_services: team(s, data.encryption) != none");
  CHECK(rule("(a and b) or c") == "a and b or c");
  CHECK(rule("a and (b or c)") == "a and (b or c)");
  CHECK(rule("(a or b) or c") == "a or b or c");
  CHECK(rule("a or (b or c)") == "a or (b or c)");
  CHECK(rule("not (a == b)") == "not a == b");
  CHECK(rule("(not a) and not (b and c)") == "not a and not (b and c)");
  CHECK(rule("((x)) == ( \"s\" )") == "x == \"s\"");
  CHECK(rule("(a == b) == c") == "(a == b) == c");
  CHECK(rule("(all x in S: p) and q") == "(all x in S: p) and q");
  CHECK(rule("q and (all x in S: p and r)") == "q and all x in S: p and r");
  CHECK(rule("(any x in S: p) == true") == "(any x in S: p) == true");
  CHECK(rule("x in {  } and y not in{a,b} and f( ) == 3 and n <= 12") ==
        "x in {} and y not in {a, b} and f() == 3 and n <= 12");
  CHECK(rule("owner(s, a) == shared and team(s, a) == none and count(resources(aws.s3)) > 0") ==
        "owner(s, a) == shared and team(s, a) == none and count(resources(aws.s3)) > 0");
  CHECK(rule("all x in (any y in S: p): q") == "all x in (any y in S: p): q");
}

TEST_CASE("fmt: long expressions break at and/or, quantifier bodies and lists", "[fmt]") {
  CHECK(fmt("package a\nrule r hard \"d\" {\n  all r in resources(aws.lambda): owner(r, runtime.patching) in {provider, "
            "shared} and count(responsibilities(r, customer)) <= 12 and count(areas(guest_os)) >= 1\n}\n") ==
        "package a\n\nrule r hard \"d\" {\n  all r in resources(aws.lambda):\n"
        "    owner(r, runtime.patching) in {provider, shared}\n    and count(responsibilities(r, customer)) <= 12\n"
        "    and count(areas(guest_os)) >= 1\n}\n");
  CHECK(fmt("package a\ntest \"t\" { expect all s in {aws.ec2, aws.eks, aws.rds, aws.s3, aws.iam, aws.kms}: "
            "team(s, identity.permissions) == security }\n") ==
        "package a\n\ntest \"t\" {\n  expect all s in {aws.ec2, aws.eks, aws.rds, aws.s3, aws.iam, aws.kms}:\n"
        "    team(s, identity.permissions) == security\n}\n");
  CHECK(fmt("package a\ntest \"t\" { expect owner(aws.ec2, guest_os.patching) == customer and "
            "owner(aws.ec2, runtime.patching) == customer or team(aws.ec2, data) == platform }\n") ==
        "package a\n\ntest \"t\" {\n  expect owner(aws.ec2, guest_os.patching) == customer\n"
        "      and owner(aws.ec2, runtime.patching) == customer\n    or team(aws.ec2, data) == platform\n}\n");
  std::string elements;
  for (int i = 0; i < 12; ++i) elements += (i ? ", " : "") + std::string("aws.service_") + std::to_string(i);
  CHECK(fmt("package a\ntest \"t\" { expect count({" + elements + "}) == 12 }\n") ==
        "package a\n\ntest \"t\" {\n  expect count(\n    {\n      aws.service_0,\n      aws.service_1,\n"
        "      aws.service_2,\n      aws.service_3,\n      aws.service_4,\n      aws.service_5,\n      aws.service_6,\n"
        "      aws.service_7,\n      aws.service_8,\n      aws.service_9,\n      aws.service_10,\n"
        "      aws.service_11\n    }\n  ) == 12\n}\n");
}

TEST_CASE("fmt: tests and fixture resources", "[fmt]") {
  CHECK(fmt("package a\ntest \"image\" { resource aws_lambda_function \"aws_lambda_function.x\" {package_type=\"Image\"}\n"
            "resource \"AWS::S3::Bucket\" \"b\" { a = \"1\" b = \"2\" }; resource t \"c\"\n"
            "expect count(used_services)==1 }\ntest \"empty\" {}\n") ==
        "package a\n\ntest \"image\" {\n  resource aws_lambda_function \"aws_lambda_function.x\" { package_type = \"Image\" }\n"
        "  resource \"AWS::S3::Bucket\" \"b\" {\n    a = \"1\",\n    b = \"2\",\n  }\n  resource t \"c\"\n"
        "  expect count(used_services) == 1\n}\n\ntest \"empty\" {}\n");
}

TEST_CASE("fmt: strings are re-escaped canonically", "[fmt]") {
  CHECK(fmt("package a\nparty p \"tab\there \\\"q\\\" back\\\\slash\\nline\"\n") ==
        "package a\n\nparty p \"tab\\there \\\"q\\\" back\\\\slash\\nline\"\n");
  CHECK(quote_string("a\"b\\c\nd\te") == "\"a\\\"b\\\\c\\nd\\te\"");
}

TEST_CASE("fmt: CRLF line ends, a byte order mark and tabs", "[fmt]") {
  CHECK(fmt("\xEF\xBB\xBFpackage a\r\n\r\n\tparty p # note \r\n") == "package a\n\nparty p # note\n");
}

TEST_CASE("fmt: comments are kept where they stand", "[fmt]") {
  const std::string source =
      "# header\n\npackage a # the package\n# before imports\nimport core\n\n"
      "# about the layer\n  # indented oddly\nlayer l { # opens\n  # first area\n  area x # trailing\n\n"
      "  # end of block\n}\n"
      "service s : m {\n  provider: a, # after a\n    b\n  when k == \"v\" { # inside\n    customer: c }\n"
      "  # last in service\n}\n"
      "rule r advisory {\n  a # after a\n  # before and\n  and b\n}\n"
      "allow x # why\ndeny y\n# at the end\n\n\n# the very end\n";
  const std::string expected =
      "# header\n\npackage a # the package\n# before imports\nimport core\n\n"
      "# about the layer\n# indented oddly\nlayer l { # opens\n  # first area\n  area x # trailing\n\n"
      "  # end of block\n}\n\n"
      "service s : m {\n  provider:\n    a, # after a\n    b\n  when k == \"v\" { # inside\n    customer: c\n  }\n"
      "  # last in service\n}\n\n"
      "rule r advisory {\n  a # after a\n  # before and\n  and b\n}\n\n"
      "allow x # why\ndeny y\n# at the end\n\n# the very end\n";
  const std::string out = fmt(source);
  CHECK(out == expected);
  CHECK(count(out, "#") == count(source, "#"));
}

TEST_CASE("fmt: a comment inside a one-line construct is never lost", "[fmt]") {
  // Comments where no canonical place exists still come out, in order, and stay put on a second run.
  const std::string source =
      "package a\nservice s # after the name\n  : m\nassign t: # odd\n  x on y\n"
      "rule r hard { f(a, # one\n b) == g( # two\n) }\n"
      "resources terraform { x -> y { # b\n a = b } }\ntest \"t\" { resource x \"y\" { # c\n } }\n";
  const std::string out = fmt(source);
  CHECK(count(out, "#") == count(source, "#"));
  for (const char* c : {"# after the name", "# odd", "# one", "# two", "# b", "# c"}) CHECK(count(out, c) == 1);
}

TEST_CASE("fmt: every .onus file of the repository keeps its tree and is stable", "[fmt]") {
  const char* files[] = {"stdlib/core/stack.onus", "stdlib/core/models.onus", "policies/startup/policy.onus",
                         "policies/startup/policy_test.onus", "stdlib/aws/compute.onus"};
  for (const char* name : files) {
    std::ifstream in(std::string(ONUS_SOURCE_DIR) + "/" + name, std::ios::binary);
    if (!in) continue;  // the file moved: the script test covers the whole tree
    std::stringstream buffer;
    buffer << in.rdbuf();
    SourceMap sources;
    Diagnostics diagnostics;
    (void)parse_file(sources.add(name, buffer.str()), diagnostics);
    if (diagnostics.has_errors()) continue;  // being edited: fmt refuses such files anyway
    INFO(name);
    fmt(buffer.str());
  }
}

TEST_CASE("fmt: comments next to operators and brackets are stable", "[fmt]") {
  // Found by inserting comments at random places: each must format to itself the second time.
  CHECK(fmt("package a\nimport aws.{ec2, s3}   # after the brackets\nparty p\n") ==
        "package a\nimport aws.{ec2, s3} # after the brackets\n\nparty p\n");
  CHECK(fmt("package a\nservice s : m {\n  when k # here\n not in { \"v\" } { customer: x }\n}\n") ==
        "package a\n\nservice s : m {\n  when k not in { # here\n    \"v\"\n  } { customer: x }\n}\n");
  CHECK(fmt("package a\nrule r hard { count(services) > # why\n 0 }\n") ==
        "package a\n\nrule r hard {\n  count(services) > # why\n    0\n}\n");
  CHECK(fmt("package a\nmodel m extends # parent\n p {}\n") == "package a\n\nmodel m extends # parent\n  p {}\n");
}
