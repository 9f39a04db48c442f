#include "clients/reformctl/csv_text.h"

#include <csv.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace reformlog::ctl {
namespace {

// The characters a spreadsheet reads a cell starting with as a formula (OWASP, "CSV
// injection"): = + - @, and tab and carriage return, which some read past.
bool IsFormulaLead(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// A number as the exports write one (-12, +3, -1234.50): a sign is harmless there.
bool IsPlainNumber(absl::string_view v) {
  size_t i = v[0] == '-' || v[0] == '+' ? 1 : 0;
  bool digits = false;
  bool point = false;
  for (; i < v.size(); ++i) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(v[i]))) {
      digits = true;
    } else if (v[i] == '.' && !point && digits) {
      point = true;
    } else {
      return false;
    }
  }
  return digits && v.back() != '.';
}

// Whether `value` starts with apostrophes (any number, none included) then a formula lead.
bool ApostrophesThenFormulaLead(absl::string_view value) {
  const size_t lead = value.find_first_not_of('\'');
  return lead != absl::string_view::npos && IsFormulaLead(value[lead]);
}

}  // namespace

std::string NeutralizeCell(absl::string_view value) {
  if (!ApostrophesThenFormulaLead(value) || IsPlainNumber(value)) return std::string(value);
  return absl::StrCat("'", value);
}

std::string RestoreCell(absl::string_view cell) {
  if (!cell.empty() && cell[0] == '\'' && ApostrophesThenFormulaLead(cell.substr(1))) {
    return std::string(cell.substr(1));
  }
  return std::string(cell);
}

absl::StatusOr<std::vector<CsvRow>> ParseCsv(const std::string& text) {
  struct State {
    std::vector<CsvRow> rows;
    CsvRow current;
    int line = 1;
    bool in_row = false;
  } state;
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0)
    return absl::InternalError("cannot start the CSV parser");
  auto on_field = [](void* data, size_t size, void* st) {
    auto* s = static_cast<State*>(st);
    if (!s->in_row) {
      s->in_row = true;
      s->current.line = s->line;
    }
    s->current.fields.push_back(
        RestoreCell(absl::string_view(static_cast<const char*>(data), size)));
  };
  auto on_row = [](int, void* st) {
    auto* s = static_cast<State*>(st);
    if (s->in_row) s->rows.push_back(std::move(s->current));
    s->current = CsvRow{};
    s->in_row = false;
  };
  // Feed line by line so that each row knows its starting line.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    if (csv_parse(&parser, text.data() + start, end - start, on_field, on_row, &state) !=
        end - start) {
      const std::string error = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return absl::InvalidArgumentError(absl::StrCat("line ", state.line, ": ", error));
    }
    ++state.line;
    start = end;
  }
  csv_fini(&parser, on_field, on_row, &state);
  csv_free(&parser);
  return state.rows;
}

CsvWriter::CsvWriter(const std::vector<std::string>& header) : columns_(header.size()) {
  Write(header);
}

void CsvWriter::Add(const std::vector<std::string>& row) {
  if (row.size() != columns_) {
    std::cerr << "reformctl: a CSV row of " << row.size() << " fields under a header of "
              << columns_ << "\n";
    std::abort();
  }
  Write(row);
  ++rows_;
}

void CsvWriter::Write(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_.push_back(',');
    const std::string field = NeutralizeCell(fields[i]);
    // csv_write quotes the field and doubles its quotes; called with no room it says how much
    // it needs.
    const size_t at = text_.size();
    text_.resize(at + csv_write(nullptr, 0, field.data(), field.size()));
    const size_t written =
        csv_write(text_.data() + at, text_.size() - at, field.data(), field.size());
    text_.resize(at + written);
  }
  text_.append("\r\n");
}

}  // namespace reformlog::ctl
