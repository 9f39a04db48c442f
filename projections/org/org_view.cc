#include "projections/org/org_view.h"

#include <algorithm>
#include <deque>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/official_order.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

void Remove(std::vector<std::string>& names, const std::string& name) {
  names.erase(std::remove(names.begin(), names.end(), name), names.end());
}

void ApplyChange(const rm::AgencyChange& c, AgencyAsOf& a) {
  switch (c.change_case()) {
    case rm::AgencyChange::kEstablished: {
      const auto& e = c.established();
      a.exists = true;
      a.name = e.name();
      a.kind = e.kind();
      a.rank = e.rank();
      a.parent_id = e.parent_id();
      a.funding_form = e.funding_form();
      a.jurisdiction = e.jurisdiction();
      a.civil_servant_managed = e.civil_servant_managed();
      a.role = e.role();
      a.established_on = c.ref().effective_date();
      break;
    }
    case rm::AgencyChange::kRenamed:
      a.name = c.renamed().new_name();
      break;
    case rm::AgencyChange::kExtraNameAdded:
      a.extra_names.push_back(c.extra_name_added().name());
      break;
    case rm::AgencyChange::kExtraNameRemoved:
      Remove(a.extra_names, c.extra_name_removed().name());
      break;
    case rm::AgencyChange::kReparented:
      a.parent_id = c.reparented().new_parent_id();
      break;
    case rm::AgencyChange::kReranked:
      a.rank = c.reranked().new_rank();
      break;
    case rm::AgencyChange::kMerged:
      if (!c.merged().absorption() || c.merged().result_id() != a.agency_id) {
        a.ceased = true;
        a.ceased_on = c.ref().effective_date();
        a.ceased_how = {Cessation::Kind::kMerged, {c.merged().result_id()}};
      }
      break;
    case rm::AgencyChange::kSplit:
      a.ceased = true;
      a.ceased_on = c.ref().effective_date();
      a.ceased_how = {Cessation::Kind::kSplit,
                      {c.split().result_ids().begin(), c.split().result_ids().end()}};
      break;
    case rm::AgencyChange::kAbolished:
      a.ceased = true;
      a.ceased_on = c.ref().effective_date();
      a.ceased_how = {Cessation::Kind::kAbolished, {}};
      if (!c.abolished().successor_id().empty()) {
        a.ceased_how.to_ids.push_back(c.abolished().successor_id());
      }
      break;
    case rm::AgencyChange::kDivisionCreated: {
      const auto& d = c.division_created();
      a.divisions[d.division_id()] = {d.name(), {d.extra_names().begin(), d.extra_names().end()}};
      break;
    }
    case rm::AgencyChange::kDivisionAbolished:
      a.divisions.erase(c.division_abolished().division_id());
      break;
    case rm::AgencyChange::kMandateIssued: {
      const auto& m = c.mandate_issued();
      a.mandate_issued = true;
      a.mandate_ref = c.ref();
      a.functions.assign(m.functions().begin(), m.functions().end());
      a.quotas.assign(m.quotas().begin(), m.quotas().end());
      a.leader_posts.assign(m.leader_posts().begin(), m.leader_posts().end());
      break;
    }
    case rm::AgencyChange::kFunctionsOut:
      for (const std::string& f : c.functions_out().functions()) Remove(a.functions, f);
      break;
    case rm::AgencyChange::kFunctionsIn:
      a.functions.insert(a.functions.end(), c.functions_in().functions().begin(),
                         c.functions_in().functions().end());
      break;
    case rm::AgencyChange::kAbsorbed:
    case rm::AgencyChange::CHANGE_NOT_SET:
      break;
  }
}

// Whether a summary fold (what a tree shows) takes this change: not the mandate's parts.
bool IsSummaryChange(const rm::AgencyChange& c) {
  return !(c.has_division_created() || c.has_division_abolished() || c.has_mandate_issued() ||
           c.has_functions_in() || c.has_functions_out());
}

std::string Describe(const AgencyAsOf& a) {
  return absl::StrCat(a.name, " [", domain::Label(a.kind), " ", domain::Label(a.rank), "]");
}

}  // namespace

