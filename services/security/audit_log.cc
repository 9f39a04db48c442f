#include "services/security/audit_log.h"

#include <map>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "eventstore/limits.h"
#include "spdlog/spdlog.h"

namespace reformlog::services::security {
namespace {

static_assert(kAuditBatchMax + 1 <= eventstore::kStreamsPerCommitMax);
static_assert(2 * kAuditBatchMax <= eventstore::kEventsPerCommitMax);

std::string StreamOf(const domain::v1::AuditRecord& record) {
  return record.principal_id().empty()
             ? std::string(kAuditAnonymousStream)
             : absl::StrCat(kAuditPrincipalStreamPrefix, record.principal_id());
}

}  // namespace

AuditLog::AuditLog(eventstore::EventStore& store) : store_(store) {
  absl::BitGen gen;
  run_id_ = absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
  writer_ = std::thread([this] { WriteLoop(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queued_cv_.notify_all();
  writer_.join();
}

absl::Status AuditLog::Record(domain::v1::AuditRecord record, bool durable) {
  if (record.message().size() > kAuditMessageBytesMax) {
    std::string cut = record.message().substr(0, kAuditMessageBytesMax);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) cut.pop_back();
    record.set_message(absl::StrCat(cut, "…"));
  }
  auto done = durable ? std::make_shared<std::promise<absl::Status>>() : nullptr;
  std::future<absl::Status> result;
  if (done != nullptr) result = done->get_future();
  {
    std::unique_lock lock(mu_);
    room_cv_.wait(lock, [&] { return queue_.size() < kAuditQueueMax || stopping_; });
    if (stopping_) return absl::UnavailableError("reformd is stopping: the audit log is closed");
    queue_.push_back({std::move(record), done});
  }
  queued_cv_.notify_one();
  return done == nullptr ? absl::OkStatus() : result.get();
}

void AuditLog::WriteLoop() {
  while (true) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mu_);
      queued_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is written
      while (!queue_.empty() && batch.size() < kAuditBatchMax) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    room_cv_.notify_all();
    eventstore::Commit commit;
    commit.commit_id = absl::StrCat("audit-", run_id_, "-", ++batches_);
    commit.principal = "reformd";
    eventstore::StreamWrite all{kAuditStream, eventstore::ExpectedVersion::Any(), {}};
    std::map<std::string, eventstore::StreamWrite> by_principal;
    for (const Pending& p : batch) {
      eventstore::NewEvent event;
      event.type = domain::v1::AuditRecord::descriptor()->full_name();
      event.data = p.record.SerializeAsString();
      event.basis.number = p.record.document();
      all.events.push_back(event);
      const std::string stream = StreamOf(p.record);
      auto [it, fresh] = by_principal.try_emplace(stream);
      if (fresh) it->second = {stream, eventstore::ExpectedVersion::Any(), {}};
      it->second.events.push_back(std::move(event));
    }
    commit.writes.push_back(std::move(all));
    for (auto& [stream, write] : by_principal) commit.writes.push_back(std::move(write));
    absl::Status status = store_.Append(commit).status();
    if (!status.ok()) {
      spdlog::error("audit: {} records could not be written: {}", batch.size(), status.ToString());
    }
    for (Pending& p : batch) {
      if (p.done != nullptr) p.done->set_value(status);
    }
  }
}

absl::StatusOr<AuditPage> AuditLog::Read(const AuditQuery& query) {
  if (query.max_count < 1 || query.max_count > kAuditReadMax) {
    return absl::InvalidArgumentError(absl::StrCat("max_count ", query.max_count, " is outside 1–",
                                                   kAuditReadMax, " (kAuditReadMax)"));
  }
  const std::string stream = query.principal_id.empty()
                                 ? std::string(kAuditStream)
                                 : absl::StrCat(kAuditPrincipalStreamPrefix, query.principal_id);
  AuditPage page;
  uint64_t next = query.before == 0 ? 0 : query.before - 1;  // 0: from the last
  if (query.before == 1) return page;                        // nothing below version 1
  size_t scanned = 0;
  while (scanned < kAuditScanMax && page.entries.size() < query.max_count) {
    const size_t count = std::min(eventstore::kReadCountMax, kAuditScanMax - scanned);
    ASSIGN_OR_RETURN(eventstore::StreamSlice slice,
                     store_.ReadStream(stream, next, eventstore::ReadDirection::kBackward, count));
    if (slice.events.empty()) return page;
    for (const eventstore::RecordedEvent& e : slice.events) {
      ++scanned;
      page.next_before = e.stream_version;
      if (query.from_us != 0 && e.recorded_at_us < query.from_us) {
        page.next_before = 0;  // older than the window: nothing further can match
        return page;
      }
      if (query.to_us != 0 && e.recorded_at_us >= query.to_us) continue;
      domain::v1::AuditRecord record;
      if (!record.ParseFromString(e.data)) {
        return absl::DataLossError(absl::StrCat("audit record at ", stream, " version ",
                                                e.stream_version, " does not parse"));
      }
      if (!query.document.empty() && record.document() != query.document) continue;
      if (!query.target.empty() && !absl::StrContains(record.target(), query.target)) continue;
      page.entries.push_back({e.recorded_at_us, std::move(record)});
      if (page.entries.size() >= query.max_count) break;
    }
    if (page.next_before <= 1) {
      page.next_before = 0;
      return page;
    }
    next = page.next_before - 1;
  }
  return page;
}

}  // namespace reformlog::services::security
