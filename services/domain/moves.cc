#include "services/domain/moves.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {

absl::Status ValidateCategory(absl::string_view field, pb::QuotaCategory category) {
  if (category < pb::ADMINISTRATIVE || category > pb::SPECIAL_PURPOSE) {
    return RefuseInvalid(
        absl::StrCat(field, " is not a quota category (", static_cast<int>(category), ")"),
        absl::StrCat(field, " 不是编制类别（", static_cast<int>(category), "）"));
  }
  return absl::OkStatus();
}

absl::Status CheckCategoryAllowed(const AgencyState& agency, pb::QuotaCategory category) {
  const bool organ = IsPartyOrGovernmentOrgan(agency.kind);
  if (category == pb::PUBLIC_SERVICE && organ) {
    return RefusePrecondition(
        absl::StrCat(agency.Describe(), " is a ", Label(agency.kind),
                     ": 事业编制 is never used in a 党政机关"),
        absl::StrCat(agency.NameZh(), "是", Label(agency.kind), "：党政机关不得使用事业编制"));
  }
  if ((category == pb::ADMINISTRATIVE || category == pb::POLITICS_AND_LAW) && !organ) {
    return RefusePrecondition(absl::StrCat(agency.Describe(), " is a ", Label(agency.kind), ": ",
                                           Label(category), " is used only in 党政机关"),
                              absl::StrCat(agency.NameZh(), "是", Label(agency.kind), "：",
                                           Label(category), "只能用于党政机关"));
  }
  return absl::OkStatus();
}

void MoveQuota(Decision& decision, const AgencyState& from, const AgencyState& to,
               pb::QuotaCategory category, int64_t count) {
  auto* out = decision.Emit<pb::QuotaTransferredOut>(AgencyStream(from.agency_id));
  out->set_agency_id(from.agency_id);
  out->set_to_agency_id(to.agency_id);
  out->set_category(category);
  out->set_count(static_cast<int32_t>(count));
  auto* in = decision.Emit<pb::QuotaTransferredIn>(AgencyStream(to.agency_id));
  in->set_agency_id(to.agency_id);
  in->set_from_agency_id(from.agency_id);
  in->set_category(category);
  in->set_count(static_cast<int32_t>(count));
}

absl::Status MovePersons(StateView& view, Decision& decision, const AgencyState& from,
                         const AgencyState& to, const std::vector<std::string>& person_ids) {
  if (person_ids.empty()) return absl::OkStatus();
  pb::RosterChanged left;
  left.set_agency_id(from.agency_id);
  pb::RosterChanged joined;
  joined.set_agency_id(to.agency_id);
  for (const std::string& person_id : person_ids) {
    auto it = from.roster.find(person_id);
    if (it == from.roster.end()) {
      return RefusePrecondition(
          absl::StrCat(PersonStream(person_id), " is not in post at ", from.Describe()),
          absl::StrCat("人员 ", person_id, " 不在", from.NameZh(), "在编"));
    }
    RETURN_IF_ERROR(view.Person(person_id).status());
    auto* transferred = decision.Emit<pb::PersonTransferred>(PersonStream(person_id));
    transferred->set_person_id(person_id);
    transferred->set_from_agency_id(from.agency_id);
    transferred->set_to_agency_id(to.agency_id);
    transferred->set_category(it->second);
    pb::RosterEntry entry;
    entry.set_person_id(person_id);
    entry.set_category(it->second);
    *left.add_left() = entry;
    *joined.add_joined() = entry;
  }
  *decision.Emit<pb::RosterChanged>(AgencyStream(from.agency_id)) = std::move(left);
  *decision.Emit<pb::RosterChanged>(AgencyStream(to.agency_id)) = std::move(joined);
  return absl::OkStatus();
}

