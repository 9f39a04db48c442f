// PowerProjection ("powers"): every item of the power list and who held it when.
#ifndef REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class PowerProjection final : public TypedProjection<readmodel::v1::PowerRecord> {
 public:
  static constexpr char kName[] = "powers";
  absl::string_view name() const override { return kName; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PowerRecord>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_
