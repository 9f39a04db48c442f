#include "services/domain/budget_decide.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/classification.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

// The budget a line command writes to and the line it names.
struct LineTarget {
  std::string stream;  // budget-{agency}-{year}
  std::string name;  // "budget-a-2019 一般公共预算 2013601/30201 基本支出", for messages
  std::string name_zh;  // 「攀枝花市西区委编办2019年 一般公共预算 2013601/30201 基本支出」
  const BudgetState* budget = nullptr;
  const BudgetState::Line* line = nullptr;  // null while the line has no event

  int64_t Available() const { return line == nullptr ? 0 : line->Available(); }
};

absl::Status ValidateLine(const pb::BudgetLine& line) {
  if (!pb::FundSource_IsValid(line.fund_source()) ||
      line.fund_source() == pb::FUND_SOURCE_UNSPECIFIED) {
    return RefuseInvalid("line.fund_source is missing or unknown",
                         "line.fund_source（资金来源）缺失或无法识别");
  }
  RETURN_IF_ERROR(ValidateFunctionCode("line.function_code", line.function_code()));
  RETURN_IF_ERROR(ValidateEconomicCode("line.economic_code", line.economic_code()));
  if (line.kind() != pb::BASIC && line.kind() != pb::PROJECT) {
    return RefuseInvalid("line.kind is missing or unknown (基本支出 or 项目支出)",
                         "line.kind（支出类型）缺失或无法识别：应为基本支出或项目支出");
  }
  if (line.kind() == pb::PROJECT) {
    if (line.project_id().empty()) {
      return RefuseInvalid("line.project_id is empty: a 项目支出 line names its project",
                           "项目支出须写明所属项目（line.project_id）");
    }
    return ValidateId("line.project_id", line.project_id());
  }
  if (!line.project_id().empty()) {
    return RefuseInvalid(
        absl::StrCat("line.project_id ", QuoteValue(line.project_id()),
                     " is set on a 基本支出 line; only a 项目支出 line names a project"),
        absl::StrCat("基本支出不属于项目，却给了项目编号 ", QuoteValue(line.project_id())));
  }
  return absl::OkStatus();
}

// What every line command checks before it reads any state.
absl::Status ValidateLineRequest(int fiscal_year, const pb::BudgetLine& line) {
  RETURN_IF_ERROR(ValidateFiscalYear(fiscal_year));
  RETURN_IF_ERROR(ValidateLine(line));
  return ValidateLineCodes(fiscal_year, line.fund_source(), line.function_code(),
                           line.economic_code());
}

absl::Status ValidateAmount(absl::string_view field, int64_t fen, int64_t min_fen) {
  if (fen < min_fen || fen > kAmountFenMax) {
    return RefuseInvalid(absl::StrCat(field, " ", fen, " is outside ", min_fen, "–", kAmountFenMax,
                                      " fen (kAmountFenMax)"),
                         absl::StrCat(field, "（金额）", Yuan(fen), " 不在 ", Yuan(min_fen), "–",
                                      Yuan(kAmountFenMax), " 之内"));
  }
  return absl::OkStatus();
}

// Money arrives on a 财政拨款 line by appropriation and on any other line as income: one way
// each, so no money is counted twice.
absl::Status CheckArrival(const pb::BudgetLine& line, bool by_appropriation) {
  const bool fiscal = IsFiscalAppropriation(line.fund_source());
  if (fiscal == by_appropriation) return absl::OkStatus();
  const std::string source = Label(line.fund_source());
  return RefuseInvalid(
      fiscal
          ? absl::StrCat("line.fund_source ", source,
                         " is 财政拨款: it arrives by appropriation (Appropriate), not as income")
          : absl::StrCat("line.fund_source ", source,
                         " is not 财政拨款: it arrives as income (RecordIncome), not by "
                         "appropriation or adjustment"),
      fiscal ? absl::StrCat(source, "属财政拨款：经预算批复安排，不作为收入登记")
             : absl::StrCat(source, "不是财政拨款：作为收入登记，不经预算批复或调整"));
}

