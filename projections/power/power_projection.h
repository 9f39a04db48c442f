// PowerProjection ("powers"): every item of the power list (权力清单) and who held it when —
// one PowerRecord per item, keyed by its code, folded from the power-{code} streams
// (PowerCatalogued, PowerDelegated, PowerReturned).
//
// Each record keeps its holder periods (readmodel.proto: HolderPeriod) with the event behind
// each: the CATALOGUED period first, then the others in effective order (date, then
// position), so that a back-dated 下放 slots in before later changes. Every period also
// carries how the item is held from then on — as its own, or passed on (直接下放, 委托下放 with
// the department that stays responsible, 服务前移, 相对集中) — derived as the write side's
// PowerState derives it, but in effective order: a RESTRUCTURED move (a merger, split or
// abolition) changes the holder and keeps the way it is held; a return goes back to whoever
// passed the item on last. Inserting a back-dated period re-derives the periods after it.
// The holding as of a date is then a lookup (power_view.h).
//
// Apply is pure and deterministic; a record holds a handful of periods, so re-deriving is
// cheap.
#ifndef REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class PowerProjection final : public TypedProjection<readmodel::v1::PowerRecord> {
 public:
  static constexpr char kName[] = "powers";
  absl::string_view name() const override { return kName; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PowerRecord>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_POWER_POWER_PROJECTION_H_
