#include "services/power/power_query_service.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "projections/power/power_projection.h"
#include "projections/power/power_view.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;
using services::ToApi;  // the shared overloads (read_models.h) beside the local ones

// The names on `date` of `names`' keys and of the holder a query filters on (its id is
// added); NOT_FOUND when that holder is an agency the org read model does not know.
absl::Status NameHolders(const QueryEnv& env, absl::Duration wait, uint64_t position,
                         uint64_t as_of_position, const std::string& date,
                         const std::string& holder_agency_id, AgencyNames& names) {
  if (!holder_agency_id.empty()) names[holder_agency_id];
  std::set<std::string> unknown;
  RETURN_IF_ERROR(NameAgencies(env, wait, position, as_of_position, date, names, &unknown));
  if (holder_agency_id.empty() || !unknown.contains(holder_agency_id)) return absl::OkStatus();
  return domain::RefuseNotFound(absl::StrCat("holder_agency_id: no agency ", holder_agency_id),
                                absl::StrCat("实施主体：无机构", holder_agency_id));
}

void ToApi(const projections::PowerHolding& h, const AgencyNames& names, api::PowerHolding* out) {
  out->set_code(h.code);
  out->set_name(h.name);
  out->set_category(h.category);
  out->set_legal_basis(h.legal_basis);
  out->set_department_id(h.department_id);
  out->set_holder_agency_id(h.holder_agency_id);
  if (auto it = names.find(h.holder_agency_id); it != names.end()) {
    out->set_holder_name(it->second);
  }
  out->set_held_as(h.held_as);
  out->set_delegated_by_agency_id(h.delegated_by_agency_id);
  out->set_acts_in_name_of_agency_id(h.acts_in_name_of_agency_id);
  ToApi(h.since, out->mutable_since());
}

api::HolderChange::Change ToApi(rm::HolderPeriod::Change change) {
  switch (change) {
    case rm::HolderPeriod::CATALOGUED:
      return api::HolderChange::CATALOGUED;
    case rm::HolderPeriod::PASSED:
      return api::HolderChange::PASSED;
    case rm::HolderPeriod::RETURNED:
      return api::HolderChange::RETURNED;
    default:
      return api::HolderChange::CHANGE_UNSPECIFIED;
  }
}

// INVALID_ARGUMENT unless `category` is unset or one of the ten.
absl::Status ValidateCategoryFilter(pb::PowerCategory category) {
  if (pb::PowerCategory_IsValid(category)) return absl::OkStatus();
  return domain::RefuseInvalid(
      absl::StrCat("category ", static_cast<int>(category),
                   " is unknown: unset, or one of the ten, 行政许可 (",
                   static_cast<int>(pb::LICENSING), ") … 其他行政权力 (",
                   static_cast<int>(pb::OTHER_POWER), ")"),
      absl::StrCat("权力类别", static_cast<int>(category), "未知：应不填，或为十类之一，行政许可（",
                   static_cast<int>(pb::LICENSING), "）……其他行政权力（",
                   static_cast<int>(pb::OTHER_POWER), "）"));
}

absl::Status ValidateListPowers(const api::ListPowersRequest& r) {
  if (!r.holder_agency_id().empty()) {
    RETURN_IF_ERROR(domain::ValidateId("holder_agency_id", r.holder_agency_id()));
  }
  RETURN_IF_ERROR(ValidateCategoryFilter(r.category()));
  if (r.page_size() < 0 || r.page_size() > kPowerPageSizeMax) {
    return domain::RefuseInvalid(
        absl::StrCat("page_size ", r.page_size(), " is outside 0–", kPowerPageSizeMax,
                     " (the limit kPowerPageSizeMax; 0 = ", kPowerPageSizeDefault, ")"),
        absl::StrCat("每页条数（page_size）", r.page_size(), "超出0至", kPowerPageSizeMax,
                     "的范围（0即", kPowerPageSizeDefault, "条）"));
  }
  if (!r.page_token().empty()) {
    // The token is the last code of the previous page.
    if (absl::Status s = domain::ValidateId("page_token", r.page_token()); !s.ok()) {
      return domain::RefuseInvalid(
          absl::StrCat("page_token ", domain::QuoteValue(r.page_token()),
                       " is not a token this service gave"),
          absl::StrCat("翻页标记（page_token）", domain::QuoteValue(r.page_token()),
                       "不是本服务给出的"));
    }
  }
  return absl::OkStatus();
}

absl::Status ListPowers(const QueryEnv& env, absl::Duration wait, const api::ListPowersRequest& r,
                        api::ListPowersResponse* out) {
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  RETURN_IF_ERROR(ValidateListPowers(r));
  out->set_as_of_date(date);
  projections::PowerFilter filter;
  filter.holder_agency_id = r.holder_agency_id();
  filter.category = r.category();
  filter.after_code = r.page_token();
  filter.limit = static_cast<size_t>(r.page_size() == 0 ? kPowerPageSizeDefault : r.page_size());
  projections::PowerPage page;
  RETURN_IF_ERROR(ReadModel(env, ProjectionInstance<projections::PowerProjection>(),
                            r.min_position(), r.as_of_position(), wait,
                            [&](const projections::EntityTable& powers, uint64_t position) {
                              out->set_position(position);
                              page = projections::HoldingsAsOf(powers, date, filter);
                            }));
  AgencyNames names;
  for (const projections::PowerHolding& h : page.items) names[h.holder_agency_id];
  RETURN_IF_ERROR(NameHolders(env, wait, out->position(), r.as_of_position(), date,
                              r.holder_agency_id(), names));
  for (const projections::PowerHolding& h : page.items) ToApi(h, names, out->add_items());
  out->set_next_page_token(page.next_after_code);
  return absl::OkStatus();
}

