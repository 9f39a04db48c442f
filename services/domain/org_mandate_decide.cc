#include "services/domain/org_mandate_decide.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/moves.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/rules.h"

namespace reformlog::domain {

namespace {

using PostCounts = std::map<pb::Rank, int64_t>;

// The posts of `leader_posts` by rank: INVALID_ARGUMENT for a missing rank, a count outside
// 0–kQuotaCountMax, a malformed title or a rank listed twice.
absl::StatusOr<PostCounts> ValidateLeaderPosts(
    const google::protobuf::RepeatedPtrField<pb::LeaderPostCount>& leader_posts) {
  PostCounts posts;
  for (int i = 0; i < leader_posts.size(); ++i) {
    const pb::LeaderPostCount& p = leader_posts.Get(i);
    const std::string where = absl::StrCat("leader_posts[", i, "]");
    if (!pb::Rank_IsValid(p.rank()) || p.rank() == pb::RANK_UNSPECIFIED) {
      return RefuseInvalid(absl::StrCat(where, ".rank is missing or unknown"),
                           absl::StrCat(where, ".rank（职务层次）缺失或无法识别"));
    }
    if (p.count() < 0 || p.count() > kQuotaCountMax) {
      return RefuseInvalid(
          absl::StrCat(where, ".count ", p.count(), " is outside 0–", kQuotaCountMax),
          absl::StrCat(where, ".count（领导职数）", p.count(), " 不在 0–", kQuotaCountMax,
                       " 之内"));
    }
    RETURN_IF_ERROR(ValidateText(absl::StrCat(where, ".title"), p.title(), false));
    if (!posts.emplace(p.rank(), p.count()).second) {
      return RefuseInvalid(absl::StrCat(where, ": ", Label(p.rank()), " appears twice"),
                           absl::StrCat(where, "：", Label(p.rank()), " 重复出现"));
    }
  }
  return posts;
}

// FAILED_PRECONDITION when the agency's appointed leaders exceed `posts` at a rank (超职数).
absl::Status CheckLeadersFit(const AgencyState& agency, const PostCounts& posts,
                             absl::string_view what, absl::string_view what_zh) {
  for (const auto& [person, leader] : agency.leaders) {
    auto it = posts.find(leader.rank);
    const int64_t allowed = it == posts.end() ? 0 : it->second;
    const int64_t appointed = agency.LeadersAt(leader.rank);
    // Leaders a restructure carried over beyond the posts stand while they are absorbed.
    const int64_t transition = agency.LeaderTransitionAt(leader.rank);
    if (appointed > allowed + transition) {
      return RefusePrecondition(
          absl::StrCat(
              agency.Describe(), " ", Label(leader.rank), " leader posts: ", what, " sets ",
              allowed,
              transition > 0 ? absl::StrCat(" (and ", transition, " in 消化)") : std::string(),
              ", appointed ", appointed, " (超职数)"),
          absl::StrCat(
              agency.NameZh(), Label(leader.rank), "领导职数：", what_zh, "为", allowed, "名",
              transition > 0 ? absl::StrCat("（另有", transition, "名在消化）") : std::string(),
              "，已配备", appointed, "名，将超职数"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Decision> DecideCreateDivision(StateView& view,
                                              const api::CreateDivisionRequest& r) {
  RETURN_IF_ERROR(ValidateId("division.division_id", r.division().division_id()));
  RETURN_IF_ERROR(ValidateText("division.name", r.division().name(), true));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (agency->divisions.contains(r.division().division_id())) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(agency->Describe(), " already has division ", r.division().division_id()),
        absl::StrCat(agency->NameZh(), "已有内设机构 ", r.division().division_id()));
  }
  Decision decision;
  auto* e = decision.Emit<pb::DivisionCreated>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_division_id(r.division().division_id());
  e->set_name(r.division().name());
  for (const std::string& name : r.division().extra_names()) {
    RETURN_IF_ERROR(ValidateText("division.extra_names", name, true));
    e->add_extra_names(name);
  }
  return decision;
}

absl::StatusOr<Decision> DecideAbolishDivision(StateView& view,
                                               const api::AbolishDivisionRequest& r) {
  RETURN_IF_ERROR(ValidateId("division_id", r.division_id()));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (!agency->divisions.contains(r.division_id())) {
    return RefuseNotFound(absl::StrCat(agency->Describe(), " has no division ", r.division_id()),
                          absl::StrCat(agency->NameZh(), "没有内设机构 ", r.division_id()));
  }
  Decision decision;
  auto* e = decision.Emit<pb::DivisionAbolished>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_division_id(r.division_id());
  return decision;
}

absl::StatusOr<Decision> DecideApproveLeaderPosts(StateView& view,
                                                  const api::ApproveLeaderPostsRequest& r) {
  if (r.leader_posts_size() > kMandateItemsMax) {
    return RefuseInvalid(
        absl::StrCat("leader_posts lists at most ", kMandateItemsMax, " ranks (kMandateItemsMax)"),
        absl::StrCat("leader_posts（领导职数）最多列 ", kMandateItemsMax,
                     " 个职务层次（kMandateItemsMax）"));
  }
  ASSIGN_OR_RETURN(const PostCounts posts, ValidateLeaderPosts(r.leader_posts()));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  RETURN_IF_ERROR(CheckLeadersFit(*agency, posts, "the approval", "本次核定"));
  Decision decision;
  auto* e = decision.Emit<pb::LeaderPostsApproved>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  *e->mutable_leader_posts() = r.leader_posts();
  return decision;
}

absl::StatusOr<Decision> DecideIssueMandate(StateView& view, const api::IssueMandateRequest& r) {
  if (r.functions_size() > kMandateItemsMax || r.divisions_size() > kMandateItemsMax ||
      r.leader_posts_size() > kMandateItemsMax) {
    return RefuseInvalid(absl::StrCat("a mandate lists at most ", kMandateItemsMax,
                                      " functions, divisions and leader ranks (kMandateItemsMax)"),
                         absl::StrCat("三定规定的主要职责、内设机构、领导职数各最多列 ",
                                      kMandateItemsMax, " 项（kMandateItemsMax）"));
  }
  for (const std::string& f : r.functions()) RETURN_IF_ERROR(ValidateText("functions", f, true));
  std::map<pb::QuotaCategory, int64_t> quotas;
  RETURN_IF_ERROR(ValidateQuotaCounts("quotas", r.quotas(), &quotas));
  ASSIGN_OR_RETURN(const PostCounts posts, ValidateLeaderPosts(r.leader_posts()));
  std::set<std::string> division_ids;
  for (int i = 0; i < r.divisions_size(); ++i) {
    const std::string where = absl::StrCat("divisions[", i, "]");
    RETURN_IF_ERROR(ValidateId(absl::StrCat(where, ".division_id"), r.divisions(i).division_id()));
    RETURN_IF_ERROR(ValidateText(absl::StrCat(where, ".name"), r.divisions(i).name(), true));
    if (!division_ids.insert(r.divisions(i).division_id()).second) {
      return RefuseInvalid(absl::StrCat(where, ": division id appears twice"),
                           absl::StrCat(where, "：内设机构编号（division_id）重复出现"));
    }
  }
  ASSIGN_OR_RETURN(const AgencyState* found, ActiveAgency(view, "agency_id", r.agency_id()));
  const AgencyState& agency = *found;
  for (const auto& [category, count] : quotas) {
    if (count > 0) RETURN_IF_ERROR(CheckCategoryAllowed(agency, category));
  }
  // No 超编 and no 超职数 under the new mandate; vacancies reserved (预留编制) count as taken.
  std::set<pb::QuotaCategory> held;
  for (const auto& [category, in_post] : agency.in_post) held.insert(category);
  for (const auto& [notice_id, reservation] : agency.reservations) {
    held.insert(reservation.category);
  }
  for (const pb::QuotaCategory category : held) {
    const int64_t quota = quotas.contains(category) ? quotas[category] : 0;
    const int64_t in_post = agency.InPost(category);
    const int64_t reserved = agency.ReservedOn(category, view.effective_date());
    if (in_post + reserved > quota) {
      return RefusePrecondition(
          absl::StrCat(agency.Describe(), " ", Label(category), ": the mandate sets quota ", quota,
                       ", in post ", in_post,
                       reserved > 0 ? absl::StrCat(", reserved ", reserved, " (预留编制)") : "",
                       " (超编)"),
          absl::StrCat(agency.NameZh(), "三定规定", Label(category), quota, "名，实有", in_post,
                       "人", reserved > 0 ? absl::StrCat("，预留", reserved, "名") : "",
                       "，将超编"));
    }
  }
  RETURN_IF_ERROR(CheckLeadersFit(agency, posts, "the mandate", "三定规定"));

  Decision decision;
  const std::string stream = AgencyStream(agency.agency_id);
  for (const auto& [id, division] : agency.divisions) {
    if (division_ids.contains(id)) continue;
    auto* e = decision.Emit<pb::DivisionAbolished>(stream);
    e->set_agency_id(agency.agency_id);
    e->set_division_id(id);
  }
  for (const api::Division& d : r.divisions()) {
    auto it = agency.divisions.find(d.division_id());
    const std::vector<std::string> extra(d.extra_names().begin(), d.extra_names().end());
    if (it != agency.divisions.end() && it->second.name == d.name() &&
        it->second.extra_names == extra) {
      continue;
    }
    auto* e = decision.Emit<pb::DivisionCreated>(stream);
    e->set_agency_id(agency.agency_id);
    e->set_division_id(d.division_id());
    e->set_name(d.name());
    for (const std::string& name : extra) e->add_extra_names(name);
  }
  auto* e = decision.Emit<pb::MandateIssued>(stream);
  e->set_agency_id(agency.agency_id);
  for (const std::string& f : r.functions()) e->add_functions(f);
  for (const api::Division& d : r.divisions()) e->add_division_ids(d.division_id());
  *e->mutable_quotas() = r.quotas();
  *e->mutable_leader_posts() = r.leader_posts();
  return decision;
}

absl::StatusOr<Decision> DecideTransferFunctions(StateView& view,
                                                 const api::TransferFunctionsRequest& r) {
  if (r.functions().empty()) {
    return RefuseInvalid("functions is empty", "functions（划转的职责）不能为空");
  }
  for (const std::string& f : r.functions()) RETURN_IF_ERROR(ValidateText("functions", f, true));
  if (r.from_agency_id() == r.to_agency_id()) {
    return RefuseInvalid("from_agency_id and to_agency_id are the same agency",
                         "划出机构与划入机构是同一机构");
  }
  ASSIGN_OR_RETURN(const AgencyState* from,
                   ActiveAgency(view, "from_agency_id", r.from_agency_id()));
  RETURN_IF_ERROR(ActiveAgency(view, "to_agency_id", r.to_agency_id()).status());
  // Once a mandate lists an agency's functions, only listed functions can leave it.
  if (from->mandate_issued) {
    std::vector<std::string> missing;
    for (const std::string& f : r.functions()) {
      if (std::find(from->functions.begin(), from->functions.end(), f) == from->functions.end()) {
        missing.push_back(QuoteValue(f));
      }
    }
    if (!missing.empty()) {
      return RefusePrecondition(
          absl::StrCat("the mandate of ", from->Describe(), " lists no function ",
                       ListSome(missing)),
          absl::StrCat(from->NameZh(), "的三定规定中没有这些职责：", ListSomeZh(missing)));
    }
  }
  Decision decision;
  auto* out = decision.Emit<pb::FunctionsTransferredOut>(AgencyStream(r.from_agency_id()));
  out->set_agency_id(r.from_agency_id());
  out->set_to_agency_id(r.to_agency_id());
  *out->mutable_functions() = r.functions();
  auto* in = decision.Emit<pb::FunctionsTransferredIn>(AgencyStream(r.to_agency_id()));
  in->set_agency_id(r.to_agency_id());
  in->set_from_agency_id(r.from_agency_id());
  *in->mutable_functions() = r.functions();
  return decision;
}

}  // namespace reformlog::domain
