#include "services/domain/staffing_decide.h"

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
#include "services/domain/quota_use_decide.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

// "人员 p-001": a person as a refusal names them — by id, which is pseudonymous; a name is
// personal data some callers may not see.
std::string PersonZh(absl::string_view person_id) { return absl::StrCat("人员 ", person_id); }

// "FIELD has N entries; the limit NAME is MAX".
absl::Status TooMany(absl::string_view field, int size, absl::string_view name, int max) {
  return RefuseInvalid(
      absl::StrCat(field, " has ", size, " entries; the limit ", name, " is ", max),
      absl::StrCat(field, " 有 ", size, " 项，超过每次 ", max, " 项的上限（", name, "）"));
}

// "考录 (CIVIL_SERVICE_EXAM), 调入 (TRANSFERRED_IN), …": every value of a reason enum but the
// unspecified one, as a refusal lists them.
std::string ReasonChoices(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> choices;
  for (int i = 1; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    choices.push_back(absl::StrCat(EnumLabel(type, value->number(), ""), " ", value->name()));
  }
  return absl::StrJoin(choices, ", ");
}

absl::Status ValidateRegistration(absl::string_view field, const api::PersonToRegister& p) {
  RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".person_id"), p.person_id()));
  if (LooksLikeResidentIdNumber(p.person_id())) {
    // Not echoed: it may be one.
    return RefuseInvalid(
        absl::StrCat(field,
                     ".person_id has the shape of a 居民身份证号码; person ids are pseudonymous: "
                     "use the personnel system's own number for the person, never the ID card's"),
        absl::StrCat(
            field,
            ".person_id 形同居民身份证号码：人员编号不得使用身份证号，请用人事系统中的人员编号"));
  }
  RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".name"), p.name(), true));
  RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".agency_id"), p.agency_id()));
  RETURN_IF_ERROR(ValidateCategory(absl::StrCat(field, ".category"), p.category()));
  if (!pb::EntryReason_IsValid(p.entry_reason()) ||
      p.entry_reason() == pb::ENTRY_REASON_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat(field,
                     ".entry_reason is missing or unknown: say why the person comes into post (",
                     ReasonChoices(pb::EntryReason_descriptor()), ")"),
        absl::StrCat(field, ".entry_reason（增员原因）缺失或无法识别：须写明人员因何入编（",
                     ReasonChoices(pb::EntryReason_descriptor()), "）"));
  }
  if (!p.notice_id().empty()) {
    RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".notice_id"), p.notice_id()));
  }
  return ValidateText(absl::StrCat(field, ".post"), p.post(), false);
}

// The person `person_id`, who must be in post.
absl::StatusOr<const PersonState*> PersonInPost(StateView& view, absl::string_view person_id) {
  RETURN_IF_ERROR(ValidateId("person_id", person_id));
  ASSIGN_OR_RETURN(const PersonState* person, view.Person(person_id));
  if (!person->exists && !person->begins_on.empty()) {
    return RefusePrecondition(
        absl::StrCat(PersonStream(person_id), " is registered on ", person->begins_on,
                     ", after this change takes effect (", view.effective_date(),
                     "): nothing takes effect before its subject exists"),
        absl::StrCat(PersonZh(person_id), "于 ", person->begins_on,
                     " 登记入编，晚于本项改动的生效日期 ", view.effective_date(),
                     "：人员登记之前，不能对其作任何改动"));
  }
  if (!person->exists) {
    return RefuseNotFound(absl::StrCat("no person ", person_id),
                          absl::StrCat("没有人员 ", person_id));
  }
  if (person->departed) {
    return RefusePrecondition(
        absl::StrCat(PersonStream(person_id), " (", person->name, ") has departed"),
        absl::StrCat(PersonZh(person_id), "已减员"));
  }
  return person;
}

