#include "clients/reformctl/power_list.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/enums.h"

namespace reformlog::ctl::report {
namespace {

namespace pb = ::reformlog::domain::v1;

// How a holder holds an item, as the list says it: 本部门 when it is its own.
std::string Mode(pb::DelegationMode mode) {
  return mode == pb::DELEGATION_MODE_UNSPECIFIED ? "本部门" : Label(mode);
}

}  // namespace

std::vector<Table> PowerListTables(const api::ListPowersResponse& powers,
                                   const std::map<std::string, std::string>& names) {
  // Holder id → its items, by category and code.
  std::map<std::string, std::vector<const api::PowerHolding*>> by_holder;
  for (const api::PowerHolding& p : powers.items()) by_holder[p.holder_agency_id()].push_back(&p);
  auto name_of = [&names](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() || it->second.empty() ? id : it->second;
  };
  // The ways items are held, in the enum's order, that occur.
  std::map<int, std::string> modes;
  for (const api::PowerHolding& p : powers.items()) modes[p.held_as()] = Mode(p.held_as());

  std::vector<Table> tables;
  Table summary{"表1",
                absl::StrCat("权责清单汇总（", powers.as_of_date(), "）"),
                {"实施主体", "机构编号", "事项数"},
                {},
                "",
                kUnitCounts};
  for (const auto& [mode, label] : modes) summary.header.push_back(label);
  std::vector<Cell> total = {Cell::Text("合计"), Cell::Text(""), Cell::Count(powers.items_size())};
  for (const auto& [mode, label] : modes) {
    total.push_back(Cell::Count(
        std::count_if(powers.items().begin(), powers.items().end(),
                      [mode = mode](const api::PowerHolding& p) { return p.held_as() == mode; })));
  }
  summary.rows.push_back(std::move(total));
  for (const auto& [holder, items] : by_holder) {
    std::vector<Cell> row = {Cell::Text(items.front()->holder_name()), Cell::Text(holder),
                             Cell::Count(static_cast<int64_t>(items.size()))};
    for (const auto& [mode, label] : modes) {
      row.push_back(Cell::Count(std::count_if(
          items.begin(), items.end(),
          [mode = mode](const api::PowerHolding* p) { return p->held_as() == mode; })));
    }
    summary.rows.push_back(std::move(row));
  }
  if (powers.items().empty()) summary.note = "该日期无列入权责清单的事项。";
  tables.push_back(std::move(summary));

  size_t number = 2;
  for (auto& [holder, items] : by_holder) {
    std::stable_sort(items.begin(), items.end(),
                     [](const api::PowerHolding* a, const api::PowerHolding* b) {
                       return std::make_pair(static_cast<int>(a->category()), a->code()) <
                              std::make_pair(static_cast<int>(b->category()), b->code());
                     });
    const std::string name =
        items.front()->holder_name().empty() ? holder : items.front()->holder_name();
    Table t{absl::StrCat("表", number++),
            absl::StrCat(name, "权责清单"),
            {"序号", "事项编码", "事项名称", "权力类别", "行使方式", "下放或集中部门", "设定依据"},
            {},
            "",
            "单位：项"};
    int64_t i = 0;
    for (const api::PowerHolding* p : items) {
      t.rows.push_back(
          {Cell::Count(++i), Cell::Text(p->code()), Cell::Text(p->name()),
           Cell::Text(Label(p->category())), Cell::Text(Mode(p->held_as())),
           Cell::Text(p->delegated_by_agency_id().empty() ? ""
                                                          : name_of(p->delegated_by_agency_id())),
           Cell::Text(p->legal_basis())});
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace reformlog::ctl::report
