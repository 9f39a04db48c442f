// Queries over the org read model: an agency as of a date, the tree of a jurisdiction as
// of a date, what changed between two dates, and lineage (机构沿革). Pure functions of the
// table; dates are YYYY-MM-DD and compare as strings.
#ifndef REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_
#define REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "domain/language.h"
#include "projections/entity_table.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

// The last date any query accepts as "no limit".
inline constexpr char kEndOfTime[] = "9999-12-31";

// How an agency ceased to exist, and where it went.
struct Cessation {
  enum class Kind { kNone, kMerged, kSplit, kAbolished };
  Kind kind = Kind::kNone;
  // kMerged: the agency it merged into; kSplit: those it split into; kAbolished: its
  // successor, when it has one.
  std::vector<std::string> to_ids;
  bool operator==(const Cessation&) const = default;
};

using NameOf = domain::NameOf;

// Names agencies by their latest names in `org`, which must outlive it (and stay unchanged
// while it is used). Each call folds one agency's history (summary only).
NameOf LatestNames(const EntityTable& org);

// An agency as it stood on a date: the fold of its changes effective up to that date.
struct AgencyAsOf {
  bool exists = false;  // established on or before the date
  std::string agency_id;
  std::string name;
  std::vector<std::string> extra_names;
  dpb::AgencyKind kind = dpb::AGENCY_KIND_UNSPECIFIED;
  dpb::Rank rank = dpb::RANK_UNSPECIFIED;
  std::string parent_id;
  dpb::FundingForm funding_form = dpb::FUNDING_FORM_UNSPECIFIED;
  std::string jurisdiction;
  bool civil_servant_managed = false;
  dpb::AgencyRole role = dpb::AGENCY_ROLE_NONE;
  std::string established_on;
  bool ceased = false;
  std::string ceased_on;
  Cessation ceased_how;
  bool mandate_issued = false;
  rm::EventRef mandate_ref;
  std::vector<std::string> functions;
  std::map<std::string, std::pair<std::string, std::vector<std::string>>>
      divisions;  // id → name, 挂牌
  std::vector<dpb::QuotaCount> quotas;
  std::vector<dpb::LeaderPostCount> leader_posts;
};

// How `a` ceased, in words: "并入区科学技术局" or, in English, "merged into agency-x" (agency
// ids, for integrators); empty when it has not ceased.
std::string DescribeCessation(const Cessation& how, domain::Language language,
                              const NameOf& name_of);

// With summary_only, the mandate (functions, divisions, quotas, leader posts) is skipped:
// what a tree needs, at a fraction of the cost.
AgencyAsOf FoldAgency(const rm::AgencyHistory& history, const std::string& date,
                      bool summary_only = false);

struct TreeNode {
  AgencyAsOf agency;
  int depth = 0;
};

// The agencies standing on `date` (also the ceased ones, when include_ceased), depth first
// from the roots, children ordered by id. Filtered to one jurisdiction when given (an
// agency whose parent is outside it becomes a root).
//
// This is the definition: it folds every agency's history. OrgTreeAsOf below gives the same
// tree from kept summaries, folding only agencies that changed after `date`.
std::vector<TreeNode> TreeAsOf(const EntityTable& org, const std::string& date,
                               const std::string& jurisdiction, bool include_ceased);

// An agency's summary (FoldAgency with summary_only) after all its changes, and the first
// date on which it holds: for every date ≥ holds_from, FoldAgency(history, date,
// summary_only) equals `agency`, because no change a summary folds is effective later.
struct LatestSummary {
  AgencyAsOf agency;
  std::string holds_from;  // effective date of its last summary change; "" when it has none
  int changes = 0;         // the changes_size() of the history it was folded from
};

// The latest summaries of every agency of one state of the org table, in id order, with an
// index by id. Immutable once built: queries share it without a lock.
class OrgSummaries {
 public:
  // Folds the histories of `org`, but takes from `previous` (may be null) the entry of every
  // agency whose history has as many changes as when `previous` was built. Pass a `previous`
  // only if it was built from an earlier state of the very same table object: histories
  // only grow (org_projection.h), so there an unchanged count means an unchanged history.
  static std::shared_ptr<const OrgSummaries> Build(const EntityTable& org,
                                                   const OrgSummaries* previous);

  size_t size() const { return entries_.size(); }
  const LatestSummary& at(size_t i) const { return *entries_[i]; }
  // The index of `agency_id`, or -1.
  int IndexOf(absl::string_view agency_id) const;

 private:
  std::vector<std::shared_ptr<const LatestSummary>> entries_;
  absl::flat_hash_map<absl::string_view, int> index_;  // views of entries' agency ids
};

