#include "services/budget/budget_query_service.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "grpcpp/support/slice.h"
#include "projections/budget/budget_agency.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_performance.h"
#include "projections/budget/budget_projection.h"
#include "projections/budget/budget_summary.h"
#include "projections/budget/budget_summary_cache.h"
#include "projections/org/org_projection.h"
#include "services/budget/budget_to_api.h"
#include "services/budget/budget_wire.h"
#include "services/common/unparsed_request_interceptor.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace rm = ::reformlog::readmodel::v1;
namespace bv = ::reformlog::projections;  // the budget views (projections/budget/)

absl::Status ValidateBookRequest(const std::string& agency_id, int fiscal_year) {
  RETURN_IF_ERROR(domain::ValidateId("agency_id", agency_id));
  return domain::ValidateFiscalYear(fiscal_year);
}

// The agency's kind and 参公 flag at the end of the fiscal year (as first recorded, when it was
// established later); NOT_FOUND when the org read model does not know it.
absl::StatusOr<bv::AgencyProfile> LookUpAgency(const QueryEnv& env, absl::Duration wait,
                                               uint64_t min_position, const std::string& agency_id,
                                               int fiscal_year) {
  std::optional<bv::AgencyProfile> profile;
  RETURN_IF_ERROR(env.runner.Read(ProjectionInstance<projections::OrgProjection>().name(),
                                  min_position, wait,
                                  [&](const projections::EntityTable& org, uint64_t) {
                                    profile = bv::BudgetAgencyProfile(org, agency_id, fiscal_year);
                                  }));
  if (!profile) {
    return domain::RefuseNotFound(absl::StrCat("no agency ", agency_id),
                                  absl::StrCat("无机构", agency_id));
  }
  return *profile;
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
    return domain::RefuseNotFound(
        absl::StrCat("no budget ", domain::BudgetStream(agency_id, fiscal_year), ": agency ",
                     agency_id, " has nothing recorded for fiscal year ", fiscal_year),
        absl::StrCat(agency_id, "无", fiscal_year, "年度预算记录"));
  }
  if (!used.ok()) return used;
  return read_position;
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
    return domain::RefuseNotFound(
        absl::StrCat(domain::BudgetStream(r.agency_id(), r.fiscal_year()), " has no project ",
                     r.project_id()),
        absl::StrCat(r.agency_id(), r.fiscal_year(), "年度预算无项目", r.project_id()));
  }
  ToApi(weights, out->mutable_weights());
  out->set_position(position);
  return absl::OkStatus();
}

}  // namespace

BudgetQueryService::BudgetQueryService(QueryEnv env)
    : env_(env), packed_(std::make_unique<PackedRollUps>()) {
  env_.service = api::BudgetQueries::service_full_name();
}

BudgetQueryService::~BudgetQueryService() = default;

grpc::ServerUnaryReactor* BudgetQueryService::GetBudget(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) {
  return HandleQuery<grpc::ByteBuffer, grpc::ByteBuffer>(
      env_, __func__, context, request, response,
      [this, context](const QueryEnv& env, absl::Duration wait, const grpc::ByteBuffer& bytes,
                      grpc::ByteBuffer* out) {
        api::GetBudgetRequest r;
        grpc::Slice slice;  // an empty request may come as no buffer at all
        if (bytes.Valid() && (!bytes.DumpToSingleSlice(&slice).ok() ||
                              !r.ParseFromArray(slice.begin(), static_cast<int>(slice.size())))) {
          return absl::InvalidArgumentError(UnparsedRequestMessage(
              absl::StrCat("/", api::BudgetQueries::service_full_name(), "/GetBudget")));
        }
        RETURN_IF_ERROR(AuthorizeQuery(env, *context, "GetBudget", r));
        return services::GetBudget(env, wait, r, rollups_, *packed_, out);
      });
}

grpc::ServerUnaryReactor* BudgetQueryService::GetFinalAccounts(
    grpc::CallbackServerContext* context, const api::GetFinalAccountsRequest* request,
    api::GetFinalAccountsResponse* response) {
  return HandleQuery<api::GetFinalAccountsRequest, api::GetFinalAccountsResponse>(
      env_, __func__, context, request, response, &services::GetFinalAccounts);
}

grpc::ServerUnaryReactor* BudgetQueryService::GetPerformance(
    grpc::CallbackServerContext* context, const api::GetPerformanceRequest* request,
    api::GetPerformanceResponse* response) {
  return HandleQuery<api::GetPerformanceRequest, api::GetPerformanceResponse>(
      env_, __func__, context, request, response, &services::GetPerformance);
}

}  // namespace reformlog::services
