// reformctl export MODEL — a read model as CSV for a spreadsheet: a header row of column
// names, one row per entity (an agency, an agency's quota category, a person, an item, a
// budget line, …), every field quoted by libcsv, UTF-8 or (--encoding gb18030) GB18030.
// Enum values are written as users write them (行政编制, 委托下放) and money in 元 with two
// decimals, as `reformctl import` reads them; the first columns of `powers` and `people` are
// the ones `import powers` and `import roster` read (import refuses the others).
//
// Each model takes the options its query takes (--as-of only where the read model is dated);
// any other is bad usage (exit 2), as is a missing one it needs.
#include <chrono>
#include <fstream>
#include <functional>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/display_text.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/progress.h"
#include "clients/reformctl/text_encoding.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// An export that reads agency by agency (or plan by plan) shows its progress once it has run
// this long; a quicker one shows none.
constexpr std::chrono::seconds kExportQuietFor{2};

struct ExportArgs {
  std::string model, as_of, out, encoding, jurisdiction, agency, plan, holder, category, project;
  int year = 0;
  bool ceased = false;
  bool closed = false;
  uint64_t at_position = 0;
};

// The options beyond --out and --encoding, as bits of what a model accepts.
enum Option : unsigned {
  kAsOf = 1u << 0,
  kAtPosition = 1u << 1,
  kJurisdiction = 1u << 2,
  kAgency = 1u << 3,
  kYear = 1u << 4,
  kPlan = 1u << 5,
  kHolder = 1u << 6,
  kCategory = 1u << 7,
  kProject = 1u << 8,
  kIncludeCeased = 1u << 9,
  kIncludeClosed = 1u << 10,
};

struct OptionName {
  Option option;
  const char* name;
};
constexpr OptionName kOptionNames[] = {
    {kAsOf, "--as-of"},
    {kAtPosition, "--at-position"},
    {kJurisdiction, "--jurisdiction"},
    {kAgency, "--agency"},
    {kYear, "--year"},
    {kPlan, "--plan"},
    {kHolder, "--holder"},
    {kCategory, "--category"},
    {kProject, "--project"},
    {kIncludeCeased, "--include-ceased"},
    {kIncludeClosed, "--include-closed"},
};

unsigned Given(const ExportArgs& a) {
  unsigned given = 0;
  auto mark = [&given](bool is_given, Option option) {
    if (is_given) given |= option;
  };
  mark(!a.as_of.empty(), kAsOf);
  mark(a.at_position != 0, kAtPosition);
  mark(!a.jurisdiction.empty(), kJurisdiction);
  mark(!a.agency.empty(), kAgency);
  mark(a.year != 0, kYear);
  mark(!a.plan.empty(), kPlan);
  mark(!a.holder.empty(), kHolder);
  mark(!a.category.empty(), kCategory);
  mark(!a.project.empty(), kProject);
  mark(a.ceased, kIncludeCeased);
  mark(a.closed, kIncludeClosed);
  return given;
}