// The budget of an active agency.
absl::StatusOr<const BudgetState*> OpenBudget(StateView& view, absl::string_view agency_id,
                                              int fiscal_year) {
  RETURN_IF_ERROR(ActiveAgency(view, "agency_id", agency_id).status());
  return view.Budget(agency_id, fiscal_year);
}

// The line `line` (already validated) of an active agency's budget; a 项目支出 line's project
// must be defined in that budget.
absl::StatusOr<LineTarget> OpenLine(StateView& view, absl::string_view agency_id, int fiscal_year,
                                    const pb::BudgetLine& line) {
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", agency_id));
  ASSIGN_OR_RETURN(const BudgetState* budget, view.Budget(agency_id, fiscal_year));
  LineTarget target;
  target.stream = BudgetStream(agency_id, fiscal_year);
  target.name = absl::StrCat(target.stream, " ", DescribeLine(line));
  target.name_zh = absl::StrCat(agency->NameZh(), fiscal_year, "年 ", DescribeLine(line));
  target.budget = budget;
  if (line.kind() == pb::PROJECT && !budget->projects.contains(line.project_id())) {
    return RefusePrecondition(
        absl::StrCat(target.name, ": project ", line.project_id(), " is not defined in ",
                     target.stream, "; define it (DefineProject) before its lines"),
        absl::StrCat(target.name_zh, "：项目 ", line.project_id(),
                     " 尚未设立；请先设立项目（budget project）再安排其支出"));
  }
  auto it = budget->lines.find(LineKey(line));
  if (it != budget->lines.end()) target.line = &it->second;
  return target;
}

// After its 年末结转 nothing moves on a line: what was carried out is what was left.
absl::Status CheckNotClosed(const LineTarget& target) {
  if (target.line == nullptr || !target.line->closed) return absl::OkStatus();
  return RefusePrecondition(absl::StrCat(target.name, " is closed for the year: its 年末结转 of ",
                                         Yuan(target.line->carried_out_fen), " is recorded"),
                            absl::StrCat(target.name_zh, "已年末结转 ",
                                         Yuan(target.line->carried_out_fen), "，本年度已关闭"));
}

// Each running total of a line stays within ±kAmountFenMax, so Available() cannot overflow.
// Both `total` and `delta` are within ±kAmountFenMax, so their sum cannot either.
// `what_zh`: 预算批复, 预算调整, 收入.
absl::Status CheckTotal(const LineTarget& target, absl::string_view what, absl::string_view what_zh,
                        int64_t total, int64_t delta) {
  const int64_t after = total + delta;
  if (after <= kAmountFenMax && after >= -kAmountFenMax) return absl::OkStatus();
  return RefusePrecondition(
      absl::StrCat(target.name, ": ", what, " ", Yuan(total), " + ", Yuan(delta), " = ",
                   Yuan(after), " is beyond the limit kAmountFenMax (", Yuan(kAmountFenMax), ")"),
      absl::StrCat(target.name_zh, "：", what_zh, "累计 ", Yuan(total), "，加上本次 ", Yuan(delta),
                   " 为 ", Yuan(after), "，超出 ±", Yuan(kAmountFenMax),
                   " 的上限（kAmountFenMax）"));
}

// The Chinese fiscal year is the calendar year (预算法 第十八条).
absl::Status ValidatePaymentDate(absl::string_view date, int fiscal_year) {
  RETURN_IF_ERROR(ValidateDate("date", date, true));
  if (!absl::StartsWith(date, absl::StrCat(fiscal_year, "-"))) {
    return RefuseInvalid(
        absl::StrCat("date ", date, " is outside fiscal year ", fiscal_year, " (1月1日–12月31日)"),
        absl::StrCat("支付日期 ", date, " 不在 ", fiscal_year, " 预算年度（1月1日–12月31日）之内"));
  }
  return absl::OkStatus();
}

// An event of type T on the request's line.
template <typename T, typename Request>
T* EmitOnLine(Decision& decision, const Request& r) {
  auto* e = decision.Emit<T>(BudgetStream(r.agency_id(), r.fiscal_year()));
  e->set_agency_id(r.agency_id());
  e->set_fiscal_year(r.fiscal_year());
  *e->mutable_line() = r.line();
  return e;
}

