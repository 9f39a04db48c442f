#include "clients/reformctl/staffing_stats.h"

#include <array>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/enums.h"
#include "domain/official_order.h"

namespace reformlog::ctl::report {
namespace {

namespace pb = ::reformlog::domain::v1;

// 编制数, 实有人数, 空编, 超编, 预留编制.
using Figures = std::array<int64_t, 5>;

Figures Of(const api::QuotaFigures& q) {
  return {q.quota(), q.in_post(), q.vacancies(), q.over(), q.reserved()};
}

void Add(Figures& sum, const Figures& f) {
  for (size_t i = 0; i < sum.size(); ++i) sum[i] += f[i];
}

std::vector<Cell> Row(std::vector<Cell> head, const Figures& f) {
  for (int64_t n : f) head.push_back(Cell::Count(n));
  return head;
}

const std::vector<std::string> kFigureColumns = {"编制数", "实有人数", "空编", "超编", "预留编制"};

std::vector<std::string> Header(std::vector<std::string> head) {
  head.insert(head.end(), kFigureColumns.begin(), kFigureColumns.end());
  return head;
}

}  // namespace

std::vector<Table> StaffingStatsTables(const api::GetStaffingResponse& staffing) {
  std::vector<Table> tables;
  int ceased = 0;

  // 表1 by kind (AgencyKind's order), the agencies standing.
  Table by_kind{"表1",      "机构和编制（按机构类别）", Header({"机构类别", "机构数"}), {}, "",
                kUnitCounts};
  // By kind in the official order (党委, 人大, 政府, … 事业单位, 乡镇, 街道).
  std::map<std::pair<int, int>, std::pair<int64_t, Figures>> kinds;
  Figures all{};
  int64_t agencies = 0;
  for (const api::AgencyStaffingFigures& a : staffing.agencies()) {
    if (a.ceased()) {
      ++ceased;
      continue;
    }
    auto& [count, figures] = kinds[{domain::KindOrder(a.kind()), a.kind()}];
    ++count;
    Add(figures, Of(a.total()));
    Add(all, Of(a.total()));
    ++agencies;
  }
  by_kind.rows.push_back(Row({Cell::Text("合计"), Cell::Count(agencies)}, all));
  for (const auto& [kind, entry] : kinds) {
    by_kind.rows.push_back(
        Row({Cell::Text(Label(static_cast<pb::AgencyKind>(kind.second))), Cell::Count(entry.first)},
            entry.second));
  }
  if (ceased > 0)
    by_kind.note = absl::StrCat("另有年内或此前撤并的机构 ", ceased, " 个（见表5）。");
  tables.push_back(std::move(by_kind));

  // 表2 by quota category.
  Table by_category{"表2",      "编制和实有人员（按编制类别）", Header({"编制类别"}), {}, "",
                    kUnitCounts};
  std::map<int, Figures> categories;
  for (const api::AgencyStaffingFigures& a : staffing.agencies()) {
    if (a.ceased()) continue;
    for (const api::QuotaFigures& q : a.quotas()) Add(categories[q.category()], Of(q));
  }
  by_category.rows.push_back(Row({Cell::Text("合计")}, all));
  for (const auto& [category, figures] : categories) {
    by_category.rows.push_back(
        Row({Cell::Text(Label(static_cast<pb::QuotaCategory>(category)))}, figures));
  }
  tables.push_back(std::move(by_category));

  // 表3 leader posts by rank.
  Table posts{"表3", "领导职数（按规格）", {"职级", "核定职数", "实配", "超职数", "消化中"}, {},
              "",    kUnitCounts};
  std::map<int, std::array<int64_t, 4>> ranks;
  std::array<int64_t, 4> all_posts{};
  for (const api::AgencyStaffingFigures& a : staffing.agencies()) {
    if (a.ceased()) continue;
    for (const api::LeaderPostFigures& p : a.leader_posts()) {
      const std::array<int64_t, 4> f = {p.approved(), p.appointed(), p.over(), p.in_transition()};
      for (size_t i = 0; i < f.size(); ++i) {
        ranks[p.rank()][i] += f[i];
        all_posts[i] += f[i];
      }
    }
  }
  auto post_row = [](std::string label, const std::array<int64_t, 4>& f) {
    std::vector<Cell> row = {Cell::Text(std::move(label))};
    for (int64_t n : f) row.push_back(Cell::Count(n));
    return row;
  };
  posts.rows.push_back(post_row("合计", all_posts));
  for (const auto& [rank, f] : ranks) {
    posts.rows.push_back(post_row(Label(static_cast<pb::Rank>(rank)), f));
  }
  tables.push_back(std::move(posts));

  // 表4 the year's 增员 and 减员 by reason (of every agency, ceased ones too: their people moved).
  Table changes{"表4", "全年增减员（按原因）", {"类别", "原因", "人数"}, {}, "", kUnitCounts};
  std::map<std::pair<std::string, std::string>, int64_t> reasons;
  std::map<std::string, int64_t> kinds_total;
  for (const api::AgencyStaffingFigures& a : staffing.agencies()) {
    for (const api::StaffChangeFigures& c : a.changes()) {
      reasons[{c.kind(), c.reason()}] += c.count();
      kinds_total[c.kind()] += c.count();
    }
  }
  for (const char* kind : {"增员", "减员"}) {
    changes.rows.push_back({Cell::Text(kind), Cell::Text("小计"), Cell::Count(kinds_total[kind])});
    for (const auto& [key, count] : reasons) {
      if (key.first == kind) {
        changes.rows.push_back({Cell::Text(kind), Cell::Text(key.second), Cell::Count(count)});
      }
    }
  }
  tables.push_back(std::move(changes));

  // 表5 every agency, in the order GetStaffing gives them (the official order).
  Table detail{"表5", "机构明细", Header({"机构编号", "机构名称", "机构类别"}),
               {},    "",         kUnitCounts};
  detail.header.insert(detail.header.end(), {"领导职数核定", "领导实配", "状态"});
  for (const api::AgencyStaffingFigures& a : staffing.agencies()) {
    int64_t approved = 0, appointed = 0;
    for (const api::LeaderPostFigures& p : a.leader_posts()) {
      approved += p.approved();
      appointed += p.appointed();
    }
    std::vector<Cell> row =
        Row({Cell::Text(a.agency_id()), Cell::Text(a.name()), Cell::Text(Label(a.kind()))},
            Of(a.total()));
    row.push_back(Cell::Count(approved));
    row.push_back(Cell::Count(appointed));
    row.push_back(Cell::Text(a.ceased() ? absl::StrCat("已撤并：", a.ceased_how())
                                        : (a.locked_by_plan().empty() ? "" : "编制锁定")));
    detail.rows.push_back(std::move(row));
  }
  tables.push_back(std::move(detail));
  return tables;
}

}  // namespace reformlog::ctl::report
