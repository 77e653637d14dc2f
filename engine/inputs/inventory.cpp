// Reads a generic inventory: a JSON array of {"type", "id", "attributes"}.
#include "engine/inputs/reader_support.hpp"

namespace onus::inputs {
namespace {

using namespace detail;
namespace ondemand = simdjson::ondemand;

constexpr const char* kInventoryHelp =
    "an inventory is a JSON array of objects such as "
    "{\"type\": \"aws_s3_bucket\", \"id\": \"logs\", \"attributes\": {\"versioning\": true}}";

struct InventoryItem {
  std::string id;
  std::string type;
  std::size_t offset = 0;
  const AttributeSelector* selector = nullptr;
  AttributeSlots slots;
};

class InventoryReader {
 public:
  InventoryReader(const InputText& input, const AttributePaths& paths, Diagnostics& diagnostics)
      : input_(input), selectors_(paths, Format::inventory), diagnostics_(diagnostics) {}

  bool read(const std::string& path, InputSet& out);

 private:
  bool failure(simdjson::error_code error) {
    const char* where = nullptr;
    if (doc_.current_location().get(where) != simdjson::SUCCESS) where = nullptr;
    report_json_failure(diagnostics_, input_, error, where, "the inventory");
    return false;
  }
  void error(const char* code, std::size_t offset, std::string message) {
    add_input_diagnostic(diagnostics_, Severity::error, code, location_of(input_, offset), std::move(message),
                         kInventoryHelp);
    ++errors_;
  }
  std::size_t offset_of(const char* pointer) const { return static_cast<std::size_t>(pointer - input_.text().data()); }
  bool read_item(ondemand::value value, std::size_t index);
  /// Reads a string (or a number, rendered as its JSON text) into `out`.
  bool read_text(ondemand::value value, std::string& out, const char* field, std::size_t index, std::size_t offset);

