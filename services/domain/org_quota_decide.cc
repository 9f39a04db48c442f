#include "services/domain/org_quota_decide.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/vocabulary.h"
#include "services/domain/moves.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

absl::Status ValidateChangeQuota(const api::ChangeQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateCategory("category", r.category()));
  if (r.count() <= 0 || r.count() > kQuotaCountMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("count ", r.count(), " is outside 1–", kQuotaCountMax));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateQuotaCounts(absl::string_view field,
                                 const google::protobuf::RepeatedPtrField<pb::QuotaCount>& quotas,
                                 std::map<pb::QuotaCategory, int64_t>* out) {
  for (int i = 0; i < quotas.size(); ++i) {
    const std::string where = absl::StrCat(field, "[", i, "]");
    RETURN_IF_ERROR(ValidateCategory(absl::StrCat(where, ".category"), quotas[i].category()));
    if (quotas[i].count() < 0 || quotas[i].count() > kQuotaCountMax) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".count ", quotas[i].count(), " is outside 0–", kQuotaCountMax));
    }
    if (!out->emplace(quotas[i].category(), quotas[i].count()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", Label(quotas[i].category()), " appears twice"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Decision> DecideGrantQuota(StateView& view, const api::ChangeQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateChangeQuota(r));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  RETURN_IF_ERROR(CheckCategoryAllowed(*agency, r.category()));
  if (agency->Quota(r.category()) + r.count() > kQuotaCountMax) {
    return absl::FailedPreconditionError(absl::StrCat("the quota would exceed ", kQuotaCountMax));
  }
  Decision decision;
  auto* e = decision.Emit<pb::QuotaGranted>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_category(r.category());
  e->set_count(r.count());
  return decision;
}

absl::StatusOr<Decision> DecideWithdrawQuota(StateView& view, const api::ChangeQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateChangeQuota(r));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  const int64_t quota = agency->Quota(r.category());
  const int64_t in_post = agency->InPost(r.category());
  const int64_t reserved = agency->ReservedOn(r.category(), view.effective_date());
  if (quota - r.count() < in_post + reserved) {
    return absl::FailedPreconditionError(absl::StrCat(
        agency->Describe(), " ", Label(r.category()), ": quota ", quota, ", in post ", in_post,
        reserved > 0 ? absl::StrCat(", reserved ", reserved, " (预留编制)") : "", ", withdrawing ",
        r.count(), " would leave ", quota - r.count(), quota - r.count() < 0 ? "" : " (超编)"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::QuotaWithdrawn>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_category(r.category());
  e->set_count(r.count());
  return decision;
}

absl::StatusOr<Decision> DecideTransferQuota(StateView& view, const api::TransferQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateCategory("category", r.category()));
  if (r.count() <= 0 || r.count() > kQuotaCountMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("count ", r.count(), " is outside 1–", kQuotaCountMax));
  }
  if (r.from_agency_id() == r.to_agency_id()) {
    return absl::InvalidArgumentError("from_agency_id and to_agency_id are the same agency");
  }
  ASSIGN_OR_RETURN(const AgencyState* from,
                   ActiveAgency(view, "from_agency_id", r.from_agency_id()));
  ASSIGN_OR_RETURN(const AgencyState* to, ActiveAgency(view, "to_agency_id", r.to_agency_id()));
  RETURN_IF_ERROR(CheckCategoryAllowed(*to, r.category()));
  std::set<std::string> persons;
  for (const std::string& person_id : r.person_ids()) {
    RETURN_IF_ERROR(ValidateId("person_ids", person_id));
    auto it = from->roster.find(person_id);
    if (it == from->roster.end() || it->second != r.category()) {
      return absl::FailedPreconditionError(absl::StrCat(PersonStream(person_id),
                                                        " is not in post at ", from->Describe(),
                                                        " under ", Label(r.category())));
    }
    if (!persons.insert(person_id).second) {
      return absl::InvalidArgumentError(absl::StrCat("person_ids: ", person_id, " appears twice"));
    }
  }
  const auto moving = static_cast<int64_t>(persons.size());
  // 编随事走、人随编走: the people moved never exceed the quota moved ...
  if (moving > r.count()) {
    return absl::FailedPreconditionError(absl::StrCat(
        Label(r.category()), ": ", moving, " people transferred with a quota of ", r.count()));
  }
  // ... and the source keeps no more people than its remaining quota.
  const int64_t quota = from->Quota(r.category());
  const int64_t remaining_people = from->InPost(r.category()) - moving;
  const int64_t reserved = from->ReservedOn(r.category(), view.effective_date());
  if (quota - r.count() < remaining_people + reserved) {
    return absl::FailedPreconditionError(absl::StrCat(
        from->Describe(), " ", Label(r.category()), ": quota ", quota, ", transferring ", r.count(),
        " leaves ", quota - r.count(), " for ", remaining_people, " people staying",
        reserved > 0 ? absl::StrCat(" and ", reserved, " vacancies reserved (预留编制)") : ""));
  }
  Decision decision;
  MoveQuota(decision, *from, *to, r.category(), r.count());
  RETURN_IF_ERROR(
      MovePersons(view, decision, *from, *to, {r.person_ids().begin(), r.person_ids().end()}));
  return decision;
}

}  // namespace reformlog::domain