// A cell for an enum: its label, empty when unset.
template <typename E>
std::string Cell(E value) {
  return static_cast<int>(value) == 0 ? "" : Label(value);
}
std::string Cell(bool value) { return value ? Tr("是", "true") : Tr("否", "false"); }

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The header a person reads: in Chinese, each column in the words of the field (money columns
// saying their unit, 元), as `reformctl import` also reads them; in English, the names as they
// are. `overrides` gives a model's own words for a column ("name" of a person is 姓名).
std::vector<std::string> Headers(const std::vector<std::string>& columns,
                                 const std::map<std::string, std::string>& overrides = {}) {
  if (CurrentLang() == Lang::kEn) return columns;
  static const auto* words = new std::map<std::string, std::string>{
      {"agency_id", "单位编号"},
      {"name", "名称"},
      {"extra_names", "加挂牌子"},
      {"kind", "类别"},
      {"rank", "规格"},
      {"parent_id", "上级单位编号"},
      {"depth", "层级"},
      {"funding_form", "经费形式"},
      {"jurisdiction", "地区"},
      {"civil_servant_managed", "参照公务员法管理"},
      {"role", "机构职能"},
      {"established_on", "设立日期"},
      {"ceased", "已撤并"},
      {"ceased_on", "撤并日期"},
      {"ceased_how", "撤并方式"},
      {"category", "编制类别"},
      {"quota", "编制数"},
      {"in_post", "实有人数"},
      {"reserved", "预留编制"},
      {"vacancies", "空编"},
      {"over", "超编"},
      {"locked_by_plan", "锁定方案"},
      {"title", "职务"},
      {"approved", "核定职数"},
      {"appointed", "实配职数"},
      {"leaders", "领导"},
      {"year", "年度"},
      {"reason", "原因"},
      {"count", "人数"},
      {"person_id", "人员编号"},
      {"post", "岗位"},
      {"leader_rank", "领导职务层次"},
      {"leader_title", "领导职务"},
      {"code", "事项编码"},
      {"holder_agency_id", "实施主体"},
      {"legal_basis", "设定依据"},
      {"department_id", "主管部门编号"},
      {"holder_name", "实施主体名称"},
      {"held_as", "行使方式"},
      {"delegated_by_agency_id", "下放部门编号"},
      {"acts_in_name_of_agency_id", "以其名义行使的单位编号"},
      {"items", "事项数"},
      {"fiscal_year", "年度"},
      {"fund_source", "资金来源"},
      {"function_code", "功能分类"},
      {"function_name", "功能分类名称"},
      {"economic_code", "经济分类"},
      {"economic_name", "经济分类名称"},
      {"project_id", "项目编号"},
      {"appropriated_yuan", "批复数（元）"},
      {"adjusted_yuan", "调整数（元）"},
      {"income_yuan", "收入（元）"},
      {"carried_in_yuan", "年初结转（元）"},
      {"budget_yuan", "预算数（元）"},
      {"disbursed_yuan", "支出数（元）"},
      {"carried_out_yuan", "年末结转（元）"},
      {"available_yuan", "可用余额（元）"},
      {"closed", "已年末结转"},
      {"execution_rate", "执行率"},
      {"group", "分类"},
      {"level", "级次"},
      {"indicators", "指标数"},
      {"indicators_met", "达成指标数"},
      {"execution_score", "执行得分"},
      {"score", "得分"},
      {"grade", "等级"},
      {"plan_id", "方案编号"},
      {"tasks", "任务数"},
      {"done", "已完成"},
      {"due", "已到期"},
      {"overdue", "逾期"},
      {"tasks_added_later", "后续追加任务"},
      {"task_id", "任务编号"},
      {"agency_name", "单位名称"},
      {"due_date", "完成时限"},
      {"description", "任务说明"},
      {"state", "状态"},
      {"note", "备注"}};
  static const auto* prefixes = new std::map<std::string, std::string>{
      {"since", "起始"},  {"drafted", "起草"},   {"approved", "批准"},
      {"closed", "办结"}, {"completed", "完成"}, {"added", "下达"}};
  static const auto* suffixes = new std::map<std::string, std::string>{
      {"_date", "日期"}, {"_basis", "文号"}, {"_event", "事件"}, {"_position", "日志位置"}};
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const std::string& column : columns) {
    if (auto it = overrides.find(column); it != overrides.end()) {
      out.push_back(it->second);
      continue;
    }
    if (auto it = words->find(column); it != words->end()) {
      out.push_back(it->second);
      continue;
    }
    std::string word = column;  // an event's columns: PREFIX_date, …
    for (const auto& [suffix, suffix_word] : *suffixes) {
      if (!absl::EndsWith(column, suffix)) continue;
      auto prefix = prefixes->find(column.substr(0, column.size() - suffix.size()));
      if (prefix != prefixes->end()) word = prefix->second + suffix_word;
    }
    out.push_back(word);
  }
  return out;
}

// An event as four columns: PREFIX_date, PREFIX_basis, PREFIX_event, PREFIX_position.
std::vector<std::string> RefColumns(const std::string& prefix) {
  return {prefix + "_date", prefix + "_basis", prefix + "_event", prefix + "_position"};
}
std::vector<std::string> RefCells(const api::EventReference& ref) {
  if (ref.position() == 0) return {"", "", "", ""};
  return {ref.effective_date(), ref.basis_number(), EventLabel(ref.event_type()),
          absl::StrCat(ref.position())};
}

