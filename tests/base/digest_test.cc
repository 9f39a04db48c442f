#include "base/digest.h"

#include <string>

#include "gtest/gtest.h"

namespace reformlog {
namespace {

// GB/T 32905-2016, appendix A: examples 1 and 2.
TEST(DigestTest, Sm3MatchesTheStandardsExamples) {
  EXPECT_EQ(DigestHex(HashOf(DigestAlgorithm::kSm3, {"abc"})),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string sixty_four;
  for (int i = 0; i < 16; ++i) sixty_four += "abcd";
  EXPECT_EQ(DigestHex(HashOf(DigestAlgorithm::kSm3, {sixty_four})),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

// FIPS 180-2, appendix B.1.
TEST(DigestTest, Sha256MatchesTheStandardsExample) {
  EXPECT_EQ(DigestHex(HashOf(DigestAlgorithm::kSha256, {"abc"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, PartsHashAsTheirConcatenationAndAHasherIsReusable) {
  Hasher hasher(DigestAlgorithm::kSm3);
  hasher.Update("a");
  hasher.Update("bc");
  EXPECT_EQ(hasher.Finish(), HashOf(DigestAlgorithm::kSm3, {"abc"}));
  hasher.Update("abc");
  EXPECT_EQ(hasher.Finish(), HashOf(DigestAlgorithm::kSm3, {"ab", "c"}));
}

TEST(DigestTest, NamesAndHexRoundTripAndBadInputIsNamed) {
  EXPECT_EQ(*ParseDigestAlgorithm(DigestName(DigestAlgorithm::kSm3)), DigestAlgorithm::kSm3);
  EXPECT_EQ(*ParseDigestAlgorithm("sha256"), DigestAlgorithm::kSha256);
  const absl::StatusOr<DigestAlgorithm> md5 = ParseDigestAlgorithm("md5");
  EXPECT_EQ(md5.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(md5.status().message().find("md5"), std::string::npos);

  const Digest digest = HashOf(DigestAlgorithm::kSha256, {"x"});
  EXPECT_EQ(*ParseDigestHex(DigestHex(digest)), digest);
  EXPECT_EQ(ParseDigestHex("abc").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDigestHex(std::string(64, 'g')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DigestFromBytes("short").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reformlog
