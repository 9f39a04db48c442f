#include "projections/staffing/staffing_projection.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/vocabulary.h"
#include "projections/staffing/sorted_fields.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;

// The events this projection folds; every other event leaves the table untouched.
using Folded =
    EventSet<pb::AgencyEstablished, pb::AgencyRenamed, pb::AgencyMerged, pb::AgencySplit,
             pb::AgencyAbolished, pb::MandateIssued, pb::LeaderPostsApproved, pb::QuotaGranted,
             pb::QuotaWithdrawn, pb::QuotaCancelled, pb::QuotaConverted, pb::QuotaTransferredIn,
             pb::QuotaTransferredOut, pb::QuotaReserved, pb::QuotaReservationReleased,
             pb::RosterChanged, pb::LeadersChanged, pb::LeaderTransitionOpened, pb::RecordsLocked,
             pb::RecordsUnlocked, pb::PersonRegistered, pb::PersonDeparted>;

rm::QuotaLine& QuotaLineOf(rm::AgencyStaffing& a, pb::QuotaCategory category) {
  rm::QuotaLine& line = FindOrInsertSorted(a.mutable_quotas(), category,
                                           [](const rm::QuotaLine& l) { return l.category(); });
  line.set_category(category);
  return line;
}

rm::LeaderPostLine& PostLineOf(rm::AgencyStaffing& a, pb::Rank rank) {
  rm::LeaderPostLine& line = FindOrInsertSorted(
      a.mutable_leader_posts(), rank, [](const rm::LeaderPostLine& l) { return l.rank(); });
  line.set_rank(rank);
  return line;
}

// Takes the person out of every leader post (there is at most one).
void LeavePost(rm::AgencyStaffing& a, const std::string& person_id) {
  for (rm::LeaderPostLine& line : *a.mutable_leader_posts()) {
    EraseSorted(
        line.mutable_leaders(), person_id,
        [](const rm::LeaderPostLine::Leader& l) -> const std::string& { return l.person_id(); });
  }
}

void Cease(rm::AgencyStaffing& a, std::string how) {
  a.set_ceased(true);
  a.set_ceased_how(std::move(how));
}

// Leader posts are absolute, in a 三定 and in an approval of posts alone: a rank not listed
// has none.
void ReplacePosts(const google::protobuf::RepeatedPtrField<pb::LeaderPostCount>& posts,
                  rm::AgencyStaffing& a) {
  for (rm::LeaderPostLine& line : *a.mutable_leader_posts()) {
    line.set_approved(0);
    line.clear_title();
  }
  for (const pb::LeaderPostCount& p : posts) {
    rm::LeaderPostLine& line = PostLineOf(a, p.rank());
    line.set_approved(p.count());
    line.set_title(p.title());
  }
}

void ReplaceByMandate(const pb::MandateIssued& m, rm::AgencyStaffing& a) {
  // Quotas and leader posts are absolute in a 三定: what is not listed is zero. People in
  // post and leaders stay (a 三定 does not move anyone).
  for (rm::QuotaLine& line : *a.mutable_quotas()) line.set_quota(0);
  for (const pb::QuotaCount& q : m.quotas()) QuotaLineOf(a, q.category()).set_quota(q.count());
  ReplacePosts(m.leader_posts(), a);
}

// Counts, as AgencyState counts in_post: each entry carries the person's category, and the
// write side names in `left` only people on the agency's roster (MovePersons checks it, a
// departure leaves the person's own agency) and in `joined` only people on no roster
// (registered now, or leaving another agency in the same commit). No roster is needed.
void ChangeRoster(const pb::RosterChanged& e, rm::AgencyStaffing& a) {
  for (const pb::RosterEntry& left : e.left()) {
    rm::QuotaLine& line = QuotaLineOf(a, left.category());
    line.set_in_post(line.in_post() - 1);
    LeavePost(a, left.person_id());  // leaving the agency leaves its leader post too
  }
  for (const pb::RosterEntry& joined : e.joined()) {
    rm::QuotaLine& line = QuotaLineOf(a, joined.category());
    line.set_in_post(line.in_post() + 1);
  }
}

void ChangeLeaders(const pb::LeadersChanged& e, rm::AgencyStaffing& a) {
  for (const pb::LeaderEntry& removed : e.removed()) LeavePost(a, removed.person_id());
  for (const pb::LeaderEntry& appointed : e.appointed()) {
    LeavePost(a, appointed.person_id());
    rm::LeaderPostLine::Leader& leader = FindOrInsertSorted(
        PostLineOf(a, appointed.rank()).mutable_leaders(), appointed.person_id(),
        [](const rm::LeaderPostLine::Leader& l) -> const std::string& { return l.person_id(); });
    leader.set_person_id(appointed.person_id());
    leader.set_title(appointed.title());
  }
}

