#include "projections/budget/budget_summary_cache.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "domain/vocabulary.h"
#include "projections/budget/budget_code_keys.h"
#include "projections/budget/budget_projection.h"

namespace reformlog::projections {
namespace {

using budget_internal::AddUnchecked;
using budget_internal::CodeKeyOf;
using budget_internal::DeriveAmounts;
using budget_internal::ExecutionRateFits;
using budget_internal::kCodeKeyDigitBits;
using budget_internal::kCodeKeyDigitsMax;
using budget_internal::kPersonnelClassKeys;
using budget_internal::kPublicUseClassKeys;
using budget_internal::kRollupBoundFenMax;
using budget_internal::kThreePublicItems;
using budget_internal::MagnitudeBound;
using budget_internal::PrefixKey;
using budget_internal::RecordedAmounts;
using budget_internal::SubtractUnchecked;
using budget_internal::ThreePublicItem;
using budget_internal::WithDerived;
using budget_internal::WithinAmountLimit;

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
  uint64_t bound_fen = 0;  // Σ MagnitudeBound of the lines: at most kRollupBoundFenMax
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
    if (m.bound_fen > kRollupBoundFenMax) return std::nullopt;
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
    // Every partial sum of the lines as they stand after this one fits (see kRollupBoundFenMax).
    m.bound_fen = m.bound_fen - MagnitudeBound(old_amounts) + MagnitudeBound(new_amounts);
    if (m.bound_fen > kRollupBoundFenMax) return RollupUpdate::kCannot;
    if (!ExecutionRateFits(new_amounts)) return RollupUpdate::kCannot;
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

}  // namespace

struct BudgetSummaryCache::Maintained {
  MaintainedLines lines;
};

BudgetSummaryCache::BudgetSummaryCache(size_t books_max, size_t maintained_lines_min)
    : books_max_(books_max),
      maintained_lines_min_(maintained_lines_min),
      entries_(std::max<size_t>(books_max, 1)) {}

absl::StatusOr<std::shared_ptr<const BudgetSummary>> BudgetSummaryCache::RollUps(
    const rm::BudgetBook& book, uint64_t position, const AgencyProfile& agency) {
  const std::string key = BudgetBookKey(book.agency_id(), book.fiscal_year());
  std::shared_ptr<const BudgetSummary> base;
  std::shared_ptr<Maintained> maintained;  // taken from the entry while it is brought up to date
  {
    absl::MutexLock lock(&mu_);
    Entry* entry = entries_.Get(key);
    if (entry != nullptr && entry->agency == agency) {
      if (entry->position == position) {
        ++stats_.hits;
        return entry->summary;
      }
      if (entry->position < position && entry->maintained != nullptr) {
        base = entry->summary;
        maintained = std::move(entry->maintained);
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
  if (const Entry* entry = entries_.Get(key); entry != nullptr && entry->position > position) {
    return shared;  // a later read's
  }
  if (books_max_ > 0) entries_.Put(key, {position, agency, shared, std::move(maintained)});
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

}  // namespace reformlog::projections
