// Reconciling the figures a 部门决算 report quotes — its narrative (情况说明) — against each
// other and against the ledger. Pure: no I/O, no gRPC; `reformctl report reconcile` reads the
// file and the ledger and prints what this finds.
//
// The claimed figures are a small text file, one figure a line, as the report quotes them:
//
//   # comments; blank lines are ignored
//   [一、收入支出决算总体情况说明]        the section the following figures are quoted in
//   收支总计 = 254.64                     an amount, in 万元 (at most six decimals: 1 分)
//   收支总计.上年 = 276.42                the same metric for the year before
//   收支总计.增减 = -21.78                this year − last year, 万元
//   收支总计.增减率 = -8.55%              (this − last) / last
//   一般公共预算财政拨款收入.占收入总计 = 88.21%   a share: the metric / the whole named
//   收入总计 = 一般公共预算财政拨款收入 + 年初结转和结余   the parts the text says make up a whole
//
// A metric is any name without '.', '=', '+' or spaces: the ledger knows those of
// LedgerMetrics(), the classification codes of the year's roll-ups ("2013601", "30101") and
// pairs of a function and an economic code ("2013601/30201": that 办公费 of 行政运行); any other
// is checked only against the file's own figures.
//
// A figure quoted more than once is checked against the ledger at each quote of a new value; a
// share, a rate or a composition reads each figure it uses as last quoted at or before its own
// line (as a report's "其中" refers to what it has just said), or else as first quoted after.
//
// What is found (Finding::Kind):
//  * kLedger       a figure that differs from the ledger's, rounded to the claim's decimals;
//  * kDuplicate    one metric (same key) quoted with two values;
//  * kChange       X.增减 ≠ X − X.上年;
//  * kRate         X.增减率 ≠ X.增减 / X.上年 (with the change and last year's figure derived
//                  from the others when the file omits one); says so when the quoted rate is the
//                  change divided by this year instead;
//  * kShare        X.占W ≠ X / W;
//  * kSum          W ≠ Σ parts of a composition line;
//  * kSharesSum    the quoted shares of a composition's parts do not add up to 100%;
//  * kNotInLedger  a metric the ledger does not know (information: not a disagreement).
// A percentage agrees when it is within half a unit of its last decimal (plus 0.01 percentage
// point for the rounding of the amounts it divides) of the exact ratio; a sum when it is within
// half a unit of the last decimal of each figure it adds. All arithmetic is exact (integers of
// 分 and 128-bit products): no floating point.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_H_
#define REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reformlog/api/v1/budget_queries.pb.h"

namespace reformlog::ctl::reconcile {

namespace api = ::reformlog::api::v1;

// The longest claims file read, and the most figures in it.
inline constexpr size_t kClaimsFileBytesMax = 1 << 20;
inline constexpr size_t kClaimsMax = 10'000;

// A number as quoted: `units` of 10^-decimals (万元 for amounts, % for percentages).
struct Quoted {
  int64_t units = 0;
  int decimals = 0;
  std::string text;  // as written, for messages ("-8.55%")
};

// `text` ("-21.78", "5.9", "0") as units of 10^-decimals; nullopt when it is not a number of at
// most twelve whole digits and six decimals.
std::optional<Quoted> ParseQuoted(absl::string_view text);

struct Claim {
  enum class Kind { kAmount, kLastYear, kChange, kChangeRate, kShare };
  Kind kind = Kind::kAmount;
  std::string metric;  // "收支总计"
  std::string whole;   // kShare: what it is a share of
  std::string key;     // as written: "收支总计.增减率"
  Quoted value;
  std::string section;  // the [section] it is quoted in; "" before any
  int line = 0;
};

struct Composition {
  std::string whole;
  std::vector<std::string> parts;
  std::string section;
  int line = 0;
};

struct Claims {
  std::vector<Claim> figures;
  std::vector<Composition> compositions;
};

// Parses a claims file. INVALID_ARGUMENT naming the line and what is wrong with it (in both
// languages: domain/refusal.h) for anything that is not one of the forms above, a number with
// more decimals than 1 分 or beyond kYuanMax, a file over the limits, or bytes that are not UTF-8.
absl::StatusOr<Claims> ParseClaims(absl::string_view text);

// The metrics the ledger answers, in fen, by name; a metric "X.上年" is last year's X.
using Ledger = std::map<std::string, int64_t>;

// The named metrics LedgerOf fills in, in the order a report quotes them.
const std::vector<std::string>& LedgerMetrics();

// The ledger of an agency's year: LedgerMetrics() from its 决算 (`accounts`) and its budget
// (`budget`, with its lines), and the 支出功能分类 and 部门预算支出经济分类 codes of its roll-ups
// ("2013601", "30101": 本年支出) and of its lines by function and economic code
// ("2013601/30201"); each also as "X.上年" from the year before's, when given.
Ledger LedgerOf(const api::GetFinalAccountsResponse& accounts, const api::GetBudgetResponse& budget,
                const api::GetFinalAccountsResponse* last_accounts,
                const api::GetBudgetResponse* last_budget);

struct Finding {
  enum class Kind { kLedger, kDuplicate, kChange, kRate, kShare, kSum, kSharesSum, kNotInLedger };
  Kind kind;
  std::string section;
  int line = 0;
  std::string zh;
  std::string en;
  bool disagreement() const { return kind != Kind::kNotInLedger; }
};

// The figures a 部门决算's 情况说明 quotes, from `ledger`, as a claims file (the format above):
// 收支总计 and its change on last year, 收入 and 支出 with their parts and shares, 财政拨款, the
// 一般公共预算 expenditure by 项, 人员经费 and 公用经费, 三公经费, the fund kinds and 机关运行经费
// — amounts in 万元 with two decimals, rates and shares in % with two. Reconciling it against the
// same ledger finds nothing: what a report should quote, to start its text from.
std::string ClaimsOf(const Ledger& ledger);

// Every finding, in the order of the lines they concern (a finding about several lines at the
// last of them).
std::vector<Finding> Reconcile(const Claims& claims, const Ledger& ledger);

// "−8.55%"-style text of fen as 万元 with `decimals` decimals (rounded half away from zero).
std::string WanText(int64_t fen, int decimals);

}  // namespace reformlog::ctl::reconcile

#endif  // REFORMLOG_CLIENTS_REFORMCTL_RECONCILE_H_
