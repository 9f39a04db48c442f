#include "clients/reformctl/table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/utf8_text.h"

namespace reformlog::ctl {

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      const std::string pad(widths[c] - DisplayWidth(cell), ' ');
      const bool right = std::find(right_.begin(), right_.end(), c) != right_.end();
      absl::StrAppend(&text, c == 0 ? "" : "  ", right ? pad : "", cell,
                      right || c + 1 == widths.size() ? "" : pad);
    }
    text.erase(text.find_last_not_of(' ') + 1);  // empty cells at the end of a row
    out << text << "\n";
  };
  line(headers_);
  std::vector<std::string> rule;
  rule.reserve(widths.size());
  for (size_t w : widths) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows_) line(row);
}

}  // namespace reformlog::ctl
