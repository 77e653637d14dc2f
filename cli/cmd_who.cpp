// onus who SERVICE AREA and onus explain SERVICE AREA: one cell of the matrix,
// its owner, team and notes, and the chain of declarations that decided it.
#include <fmt/color.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/lookup.hpp"

namespace onus::cli {

namespace {

struct CellQuery {
  GlobalOptions g;
  std::string service_name, area_name;
  std::vector<std::string> raw_attributes;
  std::vector<std::pair<std::string, std::string>> attributes;
  Session session;
  model::ServiceId service = 0;
  model::RowId row = 0;
  model::Cell cell;
};

// Parses the arguments, loads the model and looks the cell up; returns an exit code or -1 to go on.
int prepare(const std::string& command, const std::vector<std::string>& args, const std::string& usage, CellQuery& q) {
  po::options_description visible(command + " options"), hidden;
  visible.add_options()
      ("format", po::value<std::string>(&q.g.format)->default_value("text"), "text or json")
      ("attr", po::value<std::vector<std::string>>(&q.raw_attributes)->composing(),
       "NAME=VALUE: a resource attribute that selects a variant (repeatable)");
  hidden.add_options()("service", po::value<std::string>(&q.service_name), "")("area", po::value<std::string>(&q.area_name), "");
  po::positional_options_description pos;
  pos.add("service", 1).add("area", 1);
  int code = 0;
  if (!parse_args(command, args, visible, pos, hidden, q.g, usage, code)) return code;
  if (q.service_name.empty() || q.area_name.empty())
    return usage_error(command, "expected a service and an area", fmt::format("onus {} aws.ec2 guest_os.patching", command));
  if (q.g.format != "text" && q.g.format != "json")
    return usage_error(command, fmt::format("--format must be text or json, not '{}'", q.g.format));
  if (!parse_attributes(command, q.raw_attributes, q.attributes)) return exit_invalid;
  SessionOptions so;
  so.org_checks = false;
  so.named_services = {q.service_name};
  if (!open_session(q.g, so, q.session)) return exit_invalid;
  const auto s = lookup_service(command, q.session.model, q.service_name);
  if (!s) return exit_invalid;
  const auto r = lookup_row(command, q.session.model, q.area_name);
  if (!r) return exit_invalid;
  q.service = *s;
  q.row = *r;
  q.cell = q.attributes.empty() ? q.session.model.cell(*s, *r) : q.session.model.cell_with(*s, *r, q.attributes);
  return -1;
}

nlohmann::ordered_json provenance_json(const SourceMap& sources, const model::Cell& c) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& p : c.provenance) {
    const Where w = where(sources, p.span);
    out.push_back({{"file", w.file}, {"line", w.line}, {"column", w.column}, {"statement", statement_text(sources, p.span)},
                   {"change", p.change}});
  }
  return out;
}

// The owner a variant gives a row: its last effect on it (area statements come
// after layer statements), or "" when it does not touch the row.
std::string owner_of_variant(const model::Variant& v, model::RowId r) {
  std::string owner;
  for (const auto& e : v.effects) {
    if (e.row == r) owner = model::to_string(e.owner);
  }
  return owner;
}

// Variants of the service that can change this row (none when attributes were given).
std::vector<const model::Variant*> variants_for(const model::Model& m, model::ServiceId s, model::RowId r) {
  std::vector<const model::Variant*> out;
  for (const auto& v : m.services[s].variants) {
    const std::string owner = owner_of_variant(v, r);
    if (!owner.empty() && owner != model::to_string(m.cell(s, r).owner)) out.push_back(&v);
  }
  return out;
}

}  // namespace

