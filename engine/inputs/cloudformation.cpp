// Reads CloudFormation templates: JSON with simdjson, YAML with yaml-cpp.
// The format is chosen by content: a first non-space character `{` is JSON.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "engine/inputs/reader_support.hpp"

namespace onus::inputs {
namespace {

using namespace detail;
namespace ondemand = simdjson::ondemand;

constexpr const char* kResourcesHelp =
    "a CloudFormation template declares its resources under `Resources`, e.g. "
    "`Resources: {MyBucket: {Type: AWS::S3::Bucket, Properties: {...}}}`";

struct TemplateResource {
  std::string logical_id;
  std::string type;
  std::size_t offset = 0;  ///< of the logical id key
  const AttributeSelector* selector = nullptr;
  AttributeSlots slots;
};

/// Adds the resources read from one template to `out`, located at their logical ids.
void append_resources(const InputText& input, const std::string& path, std::vector<TemplateResource>& found,
                      InputSet& out) {
  std::vector<std::size_t> offsets;
  offsets.reserve(found.size());
  for (const auto& resource : found) offsets.push_back(resource.offset);
  const std::vector<LineColumn> positions = positions_of(input, offsets);
  for (std::size_t i = 0; i < found.size(); ++i) {
    Resource resource;
    resource.address = std::move(found[i].logical_id);
    resource.type = std::move(found[i].type);
    resource.format = Format::cloudformation;
    resource.action = Action::present;
    resource.location = Location{input.name, positions[i].line, positions[i].column};
    if (found[i].selector != nullptr) append_attributes(*found[i].selector, found[i].slots, nullptr, resource.attributes);
    out.resources.push_back(std::move(resource));
  }
  out.files.push_back(path);
}

// ---------------------------------------------------------------- JSON

class JsonTemplateReader {
 public:
  JsonTemplateReader(const InputText& input, SelectorCache& selectors, Diagnostics& diagnostics)
      : input_(input), selectors_(selectors), diagnostics_(diagnostics) {}

  bool read(std::vector<TemplateResource>& found);

 private:
  bool failure(simdjson::error_code error) {
    const char* where = nullptr;
    if (doc_.current_location().get(where) != simdjson::SUCCESS) where = nullptr;
    report_json_failure(diagnostics_, input_, error, where, "the CloudFormation template");
    return false;
  }
  void error(const char* code, std::size_t offset, std::string message, std::string help) {
    add_input_diagnostic(diagnostics_, Severity::error, code, location_of(input_, offset), std::move(message),
                         std::move(help));
    ++errors_;
  }
  std::size_t offset_of(const char* pointer) const { return static_cast<std::size_t>(pointer - input_.text().data()); }
  /// Reads one logical resource; false only on a JSON failure (already reported).
  bool read_resource(ondemand::field& field, std::vector<TemplateResource>& found);

