// Money and the budget's figures as reformctl reads and prints them. Amounts travel as
// int64 fen (分) and are typed and exported in 元 with two decimals; tables show 万元.
// Every conversion is exact integer arithmetic: no floating point anywhere.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_MONEY_H_
#define REFORMLOG_CLIENTS_REFORMCTL_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reformlog/api/v1/budget_queries.pb.h"

namespace reformlog::ctl {

namespace api = ::reformlog::api::v1;

// At most this many whole 元 in a typed amount (10 trillion): far beyond any budget, well
// inside int64 fen.
inline constexpr int64_t kYuanMax = 10'000'000'000'000;

// "1234.56" (元, optionally negative, at most two decimals) → 123456 fen, exactly.
// INVALID_ARGUMENT quoting `text` for anything else (1.005, 1e3, 1,000, .5, 5.) and for more
// than kYuanMax 元.
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);
// 123456 fen → "1234.56".
std::string FormatYuan(int64_t fen);
// 123456 fen → "0.12" (万元, rounded half up to the hundredth, away from zero for negative
// amounts; "0.00", never "-0.00").
std::string FormatWan(int64_t fen);

// A ratio in basis points → "97.42%"; "—" when it is undefined (nothing to divide by).
std::string FormatPercent(const api::BudgetRatio& ratio);
// A performance score in hundredths of a point → "99.48".
std::string FormatCentipoints(int64_t centipoints);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_MONEY_H_
