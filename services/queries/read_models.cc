#include "services/queries/read_models.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/vocabulary.h"
#include "projections/in_memory_replay.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "services/common/china_date.h"

namespace reformlog::services {

absl::Status ReadModel(const QueryEnv& env, const projections::Projection& projection,
                       uint64_t min_position, uint64_t as_of_position, absl::Duration max_wait,
                       const std::function<void(const projections::EntityTable&, uint64_t)>& read) {
  if (as_of_position == 0) {
    return env.runner.Read(projection.name(), min_position, max_wait, read);
  }
  const uint64_t head = env.store.HeadPosition();
  if (as_of_position > head) {
    return absl::OutOfRangeError(
        absl::StrCat("as_of_position ", as_of_position, " is beyond the log's head ", head));
  }
  uint64_t through = as_of_position;
  ASSIGN_OR_RETURN(std::vector<std::unique_ptr<projections::EntityTable>> tables,
                   projections::ReplayInMemory(env.store, {&projection}, as_of_position, &through));
  read(*tables[0], through);
  return absl::OkStatus();
}

absl::Status ReadModelOn(
    const QueryEnv& env, const projections::Projection& projection, uint64_t min_position,
    uint64_t as_of_position, const std::string& as_of_date, absl::Duration max_wait,
    const std::function<void(const projections::EntityTable&, uint64_t)>& read) {
  if (as_of_date.empty()) {
    return ReadModel(env, projection, min_position, as_of_position, max_wait, read);
  }
  uint64_t through = 0;
  ASSIGN_OR_RETURN(std::vector<std::unique_ptr<projections::EntityTable>> tables,
                   ReplayForAudit(env, {&projection}, as_of_position, as_of_date, &through));
  read(*tables[0], through);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::unique_ptr<projections::EntityTable>>> ReplayForAudit(
    const QueryEnv& env, const std::vector<const projections::Projection*>& projections,
    uint64_t as_of_position, const std::string& as_of_date, uint64_t* through) {
  const uint64_t head = env.store.HeadPosition();
  if (as_of_position > head) {
    return absl::OutOfRangeError(
        absl::StrCat("as_of_position ", as_of_position, " is beyond the log's head ", head));
  }
  if (as_of_date.empty()) {
    return projections::ReplayInMemory(env.store, projections,
                                       as_of_position == 0 ? head : as_of_position, through);
  }
  return projections::ReplayInMemoryAsOfDate(env.store, projections, as_of_position, as_of_date,
                                             through);
}

absl::StatusOr<std::string> DateOrToday(const QueryEnv& env, absl::string_view field,
                                        const std::string& date) {
  if (date.empty()) return TodayInChina(env.clock);
  RETURN_IF_ERROR(domain::ValidateDate(field, date, true));
  return date;
}

absl::Status NameAgencies(const QueryEnv& env, absl::Duration wait, uint64_t min_position,
                          uint64_t as_of_position, const std::string& date, AgencyNames& names,
                          std::set<std::string>* unknown) {
  if (names.empty()) return absl::OkStatus();
  return ReadModel(env, ProjectionInstance<projections::OrgProjection>(), min_position,
                   as_of_position, wait, [&](const projections::EntityTable& org, uint64_t) {
                     projections::ConstTable<readmodel::v1::AgencyHistory> table(org);
                     for (auto& [id, name] : names) {
                       const readmodel::v1::AgencyHistory* h = table.Find(id);
                       if (h != nullptr) {
                         name = projections::FoldAgency(*h, date).name;
                       } else if (unknown != nullptr) {
                         unknown->insert(id);
                       }
                     }
                   });
}

void ToApi(const readmodel::v1::EventRef& ref, api::v1::EventReference* out) {
  out->set_position(ref.position());
  out->set_event_type(ref.event_type());
  out->set_effective_date(ref.effective_date());
  out->set_basis_number(ref.basis_number());
  out->set_basis_issuer(ref.basis_issuer());
  out->set_basis_title(ref.basis_title());
}

}  // namespace reformlog::services
