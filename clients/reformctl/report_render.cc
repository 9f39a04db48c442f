#include "clients/reformctl/report_render.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "absl/numeric/int128.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/table.h"
#include "nlohmann/json.hpp"
#include "xlsxwriter.h"

namespace reformlog::ctl::report {
namespace {

// Excel's longest sheet name, in characters.
constexpr size_t kSheetNameMax = 31;
std::string Shown(const Cell& c) {
  if (c.fen) return FormatWan(*c.fen);
  if (c.count) return absl::StrCat(*c.count);
  return c.text;
}

bool IsNumber(const Cell& c) { return c.fen.has_value() || c.count.has_value(); }

const std::string& Heading(const ReportSubject& s) { return s.heading; }

std::string HtmlEscape(const std::string& text) {
  return absl::StrReplaceAll(text,
                             {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

// part / whole (0 ≤ part ≤ whole, whole > 0) → "88.21%", rounded half up.
std::string SharePercent(int64_t part, int64_t whole) {
  const auto twice = static_cast<int64_t>(absl::int128(part) * 20'000 / whole);
  const int64_t basis_points = (twice + 1) / 2;
  return absl::StrCat(basis_points / 100, ".", absl::StrFormat("%02d", basis_points % 100), "%");
}

}  // namespace

std::string SheetName(const Table& table) {
  std::string name = absl::StrCat(table.number, " ", table.title);
  // The first kSheetNameMax characters: a byte that does not continue a character starts one.
  size_t characters = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 && characters++ == kSheetNameMax) {
      return name.substr(0, i);
    }
  }
  return name;
}

std::string Text(const ReportSubject& subject, const std::vector<Table>& tables) {
  std::ostringstream out;
  out << Heading(subject) << "（日志位置 " << subject.position << "）\n";
  for (const Table& t : tables) {
    out << "\n" << t.number << " " << t.title << "    " << t.unit << "\n";
    ::reformlog::ctl::Table text(t.header);
    std::vector<size_t> money;
    for (size_t i = 0; i < t.header.size(); ++i) {
      for (const auto& row : t.rows) {
        if (IsNumber(row[i])) {
          money.push_back(i);
          break;
        }
      }
    }
    text.AlignRight(money);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      cells.reserve(row.size());
      for (const Cell& c : row) cells.push_back(Shown(c));
      text.Add(std::move(cells));
    }
    text.Print(out);
    if (!t.note.empty()) out << t.note << "\n";
  }
  return out.str();
}

std::string Csv(const ReportSubject& subject, const std::vector<Table>& tables) {
  std::string out = CsvWriter({Heading(subject)}).text();
  for (const Table& t : tables) {
    absl::StrAppend(&out, "\r\n", CsvWriter({absl::StrCat(t.number, " ", t.title)}).text(),
                    CsvWriter({t.unit}).text());
    CsvWriter csv(t.header);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      cells.reserve(row.size());
      for (const Cell& c : row) cells.push_back(Shown(c));
      csv.Add(cells);
    }
    absl::StrAppend(&out, csv.text());
    if (!t.note.empty()) absl::StrAppend(&out, CsvWriter({t.note}).text());
  }
  return out;
}

std::string Json(const ReportSubject& subject, const std::vector<Table>& tables) {
  nlohmann::json doc = {{"heading", subject.heading},
                        {"of", subject.of},
                        {"year", subject.year},
                        {"position", subject.position},
                        {"tables", nlohmann::json::array()}};
  for (const Table& t : tables) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : t.rows) {
      nlohmann::json cells = nlohmann::json::array();
      for (const Cell& c : row) {
        if (c.fen) {
          cells.push_back(*c.fen);
        } else if (c.count) {
          cells.push_back(*c.count);
        } else {
          cells.push_back(c.text);
        }
      }
      rows.push_back(std::move(cells));
    }
    doc["tables"].push_back({{"number", t.number},
                             {"title", t.title},
                             {"unit", t.unit == kUnitWan ? "分" : t.unit},
                             {"header", t.header},
                             {"rows", std::move(rows)},
                             {"note", t.note}});
  }
  return doc.dump(2) + "\n";
}

std::vector<Chart> FinalAccountsCharts(const api::GetFinalAccountsResponse& accounts,
                                       const api::GetFinalAccountsResponse* last) {
  std::vector<Chart> charts;
  const std::string year = absl::StrCat(accounts.fiscal_year(), "年");
  if (last != nullptr) {
    const std::string before = absl::StrCat(last->fiscal_year(), "年");
    charts.push_back({Chart::Kind::kBars,
                      "图1 收、支决算总计变动情况",
                      {{absl::StrCat(before, "收入总计"), last->income_total_fen()},
                       {absl::StrCat(year, "收入总计"), accounts.income_total_fen()},
                       {absl::StrCat(before, "支出总计"), last->expenditure_total_fen()},
                       {absl::StrCat(year, "支出总计"), accounts.expenditure_total_fen()}}});
  }
  Chart income{Chart::Kind::kPie, "图2 收入决算结构", {}};
  for (const api::IncomeBySource& s : accounts.income_by_source()) {
    if (s.fen() > 0) income.values.emplace_back(Label(s.fund_source()), s.fen());
  }
  if (accounts.carried_in_fen() > 0) {
    income.values.emplace_back("年初结转和结余", accounts.carried_in_fen());
  }
  charts.push_back(std::move(income));
  charts.push_back({Chart::Kind::kPie,
                    "图3 支出决算结构",
                    {{"基本支出", accounts.basic_fen()}, {"项目支出", accounts.project_fen()}}});
  return charts;
}

