// Project performance self-evaluation (绩效自评, DOMAIN.md §5): each project of a budget book
// scored from its budget execution and its indicators' latest actuals, under a locality's
// weights, and graded. Pure functions of readmodel.v1.BudgetBook entities; no clock, no I/O.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PERFORMANCE_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PERFORMANCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "projections/budget/budget_amounts.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

// Scores are kept in hundredths of a point (9948 = 99.48 points).
inline constexpr int64_t kCentipointsPerPoint = 100;
// A score's scale: weights sum to this many points.
inline constexpr int64_t kScorePointsTotal = 100;

// Self-evaluation weights and grade thresholds, in points (DOMAIN.md §5: varies by locality).
struct PerformanceWeights {
  int64_t budget_execution = 10;
  int64_t outputs = 50;        // 产出指标
  int64_t benefits = 30;       // 效益指标
  int64_t satisfaction = 10;   // 满意度指标
  int64_t excellent_min = 90;  // 优 at or above
  int64_t good_min = 80;       // 良 at or above
  int64_t pass_min = 60;       // 中 at or above; 差 below
};

// INVALID_ARGUMENT naming `field`.<member>: weights 0–kScorePointsTotal summing to
// kScorePointsTotal; 0 ≤ pass_min ≤ good_min ≤ excellent_min ≤ kScorePointsTotal.
absl::Status ValidateWeights(const PerformanceWeights& weights, absl::string_view field);

enum class Grade { kExcellent, kGood, kPass, kFail };
std::string GradeLabel(Grade grade);  // 优, 良, 中, 差

struct IndicatorResult {
  dpb::PerformanceIndicator indicator;
  bool recorded = false;  // an actual is recorded
  dpb::IndicatorActual actual;
  bool met = false;  // recorded and met (numeric: judged from the target when recorded)
};

struct LevelScore {
  dpb::IndicatorLevel1 level = dpb::INDICATOR_LEVEL1_UNSPECIFIED;
  int64_t weight = 0;
  int indicators = 0;
  int met = 0;
  int64_t centipoints = 0;
};

// Scoring (all integer; each component truncated to 0.01 point, the score is their sum, so
// the points shown add up to the score shown):
//   budget execution: weight × min(1, executed / budget) of the project's lines; 0 when the
//     project's budget is 0.
//   each indicator level (产出, 效益, 满意度): weight × met / indicators, where `met` counts the
//     level's indicators whose latest actual is recorded and met (an indicator with no actual
//     is not met). A level without indicators earns 0 — set its weight to 0 and give its
//     points to another level where a locality rules so.
//   grade: 优 ≥ excellent_min, 良 ≥ good_min, 中 ≥ pass_min, else 差 (points, inclusive).
struct ProjectPerformance {
  std::string project_id;
  std::string name;
  Amounts amounts;  // the project's lines
  Ratio execution_rate;
  std::vector<IndicatorResult> indicators;  // as defined
  int64_t execution_centipoints = 0;
  std::vector<LevelScore> levels;  // 产出, 效益, 满意度
  int64_t score_centipoints = 0;
  Grade grade = Grade::kFail;
};

// Every project of the book, by id. INVALID_ARGUMENT for bad weights (field "weights");
// OUT_OF_RANGE as budget_amounts.h describes.
absl::StatusOr<std::vector<ProjectPerformance>> EvaluatePerformance(
    const rm::BudgetBook& book, const PerformanceWeights& weights);

// A score's canonical text, in points with two decimals.
std::string FormatCentipoints(int64_t centipoints);  // 9948 → "99.48"

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PERFORMANCE_H_
