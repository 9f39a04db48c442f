#include "services/staffing/staffing_command_service.h"

#include "services/domain/quota_use_decide.h"
#include "services/domain/staffing_decide.h"

namespace reformlog::services {

grpc::ServerUnaryReactor* StaffingCommandService::RegisterPerson(
    grpc::CallbackServerContext* context, const api::v1::RegisterPersonRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRegisterPerson);
}

grpc::ServerUnaryReactor* StaffingCommandService::RegisterPersons(
    grpc::CallbackServerContext* context, const api::v1::RegisterPersonsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRegisterPersons);
}

grpc::ServerUnaryReactor* StaffingCommandService::TransferPersons(
    grpc::CallbackServerContext* context, const api::v1::TransferPersonsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideTransferPersons);
}

grpc::ServerUnaryReactor* StaffingCommandService::AppointLeader(
    grpc::CallbackServerContext* context, const api::v1::AppointLeaderRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAppointLeader);
}

grpc::ServerUnaryReactor* StaffingCommandService::RemoveLeader(
    grpc::CallbackServerContext* context, const api::v1::RemoveLeaderRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRemoveLeader);
}

grpc::ServerUnaryReactor* StaffingCommandService::RecordDeparture(
    grpc::CallbackServerContext* context, const api::v1::RecordDepartureRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRecordDeparture);
}

grpc::ServerUnaryReactor* StaffingCommandService::LockRecords(
    grpc::CallbackServerContext* context, const api::v1::LockRecordsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideLockRecords);
}

grpc::ServerUnaryReactor* StaffingCommandService::UnlockRecords(
    grpc::CallbackServerContext* context, const api::v1::LockRecordsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideUnlockRecords);
}

grpc::ServerUnaryReactor* StaffingCommandService::RequestQuotaUse(
    grpc::CallbackServerContext* context, const api::v1::RequestQuotaUseRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRequestQuotaUse);
}

grpc::ServerUnaryReactor* StaffingCommandService::ApproveQuotaUse(
    grpc::CallbackServerContext* context, const api::v1::ApproveQuotaUseRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideApproveQuotaUse);
}

grpc::ServerUnaryReactor* StaffingCommandService::DeclineQuotaUse(
    grpc::CallbackServerContext* context, const api::v1::CloseQuotaUseRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideDeclineQuotaUse);
}

grpc::ServerUnaryReactor* StaffingCommandService::WithdrawQuotaUse(
    grpc::CallbackServerContext* context, const api::v1::CloseQuotaUseRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideWithdrawQuotaUse);
}

grpc::ServerUnaryReactor* StaffingCommandService::SetQuotaUsePolicy(
    grpc::CallbackServerContext* context, const api::v1::SetQuotaUsePolicyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response,
                       &domain::DecideSetQuotaUsePolicy);
}

}  // namespace reformlog::services