AgencyAsOf FoldAgency(const rm::AgencyHistory& history, const std::string& date,
                      bool summary_only) {
  AgencyAsOf a;
  a.agency_id = history.agency_id();
  for (const rm::AgencyChange& c : history.changes()) {
    if (c.ref().effective_date() > date) break;  // changes are in effective order
    if (summary_only && !IsSummaryChange(c)) continue;
    ApplyChange(c, a);
  }
  return a;
}

std::vector<TreeNode> TreeAsOf(const EntityTable& org, const std::string& date,
                               const std::string& jurisdiction, bool include_ceased) {
  // Agencies in key order; children found by index, not by copying names around.
  std::vector<AgencyAsOf> standing;
  standing.reserve(org.size());
  ConstTable<rm::AgencyHistory>(org).ForEach([&](const std::string&, const rm::AgencyHistory& h) {
    AgencyAsOf a = FoldAgency(h, date, /*summary_only=*/true);
    if (!a.exists || (a.ceased && !include_ceased)) return;
    if (!jurisdiction.empty() && a.jurisdiction != jurisdiction) return;
    standing.push_back(std::move(a));
  });
  absl::flat_hash_map<absl::string_view, size_t> index;
  index.reserve(standing.size());
  for (size_t i = 0; i < standing.size(); ++i) index.emplace(standing[i].agency_id, i);
  std::vector<std::vector<size_t>> children(standing.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < standing.size(); ++i) {
    auto parent = standing[i].parent_id.empty() ? index.end() : index.find(standing[i].parent_id);
    if (parent == index.end()) {
      roots.push_back(i);
    } else {
      children[parent->second].push_back(i);
    }
  }
  // Siblings in the official order (domain/official_order.h).
  auto before = [&standing](size_t x, size_t y) {
    const AgencyAsOf& a = standing[x];
    const AgencyAsOf& b = standing[y];
    return domain::OfficiallyBefore(a.kind, a.rank, a.agency_id, b.kind, b.rank, b.agency_id);
  };
  std::sort(roots.begin(), roots.end(), before);
  for (std::vector<size_t>& kids : children) std::sort(kids.begin(), kids.end(), before);
  std::vector<TreeNode> out;
  out.reserve(standing.size());
  std::vector<std::pair<size_t, int>> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  while (!stack.empty()) {
    auto [i, depth] = stack.back();
    stack.pop_back();
    for (auto it = children[i].rbegin(); it != children[i].rend(); ++it)
      stack.emplace_back(*it, depth + 1);
    out.push_back({std::move(standing[i]), depth});
  }
  return out;
}

std::shared_ptr<const OrgSummaries> OrgSummaries::Build(const EntityTable& org,
                                                        const OrgSummaries* previous) {
  auto out = std::make_shared<OrgSummaries>();
  out->entries_.reserve(org.size());
  ConstTable<rm::AgencyHistory>(org).ForEach(
      [&](const std::string& id, const rm::AgencyHistory& h) {
        if (previous != nullptr) {
          const int at = previous->IndexOf(id);
          if (at >= 0 && previous->entries_[static_cast<size_t>(at)]->changes == h.changes_size()) {
            out->entries_.push_back(previous->entries_[static_cast<size_t>(at)]);
            return;
          }
        }
        auto latest = std::make_shared<LatestSummary>();
        latest->agency = FoldAgency(h, kEndOfTime, /*summary_only=*/true);
        for (auto c = h.changes().rbegin(); c != h.changes().rend(); ++c) {
          if (IsSummaryChange(*c)) {
            latest->holds_from = c->ref().effective_date();
            break;
          }
        }
        latest->changes = h.changes_size();
        out->entries_.push_back(std::move(latest));
      });
  out->index_.reserve(out->entries_.size());
  for (size_t i = 0; i < out->entries_.size(); ++i) {
    out->index_.emplace(out->entries_[i]->agency.agency_id, static_cast<int>(i));
  }
  return out;
}

int OrgSummaries::IndexOf(absl::string_view agency_id) const {
  auto it = index_.find(agency_id);
  return it == index_.end() ? -1 : it->second;
}