// The agencies an event that ends an agency sends it to (merged into, split into, successor).
std::vector<std::string> CessationTargets(const AppliedEvent& event) {
  if (const auto* e = event.As<pb::AgencyMerged>()) return {e->result_id()};
  if (const auto* e = event.As<pb::AgencySplit>())
    return {e->result_ids().begin(), e->result_ids().end()};
  if (const auto* e = event.As<pb::AgencyAbolished>()) {
    if (!e->successor_id().empty()) return {e->successor_id()};
  }
  return {};
}

// `ids` by their names in `names`, or by id when it has none, joined by 、.
std::string Named(const absl::flat_hash_map<std::string, std::string>& names,
                  const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    auto it = names.find(id);
    out.push_back(it == names.end() || it->second.empty() ? id : it->second);
  }
  return absl::StrJoin(out, "、");
}

// `names`: the names of CessationTargets(event), where the table has them.
void Fold(const AppliedEvent& event, rm::AgencyStaffing& a,
          const absl::flat_hash_map<std::string, std::string>& names) {
  if (const auto* e = event.As<pb::AgencyEstablished>()) {
    a.set_name(e->name());
    a.set_kind(e->kind());
    a.set_jurisdiction(e->jurisdiction());
  } else if (const auto* e = event.As<pb::AgencyRenamed>()) {
    a.set_name(e->new_name());
  } else if (const auto* e = event.As<pb::AgencyMerged>()) {
    if (!e->absorption() || e->result_id() != a.agency_id()) {
      Cease(a, absl::StrCat("并入", Named(names, {e->result_id()})));
    }
  } else if (const auto* e = event.As<pb::AgencySplit>()) {
    Cease(a,
          absl::StrCat("分设为", Named(names, {e->result_ids().begin(), e->result_ids().end()})));
  } else if (const auto* e = event.As<pb::AgencyAbolished>()) {
    Cease(a, e->successor_id().empty()
                 ? std::string("撤销")
                 : absl::StrCat("撤销，由", Named(names, {e->successor_id()}), "承接"));
  } else if (const auto* e = event.As<pb::MandateIssued>()) {
    ReplaceByMandate(*e, a);
  } else if (const auto* e = event.As<pb::LeaderPostsApproved>()) {
    ReplacePosts(e->leader_posts(), a);
  } else if (const auto* e = event.As<pb::QuotaGranted>()) {
    rm::QuotaLine& line = QuotaLineOf(a, e->category());
    line.set_quota(line.quota() + e->count());
  } else if (const auto* e = event.As<pb::QuotaWithdrawn>()) {
    rm::QuotaLine& line = QuotaLineOf(a, e->category());
    line.set_quota(line.quota() - e->count());
  } else if (const auto* e = event.As<pb::QuotaCancelled>()) {
    rm::QuotaLine& line = QuotaLineOf(a, e->category());
    line.set_quota(line.quota() - e->count());
  } else if (const auto* e = event.As<pb::QuotaConverted>()) {
    const auto people = static_cast<int64_t>(e->person_ids_size());
    rm::QuotaLine& from = QuotaLineOf(a, e->from_category());
    from.set_quota(from.quota() - e->count());
    from.set_in_post(from.in_post() - people);
    rm::QuotaLine& to = QuotaLineOf(a, e->to_category());  // may move `from` in the field
    to.set_quota(to.quota() + e->count());
    to.set_in_post(to.in_post() + people);
  } else if (const auto* e = event.As<pb::QuotaTransferredIn>()) {
    rm::QuotaLine& line = QuotaLineOf(a, e->category());
    line.set_quota(line.quota() + e->count());
  } else if (const auto* e = event.As<pb::QuotaTransferredOut>()) {
    rm::QuotaLine& line = QuotaLineOf(a, e->category());
    line.set_quota(line.quota() - e->count());
  } else if (const auto* e = event.As<pb::QuotaReserved>()) {
    rm::QuotaReservation& r = FindOrInsertSorted(
        a.mutable_reservations(), e->notice_id(),
        [](const rm::QuotaReservation& x) -> const std::string& { return x.notice_id(); });
    r.set_notice_id(e->notice_id());
    r.set_category(e->category());
    r.set_remaining(e->count());
    r.set_valid_until(e->valid_until());
  } else if (const auto* e = event.As<pb::QuotaReservationReleased>()) {
    rm::QuotaReservation& r = FindOrInsertSorted(
        a.mutable_reservations(), e->notice_id(),
        [](const rm::QuotaReservation& x) -> const std::string& { return x.notice_id(); });
    r.set_remaining(r.remaining() - e->count());
    if (r.remaining() <= 0) {
      EraseSorted(
          a.mutable_reservations(), e->notice_id(),
          [](const rm::QuotaReservation& x) -> const std::string& { return x.notice_id(); });
    }
  } else if (const auto* e = event.As<pb::RosterChanged>()) {
    ChangeRoster(*e, a);
  } else if (const auto* e = event.As<pb::LeadersChanged>()) {
    ChangeLeaders(*e, a);
  } else if (const auto* e = event.As<pb::LeaderTransitionOpened>()) {
    rm::LeaderPostLine& line = PostLineOf(a, e->rank());
    line.set_in_transition(line.in_transition() + e->excess());
  } else if (const auto* e = event.As<pb::RecordsLocked>()) {
    a.set_locked_by_plan(e->plan_id());
  } else if (event.As<pb::RecordsUnlocked>() != nullptr) {
    a.clear_locked_by_plan();
  }
}

