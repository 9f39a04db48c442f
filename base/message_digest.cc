#include "base/message_digest.h"

#include "base/digest.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace reformlog {

std::string MessageDigestHex(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return DigestHex(HashOf(DigestAlgorithm::kSha256, {bytes}));
}

}  // namespace reformlog
