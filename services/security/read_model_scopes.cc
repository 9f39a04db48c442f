#include "services/security/read_model_scopes.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/event_codec.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "projections/power/power_projection.h"
#include "projections/staffing/people_projection.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "services/domain/org_agency_decide.h"

namespace reformlog::services::security {
namespace {

namespace rm = ::reformlog::readmodel::v1;

// Runs `lookup` over read model `name` as it is; if it finds nothing, once more after the
// read model has reached the log's head. `lookup` returns false when it found nothing.
absl::Status LookUp(projections::ProjectionRunner& runner, eventstore::EventStore& store,
                    absl::string_view name,
                    const std::function<bool(const projections::EntityTable&)>& lookup,
                    bool* found) {
  RETURN_IF_ERROR(runner.Read(
      name, 0, absl::ZeroDuration(),
      [&](const projections::EntityTable& table, uint64_t) { *found = lookup(table); }));
  if (*found) return absl::OkStatus();
  return runner.Read(
      name, store.HeadPosition(), kScopeLookupWaitMax,
      [&](const projections::EntityTable& table, uint64_t) { *found = lookup(table); });
}

}  // namespace

absl::StatusOr<AgencyPlace> ReadModelScopes::Agency(absl::string_view agency_id) {
  AgencyPlace place;
  std::string missing;
  bool found = false;
  RETURN_IF_ERROR(LookUp(
      runner_, store_, projections::OrgProjection::kName,
      [&](const projections::EntityTable& org) {
        place = AgencyPlace{};
        std::string id(agency_id);
        while (!id.empty() && static_cast<int>(place.lineage.size()) <= domain::kAncestryDepthMax) {
          const auto* history = static_cast<const rm::AgencyHistory*>(org.Find(id));
          if (history == nullptr) {
            missing = id;
            return false;
          }
          const projections::AgencyAsOf agency =
              projections::FoldAgency(*history, projections::kEndOfTime, /*summary_only=*/true);
          if (place.lineage.empty()) place.jurisdiction = agency.jurisdiction;
          place.lineage.push_back(id);
          id = agency.parent_id;
        }
        return true;
      },
      &found));
  if (!found) return absl::NotFoundError(absl::StrCat("no agency ", missing));
  return place;
}

absl::StatusOr<std::string> ReadModelScopes::PersonAgency(absl::string_view person_id) {
  std::string agency;
  bool found = false;
  RETURN_IF_ERROR(LookUp(
      runner_, store_, projections::PeopleProjection::kName,
      [&](const projections::EntityTable& people) {
        const auto* person = static_cast<const rm::PersonRecord*>(people.Find(person_id));
        if (person == nullptr || person->agency_id().empty()) return false;
        agency = person->agency_id();
        return true;
      },
      &found));
  if (!found) return absl::NotFoundError(absl::StrCat("no person ", person_id, " in post"));
  return agency;
}

absl::StatusOr<std::string> ReadModelScopes::PowerHolder(absl::string_view code) {
  std::string holder;
  bool found = false;
  RETURN_IF_ERROR(LookUp(
      runner_, store_, projections::PowerProjection::kName,
      [&](const projections::EntityTable& powers) {
        const auto* power = static_cast<const rm::PowerRecord*>(powers.Find(code));
        if (power == nullptr || power->holders().empty()) return false;
        holder = power->holders().rbegin()->holder_agency_id();
        return true;
      },
      &found));
  if (!found) return absl::NotFoundError(absl::StrCat("no power item ", code));
  return holder;
}

absl::StatusOr<std::string> ReadModelScopes::PlanJurisdiction(absl::string_view plan_id) {
  ASSIGN_OR_RETURN(
      eventstore::StreamSlice slice,
      store_.ReadStream(domain::PlanStream(plan_id), 1, eventstore::ReadDirection::kForward, 1));
  if (!slice.events.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> event,
                     domain::DecodeEvent(slice.events[0].type, slice.events[0].data));
    if (const auto* drafted = dynamic_cast<const domain::v1::PlanDrafted*>(event.get())) {
      return drafted->jurisdiction();
    }
  }
  return absl::NotFoundError(absl::StrCat("no plan ", plan_id));
}

}  // namespace reformlog::services::security
