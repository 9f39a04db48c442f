#include "projections/org/org_projection.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;

// Puts the event's payload into the change's oneof; false for events that are not part of
// an agency's organisational history.
bool SetChange(const AppliedEvent& e, rm::AgencyChange& change) {
  if (const auto* p = e.As<pb::AgencyEstablished>())
    *change.mutable_established() = *p;
  else if (const auto* p = e.As<pb::AgencyRenamed>())
    *change.mutable_renamed() = *p;
  else if (const auto* p = e.As<pb::ExtraNameAdded>())
    *change.mutable_extra_name_added() = *p;
  else if (const auto* p = e.As<pb::ExtraNameRemoved>())
    *change.mutable_extra_name_removed() = *p;
  else if (const auto* p = e.As<pb::AgencyReparented>())
    *change.mutable_reparented() = *p;
  else if (const auto* p = e.As<pb::AgencyReranked>())
    *change.mutable_reranked() = *p;
  else if (const auto* p = e.As<pb::AgencyMerged>())
    *change.mutable_merged() = *p;
  else if (const auto* p = e.As<pb::AgencyAbsorbed>())
    *change.mutable_absorbed() = *p;
  else if (const auto* p = e.As<pb::AgencySplit>())
    *change.mutable_split() = *p;
  else if (const auto* p = e.As<pb::AgencyAbolished>())
    *change.mutable_abolished() = *p;
  else if (const auto* p = e.As<pb::DivisionCreated>())
    *change.mutable_division_created() = *p;
  else if (const auto* p = e.As<pb::DivisionAbolished>())
    *change.mutable_division_abolished() = *p;
  else if (const auto* p = e.As<pb::MandateIssued>())
    *change.mutable_mandate_issued() = *p;
  else if (const auto* p = e.As<pb::FunctionsTransferredOut>())
    *change.mutable_functions_out() = *p;
  else if (const auto* p = e.As<pb::FunctionsTransferredIn>())
    *change.mutable_functions_in() = *p;
  else
    return false;
  return true;
}

bool EffectiveBefore(const rm::AgencyChange& a, const rm::AgencyChange& b) {
  if (a.ref().effective_date() != b.ref().effective_date()) {
    return a.ref().effective_date() < b.ref().effective_date();
  }
  return a.ref().position() < b.ref().position();
}

}  // namespace

rm::EventRef RefOf(const eventstore::RecordedEvent& event) {
  rm::EventRef ref;
  ref.set_position(event.position);
  ref.set_event_type(event.type);
  ref.set_effective_date(event.effective_date);
  ref.set_basis_number(event.basis.number);
  ref.set_basis_issuer(event.basis.issuer);
  ref.set_basis_title(event.basis.title);
  return ref;
}

std::vector<const google::protobuf::Descriptor*> OrgProjection::EventTypes() const {
  return EventSet<pb::AgencyEstablished, pb::AgencyRenamed, pb::ExtraNameAdded,
                  pb::ExtraNameRemoved, pb::AgencyReparented, pb::AgencyReranked, pb::AgencyMerged,
                  pb::AgencyAbsorbed, pb::AgencySplit, pb::AgencyAbolished, pb::DivisionCreated,
                  pb::DivisionAbolished, pb::MandateIssued, pb::FunctionsTransferredOut,
                  pb::FunctionsTransferredIn>::Descriptors();
}

void OrgProjection::ApplyTyped(const AppliedEvent& event, Table<rm::AgencyHistory>& table) const {
  const std::string& stream = event.envelope.stream_id;
  if (!absl::StartsWith(stream, domain::kAgencyStreamPrefix)) return;
  rm::AgencyChange change;
  if (!SetChange(event, change)) return;
  *change.mutable_ref() = RefOf(event.envelope);
  rm::AgencyHistory* history =
      table.Mutable(stream.substr(sizeof(domain::kAgencyStreamPrefix) - 1));
  history->set_agency_id(stream.substr(sizeof(domain::kAgencyStreamPrefix) - 1));
  // Changes stay in effective order: a back-dated event slots in before later ones.
  auto* changes = history->mutable_changes();
  auto at = std::upper_bound(changes->begin(), changes->end(), change, EffectiveBefore);
  const int index = static_cast<int>(at - changes->begin());
  *changes->Add() = std::move(change);
  for (int i = changes->size() - 1; i > index; --i) changes->SwapElements(i, i - 1);
}

}  // namespace reformlog::projections
