// The shape of every decision: a command reads the states it needs through a StateView and
// returns the events to record, each aimed at one stream.
//
// Decide functions are pure: they take a StateView and a request, and return a Decision or
// a Status — no clock, no I/O of their own, no gRPC. Every state a decision reads becomes an
// expectation of its commit (a written stream is expected at the version read, a stream
// only read is checked at it), so two racing commands can never both break an invariant:
// one of them is re-decided against the other's result.
//
// Status codes (STYLE.md): INVALID_ARGUMENT for a malformed request (naming the field),
// NOT_FOUND for an unknown id, FAILED_PRECONDITION for a domain rule the request would break
// (naming the thing and the numbers).
#ifndef REFORMLOG_SERVICES_DOMAIN_DECISION_H_
#define REFORMLOG_SERVICES_DOMAIN_DECISION_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/domain/states.h"

namespace reformlog::domain {

struct Emitted {
  std::string stream_id;
  std::shared_ptr<const google::protobuf::Message> event;
};

class Decision {
 public:
  // Adds an event of type T for `stream_id` and returns it for the caller to fill.
  template <typename T>
  T* Emit(std::string stream_id) {
    auto event = std::make_shared<T>();
    T* raw = event.get();
    events_.push_back({std::move(stream_id), std::move(event)});
    return raw;
  }
  const std::vector<Emitted>& events() const { return events_; }
  bool empty() const { return events_.empty(); }

 private:
  std::vector<Emitted> events_;
};

// Read access to states as of the date the command takes effect (timeline.h): the fold of
// the events taking effect on or before it. A stream with no events by then reads as a
// default state (`exists` false). Errors come only from storage.
class StateView {
 public:
  virtual ~StateView() = default;
  // The date the command takes effect (YYYY-MM-DD) and the states are as of; empty in a
  // view that is not about a date (every event counts).
  const std::string& effective_date() const { return effective_date_; }

  virtual absl::StatusOr<const AgencyState*> Agency(absl::string_view agency_id) = 0;
  virtual absl::StatusOr<const PersonState*> Person(absl::string_view person_id) = 0;
  virtual absl::StatusOr<const PowerState*> Power(absl::string_view code) = 0;
  virtual absl::StatusOr<const BudgetState*> Budget(absl::string_view agency_id,
                                                    int fiscal_year) = 0;
  virtual absl::StatusOr<const PlanState*> Plan(absl::string_view plan_id) = 0;
  virtual absl::StatusOr<const SecurityState*> Security() = 0;
  // A 用编 notice (notice-{id}) and a jurisdiction's settings (rules.h JurisdictionStream).
  virtual absl::StatusOr<const QuotaUseState*> QuotaUse(absl::string_view notice_id) = 0;
  virtual absl::StatusOr<const JurisdictionState*> Jurisdiction(absl::string_view jurisdiction) = 0;
  // The register of `name` in `jurisdiction` (rules.h AgencyNameStream).
  virtual absl::StatusOr<const AgencyNameState*> AgencyName(absl::string_view jurisdiction,
                                                            absl::string_view name) = 0;

  // The latest state of a stream, whatever the command's date: for rules about the record as
  // it stands (a lock holds whatever date a change is given) and about another fiscal year
  // (its 年末结转 is that year's, on whatever date it was recorded). Read and checked like
  // the others.
  virtual absl::StatusOr<const AgencyState*> LatestAgency(absl::string_view agency_id) = 0;
  virtual absl::StatusOr<const BudgetState*> LatestBudget(absl::string_view agency_id,
                                                          int fiscal_year) = 0;

 protected:
  std::string effective_date_;  // NOLINT(misc-non-private-member-variables-in-classes)
};

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_DECISION_H_
