#include "services/domain/states.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {
namespace {

template <typename T>
const T* As(const google::protobuf::Message& event) {
  return dynamic_cast<const T*>(&event);
}

void Erase(std::vector<std::string>& names, const std::string& name) {
  names.erase(std::remove(names.begin(), names.end(), name), names.end());
}

}  // namespace

int64_t AgencyState::Quota(pb::QuotaCategory c) const {
  auto it = quotas.find(c);
  return it == quotas.end() ? 0 : it->second;
}

int64_t AgencyState::ReservedOn(pb::QuotaCategory c, absl::string_view date) const {
  int64_t reserved = 0;
  for (const auto& [notice_id, r] : reservations) {
    if (r.category == c && (date.empty() || r.valid_until >= date)) reserved += r.remaining;
  }
  return reserved;
}

int64_t AgencyState::InPost(pb::QuotaCategory c) const {
  auto it = in_post.find(c);
  return it == in_post.end() ? 0 : it->second;
}

int64_t AgencyState::LeadersAt(pb::Rank r) const {
  int64_t n = 0;
  for (const auto& [person, leader] : leaders) n += leader.rank == r ? 1 : 0;
  return n;
}

int64_t AgencyState::LeaderPostsAt(pb::Rank r) const {
  auto it = leader_posts.find(r);
  return it == leader_posts.end() ? 0 : it->second.count;
}

int64_t AgencyState::LeaderTransitionAt(pb::Rank r) const {
  auto it = leader_transition.find(r);
  return it == leader_transition.end() ? 0 : it->second;
}

std::string AgencyState::Describe() const {
  return name.empty() ? AgencyStream(agency_id)
                      : absl::StrCat(AgencyStream(agency_id), " (", name, ")");
}

std::string AgencyState::NameZh() const { return name.empty() ? agency_id : name; }

std::string AgencyState::CeasedZh() const {
  if (!ceased) return "";
  constexpr absl::string_view kMergedInto = "merged into ";
  if (absl::StartsWith(ceased_how, kMergedInto)) {
    absl::string_view into = absl::string_view(ceased_how).substr(kMergedInto.size());
    absl::ConsumePrefix(&into, kAgencyStreamPrefix);
    return absl::StrCat("已并入 ", into);
  }
  return ceased_how == "split" ? "已分设" : "已撤销";
}

