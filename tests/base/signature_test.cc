#include "base/signature.h"

#include <string>

#include "gtest/gtest.h"

namespace reformlog {
namespace {

class SignatureTest : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(SignatureTest, ASignatureVerifiesOnlyForItsMessageAndKey) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->algorithm(), GetParam());
  EXPECT_EQ(key->key_id().size(), 16u);
  absl::StatusOr<std::string> signature = key->Sign("checkpoint 42");
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_TRUE(key->verifying_key().Verify("checkpoint 42", *signature).ok());

  const absl::Status other_message = key->verifying_key().Verify("checkpoint 43", *signature);
  EXPECT_EQ(other_message.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(other_message.message().find(key->key_id()), std::string::npos);
  std::string flipped = *signature;
  flipped[flipped.size() / 2] ^= 0x01;
  EXPECT_EQ(key->verifying_key().Verify("checkpoint 42", flipped).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(key->verifying_key().Verify("checkpoint 42", "").code(),
            absl::StatusCode::kUnauthenticated);

  absl::StatusOr<SigningKey> other = SigningKey::Generate(GetParam());
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->key_id(), key->key_id());
  EXPECT_EQ(other->verifying_key().Verify("checkpoint 42", *signature).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(SignatureTest, KeysRoundTripThroughPem) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  absl::StatusOr<SigningKey> reloaded = SigningKey::FromPrivatePem(key->PrivatePem());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->key_id(), key->key_id());
  EXPECT_EQ(reloaded->algorithm(), GetParam());
  absl::StatusOr<VerifyingKey> public_key =
      VerifyingKey::FromPublicPem(key->verifying_key().public_pem());
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_EQ(public_key->key_id(), key->key_id());
  absl::StatusOr<std::string> signature = reloaded->Sign("m");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(public_key->Verify("m", *signature).ok());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, SignatureTest,
                         ::testing::Values(SignatureAlgorithm::kSm2, SignatureAlgorithm::kEd25519),
                         [](const auto& info) { return std::string(SignatureName(info.param)); });

TEST(SignatureKeysTest, MalformedKeysAreRefusedByName) {
  const absl::StatusOr<SigningKey> garbage = SigningKey::FromPrivatePem("-----BEGIN nonsense");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("PEM private key"), std::string::npos);
  EXPECT_EQ(VerifyingKey::FromPublicPem("").status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<SigningKey> key = SigningKey::Generate(SignatureAlgorithm::kEd25519);
  ASSERT_TRUE(key.ok());
  // A private key where a public one belongs.
  EXPECT_EQ(VerifyingKey::FromPublicPem(key->PrivatePem()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureAlgorithm("rsa").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reformlog
