// The fingerprint of a protobuf message: SHA-256 of its deterministic serialization, in
// lower-case hex. Two messages with the same fields set to the same values have the same
// fingerprint (unknown fields count too); what the bytes are may change with protobuf's
// version, so a fingerprint is for comparing within one deployment (idempotent commits: a
// request id reused for a different request; reformctl import: ids derived from a batch's
// content), never for storing as a permanent identity of the content.
#ifndef REFORMLOG_BASE_MESSAGE_DIGEST_H_
#define REFORMLOG_BASE_MESSAGE_DIGEST_H_

#include <string>

#include "google/protobuf/message.h"

namespace reformlog {

// 64 hex digits.
std::string MessageDigestHex(const google::protobuf::Message& message);

}  // namespace reformlog

#endif  // REFORMLOG_BASE_MESSAGE_DIGEST_H_
