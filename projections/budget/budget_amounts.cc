#include "projections/budget/budget_amounts.h"

#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace reformlog::projections {
namespace {

using budget_internal::Magnitude;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

absl::Status Beyond(absl::string_view what, absl::string_view op, int64_t a, int64_t b) {
  return absl::OutOfRangeError(absl::StrCat(what, ": ", a, " ", op, " ", b,
                                            " fen is beyond the int64 range; the figure cannot "
                                            "be reported"));
}

// numerator × scale / denominator, rounded half away from zero, in 128 bits.
absl::int128 ScaledRounded(int64_t numerator, int64_t denominator, int64_t scale) {
  const absl::int128 n = absl::int128(numerator) * scale;
  const absl::int128 d = denominator;
  const bool negative = (n < 0) != (d < 0);
  const absl::int128 an = n < 0 ? -n : n;
  const absl::int128 ad = d < 0 ? -d : d;
  const absl::int128 q = (2 * an + ad) / (2 * ad);
  return negative ? -q : q;
}

// Ratios whose basis points ScaledRounded's arithmetic keeps within 64 bits: |numerator| ×
// kBasisPointsPerUnit and |denominator| up to 2^62, so 2·|n| + |d| < 2^64.
constexpr uint64_t kNarrowRatioLimit = uint64_t{1} << 62;
constexpr uint64_t kNarrowNumeratorMax = kNarrowRatioLimit / kBasisPointsPerUnit;
constexpr uint64_t kNarrowDenominatorMax = kNarrowRatioLimit;

bool IsNarrowRatio(int64_t numerator, int64_t denominator) {
  return Magnitude(numerator) <= kNarrowNumeratorMax &&
         Magnitude(denominator) <= kNarrowDenominatorMax;
}

// ScaledRounded(numerator, denominator, kBasisPointsPerUnit) of a narrow ratio, in 64 bits
// (the 128-bit division costs more than the rest of a line's summary).
int64_t NarrowBasisPoints(int64_t numerator, int64_t denominator) {
  const uint64_t n = Magnitude(numerator) * kBasisPointsPerUnit;
  const uint64_t d = Magnitude(denominator);
  const auto q = static_cast<int64_t>((2 * n + d) / (2 * d));
  return (numerator < 0) != (denominator < 0) ? -q : q;
}

}  // namespace

absl::Status AddAmounts(Amounts& total, const Amounts& part, absl::string_view what) {
  Amounts sum;
  const std::pair<int64_t Amounts::*, const char*> fields[] = {
      {&Amounts::appropriated_fen, "appropriated"},
      {&Amounts::adjusted_fen, "adjusted"},
      {&Amounts::income_fen, "income"},
      {&Amounts::carried_in_fen, "carried in"},
      {&Amounts::disbursed_fen, "disbursed"},
      {&Amounts::carried_out_fen, "carried out"},
      {&Amounts::current_income_fen, "本年收入"},
      {&Amounts::budget_fen, "budget"},
      {&Amounts::available_fen, "available"}};
  for (const auto& [field, name] : fields) {
    if (__builtin_add_overflow(total.*field, part.*field, &(sum.*field))) {
      return Beyond(absl::StrCat(what, " (", name, ")"), "+", total.*field, part.*field);
    }
  }
  total = sum;
  return absl::OkStatus();
}

absl::StatusOr<Ratio> RatioOf(int64_t numerator, int64_t denominator, absl::string_view what) {
  Ratio r;
  r.numerator = numerator;
  r.denominator = denominator;
  if (denominator == 0) return r;
  if (IsNarrowRatio(numerator, denominator)) {
    r.basis_points = NarrowBasisPoints(numerator, denominator);
    return r;
  }
  const absl::int128 bp = ScaledRounded(numerator, denominator, kBasisPointsPerUnit);
  if (bp > kInt64Max || bp < kInt64Min) {
    return absl::OutOfRangeError(absl::StrCat(what, ": ", numerator, " / ", denominator,
                                              " in basis points is beyond the int64 range"));
  }
  r.basis_points = static_cast<int64_t>(bp);
  return r;
}

absl::StatusOr<Ratio> ExecutionRate(const Amounts& amounts, absl::string_view what) {
  return RatioOf(amounts.disbursed_fen, amounts.budget_fen, absl::StrCat(what, " execution rate"));
}

absl::StatusOr<int64_t> SumFen(int64_t a, int64_t b, absl::string_view what) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return Beyond(what, "+", a, b);
  return out;
}

absl::StatusOr<int64_t> DifferenceFen(int64_t a, int64_t b, absl::string_view what) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return Beyond(what, "−", a, b);
  return out;
}

std::string FormatFen(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string FormatRatio(const Ratio& r) {
  if (!r.defined()) return "—";
  const bool negative = r.basis_points < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(r.basis_points) : static_cast<uint64_t>(r.basis_points);
  return absl::StrFormat("%s%d.%02d%%", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

}  // namespace reformlog::projections
