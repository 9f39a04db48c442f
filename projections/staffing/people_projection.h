// PeopleProjection ("people"): every person registered by name (实名制) — where they are in
// post, on which quota category and post, any leader post — and their whole history.
//
// Entities are readmodel.v1.PersonRecord keyed by person id, folded from the person-{id}
// streams in log order exactly as the write side's PersonState folds them (what the system has
// recorded; effective dates ride in each history entry's ref). Events of other streams are
// ignored.
//
//   PersonRegistered   name, agency, category, post
//   PersonTransferred  agency, category; any leader post is left behind (转隶)
//   PersonRecategorised  category (编制转换 in a restructure); agency, post and leader post stay
//   LeaderAppointed    leader rank and title
//   LeaderRemoved      no leader post
//   PersonDeparted     departed; no agency, no leader post
//
// Each of them appends a PersonChange with its EventRef (RefOf) and a one-line summary such as
// "registered into bianban (行政编制, 科员)", "transferred jxj → jxkj", "appointed 副主任
// (副科级)", "departed (退休)". Apply is pure and deterministic.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class PeopleProjection final : public TypedProjection<readmodel::v1::PersonRecord> {
 public:
  static constexpr char kName[] = "people";
  absl::string_view name() const override { return kName; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;
  // 2: each change said in Chinese, in the words of the field.
  uint32_t logic_version() const override { return 2; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PersonRecord>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_PEOPLE_PROJECTION_H_