const std::vector<std::string>& AmountColumns() {
  static const auto* columns = new std::vector<std::string>{
      "appropriated_yuan", "adjusted_yuan",  "income_yuan",      "carried_in_yuan",
      "budget_yuan",       "disbursed_yuan", "carried_out_yuan", "available_yuan"};
  return *columns;
}
std::vector<std::string> AmountCells(const api::BudgetAmounts& a) {
  return {FormatYuan(a.appropriated_fen()), FormatYuan(a.adjusted_fen()),
          FormatYuan(a.income_fen()),       FormatYuan(a.carried_in_fen()),
          FormatYuan(a.budget_fen()),       FormatYuan(a.disbursed_fen()),
          FormatYuan(a.carried_out_fen()),  FormatYuan(a.available_fen())};
}

// The agency or jurisdiction a staffing or people export covers: exactly one of them.
void NeedAgencyOrJurisdiction(const ExportArgs& a) {
  if (a.agency.empty() == a.jurisdiction.empty()) {
    throw Exit{kExitUsage, absl::StrCat("export ", a.model, ": give --agency or --jurisdiction")};
  }
}

void NeedAgencyAndYear(const ExportArgs& a) {
  if (a.agency.empty() || a.year == 0) {
    throw Exit{kExitUsage, absl::StrCat("export ", a.model, ": give --agency and --year")};
  }
}

CsvWriter Agencies(Cli& cli, const ExportArgs& a) {
  api::GetOrgTreeRequest r;
  r.set_as_of_date(a.as_of);
  r.set_jurisdiction(a.jurisdiction);
  r.set_include_ceased(a.ceased);
  r.set_as_of_position(a.at_position);
  r.set_min_position(cli.min_position());
  api::GetOrgTreeResponse tree =
      cli.Query(cli.client().org_queries(), &api::OrgQueries::Stub::GetOrgTree, r);
  CsvWriter csv(Headers({"agency_id", "name", "extra_names", "kind", "rank", "parent_id", "depth",
                         "funding_form", "jurisdiction", "civil_servant_managed", "role",
                         "established_on", "ceased", "ceased_on", "ceased_how"}));
  for (const api::TreeNode& n : tree.nodes()) {
    const api::AgencySummary& g = n.agency();
    csv.Add({g.agency_id(), g.name(), absl::StrJoin(g.extra_names(), "、"), Cell(g.kind()),
             Cell(g.rank()), g.parent_id(), absl::StrCat(n.depth()), Cell(g.funding_form()),
             g.jurisdiction(), Cell(g.civil_servant_managed()), Cell(g.role()), g.established_on(),
             Cell(g.ceased()), g.ceased_on(), g.ceased_how()});
  }
  return csv;
}

api::GetStaffingResponse Staffing(Cli& cli, const ExportArgs& a) {
  NeedAgencyOrJurisdiction(a);
  api::GetStaffingRequest r;
  r.set_agency_id(a.agency);
  r.set_jurisdiction(a.jurisdiction);
  r.set_include_ceased(a.ceased);
  r.set_as_of_position(a.at_position);
  r.set_as_of_date(a.as_of);
  r.set_min_position(cli.min_position());
  return cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
}

CsvWriter Quotas(Cli& cli, const ExportArgs& a) {
  CsvWriter csv(
      Headers({"agency_id", "name", "kind", "jurisdiction", "category", "quota", "in_post",
               "reserved", "vacancies", "over", "locked_by_plan", "ceased_how"}));
  const api::GetStaffingResponse staffing = Staffing(cli, a);
  for (const api::AgencyStaffingFigures& f : staffing.agencies()) {
    for (const api::QuotaFigures& q : f.quotas()) {
      csv.Add({f.agency_id(), f.name(), Cell(f.kind()), f.jurisdiction(), Cell(q.category()),
               absl::StrCat(q.quota()), absl::StrCat(q.in_post()), absl::StrCat(q.reserved()),
               absl::StrCat(q.vacancies()), absl::StrCat(q.over()), f.locked_by_plan(),
               f.ceased_how()});
    }
  }
  return csv;
}

