#include "projections/budget/budget_summary.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "projections/budget/budget_code_keys.h"
#include "projections/budget/budget_projection.h"

namespace reformlog::projections {
namespace {

using budget_internal::AddUnchecked;
using budget_internal::CodeKeyLength;
using budget_internal::CodeKeyOf;
using budget_internal::CodeOf;
using budget_internal::DeriveAmounts;
using budget_internal::ExecutionRateFits;
using budget_internal::kNoCodeKey;
using budget_internal::kPersonnelClassKeys;
using budget_internal::kPublicUseClassKeys;
using budget_internal::kRollupBoundFenMax;
using budget_internal::kThreePublicItems;
using budget_internal::MagnitudeBound;
using budget_internal::PrefixKey;
using budget_internal::ThreePublicItem;
using budget_internal::WithinAmountLimit;

// The amounts of one line; OUT_OF_RANGE beyond the write side's limit.
absl::StatusOr<Amounts> AmountsOf(const rm::LineTotals& t, absl::string_view what) {
  const std::pair<const char*, int64_t> totals[] = {{"appropriated", t.appropriated_fen()},
                                                    {"adjusted", t.adjusted_fen()},
                                                    {"income", t.income_fen()},
                                                    {"carried in", t.carried_in_fen()},
                                                    {"disbursed", t.disbursed_fen()},
                                                    {"carried out", t.carried_out_fen()}};
  for (const auto& [name, fen] : totals) {
    if (!WithinAmountLimit(fen)) {
      return absl::OutOfRangeError(absl::StrCat(what, ": ", name, " ", fen,
                                                " fen is beyond ±kAmountFenMax (",
                                                domain::kAmountFenMax, " fen)"));
    }
  }
  return DeriveAmounts(t);
}

bool InClasses(const std::string& code, const std::array<absl::string_view, 2>& classes) {
  const absl::string_view cls = absl::string_view(code).substr(0, kEconomicClassDigits);
  return std::find(classes.begin(), classes.end(), cls) != classes.end();
}

using CodeRows = std::map<std::pair<std::string, int>, CodeRow>;

// Adds a line to the rows of every level of its code (see "Roll-ups" in the header).
template <size_t N>
absl::Status AddToCodeRows(CodeRows& rows, const std::string& code,
                           const std::array<size_t, N>& level_digits, const Amounts& amounts,
                           absl::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    const int level = static_cast<int>(i) + 1;
    const std::string key = code.substr(0, std::min(level_digits[i], code.size()));
    CodeRow& row = rows[{key, level}];
    row.code = key;
    row.level = level;
    row.undivided = code.size() < level_digits[i];
    if (absl::Status s = AddAmounts(row.amounts, amounts, absl::StrCat(what, " ", key)); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

std::vector<CodeRow> Flatten(CodeRows rows) {
  std::vector<CodeRow> out;
  out.reserve(rows.size());
  for (auto& entry : rows) out.push_back(std::move(entry.second));
  return out;
}

// Adds a line's amounts to every roll-up it belongs to, checking every sum and naming the first
// figure that leaves the int64 range. The reference for FastSummarizer (below), which gives way
// to it whenever it cannot vouch for its own result.
class CheckedSummarizer {
 public:
  CheckedSummarizer(const rm::BudgetBook& book, const AgencyProfile& agency, BudgetSummary& s)
      : book_(book), s_(s) {
    s_.agency_id = book.agency_id();
    s_.fiscal_year = book.fiscal_year();
    s_.agency_operating_applicable = ReportsAgencyOperatingExpenses(agency);
    for (const rm::ProjectRecord& p : book.projects()) {
      projects_[p.project_id()].project_id = p.project_id();
      projects_[p.project_id()].name = p.name();
    }
  }

  absl::Status Add(const rm::LineTotals& totals) {
    const dpb::BudgetLine& line = totals.line();
    const std::string what =
        absl::StrCat(BudgetBookKey(book_.agency_id(), book_.fiscal_year()), " ", LineLabel(line));
    absl::StatusOr<Amounts> amounts = AmountsOf(totals, what);
    if (!amounts.ok()) return amounts.status();
    const Amounts& a = *amounts;
    absl::StatusOr<Ratio> rate = ExecutionRate(a, what);
    if (!rate.ok()) return rate.status();
    s_.lines.push_back({line, totals.closed(), a, *rate});
    if (!totals.closed()) ++s_.open_lines;
    std::vector<std::pair<Amounts*, std::string>> targets = {
        {&s_.total, "total"}, {&funds_[line.fund_source()], domain::Label(line.fund_source())}};
    if (line.kind() == dpb::BASIC) {
      targets.emplace_back(&s_.basic, "基本支出");
      if (InClasses(line.economic_code(), kPersonnelEconomicClasses)) {
        targets.emplace_back(&s_.personnel, "人员经费");
      } else if (InClasses(line.economic_code(), kPublicUseEconomicClasses)) {
        targets.emplace_back(&s_.public_use, "公用经费");
        if (s_.agency_operating_applicable)
          targets.emplace_back(&s_.agency_operating, "机关运行经费");
      } else {
        targets.emplace_back(&s_.basic_other, "基本支出 of other economic 类");
      }
    } else if (line.kind() == dpb::PROJECT) {
      targets.emplace_back(&s_.project, "项目支出");
      ProjectAmounts& p = projects_[line.project_id()];
      p.project_id = line.project_id();
      targets.emplace_back(&p.amounts, absl::StrCat("project ", line.project_id()));
    }
    if (domain::IsFiscalAppropriation(line.fund_source())) AddThreePublic(line, targets);
    for (auto& [total, name] : targets) {
      if (absl::Status s = AddAmounts(*total, a, absl::StrCat(what, " into ", name)); !s.ok())
        return s;
    }
    if (absl::Status s =
            AddToCodeRows<3>(function_rows_, line.function_code(),
                             {kFunctionClassDigits, kFunctionSegmentDigits, kFunctionItemDigits}, a,
                             absl::StrCat(what, " into function code"));
        !s.ok())
      return s;
    return AddToCodeRows<2>(economic_rows_, line.economic_code(),
                            {kEconomicClassDigits, kEconomicSegmentDigits}, a,
                            absl::StrCat(what, " into economic code"));
  }

  absl::Status Finish() {
    absl::StatusOr<Ratio> rate = ExecutionRate(s_.total, "total");
    if (!rate.ok()) return rate.status();
    s_.execution_rate = *rate;
    for (auto& [source, amounts] : funds_) s_.by_fund_source.push_back({source, amounts});
    for (auto& [id, p] : projects_) s_.by_project.push_back(std::move(p));
    s_.by_function = Flatten(std::move(function_rows_));
    s_.by_economic = Flatten(std::move(economic_rows_));
    return absl::OkStatus();
  }

 private:
  void AddThreePublic(const dpb::BudgetLine& line,
                      std::vector<std::pair<Amounts*, std::string>>& targets) {
    ThreePublicExpenses& t = s_.three_public;
    const std::pair<const char*, Amounts*> items[] = {
        {kOverseasTripsEconomicCode, &t.overseas_trips},
        {kVehiclePurchaseEconomicCode, &t.vehicle_purchase},
        {kVehicleOperationEconomicCode, &t.vehicle_operation},
        {kReceptionEconomicCode, &t.reception}};
    for (const auto& [code, amounts] : items) {
      if (line.economic_code() != code) continue;
      targets.emplace_back(amounts, absl::StrCat("三公经费 ", code));
      targets.emplace_back(&t.total, "三公经费");
    }
  }

  const rm::BudgetBook& book_;
  BudgetSummary& s_;
  std::map<dpb::FundSource, Amounts> funds_;
  std::map<std::string, ProjectAmounts> projects_;
  CodeRows function_rows_;
  CodeRows economic_rows_;
};

// ---- The fast path ---------------------------------------------------------------------------
//
// FastSummarizer adds without checking each sum, and may: when Σ over the lines of each line's
// |figures| is within int64, no partial sum of any figure over any set of lines, in any order,
// can leave the int64 range — so CheckedSummarizer would succeed with the same sums. Whatever
// it cannot vouch for (that bound exceeded, a line beyond ±kAmountFenMax, a rate that does not
// fit, a code that is not a short digit string — decide writes none of these) makes it give up,
// and CheckedSummarizer computes the result or names the error. Codes are keyed by integers
// that order as the code strings do, so the rows come out in the same order.

struct KeyedAmounts {
  uint64_t key = 0;
  Amounts amounts;
};

// The rows of one classification with levels of `level_digits` digits (see "Roll-ups" in the
// header), from the lines' sums per distinct code. Unchecked sums: under FastSummarizer's bound.
template <size_t N>
class CodeRollup {
 public:
  explicit CodeRollup(const std::array<size_t, N>& level_digits) : level_digits_(level_digits) {}

  void Add(uint64_t code_key, const Amounts& amounts) {
    // Lines come in canonical order, so a line's code is often the one before's.
    if (codes_.empty() || codes_[last_].key != code_key) {
      auto [it, inserted] = index_.try_emplace(code_key, codes_.size());
      if (inserted) codes_.push_back({code_key, Amounts()});
      last_ = it->second;
    }
    AddUnchecked(codes_[last_].amounts, amounts);
  }

  // Depth first, as CheckedSummarizer's map orders them: by code as a string, then level. Each
  // row is opened by the first of the sorted codes under it, which gives that order: cutting
  // sorted codes to a level keeps them sorted, a row's codes are next to each other, and a row
  // opened later at a shallower level sorts after the deeper rows opened before it.
  std::vector<CodeRow> Rows() {
    std::vector<const KeyedAmounts*> sorted;
    sorted.reserve(codes_.size());
    for (const KeyedAmounts& code : codes_) sorted.push_back(&code);
    const auto by_key = [](const KeyedAmounts* a, const KeyedAmounts* b) {
      return a->key < b->key;
    };
    if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) {
      std::sort(sorted.begin(), sorted.end(), by_key);
    }
    std::vector<CodeRow> rows;
    rows.reserve(CountRows(sorted));
    std::array<uint64_t, N> open_key;
    open_key.fill(kNoCodeKey);
    std::array<size_t, N> open_row{};
    for (const KeyedAmounts* code : sorted) {
      for (size_t i = 0; i < N; ++i) {
        const uint64_t key = PrefixKey(code->key, level_digits_[i]);
        if (key != open_key[i]) {
          open_key[i] = key;
          open_row[i] = rows.size();
          rows.push_back({CodeOf(key), static_cast<int>(i) + 1,
                          CodeKeyLength(key) < level_digits_[i], Amounts()});
        }
        AddUnchecked(rows[open_row[i]].amounts, code->amounts);
      }
    }
    return rows;
  }

 private:
  size_t CountRows(const std::vector<const KeyedAmounts*>& sorted) const {
    size_t count = 0;
    std::array<uint64_t, N> open_key;
    open_key.fill(kNoCodeKey);
    for (const KeyedAmounts* code : sorted) {
      for (size_t i = 0; i < N; ++i) {
        const uint64_t key = PrefixKey(code->key, level_digits_[i]);
        if (key != open_key[i]) ++count;
        open_key[i] = key;
      }
    }
    return count;
  }

  const std::array<size_t, N> level_digits_;
  std::vector<KeyedAmounts> codes_;  // one per distinct code, first seen first
  absl::flat_hash_map<uint64_t, size_t> index_;
  size_t last_ = 0;  // the code of the line before
};

class FastSummarizer {
 public:
  FastSummarizer(const rm::BudgetBook& book, const AgencyProfile& agency, SummaryLines lines,
                 BudgetSummary& s)
      : book_(book), lines_(lines), s_(s) {
    s_.agency_id = book.agency_id();
    s_.fiscal_year = book.fiscal_year();
    s_.agency_operating_applicable = ReportsAgencyOperatingExpenses(agency);
    for (const rm::ProjectRecord& p : book.projects()) {
      projects_[p.project_id()].project_id = p.project_id();
      projects_[p.project_id()].name = p.name();
    }
    if (lines_ == SummaryLines::kInclude) s_.lines.reserve(static_cast<size_t>(book.lines_size()));
  }

  // False when it cannot vouch for the result (see above); `s` is then incomplete.
  bool Run() {
    for (const rm::LineTotals& line : book_.lines()) {
      if (!Add(line)) return false;
    }
    return Finish();
  }

 private:
  bool Add(const rm::LineTotals& totals) {
    if (!WithinAmountLimit(totals)) return false;
    const Amounts a = DeriveAmounts(totals);
    bound_fen_ += MagnitudeBound(a);  // ≤ 2^63 + 6·10^15: cannot wrap
    if (bound_fen_ > kRollupBoundFenMax) return false;
    const dpb::BudgetLine& line = totals.line();
    const std::optional<uint64_t> function_key = CodeKeyOf(line.function_code());
    const std::optional<uint64_t> economic_key = CodeKeyOf(line.economic_code());
    if (!function_key.has_value() || !economic_key.has_value()) return false;
    if (lines_ == SummaryLines::kInclude) {
      absl::StatusOr<Ratio> rate = RatioOf(a.disbursed_fen, a.budget_fen, "");
      if (!rate.ok()) return false;
      s_.lines.push_back({line, totals.closed(), a, *rate});
    } else if (!ExecutionRateFits(a)) {
      return false;
    }
    if (!totals.closed()) ++s_.open_lines;
    AddUnchecked(s_.total, a);
    AddUnchecked(FundOf(line.fund_source()), a);
    if (line.kind() == dpb::BASIC) {
      AddBasic(*economic_key, a);
    } else if (line.kind() == dpb::PROJECT) {
      AddUnchecked(s_.project, a);
      AddUnchecked(ProjectOf(line.project_id()), a);
    }
    if (domain::IsFiscalAppropriation(line.fund_source())) AddThreePublic(*economic_key, a);
    function_rows_.Add(*function_key, a);
    economic_rows_.Add(*economic_key, a);
    return true;
  }

  void AddBasic(uint64_t economic_key, const Amounts& a) {
    AddUnchecked(s_.basic, a);
    const uint64_t class_key = PrefixKey(economic_key, kEconomicClassDigits);
    const auto in = [class_key](const std::array<uint64_t, 2>& classes) {
      return std::find(classes.begin(), classes.end(), class_key) != classes.end();
    };
    if (in(kPersonnelClassKeys)) {
      AddUnchecked(s_.personnel, a);
    } else if (in(kPublicUseClassKeys)) {
      AddUnchecked(s_.public_use, a);
      if (s_.agency_operating_applicable) AddUnchecked(s_.agency_operating, a);
    } else {
      AddUnchecked(s_.basic_other, a);
    }
  }

  void AddThreePublic(uint64_t economic_key, const Amounts& a) {
    for (const ThreePublicItem& item : kThreePublicItems) {
      if (economic_key != item.economic_key) continue;
      AddUnchecked(s_.three_public.*item.amounts, a);
      AddUnchecked(s_.three_public.total, a);
    }
  }

  // Lines come in canonical order: a line's fund source and project are most often the ones
  // of the line before.
  Amounts& FundOf(dpb::FundSource source) {
    if (fund_ == nullptr || fund_->fund_source != source) {
      auto it = std::find_if(funds_.begin(), funds_.end(), [source](const FundSourceRow& row) {
        return row.fund_source == source;
      });
      if (it == funds_.end()) it = funds_.insert(funds_.end(), {source, Amounts()});
      fund_ = &*it;
    }
    return fund_->amounts;
  }

  Amounts& ProjectOf(const std::string& project_id) {
    if (project_ == nullptr || project_->project_id != project_id) {
      project_ = &projects_[project_id];
      project_->project_id = project_id;
    }
    return project_->amounts;
  }

  bool Finish() {
    const absl::StatusOr<Ratio> rate = RatioOf(s_.total.disbursed_fen, s_.total.budget_fen, "");
    if (!rate.ok()) return false;
    s_.execution_rate = *rate;
    std::sort(funds_.begin(), funds_.end(), [](const FundSourceRow& a, const FundSourceRow& b) {
      return a.fund_source < b.fund_source;
    });
    s_.by_fund_source = std::move(funds_);
    s_.by_project.reserve(projects_.size());
    for (auto& [id, p] : projects_) s_.by_project.push_back(std::move(p));
    s_.by_function = function_rows_.Rows();
    s_.by_economic = economic_rows_.Rows();
    return true;
  }

  const rm::BudgetBook& book_;
  const SummaryLines lines_;
  BudgetSummary& s_;
  uint64_t bound_fen_ = 0;            // Σ of MagnitudeBound of the lines so far
  std::vector<FundSourceRow> funds_;  // a handful: one per fund source
  FundSourceRow* fund_ = nullptr;     // the line before's, in funds_
  std::map<std::string, ProjectAmounts> projects_;
  ProjectAmounts* project_ = nullptr;  // the line before's
  CodeRollup<3> function_rows_{{kFunctionClassDigits, kFunctionSegmentDigits, kFunctionItemDigits}};
  CodeRollup<2> economic_rows_{{kEconomicClassDigits, kEconomicSegmentDigits}};
};

}  // namespace

bool ReportsAgencyOperatingExpenses(const AgencyProfile& agency) {
  return domain::IsPartyOrGovernmentOrgan(agency.kind) ||
         (agency.kind == dpb::PUBLIC_INSTITUTION && agency.civil_servant_managed);
}

absl::StatusOr<BudgetSummary> SummarizeBudget(const rm::BudgetBook& book,
                                              const AgencyProfile& agency, SummaryLines lines) {
  {
    BudgetSummary s;
    if (FastSummarizer(book, agency, lines, s).Run()) return s;
  }
  BudgetSummary s;
  CheckedSummarizer summarizer(book, agency, s);
  for (const rm::LineTotals& line : book.lines()) {
    if (absl::Status status = summarizer.Add(line); !status.ok()) return status;
  }
  if (absl::Status status = summarizer.Finish(); !status.ok()) return status;
  if (lines == SummaryLines::kOmit) s.lines.clear();
  return s;
}

std::string LineLabel(const dpb::BudgetLine& line) {
  std::string label = absl::StrCat(domain::Label(line.fund_source()), " ", line.function_code(),
                                   "/", line.economic_code(), " ", domain::Label(line.kind()));
  if (!line.project_id().empty()) absl::StrAppend(&label, " ", line.project_id());
  return label;
}

}  // namespace reformlog::projections