// Recounts the leaders and drops lines that say nothing (no quota and nobody in post; no
// approved post and no leader), so that equal states have one form.
void Tidy(rm::AgencyStaffing& a) {
  auto* quotas = a.mutable_quotas();
  quotas->erase(
      std::remove_if(quotas->begin(), quotas->end(),
                     [](const rm::QuotaLine& l) { return l.quota() == 0 && l.in_post() == 0; }),
      quotas->end());
  auto* posts = a.mutable_leader_posts();
  for (rm::LeaderPostLine& line : *posts) {
    line.set_appointed(line.leaders_size());
    // 消化: as AgencyState keeps it, shrinking with the excess and never growing back.
    line.set_in_transition(std::min<int64_t>(
        line.in_transition(), std::max<int64_t>(0, line.appointed() - line.approved())));
  }
  posts->erase(std::remove_if(posts->begin(), posts->end(),
                              [](const rm::LeaderPostLine& l) {
                                return l.approved() == 0 && l.leaders_size() == 0;
                              }),
               posts->end());
}

// One more 增员 (departure false) or 减员 of `reason` in the year `event` takes effect.
void CountChange(const AppliedEvent& event, const std::string& agency_id, bool departure,
                 int reason, Table<rm::AgencyStaffing>& table) {
  int year = 0;
  if (!absl::SimpleAtoi(absl::string_view(event.envelope.effective_date).substr(0, 4), &year)) {
    return;  // every recorded event has a valid date; nothing to count without one
  }
  rm::AgencyStaffing* a = table.Mutable(agency_id);
  a->set_agency_id(agency_id);
  const auto key = std::make_tuple(year, departure, reason);
  rm::StaffChangeCount& line =
      FindOrInsertSorted(a->mutable_changes(), key, [](const rm::StaffChangeCount& c) {
        return std::make_tuple(c.year(), c.departure(), c.reason());
      });
  line.set_year(year);
  line.set_departure(departure);
  line.set_reason(reason);
  line.set_count(line.count() + 1);
  a->set_last_position(event.envelope.position);
}

}  // namespace

void StaffingProjection::ApplyTyped(const AppliedEvent& event,
                                    Table<rm::AgencyStaffing>& table) const {
  const std::string& stream = event.envelope.stream_id;
  if (!Folded::Contains(event.payload_type)) return;
  // 增员 and 减员 are counted on the agency from the person's side, where the reason is.
  if (const auto* e = event.As<pb::PersonRegistered>()) {
    CountChange(event, e->agency_id(), false, e->entry_reason(), table);
    return;
  }
  if (const auto* e = event.As<pb::PersonDeparted>()) {
    CountChange(event, e->agency_id(), true, e->reason(), table);
    return;
  }
  if (!absl::StartsWith(stream, domain::kAgencyStreamPrefix)) return;
  const std::string agency_id = stream.substr(sizeof(domain::kAgencyStreamPrefix) - 1);
  // Read before the agency's entry is taken for writing.
  absl::flat_hash_map<std::string, std::string> names;
  for (const std::string& id : CessationTargets(event)) {
    if (const rm::AgencyStaffing* target = table.Find(id)) names[id] = target->name();
  }
  rm::AgencyStaffing* staffing = table.Mutable(agency_id);
  staffing->set_agency_id(agency_id);
  Fold(event, *staffing, names);
  Tidy(*staffing);
  staffing->set_last_position(event.envelope.position);
}

std::vector<const google::protobuf::Descriptor*> StaffingProjection::EventTypes() const {
  return Folded::Descriptors();
}

}  // namespace reformlog::projections
