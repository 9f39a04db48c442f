#include "services/domain/org_agency_decide.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/moves.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

absl::Status ValidateSpec(absl::string_view field, const api::AgencySpec& spec) {
  RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".agency_id"), spec.agency_id()));
  RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".name"), spec.name(), true));
  RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".jurisdiction"), spec.jurisdiction(), false));
  if (!pb::AgencyKind_IsValid(spec.kind()) || spec.kind() == pb::AGENCY_KIND_UNSPECIFIED) {
    return RefuseInvalid(absl::StrCat(field, ".kind is missing or unknown"),
                         absl::StrCat(field, ".kind（机构类别）缺失或无法识别"));
  }
  if (!pb::Rank_IsValid(spec.rank()) || spec.rank() == pb::RANK_UNSPECIFIED) {
    return RefuseInvalid(absl::StrCat(field, ".rank is missing or unknown"),
                         absl::StrCat(field, ".rank（规格）缺失或无法识别"));
  }
  if (!pb::FundingForm_IsValid(spec.funding_form()) || !pb::AgencyRole_IsValid(spec.role())) {
    return RefuseInvalid(
        absl::StrCat(field, ".funding_form or .role is unknown"),
        absl::StrCat(field, ".funding_form（经费形式）或 .role（机构职能）无法识别"));
  }
  const bool institution = spec.kind() == pb::PUBLIC_INSTITUTION;
  if (institution && spec.funding_form() == pb::FUNDING_FORM_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat(field, ".funding_form is required for a 事业单位 (全额/差额/自收自支)"),
        absl::StrCat(field,
                     ".funding_form：事业单位须写明经费形式（全额拨款、差额拨款、自收自支）"));
  }
  if (spec.civil_servant_managed() && !institution) {
    return RefuseInvalid(
        absl::StrCat(field, ".civil_servant_managed (参公) applies only to a 事业单位"),
        absl::StrCat(field, ".civil_servant_managed：只有事业单位才能参照公务员法管理（参公）"));
  }
  if (spec.role() != pb::AGENCY_ROLE_NONE && spec.kind() != pb::GOVERNMENT_DEPARTMENT) {
    return RefuseInvalid(absl::StrCat(field, ".role (执法局/审批局) applies only to a 政府部门"),
                         absl::StrCat(field, ".role：综合行政执法局、行政审批局只能是政府部门"));
  }
  if (!spec.parent_id().empty()) {
    RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".parent_id"), spec.parent_id()));
  }
  return absl::OkStatus();
}

// The state a new agency will have, for checks made before its events exist.
AgencyState Prospective(const api::AgencySpec& spec) {
  AgencyState state;
  state.exists = true;
  state.agency_id = spec.agency_id();
  state.name = spec.name();
  state.kind = spec.kind();
  state.rank = spec.rank();
  state.parent_id = spec.parent_id();
  return state;
}

// Checks that a new agency can be established from `spec` and emits AgencyEstablished; its
// name is claimed by ClaimSpecName, once the decision has released what it releases.
absl::Status Establish(StateView& view, Decision& decision, absl::string_view field,
                       const api::AgencySpec& spec, pb::AgencyOrigin origin,
                       const std::vector<std::string>& predecessors) {
  RETURN_IF_ERROR(ValidateSpec(field, spec));
  ASSIGN_OR_RETURN(const AgencyState* existing, view.Agency(spec.agency_id()));
  if (existing->exists) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(field, ": ", existing->Describe(), " already exists"),
        absl::StrCat(field, "：机构 ", existing->agency_id, "（", existing->NameZh(), "）已存在"));
  }
  if (!existing->begins_on.empty()) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(field, ": ", existing->Describe(), " is established on ", existing->begins_on),
        absl::StrCat(field, "：机构 ", existing->agency_id, "（", existing->NameZh(), "）已定于 ",
                     existing->begins_on, " 设立"));
  }
  if (!spec.parent_id().empty()) {
    RETURN_IF_ERROR(
        ActiveAgency(view, absl::StrCat(field, ".parent_id"), spec.parent_id()).status());
  }
  auto* e = decision.Emit<pb::AgencyEstablished>(AgencyStream(spec.agency_id()));
  e->set_agency_id(spec.agency_id());
  e->set_name(spec.name());
  e->set_kind(spec.kind());
  e->set_rank(spec.rank());
  e->set_parent_id(spec.parent_id());
  e->set_funding_form(spec.funding_form());
  e->set_jurisdiction(spec.jurisdiction());
  e->set_civil_servant_managed(spec.civil_servant_managed());
  e->set_role(spec.role());
  e->set_origin(origin);
  for (const std::string& p : predecessors) e->add_predecessor_ids(p);
  return absl::OkStatus();
}

