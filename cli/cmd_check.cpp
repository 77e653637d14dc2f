// onus check [POLICY...] [--plan F] [--template F] [--inventory F]: compile the
// policies, run every check, and evaluate them against what is about to be deployed.
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "engine/pipeline.hpp"

namespace onus::cli {

namespace {

constexpr const char* usage =
    "usage: onus check [POLICY...] [--plan FILE] [--template FILE] [--inventory FILE]\n"
    "                  [--format FORMAT [--output FILE]]... [--fail-on error|warning|never]\n"
    "\n"
    "Compiles the standard library and the policies, runs every check (completeness, consistency\n"
    "of the organisation with the base model, conflicts), then evaluates the organisation's policy\n"
    "against Terraform plans (terraform show -json), CloudFormation templates (JSON or YAML) and\n"
    "inventories. '-' reads an input from stdin.\n"
    "\n"
    "formats: text (default), json, sarif, junit, github, markdown. Repeat --format to write several:\n"
    "--format sarif=onus.sarif writes to a file; otherwise the n-th --output names the file of the n-th\n"
    "--format (stdout when there is none). With --format github,\n"
    "a Markdown summary is also appended to $GITHUB_STEP_SUMMARY when it is set.\n"
    "\n"
    "exit codes:\n"
    "  0  evaluated; nothing at or above --fail-on\n"
    "  1  findings at or above --fail-on (default: error)\n"
    "  2  invalid policy, unreadable input, bad usage, or inputs without resources (see --allow-empty)\n"
    "  3  internal error (a bug: please report it)\n"
    "\n"
    "examples:\n"
    "  onus check policies/enterprise\n"
    "  onus check policies/startup --plan tfplan.json\n"
    "  onus check -p policies/startup --template stack.yaml --format sarif=onus.sarif --format text\n"
    "  terraform show -json plan.out | onus check policies/startup --plan -\n";

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::vector<std::string> positional, plans, templates, inventories, formats, outputs;
  std::string fail_on = "error";
  bool allow_empty = false;
  long long sarif_max_results = static_cast<long long>(report::kSarifResultLimit);  // signed: "-3" is refused, not wrapped
  po::options_description visible("check options"), hidden;
  visible.add_options()
      ("plan", po::value<std::vector<std::string>>(&plans)->composing(), "Terraform plan JSON (terraform show -json); repeatable")
      ("template", po::value<std::vector<std::string>>(&templates)->composing(), "CloudFormation template, JSON or YAML; repeatable")
      ("inventory", po::value<std::vector<std::string>>(&inventories)->composing(), "inventory JSON [{type, id, attributes}]; repeatable")
      ("format", po::value<std::vector<std::string>>(&formats)->composing(), "text, json, sarif, junit, github or markdown; repeatable")
      ("output,o", po::value<std::vector<std::string>>(&outputs)->composing(), "file for the matching --format; repeatable")
      ("fail-on", po::value<std::string>(&fail_on)->default_value("error"), "error, warning or never")
      ("allow-empty", po::bool_switch(&allow_empty), "succeed even when the inputs hold no resource")
      ("sarif-max-results", po::value<long long>(&sarif_max_results)->default_value(static_cast<long long>(report::kSarifResultLimit)),
       "most severe findings listed in SARIF (GitHub keeps 5,000); 0 = all");
  hidden.add_options()("policies", po::value<std::vector<std::string>>(&positional), "");
  po::positional_options_description pos;
  pos.add("policies", -1);
  int code = 0;
  if (!parse_args("check", args, visible, pos, hidden, g, usage, code)) return code;
  if (fail_on != "error" && fail_on != "warning" && fail_on != "never")
    return usage_error("check", fmt::format("--fail-on must be error, warning or never, not '{}'", fail_on));
  if (sarif_max_results < 0)
    return usage_error("check", fmt::format("--sarif-max-results must be 0 (all) or a positive count, not {}", sarif_max_results));
  static const std::vector<std::string> known = {"text", "json", "sarif", "junit", "github", "markdown"};
  // `--format sarif=onus.sarif` names its file directly; plain formats take the
  // --output options in order (the n-th --output for the n-th plain --format).
  if (formats.empty()) formats.push_back("text");
  std::vector<std::string> targets;
  {
    std::size_t next_output = 0;
    for (auto& f : formats) {
      const auto eq = f.find('=');
      if (eq != std::string::npos) {
        targets.push_back(f.substr(eq + 1));
        f = f.substr(0, eq);
      } else {
        targets.push_back(next_output < outputs.size() ? outputs[next_output++] : "");
      }
    }
    if (next_output < outputs.size())
      return usage_error("check", "more --output than --format options",
                         "the n-th --output names the file of the n-th --format; or write --format sarif=FILE");
  }
  for (const auto& f : formats) {
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      const std::string guess = closest_match(f, known);
      return usage_error("check", fmt::format("unknown format '{}'", f),
                         guess.empty() ? "formats: text, json, sarif, junit, github, markdown" : fmt::format("did you mean '{}'?", guess));
    }
  }

