#include "services/domain/rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/digest.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {

absl::StatusOr<const AgencyState*> ExistingAgency(StateView& view, absl::string_view field,
                                                  absl::string_view agency_id) {
  RETURN_IF_ERROR(ValidateId(field, agency_id));
  ASSIGN_OR_RETURN(const AgencyState* agency, view.Agency(agency_id));
  if (!agency->exists && !agency->begins_on.empty()) {
    return RefusePrecondition(
        absl::StrCat(field, ": ", AgencyStream(agency_id), " is established on ", agency->begins_on,
                     ", after this change takes effect (", view.effective_date(),
                     "): nothing takes effect before its subject exists"),
        absl::StrCat(agency->NameZh(), "于 ", agency->begins_on, " 设立，晚于本项改动的生效日期 ",
                     view.effective_date(), "：机构设立之前，不能对其作任何改动"));
  }
  if (!agency->exists) {
    return RefuseNotFound(absl::StrCat(field, ": no agency ", agency_id),
                          absl::StrCat(field, "：没有机构 ", agency_id));
  }
  return agency;
}

absl::StatusOr<const AgencyState*> ActiveAgency(StateView& view, absl::string_view field,
                                                absl::string_view agency_id) {
  ASSIGN_OR_RETURN(const AgencyState* agency, ExistingAgency(view, field, agency_id));
  if (agency->ceased) {
    return RefusePrecondition(absl::StrCat(agency->Describe(), " has ceased (", agency->ceased_how,
                                           "): it takes no quota, people, powers or budget"),
                              absl::StrCat(agency->NameZh(), agency->CeasedZh(),
                                           "，不能再核定编制、登记人员、承接权力或安排预算"));
  }
  return agency;
}

absl::Status CheckLocks(StateView& view, const Decision& decision, absl::string_view plan_id) {
  for (const Emitted& emitted : decision.events()) {
    if (!absl::StartsWith(emitted.stream_id, kAgencyStreamPrefix)) continue;
    if (dynamic_cast<const pb::RecordsLocked*>(emitted.event.get()) != nullptr ||
        dynamic_cast<const pb::RecordsUnlocked*>(emitted.event.get()) != nullptr) {
      continue;
    }
    absl::string_view agency_id =
        absl::string_view(emitted.stream_id).substr(sizeof(kAgencyStreamPrefix) - 1);
    // The lock as the record stands now: back-dating a change does not get past it.
    ASSIGN_OR_RETURN(const AgencyState* agency, view.LatestAgency(agency_id));
    const std::string& lock = agency->locked_by_plan;
    if (!lock.empty() && lock != plan_id) {
      return RefusePrecondition(
          absl::StrCat(agency->Describe(), " is locked by plan ", lock,
                       plan_id.empty() ? "; make the change under that plan (plan_id)"
                                       : absl::StrCat(", not by plan ", plan_id)),
          absl::StrCat(agency->NameZh(), "的台账已被改革方案 ", lock, " 锁定",
                       plan_id.empty() ? "：请在该方案下作此改动（--plan）"
                                       : absl::StrCat("，而非方案 ", plan_id)));
    }
  }
  return absl::OkStatus();
}

std::string AgencyNameStream(absl::string_view jurisdiction, absl::string_view name) {
  const std::string key = absl::StrCat(jurisdiction.size(), ":", jurisdiction, name);
  return absl::StrCat(
      kAgencyNameStreamPrefix,
      DigestHex(HashOf(DigestAlgorithm::kSha256, {key})).substr(0, kAgencyNameStreamDigestHex));
}

std::string JurisdictionStream(absl::string_view jurisdiction) {
  return absl::StrCat(kJurisdictionStreamPrefix,
                      DigestHex(HashOf(DigestAlgorithm::kSha256, {jurisdiction}))
                          .substr(0, kJurisdictionStreamDigestHex));
}

absl::Status ClaimAgencyName(StateView& view, Decision& decision, absl::string_view field,
                             absl::string_view jurisdiction, absl::string_view name,
                             absl::string_view agency_id, const std::set<std::string>& releasing) {
  ASSIGN_OR_RETURN(const AgencyNameState* state, view.AgencyName(jurisdiction, name));
  // Claims made earlier in this decision (two parts of a split, say) are not in the view.
  const std::string stream = AgencyNameStream(jurisdiction, name);
  std::set<std::string> holders = state->holders;
  for (const Emitted& emitted : decision.events()) {
    if (emitted.stream_id != stream) continue;
    if (const auto* claimed = dynamic_cast<const pb::AgencyNameClaimed*>(emitted.event.get())) {
      holders.insert(claimed->agency_id());
    }
  }
  for (const std::string& holder : holders) {
    if (holder == agency_id || releasing.contains(holder)) continue;
    return RefusePrecondition(
        absl::StrCat(field, ": ", AgencyStream(holder), " already carries the name ",
                     QuoteValue(name), " in ", QuoteValue(jurisdiction),
                     ": names are unique among the active agencies of a jurisdiction"),
        absl::StrCat(QuoteValue(jurisdiction), "已有机构（", holder, "）使用名称 ",
                     QuoteValue(name), "：同一地区现有机构的名称不得重复"));
  }
  if (holders.contains(std::string(agency_id))) return absl::OkStatus();
  auto* e = decision.Emit<pb::AgencyNameClaimed>(stream);
  e->set_jurisdiction(std::string(jurisdiction));
  e->set_name(std::string(name));
  e->set_agency_id(std::string(agency_id));
  return absl::OkStatus();
}

absl::Status ReleaseAgencyName(StateView& view, Decision& decision, absl::string_view jurisdiction,
                               absl::string_view name, absl::string_view agency_id) {
  ASSIGN_OR_RETURN(const AgencyNameState* state, view.AgencyName(jurisdiction, name));
  if (!state->holders.contains(std::string(agency_id))) return absl::OkStatus();
  auto* e = decision.Emit<pb::AgencyNameReleased>(AgencyNameStream(jurisdiction, name));
  e->set_jurisdiction(std::string(jurisdiction));
  e->set_name(std::string(name));
  e->set_agency_id(std::string(agency_id));
  return absl::OkStatus();
}

absl::Status ReleaseAgencyNames(StateView& view, Decision& decision, const AgencyState& agency) {
  RETURN_IF_ERROR(
      ReleaseAgencyName(view, decision, agency.jurisdiction, agency.name, agency.agency_id));
  for (const std::string& extra : agency.extra_names) {
    RETURN_IF_ERROR(
        ReleaseAgencyName(view, decision, agency.jurisdiction, extra, agency.agency_id));
  }
  return absl::OkStatus();
}

}  // namespace reformlog::domain
