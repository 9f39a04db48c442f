#include "projections/budget/budget_view.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "projections/budget/budget_projection.h"
#include "projections/domain/vocabulary.h"

namespace reformlog::projections {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

absl::Status Beyond(absl::string_view what, absl::string_view op, int64_t a, int64_t b) {
  return absl::OutOfRangeError(absl::StrCat(what, ": ", a, " ", op, " ", b,
                                            " fen is beyond the int64 range; the figure cannot "
                                            "be reported"));
}

absl::StatusOr<int64_t> Sum(int64_t a, int64_t b, absl::string_view what) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return Beyond(what, "+", a, b);
  return out;
}

absl::StatusOr<int64_t> Difference(int64_t a, int64_t b, absl::string_view what) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return Beyond(what, "−", a, b);
  return out;
}

// Assigns the value of a StatusOr<int64_t> expression to `lhs`, or returns its error.
#define BUDGET_ASSIGN_OR_RETURN(lhs, expr)    \
  do {                                        \
    absl::StatusOr<int64_t> value_ = (expr);  \
    if (!value_.ok()) return value_.status(); \
    lhs = *value_;                            \
  } while (false)

std::string OperatorLabel(dpb::IndicatorOperator op) {
  switch (op) {
    case dpb::AT_LEAST:
      return "≥";
    case dpb::AT_MOST:
      return "≤";
    case dpb::EQUAL:
      return "=";
    default:
      return "定性";
  }
}

// A value in thousandths of its unit, as written: 2500 → "2.5", 10000 → "10".
std::string FormatMilli(int64_t milli) {
  const bool negative = milli < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(milli) : static_cast<uint64_t>(milli);
  std::string out = absl::StrCat(negative ? "-" : "", magnitude / 1000);
  uint64_t fraction = magnitude % 1000;
  if (fraction == 0) return out;
  std::string digits = absl::StrFormat("%03d", fraction);
  while (digits.back() == '0') digits.pop_back();
  return absl::StrCat(out, ".", digits);
}

