#include "services/org/org_command_service.h"

#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"

namespace reformlog::services {

grpc::ServerUnaryReactor* OrgCommandService::EstablishAgency(
    grpc::CallbackServerContext* context, const api::v1::EstablishAgencyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideEstablishAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::RenameAgency(
    grpc::CallbackServerContext* context, const api::v1::RenameAgencyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRenameAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::AddExtraName(grpc::CallbackServerContext* context,
                                                          const api::v1::ExtraNameRequest* request,
                                                          api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAddExtraName);
}

grpc::ServerUnaryReactor* OrgCommandService::RemoveExtraName(
    grpc::CallbackServerContext* context, const api::v1::ExtraNameRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRemoveExtraName);
}

grpc::ServerUnaryReactor* OrgCommandService::ReparentAgency(
    grpc::CallbackServerContext* context, const api::v1::ReparentAgencyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideReparentAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::RerankAgency(
    grpc::CallbackServerContext* context, const api::v1::RerankAgencyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRerankAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::MergeAgencies(
    grpc::CallbackServerContext* context, const api::v1::MergeAgenciesRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideMergeAgencies);
}

grpc::ServerUnaryReactor* OrgCommandService::SplitAgency(grpc::CallbackServerContext* context,
                                                         const api::v1::SplitAgencyRequest* request,
                                                         api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideSplitAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::AbolishAgency(
    grpc::CallbackServerContext* context, const api::v1::AbolishAgencyRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAbolishAgency);
}

grpc::ServerUnaryReactor* OrgCommandService::CreateDivision(
    grpc::CallbackServerContext* context, const api::v1::CreateDivisionRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideCreateDivision);
}

grpc::ServerUnaryReactor* OrgCommandService::AbolishDivision(
    grpc::CallbackServerContext* context, const api::v1::AbolishDivisionRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAbolishDivision);
}

grpc::ServerUnaryReactor* OrgCommandService::IssueMandate(
    grpc::CallbackServerContext* context, const api::v1::IssueMandateRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideIssueMandate);
}

grpc::ServerUnaryReactor* OrgCommandService::ApproveLeaderPosts(
    grpc::CallbackServerContext* context, const api::v1::ApproveLeaderPostsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response,
                       &domain::DecideApproveLeaderPosts);
}

grpc::ServerUnaryReactor* OrgCommandService::TransferFunctions(
    grpc::CallbackServerContext* context, const api::v1::TransferFunctionsRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response,
                       &domain::DecideTransferFunctions);
}

grpc::ServerUnaryReactor* OrgCommandService::GrantQuota(grpc::CallbackServerContext* context,
                                                        const api::v1::ChangeQuotaRequest* request,
                                                        api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideGrantQuota);
}

grpc::ServerUnaryReactor* OrgCommandService::WithdrawQuota(
    grpc::CallbackServerContext* context, const api::v1::ChangeQuotaRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideWithdrawQuota);
}

grpc::ServerUnaryReactor* OrgCommandService::TransferQuota(
    grpc::CallbackServerContext* context, const api::v1::TransferQuotaRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideTransferQuota);
}

}  // namespace reformlog::services
