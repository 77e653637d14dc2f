#!/bin/sh
# End-to-end pipeline benchmark: `onus check POLICY --plan PLAN --format json`
# wall time (hyperfine, median) and peak RSS (/usr/bin/time -v), with the load.
#
#   bench/run-pipeline.sh [ONUS [PLAN [RUNS [POLICY]]]]
#   bench/run-pipeline.sh build-bench/cli/onus /tmp/plan-100k.json 5 policies/enterprise
#
# Generate the plan first: python3 bench/gen_plan.py --resources 100000 --seed 1 --out /tmp/plan-100k.json
# Exit status 1 of onus (findings) is expected and ignored.
set -eu
ONUS=${1:-build-bench/cli/onus}
PLAN=${2:-/tmp/plan-100k.json}
RUNS=${3:-5}
POLICY=${4:-policies/enterprise}
CMD="$ONUS check $POLICY --plan $PLAN --format json --output /dev/null"

echo "input: $PLAN ($(stat -c %s "$PLAN") bytes)"
echo "load before: $(uptime)"
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json /tmp/run-pipeline-hyperfine.json "$CMD"
python3 -c 'import json,sys; r=json.load(open("/tmp/run-pipeline-hyperfine.json"))["results"][0]; print("median %.3f s  user %.3f s  system %.3f s  times %s" % (r["median"], r["user"], r["system"], " ".join("%.3f" % t for t in r["times"])))'
rm -f /tmp/run-pipeline-hyperfine.json
for i in 1 2 3; do
  /usr/bin/time -v $CMD 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed|Exit status' | tr '\n' ' '
  echo
done
echo "load after: $(uptime)"
