// Reconciling the tables of a claimed 部门决算 report — in the layout `reformctl report
// final-accounts` exports them, as CSV or JSON — against the ledger's own (final_accounts.h),
// and against themselves. Pure.
//
// Read back: a CSV table starts at a one-cell row "表N 标题", then its unit row, its header and
// its rows (one-cell rows — the heading, notes — are skipped); JSON is the export's document.
// Compared: each table with the ledger's table of the same number, row by row (a row is known
// by its 科目编码, else by its first label: "合计", "一、一般公共预算财政拨款收入") and column by
// column (by header), every amount and count the ledger's table has there, an amount at the
// decimals the report gives it; a row or table the ledger has and the report lacks, and the
// reverse, are findings too. Within the report: in a table by 支出功能分类, every 类, 款 and 合计
// is the sum of its parts, column by column.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_TABLES_H_
#define REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_TABLES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/reformctl/final_accounts.h"
#include "clients/reformctl/reconcile.h"

namespace reformlog::ctl::reconcile {

// A table as a report gives it: its cells as written, and the line each row is on (CSV).
struct ClaimedTable {
  std::string number;
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // per row; 0 in JSON
};

// INVALID_ARGUMENT naming the line (CSV) or what is wrong (JSON) for text that is not an
// export's layout; at most kClaimsFileBytesMax bytes.
absl::StatusOr<std::vector<ClaimedTable>> ReadTablesCsv(absl::string_view text);
absl::StatusOr<std::vector<ClaimedTable>> ReadTablesJson(absl::string_view text);

// Findings as Reconcile's: kLedger for a figure that differs, kSum for a sum that does not hold,
// kNotInLedger for a row or table the ledger does not have (and kLedger for one it has that the
// report lacks); Finding::section is the table's number.
std::vector<Finding> ReconcileTables(const std::vector<ClaimedTable>& claimed,
                                     const std::vector<report::Table>& ledger);

}  // namespace reformlog::ctl::reconcile

#endif  // REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_TABLES_H_
