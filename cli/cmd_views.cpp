// onus matrix, onus diff, onus controls: views over the whole matrix.
#include <algorithm>
#include <map>

#include <fmt/color.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/lookup.hpp"

namespace onus::cli {

namespace {

using model::Owner;
using model::RowId;
using model::ServiceId;

const char* letter(Owner o) {
  switch (o) {
    case Owner::provider: return "P";
    case Owner::customer: return "C";
    case Owner::shared: return "S";
    case Owner::unset: return "?";
  }
  return "?";
}

fmt::text_style owner_style(Owner o) {
  switch (o) {
    case Owner::provider: return fg(fmt::terminal_color::blue);
    case Owner::customer: return fg(fmt::terminal_color::yellow);
    case Owner::shared: return fg(fmt::terminal_color::magenta);
    case Owner::unset: return fg(fmt::terminal_color::red);
  }
  return {};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string md_cell(std::string s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

// The cell text for text/markdown: a letter, plus the team when an organisation assigns one.
std::string short_cell(const model::Model& m, const model::Cell& c) {
  std::string s = letter(c.owner);
  if (c.team != model::no_team) s += ":" + m.teams[static_cast<std::size_t>(c.team)].name;
  return s;
}

}  // namespace

int cmd_matrix(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> selectors;
  po::options_description visible("matrix options"), hidden;
  visible.add_options()("format", po::value<std::string>(&g.format)->default_value("text"), "text, markdown, csv or json");
  hidden.add_options()("select", po::value<std::vector<std::string>>(&selectors), "");
  po::positional_options_description pos;
  pos.add("select", -1);
  int code = 0;
  if (!parse_args("matrix", args, visible, pos, hidden, g,
                  "usage: onus matrix [PROVIDER|SERVICE...] [--format text|markdown|csv|json]\n\n"
                  "The responsibility matrix: rows are layers and areas, bottom of the stack first; columns\n"
                  "are services. P = provider, C = customer, S = shared (with the team after ':' when an\n"
                  "organisation is loaded).\n\n"
                  "examples:\n"
                  "  onus matrix aws.ec2 aws.ecs aws.lambda\n"
                  "  onus matrix aws --format markdown\n"
                  "  onus matrix gcp --format csv > gcp.csv\n",
                  code))
    return code;
  if (g.format != "text" && g.format != "markdown" && g.format != "csv" && g.format != "json")
    return usage_error("matrix", fmt::format("--format must be text, markdown, csv or json, not '{}'", g.format));
  Session session;
  SessionOptions so;
  so.org_checks = false;
  if (!open_session(g, so, session)) return exit_invalid;
  const auto& m = session.model;
  std::vector<ServiceId> columns;
  for (const auto& sel : selectors) {
    const int p = m.find_provider(sel);
    if (p >= 0) {
      for (ServiceId s = 0; s < m.services.size(); ++s) {
        if (m.services[s].provider == p) columns.push_back(s);
      }
      continue;
    }
    const auto s = lookup_service("matrix", m, sel);
    if (!s) return exit_invalid;
    columns.push_back(*s);
  }
  if (selectors.empty()) {
    for (ServiceId s = 0; s < m.services.size(); ++s) columns.push_back(s);
  }
  if (g.format == "json") {
    nlohmann::ordered_json j;
    j["services"] = nlohmann::ordered_json::array();
    for (const auto s : columns) j["services"].push_back({{"name", m.services[s].name}, {"title", m.services[s].description}, {"model", m.services[s].model}});
    j["rows"] = nlohmann::ordered_json::array();
    for (RowId r = 0; r < m.rows.size(); ++r) {
      nlohmann::ordered_json row{{"name", m.rows[r].name}, {"layer", m.rows[m.rows[r].layer].name}, {"is_layer", m.rows[r].is_layer}};
      row["cells"] = nlohmann::ordered_json::object();
      for (const auto s : columns) {
        const auto& c = m.cell(s, r);
        nlohmann::ordered_json cell{{"owner", model::to_string(c.owner)}};
        const std::string team = team_name(m, c);
        if (!team.empty()) cell["team"] = team;
        row["cells"][m.services[s].name] = cell;
      }
      j["rows"].push_back(row);
    }
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  if (g.format == "csv") {
    std::string header = "layer,area";
    for (const auto s : columns) header += "," + csv_field(m.services[s].name);
    fmt::print("{}\n", header);
    for (RowId r = 0; r < m.rows.size(); ++r) {
      if (!m.rows[r].leaf()) continue;
      std::string line = csv_field(m.rows[m.rows[r].layer].name) + "," + csv_field(m.rows[r].name);
      for (const auto s : columns) {
        const auto& c = m.cell(s, r);
        const std::string team = team_name(m, c);
        line += "," + std::string(model::to_string(c.owner)) + (team.empty() ? "" : ":" + team);
      }
      fmt::print("{}\n", line);
    }
    return exit_ok;
  }
  if (g.format == "markdown") {
    std::string header = "| area |", rule = "|---|";
    for (const auto s : columns) {
      header += fmt::format(" {} |", md_cell(m.services[s].short_name));
      rule += ":-:|";
    }
    fmt::print("{}\n{}\n", header, rule);
    for (RowId r = 0; r < m.rows.size(); ++r) {
      const auto& row = m.rows[r];
      if (row.is_layer && !row.areas.empty()) {
        std::string line = fmt::format("| **{}** |", row.name);
        for (std::size_t i = 0; i < columns.size(); ++i) line += " |";
        fmt::print("{}\n", line);
        continue;
      }
      std::string line = fmt::format("| {} |", row.name);
      for (const auto s : columns) line += fmt::format(" {} |", md_cell(short_cell(m, m.cell(s, r))));
      fmt::print("{}\n", line);
    }
    fmt::print("\nP = provider, C = customer, S = shared.\n");
    return exit_ok;
  }
  // text: aligned columns, one per service
  const bool color = use_color(g, stdout);
  std::size_t first = 4;
  for (const auto& r : m.rows) first = std::max(first, r.name.size() + (r.is_layer ? 0 : 2));
  std::vector<std::size_t> widths;
  for (const auto s : columns) {
    std::size_t w = m.services[s].short_name.size();
    for (RowId r = 0; r < m.rows.size(); ++r) w = std::max(w, short_cell(m, m.cell(s, r)).size());
    widths.push_back(w);
  }
  std::string header = fmt::format("{:<{}}", "", first);
  for (std::size_t i = 0; i < columns.size(); ++i) header += fmt::format("  {:<{}}", m.services[columns[i]].short_name, widths[i]);
  while (!header.empty() && header.back() == ' ') header.pop_back();
  fmt::print("{}\n", header);
  for (RowId r = 0; r < m.rows.size(); ++r) {
    const auto& row = m.rows[r];
    std::string label = row.is_layer ? row.name : "  " + row.name.substr(row.name.find('.') + 1);
    std::string line = fmt::format("{:<{}}", label, first);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto& c = m.cell(columns[i], r);
      const std::string text = fmt::format("{:<{}}", short_cell(m, c), widths[i]);
      line += "  " + (color ? fmt::format(owner_style(c.owner), "{}", text) : text);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
  fmt::print("\nP = provider, C = customer, S = shared\n");
  return exit_ok;
}

int cmd_diff(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> names;
  po::options_description visible("diff options"), hidden;
  visible.add_options()("format", po::value<std::string>(&g.format)->default_value("text"), "text or json");
  hidden.add_options()("services", po::value<std::vector<std::string>>(&names), "");
  po::positional_options_description pos;
  pos.add("services", -1);
  int code = 0;
  if (!parse_args("diff", args, visible, pos, hidden, g,
                  "usage: onus diff SERVICE_A SERVICE_B [--format text|json]\n\n"
                  "What moves between provider, customer and shared when going from service A to\n"
                  "service B. Works across providers: every provider builds on the same core layers.\n\n"
                  "examples:\n"
                  "  onus diff aws.ec2 aws.lambda\n"
                  "  onus diff aws.ec2 azure.virtual_machines\n",
                  code))
    return code;
  if (names.size() != 2) return usage_error("diff", "expected two services", "onus diff aws.ec2 aws.lambda");
  if (g.format != "text" && g.format != "json") return usage_error("diff", "--format must be text or json");
  Session session;
  SessionOptions so;
  so.org_checks = false;
  so.named_services = names;
  if (!open_session(g, so, session)) return exit_invalid;
  const auto& m = session.model;
  const auto a = lookup_service("diff", m, names[0]);
  if (!a) return exit_invalid;
  const auto b = lookup_service("diff", m, names[1]);
  if (!b) return exit_invalid;
  // transition "customer -> provider" -> areas
  std::map<std::pair<Owner, Owner>, std::vector<std::string>> moves;
  std::size_t same = 0;
  for (RowId r = 0; r < m.rows.size(); ++r) {
    if (!m.rows[r].leaf()) continue;
    const Owner from = m.cell(*a, r).owner, to = m.cell(*b, r).owner;
    if (from == to) ++same;
    else moves[{from, to}].push_back(m.rows[r].name);
  }
  const auto& sa = m.services[*a];
  const auto& sb = m.services[*b];
  if (g.format == "json") {
    nlohmann::ordered_json j{{"from", sa.name}, {"to", sb.name}, {"unchanged", same}};
    j["moves"] = nlohmann::ordered_json::array();
    for (const auto& [k, areas] : moves) j["moves"].push_back({{"from", model::to_string(k.first)}, {"to", model::to_string(k.second)}, {"areas", areas}});
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  fmt::print("from {} ({}) to {} ({}):\n", sa.name, sa.model, sb.name, sb.model);
  if (moves.empty()) fmt::print("  no area changes owner\n");
  for (const auto& [k, areas] : moves) {
    fmt::print("  {} -> {} ({}):\n", model::to_string(k.first), model::to_string(k.second), areas.size());
    for (const auto& area : areas) fmt::print("    {}\n", area);
  }
  fmt::print("  {} area{} keep{} the same owner\n", same, same == 1 ? "" : "s", same == 1 ? "s" : "");
  return exit_ok;
}

int cmd_controls(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::string name;
  po::options_description visible("controls options"), hidden;
  visible.add_options()("format", po::value<std::string>(&g.format)->default_value("text"), "text or json");
  hidden.add_options()("service", po::value<std::string>(&name), "");
  po::positional_options_description pos;
  pos.add("service", 1);
  int code = 0;
  if (!parse_args("controls", args, visible, pos, hidden, g,
                  "usage: onus controls SERVICE [--format text|json]\n\n"
                  "Each control with its class on the service, computed from the owners of the areas it\n"
                  "covers: inherited (all provider), customer-specific (all customer), shared (a mix).\n\n"
                  "examples:\n"
                  "  onus controls aws.ec2\n"
                  "  onus controls aws.lambda --format json\n",
                  code))
    return code;
  if (name.empty()) return usage_error("controls", "expected a service", "onus controls aws.ec2");
  if (g.format != "text" && g.format != "json") return usage_error("controls", "--format must be text or json");
  Session session;
  SessionOptions so;
  so.org_checks = false;
  so.named_services = {name};
  if (!open_session(g, so, session)) return exit_invalid;
  const auto& m = session.model;
  const auto s = lookup_service("controls", m, name);
  if (!s) return exit_invalid;
  if (g.format == "json") {
    nlohmann::ordered_json j{{"service", m.services[*s].name}};
    j["controls"] = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < m.controls.size(); ++c) {
      nlohmann::ordered_json cells = nlohmann::ordered_json::object();
      for (const auto r : m.controls[c].rows) cells[m.rows[r].name] = model::to_string(m.cell(*s, r).owner);
      j["controls"].push_back({{"control", m.controls[c].name}, {"title", m.controls[c].description},
                               {"class", model::to_string(m.control_class(c, *s))}, {"cells", cells}});
    }
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  fmt::print("{} ({})\n", m.services[*s].name, m.services[*s].description);
  std::size_t width = 0;
  for (const auto& c : m.controls) width = std::max(width, c.name.size());
  for (std::size_t c = 0; c < m.controls.size(); ++c) {
    fmt::print("  {:<{}}  {}\n", m.controls[c].name, width, model::to_string(m.control_class(c, *s)));
    std::map<Owner, std::vector<std::string>> by_owner;
    for (const auto r : m.controls[c].rows) by_owner[m.cell(*s, r).owner].push_back(m.rows[r].name);
    for (const auto& [o, rows] : by_owner) fmt::print("  {:<{}}    {}: {}\n", "", width, model::to_string(o), fmt::join(rows, ", "));
  }
  if (m.controls.empty()) fmt::print("  no controls are declared\n");
  return exit_ok;
}

}  // namespace onus::cli
