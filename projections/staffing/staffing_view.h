// Queries over the staffing and people read models (staffing_projection.h,
// people_projection.h): per agency and quota category the quota, the people in post, the
// vacancies (空编) and the excess (超编); leader posts against leaders (超职数); the 四清两对应
// check of a jurisdiction — every violation with its agency, category or rank and numbers, and
// the totals (四清: agencies, quotas, people, leader posts); the people in post at an agency; a
// person's history. Canonical text renderings for golden tests and the CLI.
//
// Pure functions of the tables, which must not change while a call runs (the runner's read
// lock). Figures are as recorded: the current fold of the log, not as of an effective date.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_STAFFING_VIEW_H_
#define REFORMLOG_PROJECTIONS_STAFFING_STAFFING_VIEW_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "projections/entity_table.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

// One quota category of one agency (or a sum over agencies or categories).
struct QuotaFigures {
  dpb::QuotaCategory category = dpb::QUOTA_CATEGORY_UNSPECIFIED;  // unspecified for a sum
  int64_t quota = 0;
  int64_t in_post = 0;
  int64_t vacancies = 0;  // 空编: quota − in post − reserved where positive (summed per line)
  int64_t over = 0;       // 超编: in post − quota where positive (summed per line)
  int64_t reserved = 0;   // 预留编制: held by 用编 notices valid on the figures' date
};

// The leader posts of one rank of one agency.
struct LeaderPostFigures {
  dpb::Rank rank = dpb::RANK_UNSPECIFIED;
  std::string title;  // of the approved posts (三定)
  int64_t approved = 0;
  int64_t appointed = 0;
  int64_t over = 0;           // 超职数: appointed − approved − in_transition where positive
  int64_t in_transition = 0;  // 消化: carried over by a restructure, being absorbed
  std::vector<std::pair<std::string, std::string>> leaders;  // (person id, title) by id
};

// 增员 or 减员 of one year for one reason.
struct StaffChangeFigures {
  int32_t year = 0;
  bool departure = false;  // false: 增员
  std::string reason;      // 考录, 退休, …; 未注明 when not given
  int64_t count = 0;
};

struct AgencyFigures {
  std::string agency_id;
  std::string name;
  dpb::AgencyKind kind = dpb::AGENCY_KIND_UNSPECIFIED;
  std::string jurisdiction;
  bool ceased = false;
  std::string ceased_how;
  std::string locked_by_plan;
  std::vector<QuotaFigures> quotas;             // by category
  std::vector<LeaderPostFigures> leader_posts;  // by rank
  QuotaFigures total;                           // every category summed
  uint64_t last_position = 0;
  std::vector<StaffChangeFigures> changes;  // by year, 增员 before 减员, reason
};

// Reservations count when still valid on `on_date` (YYYY-MM-DD; all of them when empty).
AgencyFigures FiguresOf(const rm::AgencyStaffing& staffing, const std::string& on_date = "");

// The agencies of `jurisdiction` (every jurisdiction when empty) in id order; ceased ones only
// when include_ceased.
std::vector<AgencyFigures> StaffingOf(const EntityTable& staffing, const std::string& jurisdiction,
                                      bool include_ceased, const std::string& on_date = "");

// Whether a body of `kind` may hold quota and people of `category`: 事业编制 never in a 党政机关;
// 行政编制 and 政法专项编制 only in 党政机关 (the rule the write side enforces).
bool CategoryAllowed(dpb::AgencyKind kind, dpb::QuotaCategory category);

enum class ViolationKind {
  kStaffInCeasedAgency,      // people in post at a merged, split or abolished agency
  kQuotaCategoryNotAllowed,  // quota of a category the body may not use
  kStaffCategoryNotAllowed,  // 混编混岗: people on a category the body may not use
  kOverQuota,                // 超编: people in post > quota
  kOverLeaderPosts,          // 超职数: leaders > approved posts (+ those in 消化)
  kLeaderTransition,         // 超职数消化中: carried over by a restructure, being absorbed
};

// 超编, 超职数, … as users write them.
std::string Label(ViolationKind kind);

struct StaffingViolation {
  ViolationKind kind = ViolationKind::kOverQuota;
  std::string agency_id;
  std::string agency_name;
  dpb::QuotaCategory category = dpb::QUOTA_CATEGORY_UNSPECIFIED;  // for the quota kinds
  dpb::Rank rank = dpb::RANK_UNSPECIFIED;                         // for 超职数
  int64_t limit = 0;    // the quota or approved posts (0 where none may be held)
  int64_t actual = 0;   // people in post, leaders appointed, or quota held
  std::string message;  // names the agency and the numbers
};

// Every violation of one agency: ceased with people first, then per category (quota not
// allowed, people not allowed, 超编), then per rank (超职数, then 消化 of leaders carried
// over by a restructure: listed until absorbed).
std::vector<StaffingViolation> ViolationsOf(const rm::AgencyStaffing& staffing);

// 四清: the agencies, quotas, people and leader posts of a jurisdiction, counted.
struct StaffingTotals {
  int64_t agencies = 0;                  // standing
  int64_t ceased_agencies = 0;           // their figures are in the sums too
  std::vector<QuotaFigures> categories;  // per category, summed over agencies
  QuotaFigures total;                    // every category
  int64_t leader_posts_approved = 0;
  int64_t leaders_appointed = 0;
  int64_t leader_posts_over = 0;  // 超职数, summed per agency and rank
};

struct JurisdictionCheck {
  std::string jurisdiction;
  StaffingTotals totals;
  std::vector<StaffingViolation> violations;  // by agency id, then as in ViolationsOf
  bool Clear() const { return violations.empty(); }
};

// The 四清两对应 check of `jurisdiction` (every jurisdiction when empty), ceased agencies
// included.
JurisdictionCheck CheckJurisdiction(const EntityTable& staffing, const std::string& jurisdiction,
                                    const std::string& on_date = "");

// The people in post at `agency_id`, by person id. Scans the people table (one pass); the
// pointers are valid while the table is.
std::vector<const rm::PersonRecord*> PeopleInPost(const EntityTable& people,
                                                  const std::string& agency_id);

// One line saying where a person stands: "p1 张三 in bianban on 行政编制 (科员), 主任 (正科级)".
std::string DescribePerson(const rm::PersonRecord& person);

// Canonical renderings, one item a line.
std::string RenderStaffing(const std::vector<AgencyFigures>& agencies);
std::string RenderCheck(const JurisdictionCheck& check);
// The person's line, then the history one change a line: "#pos date document: summary".
std::string RenderPerson(const rm::PersonRecord& person);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_STAFFING_VIEW_H_
