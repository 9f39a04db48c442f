// Authenticator: who is calling. The principal recorded with every event comes from here,
// never from a request body.
#ifndef REFORMLOG_SERVICES_COMMON_AUTHENTICATOR_H_
#define REFORMLOG_SERVICES_COMMON_AUTHENTICATOR_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"

namespace reformlog::services {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The authenticated principal of the call, or UNAUTHENTICATED / PERMISSION_DENIED.
  virtual absl::StatusOr<std::string> Principal(
      const grpc::CallbackServerContext& context) const = 0;
};

// One local principal for every call: a single-operator deployment on a trusted host
// (reformd --principal). Transport authentication (TLS client certificates) replaces it.
class LocalPrincipalAuthenticator final : public Authenticator {
 public:
  explicit LocalPrincipalAuthenticator(std::string principal) : principal_(std::move(principal)) {}
  absl::StatusOr<std::string> Principal(
      const grpc::CallbackServerContext& /*context*/) const override {
    return principal_;
  }

 private:
  std::string principal_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_AUTHENTICATOR_H_
