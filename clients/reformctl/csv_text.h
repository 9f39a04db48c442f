// CSV as RFC 4180 has it, read and written with libcsv: what `reformctl import` reads and
// `reformctl export` writes. Text is UTF-8 here; text_encoding.h converts at the file's edge.
//
// (Not "csv.h": that is libcsv's own header.)
#ifndef REFORMLOG_CLIENTS_REFORMCTL_CSV_TEXT_H_
#define REFORMLOG_CLIENTS_REFORMCTL_CSV_TEXT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog::ctl {

struct CsvRow {
  int line = 0;  // the physical line the row starts on, from 1
  std::vector<std::string> fields;
};

// Cells a spreadsheet would run as a formula (CSV injection): a value starting with = + - @,
// tab or carriage return — after any apostrophes — is written with one apostrophe in front
// ('=HYPERLINK(…) shows as text), except a plain number (-12.50). RestoreCell undoes it, so
// an exported file imports as the values it was written from.
std::string NeutralizeCell(absl::string_view value);
std::string RestoreCell(absl::string_view cell);

// Every row of `text`, fields unquoted and restored (RestoreCell); a quoted field may span
// lines. Empty lines are no rows. INVALID_ARGUMENT "line N: …" naming the line libcsv cannot
// parse.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(const std::string& text);

// A CSV text being written: a header row, then rows of exactly as many fields, each
// neutralized (NeutralizeCell) and quoted by libcsv (quotes doubled), lines ended by CRLF.
// Not thread-safe.
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<std::string>& header);
  // A row with another number of fields than the header is a programmer error: it aborts.
  void Add(const std::vector<std::string>& row);
  const std::string& text() const { return text_; }
  size_t rows() const { return rows_; }  // not counting the header

 private:
  void Write(const std::vector<std::string>& fields);

  size_t columns_;
  std::string text_;
  size_t rows_ = 0;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_CSV_TEXT_H_