OrgTree OrgTreeAsOf(const EntityTable& org, std::shared_ptr<const OrgSummaries> summaries,
                    const std::string& date, const std::string& jurisdiction, bool include_ceased) {
  OrgTree tree;
  tree.summaries = std::move(summaries);
  const OrgSummaries& all = *tree.summaries;
  ConstTable<rm::AgencyHistory> histories(org);
  // standing[i]: agency i of `all` as of the date, or null when it does not stand (or is
  // filtered out).
  std::vector<const AgencyAsOf*> standing(all.size(), nullptr);
  for (size_t i = 0; i < all.size(); ++i) {
    const LatestSummary& latest = all.at(i);
    const AgencyAsOf* a = &latest.agency;
    if (date < latest.holds_from) {  // changed after the date: fold it to the date
      const rm::AgencyHistory* h = histories.Find(a->agency_id);
      if (h == nullptr || h->changes().empty() || date < h->changes(0).ref().effective_date()) {
        continue;  // nothing of it was effective yet
      }
      tree.folded.push_back(FoldAgency(*h, date, /*summary_only=*/true));
      a = &tree.folded.back();
    }
    if (!a->exists || (a->ceased && !include_ceased)) continue;
    if (!jurisdiction.empty() && a->jurisdiction != jurisdiction) continue;
    standing[i] = a;
  }
  // Children by index; a parent that does not stand makes a root.
  std::vector<std::vector<int>> children(all.size());
  std::vector<int> roots;
  for (size_t i = 0; i < all.size(); ++i) {
    if (standing[i] == nullptr) continue;
    const std::string& parent_id = standing[i]->parent_id;
    const int parent = parent_id.empty() ? -1 : all.IndexOf(parent_id);
    if (parent < 0 || standing[static_cast<size_t>(parent)] == nullptr) {
      roots.push_back(static_cast<int>(i));
    } else {
      children[static_cast<size_t>(parent)].push_back(static_cast<int>(i));
    }
  }
  // Siblings in the official order (domain/official_order.h).
  auto before = [&standing](int x, int y) {
    const AgencyAsOf& a = *standing[static_cast<size_t>(x)];
    const AgencyAsOf& b = *standing[static_cast<size_t>(y)];
    return domain::OfficiallyBefore(a.kind, a.rank, a.agency_id, b.kind, b.rank, b.agency_id);
  };
  std::sort(roots.begin(), roots.end(), before);
  for (std::vector<int>& kids : children) std::sort(kids.begin(), kids.end(), before);
  tree.nodes.reserve(all.size());
  std::vector<std::pair<int, int>> stack;  // (index, depth)
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  while (!stack.empty()) {
    auto [i, depth] = stack.back();
    stack.pop_back();
    const std::vector<int>& kids = children[static_cast<size_t>(i)];
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.emplace_back(*it, depth + 1);
    tree.nodes.push_back({standing[static_cast<size_t>(i)], depth});
  }
  return tree;
}

std::shared_ptr<const OrgSummaries> OrgSummaryCache::Get(const EntityTable& org, uint32_t version,
                                                         uint64_t position) {
  absl::MutexLock lock(&mu_);
  if (summaries_ != nullptr && version == version_) {
    if (position == position_) return summaries_;
    if (position > position_) {  // the same table, moved on: refold what grew
      summaries_ = OrgSummaries::Build(org, summaries_.get());
      position_ = position;
      return summaries_;
    }
  }
  std::shared_ptr<const OrgSummaries> fresh = OrgSummaries::Build(org, nullptr);
  // A caller with an older version than the kept one read it before a rebuild and will
  // discard its answer: keep the newer summaries.
  if (summaries_ == nullptr || version >= version_) {
    summaries_ = fresh;
    version_ = version;
    position_ = position;
  }
  return fresh;
}

