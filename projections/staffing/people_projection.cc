#include "projections/staffing/people_projection.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/staffing/sorted_fields.h"
#include "reformlog/domain/v1/common.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;

// The events this projection folds; every other event leaves the table untouched.
using Folded = EventSet<pb::PersonRegistered, pb::PersonTransferred, pb::PersonRecategorised,
                        pb::LeaderAppointed, pb::LeaderRemoved, pb::PersonDeparted>;

std::string Post(const std::string& title, pb::Rank rank) {
  return absl::StrCat(title, "（", domain::Label(rank), "）");
}

void LeavePost(rm::PersonRecord& p) {
  p.clear_leader_rank();
  p.clear_leader_title();
}

// Folds the event into `p` and says what it did in `change`.
void Fold(const AppliedEvent& event, rm::PersonRecord& p, rm::PersonChange& change) {
  if (const auto* e = event.As<pb::PersonRegistered>()) {
    p.set_name(e->name());
    p.set_agency_id(e->agency_id());
    p.set_category(e->category());
    p.set_post(e->post());
    change.set_agency_id(e->agency_id());
    change.set_summary(absl::StrCat("进入", e->agency_id(), "（", domain::Label(e->category()),
                                    e->post().empty() ? "" : absl::StrCat("，", e->post()), "）",
                                    e->entry_reason() == pb::ENTRY_REASON_UNSPECIFIED
                                        ? ""
                                        : absl::StrCat("，", domain::Label(e->entry_reason()))));
  } else if (const auto* e = event.As<pb::PersonTransferred>()) {
    std::string summary = absl::StrCat("调动：", e->from_agency_id(), " → ", e->to_agency_id());
    if (p.leader_rank() != pb::RANK_UNSPECIFIED) {
      absl::StrAppend(&summary, "；不再担任", Post(p.leader_title(), p.leader_rank()));
    }
    p.set_agency_id(e->to_agency_id());
    p.set_category(e->category());
    LeavePost(p);  // a transfer leaves any leader post behind (PersonState does the same)
    change.set_agency_id(e->to_agency_id());
    change.set_summary(std::move(summary));
  } else if (const auto* e = event.As<pb::PersonRecategorised>()) {
    p.set_category(e->to_category());  // same agency, same post
    change.set_agency_id(e->agency_id());
    change.set_summary(absl::StrCat("编制转换：", domain::Label(e->from_category()), " → ",
                                    domain::Label(e->to_category())));
  } else if (const auto* e = event.As<pb::LeaderAppointed>()) {
    p.set_leader_rank(e->rank());
    p.set_leader_title(e->title());
    change.set_agency_id(e->agency_id());
    change.set_summary(absl::StrCat("任", Post(e->title(), e->rank())));
  } else if (const auto* e = event.As<pb::LeaderRemoved>()) {
    LeavePost(p);
    change.set_agency_id(e->agency_id());
    change.set_summary(absl::StrCat("免去", Post(e->title(), e->rank())));
  } else if (const auto* e = event.As<pb::PersonDeparted>()) {
    p.set_departed(true);
    p.clear_agency_id();
    LeavePost(p);
    change.set_agency_id(e->agency_id());
    change.set_summary(absl::StrCat("减员（", domain::Label(e->reason()),
                                    e->note().empty() ? "" : absl::StrCat("：", e->note()), "）"));
  }
}

}  // namespace

void PeopleProjection::ApplyTyped(const AppliedEvent& event, Table<rm::PersonRecord>& table) const {
  const std::string& stream = event.envelope.stream_id;
  if (!absl::StartsWith(stream, domain::kPersonStreamPrefix)) return;
  if (!Folded::Contains(event.payload_type)) return;
  const std::string person_id = stream.substr(sizeof(domain::kPersonStreamPrefix) - 1);
  rm::PersonRecord* person = table.Mutable(person_id);
  person->set_person_id(person_id);
  // Fold reads the record before this change is in its history.
  rm::PersonChange* change = person->add_history();
  *change->mutable_ref() = RefOf(event.envelope);
  Fold(event, *person, *change);
}

std::vector<const google::protobuf::Descriptor*> PeopleProjection::EventTypes() const {
  return Folded::Descriptors();
}

}  // namespace reformlog::projections
