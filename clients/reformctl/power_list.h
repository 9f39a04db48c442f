// The 权责清单 as a government website publishes it, from PowerQueries ListPowers on a date: a
// summary of every 实施主体 (the items it holds, by how it holds them: 本部门, 直接下放, 委托下放,
// 相对集中, …), then one table per 实施主体 with its items — 序号, 事项编码, 事项名称, 权力类别,
// 行使方式, the department that passed it on, 设定依据 — by category, then code. Pure;
// report_render.h writes the tables.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_POWER_LIST_H_
#define REFORMLOG_CLIENTS_REFORMCTL_POWER_LIST_H_

#include <map>
#include <string>
#include <vector>

#include "clients/reformctl/final_accounts.h"
#include "reformlog/api/v1/power_queries.pb.h"

namespace reformlog::ctl::report {

// `names`: agency id → name, for the departments items were passed on by (an id without a
// name is shown as the id).
std::vector<Table> PowerListTables(const api::ListPowersResponse& powers,
                                   const std::map<std::string, std::string>& names);

}  // namespace reformlog::ctl::report

#endif  // REFORMLOG_CLIENTS_REFORMCTL_POWER_LIST_H_
