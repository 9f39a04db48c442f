// PeopleProjection ("people"): every person in post (实名制) and their history.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class PeopleProjection final : public TypedProjection<readmodel::v1::PersonRecord> {
 public:
  static constexpr char kName[] = "people";
  absl::string_view name() const override { return kName; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PersonRecord>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_
