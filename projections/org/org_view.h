// Queries over the org read model: an agency as of a date, the tree of a jurisdiction as
// of a date, what changed between two dates, and lineage (机构沿革). Pure functions of the
// table; dates are YYYY-MM-DD and compare as strings.
#ifndef REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_
#define REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_

#include <map>
#include <string>
#include <vector>

#include "projections/entity_table.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

// The last date any query accepts as "no limit".
inline constexpr char kEndOfTime[] = "9999-12-31";

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
  std::string ceased_how;  // "merged into X", "split into X, Y", "abolished"
  bool mandate_issued = false;
  rm::EventRef mandate_ref;
  std::vector<std::string> functions;
  std::map<std::string, std::pair<std::string, std::vector<std::string>>>
      divisions;  // id → name, 挂牌
  std::vector<dpb::QuotaCount> quotas;
  std::vector<dpb::LeaderPostCount> leader_posts;
};

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
std::vector<TreeNode> TreeAsOf(const EntityTable& org, const std::string& date,
                               const std::string& jurisdiction, bool include_ceased);

struct OrgDiffEntry {
  std::string agency_id;
  std::string kind;  // founded, ceased, renamed, moved, reranked, names
  std::string before;
  std::string after;
};

// What differs between the structure on `from` and on `to`.
std::vector<OrgDiffEntry> DiffOrg(const EntityTable& org, const std::string& from,
                                  const std::string& to);

struct LineageStep {
  std::string from_agency_id;
  std::string to_agency_id;
  std::string kind;  // merger, absorption, split, abolition
  rm::EventRef ref;
};

struct Lineage {
  std::vector<LineageStep> predecessors;  // transitively, nearest first
  std::vector<LineageStep> successors;
};

Lineage LineageOf(const EntityTable& org, const std::string& agency_id);

// One line saying what a change did, as users read it.
std::string SummarizeChange(const rm::AgencyChange& change);

// A canonical text rendering of the tree, one agency a line, for golden tests and the CLI.
std::string RenderTree(const std::vector<TreeNode>& nodes);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ORG_ORG_VIEW_H_
