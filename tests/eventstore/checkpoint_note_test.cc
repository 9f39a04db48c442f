#include "eventstore/checkpoint_note.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::eventstore {
namespace {

using ::testing::HasSubstr;

LogHead SomeHead() {
  LogHead head;
  head.size = 3746;
  head.chain = HashOf(DigestAlgorithm::kSm3, {"chain"});
  head.root = HashOf(DigestAlgorithm::kSm3, {"root"});
  return head;
}

class CheckpointNoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SigningKey> key = SigningKey::Generate(SignatureAlgorithm::kSm2);
    ASSERT_TRUE(key.ok());
    key_.emplace(*std::move(key));
    absl::StatusOr<CheckpointNote> note = SignCheckpoint(
        "main", DigestAlgorithm::kSm3, SomeHead(), absl::FromUnixMillis(1'796'630'400'250), *key_);
    ASSERT_TRUE(note.ok()) << note.status();
    note_ = *note;
  }
  std::optional<SigningKey> key_;
  CheckpointNote note_;
};

TEST_F(CheckpointNoteTest, TheTextIsTheDocumentedNoteAndParsesBack) {
  const std::string text = note_.Text();
  EXPECT_THAT(text, HasSubstr("reformlog checkpoint v1\nlog main\nsize 3746\ndigest sm3\nchain " +
                              DigestHex(SomeHead().chain) + "\nroot " + DigestHex(SomeHead().root) +
                              "\ntime 2026-12-07T08:00:00Z\n\n— sm2 " + key_->key_id() + " "));
  absl::StatusOr<CheckpointNote> parsed = ParseCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->head, SomeHead());
  EXPECT_EQ(parsed->log, "main");
  EXPECT_EQ(parsed->time, absl::FromUnixSeconds(1'796'630'400));
  EXPECT_EQ(parsed->signature, note_.signature);
  EXPECT_TRUE(VerifyCheckpoint(*parsed, key_->verifying_key()).ok());
}

TEST_F(CheckpointNoteTest, AnEditedNoteNoLongerVerifies) {
  const std::string edited = absl::StrReplaceAll(note_.Text(), {{"size 3746", "size 3745"}});
  absl::StatusOr<CheckpointNote> parsed = ParseCheckpoint(edited);
  ASSERT_TRUE(parsed.ok());
  const absl::Status status = VerifyCheckpoint(*parsed, key_->verifying_key());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("log main at size 3745"));

  absl::StatusOr<SigningKey> other = SigningKey::Generate(SignatureAlgorithm::kSm2);
  ASSERT_TRUE(other.ok());
  const absl::Status wrong_key = VerifyCheckpoint(note_, other->verifying_key());
  EXPECT_EQ(wrong_key.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(wrong_key.message(), HasSubstr(other->key_id()));
}

TEST_F(CheckpointNoteTest, MalformedNotesAreRefusedNamingTheLine) {
  const std::string text = note_.Text();
  struct Case {
    std::string from, to, names;
  };
  for (const Case& c : std::vector<Case>{
           {"reformlog checkpoint v1", "reformlog checkpoint v9", "line 1"},
           {"log main", "log MAIN", "line 2"},
           {"size 3746", "size -1", "line 3"},
           {"digest sm3", "digest md5", "line 4"},
           {"chain ", "chain zz", "line 5"},
           {"time 2026-12-07T08:00:00Z", "time yesterday", "line 7"},
           {"— sm2", "- sm2", "line 9"},
       }) {
    std::string bad = text;
    const size_t at = bad.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    bad.replace(at, c.from.size(), c.to);
    const absl::StatusOr<CheckpointNote> parsed = ParseCheckpoint(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.to;
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.names)) << c.to;
  }
  EXPECT_EQ(ParseCheckpoint("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCheckpoint(text.substr(0, text.size() - 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCheckpoint(text + "extra\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCheckpoint(std::string(kCheckpointBytesMax + 1, 'x')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SignCheckpoint("../etc", DigestAlgorithm::kSm3, SomeHead(), absl::Now(), *key_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reformlog::eventstore
