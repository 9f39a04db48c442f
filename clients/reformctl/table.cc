#include "clients/reformctl/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/utf8_text.h"

namespace reformlog::ctl {
namespace {

std::atomic<size_t> table_width_max{kTableWidthUnlimited};

// The separator between columns.
constexpr size_t kColumnGap = 2;

// `cell` cut to at most `width` display cells, ending in "…" when cut.
std::string Fit(const std::string& cell, size_t width) {
  if (DisplayWidth(cell) <= width) return cell;
  const std::string ellipsis = "…";
  const size_t room = width - std::min(width, DisplayWidth(ellipsis));
  std::string kept;
  size_t at = 0;
  while (at < cell.size()) {
    size_t next = at + 1;  // the next character boundary
    while (next < cell.size() && (static_cast<unsigned char>(cell[next]) & 0xC0) == 0x80) ++next;
    const std::string piece = cell.substr(at, next - at);
    if (DisplayWidth(kept) + DisplayWidth(piece) > room) break;
    kept += piece;
    at = next;
  }
  return kept + ellipsis;
}

}  // namespace

void SetTableWidthMax(size_t width) { table_width_max.store(width, std::memory_order_relaxed); }
size_t TableWidthMax() { return table_width_max.load(std::memory_order_relaxed); }

size_t StdoutTableWidth() {
  if (isatty(STDOUT_FILENO) == 0) return kTableWidthUnlimited;
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kTableWidthDefault;
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto right = [&](size_t c) { return std::find(right_.begin(), right_.end(), c) != right_.end(); };
  if (const size_t width_max = TableWidthMax(); width_max != kTableWidthUnlimited) {
    size_t total = widths.empty() ? 0 : kColumnGap * (widths.size() - 1);
    for (size_t w : widths) total += w;
    while (total > width_max) {  // narrow the widest column that may be cut, one cell a time
      size_t widest = widths.size();
      for (size_t c = 0; c < widths.size(); ++c) {
        const size_t floor = std::max(kColumnWidthMin, DisplayWidth(headers_[c]));
        if (right(c) || widths[c] <= floor) continue;
        if (widest == widths.size() || widths[c] > widths[widest]) widest = c;
      }
      if (widest == widths.size()) break;  // nothing left to narrow: print it wide
      --widths[widest];
      --total;
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = Fit(c < cells.size() ? cells[c] : std::string(), widths[c]);
      const std::string pad(widths[c] - DisplayWidth(cell), ' ');
      absl::StrAppend(&text, c == 0 ? "" : "  ", right(c) ? pad : "", cell,
                      right(c) || c + 1 == widths.size() ? "" : pad);
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