CsvWriter LeaderPosts(Cli& cli, const ExportArgs& a) {
  CsvWriter csv(
      Headers({"agency_id", "name", "rank", "title", "approved", "appointed", "over", "leaders"}));
  const api::GetStaffingResponse staffing = Staffing(cli, a);
  for (const api::AgencyStaffingFigures& f : staffing.agencies()) {
    for (const api::LeaderPostFigures& p : f.leader_posts()) {
      std::vector<std::string> leaders;
      for (const api::LeaderInPost& l : p.leaders())
        leaders.push_back(absl::StrCat(l.person_id(), " ", l.title()));
      csv.Add({f.agency_id(), f.name(), Cell(p.rank()), p.title(), absl::StrCat(p.approved()),
               absl::StrCat(p.appointed()), absl::StrCat(p.over()), absl::StrJoin(leaders, "、")});
    }
  }
  return csv;
}

// 增减员统计 (实名制, year end): a row per agency, 增员 or 减员, and reason, of --year.
CsvWriter StaffChanges(Cli& cli, const ExportArgs& a) {
  NeedAgencyOrJurisdiction(a);
  if (a.year == 0) throw Exit{kExitUsage, "export staff-changes: give --year"};
  api::GetStaffingRequest r;
  r.set_agency_id(a.agency);
  r.set_jurisdiction(a.jurisdiction);
  r.set_include_ceased(true);  // a body merged in the year had its changes before
  r.set_changes_year(a.year);
  r.set_min_position(cli.min_position());
  const api::GetStaffingResponse staffing =
      cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
  CsvWriter csv(Headers({"agency_id", "name", "year", "kind", "reason", "count"}));
  for (const api::AgencyStaffingFigures& f : staffing.agencies()) {
    for (const api::StaffChangeFigures& c : f.changes()) {
      csv.Add({f.agency_id(), f.name(), absl::StrCat(c.year()), c.kind(), c.reason(),
               absl::StrCat(c.count())});
    }
  }
  return csv;
}

CsvWriter People(Cli& cli, const ExportArgs& a) {
  NeedAgencyOrJurisdiction(a);
  std::vector<std::string> agencies;
  if (!a.agency.empty()) {
    agencies.push_back(a.agency);
  } else {
    const api::GetStaffingResponse staffing = Staffing(cli, a);
    for (const api::AgencyStaffingFigures& f : staffing.agencies())
      agencies.push_back(f.agency_id());
  }
  CsvWriter csv(
      Headers({"person_id", "name", "agency_id", "category", "post", "leader_rank", "leader_title"},
              {{"name", "姓名"}}));
  Progress progress(Tr("导出人员", "exporting people"), agencies.size(), kExportQuietFor);
  for (size_t i = 0; i < agencies.size(); ++i) {
    const std::string& agency = agencies[i];
    progress.Update(i + 1);
    const api::ListPeopleResponse people = ListAllPeople(cli, agency, a.as_of);
    for (const api::PersonSummary& p : people.people()) {
      csv.Add({p.person_id(), p.name(), p.agency_id(), Cell(p.category()), p.post(),
               Cell(p.leader_rank()), p.leader_title()});
    }
  }
  return csv;
}

CsvWriter Powers(Cli& cli, const ExportArgs& a) {
  api::ListPowersRequest r;
  r.set_as_of_date(a.as_of);
  r.set_holder_agency_id(a.holder);
  if (!a.category.empty()) r.set_category(ParseEnum<pb::PowerCategory>("--category", a.category));
  r.set_as_of_position(a.at_position);
  api::ListPowersResponse list = ListAllPowers(cli, r);
  // The first five are what `reformctl import powers` reads.
  CsvWriter csv(Headers(
      Concat({"code", "name", "category", "holder_agency_id", "legal_basis", "department_id",
              "holder_name", "held_as", "delegated_by_agency_id", "acts_in_name_of_agency_id"},
             RefColumns("since")),
      {{"name", "事项名称"}, {"category", "权力类别"}}));
  for (const api::PowerHolding& p : list.items()) {
    csv.Add(Concat({p.code(), p.name(), Cell(p.category()), p.holder_agency_id(), p.legal_basis(),
                    p.department_id(), p.holder_name(), Cell(p.held_as()),
                    p.delegated_by_agency_id(), p.acts_in_name_of_agency_id()},
                   RefCells(p.since())));
  }
  return csv;
}

