// PowerCommandService: the gRPC face of PowerCommands — the list of administrative powers
// (权力清单) and who holds each item. Thin: every method hands its request to the shared command
// path (command_handler.h) with its decide function (services/domain/power_decide.h).
#ifndef REFORMLOG_SERVICES_POWER_POWER_COMMAND_SERVICE_H_
#define REFORMLOG_SERVICES_POWER_POWER_COMMAND_SERVICE_H_

#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "services/commands/command_handler.h"

namespace reformlog::services {

class PowerCommandService final : public api::v1::PowerCommands::CallbackService {
 public:
  explicit PowerCommandService(CommandEnv env) : env_(env) {
    env_.service = api::v1::PowerCommands::service_full_name();
  }

  grpc::ServerUnaryReactor* CatalogPowers(grpc::CallbackServerContext* context,
                                          const api::v1::CatalogPowersRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* DelegatePowers(grpc::CallbackServerContext* context,
                                           const api::v1::DelegatePowersRequest* request,
                                           api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ConcentratePowers(grpc::CallbackServerContext* context,
                                              const api::v1::ConcentratePowersRequest* request,
                                              api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ReturnPowers(grpc::CallbackServerContext* context,
                                         const api::v1::ReturnPowersRequest* request,
                                         api::v1::CommandResult* response) override;

 private:
  CommandEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_POWER_POWER_COMMAND_SERVICE_H_
