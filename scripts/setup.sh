#!/usr/bin/env bash
# Installs what building and testing Onus needs on Debian 12 (bookworm).
# Idempotent: when every package is already installed it only checks and exits
# (about a second, no network). Runs apt-get as root, or through sudo when not root.
# usage: scripts/setup.sh
set -euo pipefail

packages=(
  # compilers and build tools
  g++ clang libclang-rt-14-dev cmake ninja-build
  # libraries
  tao-pegtl-dev libfmt-dev libboost-program-options-dev catch2 libsimdjson-dev libyaml-cpp-dev
  nlohmann-json3-dev
  # test tools: golden runner and report validation (python3, jsonschema, xmllint),
  # editor grammar test (node, npm), npm's registry over TLS (ca-certificates)
  python3 python3-jsonschema libxml2-utils nodejs npm ca-certificates git
)

# Packages that a command can stand in for: Node.js from another source (for
# example NodeSource's nodejs, which bundles npm and conflicts with Debian's
# npm package) is fine as long as `node` and `npm` run.
declare -A provided_by=([nodejs]=node [npm]=npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] && continue
  [[ -n ${provided_by[$p]:-} ]] && command -v "${provided_by[$p]}" >/dev/null 2>&1 && continue
  missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run this script as root (or install sudo) to install them" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