// The recorded amounts of one line; the derived ones (current income, budget, available)
// left at 0.
Amounts RecordedAmounts(const rm::LineTotals& t) {
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
Amounts WithDerived(Amounts a) {
  a.current_income_fen = a.appropriated_fen + a.adjusted_fen + a.income_fen;
  a.budget_fen = a.current_income_fen + a.carried_in_fen;
  a.available_fen = a.budget_fen - a.disbursed_fen - a.carried_out_fen;
  return a;
}

// The amounts of one line, unchecked (see WithDerived).
Amounts DeriveAmounts(const rm::LineTotals& t) { return WithDerived(RecordedAmounts(t)); }

bool WithinAmountLimit(int64_t fen) {
  return fen <= domain::kAmountFenMax && fen >= -domain::kAmountFenMax;
}

bool WithinAmountLimit(const rm::LineTotals& t) {
  return WithinAmountLimit(t.appropriated_fen()) && WithinAmountLimit(t.adjusted_fen()) &&
         WithinAmountLimit(t.income_fen()) && WithinAmountLimit(t.carried_in_fen()) &&
         WithinAmountLimit(t.disbursed_fen()) && WithinAmountLimit(t.carried_out_fen());
}

// The amounts of one line; OUT_OF_RANGE beyond the write side's limit.
absl::StatusOr<Amounts> AmountsOf(const rm::LineTotals& t, absl::string_view what) {
  const std::pair<const char*, int64_t> totals[] = {{"appropriated", t.appropriated_fen()},
                                                    {"adjusted", t.adjusted_fen()},
                                                    {"income", t.income_fen()},
                                                    {"carried in", t.carried_in_fen()},
                                                    {"disbursed", t.disbursed_fen()},
                                                    {"carried out", t.carried_out_fen()}};
  for (const auto& [name, fen] : totals) {
    if (!WithinAmountLimit(fen)) {
      return absl::OutOfRangeError(absl::StrCat(what, ": ", name, " ", fen,
                                                " fen is beyond ±kAmountFenMax (",
                                                domain::kAmountFenMax, " fen)"));
    }
  }
  return DeriveAmounts(t);
}

uint64_t Magnitude(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
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

// weight × numerator / denominator in centipoints, truncated; 0 ≤ numerator ≤ denominator.
int64_t Centipoints(int64_t weight, int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return 0;
  const absl::int128 scaled = absl::int128(weight) * kCentipointsPerPoint * numerator;
  return static_cast<int64_t>(scaled / denominator);
}

bool InClasses(const std::string& code, const std::array<absl::string_view, 2>& classes) {
  const absl::string_view cls = absl::string_view(code).substr(0, kEconomicClassDigits);
  return std::find(classes.begin(), classes.end(), cls) != classes.end();
}

using CodeRows = std::map<std::pair<std::string, int>, CodeRow>;

// Adds a line to the rows of every level of its code (see "Roll-ups" in the header).
template <size_t N>
absl::Status AddToCodeRows(CodeRows& rows, const std::string& code,
                           const std::array<size_t, N>& level_digits, const Amounts& amounts,
                           absl::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    const int level = static_cast<int>(i) + 1;
    const std::string key = code.substr(0, std::min(level_digits[i], code.size()));
    CodeRow& row = rows[{key, level}];
    row.code = key;
    row.level = level;
    row.undivided = code.size() < level_digits[i];
    if (absl::Status s = AddAmounts(row.amounts, amounts, absl::StrCat(what, " ", key)); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

std::vector<CodeRow> Flatten(CodeRows rows) {
  std::vector<CodeRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

// Adds a line's amounts to every roll-up it belongs to, checking every sum and naming the first
// figure that leaves the int64 range. The reference for FastSummarizer (below), which gives way
// to it whenever it cannot vouch for its own result.
class CheckedSummarizer {
 public:
  CheckedSummarizer(const rm::BudgetBook& book, const AgencyProfile& agency, BudgetSummary& s)
      : book_(book), s_(s) {
    s_.agency_id = book.agency_id();
    s_.fiscal_year = book.fiscal_year();
    s_.agency_operating_applicable = ReportsAgencyOperatingExpenses(agency);
    for (const rm::ProjectRecord& p : book.projects()) {
      projects_[p.project_id()].project_id = p.project_id();
      projects_[p.project_id()].name = p.name();
    }
  }

  absl::Status Add(const rm::LineTotals& totals) {
    const dpb::BudgetLine& line = totals.line();
    const std::string what =
        absl::StrCat(BudgetBookKey(book_.agency_id(), book_.fiscal_year()), " ", LineLabel(line));
    absl::StatusOr<Amounts> amounts = AmountsOf(totals, what);
    if (!amounts.ok()) return amounts.status();
    const Amounts& a = *amounts;
    absl::StatusOr<Ratio> rate = ExecutionRate(a, what);
    if (!rate.ok()) return rate.status();
    s_.lines.push_back({line, totals.closed(), a, *rate});
    if (!totals.closed()) ++s_.open_lines;
    std::vector<std::pair<Amounts*, std::string>> targets = {
        {&s_.total, "total"}, {&funds_[line.fund_source()], domain::Label(line.fund_source())}};
    if (line.kind() == dpb::BASIC) {
      targets.emplace_back(&s_.basic, "基本支出");
      if (InClasses(line.economic_code(), kPersonnelEconomicClasses)) {
        targets.emplace_back(&s_.personnel, "人员经费");
      } else if (InClasses(line.economic_code(), kPublicUseEconomicClasses)) {
        targets.emplace_back(&s_.public_use, "公用经费");
        if (s_.agency_operating_applicable)
          targets.emplace_back(&s_.agency_operating, "机关运行经费");
      } else {
        targets.emplace_back(&s_.basic_other, "基本支出 of other economic 类");
      }
    } else if (line.kind() == dpb::PROJECT) {
      targets.emplace_back(&s_.project, "项目支出");
      ProjectAmounts& p = projects_[line.project_id()];
      p.project_id = line.project_id();
      targets.emplace_back(&p.amounts, absl::StrCat("project ", line.project_id()));
    }
    if (domain::IsFiscalAppropriation(line.fund_source())) AddThreePublic(line, targets);
    for (auto& [total, name] : targets) {
      if (absl::Status s = AddAmounts(*total, a, absl::StrCat(what, " into ", name)); !s.ok())
        return s;
    }
    if (absl::Status s =
            AddToCodeRows<3>(function_rows_, line.function_code(),
                             {kFunctionClassDigits, kFunctionSegmentDigits, kFunctionItemDigits}, a,
                             absl::StrCat(what, " into function code"));
        !s.ok())
      return s;
    return AddToCodeRows<2>(economic_rows_, line.economic_code(),
                            {kEconomicClassDigits, kEconomicSegmentDigits}, a,
                            absl::StrCat(what, " into economic code"));
  }

  absl::Status Finish() {
    absl::StatusOr<Ratio> rate = ExecutionRate(s_.total, "total");
    if (!rate.ok()) return rate.status();
    s_.execution_rate = *rate;
    for (auto& [source, amounts] : funds_) s_.by_fund_source.push_back({source, amounts});
    for (auto& [id, p] : projects_) s_.by_project.push_back(std::move(p));
    s_.by_function = Flatten(std::move(function_rows_));
    s_.by_economic = Flatten(std::move(economic_rows_));
    return absl::OkStatus();
  }

 private:
  void AddThreePublic(const dpb::BudgetLine& line,
                      std::vector<std::pair<Amounts*, std::string>>& targets) {
    ThreePublicExpenses& t = s_.three_public;
    const std::pair<const char*, Amounts*> items[] = {
        {kOverseasTripsEconomicCode, &t.overseas_trips},
        {kVehiclePurchaseEconomicCode, &t.vehicle_purchase},
        {kVehicleOperationEconomicCode, &t.vehicle_operation},
        {kReceptionEconomicCode, &t.reception}};
    for (const auto& [code, amounts] : items) {
      if (line.economic_code() != code) continue;
      targets.emplace_back(amounts, absl::StrCat("三公经费 ", code));
      targets.emplace_back(&t.total, "三公经费");
    }
  }

  const rm::BudgetBook& book_;
  BudgetSummary& s_;
  std::map<dpb::FundSource, Amounts> funds_;
  std::map<std::string, ProjectAmounts> projects_;
  CodeRows function_rows_;
  CodeRows economic_rows_;
};

// ---- The fast path ---------------------------------------------------------------------------
//
// FastSummarizer adds without checking each sum, and may: when Σ over the lines of each line's
// |figures| is within int64, no partial sum of any figure over any set of lines, in any order,
// can leave the int64 range — so CheckedSummarizer would succeed with the same sums. Whatever
// it cannot vouch for (that bound exceeded, a line beyond ±kAmountFenMax, a rate that does not
// fit, a code that is not a short digit string — decide writes none of these) makes it give up,
// and CheckedSummarizer computes the result or names the error. Codes are keyed by integers
// that order as the code strings do, so the rows come out in the same order.

// Codes keyed by integer: digit strings of at most this many digits (decide writes 3, 5 or 7).
constexpr size_t kCodeKeyDigitsMax = 14;
constexpr size_t kCodeKeyDigitBits = 4;
constexpr uint64_t kCodeKeyDigitMask = (uint64_t{1} << kCodeKeyDigitBits) - 1;
static_assert(kFunctionItemDigits <= kCodeKeyDigitsMax);
static_assert(kEconomicSegmentDigits <= kCodeKeyDigitsMax);
static_assert(kCodeKeyDigitsMax <= kCodeKeyDigitMask);  // the length fits the low digit
static_assert((kCodeKeyDigitsMax + 1) * kCodeKeyDigitBits <= 64);
// No code's key (its length would be beyond kCodeKeyDigitsMax).
constexpr uint64_t kNoCodeKey = ~uint64_t{0};

// The key of a code: its digits, kCodeKeyDigitBits each, from the top, padded with zeros to
// kCodeKeyDigitsMax digits, then its length. Keys order as the codes do as strings (a code
// sorts right before its extensions: "201" < "2010" < "20100" < "2011"), and a prefix's key is
// a mask away. nullopt when the code is not a digit string that short.
constexpr std::optional<uint64_t> CodeKeyOf(absl::string_view code) {
  if (code.size() > kCodeKeyDigitsMax) return std::nullopt;
  uint64_t digits = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] < '0' || code[i] > '9') return std::nullopt;
    digits = digits << kCodeKeyDigitBits | static_cast<uint64_t>(code[i] - '0');
  }
  const uint64_t padded = digits << (kCodeKeyDigitBits * (kCodeKeyDigitsMax - code.size()));
  return padded << kCodeKeyDigitBits | code.size();
}

constexpr size_t CodeKeyLength(uint64_t key) { return key & kCodeKeyDigitMask; }

// The key of the code's first `digits` digits (the whole code when it is that short).
constexpr uint64_t PrefixKey(uint64_t key, size_t digits) {
  if (CodeKeyLength(key) <= digits) return key;
  const uint64_t kept = ~uint64_t{0} << (kCodeKeyDigitBits * (kCodeKeyDigitsMax - digits + 1));
  return (key & kept) | digits;
}

std::string CodeOf(uint64_t key) {
  std::string code(CodeKeyLength(key), '0');
  for (size_t i = 0; i < code.size(); ++i) {
    const uint64_t digit = key >> (kCodeKeyDigitBits * (kCodeKeyDigitsMax - i)) & kCodeKeyDigitMask;
    code[i] = static_cast<char>('0' + digit);
  }
  return code;
}

constexpr uint64_t KeyOfConstant(absl::string_view code) { return CodeKeyOf(code).value(); }

constexpr std::array<uint64_t, 2> kPersonnelClassKeys = {
    KeyOfConstant(kPersonnelEconomicClasses[0]), KeyOfConstant(kPersonnelEconomicClasses[1])};
constexpr std::array<uint64_t, 2> kPublicUseClassKeys = {
    KeyOfConstant(kPublicUseEconomicClasses[0]), KeyOfConstant(kPublicUseEconomicClasses[1])};

struct ThreePublicItem {
  uint64_t economic_key;
  Amounts ThreePublicExpenses::*amounts;
};
constexpr std::array<ThreePublicItem, 4> kThreePublicItems = {
    {{KeyOfConstant(kOverseasTripsEconomicCode), &ThreePublicExpenses::overseas_trips},
     {KeyOfConstant(kVehiclePurchaseEconomicCode), &ThreePublicExpenses::vehicle_purchase},
     {KeyOfConstant(kVehicleOperationEconomicCode), &ThreePublicExpenses::vehicle_operation},
     {KeyOfConstant(kReceptionEconomicCode), &ThreePublicExpenses::reception}}};

// A line's rate in basis points surely fits an int64 when |disbursed| is at most this (|budget|
// ≥ 1 where the rate is defined, and rounding adds at most one).
constexpr uint64_t kRateSurelyFitsFenMax =
    static_cast<uint64_t>(kInt64Max / kBasisPointsPerUnit - 1);

// total += part, field by field, unchecked: only under FastSummarizer's bound.
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

// total −= part, field by field, unchecked: only under FastSummarizer's bound.
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

// Bounds |every figure| of the line, the derived ones included (each a sum of the raw ones).
uint64_t MagnitudeBound(const Amounts& a) {
  return Magnitude(a.appropriated_fen) + Magnitude(a.adjusted_fen) + Magnitude(a.income_fen) +
         Magnitude(a.carried_in_fen) + Magnitude(a.disbursed_fen) + Magnitude(a.carried_out_fen);
}

struct KeyedAmounts {
  uint64_t key = 0;
  Amounts amounts;
};

// The rows of one classification with levels of `level_digits` digits (see "Roll-ups" in the
// header), from the lines' sums per distinct code. Unchecked sums: under FastSummarizer's bound.
template <size_t N>
class CodeRollup {
 public:
  explicit CodeRollup(const std::array<size_t, N>& level_digits) : level_digits_(level_digits) {}

  void Add(uint64_t code_key, const Amounts& amounts) {
    // Lines come in canonical order, so a line's code is often the one before's.
    if (codes_.empty() || codes_[last_].key != code_key) {
      auto [it, inserted] = index_.try_emplace(code_key, codes_.size());
      if (inserted) codes_.push_back({code_key, Amounts()});
      last_ = it->second;
    }
    AddUnchecked(codes_[last_].amounts, amounts);
  }

  // Depth first, as CheckedSummarizer's map orders them: by code as a string, then level. Each
  // row is opened by the first of the sorted codes under it, which gives that order: cutting
  // sorted codes to a level keeps them sorted, a row's codes are next to each other, and a row
  // opened later at a shallower level sorts after the deeper rows opened before it.
  std::vector<CodeRow> Rows() {
    std::vector<const KeyedAmounts*> sorted;
    sorted.reserve(codes_.size());
    for (const KeyedAmounts& code : codes_) sorted.push_back(&code);
    const auto by_key = [](const KeyedAmounts* a, const KeyedAmounts* b) {
      return a->key < b->key;
    };
    if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) {
      std::sort(sorted.begin(), sorted.end(), by_key);
    }
    std::vector<CodeRow> rows;
    rows.reserve(CountRows(sorted));
    std::array<uint64_t, N> open_key;
    open_key.fill(kNoCodeKey);
    std::array<size_t, N> open_row{};
    for (const KeyedAmounts* code : sorted) {
      for (size_t i = 0; i < N; ++i) {
        const uint64_t key = PrefixKey(code->key, level_digits_[i]);
        if (key != open_key[i]) {
          open_key[i] = key;
          open_row[i] = rows.size();
          rows.push_back({CodeOf(key), static_cast<int>(i) + 1,
                          CodeKeyLength(key) < level_digits_[i], Amounts()});
        }
        AddUnchecked(rows[open_row[i]].amounts, code->amounts);
      }
    }
    return rows;
  }

 private:
  size_t CountRows(const std::vector<const KeyedAmounts*>& sorted) const {
    size_t count = 0;
    std::array<uint64_t, N> open_key;
    open_key.fill(kNoCodeKey);
    for (const KeyedAmounts* code : sorted) {
      for (size_t i = 0; i < N; ++i) {
        const uint64_t key = PrefixKey(code->key, level_digits_[i]);
        if (key != open_key[i]) ++count;
        open_key[i] = key;
      }
    }
    return count;
  }

  const std::array<size_t, N> level_digits_;
  std::vector<KeyedAmounts> codes_;  // one per distinct code, first seen first
  absl::flat_hash_map<uint64_t, size_t> index_;
  size_t last_ = 0;  // the code of the line before
};

class FastSummarizer {
 public:
  FastSummarizer(const rm::BudgetBook& book, const AgencyProfile& agency, SummaryLines lines,
                 BudgetSummary& s)
      : book_(book), lines_(lines), s_(s) {
    s_.agency_id = book.agency_id();
    s_.fiscal_year = book.fiscal_year();
    s_.agency_operating_applicable = ReportsAgencyOperatingExpenses(agency);
    for (const rm::ProjectRecord& p : book.projects()) {
      projects_[p.project_id()].project_id = p.project_id();
      projects_[p.project_id()].name = p.name();
    }
    if (lines_ == SummaryLines::kInclude) s_.lines.reserve(static_cast<size_t>(book.lines_size()));
  }

  // False when it cannot vouch for the result (see above); `s` is then incomplete.
  bool Run() {
    for (const rm::LineTotals& line : book_.lines()) {
      if (!Add(line)) return false;
    }
    return Finish();
  }

 private:
  bool Add(const rm::LineTotals& totals) {
    if (!WithinAmountLimit(totals)) return false;
    const Amounts a = DeriveAmounts(totals);
    bound_fen_ += MagnitudeBound(a);  // ≤ 2^63 + 6·10^15: cannot wrap
    if (bound_fen_ > static_cast<uint64_t>(kInt64Max)) return false;
    const dpb::BudgetLine& line = totals.line();
    const std::optional<uint64_t> function_key = CodeKeyOf(line.function_code());
    const std::optional<uint64_t> economic_key = CodeKeyOf(line.economic_code());
    if (!function_key.has_value() || !economic_key.has_value()) return false;
    if (lines_ == SummaryLines::kInclude) {
      absl::StatusOr<Ratio> rate = RatioOf(a.disbursed_fen, a.budget_fen, "");
      if (!rate.ok()) return false;
      s_.lines.push_back({line, totals.closed(), a, *rate});
    } else if (Magnitude(a.disbursed_fen) > kRateSurelyFitsFenMax &&
               !RatioOf(a.disbursed_fen, a.budget_fen, "").ok()) {
      return false;
    }
    if (!totals.closed()) ++s_.open_lines;
    AddUnchecked(s_.total, a);
    AddUnchecked(FundOf(line.fund_source()), a);
    if (line.kind() == dpb::BASIC) {
      AddBasic(*economic_key, a);
    } else if (line.kind() == dpb::PROJECT) {
      AddUnchecked(s_.project, a);
      AddUnchecked(ProjectOf(line.project_id()), a);
    }
    if (domain::IsFiscalAppropriation(line.fund_source())) AddThreePublic(*economic_key, a);
    function_rows_.Add(*function_key, a);
    economic_rows_.Add(*economic_key, a);
    return true;
  }

  void AddBasic(uint64_t economic_key, const Amounts& a) {
    AddUnchecked(s_.basic, a);
    const uint64_t class_key = PrefixKey(economic_key, kEconomicClassDigits);
    const auto in = [class_key](const std::array<uint64_t, 2>& classes) {
      return std::find(classes.begin(), classes.end(), class_key) != classes.end();
    };
    if (in(kPersonnelClassKeys)) {
      AddUnchecked(s_.personnel, a);
    } else if (in(kPublicUseClassKeys)) {
      AddUnchecked(s_.public_use, a);
      if (s_.agency_operating_applicable) AddUnchecked(s_.agency_operating, a);
    } else {
      AddUnchecked(s_.basic_other, a);
    }
  }

  void AddThreePublic(uint64_t economic_key, const Amounts& a) {
    for (const ThreePublicItem& item : kThreePublicItems) {
      if (economic_key != item.economic_key) continue;
      AddUnchecked(s_.three_public.*item.amounts, a);
      AddUnchecked(s_.three_public.total, a);
    }
  }

  // Lines come in canonical order: a line's fund source and project are most often the ones
  // of the line before.
  Amounts& FundOf(dpb::FundSource source) {
    if (fund_ == nullptr || fund_->fund_source != source) {
      auto it = std::find_if(funds_.begin(), funds_.end(), [source](const FundSourceRow& row) {
        return row.fund_source == source;
      });
      if (it == funds_.end()) it = funds_.insert(funds_.end(), {source, Amounts()});
      fund_ = &*it;
    }
    return fund_->amounts;
  }

  Amounts& ProjectOf(const std::string& project_id) {
    if (project_ == nullptr || project_->project_id != project_id) {
      project_ = &projects_[project_id];
      project_->project_id = project_id;
    }
    return project_->amounts;
  }

  bool Finish() {
    const absl::StatusOr<Ratio> rate = RatioOf(s_.total.disbursed_fen, s_.total.budget_fen, "");
    if (!rate.ok()) return false;
    s_.execution_rate = *rate;
    std::sort(funds_.begin(), funds_.end(), [](const FundSourceRow& a, const FundSourceRow& b) {
      return a.fund_source < b.fund_source;
    });
    s_.by_fund_source = std::move(funds_);
    s_.by_project.reserve(projects_.size());
    for (auto& [id, p] : projects_) s_.by_project.push_back(std::move(p));
    s_.by_function = function_rows_.Rows();
    s_.by_economic = economic_rows_.Rows();
    return true;
  }

  const rm::BudgetBook& book_;
  const SummaryLines lines_;
  BudgetSummary& s_;
  uint64_t bound_fen_ = 0;            // Σ of MagnitudeBound of the lines so far
  std::vector<FundSourceRow> funds_;  // a handful: one per fund source
  FundSourceRow* fund_ = nullptr;     // the line before's, in funds_
  std::map<std::string, ProjectAmounts> projects_;
  ProjectAmounts* project_ = nullptr;  // the line before's
  CodeRollup<3> function_rows_{{kFunctionClassDigits, kFunctionSegmentDigits, kFunctionItemDigits}};
  CodeRollup<2> economic_rows_{{kEconomicClassDigits, kEconomicSegmentDigits}};
};

// ---- Maintained roll-ups ---------------------------------------------------------------------
//
// A book's lines are only ever added (budget_projection.h), so a book read again with as many
// lines as before holds the same lines in the same order, with the same codes: the same rows.
// Its roll-ups then follow from those last computed by taking each moved line's old amounts out
// of every roll-up it is in and putting its new ones in — exact, and safe from overflow under the
// fast path's bound (every partial sum over any set of lines fits), which is kept up to date too.

// The amounts of the line with `totals` in the roll-ups of `s`, by `sign` (+1 or −1). Unchecked:
// only under the bound.
class RollupTargets {
 public:
  // The rows of `s`, indexed by code key and level.
  explicit RollupTargets(const BudgetSummary& s) {
    Index(s.by_function, function_rows_);
    Index(s.by_economic, economic_rows_);
  }

  // False when a row the line belongs in is missing (never, for the same lines).
  bool Move(BudgetSummary& s, const dpb::BudgetLine& line, const Amounts& a, int sign) const {
    const auto add = [&](Amounts& total) {
      if (sign > 0) {
        AddUnchecked(total, a);
      } else {
        SubtractUnchecked(total, a);
      }
    };
    const std::optional<uint64_t> function_key = CodeKeyOf(line.function_code());
    const std::optional<uint64_t> economic_key = CodeKeyOf(line.economic_code());
    if (!function_key.has_value() || !economic_key.has_value()) return false;
    std::array<CodeRow*, 3> function_rows;
    std::array<CodeRow*, 2> economic_rows;
    if (!Rows(s.by_function, function_rows_, *function_key,
              {kFunctionClassDigits, kFunctionSegmentDigits, kFunctionItemDigits}, function_rows) ||
        !Rows(s.by_economic, economic_rows_, *economic_key,
              {kEconomicClassDigits, kEconomicSegmentDigits}, economic_rows)) {
      return false;
    }
    auto fund = std::find_if(
        s.by_fund_source.begin(), s.by_fund_source.end(),
        [&line](const FundSourceRow& row) { return row.fund_source == line.fund_source(); });
    if (fund == s.by_fund_source.end()) return false;
    ProjectAmounts* project = nullptr;
    if (line.kind() == dpb::PROJECT) {
      auto at = std::lower_bound(
          s.by_project.begin(), s.by_project.end(), line.project_id(),
          [](const ProjectAmounts& p, const std::string& id) { return p.project_id < id; });
      if (at == s.by_project.end() || at->project_id != line.project_id()) return false;
      project = &*at;
    }
    add(s.total);
    add(fund->amounts);
    if (line.kind() == dpb::BASIC) {
      add(s.basic);
      const uint64_t class_key = PrefixKey(*economic_key, kEconomicClassDigits);
      const auto in = [class_key](const std::array<uint64_t, 2>& classes) {
        return std::find(classes.begin(), classes.end(), class_key) != classes.end();
      };
      if (in(kPersonnelClassKeys)) {
        add(s.personnel);
      } else if (in(kPublicUseClassKeys)) {
        add(s.public_use);
        if (s.agency_operating_applicable) add(s.agency_operating);
      } else {
        add(s.basic_other);
      }
    } else if (project != nullptr) {
      add(s.project);
      add(project->amounts);
    }
    if (domain::IsFiscalAppropriation(line.fund_source())) {
      for (const ThreePublicItem& item : kThreePublicItems) {
        if (*economic_key != item.economic_key) continue;
        add(s.three_public.*item.amounts);
        add(s.three_public.total);
      }
    }
    for (CodeRow* row : function_rows) add(row->amounts);
    for (CodeRow* row : economic_rows) add(row->amounts);
    return true;
  }

 private:
  using RowIndex = absl::flat_hash_map<uint64_t, size_t>;
  // Code keys leave the top bits free for the level.
  static constexpr size_t kLevelShift = (kCodeKeyDigitsMax + 1) * kCodeKeyDigitBits;
  static_assert(kLevelShift + 2 <= 64);

  static uint64_t RowKey(uint64_t code_key, int level) {
    return static_cast<uint64_t>(level) << kLevelShift | code_key;
  }

  static void Index(const std::vector<CodeRow>& rows, RowIndex& index) {
    index.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::optional<uint64_t> key = CodeKeyOf(rows[i].code);
      if (key.has_value()) index.emplace(RowKey(*key, rows[i].level), i);
    }
  }

  template <size_t N>
  static bool Rows(std::vector<CodeRow>& rows, const RowIndex& index, uint64_t code_key,
                   const std::array<size_t, N>& level_digits, std::array<CodeRow*, N>& out) {
    for (size_t i = 0; i < N; ++i) {
      const int level = static_cast<int>(i) + 1;
      auto it = index.find(RowKey(PrefixKey(code_key, level_digits[i]), level));
      if (it == index.end()) return false;
      out[i] = &rows[it->second];
    }
    return true;
  }

  RowIndex function_rows_;
  RowIndex economic_rows_;
};

