// The nine standard tables of a 部门决算 disclosure (DOMAIN.md §4), laid out as the template
// has them — table numbers and titles, 科目编码 and 科目名称 with 类/款/项 rows each followed by
// its parts, 合计 rows — built from an agency's 决算 and budget for a year (BudgetQueries
// GetFinalAccounts and GetBudget with its lines). Pure: renderers (report_cli.cc) write them as
// a terminal table, CSV, JSON, xlsx or printable HTML.
//
//   表1 收入支出决算总表              表6 一般公共预算财政拨款基本支出决算表
//   表2 收入决算表                    表7 一般公共预算财政拨款"三公"经费支出决算表
//   表3 支出决算表                    表8 政府性基金预算财政拨款收入支出决算表
//   表4 财政拨款收入支出决算总表      表9 国有资本经营预算财政拨款支出决算表
//   表5 一般公共预算财政拨款支出决算表
//
// Every figure is a sum of the same lines the read model's identities hold over, so a table's
// 合计 is the sum of its 类, a 类 the sum of its 款, and table 1's totals equal the 决算's. The
// columns the ledger has no figure for (上缴上级支出, 经营支出, 对附属单位补助支出: Reformlog
// records no such lines) are 0, as the template shows them for an agency without them.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_FINAL_ACCOUNTS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_FINAL_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reformlog/api/v1/budget_queries.pb.h"

namespace reformlog::ctl::report {

namespace api = ::reformlog::api::v1;

// A cell: a label, an amount (fen; shown in 万元 with two decimals) or a count (of agencies,
// posts, people).
struct Cell {
  std::string text;
  std::optional<int64_t> fen;
  std::optional<int64_t> count;
  static Cell Text(std::string text) { return {std::move(text), std::nullopt, std::nullopt}; }
  static Cell Money(int64_t fen) { return {"", fen, std::nullopt}; }
  static Cell Count(int64_t count) { return {"", std::nullopt, count}; }
  bool operator==(const Cell&) const = default;
};

// The unit line of a table of money, and of one of counts.
inline constexpr char kUnitWan[] = "单位：万元";
inline constexpr char kUnitCounts[] = "单位：个、名、人";

struct Table {
  std::string number;  // "表1"
  std::string title;   // "收入支出决算总表"
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;  // each as wide as the header
  std::string note;                     // under the table; "" for none
  std::string unit = kUnitWan;
};

// The nine tables of `accounts` and `budget` (one agency, one year; the budget with its lines).
std::vector<Table> FinalAccountsTables(const api::GetFinalAccountsResponse& accounts,
                                       const api::GetBudgetResponse& budget);

// 项目绩效目标完成情况表, one per project ("表10-1", …): each indicator's 一级/二级/三级指标,
// 年度指标值 and 实际完成值 and whether it was met, with the project's 预算数, 执行数, 执行率,
// 得分 and 等级 in the note.
std::vector<Table> PerformanceTables(const api::GetPerformanceResponse& performance);

}  // namespace reformlog::ctl::report

#endif  // REFORMLOG_CLIENTS_REFORMCTL_FINAL_ACCOUNTS_H_
