#include "domain/classification.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {
namespace internal {
extern const absl::string_view kGovClassificationTsv;  // gov_classification_data.cc
}  // namespace internal

namespace {

constexpr char kDataFile[] = "domain/classification/gov_classification.tsv";
constexpr size_t kClassDigits = 3;
constexpr size_t kSegmentDigits = 5;
constexpr size_t kItemDigits = 7;
constexpr size_t kColumns = 7;

// The budgets a function code belongs to, as bits.
constexpr uint8_t kGeneral = 1;  // G 一般公共预算
constexpr uint8_t kFund = 2;     // J 政府性基金预算
constexpr uint8_t kCapital = 4;  // S 国有资本经营预算

struct Entry {
  std::string name;
  uint8_t funds = 0;            // function codes only
  bool items_complete = false;  // a function 款 whose every 项 is listed
};

using Codes = absl::flat_hash_map<std::string, Entry>;

struct Year {
  Codes function;
  Codes economic;
  const Codes& Of(CodeScheme scheme) const {
    return scheme == CodeScheme::kFunction ? function : economic;
  }
};

struct Classification {
  int first_year = 0;
  int last_year = 0;
  std::vector<Year> years;  // first_year + i

  const Year* Find(int fiscal_year) const {
    if (fiscal_year < first_year || fiscal_year > last_year) return nullptr;
    return &years[static_cast<size_t>(fiscal_year - first_year)];
  }
};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

[[noreturn]] void Malformed(int line_number, absl::string_view what) {
  const std::string message = absl::StrCat(kDataFile, ":", line_number, ": ", what);
  REFORMLOG_CHECK(false, message.c_str());
  std::abort();  // not reached; REFORMLOG_CHECK(false, …) aborts
}

int ParseYear(int line_number, absl::string_view text) {
  int year = 0;
  if (!absl::SimpleAtoi(text, &year) || year < kFiscalYearMin || year > kFiscalYearMax) {
    Malformed(line_number, absl::StrCat("bad year \"", text, "\""));
  }
  return year;
}

uint8_t ParseFunds(int line_number, absl::string_view text) {
  uint8_t funds = 0;
  for (char c : text) {
    switch (c) {
      case 'G':
        funds |= kGeneral;
        break;
      case 'J':
        funds |= kFund;
        break;
      case 'S':
        funds |= kCapital;
        break;
      default:
        Malformed(line_number, absl::StrCat("bad funds \"", text, "\" (G, J, S)"));
    }
  }
  return funds;
}

absl::string_view ParentOf(absl::string_view code) {
  return code.substr(0, code.size() == kItemDigits ? kSegmentDigits : kClassDigits);
}

Classification Parse(absl::string_view tsv) {
  Classification c;
  int line_number = 0;
  bool header_seen = false;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols[0] == "@years") {
      if (cols.size() != 3) Malformed(line_number, "@years takes the first and the last year");
      c.first_year = ParseYear(line_number, cols[1]);
      c.last_year = ParseYear(line_number, cols[2]);
      if (c.last_year < c.first_year) Malformed(line_number, "@years ends before it starts");
      c.years.resize(static_cast<size_t>(c.last_year - c.first_year) + 1);
      continue;
    }
    if (cols[0] == "scheme") {
      header_seen = true;
      continue;
    }
    if (c.years.empty() || !header_seen)
      Malformed(line_number, "an entry before @years or the header");
    if (cols.size() != kColumns)
      Malformed(line_number, absl::StrCat("expected ", kColumns, " columns"));
    const bool function = cols[0] == "F";
    if (!function && cols[0] != "E") Malformed(line_number, "scheme is F or E");
    const absl::string_view code = cols[1];
    const bool shape =
        AllDigits(code) && (code.size() == kClassDigits || code.size() == kSegmentDigits ||
                            (function && code.size() == kItemDigits));
    if (!shape) Malformed(line_number, absl::StrCat("bad code \"", code, "\""));
    if (cols[2].empty()) Malformed(line_number, "empty name");
    Entry entry;
    entry.name = std::string(cols[2]);
    entry.funds = ParseFunds(line_number, cols[3]);
    if (function != (entry.funds != 0)) Malformed(line_number, "funds are given for F codes only");
    const int from = ParseYear(line_number, cols[4]);
    const int to = cols[5].empty() ? c.last_year : ParseYear(line_number, cols[5]);
    if (from < c.first_year || to > c.last_year || to < from) {
      Malformed(line_number, "years outside @years or ending before they start");
    }
    if (!cols[6].empty()) {
      if (cols[6] != "all" || !function || code.size() != kSegmentDigits) {
        Malformed(line_number, "items is `all` on a function 款, or empty");
      }
      entry.items_complete = true;
    }
    for (int year = from; year <= to; ++year) {
      Year& y = c.years[static_cast<size_t>(year - c.first_year)];
      Codes& codes = function ? y.function : y.economic;
      if (!codes.emplace(std::string(code), entry).second) {
        Malformed(line_number, absl::StrCat("code ", code, " twice in ", year));
      }
    }
  }
  if (c.years.empty()) Malformed(line_number, "no @years line");
  for (int year = c.first_year; year <= c.last_year; ++year) {
    const Year& y = *c.Find(year);
    for (const Codes* codes : {&y.function, &y.economic}) {
      for (const auto& [code, entry] : *codes) {
        if (code.size() == kClassDigits) continue;
        auto parent = codes->find(ParentOf(code));
        if (parent == codes->end()) {
          Malformed(0, absl::StrCat("code ", code, " has no parent in ", year));
        }
        if ((entry.funds & ~parent->second.funds) != 0) {
          Malformed(0, absl::StrCat("code ", code, " has funds its parent lacks in ", year));
        }
      }
    }
  }
  return c;
}

