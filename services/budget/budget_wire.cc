#include "services/budget/budget_wire.h"

#include <utility>

#include "google/protobuf/arena.h"
#include "projections/budget/budget_summary_cache.h"
#include "reformlog/api/v1/budget_queries.pb.h"
#include "services/budget/budget_to_api.h"

namespace reformlog::services {
namespace {

// A GetBudget response is some 10,000 roll-up rows (a row per 项 code): allocating and freeing
// them one by one cost more than computing them, so a response is built on one arena, freed at
// once when it is packed. Its blocks grow from the first to the largest size below.
constexpr size_t kPackArenaStartBlockBytes = 16 << 10;
constexpr size_t kPackArenaBlockBytesMax = 1 << 20;

google::protobuf::ArenaOptions PackArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = kPackArenaStartBlockBytes;
  options.max_block_size = kPackArenaBlockBytesMax;
  return options;
}

}  // namespace

// A slice of `bytes` without copying them: the slice keeps them alive.
grpc::Slice SliceOf(Bytes bytes) {
  auto* kept = new Bytes(std::move(bytes));
  return grpc::Slice(
      const_cast<char*>((*kept)->data()), (*kept)->size(),
      [](void* user_data) { delete static_cast<Bytes*>(user_data); }, kept);
}

// The year's figures of a GetBudget answer (all but the fields of the call), packed.
Bytes Pack(const projections::BudgetSummary& s, bool omit_lines) {
  google::protobuf::Arena arena(PackArenaOptions());
  auto* response = google::protobuf::Arena::CreateMessage<api::v1::GetBudgetResponse>(&arena);
  ToApi(s, omit_lines, response);
  return std::make_shared<const std::string>(response->SerializeAsString());
}

PackedRollUps::PackedRollUps() : entries_(projections::kBudgetSummaryCacheBooksMax) {}

Bytes PackedRollUps::Of(const std::string& book_key,
                        std::shared_ptr<const projections::BudgetSummary> summary) {
  {
    absl::MutexLock lock(&mu_);
    if (const Entry* entry = entries_.Get(book_key);
        entry != nullptr && entry->summary == summary) {
      return entry->bytes;
    }
  }
  Bytes bytes = Pack(*summary, /*omit_lines=*/true);
  absl::MutexLock lock(&mu_);
  entries_.Put(book_key, {std::move(summary), bytes});
  return bytes;
}

}  // namespace reformlog::services