std::vector<OrgDiffEntry> DiffOrg(const EntityTable& org, const std::string& from,
                                  const std::string& to, const std::string& jurisdiction,
                                  domain::Language language) {
  std::vector<OrgDiffEntry> out;
  const NameOf name_of = LatestNames(org);
  ConstTable<rm::AgencyHistory>(org).ForEach(
      [&](const std::string& id, const rm::AgencyHistory& h) {
        // The latest state, folded only for an agency with a difference to report.
        std::optional<AgencyAsOf> latest;
        auto add = [&](const char* kind, std::string before, std::string after) {
          if (!latest) latest = FoldAgency(h, kEndOfTime, /*summary_only=*/true);
          if (!jurisdiction.empty() && latest->jurisdiction != jurisdiction) return;
          out.push_back({id, latest->name, kind, std::move(before), std::move(after)});
        };
        const AgencyAsOf a = FoldAgency(h, from);
        const AgencyAsOf b = FoldAgency(h, to);
        const bool was = a.exists && !a.ceased;
        const bool is = b.exists && !b.ceased;
        if (!was && is) {
          add("founded", "", Describe(b));
          return;
        }
        if (was && !is) {
          add("ceased", Describe(a), DescribeCessation(b.ceased_how, language, name_of));
          return;
        }
        if (!was) return;
        if (a.name != b.name) add("renamed", a.name, b.name);
        if (a.parent_id != b.parent_id) add("moved", a.parent_id, b.parent_id);
        if (a.rank != b.rank) add("reranked", domain::Label(a.rank), domain::Label(b.rank));
        if (a.extra_names != b.extra_names) {
          add("names", absl::StrJoin(a.extra_names, "、"), absl::StrJoin(b.extra_names, "、"));
        }
      });
  return out;
}

std::optional<AgencyDetail> AgencyDetailAsOf(const EntityTable& org, const std::string& agency_id,
                                             const std::string& date, domain::Language language) {
  const rm::AgencyHistory* history = ConstTable<rm::AgencyHistory>(org).Find(agency_id);
  if (history == nullptr) return std::nullopt;
  AgencyDetail detail;
  detail.agency = FoldAgency(*history, date);
  if (!detail.agency.exists) return std::nullopt;
  const NameOf name_of = LatestNames(org);
  for (const rm::AgencyChange& c : history->changes()) {
    if (c.ref().effective_date() > date) break;
    detail.history.push_back({c.ref(), SummarizeChange(c, language, name_of)});
  }
  return detail;
}

