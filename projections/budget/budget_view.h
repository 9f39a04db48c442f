// Queries over the budget read model (budget_projection.h): an agency's budget for a year line by
// line and rolled up every way the 部门决算 reports it, the 收入支出决算总表 with the identities of
// DOMAIN.md §4 checked, year-over-year change, and project performance (DOMAIN.md §5). Pure
// functions of readmodel.v1.BudgetBook entities; no clock, no I/O — but for BudgetSummaryCache,
// a bounded, thread-safe cache of roll-ups per book, maintained as the book moves on.
//
// Money is int64 fen throughout. Sums are checked: a sum beyond the int64 range, or a line total
// beyond the write side's limit ±kAmountFenMax (which only a log not written by budget_decide can
// hold), is OUT_OF_RANGE naming the figure and the numbers — never a wrapped value. Ratios are
// exact (numerator / denominator) with basis points derived from them by integer arithmetic.
//
// Definitions (one value per metric, wherever it is quoted):
//   本年收入 of a line = appropriated + adjusted + income (财政拨款 lines arrive by appropriation
//                        and adjustment, every other line by income — never both).
//   budget of a line   = 本年收入 + carried in (年初结转和结余): everything the line may spend.
//   executed           = disbursed (本年支出).
//   available          = budget − disbursed − carried out (年末结转和结余).
//   execution rate     = executed / budget; undefined when budget = 0.
//   basis points       = the ratio × 10 000, rounded half away from zero (9742 bp = 97.42%).
// Roll-ups are sums over lines, so Σ of the rows of one level = the total, exactly:
//   by function code, rows at 类 (3 digits), 款 (5) and 项 (7). A line coded above a level (a
//   款-coded line at the 项 level) appears there under its own code, marked `undivided`, so
//   Σ 项 of a 款 = the 款 and Σ 款 of a 类 = the 类 hold also for such lines. Same by economic
//   code at 类 (3) and 款 (5).
//   人员经费 = basic lines of economic 类 301 + 303; 公用经费 = basic lines of 302 + 310 (DOMAIN.md
//   §4); basic lines of any other 类 are `basic_other`, so 基本支出 = 人员经费 + 公用经费 holds
//   exactly when that is empty, and FinalAccountsOf reports the identity as broken otherwise.
//   三公经费 = 财政拨款 lines (basic or project) of the economic codes below.
//   机关运行经费 = 公用经费 of an agency that is a 行政单位 (any 党政机关 kind) or 参公; otherwise
//   not applicable.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_VIEW_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_VIEW_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

// Digits of each level of the functional classification (支出功能分类): 类, 款, 项.
inline constexpr size_t kFunctionClassDigits = 3;
inline constexpr size_t kFunctionSegmentDigits = 5;
inline constexpr size_t kFunctionItemDigits = 7;
// Digits of each level of the economic classification (部门预算支出经济分类): 类, 款.
inline constexpr size_t kEconomicClassDigits = 3;
inline constexpr size_t kEconomicSegmentDigits = 5;

// 基本支出 by economic 类 (DOMAIN.md §4): 人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助;
// 公用经费 = 302 商品和服务支出 + 310 资本性支出.
inline constexpr std::array<absl::string_view, 2> kPersonnelEconomicClasses = {"301", "303"};
inline constexpr std::array<absl::string_view, 2> kPublicUseEconomicClasses = {"302", "310"};

// 三公经费 economic 款 (部门预算支出经济分类科目; the seed's glossary, item 12: paid from
// 财政拨款): 因公出国(境)费用, 公务用车购置, 公务用车运行维护费, 公务接待费.
inline constexpr char kOverseasTripsEconomicCode[] = "30212";
inline constexpr char kVehiclePurchaseEconomicCode[] = "31013";
inline constexpr char kVehicleOperationEconomicCode[] = "30231";
inline constexpr char kReceptionEconomicCode[] = "30217";

inline constexpr int64_t kBasisPointsPerUnit = 10'000;
// Scores are kept in hundredths of a point (9948 = 99.48 points).
inline constexpr int64_t kCentipointsPerPoint = 100;
// A score's scale: weights sum to this many points.
inline constexpr int64_t kScorePointsTotal = 100;