absl::StatusOr<Decision> RecordOpening(const LineTarget& target,
                                       const api::RecordCarryOverRequest& r) {
  if (target.line != nullptr && target.line->opened) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(target.name, ": 年初结转 of ", Yuan(target.line->carried_in_fen),
                     " is already recorded (once per line and year); requested ",
                     Yuan(r.amount_fen())),
        absl::StrCat(target.name_zh, "已登记年初结转 ", Yuan(target.line->carried_in_fen),
                     "（每个科目每年一次），本次为 ", Yuan(r.amount_fen())));
  }
  RETURN_IF_ERROR(CheckNotClosed(target));
  Decision decision;
  auto* e = EmitOnLine<pb::CarryOverRecorded>(decision, r);
  e->set_kind(pb::OPENING);
  e->set_amount_fen(r.amount_fen());
  return decision;
}

absl::StatusOr<Decision> RecordClosing(const LineTarget& target,
                                       const api::RecordCarryOverRequest& r) {
  if (target.line == nullptr) {
    return RefuseNotFound(absl::StrCat(target.stream, " has no line ", DescribeLine(r.line()),
                                       ": there is nothing to carry out"),
                          absl::StrCat(target.name_zh, " 没有安排，无可结转"));
  }
  if (target.line->closed) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(target.name, ": 年末结转 of ", Yuan(target.line->carried_out_fen),
                     " is already recorded (once per line and year); requested ",
                     Yuan(r.amount_fen())),
        absl::StrCat(target.name_zh, "已登记年末结转 ", Yuan(target.line->carried_out_fen),
                     "（每个科目每年一次），本次为 ", Yuan(r.amount_fen())));
  }
  if (r.amount_fen() != target.Available()) {
    return RefusePrecondition(
        absl::StrCat(target.name, ": 年末结转 ", Yuan(r.amount_fen()), " but available ",
                     Yuan(target.Available()),
                     "; the closing carry-over is exactly what is left on the line"),
        absl::StrCat(target.name_zh, "年末结转 ", Yuan(r.amount_fen()), "，但可用余额为 ",
                     Yuan(target.Available()), "：年末结转须恰为科目的余额"));
  }
  Decision decision;
  auto* e = EmitOnLine<pb::CarryOverRecorded>(decision, r);
  e->set_kind(pb::CLOSING);
  e->set_amount_fen(r.amount_fen());
  return decision;
}

// The level one a level two belongs under (DOMAIN.md §5).
pb::IndicatorLevel1 Level1Of(pb::IndicatorLevel2 level) {
  switch (level) {
    case pb::QUANTITY:
    case pb::QUALITY:
    case pb::TIMELINESS:
    case pb::COST:
      return pb::OUTPUT_INDICATORS;
    case pb::ECONOMIC:
    case pb::SOCIAL:
    case pb::ECOLOGICAL:
    case pb::SUSTAINABLE:
      return pb::BENEFIT_INDICATORS;
    case pb::SERVICE_RECIPIENT:
      return pb::SATISFACTION_INDICATORS;
    default:
      return pb::INDICATOR_LEVEL1_UNSPECIFIED;
  }
}

absl::Status ValidateIndicatorLevels(absl::string_view where, const pb::PerformanceIndicator& i) {
  if (!pb::IndicatorLevel1_IsValid(i.level1()) || i.level1() == pb::INDICATOR_LEVEL1_UNSPECIFIED) {
    return RefuseInvalid(absl::StrCat(where, ".level1 is missing or unknown"),
                         absl::StrCat(where, ".level1（一级指标）缺失或无法识别"));
  }
  if (!pb::IndicatorLevel2_IsValid(i.level2()) || i.level2() == pb::INDICATOR_LEVEL2_UNSPECIFIED) {
    return RefuseInvalid(absl::StrCat(where, ".level2 is missing or unknown"),
                         absl::StrCat(where, ".level2（二级指标）缺失或无法识别"));
  }
  if (Level1Of(i.level2()) != i.level1()) {
    return RefuseInvalid(
        absl::StrCat(where, ".level2 ", Label(i.level2()), " belongs under ",
                     Label(Level1Of(i.level2())), ", not under ", Label(i.level1())),
        absl::StrCat(where, "：二级指标", Label(i.level2()), "属于", Label(Level1Of(i.level2())),
                     "，不属于", Label(i.level1())));
  }
  return absl::OkStatus();
}