absl::Status MovePowers(StateView& view, Decision& decision, const AgencyState& from,
                        const AgencyState& to, const std::vector<std::string>& codes) {
  if (codes.empty()) return absl::OkStatus();
  pb::PowersHeldChanged lost;
  lost.set_agency_id(from.agency_id);
  pb::PowersHeldChanged gained;
  gained.set_agency_id(to.agency_id);
  for (const std::string& code : codes) {
    if (!from.powers_held.contains(code)) {
      return RefusePrecondition(
          absl::StrCat(PowerStream(code), " is not held by ", from.Describe()),
          absl::StrCat("权力事项 ", code, " 不由", from.NameZh(), "行使"));
    }
    RETURN_IF_ERROR(view.Power(code).status());
    auto* delegated = decision.Emit<pb::PowerDelegated>(PowerStream(code));
    delegated->set_code(code);
    delegated->set_from_agency_id(from.agency_id);
    delegated->set_to_agency_id(to.agency_id);
    delegated->set_mode(pb::RESTRUCTURED);
    lost.add_lost(code);
    gained.add_gained(code);
  }
  *decision.Emit<pb::PowersHeldChanged>(AgencyStream(from.agency_id)) = std::move(lost);
  *decision.Emit<pb::PowersHeldChanged>(AgencyStream(to.agency_id)) = std::move(gained);
  return absl::OkStatus();
}

void CarryLeaders(Decision& decision, const AgencyState& from,
                  const std::vector<std::string>& person_ids, AgencyState& to) {
  std::vector<std::pair<std::string, AgencyState::Leader>> carried;
  for (const std::string& person_id : person_ids) {
    if (auto it = from.leaders.find(person_id); it != from.leaders.end()) carried.emplace_back(*it);
  }
  if (carried.empty()) return;
  auto* changed = decision.Emit<pb::LeadersChanged>(AgencyStream(to.agency_id));
  changed->set_agency_id(to.agency_id);
  std::set<pb::Rank> ranks;
  for (const auto& [person_id, leader] : carried) {
    const std::string title = absl::StrCat("原", from.name, leader.title);
    auto* appointed = decision.Emit<pb::LeaderAppointed>(PersonStream(person_id));
    appointed->set_person_id(person_id);
    appointed->set_agency_id(to.agency_id);
    appointed->set_rank(leader.rank);
    appointed->set_title(title);
    pb::LeaderEntry* entry = changed->add_appointed();
    entry->set_person_id(person_id);
    entry->set_rank(leader.rank);
    entry->set_title(title);
    to.leaders[person_id] = {leader.rank, title};
    ranks.insert(leader.rank);
  }
  for (const pb::Rank rank : ranks) {
    const int64_t excess =
        to.LeadersAt(rank) - to.LeaderPostsAt(rank) - to.LeaderTransitionAt(rank);
    if (excess <= 0) continue;
    auto* opened = decision.Emit<pb::LeaderTransitionOpened>(AgencyStream(to.agency_id));
    opened->set_agency_id(to.agency_id);
    opened->set_rank(rank);
    opened->set_excess(static_cast<int32_t>(excess));
    opened->add_from_agency_ids(from.agency_id);
    to.leader_transition[rank] += excess;
  }
}

absl::Status CheckNoReservations(const AgencyState& agency, absl::string_view date) {
  std::vector<std::string> notices;
  for (const auto& [notice_id, r] : agency.reservations) {
    if (r.remaining > 0 && (date.empty() || r.valid_until >= date)) {
      notices.push_back(QuotaUseStream(notice_id));
    }
  }
  if (notices.empty()) return absl::OkStatus();
  return RefusePrecondition(
      absl::StrCat(agency.Describe(), " holds vacancies reserved (预留编制) by ",
                   absl::StrJoin(notices, ", "), ": withdraw or fill them before it ceases"),
      absl::StrCat(agency.NameZh(), "有用编通知单 ", absl::StrJoin(notices, "、"),
                   " 预留的编制：撤销前须先撤回或用毕"));
}

