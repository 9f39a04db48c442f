#include "services/integrity/integrity_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace reformlog::services {
namespace {

using api::v1::Integrity;

std::string Bytes(const Digest& digest) { return std::string(DigestBytes(digest)); }

}  // namespace

void CheckpointToApi(const eventstore::CheckpointNote& note, api::v1::Checkpoint* out) {
  out->set_size(note.head.size);
  out->set_chain(Bytes(note.head.chain));
  out->set_root(Bytes(note.head.root));
  out->set_digest(std::string(DigestName(note.digest)));
  out->set_signed_at_us(absl::ToUnixMicros(note.time));
  out->set_signature_algorithm(std::string(SignatureName(note.signature_algorithm)));
  out->set_key_id(note.key_id);
  out->set_signature(note.signature);
  out->set_note(note.Text());
}

void LogReportToApi(const integrity::LogReport& report, api::v1::LogReport* out) {
  out->set_log(report.log);
  out->set_intact(report.intact);
  out->set_verified_from(report.verified_from);
  out->set_verified_to(report.verified_to);
  out->set_checkpoints_checked(report.checkpoints_checked);
  out->set_first_bad_position(report.first_bad_position);
  out->set_problem(report.problem);
}

IntegrityService::IntegrityService(QueryEnv queries, QueryEnv maintenance,
                                   eventstore::VerifiableLog& main,
                                   std::vector<integrity::LogKeeper*> keepers,
                                   std::function<void()> on_altered)
    : queries_(queries),
      maintenance_(maintenance),
      main_(main),
      keepers_(std::move(keepers)),
      on_altered_(std::move(on_altered)) {
  queries_.service = Integrity::service_full_name();
  maintenance_.service = Integrity::service_full_name();
}