// What a book's roll-ups were computed from: each line's totals, in the book's order.
struct LineSnapshot {
  Amounts recorded;  // derived amounts 0: deriving waits for the limit check
  bool closed = false;

  explicit LineSnapshot(const rm::LineTotals& t)
      : recorded(RecordedAmounts(t)), closed(t.closed()) {}

  bool operator==(const LineSnapshot&) const = default;

  // As DeriveAmounts: only for totals within the write side's limit.
  Amounts Derived() const { return WithDerived(recorded); }
};

// The lines a book's roll-ups were computed from, and the fast path's bound over them.
struct MaintainedLines {
  std::vector<LineSnapshot> lines;
  uint64_t bound_fen = 0;                // Σ MagnitudeBound of the lines: at most kInt64Max
  std::optional<RollupTargets> targets;  // of the roll-ups, once a line has moved
};

// The lines of `book`, when its roll-ups can be maintained (every line within the write side's
// limit and the bound kept); nullopt otherwise.
std::optional<MaintainedLines> CaptureLines(const rm::BudgetBook& book) {
  MaintainedLines m;
  m.lines.reserve(static_cast<size_t>(book.lines_size()));
  for (const rm::LineTotals& t : book.lines()) {
    if (!WithinAmountLimit(t)) return std::nullopt;
    m.bound_fen += MagnitudeBound(DeriveAmounts(t));  // ≤ 2^63 + 6·10^15: cannot wrap
    if (m.bound_fen > static_cast<uint64_t>(kInt64Max)) return std::nullopt;
    m.lines.emplace_back(t);
  }
  return m;
}

