// FakeStateView: a StateView over events held in memory, for testing decide functions
// without the event store. Record() appends a decision's events as if committed, so a test
// can run a sequence of commands; Events() shows what a stream holds. With an effective date
// set, events are recorded on that date and states are folded as of it (timeline.h); with
// none, every event counts.
#ifndef REFORMLOG_TESTS_TESTING_FAKE_STATE_VIEW_H_
#define REFORMLOG_TESTS_TESTING_FAKE_STATE_VIEW_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/vocabulary.h"
#include "services/domain/decision.h"
#include "services/domain/rules.h"
#include "services/domain/timeline.h"

namespace reformlog::testing {

class FakeStateView final : public domain::StateView {
 public:
  absl::StatusOr<const domain::AgencyState*> Agency(absl::string_view id) override {
    return Fold<domain::AgencyState>(domain::AgencyStream(id), agencies_);
  }
  absl::StatusOr<const domain::PersonState*> Person(absl::string_view id) override {
    return Fold<domain::PersonState>(domain::PersonStream(id), persons_);
  }
  absl::StatusOr<const domain::PowerState*> Power(absl::string_view code) override {
    return Fold<domain::PowerState>(domain::PowerStream(code), powers_);
  }
  absl::StatusOr<const domain::BudgetState*> Budget(absl::string_view agency_id,
                                                    int year) override {
    return Fold<domain::BudgetState>(domain::BudgetStream(agency_id, year), budgets_);
  }
  absl::StatusOr<const domain::PlanState*> Plan(absl::string_view id) override {
    return Fold<domain::PlanState>(domain::PlanStream(id), plans_);
  }
  absl::StatusOr<const domain::SecurityState*> Security() override {
    return Fold<domain::SecurityState>(domain::kSecurityStream, security_);
  }
  absl::StatusOr<const domain::QuotaUseState*> QuotaUse(absl::string_view notice_id) override {
    return Fold<domain::QuotaUseState>(domain::QuotaUseStream(notice_id), notices_);
  }
  absl::StatusOr<const domain::JurisdictionState*> Jurisdiction(
      absl::string_view jurisdiction) override {
    return Fold<domain::JurisdictionState>(domain::JurisdictionStream(jurisdiction),
                                           jurisdictions_);
  }
  absl::StatusOr<const domain::AgencyNameState*> AgencyName(absl::string_view jurisdiction,
                                                            absl::string_view name) override {
    return Fold<domain::AgencyNameState>(domain::AgencyNameStream(jurisdiction, name), names_);
  }
  absl::StatusOr<const domain::AgencyState*> LatestAgency(absl::string_view id) override {
    return Fold<domain::AgencyState>(domain::AgencyStream(id), latest_agencies_, "");
  }
  absl::StatusOr<const domain::BudgetState*> LatestBudget(absl::string_view agency_id,
                                                          int year) override {
    return Fold<domain::BudgetState>(domain::BudgetStream(agency_id, year), latest_budgets_, "");
  }

  // The date later commands take effect, and later records are made on (YYYY-MM-DD).
  void set_effective_date(std::string date) { effective_date_ = std::move(date); }

  // Appends the decision's events to their streams, as a commit would.
  void Record(const domain::Decision& decision) {
    for (const domain::Emitted& e : decision.events()) {
      streams_[e.stream_id].push_back({effective_date_, e.event});
    }
  }
  // Records a decision that must have succeeded; returns false (and records nothing) if not.
  bool Record(const absl::StatusOr<domain::Decision>& decision) {
    if (!decision.ok()) return false;
    Record(*decision);
    return true;
  }

  std::vector<std::shared_ptr<const google::protobuf::Message>> Events(const std::string& stream) {
    std::vector<std::shared_ptr<const google::protobuf::Message>> events;
    for (const domain::DatedEvent& dated : streams_[stream]) events.push_back(dated.event);
    return events;
  }

 private:
  // The fold as of `date` (the view's effective date by default; "" for the latest), kept in
  // `cache` so that the pointer stays valid next to those of other streams.
  template <typename State>
  const State* Fold(const std::string& stream, std::map<std::string, State>& cache) {
    return Fold(stream, cache, effective_date_);
  }
  template <typename State>
  const State* Fold(const std::string& stream, std::map<std::string, State>& cache,
                    const std::string& date) {
    std::vector<domain::DatedEvent> events = streams_[stream];
    domain::SortByEffect(events);
    State& state = cache[stream];
    state = domain::FoldAsOf<State>(events, date, nullptr);
    return &state;
  }

  std::map<std::string, std::vector<domain::DatedEvent>> streams_;
  std::map<std::string, domain::AgencyState> agencies_;
  std::map<std::string, domain::PersonState> persons_;
  std::map<std::string, domain::PowerState> powers_;
  std::map<std::string, domain::BudgetState> budgets_;
  std::map<std::string, domain::PlanState> plans_;
  std::map<std::string, domain::SecurityState> security_;
  std::map<std::string, domain::AgencyNameState> names_;
  std::map<std::string, domain::QuotaUseState> notices_;
  std::map<std::string, domain::JurisdictionState> jurisdictions_;
  std::map<std::string, domain::AgencyState> latest_agencies_;
  std::map<std::string, domain::BudgetState> latest_budgets_;
};

// The events of a decision of type T, in order.
template <typename T>
std::vector<const T*> EventsOf(const domain::Decision& decision) {
  std::vector<const T*> out;
  for (const domain::Emitted& e : decision.events()) {
    if (const auto* typed = dynamic_cast<const T*>(e.event.get())) out.push_back(typed);
  }
  return out;
}

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_FAKE_STATE_VIEW_H_
