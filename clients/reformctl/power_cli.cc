// reformctl power catalog, delegate (下放), concentrate (相对集中), return (PowerCommands) and
// powers (who holds each item on a date and how, or --counts per holder and category), power
// show (an item's history) (PowerQueries): the power-list context (权力清单).
#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/display_text.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/option_values.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// How an item is held, as users say it: 本部门 when its own department holds it.
std::string HeldAs(pb::DelegationMode mode) {
  return mode == pb::DELEGATION_MODE_UNSPECIFIED ? "本部门" : Label(mode);
}

struct PowersArgs {
  std::string as_of, holder, category;
  bool counts = false;
  uint64_t at_position = 0;
};

void PrintCounts(const api::CountPowersResponse& counts) {
  // A column for each way of holding that some holder has items under, in enum order.
  std::set<pb::DelegationMode> modes;
  for (const api::HolderCount& h : counts.holders()) {
    for (const api::CategoryCount& c : h.categories()) {
      for (const api::HeldAsCount& m : c.by_held_as()) modes.insert(m.held_as());
    }
  }
  std::vector<std::string> header = TrEach(
      {{"实施主体", "holder"}, {"名称", "name"}, {"权力类别", "category"}, {"事项数", "items"}});
  for (pb::DelegationMode mode : modes) header.push_back(HeldAs(mode));
  Table table(header);
  std::vector<size_t> right;
  for (size_t c = 3; c < header.size(); ++c) right.push_back(c);
  table.AlignRight(right);
  auto row = [&](const api::HolderCount& h, const std::string& category, int64_t items,
                 const std::map<pb::DelegationMode, int64_t>& by_mode) {
    std::vector<std::string> cells = {h.holder_agency_id(), h.holder_name(), category,
                                      absl::StrCat(items)};
    for (pb::DelegationMode mode : modes) {
      const auto it = by_mode.find(mode);
      cells.push_back(it == by_mode.end() ? "" : absl::StrCat(it->second));
    }
    table.Add(cells);
  };
  for (const api::HolderCount& h : counts.holders()) {
    std::map<pb::DelegationMode, int64_t> total;
    for (const api::CategoryCount& c : h.categories()) {
      std::map<pb::DelegationMode, int64_t> by_mode;
      for (const api::HeldAsCount& m : c.by_held_as()) {
        by_mode[m.held_as()] += m.items();
        total[m.held_as()] += m.items();
      }
      row(h, Label(c.category()), c.items(), by_mode);
    }
    if (h.categories_size() > 1) row(h, "合计", h.items(), total);
  }
  std::cout << Tr("截至 ", "as of ") << counts.as_of_date() << Tr("（日志位置 ", " (log position ")
            << counts.position() << Tr("）：事项 ", "): ") << counts.items()
            << Tr(" 项，实施主体 ", " items, ") << counts.holders_size()
            << Tr(" 个\n", " holders\n");
  if (!table.empty()) table.Print(std::cout);
}

void PrintItems(const api::ListPowersResponse& list) {
  std::cout << Tr("截至 ", "as of ") << list.as_of_date() << Tr("（日志位置 ", " (log position ")
            << list.position() << Tr("）：事项 ", "): ") << list.items_size()
            << Tr(" 项\n", " items\n");
  if (list.items().empty()) return;
  Table table(TrEach({{"事项编码", "code"},
                      {"事项名称", "name"},
                      {"权力类别", "category"},
                      {"实施主体", "holder"},
                      {"行使方式", "held as"},
                      {"下放部门", "delegated by"},
                      {"起始", "since"}}));
  for (const api::PowerHolding& item : list.items()) {
    table.Add({item.code(), item.name(), Label(item.category()),
               AgencyAndName(item.holder_agency_id(), item.holder_name()), HeldAs(item.held_as()),
               item.delegated_by_agency_id(), DateAndBasis(item.since())});
  }
  table.Print(std::cout);
}

// Changes.

// power catalog
void AddCatalogPower(CLI::App& power, Cli& cli) {
  auto* catalog =
      power.add_subcommand("catalog", Tr("向权力清单添加事项", "add an item to the power list"));
  auto item = std::make_shared<api::PowerItem>();
  auto category = std::make_shared<std::string>();
  catalog->add_option("--code", *item->mutable_code(), Tr("事项编码", "item code"))->required();
  catalog->add_option("--name", *item->mutable_name(), Tr("事项名称", "item name"))->required();
  catalog->add_option("--category", *category, "行政许可, 行政处罚, … (one of the ten)")
      ->required();
  catalog
      ->add_option("--holder", *item->mutable_holder_agency_id(),
                   Tr("实施主体（部门）编号", "the department"))
      ->required();
  catalog->add_option("--legal-basis", *item->mutable_legal_basis(),
                      Tr("设定依据（法律法规条款）", "legal basis"));
  catalog->callback([&cli, item, category] {
    api::CatalogPowersRequest request;
    *request.add_items() = *item;
    request.mutable_items(0)->set_category(ParseEnum<pb::PowerCategory>("--category", *category));
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::CatalogPowers, request);
  });
}