void AgencyState::Apply(const google::protobuf::Message& event) {
  const bool establishing = As<pb::AgencyEstablished>(event) != nullptr;
  const bool lock =
      As<pb::RecordsLocked>(event) != nullptr || As<pb::RecordsUnlocked>(event) != nullptr;
  if (establishing ? exists : !Active() && !lock) ++stray_events;
  if (const auto* e = As<pb::AgencyEstablished>(event)) {
    exists = true;
    agency_id = e->agency_id();
    name = e->name();
    kind = e->kind();
    rank = e->rank();
    parent_id = e->parent_id();
    funding_form = e->funding_form();
    jurisdiction = e->jurisdiction();
    civil_servant_managed = e->civil_servant_managed();
    role = e->role();
  } else if (const auto* e = As<pb::AgencyRenamed>(event)) {
    name = e->new_name();
  } else if (const auto* e = As<pb::ExtraNameAdded>(event)) {
    extra_names.push_back(e->name());
  } else if (const auto* e = As<pb::ExtraNameRemoved>(event)) {
    Erase(extra_names, e->name());
  } else if (const auto* e = As<pb::AgencyReparented>(event)) {
    parent_id = e->new_parent_id();
  } else if (const auto* e = As<pb::AgencyReranked>(event)) {
    rank = e->new_rank();
  } else if (const auto* e = As<pb::AgencyMerged>(event)) {
    if (!e->absorption() || e->result_id() != agency_id) {
      ceased = true;
      ceased_how = absl::StrCat("merged into ", AgencyStream(e->result_id()));
    }
  } else if (As<pb::AgencySplit>(event) != nullptr) {
    ceased = true;
    ceased_how = "split";
  } else if (As<pb::AgencyAbolished>(event) != nullptr) {
    ceased = true;
    ceased_how = "abolished";
  } else if (const auto* e = As<pb::DivisionCreated>(event)) {
    divisions[e->division_id()] = {e->name(), {e->extra_names().begin(), e->extra_names().end()}};
  } else if (const auto* e = As<pb::DivisionAbolished>(event)) {
    divisions.erase(e->division_id());
  } else if (const auto* e = As<pb::MandateIssued>(event)) {
    mandate_issued = true;
    functions.assign(e->functions().begin(), e->functions().end());
    quotas.clear();
    for (const pb::QuotaCount& q : e->quotas()) quotas[q.category()] = q.count();
    leader_posts.clear();
    for (const pb::LeaderPostCount& p : e->leader_posts()) {
      leader_posts[p.rank()] = {p.count(), p.title()};
    }
  } else if (const auto* e = As<pb::LeaderPostsApproved>(event)) {
    leader_posts.clear();
    for (const pb::LeaderPostCount& p : e->leader_posts()) {
      leader_posts[p.rank()] = {p.count(), p.title()};
    }
  } else if (const auto* e = As<pb::FunctionsTransferredOut>(event)) {
    for (const std::string& f : e->functions()) Erase(functions, f);
  } else if (const auto* e = As<pb::FunctionsTransferredIn>(event)) {
    functions.insert(functions.end(), e->functions().begin(), e->functions().end());
  } else if (const auto* e = As<pb::QuotaGranted>(event)) {
    quotas[e->category()] += e->count();
  } else if (const auto* e = As<pb::QuotaWithdrawn>(event)) {
    quotas[e->category()] -= e->count();
  } else if (const auto* e = As<pb::QuotaCancelled>(event)) {
    quotas[e->category()] -= e->count();
  } else if (const auto* e = As<pb::QuotaConverted>(event)) {
    quotas[e->from_category()] -= e->count();
    quotas[e->to_category()] += e->count();
    for (const std::string& person_id : e->person_ids()) {
      auto it = roster.find(person_id);
      if (it == roster.end()) continue;  // never, from a decision
      --in_post[it->second];
      it->second = e->to_category();
      ++in_post[it->second];
    }
  } else if (const auto* e = As<pb::QuotaTransferredOut>(event)) {
    quotas[e->category()] -= e->count();
  } else if (const auto* e = As<pb::QuotaTransferredIn>(event)) {
    quotas[e->category()] += e->count();
  } else if (const auto* e = As<pb::RosterChanged>(event)) {
    for (const pb::RosterEntry& left : e->left()) {
      if (roster.erase(left.person_id()) > 0) --in_post[left.category()];
      leaders.erase(left.person_id());
    }
    for (const pb::RosterEntry& joined : e->joined()) {
      roster[joined.person_id()] = joined.category();
      ++in_post[joined.category()];
    }
  } else if (const auto* e = As<pb::LeadersChanged>(event)) {
    for (const pb::LeaderEntry& removed : e->removed()) leaders.erase(removed.person_id());
    for (const pb::LeaderEntry& appointed : e->appointed()) {
      leaders[appointed.person_id()] = {appointed.rank(), appointed.title()};
    }
  } else if (const auto* e = As<pb::PowersHeldChanged>(event)) {
    for (const std::string& code : e->lost()) powers_held.erase(code);
    for (const std::string& code : e->gained()) powers_held.insert(code);
  } else if (const auto* e = As<pb::LeaderTransitionOpened>(event)) {
    leader_transition[e->rank()] += e->excess();
  } else if (const auto* e = As<pb::QuotaReserved>(event)) {
    reservations[e->notice_id()] = {e->category(), e->count(), e->valid_until()};
  } else if (const auto* e = As<pb::QuotaReservationReleased>(event)) {
    auto it = reservations.find(e->notice_id());
    if (it != reservations.end()) {
      it->second.remaining -= e->count();
      if (it->second.remaining <= 0) reservations.erase(it);
    }
  } else if (const auto* e = As<pb::RecordsLocked>(event)) {
    locked_by_plan = e->plan_id();
  } else if (As<pb::RecordsUnlocked>(event) != nullptr) {
    locked_by_plan.clear();
  }
  // 消化: a transition shrinks as leaders leave or posts are approved, and never grows back.
  for (auto it = leader_transition.begin(); it != leader_transition.end();) {
    const int64_t over = std::max<int64_t>(0, LeadersAt(it->first) - LeaderPostsAt(it->first));
    it->second = std::min(it->second, over);
    it = it->second > 0 ? std::next(it) : leader_transition.erase(it);
  }
}