absl::Status ValidateIndicatorTarget(absl::string_view where, const pb::PerformanceIndicator& i) {
  if (!pb::IndicatorOperator_IsValid(i.op()) || i.op() == pb::INDICATOR_OPERATOR_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat(where, ".op is missing or unknown (≥, ≤, = or qualitative)"),
        absl::StrCat(where, ".op（指标值比较方式）缺失或无法识别：应为 ≥、≤、= 或定性"));
  }
  const bool qualitative = i.op() == pb::QUALITATIVE;
  RETURN_IF_ERROR(ValidateText(absl::StrCat(where, ".target_text"), i.target_text(), qualitative));
  RETURN_IF_ERROR(ValidateText(absl::StrCat(where, ".unit"), i.unit(), !qualitative));
  if (!qualitative && i.target_milli() < 0) {
    return RefuseInvalid(absl::StrCat(where, ".target_milli ", i.target_milli(), " is negative"),
                         absl::StrCat(where, ".target_milli（指标值）", i.target_milli(),
                                      " 为负数，指标值不能小于零"));
  }
  return absl::OkStatus();
}

absl::Status ValidateIndicator(absl::string_view where, const pb::PerformanceIndicator& i) {
  RETURN_IF_ERROR(ValidateId(absl::StrCat(where, ".indicator_id"), i.indicator_id()));
  RETURN_IF_ERROR(ValidateIndicatorLevels(where, i));
  RETURN_IF_ERROR(ValidateText(absl::StrCat(where, ".name"), i.name(), true));
  return ValidateIndicatorTarget(where, i);
}

absl::Status ValidateIndicators(
    const google::protobuf::RepeatedPtrField<pb::PerformanceIndicator>& indicators) {
  if (indicators.empty()) {
    return RefuseInvalid("indicators is empty: a project states its performance targets (绩效目标)",
                         "indicators（绩效指标）不能为空：项目须设定绩效目标");
  }
  if (indicators.size() > kIndicatorsPerProjectMax) {
    return RefuseInvalid(
        absl::StrCat("indicators has ", indicators.size(),
                     " entries; the limit kIndicatorsPerProjectMax is ", kIndicatorsPerProjectMax),
        absl::StrCat("indicators（绩效指标）有 ", indicators.size(), " 项，超过每个项目 ",
                     kIndicatorsPerProjectMax, " 项的上限（kIndicatorsPerProjectMax）"));
  }
  std::set<std::string> ids;
  for (int i = 0; i < indicators.size(); ++i) {
    const std::string where = absl::StrCat("indicators[", i, "]");
    RETURN_IF_ERROR(ValidateIndicator(where, indicators[i]));
    if (!ids.insert(indicators[i].indicator_id()).second) {
      return RefuseInvalid(
          absl::StrCat(where, ".indicator_id ", indicators[i].indicator_id(), " appears twice"),
          absl::StrCat(where, ".indicator_id：指标 ", indicators[i].indicator_id(), " 重复出现"));
    }
  }
  return absl::OkStatus();
}

