// What moves between agencies in restructures and transfers, as events: quota (编随事走),
// people (人随编走) and power items. Shared by the org and staffing decisions so that a
// merger, a split, an abolition with a successor and a plain transfer record a move the
// same way.
#ifndef REFORMLOG_SERVICES_DOMAIN_MOVES_H_
#define REFORMLOG_SERVICES_DOMAIN_MOVES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

// FAILED_PRECONDITION when `category` may not be used in an agency of `kind`: 事业编制 only in
// 事业单位; 行政编制 and 政法专项编制 only in 党政机关.
absl::Status CheckCategoryAllowed(const AgencyState& agency, pb::QuotaCategory category);

// INVALID_ARGUMENT unless `category` is one of the five.
absl::Status ValidateCategory(absl::string_view field, pb::QuotaCategory category);

// QuotaTransferredOut on `from`, QuotaTransferredIn on `to`.
void MoveQuota(Decision& decision, const AgencyState& from, const AgencyState& to,
               pb::QuotaCategory category, int64_t count);

// For each person (all in `from`'s roster): PersonTransferred on the person's stream (read
// through `view`, so its version is expected), and one RosterChanged on each agency.
absl::Status MovePersons(StateView& view, Decision& decision, const AgencyState& from,
                         const AgencyState& to, const std::vector<std::string>& person_ids);

// For each power item (all held by `from`): PowerDelegated (mode RESTRUCTURED) on the item's
// stream, and one PowersHeldChanged on each agency.
absl::Status MovePowers(StateView& view, Decision& decision, const AgencyState& from,
                        const AgencyState& to, const std::vector<std::string>& codes);

// Leaders keep their rank (保留原职级) when a restructure moves them (after MovePersons): each
// of `person_ids` who holds a leader post in `from` is appointed in `to` at the same rank,
// titled "原{from's name}{title}" (LeaderAppointed, LeadersChanged); those beyond `to`'s
// approved posts and its transition open a transition to absorb (消化,
// LeaderTransitionOpened). The carried leaders and the transition are added to `to` (the
// receiving agency's state as the decision goes), so that moves into one body count together.
void CarryLeaders(Decision& decision, const AgencyState& from,
                  const std::vector<std::string>& person_ids, AgencyState& to);

// The most QuotaDispositions one restructure carries (kMergeOriginalsMax bodies × the five
// categories, with room to spare).
inline constexpr int kQuotaDispositionsMax = 160;

// A restructure's QuotaDispositions (api QuotaDisposition): for each, the body named
// (`ceasing` are the states of the bodies that cease into `to`) converts (转换,
// QuotaConverted, with PersonRecategorised on the stream of each person in post in the
// category) and cancels (核销, QuotaCancelled) all it holds of a category `to` may not hold.
// Returns the ceasing bodies' states after that, in the order of `ceasing`, for
// MoveEverything. INVALID_ARGUMENT for a disposition that names no ceasing body, an unknown or
// repeated category, one `to` may hold anyway, or counts out of range; FAILED_PRECONDITION,
// naming the body and the numbers, when the counts do not add up to what it holds, when fewer
// are converted than there are people in post (only vacant 编制 can be cancelled), or when
// `to` may not hold the category converted to.
absl::StatusOr<std::vector<AgencyState>> DisposeQuotas(
    StateView& view, Decision& decision, const std::vector<const AgencyState*>& ceasing,
    const AgencyState& to,
    const google::protobuf::RepeatedPtrField<::reformlog::api::v1::QuotaDisposition>& dispositions);

// FAILED_PRECONDITION when `agency`, about to cease, holds vacancies reserved by 用编 notices
// still valid on `date` (预留编制): they are withdrawn or filled first, never carried.
absl::Status CheckNoReservations(const AgencyState& agency, absl::string_view date);

// Everything `from` holds — every quota, person, power item and function — to `to`, as
// when `from` ceases (merger, abolition with a successor). FAILED_PRECONDITION when `to`
// may not take a category `from` has (DisposeQuotas first converts or cancels those).
//
// Leaders keep their rank: CarryLeaders for every leader of `from`.
absl::Status MoveEverything(StateView& view, Decision& decision, const AgencyState& from,
                            AgencyState& to);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_MOVES_H_