// Claims the name of the agency established from `spec` (named `field`); `releasing`: the
// agencies ceasing in this decision, whose names it may take (released before this).
absl::Status ClaimSpecName(StateView& view, Decision& decision, absl::string_view field,
                           const api::AgencySpec& spec,
                           const std::set<std::string>& releasing = {}) {
  return ClaimAgencyName(view, decision, absl::StrCat(field, ".name"), spec.jurisdiction(),
                         spec.name(), spec.agency_id(), releasing);
}

bool CarriesExtraName(const AgencyState& agency, absl::string_view name) {
  return std::find(agency.extra_names.begin(), agency.extra_names.end(), name) !=
         agency.extra_names.end();
}

std::string DescribeHoldings(const AgencyState& agency) {
  std::vector<std::string> parts;
  for (const auto& [category, count] : agency.quotas) {
    if (count > 0) parts.push_back(absl::StrCat(Label(category), " ", count));
  }
  if (!agency.roster.empty())
    parts.push_back(absl::StrCat(agency.roster.size(), " people in post"));
  if (!agency.powers_held.empty()) {
    parts.push_back(absl::StrCat(agency.powers_held.size(), " power items"));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

absl::StatusOr<Decision> DecideEstablishAgency(StateView& view,
                                               const api::EstablishAgencyRequest& r) {
  Decision decision;
  RETURN_IF_ERROR(Establish(view, decision, "agency", r.agency(), pb::FOUNDED, {}));
  RETURN_IF_ERROR(ClaimSpecName(view, decision, "agency", r.agency()));
  return decision;
}

absl::StatusOr<Decision> DecideRenameAgency(StateView& view, const api::RenameAgencyRequest& r) {
  RETURN_IF_ERROR(ValidateText("new_name", r.new_name(), true));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (agency->name == r.new_name()) {
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " is already named ", QuoteValue(r.new_name())),
        absl::StrCat(agency->agency_id, " 已名为 ", QuoteValue(r.new_name())));
  }
  Decision decision;
  auto* e = decision.Emit<pb::AgencyRenamed>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_old_name(agency->name);
  e->set_new_name(r.new_name());
  // The old name stays claimed while the agency still carries it as an extra name.
  if (!CarriesExtraName(*agency, agency->name)) {
    RETURN_IF_ERROR(
        ReleaseAgencyName(view, decision, agency->jurisdiction, agency->name, agency->agency_id));
  }
  RETURN_IF_ERROR(ClaimAgencyName(view, decision, "new_name", agency->jurisdiction, r.new_name(),
                                  agency->agency_id));
  return decision;
}

