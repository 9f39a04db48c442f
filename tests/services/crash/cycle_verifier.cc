#include "tests/services/crash/cycle_verifier.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/services/crash/read_model_checks.h"
#include "tests/services/crash/twin_judge.h"

namespace reformlog::services::crash {
namespace {

constexpr uint32_t kReadPageEvents = 1000;
constexpr size_t kReplaySamplesPerCycle = 8;
constexpr size_t kReplayPoolMax = 4096;  // acknowledged requests kept for later replays

}  // namespace

// Everything there is to check after a restart, before the writers go on.
absl::Status CycleVerifier::Verify(const Client& client) {
  if (absl::Status s = Scan(client); !s.ok()) return s;
  std::vector<Outcome> in_doubt;
  if (absl::Status s = Settle(std::exchange(pending_, {}), &in_doubt); !s.ok()) return s;
  if (absl::Status s = Resend(client, in_doubt); !s.ok()) return s;
  if (absl::Status s = Scan(client); !s.ok()) return s;
  std::vector<Outcome> still;
  if (absl::Status s = Settle(std::move(in_doubt), &still); !s.ok()) return s;
  if (!still.empty()) {
    return absl::InternalError(absl::StrCat("request ", still.front().request.id,
                                            " is still in doubt after a re-send to a live "
                                            "server: ",
                                            still.front().resends.back().Text()));
  }
  if (!oracle_.unclaimed().empty()) {
    const std::string& id = *oracle_.unclaimed().begin();
    const CommitSeen* seen = oracle_.Find(id);
    return absl::DataLossError(absl::StrCat("request ", id, " is in the log at positions ",
                                            seen->first_position, "-", seen->last_position,
                                            " but no answer to it, nor a re-send, said OK (",
                                            oracle_.unclaimed().size(), " such requests)"));
  }
  if (absl::Status s = Replays(client); !s.ok()) return s;
  return CheckReadModels(client, oracle_);
}

// Reads the log past what the oracle knows, re-reads the page that ends where the last
// scan ended and one random page, and checks the head.
absl::Status CycleVerifier::Scan(const Client& client) {
  const uint64_t known = oracle_.head();
  for (uint64_t from : {known > kReadPageEvents ? known - kReadPageEvents + 1 : 1,
                        known == 0 ? 1 : 1 + sample_rng_() % known}) {
    if (known == 0) break;
    api::ReadAllResponse page;
    if (absl::Status s = ReadPage(client, from, &page); !s.ok()) return s;
    for (const api::Event& e : page.events()) {
      if (e.position() > known) break;
      if (absl::Status s = oracle_.Reverify(e); !s.ok()) return s;
    }
  }
  uint64_t head = 0;
  for (uint64_t from = known + 1;;) {
    api::ReadAllResponse page;
    if (absl::Status s = ReadPage(client, from, &page); !s.ok()) return s;
    head = page.head_position();
    if (page.events().empty()) break;
    for (const api::Event& e : page.events()) {
      if (absl::Status s = oracle_.Learn(e); !s.ok()) return s;
    }
    from = page.next_position();
  }
  if (absl::Status s = oracle_.EndScan(); !s.ok()) return s;
  if (head < known) {
    return absl::DataLossError(
        absl::StrCat("the head went back from ", known, " to ", head, " across the restart"));
  }
  if (oracle_.head() != head) {
    return absl::DataLossError(
        absl::StrCat("the log reads to ", oracle_.head(), " but the head is ", head));
  }
  return absl::OkStatus();
}

absl::Status CycleVerifier::ReadPage(const Client& client, uint64_t from,
                                     api::ReadAllResponse* page) {
  api::ReadAllRequest request;
  request.set_from_position(from);
  request.set_max_count(kReadPageEvents);
  return client.Query(client.feed(), &api::EventFeed::Stub::ReadAll, request, page);
}

// Judges each request by its latest answers and the log. Those still in doubt go to
// *in_doubt; the rest are settled.
absl::Status CycleVerifier::Settle(std::vector<Outcome> outcomes, std::vector<Outcome>* in_doubt) {
  for (Outcome& o : outcomes) {
    absl::StatusOr<bool> settled = SettleOne(o);
    if (!settled.ok()) return settled.status();
    if (!*settled) in_doubt->push_back(std::move(o));
  }
  return absl::OkStatus();
}

// True when settled.
absl::StatusOr<bool> CycleVerifier::SettleOne(const Outcome& o) {
  const std::string& id = o.request.id;
  const bool first_time = o.resends.empty();
  if (first_time) {
    ++counts_.sent;
    if (o.request.twin) CompareTwins(o);
  }
  const std::vector<Answer>& answers = first_time ? o.copies : o.resends;
  bool ok = false, in_doubt = false;
  for (const Answer& a : answers) {
    if (a.kind == Answer::kOk) {
      ok = true;
      if (absl::Status s = oracle_.CheckAnswer(id, a.result); !s.ok()) return s;
    }
    in_doubt |= a.kind == Answer::kInDoubt;
  }
  if (ok) {
    Acknowledged(o, answers);
    return true;
  }
  if (in_doubt) {
    if (!first_time) return false;
    ++counts_.in_doubt;
    return false;
  }
  if (const CommitSeen* seen = oracle_.Find(id); seen != nullptr) {
    return absl::DataLossError(absl::StrCat(
        "request ", id, " (", OpName(o.request.op), ") was refused (", answers.front().Text(),
        ") but the log holds it at positions ", seen->first_position, "-", seen->last_position));
  }
  Refused(o, answers);
  oracle_.Refused(id, o.request.op, answers.front().code);
  return true;
}

void CycleVerifier::Acknowledged(const Outcome& o, const std::vector<Answer>& answers) {
  ++counts_.acknowledged;
  ++counts_.acknowledged_by_op[static_cast<int>(o.request.op)];
  if (!o.resends.empty()) {
    ++(answers.front().result.replayed() ? counts_.resent_recorded_before
                                         : counts_.resent_recorded_now);
  }
  // The reservoir of acknowledged requests replayed later, and the newest ones.
  ++acknowledged_seen_;
  if (replay_pool_.size() < kReplayPoolMax) {
    replay_pool_.push_back(o.request);
  } else if (const uint64_t slot = sample_rng_() % acknowledged_seen_; slot < kReplayPoolMax) {
    replay_pool_[slot] = o.request;
  }
  newest_.push_back(o.request);
  oracle_.Forget(o.request.id);
}

void CycleVerifier::Refused(const Outcome& o, const std::vector<Answer>& answers) {
  ++counts_.refused;
  if (!o.resends.empty()) ++counts_.resent_refused;
  const Answer& a = answers.front();
  if (a.code == grpc::StatusCode::ABORTED) ++counts_.aborted;
  if (o.request.op == Op::kRegister && absl::StrContains(a.message, "超编")) {
    ++counts_.over_quota;
  }
  if (o.request.op == Op::kDisburse && a.code == grpc::StatusCode::FAILED_PRECONDITION &&
      absl::StrContains(a.message, "available")) {
    ++counts_.no_funds;
  }
}

// The copies of a twin that got a definite answer agree with what the server promises:
// copies in flight together at the server share one answer, and a refusal records nothing,
// so a copy that reaches the server after the other was refused is decided again. Allowed:
//  * both OK at the same positions and stream versions, one of them (or both) replayed;
//  * both refused, alike or not (nothing was recorded, so neither refusal can come from
//    the other copy: they were decided one after the other);
//  * one refused, the other recorded at first-last, when the refusal was decided before that
//    commit: the state it reports stood in the log before `first`
//    (JudgeRefusalBesideCommit).
// Anything else is a failure: two commits (also caught by the scan), OK copies at different
// positions, or a copy refused by its own twin's effect.
void CycleVerifier::CompareTwins(const Outcome& o) {
  ++counts_.twins;
  const Answer& a = o.copies[0];
  const Answer& b = o.copies[1];
  if (a.kind == Answer::kInDoubt || b.kind == Answer::kInDoubt) return;
  ++counts_.twins_compared;
  const Answer* earlier = a.answered_us < b.sent_us ? &a : b.answered_us < a.sent_us ? &b : nullptr;
  if (earlier != nullptr && earlier->kind == Answer::kRefused) ++counts_.twins_sequential;
  auto fail = [&](const std::string& why) {
    auto when = [](const Answer& x) {
      return absl::StrCat(" [sent +", x.sent_us, " µs, answered +", x.answered_us, " µs]");
    };
    twin_failures_.push_back(absl::StrCat("request ", o.request.id, " (", OpName(o.request.op),
                                          "), sent twice at once: ", a.Text(), when(a), " | ",
                                          b.Text(), when(b), ": ", why));
  };
  if (a.kind == Answer::kOk && b.kind == Answer::kOk) {
    if (a.result.first_position() != b.result.first_position() ||
        a.result.position() != b.result.position() ||
        SortedVersions(a.result) != SortedVersions(b.result)) {
      fail("the two OK answers name different commits");
    } else if (!a.result.replayed() && !b.result.replayed()) {
      fail("both OK answers say recorded now, neither replayed");
    } else {
      ++counts_.twins_both_ok;
    }
    return;
  }
  if (a.kind == Answer::kRefused && b.kind == Answer::kRefused) {
    ++(a.code == b.code && a.message == b.message ? counts_.twins_both_refused
                                                  : counts_.twins_refused_apart);
    return;
  }
  const Answer& ok = a.kind == Answer::kOk ? a : b;
  const Answer& refused = a.kind == Answer::kOk ? b : a;
  // Where the log has the commit; the answer's positions when it has none (CheckAnswer, right
  // after, fails on that).
  const CommitSeen* seen = oracle_.Find(o.request.id);
  const uint64_t first = seen != nullptr ? seen->first_position : ok.result.first_position();
  const uint64_t last = seen != nullptr ? seen->last_position : ok.result.position();
  if (absl::Status s =
          JudgeRefusalBesideCommit(oracle_, o.request, refused.code, refused.message, first, last);
      !s.ok()) {
    fail(std::string(s.message()));
    return;
  }
  ++counts_.twins_refused_recorded;
}

// The requests whose answer the kill swallowed, sent again (same id, same bytes).
absl::Status CycleVerifier::Resend(const Client& client, std::vector<Outcome>& resend) {
  for (Outcome& o : resend) {
    api::CommandResult result;
    const grpc::Status s = client.Send(o.request, &result);
    o.resends.push_back(Classify(s, result, /*killed=*/false));
    if (o.resends.back().kind == Answer::kUnexpected) {
      return absl::InternalError(absl::StrCat("re-sending request ", o.request.id, " (",
                                              OpName(o.request.op),
                                              ") after the restart: ", o.resends.back().Text()));
    }
  }
  return absl::OkStatus();
}

// Acknowledged requests sent again: replayed, the original positions, the head unmoved;
// and the same id with other content is ALREADY_EXISTS.
absl::Status CycleVerifier::Replays(const Client& client) {
  std::vector<Request> sample;
  if (!newest_.empty()) {
    sample.push_back(newest_.front());
    sample.push_back(newest_.back());
  }
  while (!replay_pool_.empty() && sample.size() < kReplaySamplesPerCycle) {
    sample.push_back(replay_pool_[sample_rng_() % replay_pool_.size()]);
  }
  newest_.clear();
  if (sample.empty()) return absl::OkStatus();
  const uint64_t head = oracle_.head();
  for (const Request& r : sample) {
    api::CommandResult again;
    const grpc::Status s = client.Send(r, &again);
    if (!s.ok() || !again.replayed()) {
      return absl::DataLossError(absl::StrCat(
          "re-sending acknowledged request ", r.id, " (", OpName(r.op), ") gave ",
          s.ok() ? absl::StrCat("a fresh OK at ", again.first_position(), "-", again.position())
                 : absl::StrCat("code ", s.error_code(), ": ", s.error_message()),
          ", not a replay"));
    }
    if (absl::Status c = oracle_.CheckAnswer(r.id, again); !c.ok()) return c;
    ++counts_.replays;
  }
  api::CommandResult other;
  const grpc::Status reused = client.Send(Altered(sample.front()), &other);
  if (reused.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
    return absl::InternalError(
        absl::StrCat("request id ", sample.front().id, " re-used for other content gave code ",
                     reused.error_code(), " (", reused.error_message(), "), not ALREADY_EXISTS"));
  }
  api::HeadResponse now;
  if (absl::Status s =
          client.Query(client.feed(), &api::EventFeed::Stub::Head, api::HeadRequest(), &now);
      !s.ok()) {
    return s;
  }
  if (now.head_position() != head) {
    return absl::DataLossError(
        absl::StrCat("re-sending acknowledged requests moved the head "
                     "from ",
                     head, " to ", now.head_position()));
  }
  return absl::OkStatus();
}

}  // namespace reformlog::services::crash