// The sums of a set of lines (see the definitions above).
struct Amounts {
  int64_t appropriated_fen = 0;
  int64_t adjusted_fen = 0;
  int64_t income_fen = 0;
  int64_t carried_in_fen = 0;
  int64_t disbursed_fen = 0;
  int64_t carried_out_fen = 0;
  int64_t current_income_fen = 0;  // 本年收入: appropriated + adjusted + income
  int64_t budget_fen = 0;          // 本年收入 + carried in
  int64_t available_fen = 0;       // budget − disbursed − carried out

  bool operator==(const Amounts&) const = default;
};

// Adds `part` to `total`, field by field; OUT_OF_RANGE naming `what` (and leaving `total`
// unchanged) when any field would leave the int64 range.
absl::Status AddAmounts(Amounts& total, const Amounts& part, absl::string_view what);

// numerator / denominator, exact; basis points as defined above, 0 when undefined.
struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 0;
  int64_t basis_points = 0;

  bool defined() const { return denominator != 0; }
};

// OUT_OF_RANGE naming `what` when the basis points do not fit an int64 (|ratio| > ~9.2·10^14).
absl::StatusOr<Ratio> RatioOf(int64_t numerator, int64_t denominator, absl::string_view what);

// executed / budget.
absl::StatusOr<Ratio> ExecutionRate(const Amounts& amounts, absl::string_view what);

struct LineAmounts {
  dpb::BudgetLine line;
  bool closed = false;  // its 年末结转 is recorded
  Amounts amounts;
  Ratio execution_rate;
};

// One row of a roll-up by code. level: 1 类, 2 款, 3 项.
struct CodeRow {
  std::string code;
  int level = 0;
  bool undivided = false;  // lines coded above this level, under their own (shorter) code
  Amounts amounts;
};

struct FundSourceRow {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  Amounts amounts;
};

struct ProjectAmounts {
  std::string project_id;
  std::string name;  // empty when lines name a project with no ProjectDefined (never, from decide)
  Amounts amounts;
};

// 三公经费, of 财政拨款 lines.
struct ThreePublicExpenses {
  Amounts overseas_trips;     // 因公出国(境)费
  Amounts vehicle_purchase;   // 公务用车购置费
  Amounts vehicle_operation;  // 公务用车运行维护费
  Amounts reception;          // 公务接待费
  Amounts total;
};

// What the budget read model cannot know about an agency: the org read model ("org") has it.
struct AgencyProfile {
  dpb::AgencyKind kind = dpb::AGENCY_KIND_UNSPECIFIED;
  bool civil_servant_managed = false;  // 参公

  bool operator==(const AgencyProfile&) const = default;
};

// 行政单位 (a 党政机关 of any kind) or a 参照公务员法管理的事业单位: the units 机关运行经费
// is reported for.
bool ReportsAgencyOperatingExpenses(const AgencyProfile& agency);

struct BudgetSummary {
  std::string agency_id;
  int fiscal_year = 0;
  std::vector<LineAmounts> lines;  // canonical order
  Amounts total;
  Ratio execution_rate;
  size_t open_lines = 0;                      // lines whose 年末结转 is not recorded yet
  std::vector<FundSourceRow> by_fund_source;  // sources with lines, in enum order
  std::vector<CodeRow> by_function;        // depth first: each 类, then its 款, each with its 项
  std::vector<CodeRow> by_economic;        // depth first: each 类, then its 款
  Amounts basic;                           // 基本支出
  Amounts project;                         // 项目支出
  std::vector<ProjectAmounts> by_project;  // by project id: every defined project, and any
                                           // project a line names
  Amounts personnel;                       // 人员经费
  Amounts public_use;                      // 公用经费
  Amounts basic_other;                     // basic lines of other economic 类
  ThreePublicExpenses three_public;        // 三公经费
  bool agency_operating_applicable = false;
  Amounts agency_operating;  // 机关运行经费 (zero when not applicable)
};

// Whether SummarizeBudget lists the lines: kOmit leaves BudgetSummary::lines empty and every
// other member (open_lines included) as kInclude gives it, for callers that report the
// roll-ups only. Errors are the same either way.
enum class SummaryLines { kInclude, kOmit };

