#include "services/org/org_query_service.h"

#include <vector>

#include "absl/synchronization/mutex.h"
#include "projections/domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
using projections::AgencyAsOf;
using services::ToApi;  // the shared overloads (read_models.h) beside the local ones

// A tree of 2,000 agencies is some 16,000 small messages and strings. Building them afresh
// for every call, and freeing them after, cost more than choosing the tree; so GetOrgTree's
// messages are kept for a later call, which packs into the nodes, messages and string
// buffers of an earlier answer. At most this many calls' messages are kept (each as large as
// the largest tree it held); beyond, they are freed.
constexpr size_t kKeptTreeCallsMax = 4;

class KeptTreeMessages final
    : public grpc::MessageAllocator<api::GetOrgTreeRequest, api::GetOrgTreeResponse> {
 public:
  ~KeptTreeMessages() override {
    for (Holder* holder : kept_) delete holder;
  }

  grpc::MessageHolder<api::GetOrgTreeRequest, api::GetOrgTreeResponse>* AllocateMessages()
      override {
    {
      absl::MutexLock lock(&mu_);
      if (!kept_.empty()) {
        Holder* holder = kept_.back();
        kept_.pop_back();
        return holder;  // gRPC parses the request afresh; GetOrgTree clears the response
      }
    }
    return new Holder(*this);
  }

 private:
  class Holder final : public grpc::MessageHolder<api::GetOrgTreeRequest, api::GetOrgTreeResponse> {
   public:
    explicit Holder(KeptTreeMessages& owner) : owner_(owner) {
      set_request(&request_);
      set_response(&response_);
    }
    void Release() override { owner_.Keep(this); }

   private:
    KeptTreeMessages& owner_;
    api::GetOrgTreeRequest request_;
    api::GetOrgTreeResponse response_;
  };

  void Keep(Holder* holder) {
    {
      absl::MutexLock lock(&mu_);
      if (kept_.size() < kKeptTreeCallsMax) {
        kept_.push_back(holder);
        return;
      }
    }
    delete holder;
  }

  absl::Mutex mu_;
  std::vector<Holder*> kept_ ABSL_GUARDED_BY(mu_);
};

void ToApi(const AgencyAsOf& a, api::AgencySummary* out) {
  out->set_agency_id(a.agency_id);
  out->set_name(a.name);
  for (const std::string& n : a.extra_names) out->add_extra_names(n);
  out->set_kind(a.kind);
  out->set_rank(a.rank);
  out->set_parent_id(a.parent_id);
  out->set_funding_form(a.funding_form);
  out->set_jurisdiction(a.jurisdiction);
  out->set_civil_servant_managed(a.civil_servant_managed);
  out->set_role(a.role);
  out->set_established_on(a.established_on);
  out->set_ceased(a.ceased);
  out->set_ceased_on(a.ceased_on);
  out->set_ceased_how(a.ceased_how);
}

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

// The nodes of `tree` into `out`, reusing the (cleared) nodes of `spare`, and the agency
// summaries and string buffers in them, before allocating any.
void PackNodes(const projections::OrgTree& tree,
               google::protobuf::RepeatedPtrField<api::TreeNode> spare,
               google::protobuf::RepeatedPtrField<api::TreeNode>* out) {
  const int size = static_cast<int>(tree.nodes.size());
  if (spare.size() > size) spare.DeleteSubrange(size, spare.size() - size);
  out->Swap(&spare);
  out->Reserve(size);
  for (int i = 0; i < size; ++i) {
    api::TreeNode* n = i < out->size() ? out->Mutable(i) : out->Add();
    // Cleared to the last field, keeping only the summary object and its buffers.
    api::AgencySummary* agency = n->has_agency() ? n->release_agency() : nullptr;
    n->Clear();
    if (agency != nullptr) {
      agency->Clear();
      n->set_allocated_agency(agency);
    }
    const projections::OrgTree::Node& node = tree.nodes[static_cast<size_t>(i)];
    ToApi(*node.agency, n->mutable_agency());
    n->set_depth(node.depth);
  }
}

