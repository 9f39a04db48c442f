// The workload of the crash test, shared by the child that appends (crash_child_main.cc) and
// the parent that kills it and checks the store (rocks_event_store_crash_test.cc).
//
// Every commit's content follows from its id alone, so the parent can rebuild each commit,
// byte for byte, from one line of acknowledgement. The only thing an id does not fix is the
// version number of an exact expectation (the child reads it from the store just before
// appending), so the acknowledgement carries those numbers too.
//
// Acknowledgement line grammar (one write(2) each, at most PIPE_BUF bytes, so lines from
// different threads never interleave):
//
//   line      := "ack " commit_id " " first " " last " " recorded_at_us " " versions " "
//                exact "\n"
//   versions  := stream_id "=" version ("," stream_id "=" version)*   in `writes` order
//   exact     := "-" | version ("," version)*      exact expectations, writes then checks
#ifndef REFORMLOG_TESTS_EVENTSTORE_CRASH_WORKLOAD_H_
#define REFORMLOG_TESTS_EVENTSTORE_CRASH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "eventstore/limits.h"
#include "eventstore/types.h"

namespace reformlog::eventstore::crash {

inline constexpr size_t kPoolStreams = 16;  // "pool-N": shared by every thread and cycle
inline constexpr size_t kHotStreams = 4;    // "hot-N": exact expectations contend here
inline constexpr size_t kSmallDataBytesMax = 300;
inline constexpr size_t kBigDataBytesMin = 16 << 10;
inline constexpr size_t kBigDataBytesMax = 64 << 10;
// One big event in this many is the largest the store takes (kEventDataBytesMax). Rare, so
// that hundreds of cycles keep the log small enough to re-read after every crash.
inline constexpr uint64_t kLargestEventOneIn = 32;
inline constexpr size_t kAckLineBytesMax = 4096;  // PIPE_BUF on Linux: write(2) is atomic

// A deterministic generator seeded by a commit id (FNV-1a, then splitmix64): the same id
// gives the same sequence in the child and in the parent.
class IdRandom {
 public:
  explicit IdRandom(absl::string_view id) {
    state_ = 0xcbf29ce484222325u;
    for (char c : id) state_ = (state_ ^ static_cast<unsigned char>(c)) * 0x100000001b3u;
  }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the tiny modulo bias does not matter here.
  uint64_t Below(uint64_t n) { return Next() % n; }
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  std::string Bytes(size_t n) {
    std::string out(n, '\0');
    for (size_t i = 0; i < n; i += 8) {
      const uint64_t word = Next();
      for (size_t b = 0; b < 8 && i + b < n; ++b) out[i + b] = static_cast<char>(word >> (8 * b));
    }
    return out;
  }