// "agency-a (…) 行政编制: quota 8, in post 6, reserved 2 (预留编制), requested +1" — reserved
// only when some are.
std::string Vacancy(const AgencyState& agency, pb::QuotaCategory category, int64_t requested,
                    absl::string_view date) {
  const int64_t reserved = agency.ReservedOn(category, date);
  return absl::StrCat(agency.Describe(), " ", Label(category), ": quota ", agency.Quota(category),
                      ", in post ", agency.InPost(category),
                      reserved > 0 ? absl::StrCat(", reserved ", reserved, " (预留编制)") : "",
                      ", requested +", requested);
}
// 「攀枝花市西区档案馆行政编制数8名，实有8人，预留1名，增加1人」.
std::string VacancyZh(const AgencyState& agency, pb::QuotaCategory category, int64_t requested,
                      absl::string_view date) {
  const int64_t reserved = agency.ReservedOn(category, date);
  return absl::StrCat(agency.NameZh(), Label(category), "数", agency.Quota(category), "名，实有",
                      agency.InPost(category), "人",
                      reserved > 0 ? absl::StrCat("，预留", reserved, "名") : "", "，增加",
                      requested, "人");
}

// Adds the problem with registering `p` citing its notice, as of the command's date, if the
// notice holds no vacancy for it (`used`: what earlier persons of the command took of each).
void CheckNotice(const api::PersonToRegister& p, const QuotaUseState& notice,
                 absl::string_view date, std::map<std::string, int64_t>& used, Problems& problems) {
  const std::string who =
      absl::StrCat(PersonStream(p.person_id()), " cites ", QuotaUseStream(p.notice_id()));
  const std::string who_zh =
      absl::StrCat(PersonZh(p.person_id()), "所持用编通知单 ", p.notice_id());
  if (!notice.exists) {
    problems.Add(absl::StrCat(who, ", which does not exist"), absl::StrCat(who_zh, " 不存在"));
  } else if (notice.status != QuotaUseState::Status::kApproved) {
    problems.Add(absl::StrCat(who, ", which is ", QuotaUseState::StatusLabel(notice.status),
                              ", not approved (核准)"),
                 absl::StrCat(who_zh, "（", notice.notice_number, "）",
                              QuotaUseState::StatusLabel(notice.status), "，未经核准"));
  } else if (notice.agency_id != p.agency_id() || notice.category != p.category()) {
    problems.Add(
        absl::StrCat(who, ", which reserves ", Label(notice.category), " in ",
                     AgencyStream(notice.agency_id), ", not ", Label(p.category()), " in ",
                     AgencyStream(p.agency_id())),
        absl::StrCat(who_zh, "（", notice.notice_number, "）预留的是 ", notice.agency_id, " 的",
                     Label(notice.category), "，不是 ", p.agency_id(), " 的", Label(p.category())));
  } else if (notice.valid_until < date) {
    problems.Add(
        absl::StrCat(who, " (", notice.notice_number, "), which lapsed after ", notice.valid_until),
        absl::StrCat(who_zh, "（", notice.notice_number, "）有效期至 ", notice.valid_until,
                     "，已过期"));
  } else if (++used[p.notice_id()] > notice.Remaining()) {
    problems.Add(absl::StrCat(who, " (", notice.notice_number, "), whose ", notice.approved,
                              " vacancies are filled (", notice.filled, " before this command)"),
                 absl::StrCat(who_zh, "（", notice.notice_number, "）核准的 ", notice.approved,
                              " 名编制已用完（此前已用 ", notice.filled, " 名）"));
  }
}

}  // namespace

absl::StatusOr<Decision> DecideRegisterPerson(StateView& view,
                                              const api::RegisterPersonRequest& r) {
  api::RegisterPersonsRequest batch;
  *batch.mutable_header() = r.header();
  *batch.add_persons() = r.person();
  return DecideRegisterPersons(view, batch);
}