const Classification& Shipped() {
  static const Classification* const classification =
      new Classification(Parse(internal::kGovClassificationTsv));
  return *classification;
}

std::string FundsLabel(uint8_t funds) {
  std::vector<std::string> labels;
  if ((funds & kGeneral) != 0) labels.push_back(Label(pb::GENERAL_PUBLIC_BUDGET));
  if ((funds & kFund) != 0) labels.push_back(Label(pb::GOVERNMENT_FUND));
  if ((funds & kCapital) != 0) labels.push_back(Label(pb::STATE_CAPITAL));
  return absl::StrJoin(labels, "、");
}

// The budgets whose codes a line paid from `source` may use.
uint8_t FundsFor(pb::FundSource source) {
  switch (source) {
    case pb::GENERAL_PUBLIC_BUDGET:
      return kGeneral;
    case pb::GOVERNMENT_FUND:
      return kFund;
    case pb::STATE_CAPITAL:
      return kCapital;
    default:
      return kGeneral | kFund;
  }
}

absl::string_view LevelName(CodeScheme scheme, size_t digits) {
  if (digits == kClassDigits) return "类";
  if (digits == kSegmentDigits) return "款";
  return scheme == CodeScheme::kFunction ? "项" : "?";
}

absl::string_view SchemeName(CodeScheme scheme) {
  return scheme == CodeScheme::kFunction ? "支出功能分类" : "部门预算支出经济分类";
}

