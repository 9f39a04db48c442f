#include "clients/reformctl/reconcile.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/utf8.h"
#include "clients/reformctl/money.h"
#include "domain/quote.h"
#include "domain/refusal.h"

namespace reformlog::ctl::reconcile {
namespace {

// A quoted number has at most this many decimals: 1 分 is 0.000001 万元.
constexpr int kDecimalsMax = 6;
// A metric's name is at most this long.
constexpr size_t kMetricBytesMax = 64;
// A percentage derived from rounded amounts may be off by this much (0.01 percentage point), in
// micro-percent.
constexpr int64_t kRatioSlackMicro = 10'000;
// The largest percentage quoted, and the largest ratio computed (beyond, it is shown as this):
// far beyond any share or change a report quotes, and sums of kPartsMax of them fit in int64.
constexpr int64_t kPercentMax = 1'000'000;
constexpr int64_t kRatioMicroMax = kPercentMax * 1'000'000;
// The most parts a composition adds up.
constexpr size_t kPartsMax = 100;

constexpr absl::string_view kLastYear = "上年";
constexpr absl::string_view kChange = "增减";
constexpr absl::string_view kChangeRate = "增减率";
constexpr absl::string_view kShareOf = "占";

int64_t Pow10(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

absl::Status LineError(int line, absl::string_view en, absl::string_view zh) {
  return domain::RefuseInvalid(absl::StrCat("line ", line, ": ", en),
                               absl::StrCat("第", line, "行：", zh));
}

// "-21.78" or "88.21" (with `percent`, the '%' already taken off) → units of 10^-decimals.
std::optional<Quoted> ParseNumber(absl::string_view text) {
  Quoted q;
  q.text = std::string(text);
  bool negative = absl::ConsumePrefix(&text, "-");
  if (!negative) negative = absl::ConsumePrefix(&text, "−");
  const size_t dot = text.find('.');
  const absl::string_view whole = text.substr(0, dot);
  const absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
  if (whole.empty() || (dot != absl::string_view::npos && fraction.empty())) return std::nullopt;
  // 12 digits and 6 decimals: 18 digits, well inside int64.
  if (fraction.size() > static_cast<size_t>(kDecimalsMax) || whole.size() > 12) return std::nullopt;
  for (char c : whole) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  for (char c : fraction) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  int64_t units = 0;
  for (char c : whole) units = units * 10 + (c - '0');
  for (char c : fraction) units = units * 10 + (c - '0');
  q.units = negative ? -units : units;
  q.decimals = static_cast<int>(fraction.size());
  return q;
}

// A name of a metric: no separators, no spaces, not too long, not empty.
bool IsMetricName(absl::string_view name) {
  if (name.empty() || name.size() > kMetricBytesMax) return false;
  return std::ranges::none_of(name, [](char c) {
    return c == '.' || c == '=' || c == '+' || c == '%' || c == '[' || c == ']' || c == '#' ||
           absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

// The fen of an amount quoted in 万元.
int64_t FenOf(const Quoted& q) { return q.units * Pow10(kDecimalsMax - q.decimals); }
// Half a unit of a quoted figure's last decimal, in fen (万元) or micro-percent (%).
int64_t HalfUnit(const Quoted& q) { return Pow10(kDecimalsMax - q.decimals) / 2; }
// A percentage in micro-percent (10^-6 %).
int64_t MicroOf(const Quoted& q) { return q.units * Pow10(kDecimalsMax - q.decimals); }

// a / b × 100 in micro-percent, rounded half away from zero; b ≠ 0.
int64_t RatioMicro(int64_t a, int64_t b) {
  absl::int128 n = absl::int128(a) * 100 * Pow10(kDecimalsMax);
  absl::int128 d = b;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  absl::int128 q = n >= 0 ? (2 * n + d) / (2 * d) : -((-2 * n + d) / (2 * d));
  q = std::clamp(q, absl::int128(-kRatioMicroMax), absl::int128(kRatioMicroMax));
  return static_cast<int64_t>(q);
}

// micro-percent → "-7.88%".
std::string PercentText(int64_t micro) {
  const int64_t step = Pow10(kDecimalsMax - 2);
  const int64_t hundredths = micro >= 0 ? (micro + step / 2) / step : -((-micro + step / 2) / step);
  const int64_t magnitude = std::abs(hundredths);
  return absl::StrCat(hundredths < 0 ? "-" : "", magnitude / 100, ".",
                      absl::StrFormat("%02d", magnitude % 100), "%");
}

std::string Where(const std::string& section, int line) {
  return section.empty() ? absl::StrCat("第", line, "行")
                         : absl::StrCat("第", line, "行（", section, "）");
}
std::string WhereEn(const std::string& section, int line) {
  return section.empty() ? absl::StrCat("line ", line)
                         : absl::StrCat("line ", line, " (", section, ")");
}

}  // namespace

std::optional<Quoted> ParseQuoted(absl::string_view text) { return ParseNumber(text); }

std::string WanText(int64_t fen, int decimals) {
  const int64_t step = Pow10(kDecimalsMax - decimals);
  const int64_t units = fen >= 0 ? (fen + step / 2) / step : -((-fen + step / 2) / step);
  const int64_t magnitude = std::abs(units);
  std::string out = absl::StrCat(units < 0 ? "-" : "", magnitude / Pow10(decimals));
  if (decimals > 0) {
    std::string fraction = absl::StrCat(magnitude % Pow10(decimals));
    fraction.insert(0, static_cast<size_t>(decimals) - fraction.size(), '0');
    absl::StrAppend(&out, ".", fraction);
  }
  return out;
}

absl::StatusOr<Claims> ParseClaims(absl::string_view text) {
  if (text.size() > kClaimsFileBytesMax) {
    return domain::RefuseInvalid(
        absl::StrCat("the claims file has ", text.size(), " bytes, over kClaimsFileBytesMax (",
                     kClaimsFileBytesMax, ")"),
        absl::StrCat("报告数字文件有", text.size(), "字节，超过上限", kClaimsFileBytesMax, "字节"));
  }
  if (!IsValidUtf8(text)) {
    return domain::RefuseInvalid("the claims file is not UTF-8",
                                 "报告数字文件不是 UTF-8 编码（请另存为 UTF-8）");
  }
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // a BOM, as Windows editors write
  Claims claims;
  std::string section;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (absl::ConsumePrefix(&line, "[")) {
      if (!absl::ConsumeSuffix(&line, "]")) {
        return LineError(line_number, "a section opens with [ and closes with ]",
                         "小节标题应写在 [ ] 之中");
      }
      section = std::string(absl::StripAsciiWhitespace(line));
      continue;
    }
    const std::vector<absl::string_view> sides = absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (sides.size() != 2) {
      return LineError(line_number,
                       absl::StrCat("expected KEY = NUMBER or WHOLE = PART + PART, not ",
                                    domain::QuoteValue(line)),
                       absl::StrCat("应为“指标 = 数值”或“总数 = 分项 + 分项”，而不是",
                                    domain::QuoteValue(line)));
    }
    const std::string key(absl::StripAsciiWhitespace(sides[0]));
    absl::string_view value = absl::StripAsciiWhitespace(sides[1]);
    if (claims.figures.size() + claims.compositions.size() >= kClaimsMax) {
      return LineError(line_number, absl::StrCat("more than kClaimsMax (", kClaimsMax, ") figures"),
                       absl::StrCat("数字超过", kClaimsMax, "个的上限"));
    }
    // A composition: WHOLE = PART + PART …
    if (absl::StrContains(value, '+')) {
      Composition c;
      c.whole = key;
      for (absl::string_view part : absl::StrSplit(value, '+')) {
        c.parts.emplace_back(absl::StripAsciiWhitespace(part));
      }
      for (const std::string& name : c.parts) {
        if (!IsMetricName(name)) {
          return LineError(line_number,
                           absl::StrCat(domain::QuoteValue(name), " is not a metric's name"),
                           absl::StrCat(domain::QuoteValue(name), "不是指标名称"));
        }
      }
      if (c.parts.size() > kPartsMax) {
        return LineError(line_number, absl::StrCat("more than ", kPartsMax, " parts"),
                         absl::StrCat("分项超过", kPartsMax, "个"));
      }
      if (!IsMetricName(c.whole) || c.parts.size() < 2) {
        return LineError(line_number, "a composition is WHOLE = PART + PART [+ …]",
                         "分项构成应写作“总数 = 分项 + 分项 [+ …]”");
      }
      c.section = section;
      c.line = line_number;
      claims.compositions.push_back(std::move(c));
      continue;
    }
    Claim claim;
    claim.key = key;
    claim.section = section;
    claim.line = line_number;
    const bool percent = absl::ConsumeSuffix(&value, "%");
    std::optional<Quoted> number = ParseNumber(absl::StripAsciiWhitespace(value));
    if (!number) {
      return LineError(
          line_number,
          absl::StrCat(domain::QuoteValue(sides[1]),
                       " is not a number (万元 or a percentage, at most six decimals)"),
          absl::StrCat(domain::QuoteValue(sides[1]), "不是数值（万元或百分数，最多六位小数）"));
    }
    number->text = std::string(absl::StripAsciiWhitespace(sides[1]));
    if (!percent && std::abs(number->units) / Pow10(number->decimals) > kYuanMax / 10'000) {
      return LineError(line_number, absl::StrCat(number->text, " 万元 is beyond any budget"),
                       absl::StrCat(number->text, "万元超出任何预算的范围"));
    }
    if (percent && std::abs(number->units) / Pow10(number->decimals) > kPercentMax) {
      return LineError(line_number, absl::StrCat(number->text, " is beyond any percentage quoted"),
                       absl::StrCat(number->text, "超出百分数的合理范围"));
    }
    claim.value = *number;
    const size_t dot = key.find('.');
    claim.metric = key.substr(0, dot);
    const absl::string_view suffix =
        dot == std::string::npos ? absl::string_view() : absl::string_view(key).substr(dot + 1);
    if (suffix.empty()) {
      claim.kind = Claim::Kind::kAmount;
    } else if (suffix == kLastYear) {
      claim.kind = Claim::Kind::kLastYear;
    } else if (suffix == kChange) {
      claim.kind = Claim::Kind::kChange;
    } else if (suffix == kChangeRate) {
      claim.kind = Claim::Kind::kChangeRate;
    } else if (absl::StartsWith(suffix, kShareOf) && suffix.size() > kShareOf.size()) {
      claim.kind = Claim::Kind::kShare;
      claim.whole = std::string(suffix.substr(kShareOf.size()));
    } else {
      return LineError(line_number,
                       absl::StrCat(domain::QuoteValue(key),
                                    ": after the '.' comes 上年, 增减, 增减率 or 占 and a whole"),
                       absl::StrCat(domain::QuoteValue(key),
                                    "：“.”之后应为 上年、增减、增减率 或 占（总数名称）"));
    }
    const bool wants_percent =
        claim.kind == Claim::Kind::kChangeRate || claim.kind == Claim::Kind::kShare;
    if (wants_percent != percent) {
      return LineError(
          line_number,
          absl::StrCat(domain::QuoteValue(key), wants_percent
                                                    ? " is a percentage: end it with %"
                                                    : " is an amount in 万元, not a percentage"),
          absl::StrCat(domain::QuoteValue(key),
                       wants_percent ? "是百分数，应以 % 结尾" : "是金额（万元），不是百分数"));
    }
    if (!IsMetricName(claim.metric) ||
        (claim.kind == Claim::Kind::kShare && !IsMetricName(claim.whole))) {
      return LineError(line_number,
                       absl::StrCat(domain::QuoteValue(key), " is not a metric's name"),
                       absl::StrCat(domain::QuoteValue(key), "不是指标名称"));
    }
    claims.figures.push_back(std::move(claim));
  }
  return claims;
}

const std::vector<std::string>& LedgerMetrics() {
  static const std::vector<std::string>* const kMetrics =
      new std::vector<std::string>{"收支总计",
                                   "收入总计",
                                   "支出总计",
                                   "本年收入合计",
                                   "年初结转和结余",
                                   "本年支出合计",
                                   "年末结转和结余",
                                   "基本支出",
                                   "项目支出",
                                   "人员经费",
                                   "公用经费",
                                   "机关运行经费",
                                   "三公经费",
                                   "因公出国（境）费",
                                   "公务用车购置及运行维护费",
                                   "公务接待费",
                                   "财政拨款收支总计",
                                   "一般公共预算财政拨款收入",
                                   "一般公共预算财政拨款支出",
                                   "政府性基金预算财政拨款收入",
                                   "政府性基金预算财政拨款支出",
                                   "国有资本经营预算财政拨款支出",
                                   "一般公共预算财政拨款基本支出"};
  return *kMetrics;
}

namespace {

namespace pb = ::reformlog::domain::v1;

void AddYear(const api::GetFinalAccountsResponse& a, const api::GetBudgetResponse& b,
             absl::string_view suffix, Ledger& ledger) {
  auto put = [&](absl::string_view metric, int64_t fen) {
    ledger[absl::StrCat(metric, suffix)] = fen;
  };
  put("收支总计", a.income_total_fen());
  put("收入总计", a.income_total_fen());
  put("支出总计", a.expenditure_total_fen());
  put("本年收入合计", a.current_income_fen());
  put("年初结转和结余", a.carried_in_fen());
  put("本年支出合计", a.current_expenditure_fen());
  put("年末结转和结余", a.carried_out_fen());
  put("基本支出", a.basic_fen());
  put("项目支出", a.project_fen());
  put("人员经费", a.personnel_fen());
  put("公用经费", a.public_use_fen());
  if (b.agency_operating_applicable()) put("机关运行经费", b.agency_operating().disbursed_fen());
  const api::ThreePublicExpenses& three = b.three_public();
  put("三公经费", three.total().disbursed_fen());
  put("因公出国（境）费", three.overseas_trips().disbursed_fen());
  put("公务用车购置及运行维护费",
      three.vehicle_purchase().disbursed_fen() + three.vehicle_operation().disbursed_fen());
  put("公务接待费", three.reception().disbursed_fen());
  int64_t fiscal_total = 0;
  for (const api::FiscalKindAccount& k : a.fiscal_kinds()) {
    fiscal_total += k.carried_in_fen() + k.income_fen();
    if (k.fund_source() == pb::GENERAL_PUBLIC_BUDGET) {
      put("一般公共预算财政拨款收入", k.income_fen());
      put("一般公共预算财政拨款支出", k.expenditure_fen());
    } else if (k.fund_source() == pb::GOVERNMENT_FUND) {
      put("政府性基金预算财政拨款收入", k.income_fen());
      put("政府性基金预算财政拨款支出", k.expenditure_fen());
    } else if (k.fund_source() == pb::STATE_CAPITAL) {
      put("国有资本经营预算财政拨款支出", k.expenditure_fen());
    }
  }
  put("财政拨款收支总计", fiscal_total);
  int64_t general_basic = 0;
  std::map<std::string, int64_t> by_pair;  // "2013601/30201": 本年支出 of the lines so coded
  for (const api::BudgetLineAmounts& l : b.lines()) {
    if (l.line().fund_source() == pb::GENERAL_PUBLIC_BUDGET && l.line().kind() == pb::BASIC) {
      general_basic += l.amounts().disbursed_fen();
    }
    by_pair[absl::StrCat(l.line().function_code(), "/", l.line().economic_code())] +=
        l.amounts().disbursed_fen();
  }
  put("一般公共预算财政拨款基本支出", general_basic);
  for (const auto& [pair, fen] : by_pair) put(pair, fen);
  for (const auto* rows : {&b.by_function(), &b.by_economic()}) {
    for (const api::CodeAmounts& row : *rows) {
      if (!row.undivided()) put(row.code(), row.amounts().disbursed_fen());
    }
  }
}

}  // namespace

Ledger LedgerOf(const api::GetFinalAccountsResponse& accounts, const api::GetBudgetResponse& budget,
                const api::GetFinalAccountsResponse* last_accounts,
                const api::GetBudgetResponse* last_budget) {
  Ledger ledger;
  AddYear(accounts, budget, "", ledger);
  if (last_accounts != nullptr && last_budget != nullptr) {
    AddYear(*last_accounts, *last_budget, absl::StrCat(".", kLastYear), ledger);
  }
  return ledger;
}

std::string ClaimsOf(const Ledger& ledger) {
  std::string out =
      "# 部门决算情况说明中的数字（万元；百分数带 %），由账生成：reformctl report reconcile "
      "核对无误\n";
  auto value = [&](const std::string& key) -> std::optional<int64_t> {
    auto it = ledger.find(key);
    if (it == ledger.end()) return std::nullopt;
    return it->second;
  };
  auto amount = [&](const std::string& key) {
    if (auto v = value(key)) absl::StrAppend(&out, key, " = ", WanText(*v, 2), "\n");
  };
  // X, X.上年, X.增减, X.增减率 (the last three when last year is in the ledger).
  auto with_last_year = [&](const std::string& key) {
    amount(key);
    auto now = value(key);
    auto last = value(absl::StrCat(key, ".", kLastYear));
    if (!now || !last) return;
    absl::StrAppend(&out, key, ".", kLastYear, " = ", WanText(*last, 2), "\n", key, ".", kChange,
                    " = ", WanText(*now - *last, 2), "\n");
    if (*last != 0) {
      absl::StrAppend(&out, key, ".", kChangeRate, " = ",
                      PercentText(RatioMicro(*now - *last, *last)), "\n");
    }
  };
  // `whole` = Σ `parts`, each part's share of it.
  auto composition = [&](const std::string& whole, const std::vector<std::string>& parts) {
    auto w = value(whole);
    if (!w) return;
    std::vector<std::string> present;
    for (const std::string& p : parts) {
      auto v = value(p);
      if (!v) continue;
      present.push_back(p);
      amount(p);
      if (*w != 0) {
        absl::StrAppend(&out, p, ".", kShareOf, whole, " = ", PercentText(RatioMicro(*v, *w)),
                        "\n");
      }
    }
    if (present.size() >= 2)
      absl::StrAppend(&out, whole, " = ", absl::StrJoin(present, " + "), "\n");
  };
  auto section = [&](const char* title) { absl::StrAppend(&out, "\n[", title, "]\n"); };

  section("一、收入支出决算总体情况说明");
  with_last_year("收支总计");
  section("二、收入决算情况说明");
  amount("收入总计");
  composition("收入总计", {"本年收入合计", "年初结转和结余"});
  amount("一般公共预算财政拨款收入");
  section("三、支出决算情况说明");
  amount("本年支出合计");
  composition("本年支出合计", {"基本支出", "项目支出"});
  section("四、财政拨款收入支出决算总体情况说明");
  with_last_year("财政拨款收支总计");
  section("五、一般公共预算财政拨款支出决算情况说明");
  with_last_year("一般公共预算财政拨款支出");
  for (const auto& [key, fen] : ledger) {
    // The 项 of 支出功能分类: seven digits, this year.
    if (key.size() == 7 && std::all_of(key.begin(), key.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      absl::StrAppend(&out, key, " = ", WanText(fen, 2), "\n");
    }
  }
  section("六、基本支出决算情况说明");
  amount("基本支出");
  amount("人员经费");
  amount("公用经费");
  section("七、“三公”经费财政拨款支出决算情况说明");
  amount("三公经费");
  amount("因公出国（境）费");
  amount("公务用车购置及运行维护费");
  amount("公务接待费");
  section("八、政府性基金预算支出决算情况说明");
  amount("政府性基金预算财政拨款支出");
  section("九、国有资本经营预算支出决算情况说明");
  amount("国有资本经营预算财政拨款支出");
  section("十、机关运行经费支出情况");
  with_last_year("机关运行经费");
  return out;
}

std::vector<Finding> Reconcile(const Claims& claims, const Ledger& ledger) {
  std::vector<Finding> out;
  auto add = [&](Finding::Kind kind, const std::string& section, int line, std::string zh,
                 std::string en) {
    out.push_back({kind, section, line, std::move(zh), std::move(en)});
  };

  // Every quote of every key, in the file's order. A quote with a value no earlier quote of its
  // key had is a duplicate (of the first quote).
  std::map<std::string, std::vector<const Claim*>> quotes;
  std::vector<bool> new_value(claims.figures.size(), true);
  for (size_t i = 0; i < claims.figures.size(); ++i) {
    const Claim& c = claims.figures[i];
    std::vector<const Claim*>& earlier = quotes[c.key];
    for (const Claim* e : earlier) {
      if (Pow10(kDecimalsMax - e->value.decimals) * e->value.units ==
          Pow10(kDecimalsMax - c.value.decimals) * c.value.units) {
        new_value[i] = false;
      }
    }
    earlier.push_back(&c);
    if (earlier.size() == 1 || !new_value[i]) continue;
    const Claim& before = *earlier.front();
    add(Finding::Kind::kDuplicate, c.section, c.line,
        absl::StrCat(c.key, "：", Where(before.section, before.line), "为 ", before.value.text,
                     "，", Where(c.section, c.line), "为 ", c.value.text, "——同一指标两个数"),
        absl::StrCat(c.key, ": ", before.value.text, " at ", WhereEn(before.section, before.line),
                     " but ", c.value.text, " at ", WhereEn(c.section, c.line),
                     ": one metric, two values"));
  }
  // The quote of `key` a figure on `line` refers to: the last at or before it, else the first.
  auto quoted_at = [&](const std::string& key, int line) -> const Claim* {
    auto it = quotes.find(key);
    if (it == quotes.end()) return nullptr;
    const Claim* at = it->second.front();
    for (const Claim* q : it->second) {
      if (q->line <= line) at = q;
    }
    return at;
  };

  for (size_t i = 0; i < claims.figures.size(); ++i) {
    const Claim& c = claims.figures[i];
    if (!new_value[i]) continue;  // the same value was checked at an earlier quote
    auto amount = [&](const std::string& key) { return quoted_at(key, c.line); };
    switch (c.kind) {
      case Claim::Kind::kAmount:
      case Claim::Kind::kLastYear:
      case Claim::Kind::kChange: {
        const std::string this_key = c.metric;
        const std::string last_key = absl::StrCat(c.metric, ".", kLastYear);
        std::optional<int64_t> ledger_fen;
        if (c.kind == Claim::Kind::kChange) {
          auto t = ledger.find(this_key);
          auto l = ledger.find(last_key);
          if (t != ledger.end() && l != ledger.end()) ledger_fen = t->second - l->second;
        } else {
          auto it = ledger.find(c.kind == Claim::Kind::kAmount ? this_key : last_key);
          if (it != ledger.end()) ledger_fen = it->second;
        }
        const bool known = ledger.contains(this_key) ||
                           (c.kind == Claim::Kind::kLastYear && ledger.contains(last_key));
        const bool first_quote = quotes.at(c.key).front() == &c;
        if (!known && !first_quote) {
          // said at its first quote
        } else if (!known) {
          add(Finding::Kind::kNotInLedger, c.section, c.line,
              absl::StrCat(c.key, "：账中无此指标，只与报告自身核对"),
              absl::StrCat(c.key,
                           ": the ledger has no such metric; checked against the report only"));
        } else if (ledger_fen) {
          const std::string ledger_text = WanText(*ledger_fen, c.value.decimals);
          if (ledger_text != WanText(FenOf(c.value), c.value.decimals)) {
            add(Finding::Kind::kLedger, c.section, c.line,
                absl::StrCat(c.key, "：报告为 ", c.value.text, " 万元，账载 ",
                             WanText(*ledger_fen, std::max(c.value.decimals, 2)), " 万元（差 ",
                             WanText(FenOf(c.value) - *ledger_fen, std::max(c.value.decimals, 2)),
                             "）"),
                absl::StrCat(c.key, ": the report says ", c.value.text, " 万元, the ledger ",
                             WanText(*ledger_fen, std::max(c.value.decimals, 2)), " 万元"));
          }
        } else if (c.kind == Claim::Kind::kLastYear || c.kind == Claim::Kind::kChange) {
          add(Finding::Kind::kNotInLedger, c.section, c.line,
              absl::StrCat(c.key, "：账中无上年数，只与报告自身核对"),
              absl::StrCat(c.key,
                           ": the ledger has no book of the year before; checked against "
                           "the report only"));
        }
        if (c.kind == Claim::Kind::kChange) {
          const Claim* t = amount(this_key);
          const Claim* l = amount(last_key);
          if (t != nullptr && l != nullptr) {
            const int64_t exact = FenOf(t->value) - FenOf(l->value);
            const int64_t slack = HalfUnit(t->value) + HalfUnit(l->value) + HalfUnit(c.value);
            if (std::abs(exact - FenOf(c.value)) > slack) {
              add(Finding::Kind::kChange, c.section, c.line,
                  absl::StrCat(c.key, " 为 ", c.value.text, "，而 ", t->value.text, " − ",
                               l->value.text, " = ", WanText(exact, 2)),
                  absl::StrCat(c.key, " is ", c.value.text, " but ", t->value.text, " − ",
                               l->value.text, " = ", WanText(exact, 2)));
            }
          }
        }
        break;
      }
      case Claim::Kind::kChangeRate: {
        const Claim* t = amount(c.metric);
        const Claim* l = amount(absl::StrCat(c.metric, ".", kLastYear));
        const Claim* d = amount(absl::StrCat(c.metric, ".", kChange));
        std::optional<int64_t> change, last;
        if (d != nullptr) change = FenOf(d->value);
        if (!change && t != nullptr && l != nullptr) change = FenOf(t->value) - FenOf(l->value);
        if (l != nullptr) last = FenOf(l->value);
        if (!last && t != nullptr && change) last = FenOf(t->value) - *change;
        if (!change || !last || *last == 0) break;
        const int64_t exact = RatioMicro(*change, *last);
        const int64_t slack = HalfUnit(c.value) + kRatioSlackMicro;
        if (std::abs(exact - MicroOf(c.value)) <= slack) break;
        std::string zh = absl::StrCat(c.key, " 为 ", c.value.text, "，而 ", WanText(*change, 2),
                                      " ÷ ", WanText(*last, 2), " = ", PercentText(exact));
        std::string en = absl::StrCat(c.key, " is ", c.value.text, " but ", WanText(*change, 2),
                                      " / ", WanText(*last, 2), " = ", PercentText(exact));
        if (t != nullptr && FenOf(t->value) != 0 &&
            std::abs(RatioMicro(*change, FenOf(t->value)) - MicroOf(c.value)) <= slack) {
          absl::StrAppend(&zh, "（所报增减率是以本年数 ", t->value.text, " 为分母算出的）");
          absl::StrAppend(&en, " (the rate quoted divides by this year's ", t->value.text, ")");
        }
        add(Finding::Kind::kRate, c.section, c.line, std::move(zh), std::move(en));
        break;
      }
      case Claim::Kind::kShare: {
        const Claim* part = amount(c.metric);
        const Claim* whole = amount(c.whole);
        if (part == nullptr || whole == nullptr || FenOf(whole->value) == 0) break;
        const int64_t exact = RatioMicro(FenOf(part->value), FenOf(whole->value));
        if (std::abs(exact - MicroOf(c.value)) <= HalfUnit(c.value) + kRatioSlackMicro) break;
        add(Finding::Kind::kShare, c.section, c.line,
            absl::StrCat(c.metric, "占", c.whole, "为 ", c.value.text, "，而 ", part->value.text,
                         " ÷ ", whole->value.text, " = ", PercentText(exact)),
            absl::StrCat(c.metric, " as a share of ", c.whole, " is ", c.value.text, " but ",
                         part->value.text, " / ", whole->value.text, " = ", PercentText(exact)));
        break;
      }
    }
  }

  for (const Composition& comp : claims.compositions) {
    auto amount = [&](const std::string& key) { return quoted_at(key, comp.line); };
    const Claim* whole = amount(comp.whole);
    std::vector<const Claim*> parts;
    for (const std::string& p : comp.parts) parts.push_back(amount(p));
    const bool all =
        whole != nullptr && std::find(parts.begin(), parts.end(), nullptr) == parts.end();
    if (all) {
      int64_t sum = 0;
      int64_t slack = HalfUnit(whole->value);
      std::vector<std::string> texts;
      for (const Claim* p : parts) {
        sum += FenOf(p->value);
        slack += HalfUnit(p->value);
        texts.push_back(p->value.text);
      }
      if (std::abs(sum - FenOf(whole->value)) > slack) {
        add(Finding::Kind::kSum, comp.section, comp.line,
            absl::StrCat(comp.whole, " 为 ", whole->value.text, "，而 ",
                         absl::StrJoin(comp.parts, " + "), " = ", absl::StrJoin(texts, " + "),
                         " = ", WanText(sum, 2), "（差 ", WanText(FenOf(whole->value) - sum, 2),
                         "）"),
            absl::StrCat(comp.whole, " is ", whole->value.text, " but ",
                         absl::StrJoin(comp.parts, " + "), " = ", absl::StrJoin(texts, " + "),
                         " = ", WanText(sum, 2)));
      }
    }
    // The shares quoted of every part: they add up to 100%.
    int64_t share_sum = 0;
    int64_t share_slack = 0;
    std::vector<std::string> share_texts;
    bool every_share = true;
    for (const std::string& p : comp.parts) {
      const Claim* s = amount(absl::StrCat(p, ".", kShareOf, comp.whole));
      if (s == nullptr) {
        every_share = false;
        break;
      }
      share_sum += MicroOf(s->value);
      share_slack += HalfUnit(s->value);
      share_texts.push_back(s->value.text);
    }
    const int64_t hundred = 100 * Pow10(kDecimalsMax);
    if (every_share && std::abs(share_sum - hundred) > share_slack) {
      add(Finding::Kind::kSharesSum, comp.section, comp.line,
          absl::StrCat(absl::StrJoin(comp.parts, "、"), "占", comp.whole, "的比重合计 ",
                       absl::StrJoin(share_texts, " + "), " = ", PercentText(share_sum),
                       "，不是 100%"),
          absl::StrCat("the shares of ", absl::StrJoin(comp.parts, ", "), " in ", comp.whole,
                       " add up to ", absl::StrJoin(share_texts, " + "), " = ",
                       PercentText(share_sum), ", not 100%"));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return a.line < b.line; });
  return out;
}

}  // namespace reformlog::ctl::reconcile