// power delegate (下放)
void AddDelegatePowers(CLI::App& power, Cli& cli) {
  auto* delegate = power.add_subcommand(
      "delegate", Tr("向乡镇或街道下放事项", "下放 items to a town or street"));
  auto d = std::make_shared<std::array<std::string, 4>>();
  auto authority = std::make_shared<api::DocumentBasis>();
  delegate->add_option("--codes", (*d)[0], Tr("以逗号分隔", "comma-separated"))->required();
  delegate->add_option("--from", (*d)[1], Tr("转出（划出）机构编号", "agency id it moves from"))
      ->required();
  delegate->add_option("--to", (*d)[2], Tr("转入（划入）机构编号", "agency id it moves to"))
      ->required();
  delegate->add_option("--mode", (*d)[3], "直接下放, 委托下放, 服务前移")->required();
  delegate->add_option("--authority", *authority->mutable_number(),
                       "the province's decision (文号), required for 行政处罚 from 2021-07-15 and "
                       "for 行政强制 (行政处罚法 §24)");
  delegate->add_option("--authority-issuer", *authority->mutable_issuer(), "e.g. 四川省人民政府");
  delegate->add_option("--authority-date", *authority->mutable_date(),
                       Tr("日期 YYYY-MM-DD", "YYYY-MM-DD"));
  delegate->callback([&cli, d, authority] {
    api::DelegatePowersRequest request;
    for (const std::string& c : SplitList((*d)[0])) request.add_codes(c);
    request.set_from_agency_id((*d)[1]);
    request.set_to_agency_id((*d)[2]);
    request.set_mode(ParseEnum<pb::DelegationMode>("--mode", (*d)[3]));
    *request.mutable_authority() = *authority;
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::DelegatePowers, request);
  });
}

// power concentrate (相对集中)
void AddConcentratePowers(CLI::App& power, Cli& cli) {
  auto* concentrate =
      power.add_subcommand("concentrate", Tr("将事项相对集中到综合行政执法局或行政审批局",
                                             "相对集中 items into a 综合行政执法局 or 行政审批局"));
  auto c = std::make_shared<std::pair<std::string, std::string>>();
  concentrate->add_option("--codes", c->first, Tr("以逗号分隔", "comma-separated"))->required();
  concentrate->add_option("--to", c->second, Tr("转入（划入）机构编号", "agency id it moves to"))
      ->required();
  concentrate->callback([&cli, c] {
    api::ConcentratePowersRequest request;
    for (const std::string& code : SplitList(c->first)) request.add_codes(code);
    request.set_to_agency_id(c->second);
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::ConcentratePowers, request);
  });
}

// power return
void AddReturnPowers(CLI::App& power, Cli& cli) {
  auto* give_back = power.add_subcommand(
      "return", Tr("收回事项：回到下放或集中它的部门", "items go back to whoever passed them on"));
  auto codes = std::make_shared<std::string>();
  give_back->add_option("--codes", *codes, Tr("以逗号分隔", "comma-separated"))->required();
  give_back->callback([&cli, codes] {
    api::ReturnPowersRequest request;
    for (const std::string& code : SplitList(*codes)) request.add_codes(code);
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::ReturnPowers, request);
  });
}

// Queries.

