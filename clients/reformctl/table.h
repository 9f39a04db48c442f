// A table whose columns line up on a terminal, as reformctl prints every listing: a header
// row, a rule of dashes as wide as each column, then the rows.
//
// Widths count display cells (utf8_text.h), so a Chinese character takes two. Columns are
// separated by two spaces; text is left-aligned unless AlignRight names the column; trailing
// spaces are cut from every line. A row with fewer cells than the header leaves the rest
// empty; cells beyond the header's count are not printed. Not thread-safe.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_TABLE_H_
#define REFORMLOG_CLIENTS_REFORMCTL_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace reformlog::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns whose index is in `right` are right-aligned (numbers).
  void AlignRight(std::vector<size_t> right) { right_ = std::move(right); }
  void Print(std::ostream& out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> right_;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_TABLE_H_
