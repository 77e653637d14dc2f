// Reads `terraform show -json` output (plans and states) with simdjson On Demand:
// one forward pass, values Onus does not need are skipped, never materialised.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/inputs/reader_support.hpp"

namespace onus::inputs {
namespace {

using namespace detail;
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

constexpr const char* kProduceHelp =
    "produce it with `terraform plan -out=plan.out` then `terraform show -json plan.out > plan.json`";

struct PlanEntry {
  std::string address;                 ///< resource_changes entries (moved into the Resource)
  std::string_view key;                ///< planned_values entries: the address, in the text
  const std::string* type = nullptr;   ///< interned by the selector cache
  Action action = Action::present;
  std::size_t offset = 0;  ///< of the entry's '{' in the text
  bool deposed = false;
  const AttributeSelector* selector = nullptr;
  AttributeSlots slots;
};

class PlanReader {
 public:
  PlanReader(InputText& input, const AttributePaths& paths, Diagnostics& diagnostics)
      : input_(input), selectors_(paths, Format::terraform), diagnostics_(diagnostics) {}

  bool read(const std::string& path, InputSet& out);

 private:
  bool read_resource_changes(ondemand::value value);
  bool read_change_entry(ondemand::value value);
  bool read_change(ondemand::value value, PlanEntry& entry, bool is_data);
  bool read_values(ondemand::value value);
  bool read_module(ondemand::value value, std::size_t depth);
  bool read_planned_entry(ondemand::value value);
  bool read_string(ondemand::value value, std::string_view& out, const char* field, const char* section,
                   std::size_t entry_offset);
  /// The string value of an object's field (an element of `for (auto field : object)`);
  /// false after reporting when it is not a string.
  template <typename Field>
  bool field_string(Field& field, std::string_view& out, const char* name, const char* section,
                    std::size_t entry_offset) {
    ondemand::value value;
    if (auto error = field.value().get(value)) return failure(error);
    return read_string(value, out, name, section, entry_offset);
  }
  bool check_format_version(ondemand::value value);
  Action action_of(const std::vector<std::string>& actions, const PlanEntry& entry);
  void build(const std::string& path, InputSet& out);

  bool failure(error_code error) {
    const char* where = nullptr;
    if (doc_.current_location().get(where) != simdjson::SUCCESS) where = nullptr;
    report_json_failure(diagnostics_, input_, error, where, "the Terraform plan");
    return false;
  }
  bool entry_error(std::size_t offset, std::string message, std::string help = {}) {
    add_input_diagnostic(diagnostics_, Severity::error, "E0607", location_of(input_, offset), std::move(message),
                         help.empty() ? std::string("the plan looks damaged or hand-edited; ") + kProduceHelp
                                      : std::move(help));
    return false;
  }
  std::size_t offset_of(const char* pointer) const {
    return static_cast<std::size_t>(pointer - input_.text().data());
  }
  std::size_t offset_of(ondemand::value& value) const { return offset_of(value.raw_json_token().data()); }

  InputText& input_;
  SelectorCache selectors_;
  Diagnostics& diagnostics_;
  ondemand::parser parser_;
  ondemand::document doc_;
  std::vector<PlanEntry> changes_;
  std::vector<PlanEntry> planned_;
  std::vector<std::string> data_addresses_;
  struct UnknownActions {
    std::string first_address;
    std::size_t first_offset = 0;
    std::size_t count = 0;
  };
  std::map<std::string, UnknownActions> unknown_actions_;  ///< action list -> where first seen
  void warn_unknown_actions();
};

void PlanReader::warn_unknown_actions() {
  std::vector<std::pair<std::string, UnknownActions>> found(unknown_actions_.begin(), unknown_actions_.end());
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.second.first_offset < b.second.first_offset; });
  for (const auto& [list, seen] : found) {
    const std::string others =
        seen.count > 1 ? " (and " + std::to_string(seen.count - 1) + " more resources)" : std::string();
    add_input_diagnostic(diagnostics_, Severity::warning, "W0601", location_of(input_, seen.first_offset),
                         "`" + seen.first_address + "`" + others + " has change actions [" + list +
                             "] that this version of Onus does not know; " +
                             (seen.count > 1 ? "they are checked as updates" : "it is checked as an update"),
                         "check these resources by hand, or upgrade Onus to a version that knows this Terraform "
                         "release");
  }
}

bool PlanReader::read_string(ondemand::value value, std::string_view& out, const char* field, const char* section,
                             std::size_t entry_offset) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::string) {
    return entry_error(entry_offset, std::string("`") + field + "` of this " + section + " entry should be a string, not " +
                                         describe_json_type(type));
  }
  if (auto error = read_json_string(value, out)) return failure(error);
  return true;
}

