// Queries over the powers read model (power_projection.h): who holds each item on a date and
// how (as its own, or passed on — 直接下放, 委托下放 with the department that stays
// responsible, 服务前移, 相对集中), the items a holder holds, counts per holder and category
// (always derived, never typed: the seed's "92 items delegated to 格里坪镇" is such a count),
// and an item's history. Canonical text renderings for golden tests and the CLI.
//
// Pure functions of the table, which must not change while a call runs (the runner's read
// lock). Dates are YYYY-MM-DD and compare as strings; "as of a date" is effective time: an
// event takes effect on its effective date.
#ifndef REFORMLOG_PROJECTIONS_POWER_POWER_VIEW_H_
#define REFORMLOG_PROJECTIONS_POWER_POWER_VIEW_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/language.h"
#include "projections/entity_table.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

// One item as it stood on a date.
struct PowerHolding {
  std::string code;
  std::string name;
  dpb::PowerCategory category = dpb::POWER_CATEGORY_UNSPECIFIED;
  std::string legal_basis;
  std::string department_id;  // catalogued under
  std::string holder_agency_id;
  // How the holder holds it: unset = as its own department; else the passing in force.
  dpb::DelegationMode held_as = dpb::DELEGATION_MODE_UNSPECIFIED;
  std::string delegated_by_agency_id;  // who passed it on (empty when held as its own)
  // In whose name the holder acts: the delegating department under 委托下放 (it stays
  // responsible), the holder otherwise.
  std::string acts_in_name_of_agency_id;
  rm::EventRef since;  // the event that began the holding
};

// The item on `date`: the last of its periods effective on or before it. nullopt when none
// is (the item was not yet listed).
std::optional<PowerHolding> HoldingAsOf(const rm::PowerRecord& record, const std::string& date);

// Which items, and which page of them.
struct PowerFilter {
  std::string holder_agency_id;                                   // empty: any holder
  dpb::PowerCategory category = dpb::POWER_CATEGORY_UNSPECIFIED;  // unset: any category
  std::string after_code;   // the page starts after this code (empty: from the first)
  size_t limit = SIZE_MAX;  // at most this many items
};

struct PowerPage {
  std::vector<PowerHolding> items;  // by code
  // The last code of this page when more items match after it; empty on the last page.
  std::string next_after_code;
};

// The items listed on `date` that match `filter`, by code. One pass over the table.
PowerPage HoldingsAsOf(const EntityTable& powers, const std::string& date,
                       const PowerFilter& filter);

// Items of one category held by one holder, by how they are held.
struct CategoryCount {
  dpb::PowerCategory category = dpb::POWER_CATEGORY_UNSPECIFIED;
  int64_t items = 0;
  std::map<dpb::DelegationMode, int64_t> by_held_as;  // unset: as its own
};

struct HolderCount {
  std::string holder_agency_id;
  int64_t items = 0;
  std::vector<CategoryCount> categories;  // by category; only those it holds
};

struct PowerCounts {
  std::string date;
  int64_t items = 0;                 // every item listed on the date
  std::vector<HolderCount> holders;  // by holder id; only those holding an item
};

// Counts per holder and category on `date` (of one holder when holder_agency_id is given).
PowerCounts CountAsOf(const EntityTable& powers, const std::string& date,
                      const std::string& holder_agency_id);

// "own", or how it was passed on and by whom: "委托下放 by agency-jsj, in its name"; in
// Chinese "自行实施" or "委托下放（区住建局），以其名义实施", agencies by `name_of`.
std::string DescribeHeldAs(dpb::DelegationMode held_as, const std::string& delegated_by,
                           domain::Language language = domain::Language::kEnglish,
                           const domain::NameOf& name_of = nullptr);

// One line saying what a period's event did, as users read it: "委托下放 from jsj to town";
// in Chinese "委托下放：区住建局 → 某镇人民政府", agencies by `name_of`.
std::string SummarizePeriod(const rm::HolderPeriod& period,
                            domain::Language language = domain::Language::kEnglish,
                            const domain::NameOf& name_of = nullptr);

// Canonical renderings, one item / holder / category / period a line:
//   XK-001 燃气经营许可 [行政许可] held by glp (委托下放 by jsj, in its name) since 2019-03-01
std::string RenderHoldings(const std::vector<PowerHolding>& items);
//   as of 2019-06-30: 98 items
//   glp: 92 items
//     行政许可 40: 直接下放 30, 委托下放 10
std::string RenderCounts(const PowerCounts& counts);
//   XK-001 燃气经营许可 [行政许可] catalogued under jsj
//   2018-06-01 #6 PowerCatalogued: catalogued under jsj [西府发〔2018〕10号]
//   2019-03-01 #32 PowerDelegated: 委托下放 from jsj to glp [西府发〔2019〕3号]
std::string RenderHistory(const rm::PowerRecord& record);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_POWER_POWER_VIEW_H_
