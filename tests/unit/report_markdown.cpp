// The Markdown reporter: verdict, tables, and cell escaping.
#include <catch2/catch.hpp>

#include "engine/report/common.hpp"
#include "engine/report/report.hpp"
#include "tests/tools/sample_report.hpp"

using onus::report::render_markdown;
using onus::report::detail::markdown_cell;
using onus::report::detail::markdown_code;
using onus::report::sample::make_sample_report;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("markdown: heading with the verdict") {
  auto report = make_sample_report();
  CHECK(render_markdown(report).rfind("## :x: Onus check failed: 7 errors, 3 warnings, 1 note, 1 waived\n", 0) == 0);
  report.failed = false;
  CHECK(render_markdown(report).rfind("## :white_check_mark: Onus check passed:", 0) == 0);
}

TEST_CASE("markdown: summary, findings, services, teams and unmapped types") {
  const std::string out = render_markdown(make_sample_report());
  CHECK(contains(out, "| Services used | 6 (1 added, 1 removed) |"));
  CHECK(contains(out, "| Customer responsibilities | 10 across 3 teams (**2 unassigned**) |"));
  CHECK(contains(out, "| Severity | Rule | Resource | Message | Policy statement |"));
  CHECK(contains(out, "| `aws.lambda` | AWS Lambda | 1 | added |"));
  CHECK(contains(out, "| `aws.sqs` | Amazon SQS \\| Simple Queue Service | 1 | removed |"));
  CHECK(contains(out, "| platform | team | 4 | 2 | 0 |"));
  CHECK(contains(out, "| `aws_foo_widget` | 2 |"));
  CHECK(contains(out, "| waived (error) | `acme.encryption_has_owner` | `aws_s3_bucket.archive` |"));
  CHECK(contains(out, "**Waived:** Migration tracked in OPS-42: résumé, 100% by 2027-03-31"));
}

TEST_CASE("markdown: every table row has the columns of its header") {
  const std::string out = render_markdown(make_sample_report());
  std::size_t expected = 0;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end - start);
    start = end == std::string::npos ? out.size() : end + 1;
    if (line.empty() || line.front() != '|') {
      expected = 0;
      continue;
    }
    // Count unescaped pipes.
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    }
    CAPTURE(line);
    if (expected == 0) {
      expected = pipes;
    } else {
      CHECK(pipes == expected);
    }
  }
}

TEST_CASE("markdown: cells escape pipes, line breaks, HTML and inline markup") {
  CHECK(markdown_cell("a | b") == "a \\| b");
  CHECK(markdown_cell("one\ntwo\r\nthree") == "one<br>two<br>three");
  CHECK(markdown_cell("<b> & </b>") == "&lt;b&gt; &amp; &lt;/b&gt;");
  CHECK(markdown_cell("*x* _y_ [z](u) `c` #1 @team ~s~") == "\\*x\\* \\_y\\_ \\[z\\](u) \\`c\\` \\#1 \\@team \\~s\\~");
  CHECK(markdown_cell("résumé") == "résumé");
  CHECK(markdown_code("aws_instance.web") == "`aws_instance.web`");
  CHECK(markdown_code("a|b") == "`a\\|b`");
  CHECK(markdown_code("has `tick`") == "has \\`tick\\`");
}

TEST_CASE("markdown: a clean template run") {
  onus::report::Report report;
  report.inputs = {"cfn.yaml"};
  const std::string out = render_markdown(report);
  CHECK(contains(out, "No findings."));
  CHECK(contains(out, "Every resource type maps to a service."));
  CHECK_FALSE(contains(out, "| Change |"));
}

TEST_CASE("markdown: a comment stays within GitHub's 65,536 limit, most severe findings first") {
  auto report = make_sample_report();
  const auto first = report.findings.front();  // the sample is sorted: an error comes first
  REQUIRE(first.level == onus::Severity::error);
  // 3,000 more findings of about 400 bytes each: about 1.2 MB of rows uncut.
  for (int i = 0; i < 3000; ++i) {
    auto f = report.findings.back();
    f.level = onus::Severity::warning;
    f.waived = false;
    f.resource_address = "aws_instance.fleet_" + std::to_string(i);
    f.message = std::string(300, 'x');
    report.findings.push_back(f);
  }
  const std::string out = render_markdown(report);
  CHECK(out.size() <= onus::report::kMarkdownCommentLimit);
  CHECK(contains(out, "more findings not shown** ("));
  CHECK(contains(out, "this comment is limited to 65536 bytes"));
  CHECK(contains(out, markdown_code(first.rule_id)));  // the first findings are kept
  CHECK_FALSE(contains(out, "aws_instance.fleet_2999"));
  // The other sections are still there, and the document ends with its footer.
  CHECK(contains(out, "## Services used"));
  CHECK(contains(out, "## Unmapped resource types"));
  CHECK(out.ends_with("<sub>onus 0.1.0</sub>\n"));
  // Below the limit nothing is cut.
  CHECK_FALSE(contains(render_markdown(make_sample_report()), "not shown"));
  // The step summary has a limit of 1 MiB: the same report fits more there.
  std::string summary;
  onus::report::render_github(report, summary);
  CHECK(summary.size() <= onus::report::kStepSummaryLimit);
  CHECK(summary.size() > out.size());
}
