// OrgCommandService: the gRPC face of OrgCommands — agencies, restructures, mandates (三定) and
// quotas (编制). Thin: every method hands its request to the shared command path
// (command_handler.h) with its decide function (services/domain/org_*_decide.h).
#ifndef REFORMLOG_SERVICES_ORG_ORG_COMMAND_SERVICE_H_
#define REFORMLOG_SERVICES_ORG_ORG_COMMAND_SERVICE_H_

#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "services/commands/command_handler.h"

namespace reformlog::services {

class OrgCommandService final : public api::v1::OrgCommands::CallbackService {
 public:
  explicit OrgCommandService(CommandEnv env) : env_(env) {
    env_.service = api::v1::OrgCommands::service_full_name();
  }

  grpc::ServerUnaryReactor* EstablishAgency(grpc::CallbackServerContext* context,
                                            const api::v1::EstablishAgencyRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RenameAgency(grpc::CallbackServerContext* context,
                                         const api::v1::RenameAgencyRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AddExtraName(grpc::CallbackServerContext* context,
                                         const api::v1::ExtraNameRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RemoveExtraName(grpc::CallbackServerContext* context,
                                            const api::v1::ExtraNameRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ReparentAgency(grpc::CallbackServerContext* context,
                                           const api::v1::ReparentAgencyRequest* request,
                                           api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RerankAgency(grpc::CallbackServerContext* context,
                                         const api::v1::RerankAgencyRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* MergeAgencies(grpc::CallbackServerContext* context,
                                          const api::v1::MergeAgenciesRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* SplitAgency(grpc::CallbackServerContext* context,
                                        const api::v1::SplitAgencyRequest* request,
                                        api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AbolishAgency(grpc::CallbackServerContext* context,
                                          const api::v1::AbolishAgencyRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* CreateDivision(grpc::CallbackServerContext* context,
                                           const api::v1::CreateDivisionRequest* request,
                                           api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AbolishDivision(grpc::CallbackServerContext* context,
                                            const api::v1::AbolishDivisionRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* IssueMandate(grpc::CallbackServerContext* context,
                                         const api::v1::IssueMandateRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ApproveLeaderPosts(grpc::CallbackServerContext* context,
                                               const api::v1::ApproveLeaderPostsRequest* request,
                                               api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* TransferFunctions(grpc::CallbackServerContext* context,
                                              const api::v1::TransferFunctionsRequest* request,
                                              api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* GrantQuota(grpc::CallbackServerContext* context,
                                       const api::v1::ChangeQuotaRequest* request,
                                       api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* WithdrawQuota(grpc::CallbackServerContext* context,
                                          const api::v1::ChangeQuotaRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* TransferQuota(grpc::CallbackServerContext* context,
                                          const api::v1::TransferQuotaRequest* request,
                                          api::v1::CommandResult* response) override;

 private:
  CommandEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_ORG_ORG_COMMAND_SERVICE_H_
