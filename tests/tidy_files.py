#!/usr/bin/python3
"""Prints the translation units tests/run.sh's tidy phase checks, one absolute path a line.

Usage: tests/tidy_files.py ROOT BUILD_DIR BASELINE_FILE [--all]

clang-tidy costs ~20 CPU-seconds a file here (it walks the whole AST of the gRPC and protobuf
headers each file includes), so checking all ~190 files of ours takes ~48 minutes on two cores:
more than the whole of tests/run.sh may take. BASELINE_FILE names the last commit at which a
full run (`tests/run.sh --only tidy --all`) was clean; a plain run checks only

  - the files of ours changed since that commit (committed, staged, unstaged or untracked), and
  - for every changed header, the files that include it, directly or through other headers
    of ours (a header's findings are reported through the files that include it),

which is everything a finding can have appeared in since. Everything is checked instead when there
is no baseline, the baseline commit is not in this clone's history, or what decides the
findings changed (.clang-tidy, the toolchain files, this script): a run with --all that is
clean is the moment to move the baseline (the README, Tests, says how).

Prints to stderr one line saying which set was chosen and why.
"""
import json
import os
import re
import subprocess
import sys

OURS = re.compile(r"^(base|eventstore|domain|projections|services|clients|tests)/")
SOURCE = re.compile(r"\.(cc|cpp)$")
HEADER = re.compile(r"\.(h|hpp)$")
# A change to any of these can change the findings in files that did not change.
RULES = ("CMakeLists.txt", ".clang-tidy", "cmake/", "tests/tidy_files.py")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def git(root, *args):
    return subprocess.run(["git", "-C", root, *args], check=True, capture_output=True,
                          text=True).stdout


def all_units(root, build_dir):
    with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as f:
        entries = json.load(f)
    units = set()
    for entry in entries:
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        rel = os.path.relpath(path, root)
        if OURS.match(rel) and SOURCE.search(rel):
            units.add(rel)
    return units


def changed_since(root, baseline):
    changed = set(git(root, "diff", "--name-only", baseline).split())
    changed.update(git(root, "ls-files", "--others", "--exclude-standard").split())
    return changed


def includes_of(root, path):
    try:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            return set(INCLUDE.findall(f.read()))
    except OSError:
        return set()


def includers(root, units, headers):
    """The units that include one of `headers`, directly or through headers of ours."""
    ours = git(root, "ls-files").split()
    header_includes = {h: includes_of(root, h) for h in ours if OURS.match(h) and HEADER.search(h)}
    reached = set(headers)
    grew = True
    while grew:  # every header of ours that includes a reached one is reached
        grew = False
        for header, included in header_includes.items():
            if header not in reached and included & reached:
                reached.add(header)
                grew = True
    return {unit for unit in units if includes_of(root, unit) & reached}


def choose(root, build_dir, baseline_file, everything):
    units = all_units(root, build_dir)
    if everything:
        return units, "--all"
    try:
        with open(baseline_file, encoding="utf-8") as f:
            baseline = next((line.split()[0] for line in f
                             if line.strip() and not line.startswith("#")), "")
    except OSError:
        baseline = ""
    if not baseline:
        return units, f"no baseline commit in {baseline_file}"
    try:
        git(root, "cat-file", "-e", f"{baseline}^{{commit}}")
        changed = changed_since(root, baseline)
    except subprocess.CalledProcessError:
        return units, f"baseline {baseline[:12]} is not in this clone's history"
    rules = sorted(c for c in changed if c.startswith(RULES))
    if rules:
        return units, f"{', '.join(rules)} changed since the baseline {baseline[:12]}"
    chosen = {c for c in changed if c in units}
    headers = {c for c in changed if OURS.match(c) and HEADER.search(c)}
    chosen |= includers(root, units, headers)
    return chosen, (f"{len(chosen)} of {len(units)} files: changed since the baseline "
                    f"{baseline[:12]}, or including a header that did")


def main():
    if len(sys.argv) not in (4, 5) or (len(sys.argv) == 5 and sys.argv[4] != "--all"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root, build_dir, baseline_file = (os.path.abspath(a) for a in sys.argv[1:4])
    units, why = choose(root, build_dir, baseline_file, len(sys.argv) == 5)
    print(f"clang-tidy over {len(units)} file(s): {why}", file=sys.stderr)
    for unit in sorted(units):
        print(os.path.join(root, unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