absl::StatusOr<Decision> DecideAddExtraName(StateView& view, const api::ExtraNameRequest& r) {
  RETURN_IF_ERROR(ValidateText("name", r.name(), true));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  const auto& names = agency->extra_names;
  if (agency->name == r.name() || std::find(names.begin(), names.end(), r.name()) != names.end()) {
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " already carries the name ", QuoteValue(r.name())),
        absl::StrCat(agency->NameZh(), "已挂有 ", QuoteValue(r.name()), " 牌子"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::ExtraNameAdded>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_name(r.name());
  RETURN_IF_ERROR(
      ClaimAgencyName(view, decision, "name", agency->jurisdiction, r.name(), agency->agency_id));
  return decision;
}

absl::StatusOr<Decision> DecideRemoveExtraName(StateView& view, const api::ExtraNameRequest& r) {
  RETURN_IF_ERROR(ValidateText("name", r.name(), true));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  const auto& names = agency->extra_names;
  if (std::find(names.begin(), names.end(), r.name()) == names.end()) {
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " carries no extra name ", QuoteValue(r.name())),
        absl::StrCat(agency->NameZh(), "没有挂 ", QuoteValue(r.name()), " 牌子"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::ExtraNameRemoved>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_name(r.name());
  // A plaque that is also the agency's own name (after a rename to it) stays claimed.
  if (agency->name != r.name()) {
    RETURN_IF_ERROR(
        ReleaseAgencyName(view, decision, agency->jurisdiction, r.name(), agency->agency_id));
  }
  return decision;
}

absl::StatusOr<Decision> DecideReparentAgency(StateView& view,
                                              const api::ReparentAgencyRequest& r) {
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (agency->parent_id == r.new_parent_id()) {
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " already belongs to ", AgencyStream(r.new_parent_id())),
        absl::StrCat(agency->NameZh(), "已隶属于 ", r.new_parent_id()));
  }
  // Walk up from the new parent: the agency must not be among its ancestors. Every
  // ancestor read is checked at commit, so a racing reparent cannot close a cycle.
  std::vector<std::string> chain = {AgencyStream(r.agency_id())};
  std::string current = r.new_parent_id();
  for (int depth = 0; !current.empty(); ++depth) {
    if (depth >= kAncestryDepthMax) {
      return RefusePrecondition(
          absl::StrCat("the parent chain above ", AgencyStream(r.new_parent_id()),
                       " is deeper than ", kAncestryDepthMax, " (kAncestryDepthMax)"),
          absl::StrCat(r.new_parent_id(), " 以上的隶属层级超过 ", kAncestryDepthMax, " 级"));
    }
    chain.push_back(AgencyStream(current));
    if (current == r.agency_id()) {
      return RefusePrecondition(
          absl::StrCat(agency->Describe(),
                       " cannot be its own ancestor: ", absl::StrJoin(chain, " ← ")),
          absl::StrCat(agency->NameZh(), "不能隶属于自己的下级：", absl::StrJoin(chain, " ← ")));
    }
    ASSIGN_OR_RETURN(const AgencyState* ancestor, depth == 0
                                                      ? ActiveAgency(view, "new_parent_id", current)
                                                      : view.Agency(current));
    current = ancestor->parent_id;
  }
  Decision decision;
  auto* e = decision.Emit<pb::AgencyReparented>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_old_parent_id(agency->parent_id);
  e->set_new_parent_id(r.new_parent_id());
  return decision;
}

absl::StatusOr<Decision> DecideRerankAgency(StateView& view, const api::RerankAgencyRequest& r) {
  if (!pb::Rank_IsValid(r.new_rank()) || r.new_rank() == pb::RANK_UNSPECIFIED) {
    return RefuseInvalid("new_rank is missing or unknown", "new_rank（新规格）缺失或无法识别");
  }
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (agency->rank == r.new_rank()) {
    return RefusePrecondition(absl::StrCat(agency->Describe(), " is already ", Label(r.new_rank())),
                              absl::StrCat(agency->NameZh(), "已是", Label(r.new_rank())));
  }
  Decision decision;
  auto* e = decision.Emit<pb::AgencyReranked>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_old_rank(agency->rank);
  e->set_new_rank(r.new_rank());
  return decision;
}