// The shape of the actuals, before the project is read: ids valid and each named once.
absl::Status ValidateActuals(
    const google::protobuf::RepeatedPtrField<pb::IndicatorActual>& actuals) {
  if (actuals.empty()) {
    return RefuseInvalid("actuals is empty", "actuals（指标完成值）不能为空");
  }
  if (actuals.size() > kIndicatorsPerProjectMax) {
    return RefuseInvalid(
        absl::StrCat("actuals has ", actuals.size(),
                     " entries; the limit kIndicatorsPerProjectMax is ", kIndicatorsPerProjectMax),
        absl::StrCat("actuals（指标完成值）有 ", actuals.size(), " 项，超过每个项目 ",
                     kIndicatorsPerProjectMax, " 项的上限（kIndicatorsPerProjectMax）"));
  }
  std::set<std::string> ids;
  for (int i = 0; i < actuals.size(); ++i) {
    const std::string where = absl::StrCat("actuals[", i, "]");
    RETURN_IF_ERROR(ValidateId(absl::StrCat(where, ".indicator_id"), actuals[i].indicator_id()));
    RETURN_IF_ERROR(
        ValidateText(absl::StrCat(where, ".actual_text"), actuals[i].actual_text(), false));
    if (!ids.insert(actuals[i].indicator_id()).second) {
      return RefuseInvalid(
          absl::StrCat(where, ".indicator_id ", actuals[i].indicator_id(), " appears twice"),
          absl::StrCat(where, ".indicator_id：指标 ", actuals[i].indicator_id(), " 重复出现"));
    }
  }
  return absl::OkStatus();
}

bool Met(const pb::PerformanceIndicator& indicator, int64_t actual_milli) {
  switch (indicator.op()) {
    case pb::AT_LEAST:
      return actual_milli >= indicator.target_milli();
    case pb::AT_MOST:
      return actual_milli <= indicator.target_milli();
    default:
      return actual_milli == indicator.target_milli();
  }
}

// The actual of `indicator` as recorded: a qualitative one needs its text; a numeric one a
// value ≥ 0, and whether it met its target is derived from the numbers.
absl::StatusOr<pb::IndicatorActual> Judge(absl::string_view where,
                                          const pb::PerformanceIndicator& indicator,
                                          const pb::IndicatorActual& actual) {
  const std::string about =
      absl::StrCat("indicator ", indicator.indicator_id(), " (", indicator.name(), ")");
  const std::string about_zh =
      absl::StrCat("指标 ", indicator.indicator_id(), "（", indicator.name(), "）");
  pb::IndicatorActual judged = actual;
  if (indicator.op() == pb::QUALITATIVE) {
    if (actual.actual_text().empty()) {
      return RefuseInvalid(absl::StrCat(where, ".actual_text is empty: ", about, " is qualitative"),
                           absl::StrCat(where, ".actual_text（完成情况）不能为空：", about_zh,
                                        "是定性指标，须以文字说明完成情况"));
    }
    return judged;
  }
  if (actual.actual_milli() < 0) {
    return RefuseInvalid(
        absl::StrCat(where, ".actual_milli ", actual.actual_milli(), " is negative (", about,
                     ", unit ", indicator.unit(), ")"),
        absl::StrCat(where, ".actual_milli（实际完成值）", actual.actual_milli(), " 为负数（",
                     about_zh, "，计量单位 ", indicator.unit(), "）"));
  }
  judged.set_met(Met(indicator, actual.actual_milli()));
  return judged;
}

}  // namespace

