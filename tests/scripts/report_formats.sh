#!/usr/bin/env bash
# Renders a realistic sample report in every format (tests/tools/sample_report.cpp,
# built as onus_sample_report) and validates the CI formats the way CI systems read
# them: SARIF against the OASIS 2.1.0 schema plus GitHub's requirements, JUnit
# against the strict windyroad XSD with xmllint, GitHub workflow commands by syntax,
# our JSON against tests/data/schemas/onus-report-v1.schema.json (docs/json-output.md).
# Also checks that output is byte-for-byte reproducible and that the validator
# rejects broken documents (a validator that never fails proves nothing).
#
# $1 is the onus binary (unused for now: the end-to-end tests of `onus check`
# reuse tests/tools/validate_report.py). The sample tool is found through
# $ONUS_SAMPLE_REPORT (set by tests/CMakeLists.txt), else next to the build tree.
set -u
onus="${1:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
validate="$root/tests/tools/validate_report.py"
python="${PYTHON:-python3}"

sample="${ONUS_SAMPLE_REPORT:-}"
if [[ -z "$sample" && -n "$onus" ]]; then
  sample="$(dirname "$onus")/../tests/onus_sample_report"
fi
if [[ -z "$sample" || ! -x "$sample" ]]; then
  echo "report_formats: onus_sample_report not found (build it: ninja onus_sample_report)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap '[[ -n "${KEEP_WORK:-}" ]] && echo "kept $work" || rm -rf "$work"' EXIT
failures=0
fail() {
  echo "report_formats: FAIL: $*" >&2
  failures=$((failures + 1))
}

export ONUS_TIMESTAMP=2026-01-02T03:04:05
mkdir -p "$work/a" "$work/b"
"$sample" "$work/a" || { echo "report_formats: onus_sample_report failed" >&2; exit 1; }
"$sample" "$work/b" || { echo "report_formats: onus_sample_report failed" >&2; exit 1; }

# Same input, same bytes.
for f in "$work"/a/*; do
  name="$(basename "$f")"
  cmp -s "$f" "$work/b/$name" || fail "$name differs between two runs"
done

# The CI formats, validated.
"$python" "$validate" sarif "$work/a/report.sarif" || fail "SARIF is invalid"
"$python" "$validate" junit "$work/a/report.junit.xml" || fail "JUnit is invalid"
"$python" "$validate" github "$work/a/report.github.txt" || fail "GitHub commands are invalid"

"$python" "$validate" json "$work/a/report.json" || fail "JSON does not match docs/json-output.md"

# Text without colour has no escapes; with colour it has some.
if grep -q $'\x1b' "$work/a/report.txt"; then fail "report.txt has escape sequences"; fi
grep -q $'\x1b\[' "$work/a/report-color.txt" || fail "report-color.txt has no colour"

# The validator must reject broken documents.
expect_invalid() {  # KIND FILE WHAT
  if "$python" "$validate" "$1" "$2" 2>/dev/null >/dev/null; then
    fail "validate_report.py accepted $3"
  fi
}
"$python" - "$work/a/report.sarif" "$work/bad" <<'PY'
import copy, json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
log = json.load(open(src, encoding="utf-8"))
def write(name, mutate):
    doc = copy.deepcopy(log)
    mutate(doc)
    json.dump(doc, open(os.path.join(out, name), "w", encoding="utf-8"))
run = lambda d: d["runs"][0]
write("no-rule-id.sarif", lambda d: run(d)["results"][0].pop("ruleId"))
write("empty-message.sarif", lambda d: run(d)["results"][0]["message"].update(text=""))
write("line-zero.sarif", lambda d: run(d)["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0))
write("numeric-severity.sarif", lambda d: run(d)["tool"]["driver"]["rules"][0]["properties"].update({"security-severity": 8.0}))
write("no-help.sarif", lambda d: run(d)["tool"]["driver"]["rules"][0].pop("help"))
write("no-fingerprint.sarif", lambda d: run(d)["results"][0].pop("partialFingerprints"))
write("bad-level.sarif", lambda d: run(d)["results"][0].update(level="fatal"))
write("bad-version.sarif", lambda d: d.update(version="2.0.0"))
write("unknown-rule.sarif", lambda d: run(d)["results"][0].update(ruleId="NOPE", ruleIndex=None) or run(d)["results"][0].pop("ruleIndex"))
write("space-in-uri.sarif", lambda d: run(d)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].update(uri="a b.onus"))
PY
for f in "$work"/bad/*.sarif; do expect_invalid sarif "$f" "$(basename "$f")"; done

"$python" - "$work/a/report.json" "$work/bad" <<'PY'
import copy, json, os, sys
src, out = sys.argv[1], sys.argv[2]
doc0 = json.load(open(src, encoding="utf-8"))
def write(name, mutate):
    doc = copy.deepcopy(doc0)
    mutate(doc)
    json.dump(doc, open(os.path.join(out, name), "w", encoding="utf-8"))
write("no-version.json", lambda d: d.pop("version"))
write("renamed-field.json", lambda d: d["findings"][0].update(rule=d["findings"][0].pop("rule_id")))
write("line-as-string.json", lambda d: d["resources"][0]["location"].update(line="120"))
write("wrong-count.json", lambda d: d["summary"].update(errors=d["summary"]["errors"] + 1))
write("bad-level.json", lambda d: d["findings"][0].update(level="fatal"))
PY
for f in "$work"/bad/*.json; do expect_invalid json "$f" "$(basename "$f")"; done

junit="$work/a/report.junit.xml"
sed 's/timestamp="\([^"]*\)"/timestamp="\1Z"/' "$junit" >"$work/bad/timezone.xml"
sed 's/ hostname="localhost"//' "$junit" >"$work/bad/no-hostname.xml"
sed 's/ package="onus"//' "$junit" >"$work/bad/no-package.xml"
sed '/<system-err\/>/d' "$junit" >"$work/bad/no-system-err.xml"
sed '0,/<properties>/s//<properties><property name="x" value="1"\/><\/properties><properties>/' "$junit" >"$work/bad/two-properties.xml"
sed '0,/tests="9"/s//tests="13"/' "$junit" >"$work/bad/wrong-count.xml"
sed '0,/name="aws_s3_bucket.logs"/s//name="aws_instance.web"/' "$junit" >"$work/bad/duplicate-case.xml"
sed '0,/<testcase \([^>]*\)\/>/s//<testcase \1><failure type="error">x<\/failure><skipped\/><\/testcase>/' "$junit" >"$work/bad/failure-and-skipped.xml"
for f in "$work"/bad/*.xml; do
  cmp -s "$f" "$junit" && fail "mutation $(basename "$f") changed nothing"
  expect_invalid junit "$f" "$(basename "$f")"
done

printf '::error file=a,b.yaml,line=1::m\n' >"$work/bad/comma.github"
printf '::error title=x::100%% sure\n' >"$work/bad/percent.github"
printf '::error line=3::no file\n' >"$work/bad/line-without-file.github"
for f in "$work"/bad/*.github; do expect_invalid github "$f" "$(basename "$f")"; done

if [[ $failures -gt 0 ]]; then
  echo "report_formats: $failures failure(s)" >&2
  exit 1
fi
echo "report_formats: all formats valid and reproducible; broken documents rejected"
