// StaffingCommandService: the gRPC face of StaffingCommands — people in post (实名制), leader posts
// and reform locks. Thin: every method hands its request to the shared command path
// (command_handler.h) with its decide function (services/domain/staffing_decide.h).
#ifndef REFORMLOG_SERVICES_STAFFING_STAFFING_COMMAND_SERVICE_H_
#define REFORMLOG_SERVICES_STAFFING_STAFFING_COMMAND_SERVICE_H_

#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "services/commands/command_handler.h"

namespace reformlog::services {

class StaffingCommandService final : public api::v1::StaffingCommands::CallbackService {
 public:
  explicit StaffingCommandService(CommandEnv env) : env_(env) {
    env_.service = api::v1::StaffingCommands::service_full_name();
  }

  grpc::ServerUnaryReactor* RegisterPerson(grpc::CallbackServerContext* context,
                                           const api::v1::RegisterPersonRequest* request,
                                           api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RegisterPersons(grpc::CallbackServerContext* context,
                                            const api::v1::RegisterPersonsRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* TransferPersons(grpc::CallbackServerContext* context,
                                            const api::v1::TransferPersonsRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AppointLeader(grpc::CallbackServerContext* context,
                                          const api::v1::AppointLeaderRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RemoveLeader(grpc::CallbackServerContext* context,
                                         const api::v1::RemoveLeaderRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RecordDeparture(grpc::CallbackServerContext* context,
                                            const api::v1::RecordDepartureRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* LockRecords(grpc::CallbackServerContext* context,
                                        const api::v1::LockRecordsRequest* request,
                                        api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* UnlockRecords(grpc::CallbackServerContext* context,
                                          const api::v1::LockRecordsRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RequestQuotaUse(grpc::CallbackServerContext* context,
                                            const api::v1::RequestQuotaUseRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ApproveQuotaUse(grpc::CallbackServerContext* context,
                                            const api::v1::ApproveQuotaUseRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* DeclineQuotaUse(grpc::CallbackServerContext* context,
                                            const api::v1::CloseQuotaUseRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* WithdrawQuotaUse(grpc::CallbackServerContext* context,
                                             const api::v1::CloseQuotaUseRequest* request,
                                             api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* SetQuotaUsePolicy(grpc::CallbackServerContext* context,
                                              const api::v1::SetQuotaUsePolicyRequest* request,
                                              api::v1::CommandResult* response) override;

 private:
  CommandEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_STAFFING_STAFFING_COMMAND_SERVICE_H_