int cmd_who(const std::vector<std::string>& args) {
  CellQuery q;
  const int code = prepare("who", args,
      "usage: onus who SERVICE AREA [--attr NAME=VALUE]... [--format text|json]\n\n"
      "Who owns an area (or a layer) on a service: provider, customer or shared; the team or\n"
      "vendor carrying the customer's part when an organisation is loaded; notes; variants.\n\n"
      "examples:\n"
      "  onus who aws.ec2 guest_os.patching\n"
      "  onus who aws.ecs guest_os --attr launch_type=FARGATE\n"
      "  onus who aws.s3 data.encryption_at_rest --format json\n"
      "  onus who aws.ec2 guest_os -p policies/enterprise\n", q);
  if (code >= 0) return code;
  const auto& m = q.session.model;
  const auto& sources = q.session.program.sources;
  const auto& row = m.rows[q.row];
  const auto& service = m.services[q.service];
  const auto variants = q.attributes.empty() ? variants_for(m, q.service, q.row) : std::vector<const model::Variant*>{};
  // Areas of a layer whose owner differs from the layer's.
  std::vector<std::pair<std::string, std::string>> differing;
  if (row.is_layer) {
    for (const auto a : row.areas) {
      const auto ac = q.attributes.empty() ? m.cell(q.service, a) : m.cell_with(q.service, a, q.attributes);
      if (ac.owner != q.cell.owner) differing.emplace_back(m.rows[a].name, model::to_string(ac.owner));
    }
  }
  const std::string team = team_name(m, q.cell);
  if (q.g.format == "json") {
    nlohmann::ordered_json j;
    j["service"] = service.name;
    j["area"] = row.name;
    j["owner"] = model::to_string(q.cell.owner);
    j["team"] = team.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(team);
    j["notes"] = nlohmann::ordered_json::object();
    if (!q.cell.provider_note.empty()) j["notes"]["provider"] = q.cell.provider_note;
    if (!q.cell.customer_note.empty()) j["notes"]["customer"] = q.cell.customer_note;
    j["variants"] = nlohmann::ordered_json::array();
    for (const auto* v : variants) {
      const Where w = where(sources, v->span);
      j["variants"].push_back({{"when", v->text}, {"owner", owner_of_variant(*v, q.row)}, {"file", w.file}, {"line", w.line}});
    }
    if (row.is_layer) {
      j["areas_that_differ"] = nlohmann::ordered_json::object();
      for (const auto& [a, o] : differing) j["areas_that_differ"][a] = o;
    }
    j["provenance"] = provenance_json(sources, q.cell);
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  const bool color = use_color(q.g, stdout);
  auto bold = [color](const std::string& s) { return color ? fmt::format(fmt::emphasis::bold, "{}", s) : s; };
  fmt::print("{} {}: {}\n", service.name, row.name, bold(model::to_string(q.cell.owner)));
  if (m.organization && (q.cell.owner == model::Owner::customer || q.cell.owner == model::Owner::shared)) {
    if (team.empty()) fmt::print("  team: none (organisation {} assigns no team here)\n", m.organization->name);
    else {
      const auto& t = m.teams[static_cast<std::size_t>(q.cell.team)];
      const Where w = where(sources, q.cell.team_span);
      fmt::print("  {}: {}{} (assigned at {}:{})\n", t.kind, t.name, t.description.empty() ? "" : " - " + t.description, w.file, w.line);
    }
  }
  if (!q.cell.provider_note.empty()) fmt::print("  provider's part: {}\n", q.cell.provider_note);
  if (!q.cell.customer_note.empty()) fmt::print("  customer's part: {}\n", q.cell.customer_note);
  if (!q.cell.provenance.empty()) {
    const auto& last = q.cell.provenance.back();
    const Where w = where(sources, last.span);
    fmt::print("  decided by {}:{}: {}\n", w.file, w.line, statement_text(sources, last.span));
  }
  for (const auto& [a, o] : differing) fmt::print("  except {}: {}\n", a, o);
  for (const auto* v : variants) {
    const Where w = where(sources, v->span);
    fmt::print("  variant: when {} -> {} ({}:{})\n", v->text, owner_of_variant(*v, q.row), w.file, w.line);
  }
  if (!q.attributes.empty()) {
    std::vector<std::string> shown;
    for (const auto& [k, v] : q.attributes) shown.push_back(k + "=" + v);
    fmt::print("  with attributes: {}\n", fmt::join(shown, ", "));
  }
  if (!service.source.empty()) fmt::print("  source: {}\n", service.source);
  return exit_ok;
}

int cmd_explain(const std::vector<std::string>& args) {
  CellQuery q;
  const int code = prepare("explain", args,
      "usage: onus explain SERVICE AREA [--attr NAME=VALUE]... [--format text|json]\n\n"
      "The provenance chain of one cell: every declaration that set or changed it, oldest first,\n"
      "with its file:line and what it changed.\n\n"
      "examples:\n"
      "  onus explain aws.ec2_bare_metal virtualization.hypervisor\n"
      "  onus explain aws.lambda runtime.patching --attr package_type=Image\n", q);
  if (code >= 0) return code;
  const auto& m = q.session.model;
  const auto& sources = q.session.program.sources;
  if (q.g.format == "json") {
    nlohmann::ordered_json j;
    j["service"] = m.services[q.service].name;
    j["area"] = m.rows[q.row].name;
    j["owner"] = model::to_string(q.cell.owner);
    const std::string team = team_name(m, q.cell);
    j["team"] = team.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(team);
    j["provenance"] = provenance_json(sources, q.cell);
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }
  fmt::print("{} {}: {}{}\n", m.services[q.service].name, m.rows[q.row].name, model::to_string(q.cell.owner),
             q.cell.team == model::no_team
                 ? ""
                 : fmt::format(", {} {}", m.teams[static_cast<std::size_t>(q.cell.team)].kind, team_name(m, q.cell)));
  std::size_t step = 1;
  for (const auto& p : q.cell.provenance) {
    const Where w = where(sources, p.span);
    fmt::print("  {}. {}:{}: {}\n       {}\n", step++, w.file, w.line, p.change, statement_text(sources, p.span));
  }
  if (q.cell.provenance.empty()) fmt::print("  nothing declares this cell\n");
  return exit_ok;
}

}  // namespace onus::cli
