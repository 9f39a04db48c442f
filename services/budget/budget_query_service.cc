#include "services/budget/budget_query_service.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/status_macros.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/slice.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_performance.h"
#include "projections/budget/budget_projection.h"
#include "projections/budget/budget_summary.h"
#include "projections/budget/budget_summary_cache.h"
#include "projections/domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "services/common/unparsed_request_interceptor.h"
#include "services/queries/read_models.h"

namespace reformlog::services {

// The packed roll-ups (GetBudget with omit_lines) of the summaries BudgetSummaryCache last gave
// for each book: packed again only when the cache gives another summary. Bounded as the cache
// is; thread-safe.
class PackedRollUps {
 public:
  std::shared_ptr<const std::string> Of(const std::string& book_key,
                                        std::shared_ptr<const projections::BudgetSummary> summary);

 private:
  struct Entry {
    std::shared_ptr<const projections::BudgetSummary> summary;
    std::shared_ptr<const std::string> bytes;
    uint64_t last_used = 0;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t uses_ ABSL_GUARDED_BY(mu_) = 0;
};

namespace {

namespace api = ::reformlog::api::v1;
namespace rm = ::reformlog::readmodel::v1;
namespace bv = ::reformlog::projections;  // the budget views (projections/budget/)

// A GetBudget response is some 10,000 roll-up rows (a row per 项 code): allocating and freeing
// them one by one cost more than computing them, so a response is built on one arena, freed at
// once when it is packed. Its blocks grow from the first to the largest size below.
constexpr size_t kPackArenaStartBlockBytes = 16 << 10;
constexpr size_t kPackArenaBlockBytesMax = 1 << 20;

google::protobuf::ArenaOptions PackArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = kPackArenaStartBlockBytes;
  options.max_block_size = kPackArenaBlockBytesMax;
  return options;
}

using Bytes = std::shared_ptr<const std::string>;

// A slice of `bytes` without copying them: the slice keeps them alive.
grpc::Slice SliceOf(Bytes bytes) {
  auto* kept = new Bytes(std::move(bytes));
  return grpc::Slice(
      const_cast<char*>((*kept)->data()), (*kept)->size(),
      [](void* user_data) { delete static_cast<Bytes*>(user_data); }, kept);
}

absl::Status ValidateBookRequest(const std::string& agency_id, int fiscal_year) {
  RETURN_IF_ERROR(domain::ValidateId("agency_id", agency_id));
  return domain::ValidateFiscalYear(fiscal_year);
}

// The agency's kind and 参公 flag at the end of the fiscal year (as first recorded, when it was
// established later); NOT_FOUND when the org read model does not know it.
absl::StatusOr<bv::AgencyProfile> LookUpAgency(const QueryEnv& env, absl::Duration wait,
                                               uint64_t min_position, const std::string& agency_id,
                                               int fiscal_year) {
  bool found = false;
  bv::AgencyProfile profile;
  RETURN_IF_ERROR(env.runner.Read(
      ProjectionInstance<projections::OrgProjection>().name(), min_position, wait,
      [&](const projections::EntityTable& org, uint64_t) {
        const auto* history = projections::ConstTable<rm::AgencyHistory>(org).Find(agency_id);
        if (history == nullptr) return;
        projections::AgencyAsOf a =
            projections::FoldAgency(*history, absl::StrCat(fiscal_year, "-12-31"));
        if (!a.exists) a = projections::FoldAgency(*history, projections::kEndOfTime);
        if (!a.exists) return;
        found = true;
        profile.kind = a.kind;
        profile.civil_servant_managed = a.civil_servant_managed;
      }));
  if (!found) return absl::NotFoundError(absl::StrCat("no agency ", agency_id));
  return profile;
}

// Runs `use` on the agency's book of the year and that of the year before (nullptr when there is
// none), in place, under the read model's lock (`use` must not keep a reference to either), with
// the read model's position. Returns that position; NOT_FOUND when there is no book for the
// year, else `use`'s status.
using BooksUse = std::function<absl::Status(const rm::BudgetBook& book,
                                            const rm::BudgetBook* previous, uint64_t position)>;
absl::StatusOr<uint64_t> ReadBooks(const QueryEnv& env, absl::Duration wait, uint64_t min_position,
                                   const std::string& agency_id, int fiscal_year,
                                   const BooksUse& use) {
  bool found = false;
  uint64_t read_position = 0;
  absl::Status used;
  RETURN_IF_ERROR(env.runner.Read(
      ProjectionInstance<projections::BudgetProjection>().name(), min_position, wait,
      [&](const projections::EntityTable& table, uint64_t position) {
        read_position = position;
        projections::ConstTable<rm::BudgetBook> budget(table);
        const auto* book = budget.Find(projections::BudgetBookKey(agency_id, fiscal_year));
        if (book == nullptr) return;
        found = true;
        used = use(*book, budget.Find(projections::BudgetBookKey(agency_id, fiscal_year - 1)),
                   position);
      }));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("no budget ", domain::BudgetStream(agency_id, fiscal_year), ": agency ",
                     agency_id, " has nothing recorded for fiscal year ", fiscal_year));
  }
  if (!used.ok()) return used;
  return read_position;
}

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