absl::Status GetOrgTree(const QueryEnv& env, projections::OrgSummaryCache& cache,
                        absl::Duration wait, const api::GetOrgTreeRequest& r,
                        api::GetOrgTreeResponse* out) {
  // The response may hold an earlier call's answer (KeptTreeMessages): all of it goes, but
  // its nodes are kept aside to pack into.
  google::protobuf::RepeatedPtrField<api::TreeNode> spare;
  spare.Swap(out->mutable_nodes());
  out->Clear();
  absl::StatusOr<std::string> date = DateOrToday(env, "as_of_date", r.as_of_date());
  if (!date.ok()) return date.status();
  if (absl::Status s = domain::ValidateText("jurisdiction", r.jurisdiction(), false); !s.ok())
    return s;
  projections::OrgTree tree;
  uint64_t position = 0;
  absl::Status read = r.as_of_position() == 0
                          ? ReadLiveTree(env, cache, wait, r, *date, &tree, &position)
                          : ReadModel(env, ProjectionInstance<projections::OrgProjection>(),
                                      r.min_position(), r.as_of_position(), wait,
                                      [&](const projections::EntityTable& org, uint64_t at) {
                                        position = at;
                                        tree = projections::OrgTreeAsOf(
                                            org, projections::OrgSummaries::Build(org, nullptr),
                                            *date, r.jurisdiction(), r.include_ceased());
                                      });
  if (!read.ok()) return read;
  // Packed without the read model's lock: the tree holds what it points to.
  out->set_as_of_date(*date);
  out->set_position(position);
  PackNodes(tree, std::move(spare), out->mutable_nodes());
  return absl::OkStatus();
}

absl::Status GetAgency(const QueryEnv& env, absl::Duration wait, const api::GetAgencyRequest& r,
                       api::GetAgencyResponse* out) {
  if (absl::Status s = domain::ValidateId("agency_id", r.agency_id()); !s.ok()) return s;
  absl::StatusOr<std::string> date = DateOrToday(env, "as_of_date", r.as_of_date());
  if (!date.ok()) return date.status();
  bool found = false;
  absl::Status read = ReadModel(
      env, ProjectionInstance<projections::OrgProjection>(), r.min_position(), r.as_of_position(),
      wait, [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        const auto* history =
            projections::ConstTable<projections::rm::AgencyHistory>(org).Find(r.agency_id());
        if (history == nullptr) return;
        const AgencyAsOf a = projections::FoldAgency(*history, *date);
        if (!a.exists) return;
        found = true;
        ToApi(a, out->mutable_agency());
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
        for (const projections::rm::AgencyChange& c : history->changes()) {
          if (c.ref().effective_date() > *date) break;
          api::HistoryEntry* h = out->add_history();
          ToApi(c.ref(), h->mutable_ref());
          h->set_summary(projections::SummarizeChange(c));
        }
      });
  if (!read.ok()) return read;
  if (!found) {
    return absl::NotFoundError(absl::StrCat("no agency ", r.agency_id(), " on ", *date));
  }
  return absl::OkStatus();
}

absl::Status DiffOrg(const QueryEnv& env, absl::Duration wait, const api::DiffOrgRequest& r,
                     api::DiffOrgResponse* out) {
  if (absl::Status s = domain::ValidateDate("from_date", r.from_date(), true); !s.ok()) return s;
  if (absl::Status s = domain::ValidateDate("to_date", r.to_date(), true); !s.ok()) return s;
  return env.runner.Read(
      ProjectionInstance<projections::OrgProjection>().name(), r.min_position(), wait,
      [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        projections::ConstTable<projections::rm::AgencyHistory> table(org);
        for (const auto& e : projections::DiffOrg(org, r.from_date(), r.to_date())) {
          const AgencyAsOf latest =
              projections::FoldAgency(*table.Find(e.agency_id), projections::kEndOfTime);
          if (!r.jurisdiction().empty() && latest.jurisdiction != r.jurisdiction()) continue;
          api::OrgDiffEntry* o = out->add_entries();
          o->set_agency_id(e.agency_id);
          o->set_name(latest.name);
          o->set_kind(e.kind);
          o->set_before(e.before);
          o->set_after(e.after);
        }
      });
}