CsvWriter PowerCounts(Cli& cli, const ExportArgs& a) {
  api::CountPowersRequest r;
  r.set_as_of_date(a.as_of);
  r.set_holder_agency_id(a.holder);
  r.set_as_of_position(a.at_position);
  r.set_min_position(cli.min_position());
  api::CountPowersResponse counts =
      cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::CountPowers, r);
  // held_as is empty for the items a holder holds as its own department's.
  CsvWriter csv(Headers({"holder_agency_id", "holder_name", "category", "held_as", "items"}));
  for (const api::HolderCount& h : counts.holders()) {
    for (const api::CategoryCount& c : h.categories()) {
      for (const api::HeldAsCount& m : c.by_held_as()) {
        csv.Add({h.holder_agency_id(), h.holder_name(), Cell(c.category()), Cell(m.held_as()),
                 absl::StrCat(m.items())});
      }
    }
  }
  return csv;
}

api::GetBudgetResponse Budget(Cli& cli, const ExportArgs& a, bool omit_lines) {
  NeedAgencyAndYear(a);
  api::GetBudgetRequest r;
  r.set_agency_id(a.agency);
  r.set_fiscal_year(a.year);
  r.set_omit_lines(omit_lines);
  r.set_min_position(cli.min_position());
  return cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetBudget, r);
}

CsvWriter BudgetLines(Cli& cli, const ExportArgs& a) {
  api::GetBudgetResponse b = Budget(cli, a, /*omit_lines=*/false);
  CsvWriter csv(Headers(
      Concat(Concat({"agency_id", "fiscal_year", "fund_source", "function_code", "function_name",
                     "economic_code", "economic_name", "kind", "project_id"},
                    AmountColumns()),
             {"closed", "execution_rate"})));
  for (const api::BudgetLineAmounts& l : b.lines()) {
    const pb::BudgetLine& line = l.line();
    csv.Add(Concat(Concat({b.agency_id(), absl::StrCat(b.fiscal_year()), Cell(line.fund_source()),
                           line.function_code(), l.function_name(), line.economic_code(),
                           l.economic_name(), Cell(line.kind()), line.project_id()},
                          AmountCells(l.amounts())),
                   {Cell(l.closed()), FormatPercent(l.execution_rate())}));
  }
  return csv;
}

// Every roll-up of a budget year: the total, per fund source, basic (人员经费, 公用经费) and
// project spending, per project, per functional (类/款/项) and economic code, 三公经费 and
// 机关运行经费 — a row each, GROUP saying which.
CsvWriter BudgetRollups(Cli& cli, const ExportArgs& a) {
  api::GetBudgetResponse b = Budget(cli, a, /*omit_lines=*/true);
  CsvWriter csv(Headers(
      Concat({"agency_id", "fiscal_year", "group", "code", "name", "level"}, AmountColumns())));
  const std::string year = absl::StrCat(b.fiscal_year());
  auto row = [&](const char* group, const std::string& code, const std::string& name, int level,
                 const api::BudgetAmounts& amounts) {
    csv.Add(Concat({b.agency_id(), year, group, code, name, level > 0 ? absl::StrCat(level) : ""},
                   AmountCells(amounts)));
  };
  row("total", "", "合计", 0, b.total());
  for (const api::FundSourceAmounts& f : b.by_fund_source()) {
    row("fund_source", pb::FundSource_Name(f.fund_source()), Label(f.fund_source()), 0,
        f.amounts());
  }
  row("kind", "basic", "基本支出", 0, b.basic());
  row("kind", "personnel", "人员经费", 0, b.personnel());
  row("kind", "public_use", "公用经费", 0, b.public_use());
  row("kind", "basic_other", "其他基本支出", 0, b.basic_other());
  row("kind", "project", "项目支出", 0, b.project());
  for (const api::ProjectAmounts& p : b.by_project())
    row("project", p.project_id(), p.name(), 0, p.amounts());
  for (const api::CodeAmounts& c : b.by_function())
    row("function", c.code(), c.name(), c.level(), c.amounts());
  for (const api::CodeAmounts& c : b.by_economic())
    row("economic", c.code(), c.name(), c.level(), c.amounts());
  const api::ThreePublicExpenses& t = b.three_public();
  row("three_public", "overseas_trips", "因公出国(境)费", 0, t.overseas_trips());
  row("three_public", "vehicle_purchase", "公务用车购置费", 0, t.vehicle_purchase());
  row("three_public", "vehicle_operation", "公务用车运行维护费", 0, t.vehicle_operation());
  row("three_public", "reception", "公务接待费", 0, t.reception());
  row("three_public", "total", "三公经费", 0, t.total());
  if (b.agency_operating_applicable()) {
    row("agency_operating", "", "机关运行经费", 0, b.agency_operating());
  }
  return csv;
}