absl::StatusOr<Decision> DecideMergeAgencies(StateView& view, const api::MergeAgenciesRequest& r) {
  if (r.original_ids_size() < 2 || r.original_ids_size() > kMergeOriginalsMax) {
    return RefuseInvalid(absl::StrCat("original_ids has ", r.original_ids_size(),
                                      " agencies; a merger takes 2–", kMergeOriginalsMax),
                         absl::StrCat("合并的原机构有 ", r.original_ids_size(), " 个；合并须有 2–",
                                      kMergeOriginalsMax, " 个原机构"));
  }
  const bool absorption = !r.absorbing_id().empty();
  if (absorption == r.has_new_agency()) {
    return RefuseInvalid(
        "give exactly one of new_agency (A + B → C) and absorbing_id (A + B → B)",
        "新设合并（A + B → C，给出新机构）与吸收合并（A + B → B，给出 absorbing_id）只能选其一");
  }
  std::vector<std::string> originals(r.original_ids().begin(), r.original_ids().end());
  std::set<std::string> seen;
  for (const std::string& id : originals) {
    if (!seen.insert(id).second) {
      return RefuseInvalid(absl::StrCat("original_ids: ", QuoteValue(id), " appears twice"),
                           absl::StrCat("原机构 ", QuoteValue(id), " 重复出现"));
    }
  }
  if (absorption && !seen.contains(r.absorbing_id())) {
    return RefuseInvalid(
        absl::StrCat("absorbing_id ", QuoteValue(r.absorbing_id()), " is not one of original_ids"),
        absl::StrCat("吸收方 ", QuoteValue(r.absorbing_id()), " 不在合并的原机构之中"));
  }
  std::vector<const AgencyState*> states;
  for (size_t i = 0; i < originals.size(); ++i) {
    ASSIGN_OR_RETURN(const AgencyState* original,
                     ActiveAgency(view, absl::StrCat("original_ids[", i, "]"), originals[i]));
    states.push_back(original);
  }
  Decision decision;
  AgencyState result;
  if (absorption) {
    result = **view.Agency(r.absorbing_id());
  } else {
    if (seen.contains(r.new_agency().agency_id())) {
      return RefuseInvalid("new_agency.agency_id is one of original_ids",
                           "新机构的编号与某一原机构相同");
    }
    RETURN_IF_ERROR(Establish(view, decision, "new_agency", r.new_agency(), pb::MERGER, originals));
    result = Prospective(r.new_agency());
  }
  std::vector<const AgencyState*> moving;
  for (const AgencyState* original : states) {
    if (original->agency_id == result.agency_id) continue;
    RETURN_IF_ERROR(CheckNoReservations(*original, view.effective_date()));
    moving.push_back(original);
  }
  ASSIGN_OR_RETURN(std::vector<AgencyState> disposed,
                   DisposeQuotas(view, decision, moving, result, r.quota_dispositions()));
  for (const AgencyState& original : disposed) {
    RETURN_IF_ERROR(MoveEverything(view, decision, original, result));
  }
  for (const AgencyState* original : states) {
    auto* e = decision.Emit<pb::AgencyMerged>(AgencyStream(original->agency_id));
    e->set_agency_id(original->agency_id);
    e->set_result_id(result.agency_id);
    for (const std::string& id : originals) e->add_original_ids(id);
    e->set_absorption(absorption);
  }
  if (absorption) {
    auto* e = decision.Emit<pb::AgencyAbsorbed>(AgencyStream(result.agency_id));
    e->set_agency_id(result.agency_id);
    for (const std::string& id : originals) {
      if (id != result.agency_id) e->add_absorbed_ids(id);
    }
  }
  // The originals that cease give up their names before the result claims one: it may be
  // one of theirs.
  std::set<std::string> ceasing;
  for (const AgencyState* original : states) {
    if (original->agency_id == result.agency_id) continue;
    ceasing.insert(original->agency_id);
    RETURN_IF_ERROR(ReleaseAgencyNames(view, decision, *original));
  }
  if (!absorption)
    RETURN_IF_ERROR(ClaimSpecName(view, decision, "new_agency", r.new_agency(), ceasing));
  return decision;
}

