// OrgProjection ("org"): every agency's organisational history — founding, names, 挂牌,
// parent, rank, mandates (三定), divisions, functions, and how it ceased — as changes in
// effective order, so that the structure as of any date is a fold (org_view.h).
//
// Entities: one AgencyHistory per agency, keyed by its agency id (= its agency_id field).
// A history only grows: Apply inserts a change (at its place in effective order) and never
// alters or removes one, so within one table a history with as many changes as before is
// unchanged — what OrgSummaries (org_view.h) relies on to refold only what grew.
#ifndef REFORMLOG_PROJECTIONS_ORG_ORG_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_ORG_ORG_PROJECTION_H_

#include <vector>

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class OrgProjection final : public TypedProjection<readmodel::v1::AgencyHistory> {
 public:
  static constexpr char kName[] = "org";
  absl::string_view name() const override { return kName; }
  // Exactly the types ApplyTyped folds (the runner offers it no others).
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::AgencyHistory>& table) const override;
};

// The reference every read model keeps to the event behind a fact.
readmodel::v1::EventRef RefOf(const eventstore::RecordedEvent& event);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ORG_ORG_PROJECTION_H_
