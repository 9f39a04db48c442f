#include "services/common/unparsed_request_interceptor.h"

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/interceptor.h"
#include "grpcpp/support/status.h"

namespace reformlog::services {
namespace {

using grpc::experimental::InterceptionHookPoints;

class UnparsedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UnparsedRequestInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The one request message of the call; null when it did not parse.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && unparsed_) {
      methods->ModifySendStatus(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, UnparsedRequestMessage(method_)));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  std::atomic<bool> unparsed_{false};
};

class UnparsedRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    using Type = grpc::experimental::ServerRpcInfo::Type;
    // Only these take exactly one message, parsed before the handler runs; a streaming
    // request's reads end with a null message too, at the end of the stream.
    if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) return nullptr;
    return new UnparsedRequestInterceptor(info->method() == nullptr ? "" : info->method());
  }
};

}  // namespace

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
UnparsedRequestInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<UnparsedRequestInterceptorFactory>());
  return factories;
}

std::string UnparsedRequestMessage(absl::string_view method) {
  // "/package.Service/Method" is the method "package.Service.Method" of the descriptor pool.
  const std::string full_name =
      absl::StrReplaceAll(method.substr(method.empty() || method[0] != '/' ? 0 : 1), {{"/", "."}});
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  return absl::StrCat(
      "the request does not parse",
      descriptor == nullptr ? "" : absl::StrCat(" as a ", descriptor->input_type()->name()),
      ": a string field that is not valid UTF-8, or truncated or malformed bytes");
}

}  // namespace reformlog::services
