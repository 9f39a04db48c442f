#include "clients/reformctl/reconcile_tables.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/money.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "nlohmann/json.hpp"

namespace reformlog::ctl::reconcile {
namespace {

// A number of 万元 with six decimals is exact to the 分.
constexpr int kFenDecimals = 6;

// How a row is known: its first non-empty cell (its 科目编码, else its label), and for the
// second row so known and on, "#2", "#3"…
template <typename Row, typename TextOf>
std::vector<std::string> Keys(const std::vector<Row>& rows, TextOf text_of) {
  std::vector<std::string> keys;
  std::map<std::string, int> times;
  for (const Row& row : rows) {
    std::string key;
    for (const auto& cell : row) {
      key = text_of(cell);
      if (!key.empty()) break;
    }
    const int n = ++times[key];
    keys.push_back(n == 1 ? key : absl::StrCat(key, "#", n));
  }
  return keys;
}

std::vector<std::string> Keys(const std::vector<std::vector<std::string>>& rows) {
  return Keys(rows, [](const std::string& cell) { return cell; });
}

std::vector<std::string> Keys(const std::vector<std::vector<report::Cell>>& rows) {
  return Keys(rows, [](const report::Cell& cell) {
    if (cell.fen) return WanText(*cell.fen, 2);
    if (cell.count) return absl::StrCat(*cell.count);
    return cell.text;
  });
}

int64_t Pow10(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 7 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<std::vector<ClaimedTable>> ReadTablesCsv(absl::string_view text) {
  if (text.size() > kClaimsFileBytesMax) {
    return domain::RefuseInvalid(
        absl::StrCat("the tables file has ", text.size(), " bytes, over kClaimsFileBytesMax"),
        absl::StrCat("报表文件有", text.size(), "字节，超过上限"));
  }
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(std::string(text));
  if (!rows.ok()) return rows.status();
  std::vector<ClaimedTable> tables;
  for (const CsvRow& row : *rows) {
    if (row.fields.size() == 1) {
      const std::string& cell = row.fields[0];
      if (absl::StartsWith(cell, "表") && cell.find(' ') != std::string::npos) {
        ClaimedTable t;
        t.number = cell.substr(0, cell.find(' '));
        t.title = cell.substr(cell.find(' ') + 1);
        tables.push_back(std::move(t));
      }
      continue;  // the heading, a unit, a note
    }
    if (tables.empty()) {
      return domain::RefuseInvalid(
          absl::StrCat("line ", row.line, ": a row before any table (\"表N 标题\")"),
          absl::StrCat("第", row.line, "行：在任何表（“表N 标题”）之前"));
    }
    ClaimedTable& t = tables.back();
    if (t.header.empty()) {
      t.header = row.fields;
      continue;
    }
    if (row.fields.size() != t.header.size()) {
      return domain::RefuseInvalid(
          absl::StrCat("line ", row.line, ": ", row.fields.size(), " cells, but ", t.number,
                       "'s header has ", t.header.size()),
          absl::StrCat("第", row.line, "行：有", row.fields.size(), "格，而", t.number, "的表头有",
                       t.header.size(), "格"));
    }
    t.rows.push_back(row.fields);
    t.lines.push_back(row.line);
  }
  return tables;
}

absl::StatusOr<std::vector<ClaimedTable>> ReadTablesJson(absl::string_view text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto bad = [](absl::string_view what) {
    return domain::RefuseInvalid(absl::StrCat("the tables file is not the export's JSON: ", what),
                                 absl::StrCat("报表文件不是导出的 JSON 格式：", what));
  };
  if (doc.is_discarded()) return bad("it does not parse");
  if (!doc.is_object() || !doc.contains("tables") || !doc["tables"].is_array()) {
    return bad("no \"tables\" array");
  }
  std::vector<ClaimedTable> tables;
  for (const auto& t : doc["tables"]) {
    if (!t.is_object() || !t.contains("number") || !t["number"].is_string() ||
        !t.contains("header") || !t["header"].is_array() || !t.contains("rows") ||
        !t["rows"].is_array()) {
      return bad("a table without number, header or rows");
    }
    ClaimedTable c;
    c.number = t["number"].get<std::string>();
    if (t.contains("title") && t["title"].is_string()) c.title = t["title"].get<std::string>();
    const bool fen = t.contains("unit") && t["unit"] == "分";
    for (const auto& h : t["header"]) {
      if (!h.is_string()) return bad(absl::StrCat(c.number, ": a header that is not text"));
      c.header.push_back(h.get<std::string>());
    }
    for (const auto& r : t["rows"]) {
      if (!r.is_array() || r.size() != c.header.size()) {
        return bad(absl::StrCat(c.number, ": a row not as wide as the header"));
      }
      std::vector<std::string> cells;
      for (const auto& cell : r) {
        if (cell.is_string()) {
          cells.push_back(cell.get<std::string>());
        } else if (cell.is_number_integer()) {
          // Beyond any budget (kYuanMax 元) is refused before any arithmetic can overflow.
          constexpr int64_t kFenMax = kYuanMax * 100;
          if (cell.is_number_unsigned()
                  ? cell.get<uint64_t>() > static_cast<uint64_t>(kFenMax)
                  : (cell.get<int64_t>() < -kFenMax || cell.get<int64_t>() > kFenMax)) {
            return bad(absl::StrCat(c.number, ": a figure beyond any budget"));
          }
          const int64_t v = cell.get<int64_t>();
          cells.push_back(fen ? WanText(v, kFenDecimals) : absl::StrCat(v));
        } else {
          return bad(absl::StrCat(c.number, ": a cell that is neither text nor an integer"));
        }
      }
      c.rows.push_back(std::move(cells));
      c.lines.push_back(0);
    }
    tables.push_back(std::move(c));
  }
  return tables;
}

std::vector<Finding> ReconcileTables(const std::vector<ClaimedTable>& claimed,
                                     const std::vector<report::Table>& ledger) {
  std::vector<Finding> out;
  std::map<std::string, const report::Table*> ledger_tables;
  for (const report::Table& t : ledger) ledger_tables[t.number] = &t;
  std::map<std::string, bool> seen;
  for (const ClaimedTable& c : claimed) {
    seen[c.number] = true;
    auto lt = ledger_tables.find(c.number);
    if (lt == ledger_tables.end()) {
      out.push_back({Finding::Kind::kNotInLedger, c.number, 0,
                     absl::StrCat(c.number, " ", c.title, "：账中无此表，未核对"),
                     absl::StrCat(c.number, " ", c.title, ": no such table in the ledger")});
      continue;
    }
    const report::Table& l = *lt->second;
    std::map<std::string, size_t> ledger_rows;
    const std::vector<std::string> ledger_keys = Keys(l.rows);
    for (size_t i = 0; i < l.rows.size(); ++i) ledger_rows.emplace(ledger_keys[i], i);
    const std::vector<std::string> keys = Keys(c.rows);
    std::map<std::string, size_t> columns;  // header → the ledger table's column
    for (size_t i = 0; i < l.header.size(); ++i) columns.emplace(l.header[i], i);
    std::map<std::string, bool> rows_seen;
    // Claimed amounts by (row key, column), for the sums below.
    std::map<std::pair<std::string, size_t>, std::pair<int64_t, int>> amounts;
    for (size_t r = 0; r < c.rows.size(); ++r) {
      const std::vector<std::string>& row = c.rows[r];
      const std::string& key = keys[r];
      rows_seen[key] = true;
      auto lr = ledger_rows.find(key);
      if (lr == ledger_rows.end()) {
        out.push_back({Finding::Kind::kNotInLedger, c.number, c.lines[r],
                       absl::StrCat(c.number, " ", key, "：账中无此行，未核对"),
                       absl::StrCat(c.number, " ", key, ": no such row in the ledger")});
        continue;
      }
      const std::vector<report::Cell>& lrow = l.rows[lr->second];
      for (size_t col = 0; col < row.size() && col < c.header.size(); ++col) {
        auto lc = columns.find(c.header[col]);
        if (lc == columns.end() || lc->second >= lrow.size()) continue;
        // A repeated header (表1's two 决算数) is matched by position.
        const size_t lcol = l.header[col] == c.header[col] ? col : lc->second;
        const report::Cell& cell = lrow[lcol];
        const std::string where = absl::StrCat(c.number, " ", key, " ", c.header[col]);
        if (cell.fen) {
          const std::optional<Quoted> q = ParseQuoted(row[col]);
          if (!q) {
            out.push_back(
                {Finding::Kind::kLedger, c.number, c.lines[r],
                 absl::StrCat(where, "：", domain::QuoteValue(row[col]), " 不是金额"),
                 absl::StrCat(where, ": ", domain::QuoteValue(row[col]), " is not an amount")});
            continue;
          }
          const int64_t fen = q->units * Pow10(kFenDecimals - q->decimals);
          amounts[{key, col}] = {fen, q->decimals};
          if (WanText(*cell.fen, q->decimals) != WanText(fen, q->decimals)) {
            out.push_back({Finding::Kind::kLedger, c.number, c.lines[r],
                           absl::StrCat(where, "：报告为 ", row[col], " 万元，账载 ",
                                        WanText(*cell.fen, std::max(q->decimals, 2)), " 万元"),
                           absl::StrCat(where, ": the report says ", row[col], " 万元, the ledger ",
                                        WanText(*cell.fen, std::max(q->decimals, 2)), " 万元")});
          }
        } else if (cell.count) {
          int64_t n = 0;
          if (!absl::SimpleAtoi(row[col], &n) || n != *cell.count) {
            out.push_back({Finding::Kind::kLedger, c.number, c.lines[r],
                           absl::StrCat(where, "：报告为 ", row[col], "，账载 ", *cell.count),
                           absl::StrCat(where, ": the report says ", row[col], ", the ledger ",
                                        *cell.count)});
          }
        }
      }
    }
    for (const auto& [key, index] : ledger_rows) {
      if (!rows_seen.contains(key)) {
        out.push_back(
            {Finding::Kind::kLedger, c.number, 0,
             absl::StrCat(c.number, " ", key, "：账中有此行，报告中没有"),
             absl::StrCat(c.number, " ", key, ": in the ledger, missing from the report")});
      }
    }
    // Within the report: a table by 支出功能分类 adds up, level by level.
    if (c.header.empty() || c.header[0] != "科目编码") continue;
    for (size_t col = 2; col < c.header.size(); ++col) {
      for (size_t r = 0; r < c.rows.size(); ++r) {
        const std::string code = c.rows[r][0];
        // A parent: a 类 or 款, or the 合计 (of the 类).
        if (code.empty() ? c.rows[r][1] != "合计" : (!IsCode(code) || code.size() >= 7)) continue;
        const size_t child = code.empty() ? 3 : code.size() + 2;
        auto parent = amounts.find({keys[r], col});
        if (parent == amounts.end()) continue;
        int64_t sum = 0, slack = Pow10(kFenDecimals - parent->second.second) / 2;
        bool any = false;
        for (size_t k = 0; k < c.rows.size(); ++k) {
          const std::vector<std::string>& row = c.rows[k];
          if (row[0].size() != child || !absl::StartsWith(row[0], code) || !IsCode(row[0]))
            continue;
          auto part = amounts.find({keys[k], col});
          if (part == amounts.end()) continue;
          sum += part->second.first;
          slack += Pow10(kFenDecimals - part->second.second) / 2;
          any = true;
        }
        if (any && std::abs(sum - parent->second.first) > slack) {
          const std::string what = code.empty() ? "合计" : code;
          out.push_back({Finding::Kind::kSum, c.number, c.lines[r],
                         absl::StrCat(c.number, " ", what, " ", c.header[col], " 为 ",
                                      WanText(parent->second.first, 2), "，而其下各级之和为 ",
                                      WanText(sum, 2)),
                         absl::StrCat(c.number, " ", what, " ", c.header[col], " is ",
                                      WanText(parent->second.first, 2), " but its parts add up to ",
                                      WanText(sum, 2))});
        }
      }
    }
  }
  for (const report::Table& t : ledger) {
    if (!seen.contains(t.number)) {
      out.push_back({Finding::Kind::kLedger, t.number, 0,
                     absl::StrCat(t.number, " ", t.title, "：报告中没有此表"),
                     absl::StrCat(t.number, " ", t.title, ": missing from the report")});
    }
  }
  return out;
}

}  // namespace reformlog::ctl::reconcile