namespace {

LineageStep Step(const std::string& from, const std::string& to, const std::string& kind,
                 const rm::EventRef& ref) {
  LineageStep step;
  step.from_agency_id = from;
  step.to_agency_id = to;
  step.kind = kind;
  step.ref = ref;
  return step;
}

// The latest name of an agency; empty when it is unknown.
std::string LatestName(const ConstTable<rm::AgencyHistory>& table, const std::string& id) {
  const rm::AgencyHistory* h = table.Find(id);
  return h == nullptr ? std::string() : FoldAgency(*h, kEndOfTime, /*summary_only=*/true).name;
}

// Direct lineage steps of one agency, from its own history.
void DirectSteps(const rm::AgencyHistory& h, std::vector<LineageStep>* preds,
                 std::vector<LineageStep>* succs) {
  for (const rm::AgencyChange& c : h.changes()) {
    if (c.has_established()) {
      const auto& e = c.established();
      const std::string kind = e.origin() == dpb::MERGER ? "merger" : "split";
      for (const std::string& p : e.predecessor_ids())
        preds->push_back(Step(p, h.agency_id(), kind, c.ref()));
    } else if (c.has_absorbed()) {
      for (const std::string& p : c.absorbed().absorbed_ids()) {
        preds->push_back(Step(p, h.agency_id(), "absorption", c.ref()));
      }
    } else if (c.has_merged() && c.merged().result_id() != h.agency_id()) {
      succs->push_back(Step(h.agency_id(), c.merged().result_id(),
                            c.merged().absorption() ? "absorption" : "merger", c.ref()));
    } else if (c.has_split()) {
      for (const std::string& r : c.split().result_ids()) {
        succs->push_back(Step(h.agency_id(), r, "split", c.ref()));
      }
    } else if (c.has_abolished() && !c.abolished().successor_id().empty()) {
      succs->push_back(Step(h.agency_id(), c.abolished().successor_id(), "abolition", c.ref()));
    }
  }
}

// Abolition with a successor is recorded only on the abolished side: find it from there.
void AbolitionPredecessors(const EntityTable& org, const std::string& agency_id,
                           std::vector<LineageStep>* preds) {
  ConstTable<rm::AgencyHistory>(org).ForEach([&](const std::string&, const rm::AgencyHistory& h) {
    for (const rm::AgencyChange& c : h.changes()) {
      if (c.has_abolished() && c.abolished().successor_id() == agency_id) {
        preds->push_back(Step(h.agency_id(), agency_id, "abolition", c.ref()));
      }
    }
  });
}

// The 沿革 entries of one agency's history (in its effective order), appended to `out`.
void HistoryEvents(const rm::AgencyHistory& h, std::vector<LineageEvent>* out) {
  std::string name;
  for (const rm::AgencyChange& c : h.changes()) {
    LineageEvent event;
    switch (c.change_case()) {
      case rm::AgencyChange::kEstablished: {
        const auto& e = c.established();
        name = e.name();
        event.kind = "设立";
        event.summary = absl::StrCat("设立", e.name(), "（", domain::Label(e.kind()), "，",
                                     domain::Label(e.rank()), "）");
        if (e.predecessor_ids_size() > 0) {
          absl::StrAppend(&event.summary, e.origin() == dpb::MERGER ? "，由 " : "，分设自 ",
                          absl::StrJoin(e.predecessor_ids(), "、"),
                          e.origin() == dpb::MERGER ? " 合并组建" : "");
        }
        break;
      }
      case rm::AgencyChange::kRenamed:
        // From the name before it in effective order: a rename recorded late may have been
        // decided against another one.
        event.kind = "更名";
        event.summary = absl::StrCat("更名：", name, " → ", c.renamed().new_name());
        name = c.renamed().new_name();
        break;
      case rm::AgencyChange::kExtraNameAdded:
        event.kind = "挂牌";
        event.summary = absl::StrCat("加挂", c.extra_name_added().name(), "牌子");
        break;
      case rm::AgencyChange::kExtraNameRemoved:
        event.kind = "摘牌";
        event.summary = absl::StrCat("不再保留", c.extra_name_removed().name(), "牌子");
        break;
      case rm::AgencyChange::kReranked:
        event.kind = "规格调整";
        event.summary = absl::StrCat("机构规格：", domain::Label(c.reranked().old_rank()), " → ",
                                     domain::Label(c.reranked().new_rank()));
        break;
      case rm::AgencyChange::kReparented:
        event.kind = "隶属调整";
        event.summary = absl::StrCat("隶属：", c.reparented().old_parent_id(), " → ",
                                     c.reparented().new_parent_id());
        break;
      case rm::AgencyChange::kMerged:
        if (c.merged().result_id() == h.agency_id()) continue;  // the AgencyAbsorbed says it
        event.kind = "并入";
        event.summary = absl::StrCat("并入 ", c.merged().result_id());
        break;
      case rm::AgencyChange::kAbsorbed:
        event.kind = "吸收合并";
        event.summary = absl::StrCat("吸收合并 ", absl::StrJoin(c.absorbed().absorbed_ids(), "、"));
        break;
      case rm::AgencyChange::kSplit:
        event.kind = "分设";
        event.summary =
            absl::StrCat("分设为 ", absl::StrJoin(c.split().result_ids(), "、"), "，本机构撤销");
        break;
      case rm::AgencyChange::kAbolished:
        event.kind = "撤销";
        event.summary =
            c.abolished().successor_id().empty()
                ? std::string("撤销")
                : absl::StrCat("撤销，所属编制、人员和事项划入 ", c.abolished().successor_id());
        break;
      default:
        continue;  // divisions, 三定 and functions are the agency's contents, not its 沿革
    }
    event.agency_id = h.agency_id();
    event.name = name;
    event.ref = c.ref();
    out->push_back(std::move(event));
  }
}

}  // namespace

