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

std::vector<Violation> Violations(const AgencyState& state) {
  std::vector<Violation> out;
  // By id, not by name, in English (Violation::operator==); by name in Chinese.
  const std::string who = AgencyStream(state.agency_id);
  const std::string name = state.NameZh();
  if (state.stray_events > 0) {
    out.push_back(
        {absl::StrCat(who, " with ", state.stray_events,
                      " change(s) it could not take (before it was established or "
                      "after it ceased)"),
         absl::StrCat(name, "有", state.stray_events, "项改动无法承接（在设立之前或撤并之后）")});
  }
  for (const auto& [category, quota] : state.quotas) {
    if (quota < 0) {
      out.push_back({absl::StrCat(who, " with a ", Label(category), " quota of ", quota),
                     absl::StrCat(name, Label(category), "编制数为", quota, "名")});
    }
  }
  for (const auto& [category, people] : state.in_post) {
    const int64_t quota = state.Quota(category);
    if (people > quota) {
      out.push_back(
          {absl::StrCat(who, " with ", people, " in post on ", Label(category), " of ", quota,
                        " (超编)"),
           absl::StrCat(name, Label(category), "编制数", quota, "名，实有", people, "人，超编")});
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
      out.push_back(
          {absl::StrCat(who, " with ", people, " in post and ", held, " reserved (预留编制) on ",
                        Label(category), " of ", quota, " (超编)"),
           absl::StrCat(name, Label(category), "编制数", quota, "名，实有", people, "人，预留",
                        held, "名，超编")});
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
      out.push_back(
          {absl::StrCat(
               who, " with ", leaders, " ", Label(rank), " leaders on ", posts, " posts",
               transition > 0 ? absl::StrCat(" and ", transition, " in 消化") : std::string(),
               " (超职数)"),
           absl::StrCat(
               name, Label(rank), "领导职数", posts, "名",
               transition > 0 ? absl::StrCat("（另有", transition, "名逐步消化）") : std::string(),
               "，实配", leaders, "名，超职数")});
    }
  }
  if (state.ceased) {
    int64_t quota = 0;
    for (const auto& [category, count] : state.quotas) quota += count;
    if (!state.roster.empty() || quota != 0 || !state.powers_held.empty()) {
      out.push_back(
          {absl::StrCat(who, " ceased (", state.ceased_how, ") yet holding ", state.roster.size(),
                        " people, ", quota, " quota and ", state.powers_held.size(),
                        " power items"),
           absl::StrCat(name, state.CeasedZh(), "，却仍有人员", state.roster.size(), "人、编制",
                        quota, "名、权力事项", state.powers_held.size(), "项")});
    }
  }
  return out;
}

std::vector<Violation> Violations(const PersonState& state) {
  std::vector<Violation> out;
  if (state.stray_events > 0) {
    out.push_back({absl::StrCat(PersonStream(state.person_id), " with ", state.stray_events,
                                " change(s) made when not in post or registered twice"),
                   absl::StrCat("人员", state.person_id, "有", state.stray_events,
                                "项改动发生在不在岗时或属重复登记")});
  }
  return out;
}

std::vector<Violation> Violations(const BudgetState& state) {
  std::vector<Violation> out;
  const std::string who = BudgetStream(state.agency_id, state.fiscal_year);
  const std::string who_zh = absl::StrCat(state.agency_id, state.fiscal_year, "年度预算");
  if (state.stray_events > 0) {
    out.push_back({absl::StrCat(who, " with ", state.stray_events,
                                " movement(s) on a line after its 年末结转 or a second 年初结转"),
                   absl::StrCat(who_zh, "有", state.stray_events,
                                "笔收支发生在年末结转之后，或属第二次年初结转")});
  }
  for (const auto& [key, line] : state.lines) {
    if (line.Available() < 0) {
      out.push_back({absl::StrCat(who, " line ", DescribeLine(line.line), " overdrawn by ",
                                  -line.Available(), " 分"),
                     absl::StrCat(who_zh, "预算科目", DescribeLine(line.line), "超支",
                                  -line.Available(), "分")});
    }
  }
  return out;
}

std::vector<Violation> Violations(const PowerState& /*state*/) { return {}; }
std::vector<Violation> Violations(const PlanState& /*state*/) { return {}; }
std::vector<Violation> Violations(const SecurityState& /*state*/) { return {}; }
std::vector<Violation> Violations(const QuotaUseState& /*state*/) { return {}; }
std::vector<Violation> Violations(const JurisdictionState& /*state*/) { return {}; }
std::vector<Violation> Violations(const AgencyNameState& state) {
  if (state.holders.size() < 2) return {};
  std::vector<std::string> holders;
  for (const std::string& id : state.holders) holders.push_back(AgencyStream(id));
  return {{absl::StrCat("the name ", QuoteValue(state.name), " carried by ",
                        absl::StrJoin(holders, " and "), " at once in ",
                        QuoteValue(state.jurisdiction)),
           absl::StrCat(QuoteValue(state.jurisdiction), "同时有", state.holders.size(),
                        "个在用机构名为", QuoteValue(state.name), "（",
                        absl::StrJoin(state.holders, "、"), "）")}};
}

}  // namespace reformlog::domain
