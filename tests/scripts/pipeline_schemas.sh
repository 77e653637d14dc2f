#!/usr/bin/env bash
# End to end: the SARIF and JUnit that `onus check` writes for real plans and
# templates validate against the official schemas (tests/data/schemas), and one
# run writes several formats with --output.
set -euo pipefail
onus=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export ONUS_TODAY=2026-11-23 ONUS_TIMESTAMP=2026-11-23T12:00:00
runs=(
  "policies/startup --plan tests/data/pipeline/startup.tfplan.json"
  "policies/startup --plan tests/data/pipeline/startup.tfplan.json --sarif-max-results 2"
  "policies/enterprise --plan tests/data/pipeline/bare-metal.tfplan.json"
  "tests/data/pipeline/deny_ec2 --template tests/data/pipeline/bare-metal.cfn.yaml"
  "policies/enterprise --plan tests/data/pipeline/enterprise.tfplan.json"
  "policies/enterprise --plan tests/data/inputs/tfplan/checkov-terragoat.tfplan.json"
  "policies/enterprise --plan tests/data/inputs/tfplan/tfcompliance-issue456-module-count-foreach.tfplan.json"
  "policies/multicloud --template tests/data/inputs/cfn/awscfn-ECS-FargateLaunchType-services-public-service.yaml"
  "policies/startup --template tests/data/inputs/cfn/awscfn-EC2-EC2InstanceWithSecurityGroupSample.yaml --template tests/data/inputs/cfn/awscfn-RDS-RDS_MySQL_With_Read_Replica.json"
)
i=0
for args in "${runs[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  set +e
  "$onus" check $args --format sarif --output "$out/$i.sarif" --format junit --output "$out/$i.xml" \
    --format json --output "$out/$i.json" --format text > "$out/$i.txt"
  code=$?
  set -e
  if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
    echo "FAIL: onus check $args exited $code"; cat "$out/$i.txt"; exit 1
  fi
  for f in sarif xml json; do [ -s "$out/$i.$f" ] || { echo "FAIL: $f not written for: $args"; exit 1; }; done
  [ -s "$out/$i.txt" ] || { echo "FAIL: text not written to stdout for: $args"; exit 1; }
  python3 tests/tools/validate_report.py sarif "$out/$i.sarif"
  python3 tests/tools/validate_report.py junit "$out/$i.xml"
  python3 tests/tools/validate_report.py json "$out/$i.json"
done
# GITHUB_STEP_SUMMARY receives the Markdown summary next to the annotations.
GITHUB_STEP_SUMMARY="$out/summary.md" "$onus" check policies/startup --plan tests/data/pipeline/startup.tfplan.json \
  --format github > "$out/annotations.txt" || true
grep -q '^::error ' "$out/annotations.txt" || { echo "FAIL: no ::error annotation"; exit 1; }
grep -q 'aws_patches_function_runtimes' "$out/summary.md" || { echo "FAIL: step summary lacks the rule finding"; exit 1; }
python3 tests/tools/validate_report.py github "$out/annotations.txt"
echo "validated ${#runs[@]} runs (SARIF, JUnit, JSON) and the GitHub output"
