// The on-disk format: keys sort as their numbers, events round-trip through both decoders
// (the wire-level fast path and the generated parser), unknown fields from a newer writer
// are kept readable, and damage is DATA_LOSS.
#include "eventstore/rocks_format.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/storage/v1/envelope.pb.h"

namespace reformlog::eventstore::format {
namespace {

using ::testing::HasSubstr;

RecordedEvent RandomEvent(std::mt19937& rng, uint64_t position) {
  // Text fields are UTF-8 (the store refuses anything else); data is any bytes.
  auto text = [&](int max) {
    static const char* kPieces[] = {"a", "Z", "0", "-", "编", "制", "〔", "号", " "};
    std::string s;
    for (int n = std::uniform_int_distribution<int>(0, max)(rng); n > 0; --n)
      s += kPieces[rng() % 9];
    return s;
  };
  auto bytes = [&](int max) {
    std::string s(static_cast<size_t>(std::uniform_int_distribution<int>(0, max)(rng)), 'x');
    for (char& c : s) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    return s;
  };
  RecordedEvent e;
  e.position = position;
  e.stream_id = "agency-" + std::to_string(rng() % 1000);
  e.stream_version = rng() % 100000;
  e.event_id = text(36);
  e.type = "reformlog.domain.v1.AgencyRenamed";
  e.data = bytes(400);
  e.recorded_at_us = static_cast<int64_t>(rng()) * 1000;
  e.effective_date = rng() % 2 ? "2019-06-30" : "";
  e.principal = text(20);
  if (rng() % 2) e.basis = {"西委编〔2019〕1号", text(10), "2019-01-01", text(40)};
  e.commit_id = text(20);
  e.correlation_id = text(5);
  e.causation_id = text(5);
  return e;
}

TEST(RocksFormatTest, KeysSortAsNumbers) {
  EXPECT_LT(PositionKey(1), PositionKey(256));
  EXPECT_LT(PositionKey(255), PositionKey(256));
  EXPECT_EQ(*DecodePositionKey(PositionKey(123456789)), 123456789u);
  EXPECT_LT(StreamIndexKey("a", 9), StreamIndexKey("a", 10));
  EXPECT_LT(StreamIndexKey("a", UINT64_MAX), StreamIndexKey("a-", 1))
      << "a stream's keys stay together";
  EXPECT_EQ(
      *DecodeStreamIndexVersion(StreamIndexKey("agency-1", 42), StreamPrefix("agency-1").size()),
      42u);
  EXPECT_EQ(DecodePositionKey("short").status().code(), absl::StatusCode::kDataLoss);
  absl::StatusOr<StreamRun> run = DecodeStreamRun(EncodeStreamRun({77, 100}));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->first_position, 77u);
  EXPECT_EQ(run->count, 100u);
  EXPECT_EQ(DecodeStreamRun(EncodeStreamRun({77, 0})).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStreamRun("short").status().code(), absl::StatusCode::kDataLoss);
}

TEST(RocksFormatTest, EventsRoundTripAndBothDecodersAgree) {
  std::mt19937 rng(42);
  std::string bytes;
  RecordedEvent reused;
  for (uint64_t p = 1; p <= 2000; ++p) {
    const RecordedEvent e = RandomEvent(rng, p);
    EncodeEvent(e, &bytes);
    absl::StatusOr<RecordedEvent> decoded = DecodeEvent(bytes, p);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(*decoded, e);
    ASSERT_TRUE(DecodeEventInto(bytes, p, &reused).ok());  // a reused event keeps nothing old
    ASSERT_EQ(reused, e);
    storage::v1::StoredEvent generated;
    ASSERT_TRUE(generated.ParseFromString(bytes));
    EXPECT_EQ(generated.data(), e.data);
    EXPECT_EQ(generated.basis().title(), e.basis.title);
  }
}

TEST(RocksFormatTest, FieldsFromANewerWriterAreSkipped) {
  std::mt19937 rng(7);
  const RecordedEvent e = RandomEvent(rng, 5);
  std::string bytes;
  EncodeEvent(e, &bytes);
  bytes += std::string("\xa2\x01\x03new", 6);  // field 20, length 3: unknown to this build
  absl::StatusOr<RecordedEvent> decoded = DecodeEvent(bytes, 5);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, e);
}

TEST(RocksFormatTest, DamageIsDataLoss) {
  std::mt19937 rng(9);
  std::string bytes;
  EncodeEvent(RandomEvent(rng, 3), &bytes);
  EXPECT_THAT(DecodeEvent(bytes, 4).status().message(), HasSubstr("says position 3"));
  bytes.resize(bytes.size() / 2);
  EXPECT_EQ(DecodeEvent(bytes, 3).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeEvent("\xff\xff\xff", 3).status().code(), absl::StatusCode::kDataLoss);
}

TEST(RocksFormatTest, CommitRecordsRoundTrip) {
  CommitRecord r{"req-1",
                 10,
                 12,
                 {{"a", 3}, {"b", 1}},
                 {{"a", ExpectedVersion::Exact(2), false}, {"c", ExpectedVersion::Exists(), true}},
                 1234,
                 "digest"};
  absl::StatusOr<CommitRecord> back = DecodeCommitRecord(EncodeCommitRecord(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->commit_id, "req-1");
  EXPECT_EQ(back->stream_versions, r.stream_versions);
  EXPECT_EQ(back->expectations, r.expectations);
  EXPECT_EQ(back->fingerprint, "digest");
}

}  // namespace
}  // namespace reformlog::eventstore::format