absl::StatusOr<Decision> DecideRegisterPersons(StateView& view,
                                               const api::RegisterPersonsRequest& r) {
  if (r.persons().empty()) return RefuseInvalid("persons is empty", "persons（人员）不能为空");
  if (r.persons_size() > kPersonsPerCommandMax) {
    return TooMany("persons", r.persons_size(), "kPersonsPerCommandMax", kPersonsPerCommandMax);
  }
  std::set<std::string> ids;
  // agency → category → people requested who cite no notice (those who do fill the vacancies
  // their notice reserved)
  std::map<std::string, std::map<pb::QuotaCategory, int64_t>> requested;
  for (int i = 0; i < r.persons_size(); ++i) {
    const std::string field = r.persons_size() == 1 ? "person" : absl::StrCat("persons[", i, "]");
    RETURN_IF_ERROR(ValidateRegistration(field, r.persons(i)));
    if (!ids.insert(r.persons(i).person_id()).second) {
      return RefuseInvalid(
          absl::StrCat(field, ".person_id ", r.persons(i).person_id(), " appears twice"),
          absl::StrCat(field, ".person_id：人员 ", r.persons(i).person_id(), " 重复出现"));
    }
    int64_t& count = requested[r.persons(i).agency_id()][r.persons(i).category()];
    if (r.persons(i).notice_id().empty()) ++count;
  }
  // Every person that cannot be registered, every agency without the vacancies.
  Problems problems;
  std::map<std::string, const AgencyState*> agencies;
  for (const auto& [agency_id, categories] : requested) {
    absl::StatusOr<const AgencyState*> agency = ActiveAgency(view, "agency_id", agency_id);
    if (!agency.ok()) {
      if (agency.status().code() == absl::StatusCode::kFailedPrecondition) {
        problems.Add(agency.status());
        continue;
      }
      return agency.status();
    }
    agencies[agency_id] = *agency;
    for (const auto& [category, count] : categories) {
      if (absl::Status s = CheckCategoryAllowed(**agency, category); !s.ok()) {
        problems.Add(s);
      } else if (count > FreeVacancies(**agency, category, view.effective_date())) {
        problems.Add(absl::StrCat(Vacancy(**agency, category, count, view.effective_date()),
                                  " (no vacancy: 超编)"),
                     absl::StrCat(VacancyZh(**agency, category, count, view.effective_date()),
                                  "，无空编，登记后将超编"));
      }
    }
  }
  // Notices: each cited one must hold a vacancy for its person; where the jurisdiction
  // requires 用编审批, every newcomer cites one.
  std::map<std::string, int64_t> used;
  std::map<std::string, bool> required;  // jurisdiction → notice required
  for (const api::PersonToRegister& p : r.persons()) {
    auto agency = agencies.find(p.agency_id());
    if (agency == agencies.end()) continue;  // its problem is listed already
    if (!p.notice_id().empty()) {
      ASSIGN_OR_RETURN(const QuotaUseState* notice, view.QuotaUse(p.notice_id()));
      CheckNotice(p, *notice, view.effective_date(), used, problems);
      continue;
    }
    if (p.entry_reason() == pb::EXISTING_STAFF) continue;
    const std::string& jurisdiction = agency->second->jurisdiction;
    if (!required.contains(jurisdiction)) {
      ASSIGN_OR_RETURN(const JurisdictionState* settings, view.Jurisdiction(jurisdiction));
      required[jurisdiction] = settings->notice_required;
    }
    if (required[jurisdiction]) {
      problems.Add(
          absl::StrCat(PersonStream(p.person_id()), " (", Label(p.entry_reason()),
                       ") cites no notice: ", QuoteValue(jurisdiction),
                       " requires 用编审批 — an approved 核准使用编制通知单 "
                       "(notice_id) for every newcomer"),
          absl::StrCat(PersonZh(p.person_id()), "（", Label(p.entry_reason()), "）未附用编通知单：",
                       QuoteValue(jurisdiction),
                       "实行用编审批，新进人员须持已核准的核准使用编制通知单（--notice）"));
    }
  }
  for (const api::PersonToRegister& p : r.persons()) {
    ASSIGN_OR_RETURN(const PersonState* person, view.Person(p.person_id()));
    if (person->exists) {
      problems.Add(
          absl::StrCat(PersonStream(p.person_id()), " is already registered",
                       person->departed ? " (departed)" : ""),
          absl::StrCat(PersonZh(p.person_id()), "已登记", person->departed ? "（已减员）" : ""));
    } else if (!person->begins_on.empty()) {
      problems.Add(
          absl::StrCat(PersonStream(p.person_id()), " is registered on ", person->begins_on),
          absl::StrCat(PersonZh(p.person_id()), "已于 ", person->begins_on, " 登记"));
    }
  }
  if (!problems.empty()) return problems.Refusal();
  Decision decision;
  std::map<std::string, pb::RosterChanged> rosters;
  for (const api::PersonToRegister& p : r.persons()) {
    auto* e = decision.Emit<pb::PersonRegistered>(PersonStream(p.person_id()));
    e->set_person_id(p.person_id());
    e->set_name(p.name());
    e->set_agency_id(p.agency_id());
    e->set_category(p.category());
    e->set_post(p.post());
    e->set_entry_reason(p.entry_reason());
    e->set_notice_id(p.notice_id());
    if (!p.notice_id().empty()) {
      auto* filled = decision.Emit<pb::QuotaUseFilled>(QuotaUseStream(p.notice_id()));
      filled->set_notice_id(p.notice_id());
      filled->set_agency_id(p.agency_id());
      filled->set_person_id(p.person_id());
      auto* released = decision.Emit<pb::QuotaReservationReleased>(AgencyStream(p.agency_id()));
      released->set_agency_id(p.agency_id());
      released->set_notice_id(p.notice_id());
      released->set_count(1);
      released->set_person_id(p.person_id());
    }
    pb::RosterChanged& roster = rosters[p.agency_id()];
    roster.set_agency_id(p.agency_id());
    pb::RosterEntry* joined = roster.add_joined();
    joined->set_person_id(p.person_id());
    joined->set_category(p.category());
  }
  for (auto& [agency_id, roster] : rosters) {
    *decision.Emit<pb::RosterChanged>(AgencyStream(agency_id)) = std::move(roster);
  }
  return decision;
}

