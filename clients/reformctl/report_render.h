// Writing report tables (final_accounts.h) for people and programs:
//  * Text: each table under its number and title, as reformctl prints tables (table.h);
//  * Csv: every table one after another — a title row, a unit row, the header, the rows, an
//    empty row — money in 万元 with two decimals (UTF-8; text_encoding.h converts at the edge);
//  * Json: {"heading", "of", "year", "position", "tables": [{"number", "title", "unit",
//    "header", "rows", "note"}]}, money as integer fen (a money table's unit says "分"),
//    counts as integers, labels as strings;
//  * Html: a printable page (A4, a table a page), money in 万元, with the charts as inline SVG;
//  * Xlsx: a workbook with one sheet a table laid out as the template (title, unit, header,
//    rows), money as numbers in 万元 formatted with two decimals — libxlsxwriter.
// Pure except WriteXlsx, which writes the file at `path` (INTERNAL naming it when it cannot).
#ifndef REFORMLOG_CLIENTS_REFORMCTL_REPORT_RENDER_H_
#define REFORMLOG_CLIENTS_REFORMCTL_REPORT_RENDER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "clients/reformctl/final_accounts.h"

namespace reformlog::ctl::report {

// What a report is of: its heading ("中共…办公室 2019年度部门决算") and the JSON's
// identifying fields.
struct ReportSubject {
  std::string heading;
  std::string of;  // an agency id or a jurisdiction
  int year = 0;
  uint64_t position = 0;  // the log position the figures reflect
};

// A chart a printed report carries (as inline SVG in the HTML): bars side by side (a year
// against the year before) or a pie (the structure of a whole). Values in fen, ≥ 0.
struct Chart {
  enum class Kind { kBars, kPie };
  Kind kind = Kind::kBars;
  std::string title;  // "图1 收、支决算总计变动情况"
  std::vector<std::pair<std::string, int64_t>> values;
};

// The charts the 部门决算 template carries: 收、支总计 against last year (when `last` is given),
// the structure of income (by source, with 年初结转和结余) and of expenditure (基本 and 项目).
std::vector<Chart> FinalAccountsCharts(const api::GetFinalAccountsResponse& accounts,
                                       const api::GetFinalAccountsResponse* last);

// `chart` as an SVG element (labels and values in 万元, shares in %).
std::string Svg(const Chart& chart);

std::string Text(const ReportSubject& subject, const std::vector<Table>& tables);
std::string Csv(const ReportSubject& subject, const std::vector<Table>& tables);
std::string Json(const ReportSubject& subject, const std::vector<Table>& tables);
std::string Html(const ReportSubject& subject, const std::vector<Table>& tables,
                 const std::vector<Chart>& charts = {});
absl::Status WriteXlsx(const ReportSubject& subject, const std::vector<Table>& tables,
                       const std::string& path);

// An Excel sheet name for a table: "表1 收入支出决算总表", at most 31 characters.
std::string SheetName(const Table& table);

}  // namespace reformlog::ctl::report

#endif  // REFORMLOG_CLIENTS_REFORMCTL_REPORT_RENDER_H_
