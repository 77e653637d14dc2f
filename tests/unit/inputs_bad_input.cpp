// Bad inputs: every reader reports a located, actionable diagnostic and never
// crashes, hangs or throws; nothing is added to the input set on failure.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/inputs/resource.hpp"

namespace {

using onus::Diagnostic;
using onus::Diagnostics;
using onus::inputs::AttributePaths;
using onus::inputs::Format;
using onus::inputs::InputSet;

std::string fixture(const std::string& relative) {
  return std::string(ONUS_SOURCE_DIR) + "/tests/data/inputs/" + relative;
}

const std::vector<std::string> kPathList = {"launch_type", "acl", "versioning.enabled", "LaunchType",
                                            "Properties.X", "network_configuration.assign_public_ip"};

AttributePaths all_paths() {
  return [](Format, std::string_view) -> const std::vector<std::string>* { return &kPathList; };
}

enum class Reader { terraform, cloudformation, inventory };

struct Outcome {
  bool ok = false;
  InputSet set;
  Diagnostics diagnostics;
  [[nodiscard]] const Diagnostic& first_error() const {
    for (const auto& d : diagnostics.all()) {
      if (d.severity == onus::Severity::error) return d;
    }
    FAIL("no error diagnostic");
    return diagnostics.all().front();
  }
};

Outcome run(Reader reader, const std::string& path) {
  Outcome outcome;
  const AttributePaths paths = all_paths();
  switch (reader) {
    case Reader::terraform:
      outcome.ok = onus::inputs::read_terraform_plan(path, paths, outcome.set, outcome.diagnostics);
      break;
    case Reader::cloudformation:
      outcome.ok = onus::inputs::read_cloudformation(path, paths, outcome.set, outcome.diagnostics);
      break;
    case Reader::inventory:
      outcome.ok = onus::inputs::read_inventory(path, paths, outcome.set, outcome.diagnostics);
      break;
  }
  return outcome;
}

/// Runs a reader expected to fail and checks what every input error must have.
Outcome fails(Reader reader, const std::string& path, const std::string& code) {
  Outcome outcome = run(reader, path);
  INFO(path);
  for (const auto& d : outcome.diagnostics.all()) UNSCOPED_INFO(d.code << " " << d.external.line << ":" << d.external.column << " " << d.message);
  REQUIRE_FALSE(outcome.ok);
  CHECK(outcome.set.resources.empty());
  CHECK(outcome.set.files.empty());
  const Diagnostic& error = outcome.first_error();
  CHECK(error.code == code);
  CHECK_FALSE(error.span.valid());
  CHECK_FALSE(error.external.file.empty());
  CHECK_FALSE(error.message.empty());
  CHECK_FALSE(error.help.empty());
  return outcome;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string temp_path(const std::string& name) {
  return "/tmp/onus-inputs-test-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace

TEST_CASE("bad input: missing file, directory, empty file", "[inputs][bad]") {
  for (Reader reader : {Reader::terraform, Reader::cloudformation, Reader::inventory}) {
    const Outcome missing = fails(reader, fixture("bad/does-not-exist.json"), "E0601");
    CHECK(contains(missing.first_error().message, "No such file or directory"));
    const Outcome directory = fails(reader, fixture("bad"), "E0601");
    CHECK(contains(directory.first_error().message, "is a directory"));
    fails(reader, fixture("bad/empty.json"), "E0603");
    fails(reader, fixture("bad/whitespace.json"), "E0603");
  }
}

TEST_CASE("bad input: binary files, UTF-16, a binary Terraform plan", "[inputs][bad]") {
  for (Reader reader : {Reader::terraform, Reader::cloudformation, Reader::inventory}) {
    fails(reader, fixture("bad/garbage.bin"), "E0604");
    const Outcome utf16 = fails(reader, fixture("bad/utf16.tfplan.json"), "E0604");
    CHECK(contains(utf16.first_error().message, "UTF-16"));
  }
  const Outcome zip = fails(Reader::terraform, fixture("bad/binary-plan.out"), "E0604");
  CHECK(contains(zip.first_error().message, "binary Terraform plan"));
  CHECK(contains(zip.first_error().help, "terraform show -json"));
}

TEST_CASE("bad input: malformed JSON is located", "[inputs][bad]") {
  const Outcome malformed = fails(Reader::terraform, fixture("bad/malformed.tfplan.json"), "E0605");
  CHECK(malformed.first_error().external.line == 4);
  CHECK(malformed.first_error().external.column == 35);
  CHECK(contains(malformed.first_error().message, "expected ',' or '}'"));
  CHECK(contains(malformed.first_error().external.line_text, "\"address\": \"aws_s3_bucket.a\""));

  const Outcome utf8 = fails(Reader::terraform, fixture("bad/bad-utf8.tfplan.json"), "E0605");
  CHECK(utf8.first_error().external.line == 1);
  CHECK(contains(utf8.first_error().message, "UTF-8"));

  const Outcome trailing = fails(Reader::terraform, fixture("bad/trailing.tfplan.json"), "E0605");
  CHECK(trailing.first_error().external.line == 2);
  CHECK(trailing.first_error().external.column == 1);

  const Outcome text = fails(Reader::terraform, fixture("bad/starts-with-text.tfplan.json"), "E0605");
  CHECK(contains(text.first_error().help, "terraform_wrapper: false"));

  const Outcome deep = fails(Reader::terraform, fixture("bad/deep-nesting.json"), "E0605");
  CHECK(contains(deep.first_error().message, "deeper than 1024"));
  fails(Reader::inventory, fixture("bad/deep-nesting.json"), "E0605");
  fails(Reader::inventory, fixture("bad/malformed.tfplan.json"), "E0605");
}

TEST_CASE("bad input: a truncated plan points at the end of the file", "[inputs][bad]") {
  const std::string path = fixture("bad/truncated.tfplan.json");
  const Outcome truncated = fails(Reader::terraform, path, "E0605");
  const std::string text = read_file(path);
  const auto lines = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
  CHECK(truncated.first_error().external.line == lines);
  CHECK(contains(truncated.first_error().message, "ends before"));
  CHECK(contains(truncated.first_error().help, "truncated"));
}

TEST_CASE("bad input: JSON that is not a Terraform plan says what was expected", "[inputs][bad]") {
  const Outcome other = fails(Reader::terraform, fixture("bad/not-a-plan.json"), "E0606");
  CHECK(other.first_error().message ==
        "this JSON is not a Terraform plan: it has no resource_changes, planned_values or values; produce it with "
        "`terraform show -json plan.out`");
  CHECK(other.first_error().external.line == 1);
  CHECK(other.first_error().external.column == 1);
  const Outcome cfn = fails(Reader::terraform, fixture("bad/template-as-plan.json"), "E0606");
  CHECK(contains(cfn.first_error().help, "--template"));
  const Outcome inventory = fails(Reader::terraform, fixture("inventory/inventory.json"), "E0606");
  CHECK(contains(inventory.first_error().help, "--inventory"));
  const Outcome log = fails(Reader::terraform, fixture("bad/terraform-ui-log.json"), "E0606");
  CHECK(contains(log.first_error().message, "machine-readable log"));
  fails(Reader::terraform, fixture("bad/format-version-2.tfplan.json"), "E0606");
}

TEST_CASE("bad input: invalid plan entries", "[inputs][bad]") {
  const Outcome no_type = fails(Reader::terraform, fixture("bad/entry-without-type.tfplan.json"), "E0607");
  CHECK(contains(no_type.first_error().message, "has no `type`"));
  CHECK(no_type.first_error().external.line == 2);
  const Outcome actions = fails(Reader::terraform, fixture("bad/actions-not-array.tfplan.json"), "E0607");
  CHECK(contains(actions.first_error().message, "should be an array, not a string"));
}

TEST_CASE("bad input: CloudFormation templates", "[inputs][bad]") {
  const Outcome yaml = fails(Reader::cloudformation, fixture("bad/syntax-error.yaml"), "E0608");
  CHECK(yaml.first_error().external.line >= 6);
  CHECK(yaml.first_error().external.line <= 8);
  fails(Reader::cloudformation, fixture("bad/no-resources.yaml"), "E0609");
  fails(Reader::cloudformation, fixture("bad/yaml-list.yaml"), "E0609");
  fails(Reader::cloudformation, fixture("bad/not-a-plan.json"), "E0609");
  const Outcome plan = fails(Reader::cloudformation, fixture("tf/mixed-actions.tfplan.json"), "E0609");
  CHECK(contains(plan.first_error().help, "--plan"));
  const Outcome no_type_yaml = fails(Reader::cloudformation, fixture("bad/resource-without-type.yaml"), "E0610");
  CHECK(no_type_yaml.first_error().external.line == 2);
  CHECK(no_type_yaml.first_error().external.column == 3);
  const Outcome no_type_json = fails(Reader::cloudformation, fixture("bad/resource-without-type.json"), "E0610");
  CHECK(no_type_json.first_error().external.line == 3);
  CHECK(no_type_json.first_error().external.column == 5);
  CHECK(contains(no_type_json.first_error().message, "`Bucket` has no `Type`"));
}

TEST_CASE("bad input: inventories", "[inputs][bad]") {
  fails(Reader::inventory, fixture("bad/inventory-object.json"), "E0611");
  const Outcome elements = fails(Reader::inventory, fixture("bad/inventory-bad-elements.json"), "E0612");
  REQUIRE(elements.diagnostics.error_count() == 3);
  CHECK(elements.diagnostics.all()[0].external.line == 3);
  CHECK(elements.diagnostics.all()[1].external.line == 4);
  CHECK(elements.diagnostics.all()[2].external.line == 5);
}

TEST_CASE("bad input: huge files are refused quickly, before they are read", "[inputs][bad]") {
  // Sparse files: no disk space is used.
  const std::string gigabyte = temp_path("1g.json");
  const std::string too_big = temp_path("5g.json");
  {
    const int fd = ::open(gigabyte.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, off_t{1} << 30) == 0);
    ::close(fd);
    const int fd2 = ::open(too_big.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    REQUIRE(fd2 >= 0);
    REQUIRE(::ftruncate(fd2, off_t{5} << 30) == 0);
    ::close(fd2);
  }
  const auto start = std::chrono::steady_clock::now();
  for (Reader reader : {Reader::terraform, Reader::cloudformation, Reader::inventory}) {
    fails(reader, too_big, "E0602");
  }
  fails(Reader::cloudformation, gigabyte, "E0602");  // templates: 16 MiB at most
  fails(Reader::terraform, gigabyte, "E0604");       // 1 GiB of NUL bytes: refused from the first bytes
  fails(Reader::inventory, gigabyte, "E0604");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 2.0);
  std::remove(gigabyte.c_str());
  std::remove(too_big.c_str());
}

TEST_CASE("bad input: truncations and byte flips never crash, hang or throw", "[inputs][bad][robustness]") {
  struct Case {
    Reader reader;
    std::string file;
  };
  const std::vector<Case> cases = {
      {Reader::terraform, "tf/mixed-actions.tfplan.json"},
      {Reader::terraform, "tf/mixed-actions.oneline.tfplan.json"},
      {Reader::cloudformation, "cfn/all-short-forms.yaml"},
      {Reader::cloudformation, "cfn/ecs-lambda.json"},
      {Reader::inventory, "inventory/inventory.json"},
  };
  std::mt19937 random(12345);
  const std::string path = temp_path("mutated");
  const char replacements[] = {'{', '}', '[', ']', ',', ':', '"', '\\', '\n', ' ', 'x', '0', '\0', '\xff', '-', '!', '&', '*'};
  for (const Case& c : cases) {
    const std::string original = read_file(fixture(c.file));
    REQUIRE_FALSE(original.empty());
    for (int round = 0; round < 150; ++round) {
      std::string text = original;
      if (round % 3 == 0) {
        text.resize(random() % text.size());  // truncated
      } else {
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int k = 0; k < flips; ++k) {
          text[random() % text.size()] = replacements[random() % sizeof replacements];
        }
      }
      std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
      Outcome outcome;
      REQUIRE_NOTHROW(outcome = run(c.reader, path));
      if (!outcome.ok) {
        INFO(c.file << " round " << round);
        REQUIRE(outcome.diagnostics.has_errors());
        CHECK(outcome.set.resources.empty());
      }
    }
  }
  std::remove(path.c_str());
}
