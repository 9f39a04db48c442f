// Decisions of the staffing context (StaffingCommands): people in post (实名制), leader posts
// (领导职数) and reform locks. Pure: see decision.h.
#ifndef REFORMLOG_SERVICES_DOMAIN_STAFFING_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_STAFFING_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// People registered or transferred by one command (each is a stream of the commit). A batch
// also touches its agencies and, for newcomers, their jurisdictions' settings and the notices
// they cite: the store's kStreamsPerCommitMax bounds that (a refusal naming it).
inline constexpr int kPersonsPerCommandMax = 1'000;
// Agencies locked or unlocked by one command.
inline constexpr int kAgenciesPerLockMax = 500;

// A registration fills a free vacancy (quota − in post − 预留编制 of notices valid on its date),
// or, citing an approved, unlapsed 用编 notice of its agency and category, one the notice
// reserved (QuotaUseFilled on the notice, QuotaReservationReleased on the agency). Where the
// agency's jurisdiction requires 用编审批 (quota_use_decide.h), a newcomer (any entry reason
// but 首次登记) must cite one. FAILED_PRECONDITION listing every person that cannot be
// registered and why.
absl::StatusOr<Decision> DecideRegisterPerson(StateView& view, const api::RegisterPersonRequest& r);
absl::StatusOr<Decision> DecideRegisterPersons(StateView& view,
                                               const api::RegisterPersonsRequest& r);
absl::StatusOr<Decision> DecideTransferPersons(StateView& view,
                                               const api::TransferPersonsRequest& r);
absl::StatusOr<Decision> DecideAppointLeader(StateView& view, const api::AppointLeaderRequest& r);
absl::StatusOr<Decision> DecideRemoveLeader(StateView& view, const api::RemoveLeaderRequest& r);
absl::StatusOr<Decision> DecideRecordDeparture(StateView& view,
                                               const api::RecordDepartureRequest& r);
// 锁定 / 解锁 under header.plan_id, judged on the records as they stand now (LatestAgency):
// FAILED_PRECONDITION when an agency is locked already (by another plan, to unlock), and when
// the command is dated before the agency's last lock or unlock — locks follow each other in the
// order recorded, so a lock cannot be back-dated past an unlock or the other way round.
absl::StatusOr<Decision> DecideLockRecords(StateView& view, const api::LockRecordsRequest& r);
absl::StatusOr<Decision> DecideUnlockRecords(StateView& view, const api::LockRecordsRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_STAFFING_DECIDE_H_