CsvWriter Performance(Cli& cli, const ExportArgs& a) {
  NeedAgencyAndYear(a);
  api::GetPerformanceRequest r;
  r.set_agency_id(a.agency);
  r.set_fiscal_year(a.year);
  r.set_project_id(a.project);
  r.set_min_position(cli.min_position());
  api::GetPerformanceResponse s =
      cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetPerformance, r);
  CsvWriter csv(Headers(
      {"agency_id", "fiscal_year", "project_id", "name", "budget_yuan", "disbursed_yuan",
       "execution_rate", "indicators", "indicators_met", "execution_score", "score", "grade"},
      {{"name", "项目名称"}}));
  for (const api::ProjectPerformance& p : s.projects()) {
    int met = 0;
    for (const api::IndicatorResult& i : p.indicators()) met += i.met() ? 1 : 0;
    csv.Add({a.agency, absl::StrCat(a.year), p.project_id(), p.name(),
             FormatYuan(p.amounts().budget_fen()), FormatYuan(p.amounts().disbursed_fen()),
             FormatPercent(p.execution_rate()), absl::StrCat(p.indicators_size()),
             absl::StrCat(met), FormatCentipoints(p.execution_centipoints()),
             FormatCentipoints(p.score_centipoints()), p.grade()});
  }
  return csv;
}

api::ListPlansResponse Plans(Cli& cli, const ExportArgs& a) {
  api::ListPlansRequest r;
  r.set_as_of_date(a.as_of);
  r.set_jurisdiction(a.jurisdiction);
  r.set_include_closed(a.closed);
  r.set_as_of_position(a.at_position);
  r.set_min_position(cli.min_position());
  return cli.Query(cli.client().reform_queries(), &api::ReformQueries::Stub::ListPlans, r);
}

CsvWriter PlanRows(Cli& cli, const ExportArgs& a) {
  CsvWriter csv(
      Headers(Concat(Concat(Concat({"plan_id", "title", "jurisdiction"}, RefColumns("drafted")),
                            Concat(RefColumns("approved"), RefColumns("closed"))),
                     {"tasks", "done", "due", "overdue", "tasks_added_later"}),
              {{"title", "方案名称"}}));
  const api::ListPlansResponse plans = Plans(cli, a);
  for (const api::PlanSummary& p : plans.plans()) {
    const api::ProgressCounts& c = p.overall();
    csv.Add(Concat(Concat(Concat({p.plan_id(), p.title(), p.jurisdiction()}, RefCells(p.drafted())),
                          Concat(RefCells(p.approved_by()), RefCells(p.closed_by()))),
                   {absl::StrCat(c.tasks()), absl::StrCat(c.done()), absl::StrCat(c.due()),
                    absl::StrCat(c.overdue()), absl::StrCat(p.tasks_added_later())}));
  }
  return csv;
}