void ToApi(const bv::CodeRow& row, api::CodeAmounts* out) {
  out->set_code(row.code);
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
  for (const bv::CodeRow& row : s.by_function) ToApi(row, out->add_by_function());
  out->mutable_by_economic()->Reserve(static_cast<int>(s.by_economic.size()));
  for (const bv::CodeRow& row : s.by_economic) ToApi(row, out->add_by_economic());
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

// The year's figures of a GetBudget answer (all but the fields of the call), packed.
Bytes Pack(const bv::BudgetSummary& s, bool omit_lines) {
  google::protobuf::Arena arena(PackArenaOptions());
  auto* response = google::protobuf::Arena::CreateMessage<api::GetBudgetResponse>(&arena);
  ToApi(s, omit_lines, response);
  return std::make_shared<const std::string>(response->SerializeAsString());
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

struct BudgetSummaries {
  std::shared_ptr<const bv::BudgetSummary> year;
  std::shared_ptr<const bv::BudgetSummary> previous;  // null when the year before has no book
};

// The year's summary — its roll-ups from `rollups`, or summarized afresh when the lines are
// asked for too — and the year before's roll-ups, of books read at `position`.
absl::Status SummarizeBooks(const rm::BudgetBook& book, const rm::BudgetBook* last_year,
                            uint64_t position, const bv::AgencyProfile& agency, bool omit_lines,
                            bv::BudgetSummaryCache& rollups, BudgetSummaries& out) {
  if (omit_lines) {
    ASSIGN_OR_RETURN(out.year, rollups.RollUps(book, position, agency));
  } else {
    ASSIGN_OR_RETURN(bv::BudgetSummary s, bv::SummarizeBudget(book, agency));
    out.year = std::make_shared<const bv::BudgetSummary>(std::move(s));
  }
  if (last_year == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(out.previous, rollups.RollUps(*last_year, position, agency));
  return absl::OkStatus();
}

absl::Status GetBudget(const QueryEnv& env, absl::Duration wait, const api::GetBudgetRequest& r,
                       bv::BudgetSummaryCache& rollups, PackedRollUps& packed,
                       grpc::ByteBuffer* out) {
  RETURN_IF_ERROR(ValidateBookRequest(r.agency_id(), r.fiscal_year()));
  ASSIGN_OR_RETURN(bv::AgencyProfile agency,
                   LookUpAgency(env, wait, r.min_position(), r.agency_id(), r.fiscal_year()));
  BudgetSummaries summaries;
  ASSIGN_OR_RETURN(uint64_t position,
                   ReadBooks(env, wait, r.min_position(), r.agency_id(), r.fiscal_year(),
                             [&](const rm::BudgetBook& book, const rm::BudgetBook* last_year,
                                 uint64_t read_position) {
                               return SummarizeBooks(book, last_year, read_position, agency,
                                                     r.omit_lines(), rollups, summaries);
                             }));
  // The year's figures, then the call's: fields of a message packed one after the other read
  // back as the one message.
  const Bytes year =
      r.omit_lines()
          ? packed.Of(projections::BudgetBookKey(r.agency_id(), r.fiscal_year()), summaries.year)
          : Pack(*summaries.year, /*omit_lines=*/false);
  api::GetBudgetResponse call;
  if (summaries.previous != nullptr) {
    ASSIGN_OR_RETURN(std::vector<bv::YearOverYear> changes,
                     bv::CompareYears(*summaries.year, *summaries.previous));
    call.set_previous_year_found(true);
    for (const bv::YearOverYear& y : changes) {
      api::YearOverYearChange* c = call.add_year_over_year();
      c->set_metric(y.metric);
      c->set_this_year_fen(y.this_year_fen);
      c->set_last_year_fen(y.last_year_fen);
      c->set_change_fen(y.change_fen);
      ToApi(y.change, c->mutable_change());
    }
  }
  call.set_position(position);
  const grpc::Slice slices[] = {SliceOf(year), grpc::Slice(call.SerializeAsString())};
  grpc::ByteBuffer(slices, std::size(slices)).Swap(out);
  return absl::OkStatus();
}

absl::Status GetFinalAccounts(const QueryEnv& env, absl::Duration wait,
                              const api::GetFinalAccountsRequest& r,
                              api::GetFinalAccountsResponse* out) {
  RETURN_IF_ERROR(ValidateBookRequest(r.agency_id(), r.fiscal_year()));
  ASSIGN_OR_RETURN(bv::AgencyProfile agency,
                   LookUpAgency(env, wait, r.min_position(), r.agency_id(), r.fiscal_year()));
  bv::FinalAccounts accounts;
  ASSIGN_OR_RETURN(
      uint64_t position,
      ReadBooks(env, wait, r.min_position(), r.agency_id(), r.fiscal_year(),
                [&](const rm::BudgetBook& book, const rm::BudgetBook*, uint64_t) -> absl::Status {
                  ASSIGN_OR_RETURN(bv::BudgetSummary summary, bv::SummarizeBudget(book, agency));
                  ASSIGN_OR_RETURN(accounts, bv::FinalAccountsOf(summary));
                  return absl::OkStatus();
                }));
  out->set_agency_id(r.agency_id());
  out->set_fiscal_year(r.fiscal_year());
  ToApi(accounts, out);
  out->set_position(position);
  return absl::OkStatus();
}

absl::Status GetPerformance(const QueryEnv& env, absl::Duration wait,
                            const api::GetPerformanceRequest& r, api::GetPerformanceResponse* out) {
  RETURN_IF_ERROR(ValidateBookRequest(r.agency_id(), r.fiscal_year()));
  if (!r.project_id().empty()) {
    RETURN_IF_ERROR(domain::ValidateId("project_id", r.project_id()));
  }
  const bv::PerformanceWeights weights =
      r.has_weights() ? FromApi(r.weights()) : bv::PerformanceWeights();
  RETURN_IF_ERROR(bv::ValidateWeights(weights, "weights"));
  RETURN_IF_ERROR(
      LookUpAgency(env, wait, r.min_position(), r.agency_id(), r.fiscal_year()).status());
  std::vector<bv::ProjectPerformance> projects;
  ASSIGN_OR_RETURN(
      uint64_t position,
      ReadBooks(env, wait, r.min_position(), r.agency_id(), r.fiscal_year(),
                [&](const rm::BudgetBook& book, const rm::BudgetBook*, uint64_t) -> absl::Status {
                  ASSIGN_OR_RETURN(projects, bv::EvaluatePerformance(book, weights));
                  return absl::OkStatus();
                }));
  bool found = r.project_id().empty();
  for (const bv::ProjectPerformance& p : projects) {
    if (!r.project_id().empty() && p.project_id != r.project_id()) continue;
    found = true;
    ToApi(p, out->add_projects());
  }
  if (!found) {
    return absl::NotFoundError(absl::StrCat(domain::BudgetStream(r.agency_id(), r.fiscal_year()),
                                            " has no project ", r.project_id()));
  }
  ToApi(weights, out->mutable_weights());
  out->set_position(position);
  return absl::OkStatus();
}

}  // namespace

std::shared_ptr<const std::string> PackedRollUps::Of(
    const std::string& book_key, std::shared_ptr<const projections::BudgetSummary> summary) {
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(book_key);
    if (it != entries_.end() && it->second.summary == summary) {
      it->second.last_used = ++uses_;
      return it->second.bytes;
    }
  }
  Bytes bytes = Pack(*summary, /*omit_lines=*/true);
  absl::MutexLock lock(&mu_);
  if (!entries_.contains(book_key) && entries_.size() >= projections::kBudgetSummaryCacheBooksMax) {
    entries_.erase(std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; }));
  }
  entries_[book_key] = {std::move(summary), bytes, ++uses_};
  return bytes;
}

