// UnparsedRequestInterceptor: a request that does not parse (a proto3 string field that is not
// valid UTF-8, truncated or malformed bytes) is answered INVALID_ARGUMENT "the request does not
// parse as a CreateAgencyRequest (…)", for every unary and server-streaming method of reformd.
//
// Why an interceptor: gRPC 1.51's callback handlers (CallbackUnaryHandler and
// CallbackServerStreamingHandler in grpcpp/impl/codegen/server_callback_handlers.h) parse the
// request before any service code runs; when that fails, RunHandler drops the parse status and
// finishes the call itself with UNIMPLEMENTED and an empty message. A server interceptor sees both
// ends of such a call: the received message is null at POST_RECV_MESSAGE, and the status can be
// replaced at PRE_SEND_STATUS. Nothing else changes: a request that parses, a client- or
// bidi-streaming call (reflection), an unknown method (still UNIMPLEMENTED) pass untouched.
//
// Install once per server: builder.experimental().SetInterceptorCreators(
// UnparsedRequestInterceptors()). Thread-safe; one interceptor per call.
#ifndef REFORMLOG_SERVICES_COMMON_UNPARSED_REQUEST_INTERCEPTOR_H_
#define REFORMLOG_SERVICES_COMMON_UNPARSED_REQUEST_INTERCEPTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace reformlog::services {

// The factories to give ServerBuilder: one that makes an UnparsedRequestInterceptor for every
// call whose request is a single message.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
UnparsedRequestInterceptors();

// The message a request of `method` ("/reformlog.api.v1.OrgCommands/CreateAgency") that does not
// parse is answered with, naming its request type when the method is known.
std::string UnparsedRequestMessage(absl::string_view method);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_UNPARSED_REQUEST_INTERCEPTOR_H_
