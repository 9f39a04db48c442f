// Wire-level tricks of GetBudget, kept apart from what it answers:
//
//  * Pack: the year's figures of a GetBudget answer, serialised on one arena (some 10,000
//    roll-up rows: allocating and freeing them one by one cost more than computing them).
//  * SliceOf: a grpc::Slice over shared bytes without copying them (the slice keeps them
//    alive), so that an answer can be spliced from pieces: fields of messages packed one after
//    the other read back as one message.
//  * PackedRollUps: the packed roll-ups (GetBudget with omit_lines) of the summaries
//    BudgetSummaryCache last gave for each book, packed again only when the cache gives
//    another summary. At most kBudgetSummaryCacheBooksMax books (the least recently used go
//    first); thread-safe.
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_WIRE_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_WIRE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "base/lru_cache.h"
#include "grpcpp/support/slice.h"
#include "projections/budget/budget_summary.h"

namespace reformlog::services {

using Bytes = std::shared_ptr<const std::string>;

Bytes Pack(const projections::BudgetSummary& s, bool omit_lines);

grpc::Slice SliceOf(Bytes bytes);

class PackedRollUps {
 public:
  PackedRollUps();
  Bytes Of(const std::string& book_key, std::shared_ptr<const projections::BudgetSummary> summary);

 private:
  struct Entry {
    std::shared_ptr<const projections::BudgetSummary> summary;
    Bytes bytes;
  };
  absl::Mutex mu_;
  LruCache<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_WIRE_H_