absl::StatusOr<std::vector<AgencyState>> DisposeQuotas(
    StateView& view, Decision& decision, const std::vector<const AgencyState*>& ceasing,
    const AgencyState& to,
    const google::protobuf::RepeatedPtrField<::reformlog::api::v1::QuotaDisposition>&
        dispositions) {
  if (dispositions.size() > kQuotaDispositionsMax) {
    return RefuseInvalid(
        absl::StrCat("quota_dispositions has ", dispositions.size(), " entries; at most ",
                     kQuotaDispositionsMax, " (kQuotaDispositionsMax)"),
        absl::StrCat("quota_dispositions（编制处置）有 ", dispositions.size(), " 项，至多 ",
                     kQuotaDispositionsMax, " 项"));
  }
  std::vector<AgencyState> after;
  after.reserve(ceasing.size());
  for (const AgencyState* state : ceasing) after.push_back(*state);
  std::set<std::pair<std::string, pb::QuotaCategory>> seen;
  for (int i = 0; i < dispositions.size(); ++i) {
    const ::reformlog::api::v1::QuotaDisposition& d = dispositions[i];
    const std::string field = absl::StrCat("quota_dispositions[", i, "]");
    AgencyState* from = nullptr;
    for (AgencyState& state : after) {
      if (state.agency_id == d.agency_id()) from = &state;
    }
    if (from == nullptr) {
      return RefuseInvalid(
          absl::StrCat(field, ".agency_id ", QuoteValue(d.agency_id()),
                       " is not a body that ceases into ", to.Describe(), " in this restructure"),
          absl::StrCat(field, ".agency_id ", QuoteValue(d.agency_id()), " 不是本次改革中并入",
                       to.NameZh(), "的机构"));
    }
    RETURN_IF_ERROR(ValidateCategory(absl::StrCat(field, ".category"), d.category()));
    if (!seen.emplace(d.agency_id(), d.category()).second) {
      return RefuseInvalid(
          absl::StrCat(field, ": ", from->Describe(), " ", Label(d.category()),
                       " is disposed twice"),
          absl::StrCat(field, "：", from->NameZh(), "的", Label(d.category()), "被处置了两次"));
    }
    if (CheckCategoryAllowed(to, d.category()).ok()) {
      return RefuseInvalid(
          absl::StrCat(field, ": ", to.Describe(), " may hold ", Label(d.category()),
                       ": it moves as it is; dispose only of a category the receiver may not hold"),
          absl::StrCat(field, "：", to.NameZh(), "可以使用", Label(d.category()),
                       "，按原类别划入即可；只有承接机构不能使用的编制类别才需转换或核销"));
    }
    for (const auto& [name, count] :
         {std::pair<const char*, int32_t>{"convert_count", d.convert_count()},
          {"cancel_count", d.cancel_count()}}) {
      if (count < 0 || count > kQuotaCountMax) {
        return RefuseInvalid(
            absl::StrCat(field, ".", name, " ", count, " is outside 0–", kQuotaCountMax),
            absl::StrCat(field, ".", name, " ", count, " 不在 0–", kQuotaCountMax, " 之内"));
      }
    }
    if (d.convert_count() > 0) {
      RETURN_IF_ERROR(ValidateCategory(absl::StrCat(field, ".convert_to"), d.convert_to()));
      if (absl::Status s = CheckCategoryAllowed(to, d.convert_to()); !s.ok()) {
        return WithContext(s, absl::StrCat(field, ".convert_to: "),
                           absl::StrCat(field, ".convert_to（转换为）："));
      }
    } else if (d.convert_to() != pb::QUOTA_CATEGORY_UNSPECIFIED) {
      return RefuseInvalid(absl::StrCat(field, ".convert_to is set but convert_count is 0"),
                           absl::StrCat(field, " 给了 convert_to（转换为），但转换数为 0"));
    }
    const pb::QuotaCategory category = d.category();
    const int64_t held = from->Quota(category);
    const int64_t disposed = int64_t{d.convert_count()} + d.cancel_count();
    if (disposed != held) {
      return RefusePrecondition(
          absl::StrCat(field, ": ", from->Describe(), " holds ", Label(category), " ", held,
                       "; the disposition "
                       "converts (转换) ",
                       d.convert_count(), " and cancels (核销) ", d.cancel_count(),
                       ": together they dispose of all it holds, no more"),
          absl::StrCat(field, "：", from->NameZh(), "有", Label(category), held, "名，处置中转换",
                       d.convert_count(), "名、核销", d.cancel_count(),
                       "名：转换与核销合计须恰为其全部编制"));
    }
    const int64_t in_post = from->InPost(category);
    if (in_post > d.convert_count()) {
      return RefusePrecondition(
          absl::StrCat(field, ": ", from->Describe(), " has ", in_post, " in post in ",
                       Label(category), " and converts ", d.convert_count(),
                       ": only vacant 编制 can be cancelled (核销), so "
                       "convert at least as many as are in post"),
          absl::StrCat(field, "：", from->NameZh(), Label(category), "实有", in_post, "人，只转换",
                       d.convert_count(), "名：只有空编可以核销，转换数不得少于实有人数"));
    }
    if (d.convert_count() > 0) {
      pb::QuotaConverted converted;
      converted.set_agency_id(from->agency_id);
      converted.set_from_category(category);
      converted.set_to_category(d.convert_to());
      converted.set_count(d.convert_count());
      for (const auto& [person_id, person_category] : from->roster) {
        if (person_category != category) continue;
        RETURN_IF_ERROR(view.Person(person_id).status());
        auto* moved = decision.Emit<pb::PersonRecategorised>(PersonStream(person_id));
        moved->set_person_id(person_id);
        moved->set_agency_id(from->agency_id);
        moved->set_from_category(category);
        moved->set_to_category(d.convert_to());
        converted.add_person_ids(person_id);
      }
      from->Apply(converted);
      *decision.Emit<pb::QuotaConverted>(AgencyStream(from->agency_id)) = std::move(converted);
    }
    if (d.cancel_count() > 0) {
      auto* cancelled = decision.Emit<pb::QuotaCancelled>(AgencyStream(from->agency_id));
      cancelled->set_agency_id(from->agency_id);
      cancelled->set_category(category);
      cancelled->set_count(d.cancel_count());
      from->Apply(*cancelled);
    }
  }
  return after;
}