// powers
void AddListPowers(CLI::App& app, Cli& cli) {
  auto a = std::make_shared<PowersArgs>();
  auto* powers = app.add_subcommand(
      "powers",
      "权力清单: who holds each item on a date and how (下放, 相对集中), or --counts per holder "
      "and category");
  powers->add_option("--as-of", a->as_of,
                     Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  powers->add_option("--holder", a->holder,
                     Tr("只列此机构行使的事项", "only the items this agency holds"));
  powers->add_option("--category", a->category, "only one category: 行政许可, 行政处罚, …");
  powers->add_flag("--counts", a->counts,
                   Tr("按实施主体、类别和行使方式汇总事项数，而非逐项列出",
                      "items per holder and category, by how they are held, instead of each item"));
  powers->add_option("--at-position", a->at_position,
                     Tr("按日志此位置时系统所知作答（审计用）",
                        "what the system knew at this log position (audit)"));
  powers->callback([&cli, a] {
    if (a->counts) {
      if (!a->category.empty()) {
        throw Exit{kExitUsage, "powers --counts counts every category; --category lists items"};
      }
      api::CountPowersRequest r;
      r.set_as_of_date(a->as_of);
      r.set_holder_agency_id(a->holder);
      r.set_as_of_position(a->at_position);
      r.set_min_position(cli.min_position());
      api::CountPowersResponse counts =
          cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::CountPowers, r);
      if (cli.json()) return Cli::PrintJson(counts);
      return PrintCounts(counts);
    }
    api::ListPowersRequest r;
    r.set_as_of_date(a->as_of);
    r.set_holder_agency_id(a->holder);
    if (!a->category.empty())
      r.set_category(ParseEnum<pb::PowerCategory>("--category", a->category));
    r.set_as_of_position(a->at_position);
    api::ListPowersResponse list = ListAllPowers(cli, r);
    if (cli.json()) return Cli::PrintJson(list);
    PrintItems(list);
  });
}

// power show
void AddGetPowerHistory(CLI::App& power, Cli& cli) {
  auto* show = power.add_subcommand(
      "show", Tr("一个事项：某日由谁行使，及历次实施主体变动和文件依据",
                 "one item: who holds it on a date, and every change of holder with its document"));
  auto s = std::make_shared<std::pair<std::string, std::string>>();
  show->add_option("code", s->first, "the item's code (事项编码)")->required();
  show->add_option("--as-of", s->second,
                   Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  show->callback([&cli, s] {
    api::GetPowerHistoryRequest r;
    r.set_code(s->first);
    r.set_as_of_date(s->second);
    r.set_min_position(cli.min_position());
    api::GetPowerHistoryResponse h =
        cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::GetPowerHistory, r);
    if (cli.json()) return Cli::PrintJson(h);
    if (!h.has_holding()) {
      std::cout << Tr(absl::StrCat(s->first, "：", h.as_of_date(), "尚未列入权力清单\n"),
                      absl::StrCat(s->first, ": not yet listed on ", h.as_of_date(), "\n"));
    } else {
      const api::PowerHolding& p = h.holding();
      std::cout << p.code() << "  " << p.name() << "  [" << Label(p.category()) << "]\n";
      if (!p.legal_basis().empty()) {
        std::cout << Tr("设定依据：", "设定依据: ") << p.legal_basis() << "\n";
      }
      std::cout << Tr("编目部门：", "catalogued under ") << p.department_id() << "\n"
                << Tr(absl::StrCat(h.as_of_date(), "实施主体："),
                      absl::StrCat("on ", h.as_of_date(), ": held by "))
                << AgencyAndName(p.holder_agency_id(), p.holder_name())
                << Tr("，实施方式：", " as ") << HeldAs(p.held_as());
      if (!p.delegated_by_agency_id().empty()) {
        std::cout << Tr("，由", ", passed on by ") << p.delegated_by_agency_id() << Tr("下放", "");
      }
      if (!p.acts_in_name_of_agency_id().empty() &&
          p.acts_in_name_of_agency_id() != p.holder_agency_id()) {
        std::cout << Tr("，以", ", acting in the name of ") << p.acts_in_name_of_agency_id()
                  << Tr("名义实施", "");
      }
      std::cout << Tr("（自", " (since ") << DateAndBasis(p.since()) << Tr("）\n", ")\n");
    }
    Table history(TrEach({{"生效日期", "effective"},
                          {"文号", "document"},
                          {"变动", "change"},
                          {"实施主体", "holder"},
                          {"日志位置", "position"}}));
    history.AlignRight({4});
    for (const api::HolderChange& c : h.changes()) {
      history.Add({c.ref().effective_date(), c.ref().basis_number(), c.summary(),
                   c.holder_agency_id(), absl::StrCat(c.ref().position())});
    }
    history.Print(std::cout);
  });
}

}  // namespace

void AddPowerCommands(CLI::App& app, Cli& cli) {
  CLI::App& power =
      *app.add_subcommand("power",
                          Tr("权力清单：编目、下放、相对集中、收回",
                             "权力清单: catalog, delegate (下放), concentrate (相对集中), return"))
           ->require_subcommand(1);
  AddCatalogPower(power, cli);
  AddDelegatePowers(power, cli);
  AddConcentratePowers(power, cli);
  AddReturnPowers(power, cli);
}

void AddPowerQueries(CLI::App& app, Cli& cli) {
  AddListPowers(app, cli);
  AddGetPowerHistory(*app.get_subcommand("power"), cli);
}

}  // namespace reformlog::ctl
