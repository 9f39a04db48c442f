#include "services/org/org_tree_messages.h"

#include <string>

namespace reformlog::services {

namespace api = ::reformlog::api::v1;

class KeptTreeMessages::Holder final
    : public grpc::MessageHolder<api::GetOrgTreeRequest, api::GetOrgTreeResponse> {
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

KeptTreeMessages::~KeptTreeMessages() {
  for (Holder* holder : kept_) delete holder;
}

grpc::MessageHolder<api::GetOrgTreeRequest, api::GetOrgTreeResponse>*
KeptTreeMessages::AllocateMessages() {
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

void KeptTreeMessages::Keep(Holder* holder) {
  {
    absl::MutexLock lock(&mu_);
    if (kept_.size() < kKeptTreeCallsMax) {
      kept_.push_back(holder);
      return;
    }
  }
  delete holder;
}

void ToApi(const projections::AgencyAsOf& a, const std::string& ceased_how,
           api::AgencySummary* out) {
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
  out->set_ceased_how(ceased_how);
}

void PackNodes(const projections::OrgTree& tree, domain::Language language,
               google::protobuf::RepeatedPtrField<api::TreeNode> spare,
               google::protobuf::RepeatedPtrField<api::TreeNode>* out) {
  // Agencies a cessation names, by their latest names (which the summaries hold).
  const projections::NameOf name_of = [&tree](const std::string& id) {
    const int i = tree.summaries == nullptr ? -1 : tree.summaries->IndexOf(id);
    return i < 0 ? std::string() : tree.summaries->at(static_cast<size_t>(i)).agency.name;
  };
  const std::string not_ceased;
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
    ToApi(*node.agency,
          node.agency->ceased ? DescribeCessation(node.agency->ceased_how, language, name_of)
                              : not_ceased,
          n->mutable_agency());
    n->set_depth(node.depth);
  }
}

}  // namespace reformlog::services
