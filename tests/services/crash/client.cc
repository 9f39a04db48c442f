#include "tests/services/crash/client.h"

namespace reformlog::services::crash {

grpc::Status Client::Send(const Request& r, api::CommandResult* result) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  switch (r.op) {
    case Op::kEstablish:
      return Call(r, &context, result, &api::OrgCommands::Stub::EstablishAgency, *org_);
    case Op::kGrantQuota:
      return Call(r, &context, result, &api::OrgCommands::Stub::GrantQuota, *org_);
    case Op::kAppropriate:
      return Call(r, &context, result, &api::BudgetCommands::Stub::Appropriate, *budget_);
    case Op::kDisburse:
      return Call(r, &context, result, &api::BudgetCommands::Stub::Disburse, *budget_);
    case Op::kRegister:
      return Call(r, &context, result, &api::StaffingCommands::Stub::RegisterPerson, *staffing_);
    case Op::kDepart:
      return Call(r, &context, result, &api::StaffingCommands::Stub::RecordDeparture, *staffing_);
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown op");
}

void Client::Start(const Request& r, InFlight* call, std::function<void(grpc::Status)> done) const {
  call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  switch (r.op) {
    case Op::kEstablish:
      return Begin<api::EstablishAgencyRequest>(r, call, done, [&](const auto* q) {
        org_->async()->EstablishAgency(&call->context, q, &call->result, std::move(done));
      });
    case Op::kGrantQuota:
      return Begin<api::ChangeQuotaRequest>(r, call, done, [&](const auto* q) {
        org_->async()->GrantQuota(&call->context, q, &call->result, std::move(done));
      });
    case Op::kAppropriate:
      return Begin<api::AppropriateRequest>(r, call, done, [&](const auto* q) {
        budget_->async()->Appropriate(&call->context, q, &call->result, std::move(done));
      });
    case Op::kDisburse:
      return Begin<api::DisburseRequest>(r, call, done, [&](const auto* q) {
        budget_->async()->Disburse(&call->context, q, &call->result, std::move(done));
      });
    case Op::kRegister:
      return Begin<api::RegisterPersonRequest>(r, call, done, [&](const auto* q) {
        staffing_->async()->RegisterPerson(&call->context, q, &call->result, std::move(done));
      });
    case Op::kDepart:
      return Begin<api::RecordDepartureRequest>(r, call, done, [&](const auto* q) {
        staffing_->async()->RecordDeparture(&call->context, q, &call->result, std::move(done));
      });
  }
}

bool IsRefusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::FAILED_PRECONDITION || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::ALREADY_EXISTS || code == grpc::StatusCode::ABORTED;
}

// `killed` tells a transport error caused by the kill (the answer is lost: in doubt) from
// one a live server gave (a failure of the test).
Answer Classify(const grpc::Status& s, const api::CommandResult& result, bool killed) {
  Answer a;
  a.code = s.error_code();
  a.message = s.error_message();
  if (s.ok()) {
    a.kind = Answer::kOk;
    a.result = result;
  } else if (IsRefusal(s.error_code())) {
    a.kind = Answer::kRefused;
  } else {
    a.kind = killed ? Answer::kInDoubt : Answer::kUnexpected;
  }
  return a;
}

}  // namespace reformlog::services::crash
