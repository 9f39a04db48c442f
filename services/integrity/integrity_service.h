// IntegrityService: the gRPC face of the log's tamper evidence (api/v1/integrity.proto).
// Heads, checkpoints and proofs are read on the query pool; VerifyLog and SignCheckpoint
// run on the maintenance pool (one at a time, so a full verification never holds up
// queries). Who may call what is in security/access_rules.cc: reading heads, checkpoints and
// proofs is audit.read (the auditor's), signing and verifying are admin.
#ifndef REFORMLOG_SERVICES_INTEGRITY_INTEGRITY_SERVICE_H_
#define REFORMLOG_SERVICES_INTEGRITY_INTEGRITY_SERVICE_H_

#include <functional>
#include <vector>

#include "eventstore/verifiable_log.h"
#include "reformlog/api/v1/integrity.grpc.pb.h"
#include "services/integrity/log_keeper.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class IntegrityService final : public api::v1::Integrity::CallbackService {
 public:
  // `main` is the log proofs are served for; `keepers` are every log's (main first).
  // `on_altered` is called (from a worker) when a verification finds a log altered.
  IntegrityService(QueryEnv queries, QueryEnv maintenance, eventstore::VerifiableLog& main,
                   std::vector<integrity::LogKeeper*> keepers, std::function<void()> on_altered);

  grpc::ServerUnaryReactor* GetLogHead(grpc::CallbackServerContext* context,
                                       const api::v1::GetLogHeadRequest* request,
                                       api::v1::LogHead* response) override;
  grpc::ServerUnaryReactor* SignCheckpoint(grpc::CallbackServerContext* context,
                                           const api::v1::SignCheckpointRequest* request,
                                           api::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* ListCheckpoints(grpc::CallbackServerContext* context,
                                            const api::v1::ListCheckpointsRequest* request,
                                            api::v1::ListCheckpointsResponse* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext* context,
                                              const api::v1::InclusionProofRequest* request,
                                              api::v1::InclusionProofResponse* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context, const api::v1::ConsistencyProofRequest* request,
      api::v1::ConsistencyProofResponse* response) override;
  grpc::ServerUnaryReactor* VerifyLog(grpc::CallbackServerContext* context,
                                      const api::v1::VerifyLogRequest* request,
                                      api::v1::VerifyLogResponse* response) override;

 private:
  QueryEnv queries_;
  QueryEnv maintenance_;
  eventstore::VerifiableLog& main_;
  std::vector<integrity::LogKeeper*> keepers_;
  std::function<void()> on_altered_;
};

// The API form of a signed checkpoint.
void CheckpointToApi(const eventstore::CheckpointNote& note, api::v1::Checkpoint* out);
void LogReportToApi(const integrity::LogReport& report, api::v1::LogReport* out);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_INTEGRITY_INTEGRITY_SERVICE_H_
