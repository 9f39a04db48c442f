// AuditLog: the audit trail (安全审计, GB/T 22239 level 3) — every write, every read of
// personal data, every administrative call and every call refused for want of credentials or
// permission, with its time, principal, client address, method, target and outcome — kept in
// the security log (an event store of its own, append-only: no RPC writes or changes it) in
// the stream `audit` and, per principal, `audit-p-<principal>` (`audit-anonymous` for calls
// that were not authenticated).
//
// Records are batched: one writer thread appends whatever is queued as one commit (at most
// kAuditBatchMax records), so a busy server pays one fsync per batch, not per record.
// Record(…, durable=true) returns once its record is on disk — refusals, personal-data reads
// and administrative calls wait for that. A recorded write's own record is queued without
// waiting: the write itself is already durable in the main log with its principal, time and
// document, and its audit record follows within one batch.
//
// Read() answers by principal (reading that principal's stream), document, target and time,
// newest first, scanning at most kAuditScanMax records a call (`next_before` continues).
// Thread-safe.
#ifndef REFORMLOG_SERVICES_SECURITY_AUDIT_LOG_H_
#define REFORMLOG_SERVICES_SECURITY_AUDIT_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "reformlog/domain/v1/security_events.pb.h"

namespace reformlog::services::security {

// Records appended in one commit.
inline constexpr size_t kAuditBatchMax = 512;
// Records queued before Record blocks the caller until the writer catches up.
inline constexpr size_t kAuditQueueMax = 65'536;
// Records one Read scans; and the most it returns.
inline constexpr size_t kAuditScanMax = 100'000;
inline constexpr size_t kAuditReadMax = 1'000;
// A refusal's message is kept up to this many bytes.
inline constexpr size_t kAuditMessageBytesMax = 512;

inline constexpr char kAuditStream[] = "audit";
inline constexpr char kAuditPrincipalStreamPrefix[] = "audit-p-";
inline constexpr char kAuditAnonymousStream[] = "audit-anonymous";

struct AuditQuery {
  std::string principal_id;  // empty: anyone
  std::string document;      // exact 文号; empty: any
  std::string target;        // a substring of the target ("xq-czj"); empty: any
  int64_t from_us = 0;       // recorded at or after; 0: no bound
  int64_t to_us = 0;         // recorded before; 0: no bound
  uint64_t before = 0;       // continue below this stream version (a previous next_before)
  size_t max_count = 100;    // 1..kAuditReadMax
};

struct AuditEntry {
  int64_t recorded_at_us = 0;
  domain::v1::AuditRecord record;
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  uint64_t next_before = 0;         // 0: nothing older is left
};

class AuditLog {
 public:
  // `store` (the security log) must outlive the log. Starts the writer thread.
  explicit AuditLog(eventstore::EventStore& store);
  // Writes what is queued, then stops.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Queues `record`; with `durable`, waits until it is on disk and returns the store's error
  // if it could not be written.
  absl::Status Record(domain::v1::AuditRecord record, bool durable);

  // INVALID_ARGUMENT for a max_count outside 1..kAuditReadMax.
  absl::StatusOr<AuditPage> Read(const AuditQuery& query);

 private:
  struct Pending {
    domain::v1::AuditRecord record;
    std::shared_ptr<std::promise<absl::Status>> done;  // null: nobody waits
  };
  void WriteLoop();

  eventstore::EventStore& store_;
  std::mutex mu_;
  std::condition_variable queued_cv_;
  std::condition_variable room_cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  uint64_t batches_ = 0;       // guarded by the writer thread alone
  std::string run_id_;
  std::thread writer_;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_AUDIT_LOG_H_
