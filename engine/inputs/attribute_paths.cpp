// Attribute paths ("network_configuration.assign_public_ip"): a trie walked
// once, forward, over a simdjson On Demand value.
#include <algorithm>

#include "engine/inputs/reader_support.hpp"

namespace onus::inputs::detail {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace ondemand = simdjson::ondemand;

error_code extract_children(ondemand::value value, const std::vector<AttributeSelector::Node>& children,
                            AttributeSlots& slots);

bool key_equals(ondemand::raw_json_string key, const AttributeSelector::Node& node) {
  // Names are compared with the key as written; a name holding a quote or a
  // backslash cannot match (no generated plan or template uses one).
  return node.plain && key.unsafe_is_equal(node.name);
}

error_code extract_node(ondemand::value value, const AttributeSelector::Node& node, AttributeSlots& slots) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return error;
  const bool wanted = node.slot >= 0 && !slots[static_cast<std::size_t>(node.slot)].has_value();
  switch (type) {
    case ondemand::json_type::string: {
      if (!wanted) return SUCCESS;
      std::string_view text;
      if (auto error = read_json_string(value, text)) return error;
      slots[static_cast<std::size_t>(node.slot)] = std::string(text);
      return SUCCESS;
    }
    case ondemand::json_type::number: {
      if (!wanted) return SUCCESS;
      const std::string_view token = trim_json_token(value.raw_json_token());
      if (!is_json_number(token)) return simdjson::NUMBER_ERROR;
      slots[static_cast<std::size_t>(node.slot)] = std::string(token);
      return SUCCESS;
    }
    case ondemand::json_type::boolean: {
      if (!wanted) return SUCCESS;
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return error;
      slots[static_cast<std::size_t>(node.slot)] = flag ? "true" : "false";
      return SUCCESS;
    }
    case ondemand::json_type::null:
      return SUCCESS;
    case ondemand::json_type::object:
    case ondemand::json_type::array:
      if (node.children.empty()) return SUCCESS;
      return extract_children(value, node.children, slots);
  }
  return SUCCESS;
}

error_code extract_children(ondemand::value value, const std::vector<AttributeSelector::Node>& children,
                            AttributeSlots& slots) {
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return error;
  if (type == ondemand::json_type::array) {
    // A path segment that meets an array descends into its first element.
    ondemand::array array;
    if (auto error = value.get_array().get(array)) return error;
    for (auto element : array) {
      ondemand::value first;
      if (auto error = element.get(first)) return error;
      return extract_children(first, children, slots);
    }
    return SUCCESS;
  }
  if (type != ondemand::json_type::object) return SUCCESS;
  ondemand::object object;
  if (auto error = value.get_object().get(object)) return error;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    const AttributeSelector::Node* match = nullptr;
    for (const auto& child : children) {
      if (key_equals(key, child)) {
        match = &child;
        break;
      }
    }
    if (match == nullptr) continue;  // the value is skipped when the loop advances
    ondemand::value child_value;
    if (auto error = field.value().get(child_value)) return error;
    if (auto error = extract_node(child_value, *match, slots)) return error;
  }
  return SUCCESS;
}

}  // namespace

AttributeSelector::AttributeSelector(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    if (path.empty() || std::find(paths_.begin(), paths_.end(), path) != paths_.end()) continue;
    const int slot = static_cast<int>(paths_.size());
    paths_.push_back(path);
    std::vector<Node>* level = &roots_;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = path.find('.', start);
      const std::string segment = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      auto it = std::find_if(level->begin(), level->end(), [&](const Node& n) { return n.name == segment; });
      if (it == level->end()) {
        level->push_back(Node{segment, -1, segment.find_first_of("\"\\") == std::string::npos, {}});
        it = level->end() - 1;
      }
      if (dot == std::string::npos) {
        it->slot = slot;
        break;
      }
      level = &it->children;
      start = dot + 1;
    }
  }
}

error_code read_json_string(ondemand::value& value, std::string_view& out) {
  const std::string_view token = trim_json_token(value.raw_json_token());
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"' &&
      token.find('\\') == std::string_view::npos) {
    out = token.substr(1, token.size() - 2);
    return SUCCESS;
  }
  return value.get_string().get(out);
}

error_code extract_attributes(ondemand::value value, const AttributeSelector& selector, AttributeSlots& slots) {
  if (slots.size() != selector.paths().size()) slots.resize(selector.paths().size());
  if (selector.empty()) return SUCCESS;
  ondemand::json_type type{};
  if (auto error = value.type().get(type)) return error;
  if (type != ondemand::json_type::object) return SUCCESS;  // null (a deleted resource's after), ...
  return extract_children(value, selector.roots(), slots);
}

void append_attributes(const AttributeSelector& selector, AttributeSlots& primary, AttributeSlots* fallback,
                       std::vector<std::pair<std::string, std::string>>& out) {
  const auto& paths = selector.paths();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::optional<std::string>* value = i < primary.size() && primary[i] ? &primary[i] : nullptr;
    if (value == nullptr && fallback != nullptr && i < fallback->size() && (*fallback)[i]) value = &(*fallback)[i];
    if (value != nullptr) out.emplace_back(paths[i], std::move(**value));
  }
}

const AttributeSelector* SelectorCache::get(std::string_view type) {
  auto it = cache_.find(type);
  if (it != cache_.end()) return it->second.get();
  const std::vector<std::string>* paths = paths_ ? paths_(format_, type) : nullptr;
  auto selector = std::make_unique<AttributeSelector>(paths != nullptr ? *paths : std::vector<std::string>{});
  selector->type = std::string(type);
  const AttributeSelector* result = selector.get();
  cache_.emplace(std::string(type), std::move(selector));
  return result;
}

}  // namespace onus::inputs::detail