  std::size_t stdin_inputs = 0;
  for (const auto* list : {&plans, &templates, &inventories})
    stdin_inputs += static_cast<std::size_t>(std::count(list->begin(), list->end(), "-"));
  if (stdin_inputs > 1) return usage_error("check", "only one input can be read from stdin ('-')");

  Session session;
  SessionOptions so;
  so.extra_policies = positional;
  so.rules = true;
  const bool ok = open_session(g, so, session, true);
  if (!ok) return exit_invalid;
  const bool has_inputs = !plans.empty() || !templates.empty() || !inventories.empty();
  const bool has_policy = !g.policies.empty() || !positional.empty();
  const Severity threshold = fail_on == "warning" ? Severity::warning : Severity::error;

  if (!has_inputs) {
    const auto& m = session.model;
    std::size_t packages = 0;
    for (const auto& p : session.program.packages) packages += p.root ? 1 : 0;
    const std::size_t errors = session.diagnostics.error_count(), warnings = session.diagnostics.warning_count();
    if (!has_policy) {
      fmt::print("onus check: no policy given; checked the standard library: {} services of {} providers, {} layers and areas: {} error{}, {} warning{}\n",
                 m.services.size(), m.providers.size(), m.rows.size(), errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    } else {
      fmt::print("onus check: {} polic{} ({}): {} error{}, {} warning{}\n", packages, packages == 1 ? "y" : "ies",
                 m.organization ? "organisation " + m.organization->name : "no organisation", errors, errors == 1 ? "" : "s",
                 warnings, warnings == 1 ? "" : "s");
    }
    if (fail_on == "warning" && warnings > 0) return exit_findings;
    return exit_ok;
  }

  // Inputs: read each once, with the attribute paths the mappings bind.
  BindingIndex bindings(session.model);
  const auto paths = bindings.attribute_paths();
  inputs::InputSet in;
  Diagnostics input_diagnostics;
  bool read_ok = true;
  for (const auto& f : plans) read_ok = inputs::read_terraform_plan(f, paths, in, input_diagnostics) && read_ok;
  for (const auto& f : templates) read_ok = inputs::read_cloudformation(f, paths, in, input_diagnostics) && read_ok;
  for (const auto& f : inventories) read_ok = inputs::read_inventory(f, paths, in, input_diagnostics) && read_ok;
  if (!input_diagnostics.empty()) print_diagnostics(input_diagnostics, session.program.sources, g);
  if (!read_ok || input_diagnostics.has_errors()) return exit_invalid;
  if (in.resources.empty() && !allow_empty) {
    fmt::print(stderr,
               "onus check: error: the inputs hold no resource, so nothing was evaluated\n"
               "  = help: check that the plan or template is the right one; pass --allow-empty if an empty input is expected\n");
    return exit_invalid;
  }

  PipelineOptions options;
  options.fail_on = threshold;
  options.fail_never = fail_on == "never";
  options.policies = g.policies;
  options.policies.insert(options.policies.end(), positional.begin(), positional.end());
  const report::Report rep = evaluate_pipeline(session.program, session.model, session.rules, in, options);
  const bool any_mapped = std::any_of(rep.resources.begin(), rep.resources.end(), [](const auto& r) { return !r.service.empty(); });
  if (!any_mapped && !allow_empty) {
    fmt::print(stderr,
               "onus check: error: none of the {} resources maps to a service, so nothing was evaluated\n"
               "  = help: add 'resources <format>' mappings for their types (onus check --format json lists them under \"unmapped\"), "
               "or pass --allow-empty\n",
               rep.resources.size());
    return exit_invalid;
  }

  for (std::size_t i = 0; i < formats.size(); ++i) {
    const std::string& format = formats[i];
    const std::string& target = targets[i];
    std::string text;
    if (format == "text") text = report::render_text(rep, target.empty() && use_color(g, stdout));
    else if (format == "json") text = report::render_json(rep);
    else if (format == "sarif") text = report::render_sarif(rep, static_cast<std::size_t>(sarif_max_results));
    else if (format == "junit") text = report::render_junit(rep);
    else if (format == "markdown") text = report::render_markdown(rep);
    else if (format == "github") {
      std::string summary;
      text = report::render_github(rep, summary);
      if (const char* path = std::getenv("GITHUB_STEP_SUMMARY"); path && *path) {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << summary;
      }
    }
    if (!write_output(target, text)) {
      fmt::print(stderr, "onus check: error: cannot write {}\n", target);
      return exit_invalid;
    }
  }
  return rep.failed ? exit_findings : exit_ok;
}

}  // namespace onus::cli
