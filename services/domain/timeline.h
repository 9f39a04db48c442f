// Effective dates in decisions: a stream's state is the fold of its events in the order they
// take effect (by effective date; events of one date in log order), and a command is decided
// against the state on its own effective date.
//
// A command whose date is earlier than something a stream already holds is a late entry
// (补录): it is decided against the state as of its date, and then the stream's later events
// are replayed on top of it. It is accepted only if that leaves every later date as valid as
// it was: no date gains a violation (Violations below) it did not have. The refusal names the
// first date it would break and what breaks there.
//
// Pure: no clock, no I/O.
#ifndef REFORMLOG_SERVICES_DOMAIN_TIMELINE_H_
#define REFORMLOG_SERVICES_DOMAIN_TIMELINE_H_

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/refusal.h"
#include "google/protobuf/message.h"
#include "services/domain/states.h"

namespace reformlog::domain {

// One event of a stream with the date it takes effect (YYYY-MM-DD).
struct DatedEvent {
  std::string effective_date;
  std::shared_ptr<const google::protobuf::Message> event;
};

// Puts a stream's events, given in log order, in the order they take effect: by effective
// date, the events of one date in log order (a stable sort).
void SortByEffect(std::vector<DatedEvent>& events);

// What is wrong with a state, one line per breach of a rule the decisions enforce: 超编,
// 超职数, a ceased agency still holding something, a change applied to a subject that could
// not take it (before it exists, after it ceased or departed, on a closed budget line), an
// overdrawn budget line, a name carried by two active agencies of one jurisdiction. Empty when the
// state is valid. Each is said in English and in Chinese; two are the same breach when their
// English texts are equal (which name subjects by id: a late rename must not make a breach the
// history already had look new).
struct Violation {
  std::string en;
  std::string zh;
  bool operator==(const Violation& other) const { return en == other.en; }
};
std::vector<Violation> Violations(const AgencyState& state);
std::vector<Violation> Violations(const PersonState& state);
std::vector<Violation> Violations(const BudgetState& state);
std::vector<Violation> Violations(const PowerState& state);
std::vector<Violation> Violations(const PlanState& state);
std::vector<Violation> Violations(const AgencyNameState& state);
std::vector<Violation> Violations(const QuotaUseState& state);
std::vector<Violation> Violations(const JurisdictionState& state);
std::vector<Violation> Violations(const SecurityState& state);

// Applies `event`, taking effect on `date`, to `state`: Apply, and for a state that keeps
// dates of its own (AgencyState: when its lock last changed) NoteDate as well.
template <typename State>
void ApplyOn(State& state, const google::protobuf::Message& event, absl::string_view date) {
  state.Apply(event);
  if constexpr (requires { state.NoteDate(event, date); }) state.NoteDate(event, date);
}

// The fold of `events` (in effect order) that take effect on or before `date` (all of them
// when `date` is empty). The others are appended to `later` when it is not null. When the
// subject does not exist yet on `date` but does later, its `begins_on` is set to the date it
// begins (for the states that have one), so a refusal can say so.
template <typename State>
State FoldAsOf(const std::vector<DatedEvent>& events, absl::string_view date,
               std::vector<DatedEvent>* later) {
  State state;
  for (const DatedEvent& dated : events) {
    if (date.empty() || dated.effective_date <= date) {
      ApplyOn(state, *dated.event, dated.effective_date);
    } else if (later != nullptr) {
      later->push_back(dated);
    }
  }
  if constexpr (requires { state.on_date; }) {
    if (!date.empty()) state.on_date = std::string(date);
  }
  if constexpr (requires { state.begins_on; }) {
    if (!state.exists) {
      for (const DatedEvent& dated : events) {
        State probe;
        probe.Apply(*dated.event);
        if (probe.exists) {
          state.begins_on = dated.effective_date;
          break;
        }
      }
    }
  }
  return state;
}

// The state after `added` (taking effect on `date`, after what `as_of` holds) and then every
// event of `later` (in effect order, all after `date`). FAILED_PRECONDITION naming `subject`,
// the first later date and what breaks there when a later date has a violation it would not
// have without `added`.
template <typename State>
absl::StatusOr<std::shared_ptr<State>> ReplayLater(
    const State& as_of, absl::string_view date,
    const std::vector<const google::protobuf::Message*>& added,
    const std::vector<DatedEvent>& later) {
  auto with = std::make_shared<State>(as_of);
  State without = as_of;
  for (const google::protobuf::Message* event : added) ApplyOn(*with, *event, date);
  for (size_t i = 0; i < later.size(); ++i) {
    ApplyOn(*with, *later[i].event, later[i].effective_date);
    ApplyOn(without, *later[i].event, later[i].effective_date);
    const bool date_ends =
        i + 1 == later.size() || later[i + 1].effective_date != later[i].effective_date;
    if (!date_ends) continue;
    const std::vector<Violation> before = Violations(without);
    for (const Violation& violation : Violations(*with)) {
      if (std::find(before.begin(), before.end(), violation) != before.end()) continue;
      return RefusePrecondition(
          absl::StrCat("a change taking effect on ", date,
                       " is a late entry: the record already holds changes taking effect after "
                       "it, and on ",
                       later[i].effective_date, " it would leave ", violation.en),
          absl::StrCat("本项改动自 ", date, " 起生效，属补录：台账中已有此后生效的改动，补录后到 ",
                       later[i].effective_date, " 将出现：", violation.zh));
    }
  }
  return with;
}

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_TIMELINE_H_