void AgencyState::NoteDate(const google::protobuf::Message& event, absl::string_view date) {
  on_date = std::string(date);
  if (As<pb::RecordsLocked>(event) != nullptr || As<pb::RecordsUnlocked>(event) != nullptr) {
    lock_changed_on = std::string(date);
  }
}

void PersonState::Apply(const google::protobuf::Message& event) {
  const bool registering = As<pb::PersonRegistered>(event) != nullptr;
  if (registering ? exists : !InPost()) ++stray_events;
  if (const auto* e = As<pb::PersonRegistered>(event)) {
    exists = true;
    person_id = e->person_id();
    name = e->name();
    agency_id = e->agency_id();
    category = e->category();
    post = e->post();
  } else if (const auto* e = As<pb::PersonTransferred>(event)) {
    agency_id = e->to_agency_id();
    category = e->category();
    is_leader = false;  // a transfer leaves any leader post behind
    leader_rank = pb::RANK_UNSPECIFIED;
    leader_title.clear();
  } else if (const auto* e = As<pb::PersonRecategorised>(event)) {
    category = e->to_category();
  } else if (As<pb::PersonDeparted>(event) != nullptr) {
    departed = true;
    agency_id.clear();
    is_leader = false;
  } else if (const auto* e = As<pb::LeaderAppointed>(event)) {
    is_leader = true;
    leader_rank = e->rank();
    leader_title = e->title();
  } else if (As<pb::LeaderRemoved>(event) != nullptr) {
    is_leader = false;
    leader_rank = pb::RANK_UNSPECIFIED;
    leader_title.clear();
  }
}

std::string QuotaUseState::StatusLabel(Status status) {
  switch (status) {
    case Status::kRequested:
      return "已申请";
    case Status::kApproved:
      return "已核准";
    case Status::kDeclined:
      return "不予核准";
    case Status::kWithdrawn:
      return "已撤回";
    case Status::kNone:
      break;
  }
  return "未申请";
}

void QuotaUseState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::QuotaUseRequested>(event)) {
    exists = true;
    notice_id = e->notice_id();
    agency_id = e->agency_id();
    category = e->category();
    requested = e->count();
    purpose = e->purpose();
    status = Status::kRequested;
  } else if (const auto* e = As<pb::QuotaUseApproved>(event)) {
    approved = e->count();
    notice_number = e->notice_number();
    valid_until = e->valid_until();
    status = Status::kApproved;
  } else if (As<pb::QuotaUseDeclined>(event) != nullptr) {
    status = Status::kDeclined;
  } else if (As<pb::QuotaUseWithdrawn>(event) != nullptr) {
    status = Status::kWithdrawn;
  } else if (As<pb::QuotaUseFilled>(event) != nullptr) {
    ++filled;
  }
}

void JurisdictionState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::QuotaUsePolicySet>(event)) {
    jurisdiction = e->jurisdiction();
    notice_required = e->notice_required();
  }
}

void AgencyNameState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::AgencyNameClaimed>(event)) {
    jurisdiction = e->jurisdiction();
    name = e->name();
    holders.insert(e->agency_id());
  } else if (const auto* e = As<pb::AgencyNameReleased>(event)) {
    holders.erase(e->agency_id());
  }
}

void PowerState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::PowerCatalogued>(event)) {
    exists = true;
    code = e->code();
    name = e->name();
    category = e->category();
    legal_basis = e->legal_basis();
    holder_agency_id = e->holder_agency_id();
  } else if (const auto* e = As<pb::PowerDelegated>(event)) {
    holder_agency_id = e->to_agency_id();
    // A restructure puts the successor in the place of its predecessor, which ceases: the
    // item is held as before (as its own, or as delegated by the same department), and no
    // return goes back to the predecessor.
    if (e->mode() != pb::RESTRUCTURED) {
      passed_from.push_back(e->from_agency_id());
      passed_modes.push_back(e->mode());
      mode = e->mode();
    }
  } else if (const auto* e = As<pb::PowerReturned>(event)) {
    holder_agency_id = e->to_agency_id();
    if (!passed_from.empty()) {
      passed_from.pop_back();
      passed_modes.pop_back();
    }
    mode = passed_modes.empty() ? pb::DELEGATION_MODE_UNSPECIFIED : passed_modes.back();
  }
}

std::string LineKey(const pb::BudgetLine& line) {
  return absl::StrCat(static_cast<int>(line.fund_source()), "|", line.function_code(), "|",
                      line.economic_code(), "|", static_cast<int>(line.kind()), "|",
                      line.project_id());
}

