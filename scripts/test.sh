#!/usr/bin/env bash
# Runs every test of Onus:
#   1. Release build (g++), all ctest tests (unit, golden, script tests);
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build (g++, -DONUS_SANITIZE=ON,
#      RelWithDebInfo), the same ctest tests;
#   3. libFuzzer build (clang++, -DONUS_FUZZ=ON): the parser and expression fuzzers
#      run on a copy of the seed corpus with the dictionary (FUZZ_SECONDS, default 30,
#      split between the two).
# Ends with ONE plain line `N passed, N failed`: the ctest counts of both builds
# plus 1 for the fuzz run. Exits non-zero when anything failed (a failed configure
# or build counts as one failure).
#
# usage: scripts/test.sh
# Environment: ONUS_BUILD_PREFIX (default build): build directories are PREFIX,
# PREFIX-asan and PREFIX-fuzz; JOBS (default 2); FUZZ_SECONDS (default 30);
# SKIP_ASAN=1 / SKIP_FUZZ=1 leave a stage out (for quick local runs only).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
prefix=${ONUS_BUILD_PREFIX:-build}
jobs=${JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-30}
passed=0
failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

stage() { printf '\n=== %s\n' "$*"; }

# configure_and_build DIR TARGET... -- CMAKE_ARGS...; returns non-zero on failure.
configure_and_build() {
  local dir=$1; shift
  local targets=()
  while [[ $# -gt 0 && $1 != -- ]]; do targets+=("$1"); shift; done
  shift
  cmake -S "$root" -B "$dir" -G Ninja "$@" >"$logs/cmake.log" 2>&1 || { cat "$logs/cmake.log"; return 1; }
  ninja -C "$dir" -j"$jobs" "${targets[@]}"
}

# run_ctest DIR: runs ctest and adds its counts to passed/failed. A test that
# runs away fails on its time limit (1500 s: the 50 MB parse under sanitizers
# on a busy machine needs minutes); in the sanitizer build also on its memory
# (ASAN_OPTIONS=hard_rss_limit_mb). No ulimit -v: Node's WebAssembly (editor
# grammar test) reserves more address space than any sensible limit.
run_ctest() {
  local dir=$1 log="$logs/ctest.log"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$jobs" --timeout 1500 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[1]))
    if [[ $rc -ne 0 && ${BASH_REMATCH[1]} -eq 0 ]]; then failed=$((failed + 1)); fi
  else
    echo "test.sh: ctest in $dir printed no summary (exit $rc)" >&2
    failed=$((failed + 1))
  fi
}

# ------------------------------------------------------------------ 1. Release
stage "Release build ($prefix)"
if configure_and_build "$prefix" -- -DCMAKE_BUILD_TYPE=Release -DONUS_TESTS=ON -DONUS_SANITIZE=OFF -DONUS_FUZZ=OFF; then
  stage "Release tests"
  run_ctest "$prefix"
else
  echo "test.sh: the Release build failed" >&2
  failed=$((failed + 1))
fi

# ------------------------------------------------------------------ 2. ASan + UBSan
if [[ ${SKIP_ASAN:-0} != 1 ]]; then
  stage "AddressSanitizer + UndefinedBehaviorSanitizer build ($prefix-asan)"
  if configure_and_build "$prefix-asan" -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DONUS_TESTS=ON -DONUS_SANITIZE=ON -DONUS_FUZZ=OFF; then
    stage "AddressSanitizer + UndefinedBehaviorSanitizer tests"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:hard_rss_limit_mb=8192} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
      run_ctest "$prefix-asan"
  else
    echo "test.sh: the sanitizer build failed" >&2
    failed=$((failed + 1))
  fi
fi

# ------------------------------------------------------------------ 3. libFuzzer
if [[ ${SKIP_FUZZ:-0} != 1 ]]; then
  stage "libFuzzer build ($prefix-fuzz, clang++)"
  fuzz_ok=1
  if CXX=${FUZZ_CXX:-clang++} configure_and_build "$prefix-fuzz" fuzz_parser fuzz_expression -- \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DONUS_TESTS=OFF -DONUS_SANITIZE=OFF -DONUS_FUZZ=ON; then
    work="$prefix-fuzz/corpus-work"
    parser_seconds=$(( fuzz_seconds * 2 / 3 ))
    expression_seconds=$(( fuzz_seconds - parser_seconds ))
    for spec in "fuzz_parser:$parser_seconds" "fuzz_expression:$expression_seconds"; do
      target=${spec%%:*}
      seconds=${spec##*:}
      stage "$target for ${seconds}s"
      rm -rf "$work/$target" "$work/$target-artifacts"
      mkdir -p "$work/$target" "$work/$target-artifacts"
      cp fuzz/corpus/* "$work/$target/"
      if ! "$prefix-fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -max_len=4096 -dict=fuzz/onus.dict -print_final_stats=1 \
          -artifact_prefix="$work/$target-artifacts/" "$work/$target" >"$logs/fuzz.log" 2>&1; then
        tail -n 60 "$logs/fuzz.log"
        echo "test.sh: $target failed; the input is in $work/$target-artifacts/" >&2
        fuzz_ok=0
      else
        grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|Done [0-9]+ runs)' "$logs/fuzz.log" || true
      fi
    done
  else
    echo "test.sh: the fuzzer build failed" >&2
    fuzz_ok=0
  fi
  if [[ $fuzz_ok -eq 1 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

echo
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
