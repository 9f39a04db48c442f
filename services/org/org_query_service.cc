#include "services/org/org_query_service.h"

#include <optional>
#include <vector>

#include "base/status_macros.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "services/org/org_tree_messages.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
using projections::AgencyAsOf;
using services::ToApi;  // the shared overloads (read_models.h) beside the local ones

// The tree of the live read model, through `cache` (keyed by the table's version and
// position, read under the same lock as the table).
absl::Status ReadLiveTree(const QueryEnv& env, projections::OrgSummaryCache& cache,
                          absl::Duration wait, const api::GetOrgTreeRequest& r,
                          const std::string& date, projections::OrgTree* tree, uint64_t* position) {
  return env.runner.ReadVersioned(
      ProjectionInstance<projections::OrgProjection>().name(), r.min_position(), wait,
      [&](const projections::EntityTable& org, uint64_t at, uint32_t version) {
        *position = at;
        *tree = projections::OrgTreeAsOf(org, cache.Get(org, version, at), date, r.jurisdiction(),
                                         r.include_ceased());
      });
}

absl::Status GetOrgTree(const QueryEnv& env, projections::OrgSummaryCache& cache,
                        absl::Duration wait, const api::GetOrgTreeRequest& r,
                        api::GetOrgTreeResponse* out) {
  // The response may hold an earlier call's answer (KeptTreeMessages): all of it goes, but
  // its nodes are kept aside to pack into.
  google::protobuf::RepeatedPtrField<api::TreeNode> spare;
  spare.Swap(out->mutable_nodes());
  out->Clear();
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  RETURN_IF_ERROR(domain::ValidateText("jurisdiction", r.jurisdiction(), false));
  projections::OrgTree tree;
  uint64_t position = 0;
  RETURN_IF_ERROR(r.as_of_position() == 0
                      ? ReadLiveTree(env, cache, wait, r, date, &tree, &position)
                      : ReadModel(env, ProjectionInstance<projections::OrgProjection>(),
                                  r.min_position(), r.as_of_position(), wait,
                                  [&](const projections::EntityTable& org, uint64_t at) {
                                    position = at;
                                    tree = projections::OrgTreeAsOf(
                                        org, projections::OrgSummaries::Build(org, nullptr), date,
                                        r.jurisdiction(), r.include_ceased());
                                  }));
  // Packed without the read model's lock: the tree holds what it points to.
  out->set_as_of_date(date);
  out->set_position(position);
  PackNodes(tree, env.language, std::move(spare), out->mutable_nodes());
  return absl::OkStatus();
}

absl::Status GetAgency(const QueryEnv& env, absl::Duration wait, const api::GetAgencyRequest& r,
                       api::GetAgencyResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("agency_id", r.agency_id()));
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  std::optional<projections::AgencyDetail> detail;
  std::string ceased_how;
  RETURN_IF_ERROR(ReadModel(
      env, ProjectionInstance<projections::OrgProjection>(), r.min_position(), r.as_of_position(),
      wait, [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        detail = projections::AgencyDetailAsOf(org, r.agency_id(), date, env.language);
        if (detail) {
          ceased_how = DescribeCessation(detail->agency.ceased_how, env.language,
                                         projections::LatestNames(org));
        }
      }));
  if (!detail) {
    return domain::RefuseNotFound(absl::StrCat("no agency ", r.agency_id(), " on ", date),
                                  absl::StrCat(date, "无机构", r.agency_id()));
  }
  const AgencyAsOf& a = detail->agency;
  ToApi(a, ceased_how, out->mutable_agency());
  out->set_mandate_issued(a.mandate_issued);
  if (a.mandate_issued) ToApi(a.mandate_ref, out->mutable_mandate());
  for (const std::string& f : a.functions) out->add_functions(f);
  for (const auto& [id, division] : a.divisions) {
    api::DivisionInfo* d = out->add_divisions();
    d->set_division_id(id);
    d->set_name(division.first);
    for (const std::string& n : division.second) d->add_extra_names(n);
  }
  for (const auto& q : a.quotas) *out->add_quotas() = q;
  for (const auto& p : a.leader_posts) *out->add_leader_posts() = p;
  for (const projections::AgencyDetail::Change& c : detail->history) {
    api::HistoryEntry* h = out->add_history();
    ToApi(c.ref, h->mutable_ref());
    h->set_summary(c.summary);
  }
  return absl::OkStatus();
}

