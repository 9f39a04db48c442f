#include "clients/reformctl/csv_text.h"

#include <csv.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace reformlog::ctl {

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
    s->current.fields.emplace_back(static_cast<const char*>(data), size);
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
    // csv_write quotes the field and doubles its quotes; called with no room it says how much
    // it needs.
    const size_t at = text_.size();
    text_.resize(at + csv_write(nullptr, 0, fields[i].data(), fields[i].size()));
    const size_t written =
        csv_write(text_.data() + at, text_.size() - at, fields[i].data(), fields[i].size());
    text_.resize(at + written);
  }
  text_.append("\r\n");
}

}  // namespace reformlog::ctl