absl::StatusOr<Decision> DecideAppropriate(StateView& view, const api::AppropriateRequest& r) {
  RETURN_IF_ERROR(ValidateLineRequest(r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(ValidateAmount("amount_fen", r.amount_fen(), 1));
  RETURN_IF_ERROR(CheckArrival(r.line(), /*by_appropriation=*/true));
  ASSIGN_OR_RETURN(LineTarget target, OpenLine(view, r.agency_id(), r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(CheckNotClosed(target));
  const int64_t appropriated = target.line == nullptr ? 0 : target.line->appropriated_fen;
  RETURN_IF_ERROR(CheckTotal(target, "appropriated", "预算批复", appropriated, r.amount_fen()));
  Decision decision;
  EmitOnLine<pb::BudgetAppropriated>(decision, r)->set_amount_fen(r.amount_fen());
  return decision;
}

absl::StatusOr<Decision> DecideAdjustBudget(StateView& view, const api::AdjustBudgetRequest& r) {
  RETURN_IF_ERROR(ValidateLineRequest(r.fiscal_year(), r.line()));
  if (r.delta_fen() == 0 || r.delta_fen() > kAmountFenMax || r.delta_fen() < -kAmountFenMax) {
    return RefuseInvalid(absl::StrCat("delta_fen ", r.delta_fen(), " must be non-zero and within ±",
                                      kAmountFenMax, " fen (kAmountFenMax)"),
                         absl::StrCat("调整金额 ", Yuan(r.delta_fen()), " 须不为零且在 ±",
                                      Yuan(kAmountFenMax), " 之内"));
  }
  RETURN_IF_ERROR(ValidateText("reason", r.reason(), true));
  RETURN_IF_ERROR(CheckArrival(r.line(), /*by_appropriation=*/true));
  ASSIGN_OR_RETURN(LineTarget target, OpenLine(view, r.agency_id(), r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(CheckNotClosed(target));
  const int64_t adjusted = target.line == nullptr ? 0 : target.line->adjusted_fen;
  RETURN_IF_ERROR(CheckTotal(target, "adjustments", "预算调整", adjusted, r.delta_fen()));
  const int64_t available = target.Available();
  if (available + r.delta_fen() < 0) {
    const int64_t disbursed = target.line == nullptr ? 0 : target.line->disbursed_fen;
    return RefusePrecondition(
        absl::StrCat(target.name, ": available ", Yuan(available), " (disbursed ", Yuan(disbursed),
                     "), adjustment ", Yuan(r.delta_fen()), " would leave ",
                     Yuan(available + r.delta_fen())),
        absl::StrCat(target.name_zh, "可用余额 ", Yuan(available), "（已支付 ", Yuan(disbursed),
                     "），调减 ", Yuan(-r.delta_fen()), " 后余额将为 ",
                     Yuan(available + r.delta_fen())));
  }
  Decision decision;
  auto* e = EmitOnLine<pb::BudgetAdjusted>(decision, r);
  e->set_delta_fen(r.delta_fen());
  e->set_reason(r.reason());
  return decision;
}

absl::StatusOr<Decision> DecideDisburse(StateView& view, const api::DisburseRequest& r) {
  RETURN_IF_ERROR(ValidateLineRequest(r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(ValidateAmount("amount_fen", r.amount_fen(), 1));
  RETURN_IF_ERROR(ValidateId("disbursement_id", r.disbursement_id()));
  RETURN_IF_ERROR(ValidatePaymentDate(r.date(), r.fiscal_year()));
  RETURN_IF_ERROR(ValidateText("purpose", r.purpose(), true));
  ASSIGN_OR_RETURN(LineTarget target, OpenLine(view, r.agency_id(), r.fiscal_year(), r.line()));
  if (target.budget->disbursement_ids.contains(r.disbursement_id())) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(target.stream, ": disbursement ", r.disbursement_id(), " is already recorded"),
        absl::StrCat(target.name_zh, "：支付凭证 ", r.disbursement_id(), " 已登记"));
  }
  RETURN_IF_ERROR(CheckNotClosed(target));
  if (r.amount_fen() > target.Available()) {
    return RefusePrecondition(absl::StrCat(target.name, ": available ", Yuan(target.Available()),
                                           ", requested ", Yuan(r.amount_fen())),
                              absl::StrCat(target.name_zh, "可用余额 ", Yuan(target.Available()),
                                           "，本次支付 ", Yuan(r.amount_fen()), "，超出余额"));
  }
  Decision decision;
  auto* e = EmitOnLine<pb::FundsDisbursed>(decision, r);
  e->set_amount_fen(r.amount_fen());
  e->set_disbursement_id(r.disbursement_id());
  e->set_date(r.date());
  e->set_purpose(r.purpose());
  return decision;
}

absl::StatusOr<Decision> DecideRecordIncome(StateView& view, const api::RecordIncomeRequest& r) {
  RETURN_IF_ERROR(ValidateLineRequest(r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(ValidateAmount("amount_fen", r.amount_fen(), 1));
  RETURN_IF_ERROR(ValidateText("note", r.note(), false));
  RETURN_IF_ERROR(CheckArrival(r.line(), /*by_appropriation=*/false));
  ASSIGN_OR_RETURN(LineTarget target, OpenLine(view, r.agency_id(), r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(CheckNotClosed(target));
  const int64_t income = target.line == nullptr ? 0 : target.line->income_fen;
  RETURN_IF_ERROR(CheckTotal(target, "income", "收入", income, r.amount_fen()));
  Decision decision;
  auto* e = EmitOnLine<pb::IncomeRecorded>(decision, r);
  e->set_amount_fen(r.amount_fen());
  e->set_note(r.note());
  return decision;
}

namespace {

// Carry-over runs on from year to year: a 年初结转 is the previous year's 年末结转 of the same
// line (none, if the previous year is recorded without that line), and a 年末结转 is the
// next year's 年初结转 when that is recorded already. The other year is read as it stands:
// its 年末结转 is often recorded with the 决算, dated after the next year began. A year before
// which nothing is recorded (the first in the system) starts from what is given.
// FAILED_PRECONDITION naming both figures.
absl::Status CheckCarryOverContinues(StateView& view, const api::RecordCarryOverRequest& r) {
  const std::string key = LineKey(r.line());
  if (r.kind() == pb::OPENING) {
    ASSIGN_OR_RETURN(const BudgetState* previous,
                     view.LatestBudget(r.agency_id(), r.fiscal_year() - 1));
    if (previous->lines.empty()) return absl::OkStatus();
    const std::string stream = BudgetStream(r.agency_id(), r.fiscal_year() - 1);
    auto it = previous->lines.find(key);
    if (it != previous->lines.end() && !it->second.closed) {
      return RefusePrecondition(
          absl::StrCat(r.fiscal_year(), " 年初结转 on ", DescribeLine(r.line()),
                       " continues the line's ", r.fiscal_year() - 1, " 年末结转, which ", stream,
                       " does not record yet: record it first"),
          absl::StrCat(r.fiscal_year(), "年 ", DescribeLine(r.line()), " 的年初结转承接",
                       r.fiscal_year() - 1, "年的年末结转，而后者尚未登记：请先登记上年年末结转"));
    }
    const int64_t closing = it == previous->lines.end() ? 0 : it->second.carried_out_fen;
    if (r.amount_fen() != closing) {
      return RefusePrecondition(
          absl::StrCat(r.fiscal_year(), " 年初结转 of ", Yuan(r.amount_fen()), " on ",
                       DescribeLine(r.line()), ", but the line's ", r.fiscal_year() - 1,
                       " 年末结转 was ", Yuan(closing), " (", stream,
                       "): carry-over continues the previous year's closing"),
          absl::StrCat(r.fiscal_year(), "年 ", DescribeLine(r.line()), " 年初结转 ",
                       Yuan(r.amount_fen()), "，但该科目", r.fiscal_year() - 1, "年年末结转为 ",
                       Yuan(closing), "：年初结转须与上年年末结转一致"));
    }
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const BudgetState* next, view.LatestBudget(r.agency_id(), r.fiscal_year() + 1));
  auto it = next->lines.find(key);
  if (it == next->lines.end() || !it->second.opened) return absl::OkStatus();
  if (it->second.carried_in_fen != r.amount_fen()) {
    return RefusePrecondition(
        absl::StrCat(r.fiscal_year(), " 年末结转 of ", Yuan(r.amount_fen()), " on ",
                     DescribeLine(r.line()), ", but the line's ", r.fiscal_year() + 1,
                     " 年初结转 is recorded as ", Yuan(it->second.carried_in_fen), " (",
                     BudgetStream(r.agency_id(), r.fiscal_year() + 1),
                     "): carry-over continues the previous year's closing"),
        absl::StrCat(r.fiscal_year(), "年 ", DescribeLine(r.line()), " 年末结转 ",
                     Yuan(r.amount_fen()), "，但该科目", r.fiscal_year() + 1, "年已登记年初结转 ",
                     Yuan(it->second.carried_in_fen), "：年初结转须与上年年末结转一致"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Decision> DecideRecordCarryOver(StateView& view,
                                               const api::RecordCarryOverRequest& r) {
  RETURN_IF_ERROR(ValidateLineRequest(r.fiscal_year(), r.line()));
  if (r.kind() != pb::OPENING && r.kind() != pb::CLOSING) {
    return RefuseInvalid("kind is missing or unknown (OPENING 年初结转 or CLOSING 年末结转)",
                         "kind（结转类型）缺失或无法识别：应为年初结转或年末结转");
  }
  // A closing carry-over may be zero: the line was spent in full.
  RETURN_IF_ERROR(ValidateAmount("amount_fen", r.amount_fen(), r.kind() == pb::OPENING ? 1 : 0));
  ASSIGN_OR_RETURN(LineTarget target, OpenLine(view, r.agency_id(), r.fiscal_year(), r.line()));
  RETURN_IF_ERROR(CheckCarryOverContinues(view, r));
  return r.kind() == pb::OPENING ? RecordOpening(target, r) : RecordClosing(target, r);
}

absl::StatusOr<Decision> DecideDefineProject(StateView& view, const api::DefineProjectRequest& r) {
  RETURN_IF_ERROR(ValidateFiscalYear(r.fiscal_year()));
  RETURN_IF_ERROR(ValidateId("project_id", r.project_id()));
  RETURN_IF_ERROR(ValidateText("name", r.name(), true));
  RETURN_IF_ERROR(ValidateIndicators(r.indicators()));
  ASSIGN_OR_RETURN(const BudgetState* budget, OpenBudget(view, r.agency_id(), r.fiscal_year()));
  const std::string stream = BudgetStream(r.agency_id(), r.fiscal_year());
  if (auto it = budget->projects.find(r.project_id()); it != budget->projects.end()) {
    return Refusal(absl::StatusCode::kAlreadyExists,
                   absl::StrCat(stream, ": project ", r.project_id(), " (", it->second.name,
                                ") is already defined"),
                   absl::StrCat("项目 ", r.project_id(), "（", it->second.name, "）已设立"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::ProjectDefined>(stream);
  e->set_agency_id(r.agency_id());
  e->set_fiscal_year(r.fiscal_year());
  e->set_project_id(r.project_id());
  e->set_name(r.name());
  *e->mutable_indicators() = r.indicators();
  return decision;
}

absl::StatusOr<Decision> DecideRecordPerformance(StateView& view,
                                                 const api::RecordPerformanceRequest& r) {
  RETURN_IF_ERROR(ValidateFiscalYear(r.fiscal_year()));
  RETURN_IF_ERROR(ValidateId("project_id", r.project_id()));
  RETURN_IF_ERROR(ValidateActuals(r.actuals()));
  ASSIGN_OR_RETURN(const BudgetState* budget, OpenBudget(view, r.agency_id(), r.fiscal_year()));
  const std::string stream = BudgetStream(r.agency_id(), r.fiscal_year());
  auto project = budget->projects.find(r.project_id());
  if (project == budget->projects.end()) {
    return RefuseNotFound(absl::StrCat(stream, " has no project ", r.project_id()),
                          absl::StrCat(r.fiscal_year(), "年预算中没有项目 ", r.project_id()));
  }
  std::map<std::string, const pb::PerformanceIndicator*> indicators;
  for (const pb::PerformanceIndicator& i : project->second.indicators) {
    indicators[i.indicator_id()] = &i;
  }
  Decision decision;
  auto* e = decision.Emit<pb::PerformanceRecorded>(stream);
  e->set_agency_id(r.agency_id());
  e->set_fiscal_year(r.fiscal_year());
  e->set_project_id(r.project_id());
  for (int i = 0; i < r.actuals_size(); ++i) {
    const std::string& id = r.actuals(i).indicator_id();
    auto indicator = indicators.find(id);
    if (indicator == indicators.end()) {
      return RefuseNotFound(absl::StrCat(stream, " project ", r.project_id(), " (",
                                         project->second.name, ") has no indicator ", id),
                            absl::StrCat(r.fiscal_year(), "年预算项目 ", r.project_id(), "（",
                                         project->second.name, "）没有指标 ", id));
    }
    ASSIGN_OR_RETURN(pb::IndicatorActual judged,
                     Judge(absl::StrCat("actuals[", i, "]"), *indicator->second, r.actuals(i)));
    *e->add_actuals() = std::move(judged);
  }
  return decision;
}

}  // namespace reformlog::domain
