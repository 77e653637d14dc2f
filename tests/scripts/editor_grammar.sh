#!/usr/bin/env bash
# Editor support: tokenizes every .onus file of the repository with the VS Code
# TextMate grammar (editors/vscode/syntaxes/onus.tmLanguage.json) and checks the
# grammar's and the Vim syntax's keyword lists against docs/language.md.
# See editors/test/tokenize.js. $1 (the onus binary) is not used.
set -u
cd "$(dirname "$0")/../../editors/test" || exit 1
if ! command -v node >/dev/null 2>&1; then
  echo "editor_grammar: node is not installed; install Node.js 18 or newer (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "editor_grammar: npm is not installed (Debian: apt-get install npm)" >&2
  exit 1
fi
(npm ci --no-audit --no-fund || exit 1) && node tokenize.js
