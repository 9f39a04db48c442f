// The limits of a command's header (ValidateHeader, command_runner.h), at the limit and one
// past it, through CommandRunner over an in-memory store: one past is INVALID_ARGUMENT naming
// the field and the limit, and nothing is written; the limit itself is recorded, and reads
// back whole — the store takes every header field the runner lets through (request ids up to
// domain::kRequestIdBytesMax, scoped by a principal id of kPrincipalIdBytesMax into a commit id
// within eventstore::kIdBytesMax; correlation ids up to kIdBytesMax; document fields up to
// kBasisFieldBytesMax).
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/commands/command_runner.h"
#include "services/domain/org_agency_decide.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;

using testing::requests::Fill;

// One header field: `set(header, n)` makes it n bytes long.
struct Case {
  std::string name;
  size_t limit;
  std::function<void(api::CommandHeader&, size_t)> set;
  std::string says;  // what the refusal one past the limit says
};

TEST(HeaderLimitsTest, EachFieldAtItsLimitIsRecordedAndOnePastItIsRefusedWritingNothing) {
  // The document fields are texts (domain::kTextBytesMax) to the runner and basis fields to the
  // store: the runner must not let through what the store refuses.
  static_assert(domain::kTextBytesMax <= eventstore::kBasisFieldBytesMax);
  const std::vector<Case> cases = {
      {"request id", domain::kRequestIdBytesMax,
       [](api::CommandHeader& h, size_t n) { h.set_request_id(Fill(n)); },
       "header.request_id is 65 bytes; the limit is 64"},
      {"correlation id", eventstore::kIdBytesMax,
       [](api::CommandHeader& h, size_t n) { h.set_correlation_id(Fill(n)); },
       "header.correlation_id is 129 bytes; the limit is 128"},
      {"document number", domain::kTextBytesMax,
       [](api::CommandHeader& h, size_t n) { h.mutable_basis()->set_number(Fill(n)); },
       "header.basis.number is 1025 bytes; the limit kTextBytesMax is 1024"},
      {"document issuer", domain::kTextBytesMax,
       [](api::CommandHeader& h, size_t n) { h.mutable_basis()->set_issuer(Fill(n)); },
       "header.basis.issuer is 1025 bytes; the limit kTextBytesMax is 1024"},
      {"document title", domain::kTextBytesMax,
       [](api::CommandHeader& h, size_t n) { h.mutable_basis()->set_title(Fill(n)); },
       "header.basis.title is 1025 bytes; the limit kTextBytesMax is 1024"},
      {"plan id", domain::kEntityIdBytesMax,
       [](api::CommandHeader& h, size_t n) { h.set_plan_id(std::string(n, 'p')); },
       "kEntityIdBytesMax (64 bytes)"},
  };
  testing::FakeClock clock;
  eventstore::InMemoryEventStore store(clock);
  CommandRunner runner(store, clock);
  // The longest principal id: the longest request id still makes a commit id the store takes.
  const std::string principal(domain::kPrincipalIdBytesMax, 'o');
  int agencies = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto command = [&](size_t n) {
      ++agencies;
      api::EstablishAgencyRequest r = testing::requests::EstablishAgency(
          absl::StrCat("a", agencies), absl::StrCat("机构", agencies), pb::PARTY_DEPARTMENT);
      api::CommandHeader* h = r.mutable_header();
      h->set_request_id(absl::StrCat(c.name, " ", n));
      h->mutable_basis()->set_number("西委编〔2019〕1号");
      h->mutable_basis()->set_issuer("中共攀枝花市西区区委机构编制委员会");
      h->mutable_basis()->set_title("西区机构改革方案");
      c.set(*h, n);
      return r;
    };
    auto run = [&](const api::EstablishAgencyRequest& r) {
      return runner.Run(principal, r, r.header(),
                        [&](domain::StateView& view) { return DecideEstablishAgency(view, r); });
    };

    const uint64_t head = store.HeadPosition();
    absl::StatusOr<api::CommandResult> refused = run(command(c.limit + 1));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    EXPECT_THAT(refused.status().message(), HasSubstr(c.says));
    EXPECT_EQ(store.HeadPosition(), head) << "a refused command wrote something";

    const api::EstablishAgencyRequest at = command(c.limit);
    absl::StatusOr<api::CommandResult> recorded = run(at);
    ASSERT_TRUE(recorded.ok()) << recorded.status();
    absl::StatusOr<eventstore::AllSlice> event = store.ReadAll(recorded->position(), {}, 1);
    ASSERT_TRUE(event.ok()) << event.status();
    ASSERT_EQ(event->events.size(), 1u);  // the last of the commit: the claim on the name
    const eventstore::RecordedEvent& e = event->events[0];
    EXPECT_EQ(e.commit_id, CommitIdOf(principal, at.header().request_id()));
    EXPECT_EQ(e.principal, principal);
    EXPECT_EQ(e.correlation_id, at.header().correlation_id());
    EXPECT_EQ(e.basis.number, at.header().basis().number());
    EXPECT_EQ(e.basis.issuer, at.header().basis().issuer());
    EXPECT_EQ(e.basis.title, at.header().basis().title());
  }
}

}  // namespace
}  // namespace reformlog::services
