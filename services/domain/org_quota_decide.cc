#include "services/domain/org_quota_decide.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/moves.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

// "count N is outside 1–kQuotaCountMax".
absl::Status CountOutside(int64_t count) {
  return RefuseInvalid(absl::StrCat("count ", count, " is outside 1–", kQuotaCountMax),
                       absl::StrCat("编制数 ", count, " 不在 1–", kQuotaCountMax, " 之内"));
}

absl::Status ValidateChangeQuota(const api::ChangeQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateCategory("category", r.category()));
  if (r.count() <= 0 || r.count() > kQuotaCountMax) {
    return CountOutside(r.count());
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
      return RefuseInvalid(
          absl::StrCat(where, ".count ", quotas[i].count(), " is outside 0–", kQuotaCountMax),
          absl::StrCat(where, ".count（编制数）", quotas[i].count(), " 不在 0–", kQuotaCountMax,
                       " 之内"));
    }
    if (!out->emplace(quotas[i].category(), quotas[i].count()).second) {
      return RefuseInvalid(absl::StrCat(where, ": ", Label(quotas[i].category()), " appears twice"),
                           absl::StrCat(where, "：", Label(quotas[i].category()), " 重复出现"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Decision> DecideGrantQuota(StateView& view, const api::ChangeQuotaRequest& r) {
  RETURN_IF_ERROR(ValidateChangeQuota(r));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  RETURN_IF_ERROR(CheckCategoryAllowed(*agency, r.category()));
  if (agency->Quota(r.category()) + r.count() > kQuotaCountMax) {
    return RefusePrecondition(absl::StrCat("the quota would exceed ", kQuotaCountMax),
                              absl::StrCat("核增后编制数将超过上限 ", kQuotaCountMax));
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
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " ", Label(r.category()), ": quota ", quota, ", in post ",
                     in_post,
                     reserved > 0 ? absl::StrCat(", reserved ", reserved, " (预留编制)") : "",
                     ", withdrawing ", r.count(), " would leave ", quota - r.count(),
                     quota - r.count() < 0 ? "" : " (超编)"),
        absl::StrCat(agency->NameZh(), Label(r.category()), "数", quota, "名，实有", in_post, "人",
                     reserved > 0 ? absl::StrCat("，预留", reserved, "名") : "", "，核减",
                     r.count(), "名后", quota - r.count() < 0 ? "编制数将为负" : "将超编"));
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
    return CountOutside(r.count());
  }
  if (r.from_agency_id() == r.to_agency_id()) {
    return RefuseInvalid("from_agency_id and to_agency_id are the same agency",
                         "划出机构与划入机构是同一机构");
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
      return RefusePrecondition(absl::StrCat(PersonStream(person_id), " is not in post at ",
                                             from->Describe(), " under ", Label(r.category())),
                                absl::StrCat("人员 ", person_id, " 不是", from->NameZh(), "的",
                                             Label(r.category()), "在编人员"));
    }
    if (!persons.insert(person_id).second) {
      return RefuseInvalid(absl::StrCat("person_ids: ", person_id, " appears twice"),
                           absl::StrCat("person_ids：人员 ", person_id, " 重复出现"));
    }
  }
  const auto moving = static_cast<int64_t>(persons.size());
  // 编随事走、人随编走: the people moved never exceed the quota moved ...
  if (moving > r.count()) {
    return RefusePrecondition(
        absl::StrCat(Label(r.category()), ": ", moving, " people transferred with a quota of ",
                     r.count()),
        absl::StrCat(Label(r.category()), "：随编制划转 ", moving, " 人，划转编制只有 ", r.count(),
                     " 名（人随编走，人数不得多于编制）"));
  }
  // ... and the source keeps no more people than its remaining quota.
  const int64_t quota = from->Quota(r.category());
  const int64_t remaining_people = from->InPost(r.category()) - moving;
  const int64_t reserved = from->ReservedOn(r.category(), view.effective_date());
  if (quota - r.count() < remaining_people + reserved) {
    return RefusePrecondition(
        absl::StrCat(
            from->Describe(), " ", Label(r.category()), ": quota ", quota, ", transferring ",
            r.count(), " leaves ", quota - r.count(), " for ", remaining_people, " people staying",
            reserved > 0 ? absl::StrCat(" and ", reserved, " vacancies reserved (预留编制)") : ""),
        absl::StrCat(from->NameZh(), Label(r.category()), "数", quota, "名，划出", r.count(),
                     "名后只剩", quota - r.count(), "名，而留下的在编人员有", remaining_people,
                     "人", reserved > 0 ? absl::StrCat("、预留编制", reserved, "名") : "",
                     "，划转后将超编"));
  }
  Decision decision;
  MoveQuota(decision, *from, *to, r.category(), r.count());
  RETURN_IF_ERROR(
      MovePersons(view, decision, *from, *to, {r.person_ids().begin(), r.person_ids().end()}));
  return decision;
}

}  // namespace reformlog::domain