Action PlanReader::action_of(const std::vector<std::string>& actions, const PlanEntry& entry) {
  auto is = [&](std::initializer_list<std::string_view> list) {
    return std::equal(actions.begin(), actions.end(), list.begin(), list.end());
  };
  if (is({"create"})) return Action::create;
  if (is({"delete"})) return Action::remove;
  if (is({"no-op"})) return Action::noop;
  if (is({"update"})) return Action::update;
  if (is({"delete", "create"}) || is({"create", "delete"})) return Action::replace;
  if (is({"read"})) return Action::read;
  std::string list;
  for (const auto& action : actions) list += (list.empty() ? "\"" : ", \"") + action + "\"";
  // One warning per distinct list (a new Terraform action may touch thousands of resources).
  auto [it, inserted] = unknown_actions_.emplace(list, UnknownActions{entry.address, entry.offset, 0});
  ++it->second.count;
  return Action::update;
}

bool PlanReader::read_change(ondemand::value value, PlanEntry& entry, bool is_data) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::object) {
    return entry_error(entry.offset, "the `change` of `" + entry.address + "` should be an object, not " +
                                         describe_json_type(type));
  }
  ondemand::object change;
  if (auto error = value.get_object().get(change)) return failure(error);
  ondemand::value actions_value;
  if (auto error = change.find_field_unordered("actions").get(actions_value)) {
    if (error == simdjson::NO_SUCH_FIELD) return entry_error(entry.offset, "`" + entry.address + "` has no `change.actions`");
    return failure(error);
  }
  if (auto error = actions_value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::array) {
    return entry_error(entry.offset, "`change.actions` of `" + entry.address + "` should be an array, not " +
                                         describe_json_type(type));
  }
  std::vector<std::string> actions;
  ondemand::array list;
  if (auto error = actions_value.get_array().get(list)) return failure(error);
  for (auto element : list) {
    ondemand::value item;
    if (auto error = element.get(item)) return failure(error);
    std::string_view action;
    if (!read_string(item, action, "change.actions[]", "resource_changes", entry.offset)) return false;
    if (actions.size() < 4) actions.emplace_back(action);
  }
  if (is_data) return true;
  entry.action = action_of(actions, entry);
  if (entry.selector == nullptr || entry.selector->empty()) return true;
  ondemand::value attributes;
  const char* side = entry.action == Action::remove ? "before" : "after";
  if (auto error = change.find_field_unordered(side).get(attributes)) {
    if (error == simdjson::NO_SUCH_FIELD) return true;
    return failure(error);
  }
  if (auto error = extract_attributes(attributes, *entry.selector, entry.slots)) return failure(error);
  return true;
}

bool PlanReader::read_change_entry(ondemand::value value) {
  PlanEntry entry;
  entry.offset = offset_of(value);
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::object) {
    return entry_error(entry.offset, std::string("each entry of `resource_changes` should be an object, not ") +
                                         describe_json_type(type));
  }
  ondemand::object object;
  if (auto error = value.get_object().get(object)) return failure(error);
  bool is_data = false;
  bool change_seen = false;
  bool change_pending = false;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return failure(error);
    if (key.unsafe_is_equal("address")) {
      std::string_view text;
      if (!field_string(field, text, "address", "resource_changes", entry.offset)) return false;
      entry.address = text;
    } else if (key.unsafe_is_equal("mode")) {
      std::string_view text;
      if (!field_string(field, text, "mode", "resource_changes", entry.offset)) return false;
      is_data = text == "data";
    } else if (key.unsafe_is_equal("type")) {
      std::string_view text;
      if (!field_string(field, text, "type", "resource_changes", entry.offset)) return false;
      if (!text.empty()) {
        entry.selector = selectors_.get(text);
        entry.type = &entry.selector->type;
      }
    } else if (key.unsafe_is_equal("deposed")) {
      entry.deposed = true;
    } else if (key.unsafe_is_equal("change")) {
      change_seen = true;
      if (entry.type == nullptr || entry.address.empty()) {
        change_pending = true;  // unusual order: read it once the type is known
        continue;
      }
      ondemand::value v;
      if (auto error = field.value().get(v)) return failure(error);
      if (!read_change(v, entry, is_data)) return false;
    }
  }
  if (entry.address.empty()) return entry_error(entry.offset, "an entry of `resource_changes` has no `address`");
  if (entry.type == nullptr) return entry_error(entry.offset, "`" + entry.address + "` in `resource_changes` has no `type`");
  if (!change_seen) return entry_error(entry.offset, "`" + entry.address + "` in `resource_changes` has no `change`");
  if (change_pending) {
    if (auto error = object.reset().error()) return failure(error);
    ondemand::value v;
    if (auto error = object.find_field_unordered("change").get(v)) return failure(error);
    if (!read_change(v, entry, is_data)) return false;
  }
  if (is_data) {
    data_addresses_.push_back(std::move(entry.address));
    return true;
  }
  changes_.push_back(std::move(entry));
  return true;
}

