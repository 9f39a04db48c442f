#include "domain/event_codec.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
// Linked so that every domain event type is in the generated pool.
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/power_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::domain {

const google::protobuf::Message* EventPrototype(absl::string_view type) {
  // Touch one message of each file so the linker keeps their descriptors.
  static const bool linked = [] {
    v1::AgencyEstablished::descriptor();
    v1::PersonRegistered::descriptor();
    v1::PowerCatalogued::descriptor();
    v1::BudgetAppropriated::descriptor();
    v1::PlanDrafted::descriptor();
    return true;
  }();
  (void)linked;
  // The prototype of each type, found once: the pool lookup is a hash of the full name.
  static absl::Mutex mu;
  static auto* prototypes =
      new absl::flat_hash_map<std::string, const google::protobuf::Message*>();
  absl::MutexLock lock(&mu);
  auto it = prototypes->find(type);
  if (it != prototypes->end()) return it->second;
  const google::protobuf::Message* prototype = nullptr;
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(type));
  if (descriptor != nullptr) {
    prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  }
  prototypes->emplace(std::string(type), prototype);
  return prototype;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeEvent(absl::string_view type,
                                                                       absl::string_view data) {
  const google::protobuf::Message* prototype = EventPrototype(type);
  if (prototype == nullptr) return absl::NotFoundError(absl::StrCat("unknown event type ", type));
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  if (!message->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::DataLossError(absl::StrCat("event of type ", type, " does not parse"));
  }
  return message;
}

absl::StatusOr<const google::protobuf::Message*> DecodeEventOnArena(
    const google::protobuf::Message& prototype, absl::string_view data,
    google::protobuf::Arena& arena) {
  google::protobuf::Message* message = prototype.New(&arena);
  if (!message->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::DataLossError(
        absl::StrCat("event of type ", prototype.GetDescriptor()->full_name(), " does not parse"));
  }
  return message;
}

}  // namespace reformlog::domain