 private:
  uint64_t state_;
};

// "s<seed>-t<thread>-<n>": unique across the cycles of one run as long as seeds are.
inline std::string CommitId(uint64_t seed, int thread, uint64_t n) {
  return absl::StrCat("s", seed, "-t", thread, "-", n);
}

inline NewEvent DeriveEvent(absl::string_view commit_id, size_t index, bool big, IdRandom& rng) {
  static constexpr const char* kTypes[] = {"reformlog.crash.v1.Opened", "reformlog.crash.v1.Moved",
                                           "reformlog.crash.v1.Closed"};
  NewEvent e;
  if (rng.Below(2) == 0) {
    e.event_id =
        absl::StrFormat("%08x-%04x-4%03x-8%03x-%012x", rng.Next() & 0xffffffff, rng.Next() & 0xffff,
                        rng.Next() & 0xfff, rng.Next() & 0xfff, rng.Next() & 0xffffffffffff);
  }  // else the store assigns one
  e.type = kTypes[rng.Below(3)];
  size_t bytes = rng.Below(kSmallDataBytesMax + 1);
  if (big) {
    // One big event in eight is the largest the store takes.
    bytes =
        rng.Below(8) == 0 ? kEventDataBytesMax : rng.Between(kBigDataBytesMin, kBigDataBytesMax);
  }
  const std::string head = absl::StrCat(commit_id, "#", index, ":");
  e.data = head + rng.Bytes(bytes > head.size() ? bytes - head.size() : 0);  // binary, NULs too
  if (rng.Below(5) < 3) {
    e.effective_date =
        absl::FormatCivilTime(absl::CivilDay(2018, 1, 1) + static_cast<int>(rng.Below(1500)));
  }
  if (rng.Below(2) == 0) {
    e.basis = {absl::StrCat("攀委编〔2019〕", rng.Below(100), "号"), "中共攀枝花市委机构编制委员会",
               "2019-02-20", "西区机构改革方案"};
  }
  return e;
}

// The commit `commit_id` names. Exact expectations hold version 0 until SetExactVersions.
inline Commit DeriveShape(absl::string_view commit_id) {
  IdRandom rng(commit_id);
  Commit c;
  c.commit_id = std::string(commit_id);
  c.principal = "crash-child";
  c.correlation_id = absl::StrCat("corr-", commit_id);
  if (rng.Below(10) < 3) c.causation_id = absl::StrCat("cause-", commit_id);
  if (rng.Below(2) == 0) c.fingerprint = absl::StrFormat("%016x%016x", rng.Next(), rng.Next());
  size_t index = 0;
  auto add_write = [&](std::string stream, ExpectedVersion expected, size_t events, bool big) {
    StreamWrite& w = c.writes.emplace_back();
    w.stream_id = std::move(stream);
    w.expected = expected;
    for (size_t i = 0; i < events; ++i)
      w.events.push_back(DeriveEvent(commit_id, index++, big, rng));
  };
  const uint64_t kind = rng.Below(100);
  if (kind < 35) {  // one event on a shared stream
    add_write(absl::StrCat("pool-", rng.Below(kPoolStreams)), ExpectedVersion::Any(), 1, false);
  } else if (kind < 45) {  // a new stream
    add_write(absl::StrCat("new-", commit_id), ExpectedVersion::NoStream(), rng.Between(1, 2),
              false);
  } else if (kind < 65) {  // several shared streams at once
    const uint64_t first = rng.Below(kPoolStreams);
    const uint64_t streams = rng.Between(2, 4);
    for (uint64_t s = 0; s < streams; ++s) {
      add_write(absl::StrCat("pool-", (first + s) % kPoolStreams), ExpectedVersion::Any(),
                rng.Between(1, 3), false);
    }
  } else if (kind < 97) {  // read-decide-write with exact versions, maybe checking a third
    const uint64_t first = rng.Below(kHotStreams);
    const uint64_t streams = rng.Between(1, 2);
    for (uint64_t s = 0; s < streams; ++s) {
      add_write(absl::StrCat("hot-", (first + s) % kHotStreams), ExpectedVersion::Exact(0),
                rng.Between(1, 2), false);
    }
    if (rng.Below(2) == 0) {
      c.checks.push_back(
          {absl::StrCat("hot-", (first + streams) % kHotStreams), ExpectedVersion::Exact(0)});
    }
  } else {  // big events
    add_write(absl::StrCat("pool-", rng.Below(kPoolStreams)), ExpectedVersion::Any(),
              rng.Between(1, 2), true);
  }
  return c;
}

// The streams whose expectation is exact, writes then checks.
inline std::vector<std::string> ExactStreams(const Commit& shape) {
  std::vector<std::string> streams;
  for (const StreamWrite& w : shape.writes) {
    if (w.expected.kind() == ExpectedVersion::Kind::kExact) streams.push_back(w.stream_id);
  }
  for (const StreamCheck& c : shape.checks) {
    if (c.expected.kind() == ExpectedVersion::Kind::kExact) streams.push_back(c.stream_id);
  }
  return streams;
}

// Fills the exact expectations, in ExactStreams order. False when the count differs.
inline bool SetExactVersions(const std::vector<uint64_t>& versions, Commit* commit) {
  size_t i = 0;
  for (StreamWrite& w : commit->writes) {
    if (w.expected.kind() != ExpectedVersion::Kind::kExact) continue;
    if (i == versions.size()) return false;
    w.expected = ExpectedVersion::Exact(versions[i++]);
  }
  for (StreamCheck& c : commit->checks) {
    if (c.expected.kind() != ExpectedVersion::Kind::kExact) continue;
    if (i == versions.size()) return false;
    c.expected = ExpectedVersion::Exact(versions[i++]);
  }
  return i == versions.size();
}

// One acknowledged append, as the child saw it.
struct Ack {
  std::string commit_id;
  AppendResult result;
  std::vector<uint64_t> exact_versions;
};

inline std::string FormatAck(const Ack& ack) {
  std::vector<std::string> versions;
  for (const StreamVersion& sv : ack.result.stream_versions) {
    versions.push_back(absl::StrCat(sv.stream_id, "=", sv.version));
  }
  return absl::StrCat(
      "ack ", ack.commit_id, " ", ack.result.first_position, " ", ack.result.last_position, " ",
      ack.result.recorded_at_us, " ", absl::StrJoin(versions, ","), " ",
      ack.exact_versions.empty() ? "-" : absl::StrJoin(ack.exact_versions, ","), "\n");
}

// Parses one complete line (without its "\n").
inline absl::StatusOr<Ack> ParseAck(absl::string_view line) {
  const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("ack line \"", line, "\": ", why));
  };
  if (fields.size() != 7 || fields[0] != "ack") return bad("not 7 fields starting with ack");
  Ack ack;
  ack.commit_id = std::string(fields[1]);
  if (!absl::SimpleAtoi(fields[2], &ack.result.first_position) ||
      !absl::SimpleAtoi(fields[3], &ack.result.last_position) ||
      !absl::SimpleAtoi(fields[4], &ack.result.recorded_at_us)) {
    return bad("bad position or time");
  }
  for (absl::string_view pair : absl::StrSplit(fields[5], ',')) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(pair, '=');
    StreamVersion& sv = ack.result.stream_versions.emplace_back();
    sv.stream_id = std::string(kv.first);
    if (sv.stream_id.empty() || !absl::SimpleAtoi(kv.second, &sv.version)) {
      return bad("bad stream version");
    }
  }
  if (fields[6] != "-") {
    for (absl::string_view v : absl::StrSplit(fields[6], ',')) {
      if (!absl::SimpleAtoi(v, &ack.exact_versions.emplace_back())) return bad("bad version");
    }
  }
  return ack;
}

}  // namespace reformlog::eventstore::crash

#endif  // REFORMLOG_TESTS_EVENTSTORE_CRASH_WORKLOAD_H_