  const InputText& input_;
  SelectorCache& selectors_;
  Diagnostics& diagnostics_;
  ondemand::parser parser_;
  ondemand::document doc_;
  std::size_t errors_ = 0;
};

bool JsonTemplateReader::read_resource(ondemand::field& field, std::vector<TemplateResource>& found) {
  TemplateResource resource;
  resource.offset = offset_of(field.key().raw()) - 1;  // the opening quote
  std::string_view id;
  if (auto e = field.unescaped_key().get(id)) return failure(e);
  resource.logical_id = id;
  ondemand::value value = field.value();
  ondemand::json_type type{};
  if (auto e = value.type().get(type)) return failure(e);
  if (type != ondemand::json_type::object) {
    error("E0610", resource.offset,
          "resource `" + resource.logical_id + "` should be a mapping with `Type` and `Properties`, not " +
              describe_json_type(type),
          kResourcesHelp);
    return true;
  }
  ondemand::object object;
  if (auto e = value.get_object().get(object)) return failure(e);
  ondemand::value type_value;
  if (auto e = object.find_field_unordered("Type").get(type_value)) {
    if (e != simdjson::NO_SUCH_FIELD) return failure(e);
    error("E0610", resource.offset, "resource `" + resource.logical_id + "` has no `Type`",
          "every resource needs a Type such as `AWS::S3::Bucket`");
    return true;
  }
  if (auto e = type_value.type().get(type)) return failure(e);
  if (type != ondemand::json_type::string) {
    error("E0610", offset_of(type_value.raw_json_token().data()),
          "the `Type` of resource `" + resource.logical_id + "` should be a string, not " + describe_json_type(type),
          "write the resource type literally, e.g. `AWS::S3::Bucket`");
    return true;
  }
  std::string_view type_name;
  if (auto e = type_value.get_string().get(type_name)) return failure(e);
  resource.type = type_name;
  resource.selector = selectors_.get(type_name);
  if (!resource.selector->empty()) {
    ondemand::value properties;
    auto e = object.find_field_unordered("Properties").get(properties);
    if (e && e != simdjson::NO_SUCH_FIELD) return failure(e);
    if (!e) {
      if (auto e2 = extract_attributes(properties, *resource.selector, resource.slots)) return failure(e2);
    }
  }
  found.push_back(std::move(resource));
  return true;
}

bool JsonTemplateReader::read(std::vector<TemplateResource>& found) {
  const std::string_view text = input_.text();
  if (auto syntax = find_json_syntax_error(text)) {
    add_input_diagnostic(diagnostics_, Severity::error, "E0605", location_of(input_, syntax->offset),
                         "malformed JSON in `" + input_.name + "`: " + syntax->message,
                         syntax->help.empty() ? "fix the JSON syntax at this position" : syntax->help);
    return false;
  }
  if (auto e = parser_.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc_)) {
    report_json_failure(diagnostics_, input_, e, nullptr, "the CloudFormation template");
    return false;
  }
  ondemand::object top;
  if (auto e = doc_.get_object().get(top)) return failure(e);
  bool has_resources = false;
  bool looks_like_plan = false;
  for (auto result : top) {
    ondemand::field field;
    if (auto e = std::move(result).get(field)) return failure(e);
    ondemand::raw_json_string key = field.key();
    if (key.unsafe_is_equal("resource_changes") || key.unsafe_is_equal("planned_values")) looks_like_plan = true;
    if (!key.unsafe_is_equal("Resources")) continue;
    has_resources = true;
    ondemand::value value = field.value();
    ondemand::json_type type{};
    if (auto e = value.type().get(type)) return failure(e);
    if (type != ondemand::json_type::object) {
      error("E0609", offset_of(key.raw()) - 1,
            std::string("`Resources` should be a mapping of logical ids to resources, not ") + describe_json_type(type),
            kResourcesHelp);
      continue;
    }
    ondemand::object resources;
    if (auto e = value.get_object().get(resources)) return failure(e);
    for (auto resource_result : resources) {
      ondemand::field resource_field;
      if (auto e = std::move(resource_result).get(resource_field)) return failure(e);
      if (!read_resource(resource_field, found)) return false;
    }
  }
  const char* rest = nullptr;
  if (doc_.current_location().get(rest) == simdjson::SUCCESS && rest != nullptr) {
    report_json_failure(diagnostics_, input_, simdjson::TRAILING_CONTENT, rest, "the CloudFormation template");
    return false;
  }
  if (!has_resources) {
    std::size_t first = 0;
    while (first < text.size() && text[first] != '{') ++first;
    error("E0609", first, "this JSON is not a CloudFormation template: it has no `Resources` section",
          looks_like_plan ? "this looks like a Terraform plan: pass it with --plan" : kResourcesHelp);
  }
  return errors_ == 0;
}

// ---------------------------------------------------------------- YAML

/// A short-form intrinsic function (!Ref, !GetAtt, !If...): its value is
/// computed at deploy time, so it is neither extracted nor descended into.
bool is_intrinsic(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag.size() > 1 && tag[0] == '!';
}

const char* describe_yaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "a value";
}

void extract_yaml(const YAML::Node& node, const std::vector<AttributeSelector::Node>& children, AttributeSlots& slots) {
  if (is_intrinsic(node)) return;
  if (node.IsSequence()) {
    // A path segment that meets a sequence descends into its first element.
    if (node.size() > 0) extract_yaml(node[0], children, slots);
    return;
  }
  if (!node.IsMap()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& key = it->first.Scalar();
    const auto match = std::find_if(children.begin(), children.end(), [&](const auto& c) { return c.name == key; });
    if (match == children.end()) continue;
    const YAML::Node value = it->second;
    if (match->slot >= 0 && !slots[static_cast<std::size_t>(match->slot)] && value.IsScalar() && !is_intrinsic(value)) {
      slots[static_cast<std::size_t>(match->slot)] = value.Scalar();
    }
    if (!match->children.empty() && (value.IsMap() || value.IsSequence())) extract_yaml(value, match->children, slots);
  }
}

/// Byte offset of a yaml-cpp mark in the text (line and column are 0-based).
std::size_t offset_of_mark(std::string_view text, const YAML::Mark& mark, const std::vector<std::size_t>& line_starts) {
  if (mark.line < 0 || static_cast<std::size_t>(mark.line) >= line_starts.size()) return 0;
  const std::size_t start = line_starts[static_cast<std::size_t>(mark.line)];
  return std::min(text.size(), start + static_cast<std::size_t>(std::max(mark.column, 0)));
}

