// Terraform plan reader: actions, modules, data sources, attributes, locations.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/inputs/resource.hpp"

namespace {

using onus::Diagnostics;
using onus::inputs::Action;
using onus::inputs::AttributePaths;
using onus::inputs::Format;
using onus::inputs::InputSet;
using onus::inputs::Resource;

std::string fixture(const std::string& relative) {
  return std::string(ONUS_SOURCE_DIR) + "/tests/data/inputs/" + relative;
}

using PathTable = std::map<std::string, std::vector<std::string>, std::less<>>;

AttributePaths paths_from(const PathTable& table) {
  return [&table](Format, std::string_view type) -> const std::vector<std::string>* {
    auto it = table.find(type);
    return it == table.end() ? nullptr : &it->second;
  };
}

const Resource* find(const InputSet& set, std::string_view address) {
  for (const auto& resource : set.resources) {
    if (resource.address == address) return &resource;
  }
  return nullptr;
}

/// The value bound for `path`, or "<absent>".
std::string attribute(const Resource& resource, std::string_view path) {
  for (const auto& [name, value] : resource.attributes) {
    if (name == path) return value;
  }
  return "<absent>";
}

std::vector<std::string> addresses(const InputSet& set) {
  std::vector<std::string> out;
  for (const auto& resource : set.resources) out.push_back(resource.address);
  return out;
}

const PathTable kPaths = {
    {"aws_ecs_service", {"launch_type", "network_configuration.assign_public_ip", "desired_count"}},
    {"aws_lambda_function", {"package_type", "memory_size", "timeout", "image_uri"}},
    {"aws_s3_bucket", {"acl", "versioning.enabled", "tags.team", "tags"}},
    {"aws_db_instance", {"instance_class", "storage_encrypted"}},
    {"aws_iam_role", {"assume_role_policy"}},
    {"aws_security_group", {"description", "ingress.from_port", "ingress.cidr_blocks"}},
    {"aws_kms_key", {"enable_key_rotation"}},
    {"aws_sqs_queue", {"fifo_queue"}},
    {"aws_instance", {"instance_type", "metadata_options.http_tokens", "root_block_device.encrypted",
                      "ebs_block_device.encrypted"}},
    {"aws_vpc", {"cidr_block", "enable_dns_support", "tags.Name"}},
};

InputSet read_ok(const std::string& path, const PathTable& table = kPaths) {
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(table);
  const bool ok = onus::inputs::read_terraform_plan(path, paths, set, diagnostics);
  INFO(path);
  for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.code << " " << d.external.line << ":" << d.external.column << " " << d.message);
  REQUIRE(ok);
  REQUIRE_FALSE(diagnostics.has_errors());
  return set;
}

}  // namespace

TEST_CASE("terraform: change actions map to create, remove, noop, update, replace", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  CHECK(find(set, "aws_ecs_service.api")->action == Action::noop);
  CHECK(find(set, "aws_ecs_service.worker")->action == Action::create);
  CHECK(find(set, "aws_s3_bucket.assets")->action == Action::update);
  CHECK(find(set, "aws_s3_bucket.logs_old")->action == Action::remove);
  CHECK(find(set, "aws_iam_role.deployer")->action == Action::replace);      // ["delete","create"]
  CHECK(find(set, "aws_security_group.web")->action == Action::replace);     // ["create","delete"]
  CHECK(find(set, "aws_kms_key.only_in_planned_values")->action == Action::present);
  for (const auto& resource : set.resources) {
    CHECK(resource.format == Format::terraform);
    CHECK(resource.address.find("data.") == std::string::npos);
  }
}

TEST_CASE("terraform: data sources are skipped and counted once each", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  // data.aws_caller_identity.current (planned_values only), data.aws_ami.ubuntu (resource_changes only),
  // module.app.data.aws_iam_policy_document.assume (both).
  CHECK(set.data_sources_skipped == 3);
  CHECK(find(set, "data.aws_ami.ubuntu") == nullptr);
}

TEST_CASE("terraform: each address once, in input order, planned_values-only resources last", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  const std::vector<std::string> expected = {
      "aws_ecs_service.api",
      "aws_ecs_service.worker",
      "aws_s3_bucket.assets",
      "aws_s3_bucket.logs_old",
      "aws_iam_role.deployer",
      "aws_security_group.web",
      "module.app.aws_lambda_function.thumbnails",
      "module.app.aws_lambda_function.renderer",
      "module.app.module.db.aws_db_instance.orders",  // the deposed entry yields to the current object
      "module.queues[\"eu\"].aws_sqs_queue.jobs",
      "aws_kms_key.only_in_planned_values",
  };
  CHECK(addresses(set) == expected);
  CHECK(set.files == std::vector<std::string>{fixture("tf/mixed-actions.tfplan.json")});
  // prior_state and configuration are not deployed resources of this plan.
  CHECK(find(set, "aws_s3_bucket.prior_only") == nullptr);
  CHECK(find(set, "aws_s3_bucket.config_only") == nullptr);
}