enum class RollupUpdate { kUnchanged, kUpdated, kCannot };

// The roll-ups of `book` from `base`, those of the lines in `m` (see above): kUnchanged when no
// line moved; kUpdated with `out` set and `m` brought up to `book`; kCannot when the book has
// other lines or a figure the bound cannot vouch for — `m` is then spent.
RollupUpdate UpdateRollups(const rm::BudgetBook& book, const BudgetSummary& base,
                           MaintainedLines& m, std::optional<BudgetSummary>& out) {
  if (static_cast<size_t>(book.lines_size()) != m.lines.size()) return RollupUpdate::kCannot;
  for (size_t i = 0; i < m.lines.size(); ++i) {
    const rm::LineTotals& t = book.lines(static_cast<int>(i));
    const LineSnapshot now(t);
    LineSnapshot& before = m.lines[i];
    if (now == before) continue;
    if (!WithinAmountLimit(t)) return RollupUpdate::kCannot;
    if (!out.has_value()) {
      out.emplace(base);
      if (!m.targets.has_value()) m.targets.emplace(base);
    }
    const Amounts old_amounts = before.Derived();
    const Amounts new_amounts = now.Derived();
    // Every partial sum of the lines as they stand after this one fits (see FastSummarizer).
    m.bound_fen = m.bound_fen - MagnitudeBound(old_amounts) + MagnitudeBound(new_amounts);
    if (m.bound_fen > static_cast<uint64_t>(kInt64Max)) return RollupUpdate::kCannot;
    if (Magnitude(new_amounts.disbursed_fen) > kRateSurelyFitsFenMax &&
        !RatioOf(new_amounts.disbursed_fen, new_amounts.budget_fen, "").ok()) {
      return RollupUpdate::kCannot;
    }
    if (!m.targets->Move(*out, t.line(), old_amounts, -1) ||
        !m.targets->Move(*out, t.line(), new_amounts, +1)) {
      return RollupUpdate::kCannot;
    }
    if (before.closed != now.closed) {
      if (now.closed) {
        --out->open_lines;
      } else {
        ++out->open_lines;
      }
    }
    before = now;
  }
  if (!out.has_value()) return RollupUpdate::kUnchanged;
  const absl::StatusOr<Ratio> rate = RatioOf(out->total.disbursed_fen, out->total.budget_fen, "");
  if (!rate.ok()) return RollupUpdate::kCannot;
  out->execution_rate = *rate;
  return RollupUpdate::kUpdated;
}

