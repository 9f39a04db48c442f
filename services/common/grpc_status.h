// Converting between absl::Status and grpc::Status. The canonical codes are the same
// numbers in both; only the types differ.
#ifndef REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_
#define REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace reformlog::services {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_