// The book rolled up. OUT_OF_RANGE as described at the top. One pass over the book's lines,
// read in place: nothing of `book` is kept, so a caller may run it under the read model's lock;
// with kOmit no line is copied (the work beyond the pass grows with the distinct codes).
absl::StatusOr<BudgetSummary> SummarizeBudget(const rm::BudgetBook& book,
                                              const AgencyProfile& agency,
                                              SummaryLines lines = SummaryLines::kInclude);

// The most books BudgetSummaryCache keeps roll-ups of. An entry grows with its book's distinct
// codes and, for a book it maintains, its lines: some 2.5 MB for a book of 20,000 lines under
// 10,000 项.
inline constexpr size_t kBudgetSummaryCacheBooksMax = 64;
// Books of fewer lines are summed afresh when read at a later position (it costs about what
// maintaining them would); larger ones have their roll-ups maintained.
inline constexpr size_t kMaintainedBookLinesMin = 256;

// SummarizeBudget(book, agency, SummaryLines::kOmit), kept per book and maintained as the book
// moves on. A book read at the same read-model position is the same book, so its roll-ups are
// too. A book read at a later position with as many lines as before holds the same lines in the
// same order (a book's lines are only ever added: budget_projection.h), so its roll-ups are
// brought up to date from those kept with one pass comparing each line's totals with those they
// were computed from: a line that moved has its old amounts taken out of, and its new ones put
// into, every roll-up it is in (no re-summing; the same summary when no line moved). The result
// is exactly SummarizeBudget's: the sums are integer, and each step is made only while the bound
// under which SummarizeBudget's fast path adds unchecked holds. A book with lines added, read
// for another agency profile or at an earlier position, or holding a figure that bound cannot
// vouch for, is summed afresh (and its errors are SummarizeBudget's).
// Keeps the latest position read of each book, for at most `books_max` books; when full, the
// least recently used makes room. Thread-safe; summing and maintaining run outside its lock.
class BudgetSummaryCache {
 public:
  explicit BudgetSummaryCache(size_t books_max = kBudgetSummaryCacheBooksMax,
                              size_t maintained_lines_min = kMaintainedBookLinesMin);

  BudgetSummaryCache(const BudgetSummaryCache&) = delete;
  BudgetSummaryCache& operator=(const BudgetSummaryCache&) = delete;

  // The roll-ups of `book` for `agency`. `position` must be the budget read model's position
  // `book` was read at (ProjectionRunner::Read's, or that of a replay to a position). Errors are
  // returned as SummarizeBudget's and not kept.
  absl::StatusOr<std::shared_ptr<const BudgetSummary>> RollUps(const rm::BudgetBook& book,
                                                               uint64_t position,
                                                               const AgencyProfile& agency);

  size_t books() const;

  // How RollUps answered, since construction.
  struct Stats {
    uint64_t hits = 0;        // same book, position and agency: the roll-ups kept
    uint64_t unchanged = 0;   // a later position, no line moved: the roll-ups kept
    uint64_t updated = 0;     // a later position, lines moved: maintained
    uint64_t summarized = 0;  // summed afresh (or failed)
  };
  Stats stats() const;

 private:
  struct Maintained;  // the lines an entry's roll-ups were computed from (.cc)
  struct Entry {
    uint64_t position = 0;
    AgencyProfile agency;
    std::shared_ptr<const BudgetSummary> summary;
    std::shared_ptr<Maintained> maintained;  // null when not maintained, or taken for an update
    uint64_t last_used = 0;                  // uses_ when last returned
  };

  const size_t books_max_;
  const size_t maintained_lines_min_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);  // by BudgetBookKey
  uint64_t uses_ ABSL_GUARDED_BY(mu_) = 0;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

// One identity of DOMAIN.md §4: left = right, or not.
struct Identity {
  std::string name;
  int64_t left_fen = 0;
  int64_t right_fen = 0;
  bool holds = false;
  std::string note;  // why it does not hold, when that is expected (open lines)
};