absl::StatusOr<Decision> DecideSplitAgency(StateView& view, const api::SplitAgencyRequest& r) {
  ASSIGN_OR_RETURN(const AgencyState* found, ActiveAgency(view, "agency_id", r.agency_id()));
  const AgencyState& original = *found;
  RETURN_IF_ERROR(CheckNoReservations(original, view.effective_date()));
  if (r.parts_size() < 2 || r.parts_size() > kSplitPartsMax) {
    return RefuseInvalid(
        absl::StrCat("parts has ", r.parts_size(), " bodies; a split makes 2–", kSplitPartsMax),
        absl::StrCat("分设后的机构有 ", r.parts_size(), " 个；分设须为 2–", kSplitPartsMax, " 个"));
  }
  // Every quota unit, person and power item of the original goes to exactly one part.
  std::map<pb::QuotaCategory, int64_t> quota_given;
  std::map<std::string, int> person_part;
  std::map<std::string, int> power_part;
  std::vector<std::string> result_ids;
  for (int i = 0; i < r.parts_size(); ++i) {
    const api::SplitPart& part = r.parts(i);
    const std::string where = absl::StrCat("parts[", i, "]");
    // Ids are checked before they are looked up or named in a message.
    RETURN_IF_ERROR(
        ValidateId(absl::StrCat(where, ".agency.agency_id"), part.agency().agency_id()));
    for (const std::string& person_id : part.person_ids()) {
      RETURN_IF_ERROR(ValidateId(absl::StrCat(where, ".person_ids"), person_id));
    }
    for (const std::string& code : part.power_codes()) {
      RETURN_IF_ERROR(ValidateId(absl::StrCat(where, ".power_codes"), code));
    }
    result_ids.push_back(part.agency().agency_id());
    std::map<pb::QuotaCategory, int64_t> quotas;
    RETURN_IF_ERROR(ValidateQuotaCounts(absl::StrCat(where, ".quotas"), part.quotas(), &quotas));
    for (const auto& [category, count] : quotas) quota_given[category] += count;
    std::map<pb::QuotaCategory, int64_t> people;
    for (const std::string& person_id : part.person_ids()) {
      auto it = original.roster.find(person_id);
      if (it == original.roster.end()) {
        return RefusePrecondition(
            absl::StrCat(where, ": ", PersonStream(person_id), " is not in post at ",
                         original.Describe()),
            absl::StrCat(where, "：人员 ", person_id, " 不在", original.NameZh(), "在编"));
      }
      if (!person_part.emplace(person_id, i).second) {
        return RefuseInvalid(
            absl::StrCat(where, ": ", PersonStream(person_id), " is given to two parts"),
            absl::StrCat(where, "：人员 ", person_id, " 被分到了两个机构"));
      }
      ++people[it->second];
    }
    // 人随编走: per category, the people a part receives never exceed its quota.
    for (const auto& [category, count] : people) {
      if (count > quotas[category]) {
        return RefusePrecondition(
            absl::StrCat(where, " (", part.agency().agency_id(), ") ", Label(category), ": quota ",
                         quotas[category], ", people transferred ", count),
            absl::StrCat(where, "（", part.agency().agency_id(), "）", Label(category), "：编制",
                         quotas[category], "名，分入人员", count, "人，人数多于编制"));
      }
    }
    for (const std::string& code : part.power_codes()) {
      if (!original.powers_held.contains(code)) {
        return RefusePrecondition(
            absl::StrCat(where, ": ", PowerStream(code), " is not held by ", original.Describe()),
            absl::StrCat(where, "：权力事项 ", code, " 不由", original.NameZh(), "行使"));
      }
      if (!power_part.emplace(code, i).second) {
        return RefuseInvalid(absl::StrCat(where, ": ", PowerStream(code), " is given to two parts"),
                             absl::StrCat(where, "：权力事项 ", code, " 被分到了两个机构"));
      }
    }
  }
  for (const auto& [category, count] : original.quotas) {
    if (quota_given[category] != count) {
      return RefusePrecondition(
          absl::StrCat(original.Describe(), " has ", Label(category), " ", count,
                       " but the parts receive ", quota_given[category],
                       ": every quota unit must go to exactly one part"),
          absl::StrCat(original.NameZh(), "有", Label(category), count, "名，分设后各机构合计",
                       quota_given[category], "名：每一名编制都须分到且只分到一个机构"));
    }
  }
  for (const auto& [category, count] : quota_given) {
    if (count > original.Quota(category)) {
      return RefusePrecondition(
          absl::StrCat(original.Describe(), " has ", Label(category), " ", original.Quota(category),
                       " but the parts receive ", count),
          absl::StrCat(original.NameZh(), "有", Label(category), original.Quota(category),
                       "名，分设后各机构合计", count, "名"));
    }
  }
  std::vector<std::string> unassigned;
  for (const auto& [person_id, category] : original.roster) {
    if (!person_part.contains(person_id)) unassigned.push_back(PersonStream(person_id));
  }
  for (const std::string& code : original.powers_held) {
    if (!power_part.contains(code)) unassigned.push_back(PowerStream(code));
  }
  if (!unassigned.empty()) {
    return RefusePrecondition(
        absl::StrCat("the split leaves ", unassigned.size(), " of ", original.Describe(),
                     "'s people and power items with no part: ", ListSome(unassigned)),
        absl::StrCat("分设后", original.NameZh(), "有", unassigned.size(),
                     "个人员或权力事项未分到任何机构：", ListSomeZh(unassigned)));
  }

  Decision decision;
  for (int i = 0; i < r.parts_size(); ++i) {
    const api::SplitPart& part = r.parts(i);
    const std::string where = absl::StrCat("parts[", i, "].agency");
    if (part.agency().agency_id() == original.agency_id) {
      return RefuseInvalid(absl::StrCat(where, " is the original itself"),
                           absl::StrCat(where, " 就是原机构本身"));
    }
    RETURN_IF_ERROR(
        Establish(view, decision, where, part.agency(), pb::SPLIT, {original.agency_id}));
    AgencyState result = Prospective(part.agency());
    for (const pb::QuotaCount& q : part.quotas()) {
      if (q.count() == 0) continue;
      RETURN_IF_ERROR(CheckCategoryAllowed(result, q.category()));
      MoveQuota(decision, original, result, q.category(), q.count());
    }
    const std::vector<std::string> people(part.person_ids().begin(), part.person_ids().end());
    RETURN_IF_ERROR(MovePersons(view, decision, original, result, people));
    CarryLeaders(decision, original, people, result);
    RETURN_IF_ERROR(MovePowers(view, decision, original, result,
                               {part.power_codes().begin(), part.power_codes().end()}));
    if (part.functions_size() > 0) {
      auto* out = decision.Emit<pb::FunctionsTransferredOut>(AgencyStream(original.agency_id));
      out->set_agency_id(original.agency_id);
      out->set_to_agency_id(result.agency_id);
      auto* in = decision.Emit<pb::FunctionsTransferredIn>(AgencyStream(result.agency_id));
      in->set_agency_id(result.agency_id);
      in->set_from_agency_id(original.agency_id);
      for (const std::string& f : part.functions()) {
        RETURN_IF_ERROR(ValidateText(absl::StrCat("parts[", i, "].functions"), f, true));
        out->add_functions(f);
        in->add_functions(f);
      }
    }
  }
  auto* e = decision.Emit<pb::AgencySplit>(AgencyStream(original.agency_id));
  e->set_agency_id(original.agency_id);
  for (const std::string& id : result_ids) e->add_result_ids(id);
  // The original gives up its names before the parts claim theirs: one may be the original's.
  RETURN_IF_ERROR(ReleaseAgencyNames(view, decision, original));
  for (int i = 0; i < r.parts_size(); ++i) {
    RETURN_IF_ERROR(ClaimSpecName(view, decision, absl::StrCat("parts[", i, "].agency"),
                                  r.parts(i).agency(), {original.agency_id}));
  }
  return decision;
}

