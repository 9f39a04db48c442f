#include "services/power/power_command_service.h"

#include "services/domain/power_decide.h"

namespace reformlog::services {

grpc::ServerUnaryReactor* PowerCommandService::CatalogPowers(
    grpc::CallbackServerContext* context, const api::v1::CatalogPowersRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideCatalogPowers);
}

grpc::ServerUnaryReactor* PowerCommandService::DelegatePowers(
    grpc::CallbackServerContext* context, const api::v1::DelegatePowersRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideDelegatePowers);
}

grpc::ServerUnaryReactor* PowerCommandService::ConcentratePowers(
    grpc::CallbackServerContext* context, const api::v1::ConcentratePowersRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response,
                       &domain::DecideConcentratePowers);
}

grpc::ServerUnaryReactor* PowerCommandService::ReturnPowers(
    grpc::CallbackServerContext* context, const api::v1::ReturnPowersRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideReturnPowers);
}

}  // namespace reformlog::services