// One 财政拨款 kind in the 财政拨款收入支出决算总表.
struct FiscalKindAccount {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  int64_t carried_in_fen = 0;   // 年初结转
  int64_t income_fen = 0;       // 本年收入 (appropriated + adjusted)
  int64_t expenditure_fen = 0;  // 本年支出
  int64_t carried_out_fen = 0;  // 年末结转
  size_t open_lines = 0;
};

struct IncomeBySource {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  int64_t fen = 0;  // 本年收入 of the source's lines
};

// 收入支出决算总表. 用事业基金弥补收支差额 and 结余分配 are recorded by no event yet: both are 0
// and stated so the identities read as DOMAIN.md writes them.
struct FinalAccounts {
  std::vector<IncomeBySource> income_by_source;  // every source (FundSource enum order)
  int64_t current_income_fen = 0;                // 本年收入合计
  int64_t business_fund_offset_fen = 0;          // 用事业基金弥补收支差额
  int64_t carried_in_fen = 0;                    // 年初结转和结余
  int64_t income_total_fen = 0;                  // 收入总计
  int64_t basic_fen = 0;                         // 基本支出
  int64_t project_fen = 0;                       // 项目支出
  int64_t current_expenditure_fen = 0;           // 本年支出合计
  int64_t surplus_distribution_fen = 0;          // 结余分配
  int64_t carried_out_fen = 0;                   // 年末结转和结余
  int64_t expenditure_total_fen = 0;             // 支出总计
  int64_t personnel_fen = 0;                     // 人员经费
  int64_t public_use_fen = 0;                    // 公用经费
  std::vector<FiscalKindAccount> fiscal_kinds;   // the three 财政拨款 kinds, in enum order
  size_t open_lines = 0;
  int64_t open_available_fen = 0;  // still available on open lines: 收入总计 − 支出总计
  // In this order: 收入总计, 支出总计, 收入总计 = 支出总计, 本年支出合计 = 基本 + 项目,
  // 基本支出 = 人员经费 + 公用经费, one per 财政拨款 kind, then Σ 类 = 本年支出合计 by function
  // and by economic code.
  std::vector<Identity> identities;

  bool AllHold() const;
};

// 收、支 figures are those of the year's activity (本年支出 = disbursed). 收入总计 = 支出总计
// and the per-kind identities hold once every line (of the kind) is closed; before, the
// difference is what is still available, and the identity's note says so.
absl::StatusOr<FinalAccounts> FinalAccountsOf(const BudgetSummary& summary);

// One figure against the previous year's. change = (this − last) / last; undefined when
// last = 0.
struct YearOverYear {
  std::string metric;
  int64_t this_year_fen = 0;
  int64_t last_year_fen = 0;
  int64_t change_fen = 0;
  Ratio change;
};

// The figures the 决算 narrative compares, in a fixed order: 收支总计 (收入总计), 本年收入合计,
// 本年支出合计, 基本支出, 项目支出, 人员经费, 公用经费, each 财政拨款 kind's 本年支出, 三公经费
// and 机关运行经费 (executed figures).
absl::StatusOr<std::vector<YearOverYear>> CompareYears(const BudgetSummary& this_year,
                                                       const BudgetSummary& last_year);

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
// OUT_OF_RANGE as described at the top.
absl::StatusOr<std::vector<ProjectPerformance>> EvaluatePerformance(
    const rm::BudgetBook& book, const PerformanceWeights& weights);

// Canonical text renderings, for golden tests and the CLI. Amounts in 元 with two decimals.
std::string FormatFen(int64_t fen);                  // 1234567 → "12345.67"
std::string FormatRatio(const Ratio& r);             // "97.42%", "-9.05%", "—" when undefined
std::string FormatCentipoints(int64_t centipoints);  // 9948 → "99.48"
std::string LineLabel(const dpb::BudgetLine& line);  // "一般公共预算 2013601/30201 基本支出"
std::string RenderBudget(const BudgetSummary& summary);
std::string RenderFinalAccounts(const FinalAccounts& accounts);
std::string RenderYearOverYear(const std::vector<YearOverYear>& entries);
std::string RenderPerformance(const std::vector<ProjectPerformance>& projects);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_VIEW_H_