Identity MakeIdentity(std::string name, int64_t left, int64_t right, std::string note = "") {
  Identity i;
  i.name = std::move(name);
  i.left_fen = left;
  i.right_fen = right;
  i.holds = left == right;
  if (!i.holds) i.note = std::move(note);
  return i;
}

int64_t LevelSum(const std::vector<CodeRow>& rows, int level, int64_t Amounts::*field,
                 bool* overflow) {
  int64_t sum = 0;
  for (const CodeRow& row : rows) {
    if (row.level == level && __builtin_add_overflow(sum, row.amounts.*field, &sum)) {
      *overflow = true;
    }
  }
  return sum;
}

std::string OpenNote(size_t open_lines, int64_t available_fen) {
  if (open_lines == 0) return "";
  return absl::StrCat(open_lines, " line(s) not closed by 年末结转; ", FormatFen(available_fen),
                      " 元 still available");
}

absl::Status AddIdentities(const BudgetSummary& s, FinalAccounts& f) {
  std::vector<Identity>& out = f.identities;
  int64_t right = 0;
  BUDGET_ASSIGN_OR_RETURN(right, Sum(f.current_income_fen, f.business_fund_offset_fen, "收入"));
  BUDGET_ASSIGN_OR_RETURN(right, Sum(right, f.carried_in_fen, "收入"));
  out.push_back(MakeIdentity("收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 年初结转和结余",
                             f.income_total_fen, right));
  BUDGET_ASSIGN_OR_RETURN(right,
                          Sum(f.current_expenditure_fen, f.surplus_distribution_fen, "支出"));
  BUDGET_ASSIGN_OR_RETURN(right, Sum(right, f.carried_out_fen, "支出"));
  out.push_back(MakeIdentity("支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
                             f.expenditure_total_fen, right));
  out.push_back(MakeIdentity("收入总计 = 支出总计", f.income_total_fen, f.expenditure_total_fen,
                             OpenNote(f.open_lines, f.open_available_fen)));
  BUDGET_ASSIGN_OR_RETURN(right, Sum(f.basic_fen, f.project_fen, "基本支出 + 项目支出"));
  out.push_back(MakeIdentity("本年支出合计 = 基本支出 + 项目支出", f.current_expenditure_fen, right,
                             "lines of neither kind"));
  BUDGET_ASSIGN_OR_RETURN(right, Sum(f.personnel_fen, f.public_use_fen, "人员经费 + 公用经费"));
  out.push_back(MakeIdentity(
      "基本支出 = 人员经费 + 公用经费", f.basic_fen, right,
      absl::StrCat(FormatFen(s.basic_other.disbursed_fen),
                   " 元 of 基本支出 is of economic 类 outside 301, 303 (人员经费) and 302, 310 "
                   "(公用经费)")));
  for (const FiscalKindAccount& k : f.fiscal_kinds) {
    int64_t left = 0;
    BUDGET_ASSIGN_OR_RETURN(left, Sum(k.carried_in_fen, k.income_fen, "年初结转 + 本年收入"));
    BUDGET_ASSIGN_OR_RETURN(right,
                            Sum(k.expenditure_fen, k.carried_out_fen, "本年支出 + 年末结转"));
    int64_t open = 0;
    BUDGET_ASSIGN_OR_RETURN(open, Difference(left, right, "still available"));
    out.push_back(MakeIdentity(
        absl::StrCat(domain::Label(k.fund_source), ": 年初结转 + 本年收入 = 本年支出 + 年末结转"),
        left, right, OpenNote(k.open_lines, open)));
  }
  bool overflow = false;
  const int64_t by_function = LevelSum(s.by_function, 1, &Amounts::disbursed_fen, &overflow);
  const int64_t by_economic = LevelSum(s.by_economic, 1, &Amounts::disbursed_fen, &overflow);
  if (overflow) return absl::OutOfRangeError("Σ 类 of 本年支出 is beyond the int64 range");
  out.push_back(
      MakeIdentity("支出功能分类: Σ 类 = 本年支出合计", by_function, f.current_expenditure_fen));
  out.push_back(MakeIdentity("部门预算支出经济分类: Σ 类 = 本年支出合计", by_economic,
                             f.current_expenditure_fen));
  return absl::OkStatus();
}

