// A table whose columns line up on a terminal, as reformctl prints every listing: a header
// row, a rule of dashes as wide as each column, then the rows.
//
// Widths count display cells (utf8_text.h), so a Chinese character takes two. Columns are
// separated by two spaces; text is left-aligned unless AlignRight names the column; trailing
// spaces are cut from every line. A row with fewer cells than the header leaves the rest
// empty; cells beyond the header's count are not printed. Not thread-safe.
//
// On a terminal a table fits its width (kTableWidthDefault, 100 columns, when the terminal
// does not say): when its columns would be wider, the widest left-aligned columns are narrowed
// (never below their header or kColumnWidthMin) and the cells cut to fit end in "…". Numbers
// (right-aligned columns) are never cut. Into a pipe or a file every cell goes whole, as it
// does with `reformctl --wide`.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_TABLE_H_
#define REFORMLOG_CLIENTS_REFORMCTL_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace reformlog::ctl {

inline constexpr size_t kTableWidthDefault = 100;
inline constexpr size_t kTableWidthUnlimited = 0;
inline constexpr size_t kColumnWidthMin = 8;

// The width every table is printed within (kTableWidthUnlimited: none). Process-wide; set
// before options are parsed (--wide sets it while they are), before any table prints.
void SetTableWidthMax(size_t width);
size_t TableWidthMax();
// The width of the terminal standard output is; kTableWidthUnlimited when it is not one.
size_t StdoutTableWidth();

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
