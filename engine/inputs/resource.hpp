// Deployable resources read from Terraform plans, CloudFormation templates and inventories.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/diagnostic.hpp"

namespace onus::inputs {

/// What a change does to a resource. Templates and inventories describe what
/// exists, so their resources are `present`.
enum class Action { create, update, replace, remove, noop, read, present };

/// "create", "update", "replace", "delete", "no-op", "read", "present".
const char* to_string(Action action);

/// The input format a resource came from; selects the `resources <format>` mappings.
enum class Format { terraform, cloudformation, inventory };

/// "terraform", "cloudformation", "inventory".
const char* to_string(Format format);

/// Where a resource is written: a template's file:line, or the plan file (line
/// of the resource's entry). line 0 = unknown.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// One resource of an input.
struct Resource {
  std::string address;  ///< Terraform address, CloudFormation logical id, inventory id
  std::string type;     ///< aws_instance, AWS::EC2::Instance, ...
  Format format = Format::terraform;
  Action action = Action::present;
  Location location;
  /// The attribute values that the policy's resource mappings bind for this
  /// type (path as written in the binding -> value rendered as a string).
  /// Only requested paths are extracted; absent attributes are not listed.
  std::vector<std::pair<std::string, std::string>> attributes;
};

/// Which attribute paths to extract for a resource type (e.g. for
/// aws_ecs_service: {"launch_type"}). Return nullptr for none. Paths are
/// dotted; a path segment that meets an array descends into its first element.
/// Strings are bound as they are, numbers and booleans as their JSON text
/// ("3", "true"; YAML scalars as written); objects, arrays and null are not
/// bound. Asked once per resource type and reader call.
using AttributePaths = std::function<const std::vector<std::string>*(Format, std::string_view type)>;

/// All resources of one run, in input order (deterministic).
struct InputSet {
  std::vector<Resource> resources;
  std::vector<std::string> files;       ///< the inputs read, as named on the command line
  std::size_t data_sources_skipped = 0; ///< Terraform `data` blocks: read, not deployed
};

/// Largest inputs the readers accept (checked before reading). JSON is parsed
/// with simdjson, which needs the whole input in memory and reads at most
/// 4 GiB - 1 bytes; templates are parsed with yaml-cpp, far slower, and
/// CloudFormation itself accepts templates of at most 1 MB.
constexpr std::size_t kMaxPlanBytes = 0xFFFFFFFF;
constexpr std::size_t kMaxInventoryBytes = 0xFFFFFFFF;
constexpr std::size_t kMaxTemplateBytes = std::size_t{16} << 20;

// Diagnostics of the readers (all located at file:line:col where known):
//   E0601 cannot read the input (missing, a directory, permissions, I/O)
//   E0602 the input is larger than the limit above
//   E0603 the input is empty
//   E0604 not UTF-8 text (binary, a zip or Terraform binary plan, UTF-16)
//   E0605 malformed JSON (syntax error, truncated file, trailing content)
//   E0606 JSON that is not a Terraform plan (or an unsupported format_version)
//   E0607 an invalid entry in a Terraform plan (no address, type or actions)
//   E0608 malformed YAML
//   E0609 not a CloudFormation template (no `Resources` mapping)
//   E0610 an invalid CloudFormation resource (not a mapping, no `Type`)
//   E0611 not an inventory (the top level is not an array)
//   E0612 an invalid inventory element (no `type` or `id`, bad `attributes`)
//   W0601 Terraform change actions unknown to this version (read as update)

/// Reads `terraform show -json` output (a plan, or a state: `values`). `-` reads stdin.
/// Resources: the managed entries of `resource_changes` in file order (each
/// address once; a deposed object yields to the current one), then those found
/// only in `planned_values` / `values` (root module, then `child_modules`
/// depth first) with action `present`. Data sources are skipped and counted in
/// `data_sources_skipped`. Attributes come from `change.after` (`change.before`
/// for deletes), else from the planned `values`. Location: the line and column
/// of the resource's entry. `prior_state`, `configuration` are not read.
/// On malformed input adds an error diagnostic (file:line:col) and returns false;
/// nothing is added to `out` then.
bool read_terraform_plan(const std::string& path, const AttributePaths& paths, InputSet& out,
                         Diagnostics& diagnostics);

/// Reads a CloudFormation template, JSON or YAML (short-form tags such as !Ref accepted).
/// The format is chosen by content (first non-space character `{` = JSON).
/// address = logical id, location = its key; attribute paths are relative to
/// `Properties`; intrinsic functions (`!Ref x`, `{"Ref": x}`) are not values
/// and are not extracted.
bool read_cloudformation(const std::string& path, const AttributePaths& paths, InputSet& out,
                         Diagnostics& diagnostics);

/// Reads a generic inventory: a JSON array of {"type", "id", "attributes"}.
/// address = id (a string, or a number as written), location = the element;
/// attribute paths are relative to `attributes`.
bool read_inventory(const std::string& path, const AttributePaths& paths, InputSet& out,
                    Diagnostics& diagnostics);

}  // namespace onus::inputs
