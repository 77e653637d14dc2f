#!/usr/bin/env bash
# `onus test --format junit` validates against the strict windyroad JUnit schema
# (tests/data/schemas/junit.xsd) with xmllint: passing, failing and empty runs,
# with and without coverage properties, and with the current time as timestamp.
# Also checks that the validator rejects a broken document (a check that never
# fails proves nothing). $1 is the onus binary; runs from the repository root.
set -u
onus="${1:?usage: test_junit.sh ONUS}"
schema="tests/data/schemas/junit.xsd"
if ! command -v xmllint >/dev/null; then
  echo "test_junit: xmllint not found (apt-get install libxml2-utils)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # name, expected exit, onus arguments...
  local name="$1" expected="$2"
  shift 2
  "$onus" test "$@" --format junit >"$work/$name.xml" 2>"$work/$name.err"
  local code=$?
  if [[ $code -ne $expected ]]; then
    echo "test_junit: FAIL $name: exit $code, expected $expected" >&2
    cat "$work/$name.err" >&2
    failures=$((failures + 1))
  fi
  if ! xmllint --noout --schema "$schema" "$work/$name.xml" 2>"$work/$name.xmllint"; then
    echo "test_junit: FAIL $name: not valid against $schema" >&2
    cat "$work/$name.xmllint" >&2
    failures=$((failures + 1))
  fi
}
unset ONUS_TIMESTAMP SOURCE_DATE_EPOCH
check pass 0 tests/data/test/pass
check fail 1 tests/data/test/fail
check coverage 0 tests/data/test/pass --coverage
check empty 0 tests/data/test/empty --allow-empty
check stdlib 0 policies/startup --stdlib --coverage
ONUS_TIMESTAMP=2026-01-02T03:04:05 check fixed_time 1 tests/data/test/fail
SOURCE_DATE_EPOCH=1700000000 check epoch 0 tests/data/test/pass

# Reproducible: the same input gives the same bytes.
ONUS_TIMESTAMP=2026-01-02T03:04:05 "$onus" test tests/data/test/fail --format junit >"$work/a.xml" 2>/dev/null
ONUS_TIMESTAMP=2026-01-02T03:04:05 "$onus" test tests/data/test/fail --format junit >"$work/b.xml" 2>/dev/null
if ! cmp -s "$work/a.xml" "$work/b.xml"; then
  echo "test_junit: FAIL output is not reproducible with ONUS_TIMESTAMP" >&2
  failures=$((failures + 1))
fi

# The schema check must be able to fail: drop the required hostname attribute.
sed 's/ hostname="localhost"//' "$work/fail.xml" >"$work/broken.xml"
if xmllint --noout --schema "$schema" "$work/broken.xml" 2>/dev/null; then
  echo "test_junit: FAIL xmllint accepted a testsuite without hostname" >&2
  failures=$((failures + 1))
fi

if [[ $failures -ne 0 ]]; then
  echo "test_junit: $failures failure(s)" >&2
  exit 1
fi
echo "test_junit: ok"