TEST_CASE("terraform: ECS launch types and Lambda package types are bound", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  CHECK(attribute(*find(set, "aws_ecs_service.api"), "launch_type") == "EC2");
  CHECK(attribute(*find(set, "aws_ecs_service.worker"), "launch_type") == "FARGATE");
  CHECK(attribute(*find(set, "module.app.aws_lambda_function.thumbnails"), "package_type") == "Zip");
  CHECK(attribute(*find(set, "module.app.aws_lambda_function.renderer"), "package_type") == "Image");
}

TEST_CASE("terraform: attribute values and paths", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  const Resource& api = *find(set, "aws_ecs_service.api");
  // A segment meeting an array descends into its first element; booleans and numbers are JSON text.
  CHECK(attribute(api, "network_configuration.assign_public_ip") == "false");
  CHECK(attribute(api, "desired_count") == "3");
  CHECK(attribute(*find(set, "module.app.aws_lambda_function.thumbnails"), "timeout") == "30.5");
  // Strings are unescaped.
  CHECK(attribute(*find(set, "aws_iam_role.deployer"), "assume_role_policy") ==
        R"({"Version":"2012-10-17","Statement":[]})");
  CHECK(attribute(*find(set, "aws_security_group.web"), "description") == "Caf\xC3\xA9 \xE2\x98\x95 web");
  CHECK(attribute(*find(set, "aws_security_group.web"), "ingress.from_port") == "443");
  // Objects and arrays are not extracted.
  CHECK(attribute(*find(set, "aws_s3_bucket.assets"), "tags") == "<absent>");
  CHECK(attribute(*find(set, "aws_security_group.web"), "ingress.cidr_blocks") == "<absent>");
  CHECK(attribute(*find(set, "aws_s3_bucket.assets"), "tags.team") == "web");
  // Updates bind `after`; deletes bind `before`.
  CHECK(attribute(*find(set, "aws_s3_bucket.assets"), "acl") == "public-read");
  CHECK(attribute(*find(set, "aws_s3_bucket.logs_old"), "acl") == "log-delivery-write");
  CHECK(attribute(*find(set, "module.app.aws_lambda_function.renderer"), "memory_size") == "2048");
  CHECK(attribute(*find(set, "module.app.module.db.aws_db_instance.orders"), "instance_class") == "db.r6g.large");
  // Only in planned_values: its `values`.
  CHECK(attribute(*find(set, "aws_kms_key.only_in_planned_values"), "enable_key_rotation") == "true");
  // Absent attributes are not listed; attributes come in the order the paths were asked.
  const Resource& renderer = *find(set, "module.app.aws_lambda_function.renderer");
  REQUIRE(renderer.attributes.size() == 3);
  CHECK(renderer.attributes[0].first == "package_type");
  CHECK(renderer.attributes[1].first == "memory_size");
  CHECK(renderer.attributes[2].first == "image_uri");
}

TEST_CASE("terraform: only requested types and paths are extracted", "[inputs][terraform]") {
  const PathTable none;
  const InputSet set = read_ok(fixture("tf/mixed-actions.tfplan.json"), none);
  for (const auto& resource : set.resources) CHECK(resource.attributes.empty());
  // An empty callback is allowed too.
  InputSet again;
  Diagnostics diagnostics;
  REQUIRE(onus::inputs::read_terraform_plan(fixture("tf/mixed-actions.tfplan.json"), AttributePaths{}, again,
                                            diagnostics));
  CHECK(again.resources.size() == set.resources.size());
}

TEST_CASE("terraform: locations are the line and column of the resource's entry", "[inputs][terraform]") {
  const InputSet pretty = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  const Resource& api = *find(pretty, "aws_ecs_service.api");
  CHECK(api.location.file == fixture("tf/mixed-actions.tfplan.json"));
  CHECK(api.location.line == 234);
  CHECK(api.location.column == 5);
  CHECK(find(pretty, "aws_kms_key.only_in_planned_values")->location.line == 127);
  CHECK(find(pretty, "aws_kms_key.only_in_planned_values")->location.column == 9);

  // A one-line plan: columns count code points (the plan holds "Café ☕" before these entries).
  const InputSet line = read_ok(fixture("tf/mixed-actions.oneline.tfplan.json"));
  CHECK(find(line, "aws_ecs_service.api")->location.line == 1);
  CHECK(find(line, "aws_ecs_service.api")->location.column == 3986);
  CHECK(find(line, "aws_security_group.web")->location.column == 6223);
  CHECK(find(line, "module.app.aws_lambda_function.thumbnails")->location.column == 6987);
}

TEST_CASE("terraform: a state JSON (values) with nested child modules", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/state.json"));
  CHECK(addresses(set) == std::vector<std::string>{"aws_instance.web", "module.net.aws_vpc.main"});
  CHECK(set.data_sources_skipped == 1);
  const Resource& web = *find(set, "aws_instance.web");
  CHECK(web.action == Action::present);
  CHECK(attribute(web, "metadata_options.http_tokens") == "required");
  CHECK(attribute(web, "root_block_device.encrypted") == "true");
  CHECK(attribute(web, "ebs_block_device.encrypted") == "<absent>");  // an empty array
  const Resource& vpc = *find(set, "module.net.aws_vpc.main");
  CHECK(attribute(vpc, "tags.Name") == "<absent>");  // tags is null
  CHECK(attribute(vpc, "enable_dns_support") == "true");
  CHECK(vpc.location.line == 49);
}

