#include "projections/power/power_projection.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "reformlog/domain/v1/power_events.pb.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;

// The period an event begins; false for events that change no holder.
bool PeriodOf(const AppliedEvent& e, rm::PowerRecord& record, rm::HolderPeriod& period) {
  if (const auto* p = e.As<pb::PowerCatalogued>()) {
    record.set_code(p->code());
    record.set_name(p->name());
    record.set_category(p->category());
    record.set_legal_basis(p->legal_basis());
    record.set_department_id(p->holder_agency_id());
    period.set_change(rm::HolderPeriod::CATALOGUED);
    period.set_holder_agency_id(p->holder_agency_id());
  } else if (const auto* p = e.As<pb::PowerDelegated>()) {
    period.set_change(rm::HolderPeriod::PASSED);
    period.set_holder_agency_id(p->to_agency_id());
    period.set_mode(p->mode());
    period.set_passed_from_agency_id(p->from_agency_id());
  } else if (const auto* p = e.As<pb::PowerReturned>()) {
    period.set_change(rm::HolderPeriod::RETURNED);
    period.set_holder_agency_id(p->to_agency_id());
    period.set_passed_from_agency_id(p->from_agency_id());
  } else {
    return false;
  }
  return true;
}

// The record's order: the CATALOGUED period first, then effective date, then position.
bool RecordOrderBefore(const rm::HolderPeriod& a, const rm::HolderPeriod& b) {
  const bool a_catalogued = a.change() == rm::HolderPeriod::CATALOGUED;
  const bool b_catalogued = b.change() == rm::HolderPeriod::CATALOGUED;
  if (a_catalogued != b_catalogued) return a_catalogued;
  if (a.ref().effective_date() != b.ref().effective_date()) {
    return a.ref().effective_date() < b.ref().effective_date();
  }
  return a.ref().position() < b.ref().position();
}

// Derives held_as and delegated_by of every period from `from` on, folding from the start as
// PowerState::Apply does: each passing but a restructure is remembered (most recent last), a
// return forgets the last one.
void Derive(google::protobuf::RepeatedPtrField<rm::HolderPeriod>& periods, int from) {
  std::vector<std::pair<std::string, pb::DelegationMode>> passed;  // (by whom, how)
  for (int i = 0; i < periods.size(); ++i) {
    rm::HolderPeriod& p = periods[i];
    switch (p.change()) {
      case rm::HolderPeriod::CATALOGUED:
        passed.clear();
        break;
      case rm::HolderPeriod::PASSED:
        if (p.mode() != pb::RESTRUCTURED) passed.emplace_back(p.passed_from_agency_id(), p.mode());
        break;
      case rm::HolderPeriod::RETURNED:
        if (!passed.empty()) passed.pop_back();
        break;
      default:
        break;
    }
    if (i < from) continue;
    p.set_held_as(passed.empty() ? pb::DELEGATION_MODE_UNSPECIFIED : passed.back().second);
    p.set_delegated_by_agency_id(passed.empty() ? std::string() : passed.back().first);
  }
}

}  // namespace

void PowerProjection::ApplyTyped(const AppliedEvent& event, Table<rm::PowerRecord>& table) const {
  const std::string& stream = event.envelope.stream_id;
  if (!absl::StartsWith(stream, domain::kPowerStreamPrefix)) return;
  const std::string code = stream.substr(sizeof(domain::kPowerStreamPrefix) - 1);
  rm::PowerRecord facts;
  rm::HolderPeriod period;
  if (!PeriodOf(event, facts, period)) return;
  *period.mutable_ref() = RefOf(event.envelope);
  rm::PowerRecord* record = table.Mutable(code);
  record->set_code(code);
  if (period.change() == rm::HolderPeriod::CATALOGUED) {
    facts.set_code(code);
    facts.mutable_holders()->Swap(record->mutable_holders());
    *record = std::move(facts);
  }
  auto* periods = record->mutable_holders();
  auto at = std::upper_bound(periods->begin(), periods->end(), period, RecordOrderBefore);
  const int index = static_cast<int>(at - periods->begin());
  *periods->Add() = std::move(period);
  for (int i = periods->size() - 1; i > index; --i) periods->SwapElements(i, i - 1);
  Derive(*periods, index);
}

std::vector<const google::protobuf::Descriptor*> PowerProjection::EventTypes() const {
  return EventSet<pb::PowerCatalogued, pb::PowerDelegated, pb::PowerReturned>::Descriptors();
}

}  // namespace reformlog::projections