Lineage LineageOf(const EntityTable& org, const std::string& agency_id) {
  ConstTable<rm::AgencyHistory> table(org);
  Lineage lineage;
  for (const bool backwards : {true, false}) {
    std::set<std::string> seen = {agency_id};
    std::deque<std::string> queue = {agency_id};
    std::vector<LineageStep>& out = backwards ? lineage.predecessors : lineage.successors;
    while (!queue.empty()) {
      const std::string id = queue.front();
      queue.pop_front();
      const rm::AgencyHistory* h = table.Find(id);
      if (h == nullptr) continue;
      std::vector<LineageStep> preds;
      std::vector<LineageStep> succs;
      DirectSteps(*h, &preds, &succs);
      if (backwards) AbolitionPredecessors(org, id, &preds);
      for (LineageStep& step : backwards ? preds : succs) {
        const std::string& next = backwards ? step.from_agency_id : step.to_agency_id;
        out.push_back(step);
        if (seen.insert(next).second) queue.push_back(next);
      }
    }
  }
  for (std::vector<LineageStep>* steps : {&lineage.predecessors, &lineage.successors}) {
    for (LineageStep& step : *steps) {
      step.from_name = LatestName(table, step.from_agency_id);
      step.to_name = LatestName(table, step.to_agency_id);
    }
  }
  std::set<std::string> agencies = {agency_id};
  for (const std::vector<LineageStep>* steps : {&lineage.predecessors, &lineage.successors}) {
    for (const LineageStep& step : *steps) {
      agencies.insert(step.from_agency_id);
      agencies.insert(step.to_agency_id);
    }
  }
  for (const std::string& id : agencies) {
    if (const rm::AgencyHistory* h = table.Find(id)) HistoryEvents(*h, &lineage.history);
  }
  std::stable_sort(lineage.history.begin(), lineage.history.end(),
                   [](const LineageEvent& a, const LineageEvent& b) {
                     if (a.ref.effective_date() != b.ref.effective_date()) {
                       return a.ref.effective_date() < b.ref.effective_date();
                     }
                     return a.ref.position() < b.ref.position();
                   });
  return lineage;
}

namespace {

// `id` by `name_of`; the id itself when there is no name_of or it knows no name.
std::string NameFor(const NameOf& name_of, const std::string& id) {
  if (!name_of) return id;
  std::string name = name_of(id);
  return name.empty() ? id : name;
}

template <typename Ids>
std::string NamesFor(const NameOf& name_of, const Ids& ids, absl::string_view separator) {
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(ids.size()));
  for (const std::string& id : ids) names.push_back(NameFor(name_of, id));
  return absl::StrJoin(names, separator);
}

