#include "eventstore/log_hash.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace reformlog::eventstore {
namespace {

constexpr DigestAlgorithm kSha = DigestAlgorithm::kSha256;

// The leaves of the RFC 6962 reference tree (certificate-transparency's merkle tests).
std::vector<std::string> ReferenceLeaves() {
  return {"",
          std::string(1, '\x00'),
          "\x10",
          " !",                 // 0x20 0x21
          "01",                 // 0x30 0x31
          "@ABC",               // 0x40 … 0x43
          "PQRSTUVW",           // 0x50 … 0x57
          "`abcdefghijklmno"};  // 0x60 … 0x6f
}

// A tree grown leaf by leaf, its stored nodes in a map, as a store keeps them.
struct Tree {
  explicit Tree(DigestAlgorithm a) : algorithm(a) {}
  void Add(absl::string_view leaf_bytes) {
    frontier.Append(algorithm, LeafHash(algorithm, leaf_bytes), [&](const MerkleFrontier::Node& n) {
      nodes[{n.level, n.index}] = n.hash;
    });
  }
  absl::StatusOr<Digest> Read(int level, uint64_t index) const {
    auto it = nodes.find({level, index});
    if (it == nodes.end()) return absl::DataLossError("no such node");
    return it->second;
  }
  auto Reader() const {
    return [this](int level, uint64_t index) { return Read(level, index); };
  }
  DigestAlgorithm algorithm;
  MerkleFrontier frontier;
  std::map<std::pair<int, uint64_t>, Digest> nodes;
};

std::string Hex(const Digest& d) { return DigestHex(d); }

TEST(LogHashTest, RootsMatchTheRfc6962ReferenceTree) {
  const std::vector<std::string> expected = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  Tree tree(kSha);
  EXPECT_EQ(Hex(tree.frontier.Root(kSha)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::vector<std::string> leaves = ReferenceLeaves();
  for (size_t n = 1; n <= leaves.size(); ++n) {
    tree.Add(leaves[n - 1]);
    EXPECT_EQ(Hex(tree.frontier.Root(kSha)), expected[n - 1]) << n;
    absl::StatusOr<Digest> stored = TreeRoot(kSha, tree.Reader(), n);
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(Hex(*stored), expected[n - 1]) << n;
    absl::StatusOr<MerkleFrontier> loaded = MerkleFrontier::Load(kSha, n, tree.Reader());
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(Hex(loaded->Root(kSha)), expected[n - 1]) << n;
  }
}

// Proofs computed independently (a direct transcription of RFC 9162's recursive
// definitions in Python over the reference leaves).
TEST(LogHashTest, ProofsMatchIndependentlyComputedVectors) {
  Tree tree(kSha);
  for (const std::string& leaf : ReferenceLeaves()) tree.Add(leaf);
  absl::StatusOr<std::vector<Digest>> path = InclusionProof(kSha, tree.Reader(), 5, 8);
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->size(), 3u);
  EXPECT_EQ(Hex((*path)[0]), "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
  EXPECT_EQ(Hex((*path)[1]), "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  EXPECT_EQ(Hex((*path)[2]), "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");

  absl::StatusOr<std::vector<Digest>> consistency = ConsistencyProof(kSha, tree.Reader(), 3, 7);
  ASSERT_TRUE(consistency.ok());
  ASSERT_EQ(consistency->size(), 4u);
  EXPECT_EQ(Hex((*consistency)[0]),
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7");
  EXPECT_EQ(Hex((*consistency)[1]),
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7");
  EXPECT_EQ(Hex((*consistency)[2]),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  EXPECT_EQ(Hex((*consistency)[3]),
            "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e");
}

TEST(LogHashTest, Sm3TreeOfTheReferenceLeaves) {
  Tree tree(DigestAlgorithm::kSm3);
  for (const std::string& leaf : ReferenceLeaves()) tree.Add(leaf);
  // Python: hashlib.new("sm3") over the same recursive definition.
  EXPECT_EQ(Hex(tree.frontier.Root(DigestAlgorithm::kSm3)),
            "bc48ba7a709184b5f2a631e1adeb8dc2a0d4c018c1d6cc89b5664fe154c93b38");
}

// Every proof of every tree up to 40 leaves verifies, and fails once anything is changed.
TEST(LogHashTest, EveryProofVerifiesAndNoAlteredOneDoes) {
  constexpr uint64_t kLeaves = 40;
  Tree tree(DigestAlgorithm::kSm3);
  std::vector<Digest> roots;  // roots[n] = root of the first n leaves
  std::vector<Digest> leaf_hashes;
  roots.push_back(tree.frontier.Root(tree.algorithm));
  for (uint64_t i = 0; i < kLeaves; ++i) {
    const std::string bytes = "leaf " + std::to_string(i);
    leaf_hashes.push_back(LeafHash(tree.algorithm, bytes));
    tree.Add(bytes);
    roots.push_back(tree.frontier.Root(tree.algorithm));
  }
  const DigestAlgorithm a = tree.algorithm;
  for (uint64_t n = 1; n <= kLeaves; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      absl::StatusOr<std::vector<Digest>> proof = InclusionProof(a, tree.Reader(), i, n);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyInclusion(a, leaf_hashes[i], i, n, *proof, roots[n])) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(a, leaf_hashes[(i + 1) % n], i, n, *proof, roots[n]) && n > 1);
      if (!proof->empty()) {
        std::vector<Digest> altered = *proof;
        altered.back()[0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(a, leaf_hashes[i], i, n, altered, roots[n]));
      }
      // The same path against another tree's root.
      if (n < kLeaves) {
        EXPECT_FALSE(VerifyInclusion(a, leaf_hashes[i], i, n, *proof, roots[n + 1]));
      }
    }
    for (uint64_t m = 1; m <= n; ++m) {
      absl::StatusOr<std::vector<Digest>> proof = ConsistencyProof(a, tree.Reader(), m, n);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(VerifyConsistency(a, m, n, roots[m], roots[n], *proof)) << m << "->" << n;
      if (m < n) {
        Digest wrong_old = roots[m];
        wrong_old[5] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(a, m, n, wrong_old, roots[n], *proof)) << m << "->" << n;
        std::vector<Digest> altered = *proof;
        altered.front()[0] ^= 1;
        EXPECT_FALSE(VerifyConsistency(a, m, n, roots[m], roots[n], altered)) << m << "->" << n;
      }
    }
  }
}

TEST(LogHashTest, ProofsOutsideTheTreeAreRefusedByName) {
  Tree tree(kSha);
  tree.Add("a");
  EXPECT_EQ(InclusionProof(kSha, tree.Reader(), 1, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(kSha, tree.Reader(), 0, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(kSha, tree.Reader(), 2, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A missing stored node is the reader's error, not a crash.
  EXPECT_EQ(TreeRoot(kSha, tree.Reader(), 2).status().code(), absl::StatusCode::kDataLoss);
}

TEST(LogHashTest, CanonicalRecordLaysOutEveryFieldLengthPrefixed) {
  RecordedEvent e;
  e.position = 1;
  e.stream_id = "s";
  e.stream_version = 2;
  e.event_id = "e";
  e.type = "t";
  e.data = "d";
  e.recorded_at_us = 3;
  e.principal = "p";
  std::string canonical;
  CanonicalRecord(e, &canonical);
  EXPECT_EQ(absl::BytesToHexString(canonical),
            "0000000000000001"
            "0000000173"
            "0000000000000002"
            "0000000165"
            "0000000174"
            "0000000164"
            "0000000000000003"
            "00000000"                          // effective_date
            "0000000170"                        // principal
            "00000000000000000000000000000000"  // basis
            "000000000000000000000000");        // commit, correlation, causation
  // Every field counts: changing any one changes the bytes.
  std::string changed;
  RecordedEvent other = e;
  other.basis.title = "x";
  CanonicalRecord(other, &changed);
  EXPECT_NE(changed, canonical);
  EXPECT_NE(ChainHash(kSha, ZeroDigest(), canonical), ChainHash(kSha, ZeroDigest(), changed));
  EXPECT_NE(ChainHash(kSha, ZeroDigest(), canonical), LeafHash(kSha, canonical));
}

}  // namespace
}  // namespace reformlog::eventstore