std::string RenderAmountsFull(const Amounts& a) {
  return absl::StrCat("拨款 ", FormatFen(a.appropriated_fen), " 调整 ", FormatFen(a.adjusted_fen),
                      " 收入 ", FormatFen(a.income_fen), " 年初结转 ", FormatFen(a.carried_in_fen),
                      " = 预算 ", FormatFen(a.budget_fen), "; 支出 ", FormatFen(a.disbursed_fen),
                      " 年末结转 ", FormatFen(a.carried_out_fen), " 余 ",
                      FormatFen(a.available_fen));
}

std::string RenderAmounts(const Amounts& a) {
  return absl::StrCat("预算 ", FormatFen(a.budget_fen), " 支出 ", FormatFen(a.disbursed_fen),
                      " 年末结转 ", FormatFen(a.carried_out_fen), " 余 ",
                      FormatFen(a.available_fen));
}

void RenderCodeRows(const std::vector<CodeRow>& rows, std::string& out) {
  for (const CodeRow& row : rows) {
    absl::StrAppend(&out, std::string(static_cast<size_t>(row.level) * 2, ' '), row.code,
                    row.undivided ? " (未细化)" : "", ": ", RenderAmounts(row.amounts), "\n");
  }
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

bool ReportsAgencyOperatingExpenses(const AgencyProfile& agency) {
  return domain::IsPartyOrGovernmentOrgan(agency.kind) ||
         (agency.kind == dpb::PUBLIC_INSTITUTION && agency.civil_servant_managed);
}

absl::StatusOr<BudgetSummary> SummarizeBudget(const rm::BudgetBook& book,
                                              const AgencyProfile& agency, SummaryLines lines) {
  {
    BudgetSummary s;
    if (FastSummarizer(book, agency, lines, s).Run()) return s;
  }
  BudgetSummary s;
  CheckedSummarizer summarizer(book, agency, s);
  for (const rm::LineTotals& line : book.lines()) {
    if (absl::Status status = summarizer.Add(line); !status.ok()) return status;
  }
  if (absl::Status status = summarizer.Finish(); !status.ok()) return status;
  if (lines == SummaryLines::kOmit) s.lines.clear();
  return s;
}

struct BudgetSummaryCache::Maintained {
  MaintainedLines lines;
};

BudgetSummaryCache::BudgetSummaryCache(size_t books_max, size_t maintained_lines_min)
    : books_max_(books_max), maintained_lines_min_(maintained_lines_min) {}

absl::StatusOr<std::shared_ptr<const BudgetSummary>> BudgetSummaryCache::RollUps(
    const rm::BudgetBook& book, uint64_t position, const AgencyProfile& agency) {
  const std::string key = BudgetBookKey(book.agency_id(), book.fiscal_year());
  std::shared_ptr<const BudgetSummary> base;
  std::shared_ptr<Maintained> maintained;  // taken from the entry while it is brought up to date
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.agency == agency) {
      if (it->second.position == position) {
        it->second.last_used = ++uses_;
        ++stats_.hits;
        return it->second.summary;
      }
      if (it->second.position < position && it->second.maintained != nullptr) {
        base = it->second.summary;
        maintained = std::move(it->second.maintained);
      }
    }
  }
  std::shared_ptr<const BudgetSummary> shared;
  RollupUpdate update = RollupUpdate::kCannot;
  if (maintained != nullptr) {
    std::optional<BudgetSummary> updated;
    update = UpdateRollups(book, *base, maintained->lines, updated);
    if (update == RollupUpdate::kUnchanged) shared = base;
    if (update == RollupUpdate::kUpdated) {
      shared = std::make_shared<const BudgetSummary>(*std::move(updated));
    }
    if (update == RollupUpdate::kCannot) maintained.reset();
  }
  if (shared == nullptr) {
    absl::StatusOr<BudgetSummary> summary = SummarizeBudget(book, agency, SummaryLines::kOmit);
    if (!summary.ok()) return summary.status();
    shared = std::make_shared<const BudgetSummary>(*std::move(summary));
    if (static_cast<size_t>(book.lines_size()) >= maintained_lines_min_) {
      std::optional<MaintainedLines> lines = CaptureLines(book);
      if (lines.has_value()) {
        maintained = std::make_shared<Maintained>();
        maintained->lines = *std::move(lines);
      }
    }
  }
  absl::MutexLock lock(&mu_);
  ++(update == RollupUpdate::kUnchanged ? stats_.unchanged
     : update == RollupUpdate::kUpdated ? stats_.updated
                                        : stats_.summarized);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.position > position) return shared;  // a later read's
  if (it == entries_.end() && books_max_ > 0 && entries_.size() >= books_max_) {
    entries_.erase(std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; }));
  }
  if (books_max_ > 0) entries_[key] = {position, agency, shared, std::move(maintained), ++uses_};
  return shared;
}

