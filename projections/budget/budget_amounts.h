// The money of the budget views: Amounts (the sums of a set of budget lines), checked sums of
// them, exact ratios, and their canonical text. Pure functions; no clock, no I/O.
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
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AMOUNTS_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AMOUNTS_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/vocabulary.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

inline constexpr int64_t kBasisPointsPerUnit = 10'000;

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

// a + b and a − b; OUT_OF_RANGE naming `what` and both figures when the result would leave the
// int64 range.
absl::StatusOr<int64_t> SumFen(int64_t a, int64_t b, absl::string_view what);
absl::StatusOr<int64_t> DifferenceFen(int64_t a, int64_t b, absl::string_view what);

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

// Canonical text, for golden tests and the CLI. Amounts in 元 with two decimals.
std::string FormatFen(int64_t fen);       // 1234567 → "12345.67"
std::string FormatRatio(const Ratio& r);  // "97.42%", "-9.05%", "—" when undefined

// ---- For the roll-ups (budget_summary.cc, budget_summary_cache.cc) ----------------------------
//
// Unchecked arithmetic on one line's totals, inline because it runs per line of every summary.
// Each function is valid only under the precondition it states; callers outside the roll-ups use
// AddAmounts and the checked functions above.
namespace budget_internal {

// The fast path's bound: when Σ over a set of lines of MagnitudeBound(line) is at most this, no
// partial sum of any figure over any subset of those lines, in any order, leaves the int64 range.
inline constexpr uint64_t kRollupBoundFenMax = std::numeric_limits<int64_t>::max();

// |v|, exact also for the int64 minimum.
inline uint64_t Magnitude(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

// The recorded amounts of one line; the derived ones (current income, budget, available)
// left at 0.
inline Amounts RecordedAmounts(const rm::LineTotals& t) {
  Amounts a;
  a.appropriated_fen = t.appropriated_fen();
  a.adjusted_fen = t.adjusted_fen();
  a.income_fen = t.income_fen();
  a.carried_in_fen = t.carried_in_fen();
  a.disbursed_fen = t.disbursed_fen();
  a.carried_out_fen = t.carried_out_fen();
  return a;
}

// `recorded` with its derived amounts, unchecked: only for totals within the write side's limit
// (each term within ±kAmountFenMax = 10^15, so none of these sums can overflow).
inline Amounts WithDerived(Amounts a) {
  a.current_income_fen = a.appropriated_fen + a.adjusted_fen + a.income_fen;
  a.budget_fen = a.current_income_fen + a.carried_in_fen;
  a.available_fen = a.budget_fen - a.disbursed_fen - a.carried_out_fen;
  return a;
}

// The amounts of one line, unchecked (see WithDerived).
inline Amounts DeriveAmounts(const rm::LineTotals& t) { return WithDerived(RecordedAmounts(t)); }

inline bool WithinAmountLimit(int64_t fen) {
  return fen <= domain::kAmountFenMax && fen >= -domain::kAmountFenMax;
}

inline bool WithinAmountLimit(const rm::LineTotals& t) {
  return WithinAmountLimit(t.appropriated_fen()) && WithinAmountLimit(t.adjusted_fen()) &&
         WithinAmountLimit(t.income_fen()) && WithinAmountLimit(t.carried_in_fen()) &&
         WithinAmountLimit(t.disbursed_fen()) && WithinAmountLimit(t.carried_out_fen());
}

// Bounds |every figure| of the line, the derived ones included (each a sum of the raw ones).
inline uint64_t MagnitudeBound(const Amounts& a) {
  return Magnitude(a.appropriated_fen) + Magnitude(a.adjusted_fen) + Magnitude(a.income_fen) +
         Magnitude(a.carried_in_fen) + Magnitude(a.disbursed_fen) + Magnitude(a.carried_out_fen);
}

// total += part, field by field, unchecked: only under the bound (kRollupBoundFenMax).
inline void AddUnchecked(Amounts& total, const Amounts& part) {
  total.appropriated_fen += part.appropriated_fen;
  total.adjusted_fen += part.adjusted_fen;
  total.income_fen += part.income_fen;
  total.carried_in_fen += part.carried_in_fen;
  total.disbursed_fen += part.disbursed_fen;
  total.carried_out_fen += part.carried_out_fen;
  total.current_income_fen += part.current_income_fen;
  total.budget_fen += part.budget_fen;
  total.available_fen += part.available_fen;
}

// total −= part, field by field, unchecked: only under the bound (kRollupBoundFenMax).
inline void SubtractUnchecked(Amounts& total, const Amounts& part) {
  total.appropriated_fen -= part.appropriated_fen;
  total.adjusted_fen -= part.adjusted_fen;
  total.income_fen -= part.income_fen;
  total.carried_in_fen -= part.carried_in_fen;
  total.disbursed_fen -= part.disbursed_fen;
  total.carried_out_fen -= part.carried_out_fen;
  total.current_income_fen -= part.current_income_fen;
  total.budget_fen -= part.budget_fen;
  total.available_fen -= part.available_fen;
}

// A line's rate in basis points surely fits an int64 when |disbursed| is at most this (|budget|
// ≥ 1 where the rate is defined, and rounding adds at most one).
inline constexpr uint64_t kRateSurelyFitsFenMax =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / kBasisPointsPerUnit - 1);

// Whether ExecutionRate(a) succeeds; computes the ratio only when |disbursed| is beyond
// kRateSurelyFitsFenMax.
inline bool ExecutionRateFits(const Amounts& a) {
  return Magnitude(a.disbursed_fen) <= kRateSurelyFitsFenMax ||
         RatioOf(a.disbursed_fen, a.budget_fen, "").ok();
}

}  // namespace budget_internal
}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AMOUNTS_H_