bool PlanReader::read_resource_changes(ondemand::value value) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type == ondemand::json_type::null) return true;
  if (type != ondemand::json_type::array) {
    return entry_error(offset_of(value), std::string("`resource_changes` should be an array, not ") +
                                             describe_json_type(type));
  }
  ondemand::array array;
  if (auto error = value.get_array().get(array)) return failure(error);
  for (auto element : array) {
    ondemand::value entry;
    if (auto error = element.get(entry)) return failure(error);
    if (!read_change_entry(entry)) return false;
  }
  return true;
}

bool PlanReader::read_planned_entry(ondemand::value value) {
  PlanEntry entry;
  entry.offset = offset_of(value);
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::object) {
    return entry_error(entry.offset, std::string("each entry of a module's `resources` should be an object, not ") +
                                         describe_json_type(type));
  }
  ondemand::object object;
  if (auto error = value.get_object().get(object)) return failure(error);
  bool is_data = false;
  bool values_pending = false;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return failure(error);
    if (key.unsafe_is_equal("address")) {
      std::string_view text;
      if (!field_string(field, text, "address", "planned_values", entry.offset)) return false;
      entry.key = text;
    } else if (key.unsafe_is_equal("mode")) {
      std::string_view text;
      if (!field_string(field, text, "mode", "planned_values", entry.offset)) return false;
      is_data = text == "data";
    } else if (key.unsafe_is_equal("type")) {
      std::string_view text;
      if (!field_string(field, text, "type", "planned_values", entry.offset)) return false;
      if (!text.empty()) {
        entry.selector = selectors_.get(text);
        entry.type = &entry.selector->type;
      }
    } else if (key.unsafe_is_equal("values")) {
      if (is_data) continue;
      if (entry.selector == nullptr) {
        values_pending = true;
        continue;
      }
      if (entry.selector->empty()) continue;
      ondemand::value v;
      if (auto error = field.value().get(v)) return failure(error);
      if (auto error = extract_attributes(v, *entry.selector, entry.slots)) return failure(error);
    }
  }
  if (entry.key.empty()) return entry_error(entry.offset, "a resource in `planned_values` has no `address`");
  if (entry.type == nullptr) {
    return entry_error(entry.offset, "`" + std::string(entry.key) + "` in `planned_values` has no `type`");
  }
  if (is_data) {
    data_addresses_.emplace_back(entry.key);
    return true;
  }
  if (values_pending && !entry.selector->empty()) {
    if (auto error = object.reset().error()) return failure(error);
    ondemand::value v;
    if (auto error = object.find_field_unordered("values").get(v)) return failure(error);
    if (auto error = extract_attributes(v, *entry.selector, entry.slots)) return failure(error);
  }
  planned_.push_back(std::move(entry));
  return true;
}

bool PlanReader::read_module(ondemand::value value, std::size_t depth) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type == ondemand::json_type::null) return true;
  if (type != ondemand::json_type::object) {
    return entry_error(offset_of(value), std::string("a module in `planned_values` should be an object, not ") +
                                             describe_json_type(type));
  }
  ondemand::object module;
  if (auto error = value.get_object().get(module)) return failure(error);
  for (auto field : module) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return failure(error);
    const bool resources = key.unsafe_is_equal("resources");
    const bool children = !resources && key.unsafe_is_equal("child_modules");
    if (!resources && !children) continue;
    ondemand::value list_value;
    if (auto error = field.value().get(list_value)) return failure(error);
    if (auto error = list_value.type().get(type)) return failure(error);
    if (type == ondemand::json_type::null) continue;
    if (type != ondemand::json_type::array) {
      return entry_error(offset_of(list_value), std::string("`") + (resources ? "resources" : "child_modules") +
                                                    "` of a module should be an array, not " + describe_json_type(type));
    }
    ondemand::array list;
    if (auto error = list_value.get_array().get(list)) return failure(error);
    for (auto element : list) {
      ondemand::value item;
      if (auto error = element.get(item)) return failure(error);
      if (resources ? !read_planned_entry(item) : !read_module(item, depth + 1)) return false;
    }
  }
  return true;
}

