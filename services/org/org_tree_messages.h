// Wire-level reuse for GetOrgTree. A tree of 2,000 agencies is some 16,000 small messages
// and strings; building them afresh for every call, and freeing them after, cost more than
// choosing the tree. So GetOrgTree's messages are kept for a later call, which packs into the
// nodes, messages and string buffers of an earlier answer.
//
//  * KeptTreeMessages: a grpc::MessageAllocator that keeps at most kKeptTreeCallsMax calls'
//    request/response pairs (each as large as the largest tree it held) and frees the rest.
//    Thread-safe. A kept response still holds its previous answer: the caller clears it.
//  * PackNodes: the nodes of a tree into `out`, reusing the (cleared) nodes of `spare` and
//    the agency summaries and string buffers in them before allocating any.
#ifndef REFORMLOG_SERVICES_ORG_ORG_TREE_MESSAGES_H_
#define REFORMLOG_SERVICES_ORG_ORG_TREE_MESSAGES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "domain/language.h"
#include "grpcpp/support/message_allocator.h"
#include "projections/org/org_view.h"
#include "reformlog/api/v1/org_queries.pb.h"

namespace reformlog::services {

inline constexpr size_t kKeptTreeCallsMax = 4;

class KeptTreeMessages final
    : public grpc::MessageAllocator<api::v1::GetOrgTreeRequest, api::v1::GetOrgTreeResponse> {
 public:
  ~KeptTreeMessages() override;
  grpc::MessageHolder<api::v1::GetOrgTreeRequest, api::v1::GetOrgTreeResponse>* AllocateMessages()
      override;

 private:
  class Holder;
  void Keep(Holder* holder);

  absl::Mutex mu_;
  std::vector<Holder*> kept_ ABSL_GUARDED_BY(mu_);
};

// How a ceased agency went is said in `language`, naming agencies by the tree's summaries.
void PackNodes(const projections::OrgTree& tree, domain::Language language,
               google::protobuf::RepeatedPtrField<api::v1::TreeNode> spare,
               google::protobuf::RepeatedPtrField<api::v1::TreeNode>* out);

// An agency summary as the API carries it, with `ceased_how` (DescribeCessation) as its text.
void ToApi(const projections::AgencyAsOf& a, const std::string& ceased_how,
           api::v1::AgencySummary* out);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_ORG_ORG_TREE_MESSAGES_H_