absl::StatusOr<Decision> DecideAbolishAgency(StateView& view, const api::AbolishAgencyRequest& r) {
  RETURN_IF_ERROR(ValidateText("reason", r.reason(), false));
  if (r.successor_id().empty() && !r.quota_dispositions().empty()) {
    return RefuseInvalid(
        "quota_dispositions without a successor_id: nothing moves, so nothing is disposed",
        "给了编制处置却没有承接机构（successor_id）：没有划转，也就无从处置");
  }
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  RETURN_IF_ERROR(CheckNoReservations(*agency, view.effective_date()));
  Decision decision;
  if (r.successor_id().empty()) {
    const std::string holdings = DescribeHoldings(*agency);
    if (!holdings.empty()) {
      return RefusePrecondition(
          absl::StrCat(agency->Describe(), " still holds ", holdings,
                       ": name a successor_id to receive them, or move them first"),
          absl::StrCat(agency->NameZh(), "仍有 ", holdings,
                       "：请指定承接机构（--successor），或先将其划出"));
    }
  } else {
    if (r.successor_id() == r.agency_id()) {
      return RefuseInvalid("successor_id is the agency itself", "承接机构就是被撤销的机构本身");
    }
    ASSIGN_OR_RETURN(const AgencyState* successor,
                     ActiveAgency(view, "successor_id", r.successor_id()));
    AgencyState receiving = *successor;
    ASSIGN_OR_RETURN(std::vector<AgencyState> disposed,
                     DisposeQuotas(view, decision, {agency}, receiving, r.quota_dispositions()));
    RETURN_IF_ERROR(MoveEverything(view, decision, disposed.front(), receiving));
  }
  auto* e = decision.Emit<pb::AgencyAbolished>(AgencyStream(r.agency_id()));
  e->set_agency_id(r.agency_id());
  e->set_successor_id(r.successor_id());
  e->set_reason(r.reason());
  RETURN_IF_ERROR(ReleaseAgencyNames(view, decision, *agency));
  return decision;
}

}  // namespace reformlog::domain