size_t BudgetSummaryCache::books() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

BudgetSummaryCache::Stats BudgetSummaryCache::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

bool FinalAccounts::AllHold() const {
  return std::all_of(identities.begin(), identities.end(),
                     [](const Identity& i) { return i.holds; });
}

absl::StatusOr<FinalAccounts> FinalAccountsOf(const BudgetSummary& s) {
  FinalAccounts f;
  std::map<dpb::FundSource, const Amounts*> funds;
  for (const FundSourceRow& row : s.by_fund_source) funds[row.fund_source] = &row.amounts;
  for (int v = dpb::FundSource_MIN; v <= dpb::FundSource_MAX; ++v) {
    const auto source = static_cast<dpb::FundSource>(v);
    if (!dpb::FundSource_IsValid(v) || source == dpb::FUND_SOURCE_UNSPECIFIED) continue;
    auto it = funds.find(source);
    f.income_by_source.push_back({source, it == funds.end() ? 0 : it->second->current_income_fen});
    if (!domain::IsFiscalAppropriation(source)) continue;
    FiscalKindAccount k;
    k.fund_source = source;
    if (it != funds.end()) {
      k.carried_in_fen = it->second->carried_in_fen;
      k.income_fen = it->second->current_income_fen;
      k.expenditure_fen = it->second->disbursed_fen;
      k.carried_out_fen = it->second->carried_out_fen;
    }
    for (const LineAmounts& line : s.lines) {
      if (line.line.fund_source() == source && !line.closed) ++k.open_lines;
    }
    f.fiscal_kinds.push_back(k);
  }
  f.current_income_fen = s.total.current_income_fen;
  f.carried_in_fen = s.total.carried_in_fen;
  BUDGET_ASSIGN_OR_RETURN(f.income_total_fen,
                          Sum(f.current_income_fen, f.carried_in_fen, "收入总计"));
  f.basic_fen = s.basic.disbursed_fen;
  f.project_fen = s.project.disbursed_fen;
  f.current_expenditure_fen = s.total.disbursed_fen;
  f.carried_out_fen = s.total.carried_out_fen;
  BUDGET_ASSIGN_OR_RETURN(f.expenditure_total_fen,
                          Sum(f.current_expenditure_fen, f.carried_out_fen, "支出总计"));
  f.personnel_fen = s.personnel.disbursed_fen;
  f.public_use_fen = s.public_use.disbursed_fen;
  f.open_lines = s.open_lines;
  for (const LineAmounts& line : s.lines) {
    if (line.closed) continue;
    BUDGET_ASSIGN_OR_RETURN(f.open_available_fen,
                            Sum(f.open_available_fen, line.amounts.available_fen, "available"));
  }
  if (absl::Status status = AddIdentities(s, f); !status.ok()) return status;
  return f;
}

absl::StatusOr<std::vector<YearOverYear>> CompareYears(const BudgetSummary& this_year,
                                                       const BudgetSummary& last_year) {
  auto metrics = [](const BudgetSummary& s) {
    std::vector<std::pair<std::string, int64_t>> m = {
        {"收入总计", s.total.budget_fen},        {"本年收入合计", s.total.current_income_fen},
        {"本年支出合计", s.total.disbursed_fen}, {"基本支出", s.basic.disbursed_fen},
        {"项目支出", s.project.disbursed_fen},   {"人员经费", s.personnel.disbursed_fen},
        {"公用经费", s.public_use.disbursed_fen}};
    for (const dpb::FundSource source :
         {dpb::GENERAL_PUBLIC_BUDGET, dpb::GOVERNMENT_FUND, dpb::STATE_CAPITAL}) {
      int64_t fen = 0;
      for (const FundSourceRow& row : s.by_fund_source) {
        if (row.fund_source == source) fen = row.amounts.disbursed_fen;
      }
      m.emplace_back(absl::StrCat(domain::Label(source), "财政拨款支出"), fen);
    }
    m.emplace_back("三公经费", s.three_public.total.disbursed_fen);
    m.emplace_back("机关运行经费", s.agency_operating.disbursed_fen);
    return m;
  };
  const auto now = metrics(this_year);
  const auto before = metrics(last_year);
  std::vector<YearOverYear> out;
  for (size_t i = 0; i < now.size(); ++i) {
    YearOverYear y;
    y.metric = now[i].first;
    y.this_year_fen = now[i].second;
    y.last_year_fen = before[i].second;
    const std::string what =
        absl::StrCat(y.metric, " ", this_year.fiscal_year, " against ", last_year.fiscal_year);
    BUDGET_ASSIGN_OR_RETURN(y.change_fen, Difference(y.this_year_fen, y.last_year_fen, what));
    absl::StatusOr<Ratio> change = RatioOf(y.change_fen, y.last_year_fen, what);
    if (!change.ok()) return change.status();
    y.change = *change;
    out.push_back(std::move(y));
  }
  return out;
}

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

std::string FormatCentipoints(int64_t centipoints) { return FormatFen(centipoints); }

std::string LineLabel(const dpb::BudgetLine& line) {
  std::string label = absl::StrCat(domain::Label(line.fund_source()), " ", line.function_code(),
                                   "/", line.economic_code(), " ", domain::Label(line.kind()));
  if (!line.project_id().empty()) absl::StrAppend(&label, " ", line.project_id());
  return label;
}