std::string Svg(const Chart& chart) {
  // Fixed geometry: a 640 × 300 canvas; bars scaled to the largest value; a pie of radius 110.
  constexpr int kWidth = 640, kHeight = 300, kRadius = 110, kCx = 160, kCy = 150;
  constexpr double kTau = 6.283185307179586;
  static constexpr std::array<const char*, 8> kColours = {
      "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
  std::string out = absl::StrFormat(
      R"(<figure>)"
      "\n"
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img">)"
      "\n",
      kWidth, kHeight, kWidth, kHeight);
  int64_t total = 0, largest = 0;
  for (const auto& [label, fen] : chart.values) {
    total += std::max<int64_t>(fen, 0);
    largest = std::max(largest, fen);
  }
  if (chart.kind == Chart::Kind::kBars) {
    const int n = static_cast<int>(chart.values.size());
    const int slot = n == 0 ? kWidth : (kWidth - 40) / n;
    for (int i = 0; i < n; ++i) {
      const auto& [label, fen] = chart.values[static_cast<size_t>(i)];
      const int h = largest <= 0 ? 0 : static_cast<int>(std::max<int64_t>(fen, 0) * 200 / largest);
      const int x = 20 + i * slot + slot / 4;
      // A pair of bars (last year, this year) shares a colour.
      absl::StrAppendFormat(&out,
                            R"(<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>)"
                            "\n"
                            R"(<text x="%d" y="%d" text-anchor="middle" font-size="12">%s</text>)"
                            "\n"
                            R"(<text x="%d" y="262" text-anchor="middle" font-size="12">%s</text>)"
                            "\n",
                            x, 240 - h, slot / 2, h,
                            kColours[static_cast<size_t>(i / 2) % kColours.size()], x + slot / 4,
                            232 - h, FormatWan(fen), x + slot / 4, HtmlEscape(label));
    }
  } else {
    // Slices clockwise from 12 o'clock, each its share of the turn; a legend on the right.
    int64_t done = 0;
    for (size_t i = 0; i < chart.values.size(); ++i) {
      const auto& [label, fen] = chart.values[i];
      const int64_t share = std::max<int64_t>(fen, 0);
      const double a0 =
          total == 0 ? 0 : kTau * static_cast<double>(done) / static_cast<double>(total);
      done += share;
      const double a1 =
          total == 0 ? 0 : kTau * static_cast<double>(done) / static_cast<double>(total);
      const char* colour = kColours[i % kColours.size()];
      if (share > 0 && share == total) {
        absl::StrAppendFormat(&out,
                              R"(<circle cx="%d" cy="%d" r="%d" fill="%s"/>)"
                              "\n",
                              kCx, kCy, kRadius, colour);
      } else if (share > 0) {
        absl::StrAppendFormat(&out,
                              R"(<path d="M%d %d L%.2f %.2f A%d %d 0 %d 1 %.2f %.2f Z" fill="%s"/>)"
                              "\n",
                              kCx, kCy, kCx + kRadius * std::sin(a0), kCy - kRadius * std::cos(a0),
                              kRadius, kRadius, (a1 - a0) > kTau / 2 ? 1 : 0,
                              kCx + kRadius * std::sin(a1), kCy - kRadius * std::cos(a1), colour);
      }
      const int ly = 60 + static_cast<int>(i) * 24;
      absl::StrAppendFormat(&out,
                            R"(<rect x="320" y="%d" width="14" height="14" fill="%s"/>)"
                            "\n"
                            R"(<text x="342" y="%d" font-size="13">%s %s 万元%s</text>)"
                            "\n",
                            ly - 11, colour, ly, HtmlEscape(label), FormatWan(fen),
                            total > 0 ? absl::StrCat("（", SharePercent(share, total), "）") : "");
    }
  }
  absl::StrAppend(&out, "</svg>\n<figcaption>", HtmlEscape(chart.title),
                  "</figcaption>\n</figure>\n");
  return out;
}

std::string Html(const ReportSubject& subject, const std::vector<Table>& tables,
                 const std::vector<Chart>& charts) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
      HtmlEscape(Heading(subject)),
      "</title>\n<style>\n"
      "body { font-family: \"SimSun\", \"Songti SC\", serif; margin: 2em; }\n"
      "h1 { text-align: center; font-size: 20pt; }\n"
      "section { page-break-after: always; }\n"
      "h2 { text-align: center; font-size: 16pt; margin-bottom: 0.2em; }\n"
      "p.unit { text-align: right; margin: 0 0 0.3em; }\n"
      "table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }\n"
      "th, td { border: 1px solid #000; padding: 0.2em 0.4em; }\n"
      "th { background: #f2f2f2; }\n"
      "td.money { text-align: right; font-variant-numeric: tabular-nums; }\n"
      "p.note { font-size: 10pt; }\n"
      "figure { margin: 1em auto; text-align: center; }\n"
      "figcaption { font-size: 11pt; }\n"
      "@page { size: A4 landscape; margin: 1.5cm; }\n"
      "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(Heading(subject)), "</h1>\n");
  if (!charts.empty()) {
    absl::StrAppend(&out, "<section class=\"charts\">\n");
    for (const Chart& c : charts) absl::StrAppend(&out, Svg(c));
    absl::StrAppend(&out, "</section>\n");
  }
  for (const Table& t : tables) {
    absl::StrAppend(&out, "<section>\n<h2>", HtmlEscape(t.number), " ", HtmlEscape(t.title),
                    "</h2>\n<p class=\"unit\">", HtmlEscape(t.unit), "</p>\n<table>\n<thead><tr>");
    for (const std::string& h : t.header) absl::StrAppend(&out, "<th>", HtmlEscape(h), "</th>");
    absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
    for (const auto& row : t.rows) {
      absl::StrAppend(&out, "<tr>");
      for (const Cell& c : row) {
        absl::StrAppend(&out, IsNumber(c) ? "<td class=\"money\">" : "<td>", HtmlEscape(Shown(c)),
                        "</td>");
      }
      absl::StrAppend(&out, "</tr>\n");
    }
    absl::StrAppend(&out, "</tbody>\n</table>\n");
    if (!t.note.empty()) absl::StrAppend(&out, "<p class=\"note\">", HtmlEscape(t.note), "</p>\n");
    absl::StrAppend(&out, "</section>\n");
  }
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

absl::Status WriteXlsx(const ReportSubject& subject, const std::vector<Table>& tables,
                       const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return absl::InternalError(absl::StrCat("cannot create ", path));
  // libxlsxwriter's properties are char*; it copies them.
  std::string doc_title = subject.heading;
  std::string doc_company = "改革台账（Reformlog）";
  lxw_doc_properties properties = {};
  properties.title = doc_title.data();
  properties.company = doc_company.data();
  workbook_set_properties(book, &properties);
  lxw_format* title = workbook_add_format(book);
  format_set_bold(title);
  format_set_font_size(title, 14);
  format_set_align(title, LXW_ALIGN_CENTER);
  lxw_format* unit = workbook_add_format(book);
  format_set_align(unit, LXW_ALIGN_RIGHT);
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_bg_color(header, 0xF2F2F2);
  format_set_text_wrap(header);
  lxw_format* text = workbook_add_format(book);
  format_set_border(text, LXW_BORDER_THIN);
  lxw_format* money = workbook_add_format(book);
  format_set_border(money, LXW_BORDER_THIN);
  format_set_num_format(money, "#,##0.00");
  lxw_format* count = workbook_add_format(book);
  format_set_border(count, LXW_BORDER_THIN);
  format_set_num_format(count, "0");
  lxw_format* note = workbook_add_format(book);
  format_set_italic(note);
  for (const Table& t : tables) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, SheetName(t).c_str());
    if (sheet == nullptr) {
      workbook_close(book);
      return absl::InternalError(absl::StrCat("cannot add the sheet of ", t.number));
    }
    const auto last_column = static_cast<lxw_col_t>(t.header.size() - 1);
    worksheet_merge_range(sheet, 0, 0, 0, last_column, absl::StrCat(t.number, " ", t.title).c_str(),
                          title);
    worksheet_merge_range(sheet, 1, 0, 1, last_column, t.unit.c_str(), unit);
    for (size_t c = 0; c < t.header.size(); ++c) {
      worksheet_write_string(sheet, 2, static_cast<lxw_col_t>(c), t.header[c].c_str(), header);
      const bool wide = t.header[c] == "科目名称" || absl::EndsWith(t.header[c], "项目");
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           wide ? 36 : 16, nullptr);
    }
    lxw_row_t r = 3;
    for (const auto& row : t.rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        const Cell& cell = row[c];
        if (cell.fen) {
          // 万元 with the precision of 分: exact to the last digit Excel shows.
          worksheet_write_number(sheet, r, static_cast<lxw_col_t>(c),
                                 static_cast<double>(*cell.fen) / 1'000'000.0, money);
        } else if (cell.count) {
          worksheet_write_number(sheet, r, static_cast<lxw_col_t>(c),
                                 static_cast<double>(*cell.count), count);
        } else {
          worksheet_write_string(sheet, r, static_cast<lxw_col_t>(c), cell.text.c_str(), text);
        }
      }
      ++r;
    }
    if (!t.note.empty()) worksheet_write_string(sheet, r + 1, 0, t.note.c_str(), note);
    worksheet_set_landscape(sheet);
    worksheet_fit_to_pages(sheet, 1, 0);
  }
  const lxw_error closed = workbook_close(book);
  if (closed != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", lxw_strerror(closed)));
  }
  return absl::OkStatus();
}

}  // namespace reformlog::ctl::report
