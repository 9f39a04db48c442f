#include "services/domain/timeline.h"

#include <set>

#include "absl/strings/str_join.h"
#include "domain/quote.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {

void SortByEffect(std::vector<DatedEvent>& events) {
  std::stable_sort(events.begin(), events.end(), [](const DatedEvent& a, const DatedEvent& b) {
    return a.effective_date < b.effective_date;
  });
}

std::vector<std::string> Violations(const AgencyState& state) {
  std::vector<std::string> out;
  // By id, not by name: a late rename must not make a violation the history already had
  // look new.
  const std::string who = AgencyStream(state.agency_id);
  if (state.stray_events > 0) {
    out.push_back(absl::StrCat(who, " with ", state.stray_events,
                               " change(s) it could not take (before it was established or "
                               "after it ceased)"));
  }
  for (const auto& [category, quota] : state.quotas) {
    if (quota < 0) {
      out.push_back(absl::StrCat(who, " with a ", Label(category), " quota of ", quota));
    }
  }
  for (const auto& [category, people] : state.in_post) {
    const int64_t quota = state.Quota(category);
    if (people > quota) {
      out.push_back(absl::StrCat(who, " with ", people, " in post on ", Label(category), " of ",
                                 quota, " (超编)"));
    }
  }
  // 预留编制 count as taken: reserved vacancies beyond what quota leaves free.
  std::set<pb::QuotaCategory> reserved;
  for (const auto& [notice_id, r] : state.reservations) reserved.insert(r.category);
  for (const pb::QuotaCategory category : reserved) {
    const int64_t quota = state.Quota(category);
    const int64_t people = state.InPost(category);
    const int64_t held = state.ReservedOn(category, state.on_date);
    if (held > 0 && people <= quota && people + held > quota) {
      out.push_back(absl::StrCat(who, " with ", people, " in post and ", held,
                                 " reserved (预留编制) on ", Label(category), " of ", quota,
                                 " (超编)"));
    }
  }
  std::set<pb::Rank> ranks;
  for (const auto& [rank, posts] : state.leader_posts) ranks.insert(rank);
  for (const auto& [rank, excess] : state.leader_transition) ranks.insert(rank);
  for (const pb::Rank rank : ranks) {
    const int64_t leaders = state.LeadersAt(rank);
    const int64_t posts = state.LeaderPostsAt(rank);
    const int64_t transition = state.LeaderTransitionAt(rank);
    if (leaders > posts + transition) {
      out.push_back(absl::StrCat(
          who, " with ", leaders, " ", Label(rank), " leaders on ", posts, " posts",
          transition > 0 ? absl::StrCat(" and ", transition, " in 消化") : std::string(),
          " (超职数)"));
    }
  }
  if (state.ceased) {
    int64_t quota = 0;
    for (const auto& [category, count] : state.quotas) quota += count;
    if (!state.roster.empty() || quota != 0 || !state.powers_held.empty()) {
      out.push_back(absl::StrCat(who, " ceased (", state.ceased_how, ") yet holding ",
                                 state.roster.size(), " people, ", quota, " quota and ",
                                 state.powers_held.size(), " power items"));
    }
  }
  return out;
}

std::vector<std::string> Violations(const PersonState& state) {
  std::vector<std::string> out;
  if (state.stray_events > 0) {
    out.push_back(absl::StrCat(PersonStream(state.person_id), " with ", state.stray_events,
                               " change(s) made when not in post or registered twice"));
  }
  return out;
}

std::vector<std::string> Violations(const BudgetState& state) {
  std::vector<std::string> out;
  const std::string who = BudgetStream(state.agency_id, state.fiscal_year);
  if (state.stray_events > 0) {
    out.push_back(absl::StrCat(who, " with ", state.stray_events,
                               " movement(s) on a line after its 年末结转 or a second 年初结转"));
  }
  for (const auto& [key, line] : state.lines) {
    if (line.Available() < 0) {
      out.push_back(absl::StrCat(who, " line ", DescribeLine(line.line), " overdrawn by ",
                                 -line.Available(), " 分"));
    }
  }
  return out;
}

std::vector<std::string> Violations(const PowerState& /*state*/) { return {}; }
std::vector<std::string> Violations(const PlanState& /*state*/) { return {}; }
std::vector<std::string> Violations(const SecurityState& /*state*/) { return {}; }
std::vector<std::string> Violations(const QuotaUseState& /*state*/) { return {}; }
std::vector<std::string> Violations(const JurisdictionState& /*state*/) { return {}; }
std::vector<std::string> Violations(const AgencyNameState& state) {
  if (state.holders.size() < 2) return {};
  std::vector<std::string> holders;
  for (const std::string& id : state.holders) holders.push_back(AgencyStream(id));
  return {absl::StrCat("the name ", QuoteValue(state.name), " carried by ",
                       absl::StrJoin(holders, " and "), " at once in ",
                       QuoteValue(state.jurisdiction))};
}

}  // namespace reformlog::domain
