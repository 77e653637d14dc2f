// CloudFormation reader (JSON and YAML) and inventory reader.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

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

const PathTable kPaths = {
    {"AWS::ECS::Service", {"LaunchType", "DesiredCount", "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp"}},
    {"AWS::Lambda::Function", {"PackageType", "Runtime", "MemorySize", "Description", "Timeout", "Role"}},
    {"AWS::EC2::Instance", {"InstanceType", "ImageId", "Tags.Key", "Tags.Value", "UserData"}},
    {"AWS::RDS::DBInstance", {"Engine", "StorageEncrypted", "PubliclyAccessible"}},
    {"aws_s3_bucket", {"acl", "versioning.enabled"}},
    {"aws_ecs_service", {"launch_type", "desired_count"}},
    {"aws_lambda_function", {"package_type"}},
    {"aws_db_instance", {"engine"}},
};

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

std::string attribute(const Resource& resource, std::string_view path) {
  for (const auto& [name, value] : resource.attributes) {
    if (name == path) return value;
  }
  return "<absent>";
}

InputSet read_template(const std::string& path) {
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  const bool ok = onus::inputs::read_cloudformation(path, paths, set, diagnostics);
  INFO(path);
  for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.code << " " << d.external.line << ":" << d.external.column << " " << d.message);
  REQUIRE(ok);
  REQUIRE(diagnostics.empty());
  return set;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A temporary copy of `content` under a chosen name (to show the extension is ignored).
