#!/usr/bin/env bash
# Builds onus (Release) and runs the main job on the bundled example: `onus check`
# over the embedded standard library and the example policy policies/enterprise.
# usage: scripts/run-example.sh [POLICY...]   (default: policies/enterprise)
# Environment: ONUS_BUILD_PREFIX (default build) names the build directory,
# JOBS (default 2) the parallel build jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ONUS_BUILD_PREFIX:-build}
jobs=${JOBS:-2}
[[ $# -gt 0 ]] || set -- policies/enterprise

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$build" -j"$jobs" onus
echo "\$ $build/cli/onus check $*"
"$build/cli/onus" check "$@"