absl::StatusOr<Decision> DecideTransferPersons(StateView& view,
                                               const api::TransferPersonsRequest& r) {
  if (r.person_ids().empty()) {
    return RefuseInvalid("person_ids is empty", "person_ids（转隶人员）不能为空");
  }
  if (r.person_ids_size() > kPersonsPerCommandMax) {
    return TooMany("person_ids", r.person_ids_size(), "kPersonsPerCommandMax",
                   kPersonsPerCommandMax);
  }
  if (r.from_agency_id() == r.to_agency_id()) {
    return RefuseInvalid("from_agency_id and to_agency_id are the same agency",
                         "转出机构与转入机构是同一机构");
  }
  std::map<pb::QuotaCategory, int64_t> quotas;
  for (int i = 0; i < r.quotas_size(); ++i) {
    const std::string where = absl::StrCat("quotas[", i, "]");
    RETURN_IF_ERROR(ValidateCategory(absl::StrCat(where, ".category"), r.quotas(i).category()));
    if (r.quotas(i).count() <= 0 || r.quotas(i).count() > kQuotaCountMax) {
      return RefuseInvalid(
          absl::StrCat(where, ".count ", r.quotas(i).count(), " is outside 1–", kQuotaCountMax),
          absl::StrCat(where, ".count（编制数）", r.quotas(i).count(), " 不在 1–", kQuotaCountMax,
                       " 之内"));
    }
    if (!quotas.emplace(r.quotas(i).category(), r.quotas(i).count()).second) {
      return RefuseInvalid(
          absl::StrCat(where, ": ", Label(r.quotas(i).category()), " appears twice"),
          absl::StrCat(where, "：", Label(r.quotas(i).category()), " 重复出现"));
    }
  }
  ASSIGN_OR_RETURN(const AgencyState* from,
                   ActiveAgency(view, "from_agency_id", r.from_agency_id()));
  ASSIGN_OR_RETURN(const AgencyState* to, ActiveAgency(view, "to_agency_id", r.to_agency_id()));

  std::set<std::string> seen;
  std::map<pb::QuotaCategory, int64_t> moving;
  for (const std::string& person_id : r.person_ids()) {
    RETURN_IF_ERROR(ValidateId("person_ids", person_id));
    if (!seen.insert(person_id).second) {
      return RefuseInvalid(absl::StrCat("person_ids: ", person_id, " appears twice"),
                           absl::StrCat("person_ids：人员 ", person_id, " 重复出现"));
    }
    auto it = from->roster.find(person_id);
    if (it == from->roster.end()) {
      return RefusePrecondition(
          absl::StrCat(PersonStream(person_id), " is not in post at ", from->Describe()),
          absl::StrCat(PersonZh(person_id), "不在", from->NameZh(), "在编"));
    }
    ++moving[it->second];
  }
  Decision decision;
  for (const auto& [category, count] : moving) {
    RETURN_IF_ERROR(CheckCategoryAllowed(*to, category));
    if (quotas.empty()) {
      // Without quota, the people fill the target's vacancies.
      if (count > FreeVacancies(*to, category, view.effective_date())) {
        return RefusePrecondition(
            absl::StrCat(Vacancy(*to, category, count, view.effective_date()),
                         " (no vacancy; transfer the quota with the people: 编随事走)"),
            absl::StrCat(VacancyZh(*to, category, count, view.effective_date()),
                         "，无空编：请将编制随人员一并划转（编随事走，--quota）"));
      }
    } else if (count > quotas[category]) {
      // 人随编走: never more people than quota.
      return RefusePrecondition(
          absl::StrCat(Label(category), ": ", count, " people transferred with a quota of ",
                       quotas[category]),
          absl::StrCat(Label(category), "：转隶 ", count, " 人，随转编制只有 ", quotas[category],
                       " 名（人随编走，人数不得多于编制）"));
    }
  }
  for (const auto& [category, count] : quotas) {
    RETURN_IF_ERROR(CheckCategoryAllowed(*to, category));
    const int64_t quota = from->Quota(category);
    const int64_t staying = from->InPost(category) - moving[category];
    if (quota - count < staying) {
      return RefusePrecondition(
          absl::StrCat(from->Describe(), " ", Label(category), ": quota ", quota, ", transferring ",
                       count, " leaves ", quota - count, " for ", staying, " people staying"),
          absl::StrCat(from->NameZh(), Label(category), "数", quota, "名，划出", count, "名后只剩",
                       quota - count, "名，而留下的在编人员有", staying, "人，划转后将超编"));
    }
    MoveQuota(decision, *from, *to, category, count);
  }
  RETURN_IF_ERROR(
      MovePersons(view, decision, *from, *to, {r.person_ids().begin(), r.person_ids().end()}));
  return decision;
}

