// MessageDigestHex (base/message_digest.h): the SHA-256 of a message's deterministic bytes.
#include "base/message_digest.h"

#include <string>

#include "base/digest.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"

namespace reformlog {
namespace {

google::protobuf::Struct Fields(std::initializer_list<std::pair<std::string, std::string>> kv) {
  google::protobuf::Struct s;
  for (const auto& [k, v] : kv) (*s.mutable_fields())[k].set_string_value(v);
  return s;
}

TEST(MessageDigestTest, IsTheSha256OfTheDeterministicBytes) {
  const google::protobuf::Struct s = Fields({{"agency", "xq-dag"}});
  std::string bytes;
  ASSERT_TRUE(s.SerializeToString(&bytes));  // one map entry: deterministic either way
  EXPECT_EQ(MessageDigestHex(s), DigestHex(HashOf(DigestAlgorithm::kSha256, {bytes})));
  EXPECT_EQ(MessageDigestHex(s).size(), 64u);
}

TEST(MessageDigestTest, EqualContentEqualDigestWhateverTheOrderOfAMap) {
  // Maps serialize in insertion (hash) order unless deterministic: the digest must not care.
  const google::protobuf::Struct a = Fields({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
  const google::protobuf::Struct b = Fields({{"d", "4"}, {"c", "3"}, {"b", "2"}, {"a", "1"}});
  EXPECT_EQ(MessageDigestHex(a), MessageDigestHex(b));
  EXPECT_NE(MessageDigestHex(a), MessageDigestHex(Fields({{"a", "1"}})));
  EXPECT_NE(MessageDigestHex(google::protobuf::Struct()), MessageDigestHex(a));
}

}  // namespace
}  // namespace reformlog