grpc::ServerUnaryReactor* IntegrityService::GetLogHead(grpc::CallbackServerContext* context,
                                                       const api::v1::GetLogHeadRequest* request,
                                                       api::v1::LogHead* response) {
  return HandleQuery<api::v1::GetLogHeadRequest, api::v1::LogHead>(
      queries_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::GetLogHeadRequest&,
             api::v1::LogHead* out) {
        const eventstore::LogHead head = main_.Head();
        out->set_size(head.size);
        out->set_chain(Bytes(head.chain));
        out->set_root(Bytes(head.root));
        out->set_digest(std::string(DigestName(main_.digest_algorithm())));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IntegrityService::SignCheckpoint(
    grpc::CallbackServerContext* context, const api::v1::SignCheckpointRequest* request,
    api::v1::Checkpoint* response) {
  return HandleQuery<api::v1::SignCheckpointRequest, api::v1::Checkpoint>(
      maintenance_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::SignCheckpointRequest&,
             api::v1::Checkpoint* out) -> absl::Status {
        for (size_t i = 1; i < keepers_.size(); ++i) {
          RETURN_IF_ERROR(keepers_[i]->SignNow().status());
        }
        ASSIGN_OR_RETURN(eventstore::CheckpointNote note, keepers_.front()->SignNow());
        CheckpointToApi(note, out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IntegrityService::ListCheckpoints(
    grpc::CallbackServerContext* context, const api::v1::ListCheckpointsRequest* request,
    api::v1::ListCheckpointsResponse* response) {
  return HandleQuery<api::v1::ListCheckpointsRequest, api::v1::ListCheckpointsResponse>(
      queries_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::ListCheckpointsRequest& in,
             api::v1::ListCheckpointsResponse* out) -> absl::Status {
        if (in.max_count() > eventstore::kCheckpointsPerReadMax) {
          return absl::InvalidArgumentError(absl::StrCat("max_count ", in.max_count(),
                                                         " is over kCheckpointsPerReadMax (",
                                                         eventstore::kCheckpointsPerReadMax, ")"));
        }
        ASSIGN_OR_RETURN(std::vector<eventstore::StoredCheckpoint> stored,
                         main_.ListCheckpoints(in.from_size(), in.max_count()));
        for (const eventstore::StoredCheckpoint& checkpoint : stored) {
          absl::StatusOr<eventstore::CheckpointNote> note =
              eventstore::ParseCheckpoint(checkpoint.bytes);
          if (!note.ok()) {
            return absl::DataLossError(absl::StrCat("the checkpoint stored at size ",
                                                    checkpoint.size,
                                                    " does not parse: ", note.status().message()));
          }
          CheckpointToApi(*note, out->add_checkpoints());
        }
        out->set_public_key_pem(keepers_.front()->public_key_pem());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IntegrityService::GetInclusionProof(
    grpc::CallbackServerContext* context, const api::v1::InclusionProofRequest* request,
    api::v1::InclusionProofResponse* response) {
  return HandleQuery<api::v1::InclusionProofRequest, api::v1::InclusionProofResponse>(
      queries_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::InclusionProofRequest& in,
             api::v1::InclusionProofResponse* out) -> absl::Status {
        const uint64_t size = in.size() == 0 ? main_.Head().size : in.size();
        ASSIGN_OR_RETURN(std::vector<Digest> path, main_.InclusionProof(in.position(), size));
        ASSIGN_OR_RETURN(Digest leaf, main_.LeafAt(in.position()));
        ASSIGN_OR_RETURN(eventstore::LogHead head, main_.HeadAt(size));
        ASSIGN_OR_RETURN(eventstore::LogHead before, main_.HeadAt(in.position() - 1));
        out->set_position(in.position());
        out->set_size(size);
        out->set_leaf_hash(Bytes(leaf));
        for (const Digest& d : path) out->add_path(Bytes(d));
        out->set_root(Bytes(head.root));
        out->set_previous_chain(Bytes(before.chain));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IntegrityService::GetConsistencyProof(
    grpc::CallbackServerContext* context, const api::v1::ConsistencyProofRequest* request,
    api::v1::ConsistencyProofResponse* response) {
  return HandleQuery<api::v1::ConsistencyProofRequest, api::v1::ConsistencyProofResponse>(
      queries_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::ConsistencyProofRequest& in,
             api::v1::ConsistencyProofResponse* out) -> absl::Status {
        const uint64_t new_size = in.new_size() == 0 ? main_.Head().size : in.new_size();
        ASSIGN_OR_RETURN(std::vector<Digest> path, main_.ConsistencyProof(in.old_size(), new_size));
        ASSIGN_OR_RETURN(eventstore::LogHead old_head, main_.HeadAt(in.old_size()));
        ASSIGN_OR_RETURN(eventstore::LogHead new_head, main_.HeadAt(new_size));
        out->set_old_size(in.old_size());
        out->set_new_size(new_size);
        for (const Digest& d : path) out->add_path(Bytes(d));
        out->set_old_root(Bytes(old_head.root));
        out->set_new_root(Bytes(new_head.root));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IntegrityService::VerifyLog(grpc::CallbackServerContext* context,
                                                      const api::v1::VerifyLogRequest* request,
                                                      api::v1::VerifyLogResponse* response) {
  return HandleQuery<api::v1::VerifyLogRequest, api::v1::VerifyLogResponse>(
      maintenance_, __func__, context, request, response,
      [this](const QueryEnv&, absl::Duration, const api::v1::VerifyLogRequest& in,
             api::v1::VerifyLogResponse* out) -> absl::Status {
        bool altered = false;
        for (integrity::LogKeeper* keeper : keepers_) {
          ASSIGN_OR_RETURN(integrity::LogReport report,
                           in.full() ? keeper->VerifyFull() : keeper->VerifyOnOpen());
          altered = altered || !report.intact;
          LogReportToApi(report, out->add_logs());
        }
        if (altered && on_altered_) on_altered_();
        return absl::OkStatus();
      });
}

}  // namespace reformlog::services