std::string RenderBudget(const BudgetSummary& s) {
  std::string out =
      absl::StrCat("预算 ", s.agency_id, " ", s.fiscal_year, ": ", RenderAmounts(s.total),
                   "; 执行 ", FormatRatio(s.execution_rate), "; 未结转 ", s.open_lines, " 行\n");
  absl::StrAppend(&out, "行:\n");
  for (const LineAmounts& l : s.lines) {
    absl::StrAppend(&out, "  ", LineLabel(l.line), ": ", RenderAmountsFull(l.amounts), "; 执行 ",
                    FormatRatio(l.execution_rate), l.closed ? " (已结转)" : "", "\n");
  }
  absl::StrAppend(&out, "合计: ", RenderAmountsFull(s.total), "\n");
  absl::StrAppend(&out, "资金来源:\n");
  for (const FundSourceRow& row : s.by_fund_source) {
    absl::StrAppend(&out, "  ", domain::Label(row.fund_source), ": ", RenderAmounts(row.amounts),
                    "\n");
  }
  absl::StrAppend(&out, "支出功能分类:\n");
  RenderCodeRows(s.by_function, out);
  absl::StrAppend(&out, "部门预算支出经济分类:\n");
  RenderCodeRows(s.by_economic, out);
  absl::StrAppend(&out, "基本支出: ", RenderAmounts(s.basic), "\n");
  absl::StrAppend(&out, "  人员经费: ", RenderAmounts(s.personnel), "\n");
  absl::StrAppend(&out, "  公用经费: ", RenderAmounts(s.public_use), "\n");
  if (!(s.basic_other == Amounts())) {
    absl::StrAppend(&out, "  其他经济分类: ", RenderAmounts(s.basic_other), "\n");
  }
  absl::StrAppend(&out, "项目支出: ", RenderAmounts(s.project), "\n");
  for (const ProjectAmounts& p : s.by_project) {
    absl::StrAppend(&out, "  ", p.project_id, " ", p.name, ": ", RenderAmounts(p.amounts), "\n");
  }
  const ThreePublicExpenses& t = s.three_public;
  absl::StrAppend(&out, "三公经费: ", RenderAmounts(t.total), "\n");
  absl::StrAppend(&out, "  因公出国(境)费: ", RenderAmounts(t.overseas_trips), "\n");
  absl::StrAppend(&out, "  公务用车购置费: ", RenderAmounts(t.vehicle_purchase), "\n");
  absl::StrAppend(&out, "  公务用车运行维护费: ", RenderAmounts(t.vehicle_operation), "\n");
  absl::StrAppend(&out, "  公务接待费: ", RenderAmounts(t.reception), "\n");
  absl::StrAppend(&out, "机关运行经费: ",
                  s.agency_operating_applicable ? RenderAmounts(s.agency_operating) : "不适用",
                  "\n");
  return out;
}

std::string RenderFinalAccounts(const FinalAccounts& f) {
  std::string out = absl::StrCat("本年收入合计 ", FormatFen(f.current_income_fen), "\n");
  for (const IncomeBySource& i : f.income_by_source) {
    absl::StrAppend(&out, "  ", domain::Label(i.fund_source), " ", FormatFen(i.fen), "\n");
  }
  absl::StrAppend(
      &out, "用事业基金弥补收支差额 ", FormatFen(f.business_fund_offset_fen), "\n",
      "年初结转和结余 ", FormatFen(f.carried_in_fen), "\n", "收入总计 ",
      FormatFen(f.income_total_fen), "\n", "本年支出合计 ", FormatFen(f.current_expenditure_fen),
      "\n", "  基本支出 ", FormatFen(f.basic_fen), " (人员经费 ", FormatFen(f.personnel_fen),
      ", 公用经费 ", FormatFen(f.public_use_fen), ")\n", "  项目支出 ", FormatFen(f.project_fen),
      "\n", "结余分配 ", FormatFen(f.surplus_distribution_fen), "\n", "年末结转和结余 ",
      FormatFen(f.carried_out_fen), "\n", "支出总计 ", FormatFen(f.expenditure_total_fen), "\n");
  absl::StrAppend(&out, "财政拨款:\n");
  for (const FiscalKindAccount& k : f.fiscal_kinds) {
    absl::StrAppend(&out, "  ", domain::Label(k.fund_source), ": 年初结转 ",
                    FormatFen(k.carried_in_fen), " 本年收入 ", FormatFen(k.income_fen),
                    " 本年支出 ", FormatFen(k.expenditure_fen), " 年末结转 ",
                    FormatFen(k.carried_out_fen), "\n");
  }
  absl::StrAppend(&out, "恒等式:\n");
  for (const Identity& i : f.identities) {
    absl::StrAppend(&out, "  ", i.holds ? "✓ " : "✗ ", i.name, ": ", FormatFen(i.left_fen),
                    i.holds ? " = " : " ≠ ", FormatFen(i.right_fen));
    if (!i.note.empty()) absl::StrAppend(&out, " (", i.note, ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string RenderYearOverYear(const std::vector<YearOverYear>& entries) {
  std::string out;
  for (const YearOverYear& y : entries) {
    absl::StrAppend(&out, y.metric, ": ", FormatFen(y.this_year_fen), " (上年 ",
                    FormatFen(y.last_year_fen), ") ", y.change_fen >= 0 ? "+" : "",
                    FormatFen(y.change_fen), " ", FormatRatio(y.change), "\n");
  }
  return out;
}

std::string RenderPerformance(const std::vector<ProjectPerformance>& projects) {
  std::string out;
  for (const ProjectPerformance& p : projects) {
    absl::StrAppend(&out, p.project_id, " ", p.name, ": ", FormatCentipoints(p.score_centipoints),
                    " ", GradeLabel(p.grade), "\n");
    absl::StrAppend(&out, "  预算执行: 预算 ", FormatFen(p.amounts.budget_fen), " 支出 ",
                    FormatFen(p.amounts.disbursed_fen), " 执行 ", FormatRatio(p.execution_rate),
                    " → ", FormatCentipoints(p.execution_centipoints), "\n");
    for (const LevelScore& l : p.levels) {
      absl::StrAppend(&out, "  ", domain::Label(l.level), ": ", l.met, "/", l.indicators,
                      " 达成 → ", FormatCentipoints(l.centipoints), " (权重 ", l.weight, ")\n");
    }
    for (const IndicatorResult& r : p.indicators) {
      const dpb::PerformanceIndicator& i = r.indicator;
      const bool qualitative = i.op() == dpb::QUALITATIVE;
      const std::string target = qualitative
                                     ? absl::StrCat("定性 ", i.target_text())
                                     : absl::StrCat(OperatorLabel(i.op()), " ",
                                                    FormatMilli(i.target_milli()), " ", i.unit());
      const std::string actual =
          !r.recorded   ? "未记录"
          : qualitative ? r.actual.actual_text()
                        : absl::StrCat(FormatMilli(r.actual.actual_milli()), " ", i.unit());
      absl::StrAppend(&out, "    ", i.indicator_id(), " ", domain::Label(i.level2()), " ", i.name(),
                      " [", target, "] 实际 ", actual, r.met ? " 达成" : " 未达成", "\n");
    }
  }
  return out;
}

}  // namespace reformlog::projections

#undef BUDGET_ASSIGN_OR_RETURN