absl::Status GetLineage(const QueryEnv& env, absl::Duration wait, const api::GetLineageRequest& r,
                        api::GetLineageResponse* out) {
  if (absl::Status s = domain::ValidateId("agency_id", r.agency_id()); !s.ok()) return s;
  bool found = false;
  absl::Status read = env.runner.Read(
      ProjectionInstance<projections::OrgProjection>().name(), r.min_position(), wait,
      [&](const projections::EntityTable& org, uint64_t position) {
        out->set_position(position);
        projections::ConstTable<projections::rm::AgencyHistory> table(org);
        if (table.Find(r.agency_id()) == nullptr) return;
        found = true;
        auto name = [&](const std::string& id) {
          const auto* h = table.Find(id);
          return h == nullptr ? std::string()
                              : projections::FoldAgency(*h, projections::kEndOfTime).name;
        };
        const projections::Lineage lineage = projections::LineageOf(org, r.agency_id());
        for (const bool predecessors : {true, false}) {
          for (const projections::LineageStep& step :
               predecessors ? lineage.predecessors : lineage.successors) {
            api::LineageStep* s = predecessors ? out->add_predecessors() : out->add_successors();
            s->set_from_agency_id(step.from_agency_id);
            s->set_from_name(name(step.from_agency_id));
            s->set_to_agency_id(step.to_agency_id);
            s->set_to_name(name(step.to_agency_id));
            s->set_kind(step.kind);
            ToApi(step.ref, s->mutable_ref());
          }
        }
      });
  if (!read.ok()) return read;
  if (!found) return absl::NotFoundError(absl::StrCat("no agency ", r.agency_id()));
  return absl::OkStatus();
}

}  // namespace

OrgQueryService::OrgQueryService(QueryEnv env)
    : env_(env), tree_messages_(std::make_unique<KeptTreeMessages>()) {
  SetMessageAllocatorFor_GetOrgTree(tree_messages_.get());
}

OrgQueryService::~OrgQueryService() = default;

grpc::ServerUnaryReactor* OrgQueryService::GetOrgTree(grpc::CallbackServerContext* context,
                                                      const api::GetOrgTreeRequest* request,
                                                      api::GetOrgTreeResponse* response) {
  return HandleQuery<api::GetOrgTreeRequest, api::GetOrgTreeResponse>(
      env_, context, request, response,
      [this](const QueryEnv& env, absl::Duration wait, const api::GetOrgTreeRequest& r,
             api::GetOrgTreeResponse* out) {
        return services::GetOrgTree(env, summaries_, wait, r, out);
      });
}

grpc::ServerUnaryReactor* OrgQueryService::GetAgency(grpc::CallbackServerContext* context,
                                                     const api::GetAgencyRequest* request,
                                                     api::GetAgencyResponse* response) {
  return HandleQuery<api::GetAgencyRequest, api::GetAgencyResponse>(env_, context, request,
                                                                    response, &services::GetAgency);
}

grpc::ServerUnaryReactor* OrgQueryService::DiffOrg(grpc::CallbackServerContext* context,
                                                   const api::DiffOrgRequest* request,
                                                   api::DiffOrgResponse* response) {
  return HandleQuery<api::DiffOrgRequest, api::DiffOrgResponse>(env_, context, request, response,
                                                                &services::DiffOrg);
}

grpc::ServerUnaryReactor* OrgQueryService::GetLineage(grpc::CallbackServerContext* context,
                                                      const api::GetLineageRequest* request,
                                                      api::GetLineageResponse* response) {
  return HandleQuery<api::GetLineageRequest, api::GetLineageResponse>(
      env_, context, request, response, &services::GetLineage);
}

}  // namespace reformlog::services