absl::Status MoveEverything(StateView& view, Decision& decision, const AgencyState& from,
                            AgencyState& to) {
  for (const auto& [category, count] : from.quotas) {
    if (count <= 0 && from.InPost(category) == 0) continue;
    if (absl::Status s = CheckCategoryAllowed(to, category); !s.ok()) {
      return RefusePrecondition(
          absl::StrCat(from.Describe(), " holds ", Label(category), " ", count, ": ", s.message(),
                       "; convert (转换) or cancel (核销) it with a quota_disposition"),
          absl::StrCat(from.NameZh(), "有", Label(category), count, "名：", ChineseText(s),
                       "；请以编制处置将其转换或核销（reformctl --convert / --cancel）"));
    }
    if (count > 0) MoveQuota(decision, from, to, category, count);
  }
  std::vector<std::string> persons;
  for (const auto& [person_id, category] : from.roster) persons.push_back(person_id);
  RETURN_IF_ERROR(MovePersons(view, decision, from, to, persons));
  CarryLeaders(decision, from, persons, to);
  std::vector<std::string> codes(from.powers_held.begin(), from.powers_held.end());
  RETURN_IF_ERROR(MovePowers(view, decision, from, to, codes));
  if (!from.functions.empty()) {
    auto* out = decision.Emit<pb::FunctionsTransferredOut>(AgencyStream(from.agency_id));
    out->set_agency_id(from.agency_id);
    out->set_to_agency_id(to.agency_id);
    auto* in = decision.Emit<pb::FunctionsTransferredIn>(AgencyStream(to.agency_id));
    in->set_agency_id(to.agency_id);
    in->set_from_agency_id(from.agency_id);
    for (const std::string& f : from.functions) {
      out->add_functions(f);
      in->add_functions(f);
    }
  }
  return absl::OkStatus();
}

}  // namespace reformlog::domain
