// Year-end 实名制 statistics of a jurisdiction (机构编制实名制统计), as of 31 December, built from
// StaffingQueries GetStaffing (jurisdiction, as_of_date, changes_year, include_ceased). Pure;
// report_render.h writes the tables.
//
//   表1 机构和编制（按机构类别）   agencies standing on the date, their quota and people
//   表2 编制和实有人员（按编制类别）
//   表3 领导职数（按规格）        approved posts, leaders appointed, 超职数, 消化 in progress
//   表4 全年增减员（按原因）      the year's 增员 and 减员 by reason
//   表5 机构明细                 every agency, with those that ceased (撤并) marked
//
// 空编 and 超编 are summed per agency and category, as the read model gives them (an agency's
// vacancy does not hide another's excess). The funding form (经费形式) is not in the staffing
// read model: the tables leave it out.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_STAFFING_STATS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_STAFFING_STATS_H_

#include <vector>

#include "clients/reformctl/final_accounts.h"
#include "reformlog/api/v1/staffing_queries.pb.h"

namespace reformlog::ctl::report {

std::vector<Table> StaffingStatsTables(const api::GetStaffingResponse& staffing);

}  // namespace reformlog::ctl::report

#endif  // REFORMLOG_CLIENTS_REFORMCTL_STAFFING_STATS_H_
