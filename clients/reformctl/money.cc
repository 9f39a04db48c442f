#include "clients/reformctl/money.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "clients/reformctl/lang.h"

namespace reformlog::ctl {

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  const absl::string_view original = text;
  bool negative = false;
  if (absl::ConsumePrefix(&text, "-")) negative = true;
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  int64_t yuan = 0;
  int64_t cents = 0;
  const bool ok =
      parts.size() <= 2 && !parts[0].empty() && absl::SimpleAtoi(parts[0], &yuan) && yuan >= 0 &&
      yuan <= kYuanMax &&
      (parts.size() == 1 || (!parts[1].empty() && parts[1].size() <= 2 &&
                             std::all_of(parts[1].begin(), parts[1].end(), absl::ascii_isdigit) &&
                             absl::SimpleAtoi(parts[1], &cents)));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", original,
                     Tr("\" 不是以元为单位、至多两位小数的金额",
                        "\" is not an amount in 元 with at most two decimals")));
  }
  if (parts.size() == 2 && parts[1].size() == 1) cents *= 10;
  const int64_t fen = yuan * 100 + cents;
  return negative ? -fen : fen;
}

std::string FormatYuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", m / 100, m % 100);
}

std::string FormatWan(int64_t fen) {
  // 1 万元 = 1,000,000 fen; hundredths of 万元 = 10,000 fen, rounded half up.
  const bool negative = fen < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  const uint64_t hundredths = (m + 5'000) / 10'000;
  return absl::StrFormat("%s%d.%02d", negative && hundredths > 0 ? "-" : "", hundredths / 100,
                         hundredths % 100);
}

std::string FormatPercent(const api::BudgetRatio& r) {
  if (!r.defined()) return "—";
  return absl::StrFormat("%s%d.%02d%%", r.basis_points() < 0 ? "-" : "",
                         std::abs(r.basis_points()) / 100, std::abs(r.basis_points()) % 100);
}

std::string FormatCentipoints(int64_t centipoints) {
  return absl::StrFormat("%s%d.%02d", centipoints < 0 ? "-" : "", std::abs(centipoints) / 100,
                         std::abs(centipoints) % 100);
}

}  // namespace reformlog::ctl