std::string DescribeLine(const pb::BudgetLine& line) {
  return absl::StrCat(Label(line.fund_source()), " ", line.function_code(), "/",
                      line.economic_code(), " ",
                      line.kind() == pb::PROJECT ? absl::StrCat("项目支出 ", line.project_id())
                                                 : std::string("基本支出"));
}

void BudgetState::Apply(const google::protobuf::Message& event) {
  auto line_of = [&](const auto& e) -> Line& {
    agency_id = e.agency_id();
    fiscal_year = e.fiscal_year();
    Line& line = lines[LineKey(e.line())];
    line.line = e.line();
    if (line.closed) ++stray_events;
    return line;
  };
  if (const auto* e = As<pb::BudgetAppropriated>(event)) {
    line_of(*e).appropriated_fen += e->amount_fen();
  } else if (const auto* e = As<pb::BudgetAdjusted>(event)) {
    line_of(*e).adjusted_fen += e->delta_fen();
  } else if (const auto* e = As<pb::FundsDisbursed>(event)) {
    line_of(*e).disbursed_fen += e->amount_fen();
    disbursement_ids.insert(e->disbursement_id());
  } else if (const auto* e = As<pb::IncomeRecorded>(event)) {
    line_of(*e).income_fen += e->amount_fen();
  } else if (const auto* e = As<pb::CarryOverRecorded>(event)) {
    Line& line = line_of(*e);
    if (e->kind() == pb::OPENING && line.opened) ++stray_events;
    (e->kind() == pb::OPENING ? line.carried_in_fen : line.carried_out_fen) += e->amount_fen();
    (e->kind() == pb::OPENING ? line.opened : line.closed) = true;
  } else if (const auto* e = As<pb::ProjectDefined>(event)) {
    agency_id = e->agency_id();
    fiscal_year = e->fiscal_year();
    Project& project = projects[e->project_id()];
    project.name = e->name();
    project.indicators.assign(e->indicators().begin(), e->indicators().end());
  } else if (const auto* e = As<pb::PerformanceRecorded>(event)) {
    Project& project = projects[e->project_id()];
    for (const pb::IndicatorActual& actual : e->actuals()) {
      project.actuals[actual.indicator_id()] = actual;
    }
  }
}

void PlanState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::PlanDrafted>(event)) {
    exists = true;
    plan_id = e->plan_id();
    title = e->title();
    jurisdiction = e->jurisdiction();
  } else if (As<pb::PlanApproved>(event) != nullptr) {
    approved = true;
  } else if (const auto* e = As<pb::TaskAdded>(event)) {
    tasks[e->task_id()] = {e->agency_id(), e->kind(), e->due_date(), e->description(), false};
  } else if (const auto* e = As<pb::TaskCompleted>(event)) {
    tasks[e->task_id()].completed = true;
  } else if (As<pb::PlanClosed>(event) != nullptr) {
    closed = true;
  }
}

SecurityState::Grant GrantOf(pb::Role role, const pb::Scope& scope) {
  return {role, scope.jurisdiction(), scope.agency_id()};
}

void SecurityState::Apply(const google::protobuf::Message& event) {
  if (const auto* e = As<pb::PrincipalAdded>(event)) {
    Principal& p = principals[e->principal_id()];
    p.display_name = e->display_name();
    p.certificate_cn = e->certificate_cn();
  } else if (const auto* e = As<pb::RoleGranted>(event)) {
    principals[e->principal_id()].grants.insert(GrantOf(e->role(), e->scope()));
  } else if (const auto* e = As<pb::RoleRevoked>(event)) {
    principals[e->principal_id()].grants.erase(GrantOf(e->role(), e->scope()));
  } else if (const auto* e = As<pb::TokenIssued>(event)) {
    tokens[e->token_id()] = {e->principal_id(), e->token_sha256(), false};
    principals[e->principal_id()].token_ids.push_back(e->token_id());
  } else if (const auto* e = As<pb::TokenRevoked>(event)) {
    auto it = tokens.find(e->token_id());
    if (it != tokens.end()) it->second.revoked = true;
  } else if (const auto* e = As<pb::PrincipalDisabled>(event)) {
    principals[e->principal_id()].disabled = true;
  }
}

}  // namespace reformlog::domain
