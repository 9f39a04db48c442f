// BudgetProjection ("budget"): every agency-year budget: lines, projects, performance.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class BudgetProjection final : public TypedProjection<readmodel::v1::BudgetBook> {
 public:
  static constexpr char kName[] = "budget";
  absl::string_view name() const override { return kName; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::BudgetBook>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_