TEST_CASE("terraform: fields in an unusual order", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/field-order.tfplan.json"));
  CHECK(attribute(*find(set, "aws_ecs_service.late_type"), "launch_type") == "EC2");
  CHECK(attribute(*find(set, "aws_lambda_function.values_first"), "package_type") == "Image");
}

TEST_CASE("terraform: unknown change actions warn and are read as updates", "[inputs][terraform]") {
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  REQUIRE(onus::inputs::read_terraform_plan(fixture("tf/unknown-action.tfplan.json"), paths, set, diagnostics));
  REQUIRE(set.resources.size() == 1);
  CHECK(set.resources[0].action == Action::update);
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(diagnostics.all()[0].code == "W0601");
  CHECK(diagnostics.all()[0].severity == onus::Severity::warning);
  CHECK(diagnostics.all()[0].message.find("\"forget\"") != std::string::npos);
}

TEST_CASE("terraform: a plan without resources reads as empty", "[inputs][terraform]") {
  const InputSet set = read_ok(fixture("tf/no-resources.tfplan.json"));
  CHECK(set.resources.empty());
  CHECK(set.files.size() == 1);
}

TEST_CASE("terraform: real third-party plans", "[inputs][terraform]") {
  SECTION("checkov terragoat: 55 resources in the root module") {
    const InputSet set = read_ok(fixture("tfplan/checkov-terragoat.tfplan.json"));
    CHECK(set.resources.size() == 55);
    CHECK(set.data_sources_skipped == 0);
    for (const auto& resource : set.resources) CHECK(resource.action == Action::create);
    std::vector<std::string> types;
    for (const auto& resource : set.resources) types.push_back(resource.type);
    std::sort(types.begin(), types.end());
    types.erase(std::unique(types.begin(), types.end()), types.end());
    CHECK(types.size() == 39);
    CHECK(attribute(*find(set, "aws_s3_bucket.data"), "acl") == "public-read");
  }
  SECTION("terraform-compliance issue 456: module instances with count and for_each") {
    const InputSet set = read_ok(fixture("tfplan/tfcompliance-issue456-module-count-foreach.tfplan.json"));
    CHECK(set.resources.size() == 32);
    CHECK(find(set, "module.ecr_repository_with_for[\"repository_1\"].aws_instance.ecr_repository") != nullptr);
    CHECK(find(set, "module.other_ecr_repository_with_count[6].aws_instance.ecr_repository") != nullptr);
    CHECK(attribute(*find(set, "aws_instance.server[0]"), "instance_type") == "t2.micro");
    CHECK(find(set, "aws_instance.server[0]")->location.line == 1);  // a one-line plan
  }
  SECTION("checkov dynamodb/asg: format_version 0.2") {
    const InputSet set = read_ok(fixture("tfplan/checkov-dynamodb-asg.tfplan.json"));
    CHECK(addresses(set) == std::vector<std::string>{"aws_autoscaling_group.example", "aws_autoscaling_group.example2",
                                                     "aws_dynamodb_table.basic-dynamodb-table"});
    CHECK(find(set, "aws_autoscaling_group.example")->location.line == 204);
  }
}

TEST_CASE("terraform: reading is deterministic and appends to the input set", "[inputs][terraform]") {
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  REQUIRE(onus::inputs::read_terraform_plan(fixture("tf/mixed-actions.tfplan.json"), paths, set, diagnostics));
  REQUIRE(onus::inputs::read_terraform_plan(fixture("tf/state.json"), paths, set, diagnostics));
  CHECK(set.resources.size() == 13);
  CHECK(set.files.size() == 2);
  CHECK(set.data_sources_skipped == 4);
  const InputSet first = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  const InputSet second = read_ok(fixture("tf/mixed-actions.tfplan.json"));
  REQUIRE(first.resources.size() == second.resources.size());
  for (std::size_t i = 0; i < first.resources.size(); ++i) {
    CHECK(first.resources[i].address == second.resources[i].address);
    CHECK(first.resources[i].attributes == second.resources[i].attributes);
    CHECK(first.resources[i].location.column == second.resources[i].location.column);
  }
}

TEST_CASE("terraform: `-` reads standard input", "[inputs][terraform]") {
  const int saved = ::dup(STDIN_FILENO);
  REQUIRE(saved >= 0);
  const int file = ::open(fixture("tf/mixed-actions.tfplan.json").c_str(), O_RDONLY);
  REQUIRE(file >= 0);
  ::dup2(file, STDIN_FILENO);
  ::close(file);
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  const bool ok = onus::inputs::read_terraform_plan("-", paths, set, diagnostics);
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  REQUIRE(ok);
  CHECK(set.resources.size() == 11);
  CHECK(set.files == std::vector<std::string>{"-"});
  CHECK(set.resources[0].location.file == "<stdin>");
  CHECK(set.resources[0].location.line == 234);
}