BudgetQueryService::BudgetQueryService(QueryEnv env)
    : env_(env), packed_(std::make_unique<PackedRollUps>()) {}

BudgetQueryService::~BudgetQueryService() = default;

grpc::ServerUnaryReactor* BudgetQueryService::GetBudget(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) {
  return HandleQuery<grpc::ByteBuffer, grpc::ByteBuffer>(
      env_, context, request, response,
      [this](const QueryEnv& env, absl::Duration wait, const grpc::ByteBuffer& bytes,
             grpc::ByteBuffer* out) {
        api::GetBudgetRequest r;
        grpc::Slice slice;  // an empty request may come as no buffer at all
        if (bytes.Valid() && (!bytes.DumpToSingleSlice(&slice).ok() ||
                              !r.ParseFromArray(slice.begin(), static_cast<int>(slice.size())))) {
          return absl::InvalidArgumentError(UnparsedRequestMessage(
              absl::StrCat("/", api::BudgetQueries::service_full_name(), "/GetBudget")));
        }
        return services::GetBudget(env, wait, r, rollups_, *packed_, out);
      });
}

grpc::ServerUnaryReactor* BudgetQueryService::GetFinalAccounts(
    grpc::CallbackServerContext* context, const api::GetFinalAccountsRequest* request,
    api::GetFinalAccountsResponse* response) {
  return HandleQuery<api::GetFinalAccountsRequest, api::GetFinalAccountsResponse>(
      env_, context, request, response, &services::GetFinalAccounts);
}

grpc::ServerUnaryReactor* BudgetQueryService::GetPerformance(
    grpc::CallbackServerContext* context, const api::GetPerformanceRequest* request,
    api::GetPerformanceResponse* response) {
  return HandleQuery<api::GetPerformanceRequest, api::GetPerformanceResponse>(
      env_, context, request, response, &services::GetPerformance);
}

}  // namespace reformlog::services