// A row per task of a plan (--plan) or of every plan standing on the date.
CsvWriter PlanProgress(Cli& cli, const ExportArgs& a) {
  std::vector<std::string> plans;
  uint64_t position = a.at_position;
  if (!a.plan.empty()) {
    plans.push_back(a.plan);
  } else {
    api::ListPlansResponse list = Plans(cli, a);
    for (const api::PlanSummary& p : list.plans()) plans.push_back(p.plan_id());
    if (position == 0) position = list.position();
  }
  CsvWriter csv(Headers(Concat(Concat({"plan_id", "task_id", "agency_id", "agency_name", "kind",
                                       "due_date", "description", "state"},
                                      RefColumns("completed")),
                               Concat({"note"}, RefColumns("added")))));
  Progress progress(Tr("导出改革任务", "exporting plans"), plans.size(), kExportQuietFor);
  for (size_t i = 0; i < plans.size(); ++i) {
    const std::string& plan = plans[i];
    progress.Update(i + 1);
    api::GetPlanProgressRequest r;
    r.set_plan_id(plan);
    r.set_as_of_date(a.as_of);
    r.set_as_of_position(a.at_position);
    // Every plan read at least where the list was.
    r.set_min_position(std::max(cli.min_position(), position));
    api::GetPlanProgressResponse p =
        cli.Query(cli.client().reform_queries(), &api::ReformQueries::Stub::GetPlanProgress, r);
    for (const api::TaskStatus& t : p.tasks()) {
      csv.Add(Concat(
          Concat({plan, t.task_id(), t.agency_id(), t.agency_name(), Cell(t.kind()), t.due_date(),
                  t.description(), absl::AsciiStrToLower(api::TaskStatus::State_Name(t.state()))},
                 RefCells(t.completed_by())),
          Concat({t.note()}, RefCells(t.added_by()))));
    }
  }
  return csv;
}

struct Model {
  const char* name;
  const char* what;
  unsigned options;
  std::function<CsvWriter(Cli&, const ExportArgs&)> write;
};

const std::vector<Model>& Models() {
  static const auto* models = new std::vector<Model>{
      {"agencies", "the structure on a date (also: tree), a row per agency",
       kAsOf | kAtPosition | kJurisdiction | kIncludeCeased, Agencies},
      {"staffing", "编制: a row per agency and quota category (quota, in post, 空编, 超编)",
       kAsOf | kAtPosition | kAgency | kJurisdiction | kIncludeCeased, Quotas},
      {"leader-posts", "领导职数: a row per agency and rank",
       kAsOf | kAtPosition | kAgency | kJurisdiction | kIncludeCeased, LeaderPosts},
      {"staff-changes", "增减员统计: a row per agency, 增员/减员 and reason of --year",
       kAgency | kJurisdiction | kYear, StaffChanges},
      {"people", "实名制: a row per person in post",
       kAsOf | kAgency | kJurisdiction | kIncludeCeased, People},
      {"powers", "权力清单 on a date: a row per item with its holder and how it is held",
       kAsOf | kAtPosition | kHolder | kCategory, Powers},
      {"power-counts", "items per holder, category and how they are held",
       kAsOf | kAtPosition | kHolder, PowerCounts},
      {"budget-lines", "a budget year's lines with their amounts", kAgency | kYear, BudgetLines},
      {"budget-rollups", "a budget year's roll-ups (fund source, 基本/项目, codes, 三公经费)",
       kAgency | kYear, BudgetRollups},
      {"performance", "预算绩效: a row per project", kAgency | kYear | kProject, Performance},
      {"plans", "改革方案 on a date with their task counts",
       kAsOf | kAtPosition | kJurisdiction | kIncludeClosed, PlanRows},
      {"progress", "a row per task of a plan (--plan) or of every plan, with what did it",
       kAsOf | kAtPosition | kPlan | kJurisdiction | kIncludeClosed, PlanProgress},
  };
  return *models;
}

const Model& FindModel(const std::string& name) {
  const std::string wanted = name == "tree" ? "agencies" : name;
  std::vector<std::string> names;
  for (const Model& m : Models()) {
    if (wanted == m.name) return m;
    names.emplace_back(m.name);
  }
  throw Exit{kExitUsage, absl::StrCat("export: MODEL \"", name, "\" is not one of: ",
                                      absl::StrJoin(names, ", "), " (tree = agencies)")};
}

void CheckOptions(const Model& model, const ExportArgs& a) {
  const unsigned extra = Given(a) & ~model.options;
  for (const OptionName& o : kOptionNames) {
    if ((extra & o.option) == 0) continue;
    std::vector<std::string> takers;
    for (const Model& m : Models()) {
      if ((m.options & o.option) != 0) takers.emplace_back(m.name);
    }
    throw Exit{kExitUsage, absl::StrCat("export ", model.name, " does not take ", o.name, " (",
                                        absl::StrJoin(takers, ", "), " do)")};
  }
}