  const InputText& input_;
  SelectorCache selectors_;
  Diagnostics& diagnostics_;
  ondemand::parser parser_;
  ondemand::document doc_;
  std::vector<InventoryItem> items_;
  std::size_t errors_ = 0;
};

bool InventoryReader::read_text(ondemand::value value, std::string& out, const char* field, std::size_t index,
                                std::size_t offset) {
  ondemand::json_type type{};
  if (auto e = value.type().get(type)) return failure(e);
  if (type == ondemand::json_type::string) {
    std::string_view text;
    if (auto e = value.get_string().get(text)) return failure(e);
    out = text;
    if (out.empty()) error("E0612", offset, "element " + std::to_string(index) + " of the inventory has an empty `" + field + "`");
    return true;
  }
  if (type == ondemand::json_type::number && std::string_view(field) == "id") {
    out = trim_json_token(value.raw_json_token());
    return true;
  }
  error("E0612", offset, "`" + std::string(field) + "` of element " + std::to_string(index) +
                             " of the inventory should be a string, not " + describe_json_type(type));
  return true;
}

bool InventoryReader::read_item(ondemand::value value, std::size_t index) {
  InventoryItem item;
  item.offset = offset_of(value.raw_json_token().data());
  ondemand::json_type type{};
  if (auto e = value.type().get(type)) return failure(e);
  if (type != ondemand::json_type::object) {
    error("E0612", item.offset, "element " + std::to_string(index) + " of the inventory should be an object, not " +
                                    describe_json_type(type));
    return true;
  }
  ondemand::object object;
  if (auto e = value.get_object().get(object)) return failure(e);
  bool attributes_pending = false;
  bool has_type = false;
  bool has_id = false;
  const std::size_t errors_before = errors_;
  for (auto result : object) {
    ondemand::field field;
    if (auto e = std::move(result).get(field)) return failure(e);
    const ondemand::raw_json_string key = field.key();
    if (key.unsafe_is_equal("type")) {
      has_type = true;
      if (!read_text(field.value(), item.type, "type", index, item.offset)) return false;
      if (!item.type.empty()) item.selector = selectors_.get(item.type);
    } else if (key.unsafe_is_equal("id")) {
      has_id = true;
      if (!read_text(field.value(), item.id, "id", index, item.offset)) return false;
    } else if (key.unsafe_is_equal("attributes")) {
      ondemand::value attributes = field.value();
      if (auto e = attributes.type().get(type)) return failure(e);
      if (type != ondemand::json_type::object && type != ondemand::json_type::null) {
        error("E0612", offset_of(attributes.raw_json_token().data()),
              "`attributes` of element " + std::to_string(index) + " of the inventory should be an object, not " +
                  describe_json_type(type));
        continue;
      }
      if (item.selector == nullptr) {
        attributes_pending = true;
        continue;
      }
      if (auto e = extract_attributes(attributes, *item.selector, item.slots)) return failure(e);
    }
  }
  if (!has_type) error("E0612", item.offset, "element " + std::to_string(index) + " of the inventory has no `type`");
  if (!has_id) error("E0612", item.offset, "element " + std::to_string(index) + " of the inventory has no `id`");
  if (errors_ != errors_before) return true;
  if (attributes_pending && item.selector != nullptr) {
    if (auto e = object.reset().error()) return failure(e);
    ondemand::value attributes;
    if (auto e = object.find_field_unordered("attributes").get(attributes)) return failure(e);
    if (auto e = extract_attributes(attributes, *item.selector, item.slots)) return failure(e);
  }
  items_.push_back(std::move(item));
  return true;
}

bool InventoryReader::read(const std::string& path, InputSet& out) {
  const std::string_view text = input_.text();
  if (text.size() <= kStrictCheckBytes) {
    if (auto syntax = find_json_syntax_error(text)) {
      add_input_diagnostic(diagnostics_, Severity::error, "E0605", location_of(input_, syntax->offset),
                           "malformed JSON in `" + input_.name + "`: " + syntax->message,
                           syntax->help.empty() ? "fix the JSON syntax at this position" : syntax->help);
      return false;
    }
  }
  if (auto e = parser_.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc_)) {
    report_json_failure(diagnostics_, input_, e, nullptr, "the inventory");
    return false;
  }
  ondemand::json_type type{};
  if (auto e = doc_.type().get(type)) return failure(e);
  if (type != ondemand::json_type::array) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    add_input_diagnostic(diagnostics_, Severity::error, "E0611", location_of(input_, first == std::string_view::npos ? 0 : first),
                         std::string("this JSON is not an inventory: its top level is ") + describe_json_type(type) +
                             ", an inventory is an array",
                         type == ondemand::json_type::object
                             ? std::string("a Terraform plan is passed with --plan and a CloudFormation template with "
                                           "--template; ") + kInventoryHelp
                             : std::string(kInventoryHelp));
    return false;
  }
  ondemand::array array;
  if (auto e = doc_.get_array().get(array)) return failure(e);
  std::size_t index = 0;
  for (auto element : array) {
    ondemand::value value;
    if (auto e = element.get(value)) return failure(e);
    if (!read_item(value, index)) return false;
    ++index;
  }
  const char* rest = nullptr;
  if (doc_.current_location().get(rest) == simdjson::SUCCESS && rest != nullptr) {
    report_json_failure(diagnostics_, input_, simdjson::TRAILING_CONTENT, rest, "the inventory");
    return false;
  }
  if (errors_ != 0) return false;
  std::vector<std::size_t> offsets;
  offsets.reserve(items_.size());
  for (const auto& item : items_) offsets.push_back(item.offset);
  const std::vector<LineColumn> positions = positions_of(input_, offsets);
  out.resources.reserve(out.resources.size() + items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    Resource resource;
    resource.address = std::move(items_[i].id);
    resource.type = std::move(items_[i].type);
    resource.format = Format::inventory;
    resource.action = Action::present;
    resource.location = Location{input_.name, positions[i].line, positions[i].column};
    if (items_[i].selector != nullptr) append_attributes(*items_[i].selector, items_[i].slots, nullptr, resource.attributes);
    out.resources.push_back(std::move(resource));
  }
  out.files.push_back(path);
  return true;
}

}  // namespace

bool read_inventory(const std::string& path, const AttributePaths& paths, InputSet& out, Diagnostics& diagnostics) {
  try {
    InputText input;
    if (!load_input(path, InputKind::inventory, kMaxInventoryBytes, input, diagnostics)) return false;
    InventoryReader reader(input, paths, diagnostics);
    return reader.read(path, out);
  } catch (const std::exception& error) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", ExternalLocation{path == "-" ? "<stdin>" : path, 0, 0, {}},
                         std::string("cannot read this inventory: ") + error.what(),
                         "free memory or split the inventory; if it persists, report it as a bug");
    return false;
  }
}

}  // namespace onus::inputs
