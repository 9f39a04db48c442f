#include "tests/bench/bench_report.h"

#include <time.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "absl/strings/str_format.h"

namespace reformlog::bench {
namespace {

std::vector<std::string> g_lines;

}  // namespace

void Emit(const std::string& name, double value, const std::string& unit, double baseline) {
  const std::string line = absl::StrFormat(
      R"({"name": "%s", "value": %.0f, "unit": "%s", "baseline": %.0f, "ratio": %.3f})", name,
      value, unit, baseline, baseline > 0 ? value / baseline : 0.0);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  g_lines.push_back(line);
}

void WriteJson(const std::string& path) {
  if (path.empty()) return;
  std::ofstream out(path, std::ios::app);
  for (const std::string& line : g_lines) out << line << "\n";
}

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace reformlog::bench