void Export(Cli& cli, const ExportArgs& a) {
  if (cli.json()) throw Exit{kExitUsage, "export writes CSV; --json does not apply"};
  const Model& model = FindModel(a.model);
  CheckOptions(model, a);
  // A file for a spreadsheet carries the byte-order mark Excel needs to read UTF-8; text for a
  // pipe does not.
  const std::string encoding =
      !a.encoding.empty() ? a.encoding : (a.out.empty() ? "utf-8" : "utf-8-bom");
  if (absl::StatusOr<std::string> probe = FromUtf8("", encoding); !probe.ok())
    throw Exit{kExitUsage, std::string(probe.status().message())};
  const CsvWriter csv = model.write(cli, a);
  absl::StatusOr<std::string> bytes = FromUtf8(csv.text(), encoding);
  if (!bytes.ok()) throw Exit{kExitRejected, std::string(bytes.status().message())};
  if (a.out.empty()) {
    std::cout << *bytes << std::flush;
    return;
  }
  std::ofstream out(a.out, std::ios::binary | std::ios::trunc);
  out << *bytes;
  out.close();
  if (!out) throw Exit{kExitUsage, absl::StrCat("export: cannot write ", a.out)};
  std::cout << Tr("已导出 ", "exported ") << csv.rows() << Tr(" 行（", " rows of ") << model.name
            << Tr("）到 ", " to ") << a.out << Tr("（", " (") << absl::AsciiStrToLower(encoding)
            << Tr("）\n", ")\n");
}

}  // namespace

void AddExportCommand(CLI::App& app, Cli& cli) {
  auto a = std::make_shared<ExportArgs>();
  std::string models;
  for (const Model& m : Models()) absl::StrAppend(&models, "\n  ", m.name, ": ", m.what);
  auto* cmd = app.add_subcommand(
      "export", absl::StrCat("a read model as CSV (a header row, a row per entity):", models));
  cmd->add_option("model", a->model, Tr("导出哪个读模型（见上）", "what to export (see above)"))
      ->required();
  cmd->add_option("--out", a->out,
                  Tr("写入的文件（默认：标准输出）", "the file to write (default: stdout)"));
  cmd->add_option("--encoding", a->encoding,
                  Tr("文件编码：utf-8-bom（写入文件时的默认，Excel "
                     "可直接打开）、utf-8（输出到标准输出时的默认）"
                     "或 gb18030",
                     "utf-8-bom (the default for --out: Excel opens it as UTF-8), utf-8 (the "
                     "default for stdout) or gb18030"));
  cmd->add_option("--as-of", a->as_of,
                  Tr("日期 YYYY-MM-DD（有日期的读模型；默认今日）",
                     "YYYY-MM-DD (dated models; default: today)"));
  cmd->add_option("--at-position", a->at_position,
                  Tr("按日志此位置时系统所知作答（审计用）",
                     "what the system knew at this log position (audit)"));
  cmd->add_option("--jurisdiction", a->jurisdiction, Tr("地区，如 西区", "e.g. 西区"));
  cmd->add_option("--agency", a->agency,
                  Tr("staffing、people：一个机构；budget、performance：预算所属单位",
                     "staffing, people: one agency; budget, performance: "
                     "the agency whose year it is"));
  cmd->add_option("--year", a->year, Tr("预算年度", "fiscal year"));
  cmd->add_option("--plan", a->plan, Tr("progress：一个改革方案", "progress: one plan"));
  cmd->add_option("--holder", a->holder,
                  Tr("powers：一个实施主体的事项", "powers: one holder's items"));
  cmd->add_option("--category", a->category, Tr("powers：一个权力类别", "powers: one category"));
  cmd->add_option("--project", a->project, Tr("performance：一个项目", "performance: one project"));
  cmd->add_flag("--include-ceased", a->ceased,
                Tr("也包括已合并、分设、撤销的机构", "also merged, split and abolished agencies"));
  cmd->add_flag("--include-closed", a->closed, Tr("也包括已办结的方案", "also closed plans"));
  cmd->callback([&cli, a] { Export(cli, *a); });
}

}  // namespace reformlog::ctl