// The entry of `code` in `year`; a refusal naming the highest missing level otherwise. With
// `accept_untranscribed_item`, a 项 under a valid 款 whose 项 are not all listed yields the
// 款's entry.
absl::StatusOr<const Entry*> Lookup(const Year& year, int fiscal_year, CodeScheme scheme,
                                    absl::string_view field, absl::string_view code) {
  const Codes& codes = year.Of(scheme);
  const Entry* parent = nullptr;
  std::string parent_label;
  for (size_t digits : {kClassDigits, kSegmentDigits, kItemDigits}) {
    if (digits > code.size()) break;
    const absl::string_view prefix = code.substr(0, digits);
    auto it = codes.find(prefix);
    if (it != codes.end()) {
      parent = &it->second;
      parent_label = absl::StrCat(LevelName(scheme, digits), " ", prefix, " ", it->second.name);
      continue;
    }
    if (digits == kItemDigits && !parent->items_complete) return parent;
    return RefuseInvalid(
        absl::StrCat(field, " ", QuoteValue(code), " is not in the ", fiscal_year,
                     " 政府收支分类科目 (", SchemeName(scheme), "): ",
                     parent == nullptr ? absl::StrCat("there is no 类 ", prefix)
                                       : absl::StrCat(parent_label, " has no ",
                                                      LevelName(scheme, digits), " ", prefix)),
        absl::StrCat(fiscal_year, "年政府收支分类科目（", SchemeName(scheme), "）中没有",
                     QuoteValue(code), "：",
                     parent == nullptr
                         ? absl::StrCat("无", prefix, "类")
                         : absl::StrCat(parent_label, "下无", prefix, LevelName(scheme, digits))));
  }
  return parent;
}

}  // namespace

std::pair<int, int> ClassificationYears() { return {Shipped().first_year, Shipped().last_year}; }

absl::Status ValidateClassificationYear(int fiscal_year) {
  const Classification& c = Shipped();
  if (c.Find(fiscal_year) != nullptr) return absl::OkStatus();
  return RefuseInvalid(
      absl::StrCat("fiscal_year ", fiscal_year, ": there is no 政府收支分类科目 of ", fiscal_year,
                   " in ", kDataFile, " (it covers ", c.first_year, "–", c.last_year,
                   "); add that year's codes from its 《政府收支分类科目》 before recording its "
                   "budgets"),
      absl::StrCat("预算年度", fiscal_year, "：系统未收录", fiscal_year, "年政府收支分类科目（现有",
                   c.first_year, "至", c.last_year,
                   "年）；请先按当年《政府收支分类科目》补充科目代码，"
                   "再记录该年度预算"));
}

absl::Status ValidateLineCodes(int fiscal_year, pb::FundSource source,
                               absl::string_view function_code, absl::string_view economic_code) {
  RETURN_IF_ERROR(ValidateClassificationYear(fiscal_year));
  const Year& year = *Shipped().Find(fiscal_year);
  absl::StatusOr<const Entry*> function =
      Lookup(year, fiscal_year, CodeScheme::kFunction, "line.function_code", function_code);
  if (!function.ok()) return function.status();
  if (((*function)->funds & FundsFor(source)) == 0) {
    return RefuseInvalid(
        absl::StrCat("line.function_code ",
                     CodeWithName(fiscal_year, CodeScheme::kFunction, function_code),
                     " is a code of ", FundsLabel((*function)->funds), " in the ", fiscal_year,
                     " 政府收支分类科目; a line of ", Label(source), " takes a code of ",
                     FundsLabel(FundsFor(source))),
        absl::StrCat("支出功能分类科目",
                     CodeWithName(fiscal_year, CodeScheme::kFunction, function_code), "在",
                     fiscal_year, "年政府收支分类科目中属于", FundsLabel((*function)->funds), "；",
                     Label(source), "的预算科目应使用", FundsLabel(FundsFor(source)), "科目"));
  }
  return Lookup(year, fiscal_year, CodeScheme::kEconomic, "line.economic_code", economic_code)
      .status();
}

std::string CodeName(int fiscal_year, CodeScheme scheme, absl::string_view code) {
  const Year* year = Shipped().Find(fiscal_year);
  if (year == nullptr) return "";
  const Codes& codes = year->Of(scheme);
  auto it = codes.find(code);
  return it == codes.end() ? "" : it->second.name;
}

std::string CodeWithName(int fiscal_year, CodeScheme scheme, absl::string_view code) {
  std::string name = CodeName(fiscal_year, scheme, code);
  return name.empty() ? std::string(code) : absl::StrCat(code, " ", name);
}

}  // namespace reformlog::domain