// A tree as of a date, self-contained: its nodes point into the summaries it holds and the
// agencies it had to fold, so it stays valid after the table changes or goes away.
struct OrgTree {
  struct Node {
    const AgencyAsOf* agency = nullptr;
    int depth = 0;
  };
  std::vector<Node> nodes;  // depth first, as TreeAsOf
  std::shared_ptr<const OrgSummaries> summaries;
  std::deque<AgencyAsOf> folded;  // agencies that changed after the date, folded to it
};

// The same tree as TreeAsOf(org, date, jurisdiction, include_ceased), node for node and field
// for field. `summaries` must have been built from `org` in its current state (same table,
// no event applied since). Agencies whose summary holds on `date` are not folded again.
OrgTree OrgTreeAsOf(const EntityTable& org, std::shared_ptr<const OrgSummaries> summaries,
                    const std::string& date, const std::string& jurisdiction, bool include_ceased);

// Keeps the OrgSummaries of one live org table current between queries, refolding only the
// agencies whose history grew. Thread-safe.
class OrgSummaryCache {
 public:
  // The summaries of `org`, which the caller holds unchanged meanwhile (under the runner's
  // read lock). The caller vouches that (`version`, `position`) names the table's state:
  // `version` changes whenever the table object is replaced (a rebuild), and within one
  // version the table only moves forward, so equal pairs mean equal states. When it cannot
  // vouch (the version was read outside the lock and may have changed), it must discard
  // what it got and ask again; an entry it poisoned so is never reused, as its version is
  // gone. Summaries of a new version are folded from scratch.
  std::shared_ptr<const OrgSummaries> Get(const EntityTable& org, uint32_t version,
                                          uint64_t position);

 private:
  absl::Mutex mu_;
  uint32_t version_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t position_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<const OrgSummaries> summaries_ ABSL_GUARDED_BY(mu_);
};

// An agency with the changes of its history effective up to a date, each with the line
// SummarizeChange gives it in the language asked for, oldest first.
struct AgencyDetail {
  struct Change {
    rm::EventRef ref;
    std::string summary;
  };
  AgencyAsOf agency;
  std::vector<Change> history;
};

// The agency `agency_id` as it stood on `date` with its history up to then; nullopt when it
// had not been established by then (or is unknown). Agencies a change names are named by
// their latest names in Chinese, by id in English.
std::optional<AgencyDetail> AgencyDetailAsOf(
    const EntityTable& org, const std::string& agency_id, const std::string& date,
    domain::Language language = domain::Language::kChinese);

struct OrgDiffEntry {
  std::string agency_id;
  std::string name;  // the agency's latest name
  std::string kind;  // founded, ceased, renamed, moved, reranked, names
  std::string before;
  std::string after;  // for "ceased", how (DescribeCessation, in the language asked for)
};

// What differs between the structure on `from` and on `to`; only agencies whose latest
// jurisdiction is `jurisdiction`, when it is not empty.
std::vector<OrgDiffEntry> DiffOrg(const EntityTable& org, const std::string& from,
                                  const std::string& to, const std::string& jurisdiction = "",
                                  domain::Language language = domain::Language::kChinese);

struct LineageStep {
  std::string from_agency_id;
  std::string from_name;  // latest names
  std::string to_agency_id;
  std::string to_name;
  std::string kind;  // merger, absorption, split, abolition
  rm::EventRef ref;
};

// One entry of 机构沿革: a change to an agency's existence, name, extra names (挂牌), rank
// (规格) or place (隶属), with the document it rests on.
struct LineageEvent {
  std::string agency_id;
  std::string name;  // what the agency is called once the change takes effect
  std::string kind;  // 设立, 更名, 挂牌, 摘牌, 规格调整, 隶属调整, 吸收合并, 并入, 分设, 撤销
  std::string summary;  // "更名：区水务局 → 区水利局"
  rm::EventRef ref;
};

struct Lineage {
  std::vector<LineageStep> predecessors;  // transitively, nearest first
  std::vector<LineageStep> successors;
  // 机构沿革 of the agency and of every agency in its lineage, in the order the changes take
  // effect (date, then log position).
  std::vector<LineageEvent> history;
};

Lineage LineageOf(const EntityTable& org, const std::string& agency_id);

// One line saying what a change did, as users read it: in Chinese, in the words of 机构沿革
// with the agencies it names by `name_of` ("并入区科学技术局"); in English, with agency ids.
std::string SummarizeChange(const rm::AgencyChange& change,
                            domain::Language language = domain::Language::kChinese,
                            const NameOf& name_of = nullptr);

// A canonical text rendering of the tree, one agency a line, with ids and English cessations:
// for golden tests.
std::string RenderTree(const std::vector<TreeNode>& nodes);
std::string RenderTree(const OrgTree& tree);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_
