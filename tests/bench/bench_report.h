// What readmodel_bench reports: one JSON object per case on stdout, kept to be appended to a
// file at the end (--json-out), and the process CPU clock the per-event cases measure with.
// Not thread-safe: the benchmark's main thread reports.
#ifndef REFORMLOG_TESTS_BENCH_BENCH_REPORT_H_
#define REFORMLOG_TESTS_BENCH_BENCH_REPORT_H_

#include <string>

namespace reformlog::bench {

// Prints {"name", "value", "unit", "baseline", "ratio": value/baseline} and keeps it.
void Emit(const std::string& name, double value, const std::string& unit, double baseline);

// Appends every line emitted so far to `path` (nothing when `path` is empty).
void WriteJson(const std::string& path);

// CPU time of the whole process (every thread), in seconds.
double ProcessCpuSeconds();

}  // namespace reformlog::bench

#endif  // REFORMLOG_TESTS_BENCH_BENCH_REPORT_H_
