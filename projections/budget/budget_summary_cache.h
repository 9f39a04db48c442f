// BudgetSummaryCache: the roll-ups of budget books (SummarizeBudget, budget_summary.h) kept per
// book and read-model position, bounded and thread-safe, and maintained as a book moves on rather
// than summed afresh — what the budget query service answers GetBudget with.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_CACHE_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/lru_cache.h"
#include "projections/budget/budget_summary.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

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
  };

  const size_t books_max_;
  const size_t maintained_lines_min_;
  mutable absl::Mutex mu_;
  // By BudgetBookKey; the least recently used book goes first when books_max_ are kept.
  LruCache<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_CACHE_H_