absl::Status CountPowers(const QueryEnv& env, absl::Duration wait, const api::CountPowersRequest& r,
                         api::CountPowersResponse* out) {
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  if (!r.holder_agency_id().empty()) {
    RETURN_IF_ERROR(domain::ValidateId("holder_agency_id", r.holder_agency_id()));
  }
  out->set_as_of_date(date);
  projections::PowerCounts counts;
  RETURN_IF_ERROR(ReadModel(env, ProjectionInstance<projections::PowerProjection>(),
                            r.min_position(), r.as_of_position(), wait,
                            [&](const projections::EntityTable& powers, uint64_t position) {
                              out->set_position(position);
                              counts = projections::CountAsOf(powers, date, r.holder_agency_id());
                            }));
  AgencyNames names;
  for (const projections::HolderCount& h : counts.holders) names[h.holder_agency_id];
  RETURN_IF_ERROR(NameHolders(env, wait, out->position(), r.as_of_position(), date,
                              r.holder_agency_id(), names));
  out->set_items(counts.items);
  for (const projections::HolderCount& h : counts.holders) {
    api::HolderCount* holder = out->add_holders();
    holder->set_holder_agency_id(h.holder_agency_id);
    holder->set_holder_name(names[h.holder_agency_id]);
    holder->set_items(h.items);
    for (const projections::CategoryCount& c : h.categories) {
      api::CategoryCount* category = holder->add_categories();
      category->set_category(c.category);
      category->set_items(c.items);
      for (const auto& [mode, n] : c.by_held_as) {
        api::HeldAsCount* held = category->add_by_held_as();
        held->set_held_as(mode);
        held->set_items(n);
      }
    }
  }
  return absl::OkStatus();
}

absl::Status GetPowerHistory(const QueryEnv& env, absl::Duration wait,
                             const api::GetPowerHistoryRequest& r,
                             api::GetPowerHistoryResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("code", r.code()));
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  out->set_as_of_date(date);
  bool found = false;
  std::optional<projections::PowerHolding> holding;
  std::vector<rm::HolderPeriod> periods;
  RETURN_IF_ERROR(
      env.runner.Read(ProjectionInstance<projections::PowerProjection>().name(), r.min_position(),
                      wait, [&](const projections::EntityTable& powers, uint64_t position) {
                        out->set_position(position);
                        const rm::PowerRecord* record =
                            projections::ConstTable<rm::PowerRecord>(powers).Find(r.code());
                        if (record == nullptr) return;
                        found = true;
                        holding = projections::HoldingAsOf(*record, date);
                        periods.assign(record->holders().begin(), record->holders().end());
                      }));
  if (!found) {
    return domain::RefuseNotFound(absl::StrCat("code: no item ", domain::PowerStream(r.code()),
                                               " in the power list (权力清单)"),
                                  absl::StrCat("权力清单中无事项", r.code()));
  }
  // Every agency the answer names, by its name on `date` (a summary in Chinese names them).
  AgencyNames names;
  if (holding.has_value()) names[holding->holder_agency_id];
  for (const rm::HolderPeriod& p : periods) {
    for (const std::string* id :
         {&p.holder_agency_id(), &p.passed_from_agency_id(), &p.delegated_by_agency_id()}) {
      if (!id->empty()) names[*id];
    }
  }
  RETURN_IF_ERROR(NameAgencies(env, wait, out->position(), 0, date, names));
  const domain::NameOf name_of = [&names](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };
  for (const rm::HolderPeriod& p : periods) {
    api::HolderChange* c = out->add_changes();
    ToApi(p.ref(), c->mutable_ref());
    c->set_change(ToApi(p.change()));
    c->set_holder_agency_id(p.holder_agency_id());
    c->set_passed_from_agency_id(p.passed_from_agency_id());
    c->set_mode(p.mode());
    c->set_held_as(p.held_as());
    c->set_delegated_by_agency_id(p.delegated_by_agency_id());
    c->set_summary(projections::SummarizePeriod(p, env.language, name_of));
  }
  if (holding.has_value()) ToApi(*holding, names, out->mutable_holding());
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PowerQueryService::ListPowers(grpc::CallbackServerContext* context,
                                                        const api::ListPowersRequest* request,
                                                        api::ListPowersResponse* response) {
  return HandleQuery<api::ListPowersRequest, api::ListPowersResponse>(
      env_, __func__, context, request, response, &services::ListPowers);
}

grpc::ServerUnaryReactor* PowerQueryService::CountPowers(grpc::CallbackServerContext* context,
                                                         const api::CountPowersRequest* request,
                                                         api::CountPowersResponse* response) {
  return HandleQuery<api::CountPowersRequest, api::CountPowersResponse>(
      env_, __func__, context, request, response, &services::CountPowers);
}

grpc::ServerUnaryReactor* PowerQueryService::GetPowerHistory(
    grpc::CallbackServerContext* context, const api::GetPowerHistoryRequest* request,
    api::GetPowerHistoryResponse* response) {
  return HandleQuery<api::GetPowerHistoryRequest, api::GetPowerHistoryResponse>(
      env_, __func__, context, request, response, &services::GetPowerHistory);
}

}  // namespace reformlog::services
