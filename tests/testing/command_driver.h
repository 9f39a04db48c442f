// CommandDriver: records domain commands into an event store the way reformd does — the
// real decisions through the real CommandRunner — without gRPC. For read-model tests that
// need a realistic log with effective dates and documents.
//
//   testing::CommandDriver d(store, clock);
//   d.On("2019-03-01", "西委编〔2019〕1号").Run(domain::DecideEstablishAgency, request);
#ifndef REFORMLOG_TESTS_TESTING_COMMAND_DRIVER_H_
#define REFORMLOG_TESTS_TESTING_COMMAND_DRIVER_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/commands/command_runner.h"
#include "services/domain/decision.h"

namespace reformlog::testing {

class CommandDriver {
 public:
  CommandDriver(eventstore::EventStore& store, const Clock& clock) : runner_(store, clock) {}

  // The effective date and document of the commands that follow.
  CommandDriver& On(std::string effective_date, std::string document = "西委编〔2019〕1号") {
    date_ = std::move(effective_date);
    document_ = std::move(document);
    return *this;
  }
  // The plan the commands that follow are made under ("" for none).
  CommandDriver& UnderPlan(std::string plan_id) {
    plan_ = std::move(plan_id);
    return *this;
  }

  // Runs one command; its header is filled in. Returns the result (the failure is returned,
  // not asserted, so that tests can check refusals).
  template <typename Request>
  absl::StatusOr<api::v1::CommandResult> Run(
      absl::StatusOr<domain::Decision> (*decide)(domain::StateView&, const Request&),
      Request request) {
    api::v1::CommandHeader* h = request.mutable_header();
    h->set_request_id(absl::StrCat("driver-", ++requests_));
    h->mutable_basis()->set_number(document_);
    h->mutable_basis()->set_issuer("中共攀枝花市西区区委机构编制委员会");
    h->set_effective_date(date_);
    h->set_plan_id(plan_);
    return runner_.Run("test-operator", request, *h,
                       [&](domain::StateView& view) { return decide(view, request); });
  }

  // As Run, and the command must succeed; returns its last position.
  template <typename Request>
  uint64_t Must(absl::StatusOr<domain::Decision> (*decide)(domain::StateView&, const Request&),
                Request request) {
    absl::StatusOr<api::v1::CommandResult> result = Run(decide, std::move(request));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->position() : 0;
  }

 private:
  services::CommandRunner runner_;
  std::string date_ = "2019-01-01";
  std::string document_ = "西委编〔2019〕1号";
  std::string plan_;
  int requests_ = 0;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_COMMAND_DRIVER_H_
