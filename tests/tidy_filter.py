#!/usr/bin/python3
"""Reads run-clang-tidy's output on stdin; fails on any finding not listed in the exceptions.

Usage: run-clang-tidy ... | tests/tidy_filter.py ROOT EXCEPTIONS [CHECKED]

Every finding is an error (.clang-tidy: WarningsAsErrors '*'). EXCEPTIONS lists, one per
line, `path check` pairs (path from ROOT) whose findings are tolerated until the file is
fixed; an exception that no longer matches any finding is itself an error, so the list only
shrinks. CHECKED, when given, lists the files that were checked (tests/tidy_files.py): an
exception in a file not among them is not expected to fire. A compiler error, or clang-tidy
failing on a file, always fails.
"""
import re
import sys

FINDING = re.compile(r"^(?P<path>/[^:]+):(?P<line>\d+):(?P<col>\d+): (?:error|warning): "
                     r"(?P<message>.*) \[(?P<checks>[^\]]+)\]$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def read_exceptions(path):
    exceptions = set()
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line:
                file, check = line.split()
                exceptions.add((file, check))
    return exceptions


def main():
    root, exceptions_path = sys.argv[1].rstrip("/") + "/", sys.argv[2]
    exceptions = read_exceptions(exceptions_path)
    expected = exceptions
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            checked = {line.strip()[len(root):] for line in f if line.startswith(root)}
        expected = {(path, check) for path, check in exceptions if path in checked}
    used = set()
    failures = []  # (location, message, check), each reported once though headers recur
    seen = set()
    hard_errors = []
    for raw in sys.stdin:
        line = ANSI.sub("", raw.rstrip("\n"))
        m = FINDING.match(line)
        if m:
            path = m["path"][len(root):] if m["path"].startswith(root) else m["path"]
            checks = [c for c in m["checks"].split(",") if c != "-warnings-as-errors"]
            tolerated = [c for c in checks if (path, c) in exceptions]
            if tolerated:
                used.update((path, c) for c in tolerated)
                continue
            key = (path, m["line"], m["col"], ",".join(checks))
            if key not in seen:
                seen.add(key)
                failures.append(f"{path}:{m['line']}:{m['col']}: {m['message']} [{','.join(checks)}]")
        elif (line.startswith(("Error while processing", "Stack dump:", "PLEASE submit"))
              or re.match(r"^\S+: error: ", line)):
            hard_errors.append(line)
    stale = sorted(expected - used)
    for f in failures:
        print(f)
    for e in hard_errors:
        print(e)
    for path, check in stale:
        print(f"{exceptions_path}: stale exception, nothing found: {path} {check}")
    if failures or hard_errors or stale:
        print(f"clang-tidy: {len(failures)} finding(s), {len(hard_errors)} error(s), "
              f"{len(stale)} stale exception(s)")
        return 1
    print(f"clang-tidy: clean ({len(used)} listed exception(s) still found)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