std::string SummarizeChangeZh(const rm::AgencyChange& c, const NameOf& name_of) {
  switch (c.change_case()) {
    case rm::AgencyChange::kEstablished: {
      const auto& e = c.established();
      std::string s = absl::StrCat("设立", e.name(), "（", domain::Label(e.kind()), "，",
                                   domain::Label(e.rank()), "）");
      if (!e.parent_id().empty()) absl::StrAppend(&s, "，隶属", NameFor(name_of, e.parent_id()));
      if (e.predecessor_ids_size() > 0) {
        const std::string from = NamesFor(name_of, e.predecessor_ids(), "、");
        absl::StrAppend(&s, e.origin() == dpb::MERGER ? absl::StrCat("，由", from, "合并组建")
                                                      : absl::StrCat("，分设自", from));
      }
      return s;
    }
    case rm::AgencyChange::kRenamed:
      return absl::StrCat("更名：", c.renamed().old_name(), " → ", c.renamed().new_name());
    case rm::AgencyChange::kExtraNameAdded:
      return absl::StrCat("加挂", c.extra_name_added().name(), "牌子");
    case rm::AgencyChange::kExtraNameRemoved:
      return absl::StrCat("不再保留", c.extra_name_removed().name(), "牌子");
    case rm::AgencyChange::kReparented:
      return absl::StrCat("隶属：", NameFor(name_of, c.reparented().old_parent_id()), " → ",
                          NameFor(name_of, c.reparented().new_parent_id()));
    case rm::AgencyChange::kReranked:
      return absl::StrCat("机构规格：", domain::Label(c.reranked().old_rank()), " → ",
                          domain::Label(c.reranked().new_rank()));
    case rm::AgencyChange::kMerged:
      return c.merged().absorption() && c.merged().result_id() == c.merged().agency_id()
                 ? absl::StrCat("吸收合并", NamesFor(name_of, c.merged().original_ids(), "、"))
                 : absl::StrCat("并入", NameFor(name_of, c.merged().result_id()));
    case rm::AgencyChange::kAbsorbed:
      return absl::StrCat("吸收合并", NamesFor(name_of, c.absorbed().absorbed_ids(), "、"));
    case rm::AgencyChange::kSplit:
      return absl::StrCat("分设为", NamesFor(name_of, c.split().result_ids(), "、"),
                          "，本机构撤销");
    case rm::AgencyChange::kAbolished:
      return c.abolished().successor_id().empty()
                 ? std::string("撤销")
                 : absl::StrCat("撤销，所属编制、人员和事项划入",
                                NameFor(name_of, c.abolished().successor_id()));
    case rm::AgencyChange::kDivisionCreated:
      return absl::StrCat("设立内设机构", c.division_created().name());
    case rm::AgencyChange::kDivisionAbolished:
      return absl::StrCat("撤销内设机构（", c.division_abolished().division_id(), "）");
    case rm::AgencyChange::kMandateIssued: {
      std::vector<std::string> quotas;
      for (const auto& q : c.mandate_issued().quotas()) {
        quotas.push_back(absl::StrCat(domain::Label(q.category()), q.count(), "名"));
      }
      return absl::StrCat("印发“三定”规定：主要职责", c.mandate_issued().functions_size(),
                          "项，内设机构", c.mandate_issued().division_ids_size(), "个，",
                          quotas.empty() ? "未核定编制" : absl::StrJoin(quotas, "、"));
    }
    case rm::AgencyChange::kFunctionsOut:
      return absl::StrCat("职责划出至", NameFor(name_of, c.functions_out().to_agency_id()), "：",
                          absl::StrJoin(c.functions_out().functions(), "；"));
    case rm::AgencyChange::kFunctionsIn:
      return absl::StrCat("职责划入自", NameFor(name_of, c.functions_in().from_agency_id()), "：",
                          absl::StrJoin(c.functions_in().functions(), "；"));
    case rm::AgencyChange::CHANGE_NOT_SET:
      break;
  }
  return "";
}

std::string SummarizeChangeEn(const rm::AgencyChange& c) {
  switch (c.change_case()) {
    case rm::AgencyChange::kEstablished: {
      const auto& e = c.established();
      std::string s = absl::StrCat("established ", e.name(), " [", domain::Label(e.kind()), " ",
                                   domain::Label(e.rank()), "]");
      if (!e.parent_id().empty()) absl::StrAppend(&s, " under ", e.parent_id());
      if (e.predecessor_ids_size() > 0) {
        absl::StrAppend(&s, e.origin() == dpb::MERGER ? " by merger of " : " by split of ",
                        absl::StrJoin(e.predecessor_ids(), ", "));
      }
      return s;
    }
    case rm::AgencyChange::kRenamed:
      return absl::StrCat("renamed ", c.renamed().old_name(), " → ", c.renamed().new_name());
    case rm::AgencyChange::kExtraNameAdded:
      return absl::StrCat("挂牌 ", c.extra_name_added().name());
    case rm::AgencyChange::kExtraNameRemoved:
      return absl::StrCat("摘牌 ", c.extra_name_removed().name());
    case rm::AgencyChange::kReparented:
      return absl::StrCat("moved from ", c.reparented().old_parent_id(), " to ",
                          c.reparented().new_parent_id());
    case rm::AgencyChange::kReranked:
      return absl::StrCat("re-ranked ", domain::Label(c.reranked().old_rank()), " → ",
                          domain::Label(c.reranked().new_rank()));
    case rm::AgencyChange::kMerged:
      return c.merged().absorption() && c.merged().result_id() == c.merged().agency_id()
                 ? absl::StrCat("absorbed ", absl::StrJoin(c.merged().original_ids(), ", "))
                 : absl::StrCat("merged into ", c.merged().result_id());
    case rm::AgencyChange::kAbsorbed:
      return absl::StrCat("absorbed ", absl::StrJoin(c.absorbed().absorbed_ids(), ", "));
    case rm::AgencyChange::kSplit:
      return absl::StrCat("split into ", absl::StrJoin(c.split().result_ids(), ", "));
    case rm::AgencyChange::kAbolished:
      return c.abolished().successor_id().empty()
                 ? "abolished"
                 : absl::StrCat("abolished; successor ", c.abolished().successor_id());
    case rm::AgencyChange::kDivisionCreated:
      return absl::StrCat("division ", c.division_created().name(), " set up");
    case rm::AgencyChange::kDivisionAbolished:
      return absl::StrCat("division ", c.division_abolished().division_id(), " abolished");
    case rm::AgencyChange::kMandateIssued: {
      std::vector<std::string> quotas;
      for (const auto& q : c.mandate_issued().quotas()) {
        quotas.push_back(absl::StrCat(domain::Label(q.category()), " ", q.count()));
      }
      return absl::StrCat("三定 issued: ", c.mandate_issued().functions_size(), " functions, ",
                          c.mandate_issued().division_ids_size(), " divisions, ",
                          quotas.empty() ? "no quota" : absl::StrJoin(quotas, ", "));
    }
    case rm::AgencyChange::kFunctionsOut:
      return absl::StrCat("functions to ", c.functions_out().to_agency_id(), ": ",
                          absl::StrJoin(c.functions_out().functions(), "; "));
    case rm::AgencyChange::kFunctionsIn:
      return absl::StrCat("functions from ", c.functions_in().from_agency_id(), ": ",
                          absl::StrJoin(c.functions_in().functions(), "; "));
    case rm::AgencyChange::CHANGE_NOT_SET:
      break;
  }
  return "";
}

}  // namespace