bool PlanReader::read_values(ondemand::value value) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type == ondemand::json_type::null) return true;
  if (type != ondemand::json_type::object) {
    return entry_error(offset_of(value), std::string("`planned_values` (or `values`) should be an object, not ") +
                                             describe_json_type(type));
  }
  ondemand::object object;
  if (auto error = value.get_object().get(object)) return failure(error);
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return failure(error);
    if (!key.unsafe_is_equal("root_module")) continue;
    ondemand::value module;
    if (auto error = field.value().get(module)) return failure(error);
    if (!read_module(module, 0)) return false;
  }
  return true;
}

bool PlanReader::check_format_version(ondemand::value value) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return failure(error);
  if (type != ondemand::json_type::string) return true;
  std::string_view version;
  if (auto error = value.get_string().get(version)) return failure(error);
  std::size_t major = 0;
  std::size_t i = 0;
  while (i < version.size() && version[i] >= '0' && version[i] <= '9' && major < 1000) {
    major = major * 10 + static_cast<std::size_t>(version[i] - '0');
    ++i;
  }
  if (major >= 2) {
    add_input_diagnostic(diagnostics_, Severity::error, "E0606", location_of(input_, offset_of(value)),
                         "this plan uses Terraform JSON format_version " + std::string(version) +
                             "; Onus reads format versions 0.x and 1.x",
                         "upgrade Onus; a new major format version may change what the fields mean");
    return false;
  }
  return true;
}

void PlanReader::build(const std::string& path, InputSet& out) {
  // Each address once: the first resource_changes entry wins, except that a
  // deposed object yields to the current object of the same address.
  std::unordered_map<std::string_view, std::size_t> change_position;  // address -> index in `order`
  change_position.reserve(changes_.size() + planned_.size() / 8);
  std::vector<std::size_t> order;
  order.reserve(changes_.size());
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    auto [it, inserted] = change_position.emplace(changes_[i].address, order.size());
    if (inserted) {
      order.push_back(i);
    } else if (changes_[order[it->second]].deposed && !changes_[i].deposed) {
      order[it->second] = i;
    }
  }
  // One map for both sections: an address of planned_values either joins its
  // change (lending its values where the change has none) or is output after
  // the changes, once.
  struct Pick {
    PlanEntry* entry;
    AttributeSlots* fallback;
  };
  std::vector<Pick> picks;
  picks.reserve(order.size() + planned_.size());
  for (std::size_t index : order) picks.push_back(Pick{&changes_[index], nullptr});
  for (std::size_t i = 0; i < planned_.size(); ++i) {
    PlanEntry& entry = planned_[i];
    auto [it, inserted] = change_position.emplace(entry.key, picks.size());
    if (inserted) {
      entry.address = std::string(entry.key);  // the text is freed before resources are built
      picks.push_back(Pick{&entry, nullptr});
    } else if (it->second < order.size()) {
      Pick& pick = picks[it->second];
      if (pick.fallback == nullptr && pick.entry->selector == entry.selector) pick.fallback = &entry.slots;
    }  // else: a duplicate of an earlier planned entry
  }
  warn_unknown_actions();
  std::vector<std::size_t> offsets;
  offsets.reserve(picks.size());
  for (const Pick& pick : picks) offsets.push_back(pick.entry->offset);
  const std::vector<LineColumn> positions = positions_of(input_, offsets);
  // The text and simdjson's index are no longer needed: free them before the
  // resources are built, so that peak memory is the larger of the two phases.
  parser_ = ondemand::parser{};
  input_.storage.reset();
  input_.size = input_.skip = 0;

  out.resources.reserve(out.resources.size() + picks.size());
  for (std::size_t i = 0; i < picks.size(); ++i) {
    PlanEntry& entry = *picks[i].entry;
    Resource resource;
    resource.address = std::move(entry.address);
    resource.type = *entry.type;
    resource.format = Format::terraform;
    resource.action = entry.action;
    resource.location = Location{input_.name, positions[i].line, positions[i].column};
    if (entry.selector != nullptr && !entry.selector->empty()) {
      append_attributes(*entry.selector, entry.slots, picks[i].fallback, resource.attributes);
    }
    out.resources.push_back(std::move(resource));
  }
  std::sort(data_addresses_.begin(), data_addresses_.end());
  const auto data_sources = static_cast<std::size_t>(
      std::unique(data_addresses_.begin(), data_addresses_.end()) - data_addresses_.begin());

  out.files.push_back(path);
  out.data_sources_skipped += data_sources;
}

