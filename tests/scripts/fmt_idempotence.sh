#!/usr/bin/env bash
# onus fmt on every .onus file of the repository (tracked and untracked, build
# directories skipped) and on the fuzz corpus, when there is one:
#   - the file must already be formatted (`onus fmt --check`), except test
#     fixtures under tests/, which may be written in any layout on purpose;
#   - formatting is idempotent: formatting the formatted text changes nothing;
#   - formatting keeps the meaning: `onus parse` dumps before and after are equal
#     once spans are stripped (and trailing blanks of comments, which fmt removes).
# Files with syntax errors are skipped (fmt refuses them with exit 2).
# Usage, from the repository root: tests/scripts/fmt_idempotence.sh path/to/onus
set -u
onus=${1:?usage: fmt_idempotence.sh ONUS}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0
checked=0
skipped=0

fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

# The tree without positions: spans and the trailing blanks of comments removed.
tree() {
  "$onus" parse "$1" 2>/dev/null |
    sed -E -e 's/ @[0-9]+:[0-9]+-[0-9]+:[0-9]+//' -e '/^comment /s/( |\\t)+"$/"/'
}

# check_file FILE MUST_BE_FORMATTED(yes|no)
check_file() {
  local file=$1 must_be_formatted=$2
  "$onus" fmt -- "$file" >"$tmp/once.onus" 2>"$tmp/err"
  local code=$?
  if [ $code -eq 2 ]; then
    skipped=$((skipped + 1))  # syntax errors: fmt leaves the file alone
    return
  fi
  checked=$((checked + 1))
  if [ $code -ne 0 ]; then
    fail "$file" "onus fmt exited $code: $(head -3 "$tmp/err")"
    return
  fi
  if ! "$onus" fmt - <"$tmp/once.onus" >"$tmp/twice.onus" 2>"$tmp/err"; then
    fail "$file" "the formatted text does not format: $(head -3 "$tmp/err")"
    return
  fi
  if ! cmp -s "$tmp/once.onus" "$tmp/twice.onus"; then
    fail "$file" "not idempotent (formatting the formatted text changes it):"
    diff -u "$tmp/once.onus" "$tmp/twice.onus" | head -20
  fi
  tree "$file" >"$tmp/before.tree"
  tree "$tmp/once.onus" >"$tmp/after.tree"
  if ! cmp -s "$tmp/before.tree" "$tmp/after.tree"; then
    fail "$file" "formatting changed the syntax tree:"
    diff -u "$tmp/before.tree" "$tmp/after.tree" | head -20
  fi
  if [ "$must_be_formatted" = yes ] && ! "$onus" fmt --check -- "$file" >"$tmp/diff" 2>&1; then
    fail "$file" "not formatted (run: onus fmt --write $file):"
    head -20 "$tmp/diff"
  fi
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files --cached --others --exclude-standard -- '*.onus' | grep -v '^build' | sort -u >"$tmp/files"
else
  find . -name '*.onus' -not -path './build*' | sed 's|^\./||' | sort >"$tmp/files"
fi
while IFS= read -r file; do
  [ -f "$file" ] || continue  # deleted but still in the index
  case $file in
    fuzz/*) ;;  # the fuzz corpus is checked below
    tests/*) check_file "$file" no ;;  # test fixtures: any layout, on purpose
    *) check_file "$file" yes ;;
  esac
done <"$tmp/files"

if [ -d fuzz/corpus ]; then
  while IFS= read -r -d '' file; do
    check_file "$file" no
  done < <(find fuzz/corpus -type f -print0 | sort -z)
fi

echo "fmt_idempotence: $checked files checked, $skipped skipped (syntax errors), $failures failures"
[ $failures -eq 0 ]