absl::StatusOr<Decision> DecideAppointLeader(StateView& view, const api::AppointLeaderRequest& r) {
  if (!pb::Rank_IsValid(r.rank()) || r.rank() == pb::RANK_UNSPECIFIED) {
    return RefuseInvalid("rank is missing or unknown", "rank（职务层次）缺失或无法识别");
  }
  RETURN_IF_ERROR(ValidateText("title", r.title(), true));
  ASSIGN_OR_RETURN(const PersonState* person, PersonInPost(view, r.person_id()));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  if (person->agency_id != r.agency_id()) {
    return RefusePrecondition(
        absl::StrCat(PersonStream(r.person_id()), " is in post at ",
                     AgencyStream(person->agency_id), ", not ", agency->Describe()),
        absl::StrCat(PersonZh(r.person_id()), "在 ", person->agency_id, " 在编，不在",
                     agency->NameZh()));
  }
  if (agency->leaders.contains(r.person_id())) {
    const auto& post = agency->leaders.at(r.person_id());
    return RefusePrecondition(
        absl::StrCat(PersonStream(r.person_id()), " already holds the post ", post.title, " (",
                     Label(post.rank), "); remove it first"),
        absl::StrCat(PersonZh(r.person_id()), "已任", post.title, "（", Label(post.rank),
                     "）：请先免去原职"));
  }
  const int64_t approved = agency->LeaderPostsAt(r.rank());
  const int64_t appointed = agency->LeadersAt(r.rank());
  if (appointed + 1 > approved) {
    const int64_t transition = agency->LeaderTransitionAt(r.rank());
    return RefusePrecondition(
        absl::StrCat(agency->Describe(), " ", Label(r.rank()), " leader posts: approved ", approved,
                     ", appointed ", appointed, ", requested +1 (超职数)",
                     transition > 0
                         ? absl::StrCat("; ", transition,
                                        " carried over by a restructure are still being absorbed "
                                        "(消化): none is appointed until they are")
                         : std::string()),
        absl::StrCat(agency->NameZh(), Label(r.rank()), "领导职数核定", approved, "名，已配备",
                     appointed, "名，再任1名将超职数",
                     transition > 0 ? absl::StrCat("；机构改革中过渡的", transition,
                                                   "名尚在消化，消化完毕前不得新任")
                                    : std::string()));
  }
  Decision decision;
  auto* e = decision.Emit<pb::LeaderAppointed>(PersonStream(r.person_id()));
  e->set_person_id(r.person_id());
  e->set_agency_id(r.agency_id());
  e->set_rank(r.rank());
  e->set_title(r.title());
  auto* changed = decision.Emit<pb::LeadersChanged>(AgencyStream(r.agency_id()));
  changed->set_agency_id(r.agency_id());
  pb::LeaderEntry* entry = changed->add_appointed();
  entry->set_person_id(r.person_id());
  entry->set_rank(r.rank());
  entry->set_title(r.title());
  return decision;
}