absl::Status DiffOrg(const QueryEnv& env, absl::Duration wait, const api::DiffOrgRequest& r,
                     api::DiffOrgResponse* out) {
  RETURN_IF_ERROR(domain::ValidateDate("from_date", r.from_date(), true));
  RETURN_IF_ERROR(domain::ValidateDate("to_date", r.to_date(), true));
  std::vector<projections::OrgDiffEntry> entries;
  RETURN_IF_ERROR(env.runner.Read(
      ProjectionInstance<projections::OrgProjection>().name(), r.min_position(), wait,
      [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        entries =
            projections::DiffOrg(org, r.from_date(), r.to_date(), r.jurisdiction(), env.language);
      }));
  for (const projections::OrgDiffEntry& e : entries) {
    api::OrgDiffEntry* o = out->add_entries();
    o->set_agency_id(e.agency_id);
    o->set_name(e.name);
    o->set_kind(e.kind);
    o->set_before(e.before);
    o->set_after(e.after);
  }
  return absl::OkStatus();
}

absl::Status GetLineage(const QueryEnv& env, absl::Duration wait, const api::GetLineageRequest& r,
                        api::GetLineageResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("agency_id", r.agency_id()));
  std::optional<projections::Lineage> lineage;
  RETURN_IF_ERROR(env.runner.Read(
      ProjectionInstance<projections::OrgProjection>().name(), r.min_position(), wait,
      [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        if (projections::ConstTable<projections::rm::AgencyHistory>(org).Find(r.agency_id()) !=
            nullptr) {
          lineage = projections::LineageOf(org, r.agency_id());
        }
      }));
  if (!lineage) {
    return domain::RefuseNotFound(absl::StrCat("no agency ", r.agency_id()),
                                  absl::StrCat("无机构", r.agency_id()));
  }
  for (const bool predecessors : {true, false}) {
    for (const projections::LineageStep& step :
         predecessors ? lineage->predecessors : lineage->successors) {
      api::LineageStep* s = predecessors ? out->add_predecessors() : out->add_successors();
      s->set_from_agency_id(step.from_agency_id);
      s->set_from_name(step.from_name);
      s->set_to_agency_id(step.to_agency_id);
      s->set_to_name(step.to_name);
      s->set_kind(step.kind);
      ToApi(step.ref, s->mutable_ref());
    }
  }
  for (const projections::LineageEvent& event : lineage->history) {
    api::LineageEvent* e = out->add_history();
    e->set_agency_id(event.agency_id);
    e->set_name(event.name);
    e->set_kind(event.kind);
    e->set_summary(event.summary);
    ToApi(event.ref, e->mutable_ref());
  }
  return absl::OkStatus();
}

}  // namespace

OrgQueryService::OrgQueryService(QueryEnv env)
    : env_(env), tree_messages_(std::make_unique<KeptTreeMessages>()) {
  env_.service = api::OrgQueries::service_full_name();
  SetMessageAllocatorFor_GetOrgTree(tree_messages_.get());
}

OrgQueryService::~OrgQueryService() = default;

grpc::ServerUnaryReactor* OrgQueryService::GetOrgTree(grpc::CallbackServerContext* context,
                                                      const api::GetOrgTreeRequest* request,
                                                      api::GetOrgTreeResponse* response) {
  return HandleQuery<api::GetOrgTreeRequest, api::GetOrgTreeResponse>(
      env_, __func__, context, request, response,
      [this](const QueryEnv& env, absl::Duration wait, const api::GetOrgTreeRequest& r,
             api::GetOrgTreeResponse* out) {
        return services::GetOrgTree(env, summaries_, wait, r, out);
      });
}

grpc::ServerUnaryReactor* OrgQueryService::GetAgency(grpc::CallbackServerContext* context,
                                                     const api::GetAgencyRequest* request,
                                                     api::GetAgencyResponse* response) {
  return HandleQuery<api::GetAgencyRequest, api::GetAgencyResponse>(
      env_, __func__, context, request, response, &services::GetAgency);
}

grpc::ServerUnaryReactor* OrgQueryService::DiffOrg(grpc::CallbackServerContext* context,
                                                   const api::DiffOrgRequest* request,
                                                   api::DiffOrgResponse* response) {
  return HandleQuery<api::DiffOrgRequest, api::DiffOrgResponse>(env_, __func__, context, request,
                                                                response, &services::DiffOrg);
}

grpc::ServerUnaryReactor* OrgQueryService::GetLineage(grpc::CallbackServerContext* context,
                                                      const api::GetLineageRequest* request,
                                                      api::GetLineageResponse* response) {
  return HandleQuery<api::GetLineageRequest, api::GetLineageResponse>(
      env_, __func__, context, request, response, &services::GetLineage);
}

}  // namespace reformlog::services
