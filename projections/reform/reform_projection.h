// ReformProjection ("reform"): every reform plan and the progress of its tasks.
#ifndef REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class ReformProjection final : public TypedProjection<readmodel::v1::PlanProgress> {
 public:
  static constexpr char kName[] = "reform";
  absl::string_view name() const override { return kName; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PlanProgress>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_
