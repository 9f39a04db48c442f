#include "services/queries/read_models.h"

#include "absl/strings/str_cat.h"
#include "projections/domain/vocabulary.h"
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
  absl::StatusOr<std::vector<std::unique_ptr<projections::EntityTable>>> tables =
      projections::ReplayInMemory(env.store, {&projection}, as_of_position, &through);
  if (!tables.ok()) return tables.status();
  read(*(*tables)[0], through);
  return absl::OkStatus();
}

absl::StatusOr<std::string> DateOrToday(const QueryEnv& env, absl::string_view field,
                                        const std::string& date) {
  if (date.empty()) return TodayInChina(env.clock);
  if (absl::Status s = domain::ValidateDate(field, date, true); !s.ok()) return s;
  return date;
}

}  // namespace reformlog::services