bool read_yaml_template(const InputText& input, SelectorCache& selectors, std::vector<TemplateResource>& found,
                        Diagnostics& diagnostics) {
  const std::string_view text = input.text();
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  auto at_mark = [&](const YAML::Mark& mark) { return location_of(input, offset_of_mark(text, mark, line_starts)); };
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    ExternalLocation where;
    where.file = input.name;
    if (!e.mark.is_null()) where = at_mark(e.mark);
    add_input_diagnostic(diagnostics, Severity::error, "E0608", where,
                         "malformed YAML in `" + input.name + "`: " + e.msg,
                         "fix the YAML at this position (indentation, a missing ':' or an unclosed quote or "
                         "bracket are common causes); `cfn-lint` points at template errors too");
    return false;
  }
  if (!root.IsMap()) {
    ExternalLocation where;
    where.file = input.name;
    if (root.IsDefined() && !root.IsNull()) where = at_mark(root.Mark());
    add_input_diagnostic(diagnostics, Severity::error, "E0609", where,
                         std::string("this YAML is not a CloudFormation template: its top level is ") +
                             describe_yaml(root) + ", a template is a mapping with a `Resources` section",
                         kResourcesHelp);
    return false;
  }
  std::size_t errors = 0;
  bool has_resources = false;
  for (auto section = root.begin(); section != root.end(); ++section) {
    if (!section->first.IsScalar() || section->first.Scalar() != "Resources") continue;
    has_resources = true;
    const YAML::Node resources = section->second;
    if (!resources.IsMap()) {
      add_input_diagnostic(diagnostics, Severity::error, "E0609", at_mark(section->first.Mark()),
                           std::string("`Resources` should be a mapping of logical ids to resources, not ") +
                               describe_yaml(resources),
                           kResourcesHelp);
      ++errors;
      continue;
    }
    for (auto it = resources.begin(); it != resources.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node body = it->second;
      TemplateResource resource;
      resource.logical_id = key.IsScalar() ? key.Scalar() : std::string("?");
      resource.offset = offset_of_mark(text, key.Mark(), line_starts);
      if (!body.IsMap() || is_intrinsic(body)) {
        add_input_diagnostic(diagnostics, Severity::error, "E0610", at_mark(key.Mark()),
                             "resource `" + resource.logical_id + "` should be a mapping with `Type` and `Properties`, not " +
                                 describe_yaml(body),
                             kResourcesHelp);
        ++errors;
        continue;
      }
      YAML::Node type_node;
      YAML::Node properties;
      bool has_type = false;
      bool has_properties = false;
      YAML::Mark type_mark = key.Mark();
      for (auto field = body.begin(); field != body.end(); ++field) {
        if (!field->first.IsScalar()) continue;
        if (field->first.Scalar() == "Type" && !has_type) {
          has_type = true;
          type_node.reset(field->second);  // reset() rebinds; operator= would write into the tree
          type_mark = field->first.Mark();
        } else if (field->first.Scalar() == "Properties" && !has_properties) {
          has_properties = true;
          properties.reset(field->second);
        }
      }
      if (!has_type) {
        add_input_diagnostic(diagnostics, Severity::error, "E0610", at_mark(key.Mark()),
                             "resource `" + resource.logical_id + "` has no `Type`",
                             "every resource needs a Type such as `AWS::S3::Bucket`");
        ++errors;
        continue;
      }
      if (!type_node.IsScalar() || is_intrinsic(type_node)) {
        add_input_diagnostic(diagnostics, Severity::error, "E0610", at_mark(type_mark),
                             "the `Type` of resource `" + resource.logical_id + "` should be a literal string, not " +
                                 (is_intrinsic(type_node) ? std::string("an intrinsic function (") + type_node.Tag() + ")"
                                                          : std::string(describe_yaml(type_node))),
                             "write the resource type literally, e.g. `AWS::S3::Bucket`");
        ++errors;
        continue;
      }
      resource.type = type_node.Scalar();
      resource.selector = selectors.get(resource.type);
      resource.slots.resize(resource.selector->paths().size());
      if (!resource.selector->empty() && has_properties) {
        extract_yaml(properties, resource.selector->roots(), resource.slots);
      }
      found.push_back(std::move(resource));
    }
  }
  if (!has_resources) {
    add_input_diagnostic(diagnostics, Severity::error, "E0609", at_mark(root.Mark()),
                         "this YAML is not a CloudFormation template: it has no `Resources` section", kResourcesHelp);
    return false;
  }
  return errors == 0;
}

}  // namespace

bool read_cloudformation(const std::string& path, const AttributePaths& paths, InputSet& out,
                         Diagnostics& diagnostics) {
  try {
    InputText input;
    if (!load_input(path, InputKind::cloudformation, kMaxTemplateBytes, input, diagnostics)) return false;
    const std::string_view text = input.text();
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    SelectorCache selectors(paths, Format::cloudformation);  // outlives `found`, which points into it
    std::vector<TemplateResource> found;
    bool ok = false;
    if (first != std::string_view::npos && text[first] == '{') {
      JsonTemplateReader reader(input, selectors, diagnostics);
      ok = reader.read(found);
    } else {
      ok = read_yaml_template(input, selectors, found, diagnostics);
    }
    if (!ok) return false;
    append_resources(input, path, found, out);
    return true;
  } catch (const std::exception& error) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", ExternalLocation{path == "-" ? "<stdin>" : path, 0, 0, {}},
                         std::string("cannot read this CloudFormation template: ") + error.what(),
                         "if it persists, report it as a bug with the template attached");
    return false;
  }
}

}  // namespace onus::inputs