bool PlanReader::read(const std::string& path, InputSet& out) {
  const std::string_view text = input_.text();
  std::size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\t' || text[first] == '\n' || text[first] == '\r')) {
    ++first;
  }
  if (text.substr(first, 12).starts_with("{\"@level\"") || text.substr(first, 14).starts_with("{\"@message\"")) {
    add_input_diagnostic(diagnostics_, Severity::error, "E0606", location_of(input_, first),
                         "this JSON is Terraform's machine-readable log (`terraform plan -json`), not a plan",
                         "save the plan with `terraform plan -out=plan.out`, then `terraform show -json plan.out > "
                         "plan.json`");
    return false;
  }
  if (text.size() <= kStrictCheckBytes) {
    if (auto syntax = find_json_syntax_error(text)) {
      add_input_diagnostic(diagnostics_, Severity::error, "E0605", location_of(input_, syntax->offset),
                           "malformed JSON in `" + input_.name + "`: " + syntax->message,
                           syntax->help.empty() ? std::string("fix the JSON at this position, or regenerate it: ") +
                                                      kProduceHelp
                                                : syntax->help);
      return false;
    }
  }
  if (auto error = parser_.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc_)) {
    report_json_failure(diagnostics_, input_, error, nullptr, "the Terraform plan");
    return false;
  }
  ondemand::json_type type{};
  if (auto error = doc_.type().get(type)) return failure(error);
  if (type != ondemand::json_type::object) {
    add_input_diagnostic(diagnostics_, Severity::error, "E0606", location_of(input_, first),
                         std::string("this JSON is not a Terraform plan: its top level is ") + describe_json_type(type) +
                             ", a plan is an object with resource_changes and planned_values",
                         type == ondemand::json_type::array
                             ? std::string("a JSON array is an inventory: pass it with --inventory; for a plan, ") +
                                   kProduceHelp
                             : std::string(kProduceHelp));
    return false;
  }
  ondemand::object top;
  if (auto error = doc_.get_object().get(top)) return failure(error);
  bool is_plan = false;
  bool looks_like_template = false;
  bool looks_like_raw_state = false;
  for (auto field : top) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return failure(error);
    if (key.unsafe_is_equal("resource_changes")) {
      is_plan = true;
      ondemand::value v;
      if (auto error = field.value().get(v)) return failure(error);
      if (!read_resource_changes(v)) return false;
    } else if (key.unsafe_is_equal("planned_values") || key.unsafe_is_equal("values")) {
      is_plan = true;
      ondemand::value v;
      if (auto error = field.value().get(v)) return failure(error);
      if (!read_values(v)) return false;
    } else if (key.unsafe_is_equal("format_version")) {
      ondemand::value v;
      if (auto error = field.value().get(v)) return failure(error);
      if (!check_format_version(v)) return false;
    } else if (key.unsafe_is_equal("Resources") || key.unsafe_is_equal("AWSTemplateFormatVersion")) {
      looks_like_template = true;
    } else if (key.unsafe_is_equal("resources") || key.unsafe_is_equal("lineage")) {
      looks_like_raw_state = true;
    }
  }
  // A second document (or a stray bracket) after the plan.
  const char* rest = nullptr;
  if (doc_.current_location().get(rest) == simdjson::SUCCESS && rest != nullptr) {
    report_json_failure(diagnostics_, input_, simdjson::TRAILING_CONTENT, rest, "the Terraform plan");
    return false;
  }
  if (!is_plan) {
    std::string help = kProduceHelp;
    if (looks_like_template) help = "this looks like a CloudFormation template: pass it with --template";
    if (looks_like_raw_state) {
      help = "this looks like a raw state file (terraform.tfstate): convert it with `terraform show -json` "
             "(state) or check a plan instead";
    }
    add_input_diagnostic(diagnostics_, Severity::error, "E0606", location_of(input_, first),
                         "this JSON is not a Terraform plan: it has no resource_changes, planned_values or values; "
                         "produce it with `terraform show -json plan.out`",
                         help);
    return false;
  }
  build(path, out);
  return true;
}

}  // namespace

bool read_terraform_plan(const std::string& path, const AttributePaths& paths, InputSet& out,
                         Diagnostics& diagnostics) {
  try {
    InputText input;
    if (!load_input(path, InputKind::terraform_plan, kMaxPlanBytes, input, diagnostics)) {
      return false;
    }
    PlanReader reader(input, paths, diagnostics);
    return reader.read(path, out);
  } catch (const std::exception& error) {
    add_input_diagnostic(diagnostics, Severity::error, "E0601", ExternalLocation{path == "-" ? "<stdin>" : path, 0, 0, {}},
                         std::string("cannot read this Terraform plan: ") + error.what(),
                         "free memory or split the plan; if it persists, report it as a bug");
    return false;
  }
}

}  // namespace onus::inputs