std::string SummarizeChange(const rm::AgencyChange& change, domain::Language language,
                            const NameOf& name_of) {
  return language == domain::Language::kEnglish ? SummarizeChangeEn(change)
                                                : SummarizeChangeZh(change, name_of);
}

NameOf LatestNames(const EntityTable& org) {
  return
      [&org](const std::string& id) { return LatestName(ConstTable<rm::AgencyHistory>(org), id); };
}

std::string DescribeCessation(const Cessation& how, domain::Language language,
                              const NameOf& name_of) {
  const bool en = language == domain::Language::kEnglish;
  switch (how.kind) {
    case Cessation::Kind::kNone:
      return "";
    case Cessation::Kind::kMerged:
      return en ? absl::StrCat("merged into ", absl::StrJoin(how.to_ids, ", "))
                : absl::StrCat("并入", NamesFor(name_of, how.to_ids, "、"));
    case Cessation::Kind::kSplit:
      return en ? absl::StrCat("split into ", absl::StrJoin(how.to_ids, ", "))
                : absl::StrCat("分设为", NamesFor(name_of, how.to_ids, "、"));
    case Cessation::Kind::kAbolished:
      if (how.to_ids.empty()) return en ? "abolished" : "撤销";
      return en ? absl::StrCat("abolished; successor ", how.to_ids.front())
                : absl::StrCat("撤销，由", NameFor(name_of, how.to_ids.front()), "承接");
  }
  return "";
}

namespace {

void RenderNode(const AgencyAsOf& a, int depth, std::string& out) {
  absl::StrAppend(&out, std::string(static_cast<size_t>(depth) * 2, ' '), a.agency_id, " ", a.name,
                  " [", domain::Label(a.kind), " ", domain::Label(a.rank), "]");
  if (!a.extra_names.empty()) absl::StrAppend(&out, " 挂: ", absl::StrJoin(a.extra_names, "、"));
  if (a.ceased) {
    absl::StrAppend(&out, " (ceased ", a.ceased_on, ": ",
                    DescribeCessation(a.ceased_how, domain::Language::kEnglish, nullptr), ")");
  }
  absl::StrAppend(&out, "\n");
}

}  // namespace

std::string RenderTree(const std::vector<TreeNode>& nodes) {
  std::string out;
  for (const TreeNode& n : nodes) RenderNode(n.agency, n.depth, out);
  return out;
}

std::string RenderTree(const OrgTree& tree) {
  std::string out;
  for (const OrgTree::Node& n : tree.nodes) RenderNode(*n.agency, n.depth, out);
  return out;
}

}  // namespace reformlog::projections
