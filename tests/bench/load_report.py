#!/usr/bin/python3
"""Turns the measurements of tests/bench/load.sh into its JSON lines, one per case.

Each line: {"case", "value", "unit", "baseline", "baseline_is", "ratio", "target", "met", ...}
followed by details (latency percentiles, status counts, the load's shape). `target` says
what `met` checks: "ratio >= 1.0", "value <= 10", "value == 0".

  load_report.py throughput CASE RESULT BASELINE BASELINE_IS TARGET_RATIO
  load_report.py decay CASE RESULT WINDOW_S TARGET_RATIO
  load_report.py give_ups CASE RESULT BASELINE_RESULT
  load_report.py open_p99 CASE RESULT TARGET_MS
  load_report.py ok_per_s RESULT            the measured OK answers a second
  load_report.py pgbench PROGRESS WARMUP_S  mean tx/s of `pgbench -P 1` after the warm-up

RESULT is the JSON object reformlog_load printed.
"""
import json
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def details(r):
    out = {
        "p50_ms": r["latency_ms"]["p50"],
        "p99_ms": r["latency_ms"]["p99"],
        "p999_ms": r["latency_ms"]["p999"],
        "status": r["status"],
        "workload": r["workload"],
        "mode": r["mode"],
        "clients": r["clients"],
        "agencies": r["agencies"],
        "duration_s": r["duration_s"],
        "generator_cpu_us_per_command": r["cpu_us_per_command"],
    }
    if r["workload"] == "mixed":
        out["by_command"] = r["by_command"]
    if r.get("examples"):
        out["examples"] = r["examples"]
    return out


def line(case, value, unit, baseline, baseline_is, ratio, target, met, extra):
    fields = {
        "case": case,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_is": baseline_is,
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
        "met": met,
    }
    fields.update(extra)
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def ratio_of(value, baseline):
    return value / baseline if baseline > 0 else 0.0


def throughput(case, path, baseline, baseline_is, target):
    r = load(path)
    value = round(r["ok_per_s"], 1)
    baseline = round(float(baseline), 1)
    ratio = ratio_of(value, baseline)
    target = float(target)
    line(case, value, "commands/s", baseline, baseline_is, ratio, f"ratio >= {target}",
         ratio >= target, details(r))


def decay(case, path, window_s, target):
    r = load(path)
    per_second = r["ok_per_second"]
    w = int(window_s)
    if len(per_second) < 2 * w:
        sys.exit(f"load_report.py: {path} has {len(per_second)} seconds, fewer than 2 x {w}")
    first = sum(per_second[:w]) / w
    last = sum(per_second[-w:]) / w
    ratio = ratio_of(last, first)
    target = float(target)
    extra = details(r)
    extra["ok_per_second"] = per_second
    line(case, round(last, 1), "commands/s (last %d s)" % w, round(first, 1),
         "the same run's first %d s" % w, ratio, f"ratio >= {target}", ratio >= target, extra)


def give_ups(case, path, baseline_path):
    r = load(path)
    b = load(baseline_path)
    value = r["status"].get("ABORTED", 0)
    baseline = b["status"].get("ABORTED", 0)
    extra = details(r)
    extra["sent"] = r["sent"]
    line(case, value, "commands ABORTED", baseline,
         "ABORTED in the same mix spread over %d agencies" % b["agencies"], None, "value == 0",
         value == 0, extra)


def open_p99(case, path, target_ms):
    r = load(path)
    value = r["latency_ms"]["p99"]
    target = float(target_ms)
    extra = details(r)
    extra["rate_per_s"] = r["rate_per_s"]
    extra["achieved_ok_per_s"] = r["ok_per_s"]
    extra["open_loop"] = r["open_loop"]
    line(case, value, "ms", None, None, None, f"value <= {target:g}", value <= target, extra)


def pgbench(progress_path, warmup_s):
    # progress: 3.0 s, 5021.9 tps, lat 12.734 ms stddev 3.105, 0 failed
    pattern = re.compile(r"^progress: ([0-9.]+) s, ([0-9.]+) tps")
    rates = []
    with open(progress_path, encoding="utf-8") as f:
        for text in f:
            m = pattern.match(text)
            if m and float(m.group(1)) > float(warmup_s):
                rates.append(float(m.group(2)))
    if not rates:
        sys.exit(f"load_report.py: no pgbench progress after {warmup_s} s in {progress_path}")
    print(round(sum(rates) / len(rates), 1))


def main(argv):
    commands = {
        "throughput": (throughput, 5),
        "decay": (decay, 4),
        "give_ups": (give_ups, 3),
        "open_p99": (open_p99, 3),
        "ok_per_s": (lambda path: print(load(path)["ok_per_s"]), 1),
        "pgbench": (pgbench, 2),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    fn, _ = commands[argv[1]]
    fn(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
