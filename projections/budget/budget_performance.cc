#include "projections/budget/budget_performance.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "projections/budget/budget_summary.h"

namespace reformlog::projections {
namespace {

// weight × numerator / denominator in centipoints, truncated; 0 ≤ numerator ≤ denominator.
int64_t Centipoints(int64_t weight, int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return 0;
  const absl::int128 scaled = absl::int128(weight) * kCentipointsPerPoint * numerator;
  return static_cast<int64_t>(scaled / denominator);
}

}  // namespace

absl::Status ValidateWeights(const PerformanceWeights& w, absl::string_view field) {
  const std::pair<const char*, int64_t> weights[] = {{"budget_execution", w.budget_execution},
                                                     {"outputs", w.outputs},
                                                     {"benefits", w.benefits},
                                                     {"satisfaction", w.satisfaction}};
  int64_t sum = 0;
  for (const auto& [name, points] : weights) {
    if (points < 0 || points > kScorePointsTotal) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".", name, " ", points, " is outside 0–", kScorePointsTotal, " points"));
    }
    sum += points;
  }
  if (sum != kScorePointsTotal) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": budget_execution ", w.budget_execution, " + outputs ", w.outputs,
                     " + benefits ", w.benefits, " + satisfaction ", w.satisfaction, " = ", sum,
                     " points; the weights sum to ", kScorePointsTotal));
  }
  const std::pair<const char*, int64_t> thresholds[] = {
      {"pass_min", w.pass_min}, {"good_min", w.good_min}, {"excellent_min", w.excellent_min}};
  int64_t floor = 0;
  for (const auto& [name, points] : thresholds) {
    if (points < floor || points > kScorePointsTotal) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".", name, " ", points, " is outside ", floor, "–", kScorePointsTotal,
                       " (0 ≤ pass_min ≤ good_min ≤ excellent_min ≤ ", kScorePointsTotal, ")"));
    }
    floor = points;
  }
  return absl::OkStatus();
}

std::string GradeLabel(Grade grade) {
  switch (grade) {
    case Grade::kExcellent:
      return "优";
    case Grade::kGood:
      return "良";
    case Grade::kPass:
      return "中";
    case Grade::kFail:
      return "差";
  }
  return "";
}

absl::StatusOr<std::vector<ProjectPerformance>> EvaluatePerformance(
    const rm::BudgetBook& book, const PerformanceWeights& weights) {
  if (absl::Status s = ValidateWeights(weights, "weights"); !s.ok()) return s;
  absl::StatusOr<BudgetSummary> summary =
      SummarizeBudget(book, AgencyProfile(), SummaryLines::kOmit);
  if (!summary.ok()) return summary.status();
  std::map<std::string, const Amounts*> amounts;
  for (const ProjectAmounts& p : summary->by_project) amounts[p.project_id] = &p.amounts;
  const std::pair<dpb::IndicatorLevel1, int64_t> levels[] = {
      {dpb::OUTPUT_INDICATORS, weights.outputs},
      {dpb::BENEFIT_INDICATORS, weights.benefits},
      {dpb::SATISFACTION_INDICATORS, weights.satisfaction}};
  std::vector<ProjectPerformance> out;
  for (const rm::ProjectRecord& record : book.projects()) {
    ProjectPerformance p;
    p.project_id = record.project_id();
    p.name = record.name();
    if (auto it = amounts.find(p.project_id); it != amounts.end()) p.amounts = *it->second;
    absl::StatusOr<Ratio> rate = ExecutionRate(p.amounts, absl::StrCat("project ", p.project_id));
    if (!rate.ok()) return rate.status();
    p.execution_rate = *rate;
    if (p.amounts.budget_fen > 0) {
      const int64_t executed =
          std::clamp<int64_t>(p.amounts.disbursed_fen, 0, p.amounts.budget_fen);
      p.execution_centipoints =
          Centipoints(weights.budget_execution, executed, p.amounts.budget_fen);
    }
    std::map<std::string, const dpb::IndicatorActual*> actuals;
    for (const dpb::IndicatorActual& a : record.actuals()) actuals[a.indicator_id()] = &a;
    for (const dpb::PerformanceIndicator& indicator : record.indicators()) {
      IndicatorResult r;
      r.indicator = indicator;
      if (auto it = actuals.find(indicator.indicator_id()); it != actuals.end()) {
        r.recorded = true;
        r.actual = *it->second;
        r.met = it->second->met();
      }
      p.indicators.push_back(std::move(r));
    }
    p.score_centipoints = p.execution_centipoints;
    for (const auto& [level, weight] : levels) {
      LevelScore score;
      score.level = level;
      score.weight = weight;
      for (const IndicatorResult& r : p.indicators) {
        if (r.indicator.level1() != level) continue;
        ++score.indicators;
        if (r.met) ++score.met;
      }
      score.centipoints = Centipoints(weight, score.met, score.indicators);
      p.score_centipoints += score.centipoints;
      p.levels.push_back(score);
    }
    const int64_t score = p.score_centipoints;
    p.grade = score >= weights.excellent_min * kCentipointsPerPoint ? Grade::kExcellent
              : score >= weights.good_min * kCentipointsPerPoint    ? Grade::kGood
              : score >= weights.pass_min * kCentipointsPerPoint    ? Grade::kPass
                                                                    : Grade::kFail;
    out.push_back(std::move(p));
  }
  return out;
}

std::string FormatCentipoints(int64_t centipoints) { return FormatFen(centipoints); }

}  // namespace reformlog::projections
