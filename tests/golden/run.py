#!/usr/bin/env python3
"""Golden test runner.

A golden file starts with the command line, then the expected output:

    $ onus who aws.ec2 guest_os
    --- stdout
    ...
    --- stderr
    ...
    --- exit 0

The command runs from the repository root with NO_COLOR=1, without ONUS_PATH,
and with a fixed clock (ONUS_TODAY, ONUS_TIMESTAMP), so that output is deterministic. Lines `$ env NAME=VALUE` before the
command line set variables. `--update` rewrites the expectation in place.
"""
import argparse
import difflib
import os
import shlex
import subprocess
import sys


def parse(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    env = {}
    stdin = None
    i = 0
    while i < len(lines) and lines[i].startswith("$ env "):
        name, _, value = lines[i][len("$ env "):].partition("=")
        env[name] = value
        i += 1
    if i < len(lines) and lines[i].startswith("$ stdin "):
        stdin = lines[i][len("$ stdin "):]
        i += 1
    if i >= len(lines) or not lines[i].startswith("$ onus"):
        sys.exit(f"{path}: the first line must be '$ onus ARGS'")
    return env, stdin, lines[: i + 1], shlex.split(lines[i][2:])[1:]


def render(stdout, stderr, code):
    def block(name, text):
        if text and not text.endswith("\n"):
            text += "\n<no newline at end>\n"
        return f"--- {name}\n{text}"
    return block("stdout", stdout) + block("stderr", stderr) + f"--- exit {code}\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onus", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("golden", nargs="+")
    args = ap.parse_args()
    failed = 0
    for path in args.golden:
        env_extra, stdin, header, argv = parse(path)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONUS_") and k != "GITHUB_STEP_SUMMARY"}
        env["NO_COLOR"] = "1"
        # Fixed clock: waiver expiry and report timestamps must not change with the date.
        env["ONUS_TODAY"] = "2026-11-23"
        env["ONUS_TIMESTAMP"] = "2026-11-23T12:00:00"
        env.update(env_extra)
        stdin_data = None
        if stdin is not None:
            with open(stdin, "rb") as f:
                stdin_data = f.read()
        proc = subprocess.run([args.onus] + argv, input=stdin_data, capture_output=True, env=env, timeout=120)
        actual = render(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"), proc.returncode)
        with open(path, encoding="utf-8") as f:
            content = f.read()
        expected = content.split("\n", len(header))[-1] if content.count("\n") >= len(header) else ""
        if args.update:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(header) + "\n" + actual)
            continue
        if actual != expected:
            failed += 1
            print(f"FAIL {path}")
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), "expected", "actual"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