std::string write_temp(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/onus-inputs-test-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST_CASE("cloudformation: YAML with every short-form intrinsic tag", "[inputs][cloudformation]") {
  const InputSet set = read_template(fixture("cfn/all-short-forms.yaml"));
  std::vector<std::string> ids;
  for (const auto& resource : set.resources) ids.push_back(resource.address);
  CHECK(ids == std::vector<std::string>{"Vpc", "Subnet", "Instance", "Service", "Ec2Service", "Function",
                                        "FunctionRole", "Caf\xC3\xA9"});
  for (const auto& resource : set.resources) {
    CHECK(resource.format == Format::cloudformation);
    CHECK(resource.action == Action::present);
  }
  const Resource& service = *find(set, "Service");
  CHECK(service.type == "AWS::ECS::Service");
  // Values computed at deploy time (!Ref, !If, !Sub...) are not bound.
  CHECK(attribute(service, "LaunchType") == "<absent>");
  CHECK(attribute(service, "DesiredCount") == "<absent>");
  CHECK(attribute(service, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp") == "DISABLED");
  CHECK(attribute(*find(set, "Ec2Service"), "LaunchType") == "EC2");
  CHECK(attribute(*find(set, "Ec2Service"), "DesiredCount") == "2");
  const Resource& function = *find(set, "Function");
  CHECK(function.type == "AWS::Lambda::Function");  // quoted type
  CHECK(attribute(function, "PackageType") == "Image");
  CHECK(attribute(function, "Role") == "<absent>");         // !GetAtt
  CHECK(attribute(function, "Description") == "<absent>");  // ~ is null
  CHECK(attribute(function, "Timeout") == "30");
  const Resource& instance = *find(set, "Instance");
  CHECK(attribute(instance, "InstanceType") == "t3.micro");
  CHECK(attribute(instance, "ImageId") == "<absent>");   // !FindInMap
  CHECK(attribute(instance, "UserData") == "<absent>");  // !Base64
  CHECK(attribute(instance, "Tags.Key") == "Name");      // first element of the list
  CHECK(attribute(instance, "Tags.Value") == "<absent>");  // !Sub
  // Location: the logical id's key.
  CHECK(service.location.file == fixture("cfn/all-short-forms.yaml"));
  CHECK(service.location.line == 46);
  CHECK(service.location.column == 3);
  CHECK(find(set, "Vpc")->location.line == 22);
}

TEST_CASE("cloudformation: JSON template, Properties before Type", "[inputs][cloudformation]") {
  const InputSet set = read_template(fixture("cfn/ecs-lambda.json"));
  REQUIRE(set.resources.size() == 3);
  const Resource& api = *find(set, "Api");
  CHECK(api.type == "AWS::ECS::Service");
  CHECK(attribute(api, "LaunchType") == "EC2");
  CHECK(attribute(api, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp") == "DISABLED");
  CHECK(api.location.line == 5);
  CHECK(api.location.column == 5);
  CHECK(attribute(*find(set, "Worker"), "LaunchType") == "<absent>");  // {"Ref": ...}
  const Resource& thumbnails = *find(set, "Thumbnails");
  CHECK(attribute(thumbnails, "PackageType") == "Zip");
  CHECK(attribute(thumbnails, "MemorySize") == "512");
  CHECK(thumbnails.location.line == 17);
}

TEST_CASE("cloudformation: real AWS sample templates", "[inputs][cloudformation]") {
  SECTION("ECS Fargate service (YAML)") {
    const InputSet set = read_template(fixture("cfn/awscfn-ECS-FargateLaunchType-services-public-service.yaml"));
    CHECK(set.resources.size() == 4);
    const Resource& service = *find(set, "Service");
    CHECK(attribute(service, "LaunchType") == "FARGATE");
    CHECK(attribute(service, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp") == "ENABLED");
    CHECK(service.location.line == 96);
  }
  SECTION("EC2 instance (YAML)") {
    const InputSet set = read_template(fixture("cfn/awscfn-EC2-EC2InstanceWithSecurityGroupSample.yaml"));
    CHECK(set.resources.size() == 2);
    CHECK(find(set, "EC2Instance")->type == "AWS::EC2::Instance");
    CHECK(find(set, "EC2Instance")->location.line == 79);
  }
  SECTION("Lambda (JSON, zip package without PackageType)") {
    const InputSet set = read_template(fixture("cfn/awscfn-Lambda-LambdaSample.json"));
    CHECK(set.resources.size() == 2);
    const Resource& function = *find(set, "LambdaFunction");
    CHECK(attribute(function, "PackageType") == "<absent>");
    CHECK(attribute(function, "Runtime") == "python3.12");
    CHECK(function.location.line == 48);
    CHECK(function.location.column == 9);
  }
  SECTION("RDS with a read replica (JSON)") {
    const InputSet set = read_template(fixture("cfn/awscfn-RDS-RDS_MySQL_With_Read_Replica.json"));
    CHECK(set.resources.size() == 4);
    CHECK(attribute(*find(set, "MainDB"), "StorageEncrypted") == "true");
    CHECK(attribute(*find(set, "MainDB"), "Engine") == "MySQL");
  }
}

TEST_CASE("cloudformation: the format is chosen by content, not by extension", "[inputs][cloudformation]") {
  const std::string json_as_yaml = write_temp("template.yaml", read_file(fixture("cfn/ecs-lambda.json")));
  const std::string yaml_as_json = write_temp("template.json", read_file(fixture("cfn/all-short-forms.yaml")));
  CHECK(read_template(json_as_yaml).resources.size() == 3);
  CHECK(read_template(yaml_as_json).resources.size() == 8);
  std::remove(json_as_yaml.c_str());
  std::remove(yaml_as_json.c_str());
}

TEST_CASE("inventory: elements, attributes and locations", "[inputs][inventory]") {
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  REQUIRE(onus::inputs::read_inventory(fixture("inventory/inventory.json"), paths, set, diagnostics));
  CHECK(diagnostics.empty());
  REQUIRE(set.resources.size() == 5);
  const Resource& bucket = set.resources[0];
  CHECK(bucket.address == "arn:aws:s3:::assets");
  CHECK(bucket.type == "aws_s3_bucket");
  CHECK(bucket.format == Format::inventory);
  CHECK(bucket.action == Action::present);
  CHECK(attribute(bucket, "acl") == "private");
  CHECK(attribute(bucket, "versioning.enabled") == "true");
  CHECK(bucket.location.line == 2);
  CHECK(bucket.location.column == 3);
  CHECK(attribute(set.resources[1], "launch_type") == "EC2");
  CHECK(attribute(set.resources[1], "desired_count") == "3");
  CHECK(attribute(set.resources[2], "package_type") == "Image");  // attributes written before type
  CHECK(set.resources[3].address == "42");                          // a numeric id
  CHECK(set.resources[4].attributes.empty());                       // "attributes": null
  CHECK(set.files == std::vector<std::string>{fixture("inventory/inventory.json")});
}

TEST_CASE("inventory: a UTF-8 byte order mark is skipped and not counted as a column", "[inputs][inventory]") {
  const std::string path = write_temp("bom.json", "\xEF\xBB\xBF[{\"type\": \"aws_s3_bucket\", \"id\": \"b\"},\n {\"type\": \"aws_s3_bucket\", \"id\": \"c\"}]");
  InputSet set;
  Diagnostics diagnostics;
  const AttributePaths paths = paths_from(kPaths);
  REQUIRE(onus::inputs::read_inventory(path, paths, set, diagnostics));
  REQUIRE(set.resources.size() == 2);
  CHECK(set.resources[0].location.line == 1);
  CHECK(set.resources[0].location.column == 2);
  CHECK(set.resources[1].location.line == 2);
  CHECK(set.resources[1].location.column == 2);
  std::remove(path.c_str());
}
