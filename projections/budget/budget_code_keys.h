// Classification codes as integer keys, and the summary's classification constants
// (budget_summary.h) as keys: shared by SummarizeBudget's fast path (budget_summary.cc) and the
// maintained roll-ups of BudgetSummaryCache (budget_summary_cache.cc), which key the code rows
// by integer rather than by string. Not for other callers.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_CODE_KEYS_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_CODE_KEYS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_summary.h"

namespace reformlog::projections::budget_internal {

// Codes keyed by integer: digit strings of at most this many digits (decide writes 3, 5 or 7).
inline constexpr size_t kCodeKeyDigitsMax = 14;
inline constexpr size_t kCodeKeyDigitBits = 4;
inline constexpr uint64_t kCodeKeyDigitMask = (uint64_t{1} << kCodeKeyDigitBits) - 1;
static_assert(kFunctionItemDigits <= kCodeKeyDigitsMax);
static_assert(kEconomicSegmentDigits <= kCodeKeyDigitsMax);
static_assert(kCodeKeyDigitsMax <= kCodeKeyDigitMask);  // the length fits the low digit
static_assert((kCodeKeyDigitsMax + 1) * kCodeKeyDigitBits <= 64);
// No code's key (its length would be beyond kCodeKeyDigitsMax).
inline constexpr uint64_t kNoCodeKey = ~uint64_t{0};

// The key of a code: its digits, kCodeKeyDigitBits each, from the top, padded with zeros to
// kCodeKeyDigitsMax digits, then its length. Keys order as the codes do as strings (a code
// sorts right before its extensions: "201" < "2010" < "20100" < "2011"), and a prefix's key is
// a mask away. nullopt when the code is not a digit string that short.
constexpr std::optional<uint64_t> CodeKeyOf(absl::string_view code) {
  if (code.size() > kCodeKeyDigitsMax) return std::nullopt;
  uint64_t digits = 0;
  for (const char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
    digits = digits << kCodeKeyDigitBits | static_cast<uint64_t>(c - '0');
  }
  const uint64_t padded = digits << (kCodeKeyDigitBits * (kCodeKeyDigitsMax - code.size()));
  return padded << kCodeKeyDigitBits | code.size();
}

constexpr size_t CodeKeyLength(uint64_t key) { return key & kCodeKeyDigitMask; }

// The key of the code's first `digits` digits (the whole code when it is that short).
constexpr uint64_t PrefixKey(uint64_t key, size_t digits) {
  if (CodeKeyLength(key) <= digits) return key;
  const uint64_t kept = ~uint64_t{0} << (kCodeKeyDigitBits * (kCodeKeyDigitsMax - digits + 1));
  return (key & kept) | digits;
}

// The code of a key (CodeKeyOf's inverse).
inline std::string CodeOf(uint64_t key) {
  std::string code(CodeKeyLength(key), '0');
  for (size_t i = 0; i < code.size(); ++i) {
    const uint64_t digit = key >> (kCodeKeyDigitBits * (kCodeKeyDigitsMax - i)) & kCodeKeyDigitMask;
    code[i] = static_cast<char>('0' + digit);
  }
  return code;
}

constexpr uint64_t KeyOfConstant(absl::string_view code) { return CodeKeyOf(code).value(); }

// kPersonnelEconomicClasses and kPublicUseEconomicClasses, as keys.
inline constexpr std::array<uint64_t, 2> kPersonnelClassKeys = {
    KeyOfConstant(kPersonnelEconomicClasses[0]), KeyOfConstant(kPersonnelEconomicClasses[1])};
inline constexpr std::array<uint64_t, 2> kPublicUseClassKeys = {
    KeyOfConstant(kPublicUseEconomicClasses[0]), KeyOfConstant(kPublicUseEconomicClasses[1])};

// The 三公经费 item of a 财政拨款 line with that economic code.
struct ThreePublicItem {
  uint64_t economic_key;
  Amounts ThreePublicExpenses::*amounts;
};
inline constexpr std::array<ThreePublicItem, 4> kThreePublicItems = {
    {{KeyOfConstant(kOverseasTripsEconomicCode), &ThreePublicExpenses::overseas_trips},
     {KeyOfConstant(kVehiclePurchaseEconomicCode), &ThreePublicExpenses::vehicle_purchase},
     {KeyOfConstant(kVehicleOperationEconomicCode), &ThreePublicExpenses::vehicle_operation},
     {KeyOfConstant(kReceptionEconomicCode), &ThreePublicExpenses::reception}}};

}  // namespace reformlog::projections::budget_internal

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_CODE_KEYS_H_
