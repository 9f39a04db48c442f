#include "tests/services/crash/read_model_checks.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "eventstore/kv_store.h"
#include "eventstore/rocks_event_store.h"
#include "projections/all_projections.h"
#include "projections/in_memory_replay.h"
#include "projections/projection_runner.h"

namespace reformlog::services::crash {
namespace {

constexpr absl::Duration kCatchUpTimeout = absl::Seconds(120);
constexpr int32_t kPeoplePageMax = 10'000;

absl::Status RenderMismatch(const std::string& name, uint64_t head, const std::string& resumed,
                            const std::string& replay) {
  size_t at = 0;
  while (at < resumed.size() && at < replay.size() && resumed[at] == replay[at]) ++at;
  const size_t line_start =
      resumed.rfind('\n', at) == std::string::npos ? 0 : resumed.rfind('\n', at) + 1;
  auto line = [&](const std::string& text) {
    const size_t end = text.find('\n', line_start);
    return text.substr(line_start, end == std::string::npos ? std::string::npos : end - line_start);
  };
  return absl::DataLossError(
      absl::StrCat("read model ", name, " resumed after the kill and caught up to ", head,
                   " differs from a replay of the log; first difference at byte ", at,
                   ":\n  resumed: ", line(resumed), "\n  replay:  ", line(replay)));
}

absl::Status CheckStaffing(const Client& client, const LogOracle& oracle, uint64_t head) {
  api::GetStaffingRequest request;
  request.set_jurisdiction(kJurisdiction);
  request.set_min_position(head);
  api::GetStaffingResponse staffing;
  if (absl::Status s = client.Query(client.staffing_queries(),
                                    &api::StaffingQueries::Stub::GetStaffing, request, &staffing);
      !s.ok()) {
    return s;
  }
  if (staffing.agencies_size() != kAgencyCount) {
    return absl::DataLossError(absl::StrCat("GetStaffing at ", head, " lists ",
                                            staffing.agencies_size(), " agencies, not ",
                                            kAgencyCount));
  }
  for (const api::AgencyStaffingFigures& figures : staffing.agencies()) {
    auto it = oracle.agencies().find(figures.agency_id());
    if (it == oracle.agencies().end()) {
      return absl::DataLossError("GetStaffing lists unknown agency " + figures.agency_id());
    }
    std::map<pb::QuotaCategory, std::pair<int64_t, int64_t>> served, folded;
    for (const api::QuotaFigures& q : figures.quotas()) {
      if (q.quota() != 0 || q.in_post() != 0) served[q.category()] = {q.quota(), q.in_post()};
    }
    for (const auto& [category, quota] : it->second.quota) folded[category].first = quota;
    for (const auto& [category, in_post] : it->second.in_post) {
      folded[category].second = in_post;
    }
    std::erase_if(folded, [](const auto& kv) {
      return kv.second == std::pair<int64_t, int64_t>{0, 0};
    });
    if (served != folded) {
      std::string got, want;
      for (const auto& [c, qp] : served)
        absl::StrAppend(&got, c, ":", qp.first, "/", qp.second, " ");
      for (const auto& [c, qp] : folded)
        absl::StrAppend(&want, c, ":", qp.first, "/", qp.second, " ");
      return absl::DataLossError(absl::StrCat("GetStaffing at ", head, ": agency-",
                                              figures.agency_id(), " quota/in post ", got,
                                              "; the log folds to ", want));
    }
  }
  api::CheckJurisdictionRequest check;
  check.set_jurisdiction(kJurisdiction);
  check.set_min_position(head);
  api::CheckJurisdictionResponse verdict;
  if (absl::Status s =
          client.Query(client.staffing_queries(), &api::StaffingQueries::Stub::CheckJurisdiction,
                       check, &verdict);
      !s.ok()) {
    return s;
  }
  if (!verdict.clear()) {
    return absl::DataLossError(absl::StrCat(
        "CheckJurisdiction at ", head, " is not clear: ",
        verdict.violations().empty() ? "(no violation named)" : verdict.violations(0).message()));
  }
  return absl::OkStatus();
}

absl::Status CheckBudget(const Client& client, const LogOracle& oracle, const std::string& agency,
                         uint64_t head) {
  api::GetBudgetRequest request;
  request.set_agency_id(agency);
  request.set_fiscal_year(kFiscalYear);
  request.set_min_position(head);
  api::GetBudgetResponse budget;
  if (absl::Status s = client.Query(client.budget_queries(), &api::BudgetQueries::Stub::GetBudget,
                                    request, &budget);
      !s.ok()) {
    return s;
  }
  const auto& folded = oracle.lines().at(agency);
  if (budget.lines_size() != static_cast<int>(folded.size())) {
    return absl::DataLossError(absl::StrCat("GetBudget ", agency, " at ", head, " has ",
                                            budget.lines_size(), " lines; the log has ",
                                            folded.size()));
  }
  for (const api::BudgetLineAmounts& line : budget.lines()) {
    auto it = folded.find(LineKey(line.line()));
    const api::BudgetAmounts& m = line.amounts();
    if (it == folded.end() || m.appropriated_fen() != it->second.appropriated_fen ||
        m.disbursed_fen() != it->second.disbursed_fen ||
        m.available_fen() != it->second.appropriated_fen - it->second.disbursed_fen) {
      return absl::DataLossError(absl::StrCat(
          "GetBudget ", BudgetStreamOf(agency), " at ", head, " line ", LineKey(line.line()),
          ": appropriated ", m.appropriated_fen(), ", disbursed ", m.disbursed_fen(),
          ", available ", m.available_fen(), "; the log folds to ",
          it == folded.end()
              ? "no such line"
              : absl::StrCat(it->second.appropriated_fen, ", ", it->second.disbursed_fen)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPeople(const Client& client, const LogOracle& oracle, const std::string& agency,
                         uint64_t head) {
  std::set<std::string> served;
  api::ListPeopleRequest request;
  request.set_agency_id(agency);
  request.set_min_position(head);
  request.set_max_count(kPeoplePageMax);
  do {
    api::ListPeopleResponse page;
    if (absl::Status s = client.Query(client.staffing_queries(),
                                      &api::StaffingQueries::Stub::ListPeople, request, &page);
        !s.ok()) {
      return s;
    }
    for (const api::PersonSummary& p : page.people()) served.insert(p.person_id());
    request.set_after_person_id(page.next_after_person_id());
  } while (!request.after_person_id().empty());
  const std::set<std::string>& folded = oracle.agencies().at(agency).roster;
  if (served != folded) {
    std::vector<std::string> only_served, only_folded;
    std::set_difference(served.begin(), served.end(), folded.begin(), folded.end(),
                        std::back_inserter(only_served));
    std::set_difference(folded.begin(), folded.end(), served.begin(), served.end(),
                        std::back_inserter(only_folded));
    return absl::DataLossError(absl::StrCat(
        "ListPeople agency-", agency, " at ", head, ": ", served.size(), " people; the log has ",
        folded.size(), "; only served: ", absl::StrJoin(only_served, ","),
        "; only in the log: ", absl::StrJoin(only_folded, ",")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckReadModels(const Client& client, const LogOracle& oracle) {
  const uint64_t head = oracle.head();
  if (absl::Status s = CheckStaffing(client, oracle, head); !s.ok()) return s;
  for (const AgencyPlan& a : kAgencies) {
    if (absl::Status s = CheckBudget(client, oracle, a.id, head); !s.ok()) return s;
    if (absl::Status s = CheckPeople(client, oracle, a.id, head); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckProjectionsInProcess(const std::string& dir, size_t* resumed_behind_max) {
  eventstore::RocksEventStoreOptions options;
  options.path = dir + "/log";
  auto store = eventstore::RocksEventStore::Open(options);
  if (!store.ok()) return store.status();
  auto kv = eventstore::OpenRocksKeyValueStore(dir + "/readmodels");
  if (!kv.ok()) return kv.status();
  const uint64_t head = (*store)->HeadPosition();
  auto runner = projections::ProjectionRunner::Start(**store, **kv, projections::AllProjections());
  if (!runner.ok()) return runner.status();
  if (!(*runner)->WaitForAll(head, kCatchUpTimeout)) {
    return absl::DeadlineExceededError(absl::StrCat("the read models did not reach the head ", head,
                                                    " within ",
                                                    absl::FormatDuration(kCatchUpTimeout)));
  }
  for (const projections::ProjectionStatus& status : (*runner)->Statuses()) {
    // How far behind the head the kill left this model's persisted checkpoint.
    *resumed_behind_max =
        std::max(*resumed_behind_max, static_cast<size_t>(status.applied_since_start));
  }
  std::vector<std::unique_ptr<projections::Projection>> fresh = projections::AllProjections();
  std::vector<const projections::Projection*> raw;
  for (const auto& p : fresh) raw.push_back(p.get());
  auto replayed = projections::ReplayInMemory(**store, raw, head);
  if (!replayed.ok()) return replayed.status();
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string name(raw[i]->name());
    std::string resumed;
    absl::Status read =
        (*runner)->Read(name, head, absl::ZeroDuration(),
                        [&](const projections::EntityTable& t, uint64_t) { resumed = t.Render(); });
    if (!read.ok()) return read;
    const std::string replay = (*replayed)[i]->Render();
    if (resumed != replay) return RenderMismatch(name, head, resumed, replay);
  }
  (*runner)->Stop();
  (*store)->Close();
  return absl::OkStatus();
}

}  // namespace reformlog::services::crash
