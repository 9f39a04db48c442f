#include "services/budget/budget_to_api.h"

#include "domain/classification.h"
#include "domain/vocabulary.h"

namespace reformlog::services {

namespace api = ::reformlog::api::v1;
namespace bv = ::reformlog::projections;  // the budget views (projections/budget/)

void ToApi(const bv::Amounts& a, api::BudgetAmounts* out) {
  out->set_appropriated_fen(a.appropriated_fen);
  out->set_adjusted_fen(a.adjusted_fen);
  out->set_income_fen(a.income_fen);
  out->set_carried_in_fen(a.carried_in_fen);
  out->set_current_income_fen(a.current_income_fen);
  out->set_budget_fen(a.budget_fen);
  out->set_disbursed_fen(a.disbursed_fen);
  out->set_carried_out_fen(a.carried_out_fen);
  out->set_available_fen(a.available_fen);
}

void ToApi(const bv::Ratio& r, api::BudgetRatio* out) {
  out->set_numerator(r.numerator);
  out->set_denominator(r.denominator);
  out->set_defined(r.defined());
  out->set_basis_points(r.basis_points);
}

void ToApi(const bv::CodeRow& row, int fiscal_year, domain::CodeScheme scheme,
           api::CodeAmounts* out) {
  out->set_code(row.code);
  out->set_name(domain::CodeName(fiscal_year, scheme, row.code));
  out->set_level(row.level);
  out->set_undivided(row.undivided);
  ToApi(row.amounts, out->mutable_amounts());
}

void ToApi(const bv::BudgetSummary& s, bool omit_lines, api::GetBudgetResponse* out) {
  out->set_agency_id(s.agency_id);
  out->set_fiscal_year(s.fiscal_year);
  if (!omit_lines) {
    out->mutable_lines()->Reserve(static_cast<int>(s.lines.size()));
    for (const bv::LineAmounts& l : s.lines) {
      api::BudgetLineAmounts* line = out->add_lines();
      *line->mutable_line() = l.line;
      ToApi(l.amounts, line->mutable_amounts());
      line->set_closed(l.closed);
      ToApi(l.execution_rate, line->mutable_execution_rate());
      line->set_function_name(
          domain::CodeName(s.fiscal_year, domain::CodeScheme::kFunction, l.line.function_code()));
      line->set_economic_name(
          domain::CodeName(s.fiscal_year, domain::CodeScheme::kEconomic, l.line.economic_code()));
    }
  }
  ToApi(s.total, out->mutable_total());
  ToApi(s.execution_rate, out->mutable_execution_rate());
  out->set_open_lines(s.open_lines);
  for (const bv::FundSourceRow& row : s.by_fund_source) {
    api::FundSourceAmounts* f = out->add_by_fund_source();
    f->set_fund_source(row.fund_source);
    ToApi(row.amounts, f->mutable_amounts());
  }
  out->mutable_by_function()->Reserve(static_cast<int>(s.by_function.size()));
  for (const bv::CodeRow& row : s.by_function) {
    ToApi(row, s.fiscal_year, domain::CodeScheme::kFunction, out->add_by_function());
  }
  out->mutable_by_economic()->Reserve(static_cast<int>(s.by_economic.size()));
  for (const bv::CodeRow& row : s.by_economic) {
    ToApi(row, s.fiscal_year, domain::CodeScheme::kEconomic, out->add_by_economic());
  }
  ToApi(s.basic, out->mutable_basic());
  ToApi(s.project, out->mutable_project());
  for (const bv::ProjectAmounts& p : s.by_project) {
    api::ProjectAmounts* project = out->add_by_project();
    project->set_project_id(p.project_id);
    project->set_name(p.name);
    ToApi(p.amounts, project->mutable_amounts());
  }
  ToApi(s.personnel, out->mutable_personnel());
  ToApi(s.public_use, out->mutable_public_use());
  ToApi(s.basic_other, out->mutable_basic_other());
  api::ThreePublicExpenses* t = out->mutable_three_public();
  ToApi(s.three_public.overseas_trips, t->mutable_overseas_trips());
  ToApi(s.three_public.vehicle_purchase, t->mutable_vehicle_purchase());
  ToApi(s.three_public.vehicle_operation, t->mutable_vehicle_operation());
  ToApi(s.three_public.reception, t->mutable_reception());
  ToApi(s.three_public.total, t->mutable_total());
  out->set_agency_operating_applicable(s.agency_operating_applicable);
  ToApi(s.agency_operating, out->mutable_agency_operating());
}

void ToApi(const bv::FinalAccounts& f, api::GetFinalAccountsResponse* out) {
  for (const bv::IncomeBySource& i : f.income_by_source) {
    api::IncomeBySource* income = out->add_income_by_source();
    income->set_fund_source(i.fund_source);
    income->set_fen(i.fen);
  }
  out->set_current_income_fen(f.current_income_fen);
  out->set_business_fund_offset_fen(f.business_fund_offset_fen);
  out->set_carried_in_fen(f.carried_in_fen);
  out->set_income_total_fen(f.income_total_fen);
  out->set_basic_fen(f.basic_fen);
  out->set_project_fen(f.project_fen);
  out->set_current_expenditure_fen(f.current_expenditure_fen);
  out->set_surplus_distribution_fen(f.surplus_distribution_fen);
  out->set_carried_out_fen(f.carried_out_fen);
  out->set_expenditure_total_fen(f.expenditure_total_fen);
  out->set_personnel_fen(f.personnel_fen);
  out->set_public_use_fen(f.public_use_fen);
  for (const bv::FiscalKindAccount& k : f.fiscal_kinds) {
    api::FiscalKindAccount* kind = out->add_fiscal_kinds();
    kind->set_fund_source(k.fund_source);
    kind->set_carried_in_fen(k.carried_in_fen);
    kind->set_income_fen(k.income_fen);
    kind->set_expenditure_fen(k.expenditure_fen);
    kind->set_carried_out_fen(k.carried_out_fen);
    kind->set_open_lines(k.open_lines);
  }
  out->set_open_lines(f.open_lines);
  out->set_open_available_fen(f.open_available_fen);
  for (const bv::Identity& i : f.identities) {
    api::AccountingIdentity* identity = out->add_identities();
    identity->set_name(i.name);
    identity->set_left_fen(i.left_fen);
    identity->set_right_fen(i.right_fen);
    identity->set_holds(i.holds);
    identity->set_note(i.note);
  }
  out->set_all_hold(f.AllHold());
}

bv::PerformanceWeights FromApi(const api::PerformanceWeights& w) {
  bv::PerformanceWeights weights;
  weights.budget_execution = w.budget_execution();
  weights.outputs = w.outputs();
  weights.benefits = w.benefits();
  weights.satisfaction = w.satisfaction();
  weights.excellent_min = w.excellent_min();
  weights.good_min = w.good_min();
  weights.pass_min = w.pass_min();
  return weights;
}

void ToApi(const bv::PerformanceWeights& w, api::PerformanceWeights* out) {
  out->set_budget_execution(w.budget_execution);
  out->set_outputs(w.outputs);
  out->set_benefits(w.benefits);
  out->set_satisfaction(w.satisfaction);
  out->set_excellent_min(w.excellent_min);
  out->set_good_min(w.good_min);
  out->set_pass_min(w.pass_min);
}

void ToApi(const bv::ProjectPerformance& p, api::ProjectPerformance* out) {
  out->set_project_id(p.project_id);
  out->set_name(p.name);
  ToApi(p.amounts, out->mutable_amounts());
  ToApi(p.execution_rate, out->mutable_execution_rate());
  for (const bv::IndicatorResult& r : p.indicators) {
    api::IndicatorResult* result = out->add_indicators();
    *result->mutable_indicator() = r.indicator;
    result->set_recorded(r.recorded);
    if (r.recorded) *result->mutable_actual() = r.actual;
    result->set_met(r.met);
  }
  out->set_execution_centipoints(p.execution_centipoints);
  for (const bv::LevelScore& l : p.levels) {
    api::IndicatorLevelScore* level = out->add_levels();
    level->set_level(l.level);
    level->set_weight(l.weight);
    level->set_indicators(l.indicators);
    level->set_met(l.met);
    level->set_centipoints(l.centipoints);
  }
  out->set_score_centipoints(p.score_centipoints);
  out->set_grade(bv::GradeLabel(p.grade));
}

}  // namespace reformlog::services