absl::StatusOr<Decision> DecideRemoveLeader(StateView& view, const api::RemoveLeaderRequest& r) {
  RETURN_IF_ERROR(PersonInPost(view, r.person_id()).status());
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  auto it = agency->leaders.find(r.person_id());
  if (it == agency->leaders.end()) {
    return RefusePrecondition(
        absl::StrCat(PersonStream(r.person_id()), " holds no leader post at ", agency->Describe()),
        absl::StrCat(PersonZh(r.person_id()), "在", agency->NameZh(), "未任领导职务"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::LeaderRemoved>(PersonStream(r.person_id()));
  e->set_person_id(r.person_id());
  e->set_agency_id(r.agency_id());
  e->set_rank(it->second.rank);
  e->set_title(it->second.title);
  auto* changed = decision.Emit<pb::LeadersChanged>(AgencyStream(r.agency_id()));
  changed->set_agency_id(r.agency_id());
  pb::LeaderEntry* entry = changed->add_removed();
  entry->set_person_id(r.person_id());
  entry->set_rank(it->second.rank);
  entry->set_title(it->second.title);
  return decision;
}

absl::StatusOr<Decision> DecideRecordDeparture(StateView& view,
                                               const api::RecordDepartureRequest& r) {
  if (!pb::DepartureReason_IsValid(r.reason()) || r.reason() == pb::DEPARTURE_REASON_UNSPECIFIED) {
    return RefuseInvalid(absl::StrCat("reason is missing or unknown: say why the person leaves (",
                                      ReasonChoices(pb::DepartureReason_descriptor()), ")"),
                         absl::StrCat("reason（减员原因）缺失或无法识别：须写明人员因何减员（",
                                      ReasonChoices(pb::DepartureReason_descriptor()), "）"));
  }
  RETURN_IF_ERROR(ValidateText("note", r.note(), false));
  ASSIGN_OR_RETURN(const PersonState* person, PersonInPost(view, r.person_id()));
  RETURN_IF_ERROR(ExistingAgency(view, "agency", person->agency_id).status());
  Decision decision;
  auto* e = decision.Emit<pb::PersonDeparted>(PersonStream(r.person_id()));
  e->set_person_id(r.person_id());
  e->set_agency_id(person->agency_id);
  e->set_reason(r.reason());
  e->set_note(r.note());
  auto* roster = decision.Emit<pb::RosterChanged>(AgencyStream(person->agency_id));
  roster->set_agency_id(person->agency_id);
  pb::RosterEntry* left = roster->add_left();
  left->set_person_id(r.person_id());
  left->set_category(person->category);
  return decision;
}

namespace {

absl::StatusOr<Decision> DecideLock(StateView& view, const api::LockRecordsRequest& r, bool lock) {
  const std::string& plan_id = r.header().plan_id();
  if (plan_id.empty()) {
    return RefuseInvalid("header.plan_id is empty: records are locked for a plan",
                         "未给改革方案（header.plan_id）：台账是为某一改革方案锁定的");
  }
  if (r.agency_ids().empty())
    return RefuseInvalid("agency_ids is empty", "agency_ids（机构）不能为空");
  if (r.agency_ids_size() > kAgenciesPerLockMax) {
    return TooMany("agency_ids", r.agency_ids_size(), "kAgenciesPerLockMax", kAgenciesPerLockMax);
  }
  RETURN_IF_ERROR(ValidateId("header.plan_id", plan_id));
  ASSIGN_OR_RETURN(const PlanState* plan, view.Plan(plan_id));
  if (!plan->exists) {
    return RefuseNotFound(absl::StrCat("no plan ", plan_id),
                          absl::StrCat("没有改革方案 ", plan_id));
  }
  if (lock && plan->closed) {
    return RefusePrecondition(absl::StrCat(PlanStream(plan_id), " is closed"),
                              absl::StrCat("改革方案 ", plan_id, " 已办结"));
  }
  Decision decision;
  std::set<std::string> seen;
  for (const std::string& agency_id : r.agency_ids()) {
    if (!seen.insert(agency_id).second) {
      return RefuseInvalid(absl::StrCat("agency_ids: ", QuoteValue(agency_id), " appears twice"),
                           absl::StrCat("agency_ids：", QuoteValue(agency_id), " 重复出现"));
    }
    RETURN_IF_ERROR(ExistingAgency(view, "agency_ids", agency_id).status());
    // Locks are about the record as it stands, and follow each other in the order recorded.
    ASSIGN_OR_RETURN(const AgencyState* agency, view.LatestAgency(agency_id));
    if (view.effective_date() < agency->lock_changed_on) {
      return RefusePrecondition(
          absl::StrCat(
              agency->Describe(), ": its records were last locked or unlocked with effect from ",
              agency->lock_changed_on, "; a lock or unlock cannot take effect before that (",
              view.effective_date(), ")"),
          absl::StrCat(agency->NameZh(), "的台账最近一次锁定或解锁自 ", agency->lock_changed_on,
                       " 起生效，新的锁定或解锁不能早于该日（本次为 ", view.effective_date(),
                       "）"));
    }
    const std::string& current = agency->locked_by_plan;
    if (lock && !current.empty()) {
      return RefusePrecondition(
          absl::StrCat(agency->Describe(), " is already locked by plan ", current),
          absl::StrCat(agency->NameZh(), "的台账已被改革方案 ", current, " 锁定"));
    }
    if (!lock && current != plan_id) {
      return RefusePrecondition(
          absl::StrCat(agency->Describe(),
                       current.empty() ? std::string(" is not locked")
                                       : absl::StrCat(" is locked by plan ", current),
                       "; only plan ", plan_id, "'s own locks can be lifted here"),
          absl::StrCat(agency->NameZh(),
                       current.empty() ? std::string("的台账未锁定")
                                       : absl::StrCat("的台账由改革方案 ", current, " 锁定"),
                       "：此处只能解除方案 ", plan_id, " 自己的锁定"));
    }
    if (lock) {
      auto* e = decision.Emit<pb::RecordsLocked>(AgencyStream(agency_id));
      e->set_agency_id(agency_id);
      e->set_plan_id(plan_id);
    } else {
      auto* e = decision.Emit<pb::RecordsUnlocked>(AgencyStream(agency_id));
      e->set_agency_id(agency_id);
      e->set_plan_id(plan_id);
    }
  }
  return decision;
}

}  // namespace

absl::StatusOr<Decision> DecideLockRecords(StateView& view, const api::LockRecordsRequest& r) {
  return DecideLock(view, r, /*lock=*/true);
}

absl::StatusOr<Decision> DecideUnlockRecords(StateView& view, const api::LockRecordsRequest& r) {
  return DecideLock(view, r, /*lock=*/false);
}

}  // namespace reformlog::domain
