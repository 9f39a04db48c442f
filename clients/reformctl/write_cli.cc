// reformctl person …, records …, power …, budget …, plan … — the changes of the staffing,
// power, budget and reform contexts. (Organisation changes: org_cli.cc.)
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/option_values.h"
#include "google/protobuf/util/json_util.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

pb::QuotaCount ParseQuotaCount(const std::string& option, const std::string& text) {
  std::pair<std::string, std::string> kv = absl::StrSplit(text, absl::MaxSplits('=', 1));
  int count = 0;
  if (!absl::SimpleAtoi(kv.second, &count)) {
    throw Exit{kExitUsage,
               absl::StrCat(option, " \"", text, "\" is not CATEGORY=COUNT, e.g. 行政编制=2")};
  }
  pb::QuotaCount q;
  q.set_category(ParseEnum<pb::QuotaCategory>(option, kv.first));
  q.set_count(count);
  return q;
}

int64_t Fen(const std::string& option, const std::string& yuan) {
  absl::StatusOr<int64_t> fen = ParseYuan(yuan);
  if (!fen.ok()) throw Exit{kExitUsage, absl::StrCat(option, ": ", fen.status().message())};
  return *fen;
}

template <typename M>
void MergeJsonFile(const std::string& option, const std::string& path, M* message) {
  std::ifstream in(path);
  if (!in) throw Exit{kExitUsage, absl::StrCat(option, ": cannot read ", path)};
  std::stringstream text;
  text << in.rdbuf();
  if (auto s = google::protobuf::util::JsonStringToMessage(text.str(), message); !s.ok()) {
    throw Exit{kExitUsage, absl::StrCat(option, " ", path, ": ", s.ToString())};
  }
}

// The options that name a budget line, shared by every budget change.
struct LineOptions {
  std::string agency, fund, function, economic, kind = "基本支出", project;
  int year = 0;

  void Add(CLI::App* cmd) {
    cmd->add_option("--agency", agency)->required();
    cmd->add_option("--year", year, "fiscal year")->required();
    cmd->add_option("--fund", fund, "一般公共预算, 政府性基金预算, 事业收入, …")->required();
    cmd->add_option("--function", function, "支出功能分类 code, 3/5/7 digits (e.g. 2013601)")
        ->required();
    cmd->add_option("--economic", economic, "经济分类 code, 3/5 digits (e.g. 30201)")->required();
    cmd->add_option("--kind", kind, "基本支出 or 项目支出")->capture_default_str();
    cmd->add_option("--project", project, "project id (项目支出)");
  }
  pb::BudgetLine Line() const {
    pb::BudgetLine line;
    line.set_fund_source(ParseEnum<pb::FundSource>("--fund", fund));
    line.set_function_code(function);
    line.set_economic_code(economic);
    line.set_kind(ParseEnum<pb::ExpenditureKind>("--kind", kind));
    line.set_project_id(project);
    return line;
  }
};

void AddPersonCommands(CLI::App& app, Cli& cli) {
  CLI::App* person = app.add_subcommand("person", "people in post (实名制)")->require_subcommand(1);

  auto* reg = person->add_subcommand("register", "register a person into a vacancy");
  auto r = std::make_shared<api::PersonToRegister>();
  auto category = std::make_shared<std::string>();
  reg->add_option("--id", *r->mutable_person_id())->required();
  reg->add_option("--name", *r->mutable_name())->required();
  reg->add_option("--agency", *r->mutable_agency_id())->required();
  reg->add_option("--category", *category, "行政编制, 事业编制, …")->required();
  reg->add_option("--post", *r->mutable_post(), "岗位");
  reg->callback([&cli, r, category] {
    api::RegisterPersonRequest request;
    *request.mutable_person() = *r;
    request.mutable_person()->set_category(ParseEnum<pb::QuotaCategory>("--category", *category));
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RegisterPerson, request);
  });

  auto* transfer = person->add_subcommand(
      "transfer", "转隶: people (and their quota) to another agency, in one commit");
  struct TransferArgs {
    std::string from, to, people;
    std::vector<std::string> quotas;
  };
  auto t = std::make_shared<TransferArgs>();
  transfer->add_option("--from", t->from)->required();
  transfer->add_option("--to", t->to)->required();
  transfer->add_option("--people", t->people, "person ids, comma-separated")->required();
  transfer->add_option("--quota", t->quotas, "CATEGORY=COUNT moving with them (repeat)");
  transfer->callback([&cli, t] {
    api::TransferPersonsRequest request;
    request.set_from_agency_id(t->from);
    request.set_to_agency_id(t->to);
    for (const std::string& p : SplitList(t->people)) request.add_person_ids(p);
    for (const std::string& q : t->quotas) *request.add_quotas() = ParseQuotaCount("--quota", q);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::TransferPersons, request);
  });

  auto* appoint = person->add_subcommand("appoint", "appoint a person in post to a leader post");
  auto a = std::make_shared<std::array<std::string, 4>>();
  appoint->add_option("person", (*a)[0])->required();
  appoint->add_option("--agency", (*a)[1])->required();
  appoint->add_option("--rank", (*a)[2], "正科级, 副科级, …")->required();
  appoint->add_option("--title", (*a)[3], "e.g. 主任")->required();
  appoint->callback([&cli, a] {
    api::AppointLeaderRequest request;
    request.set_person_id((*a)[0]);
    request.set_agency_id((*a)[1]);
    request.set_rank(ParseEnum<pb::Rank>("--rank", (*a)[2]));
    request.set_title((*a)[3]);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::AppointLeader, request);
  });

  auto* unappoint =
      person->add_subcommand("remove-leader", "remove a person from their leader post");
  auto u = std::make_shared<std::pair<std::string, std::string>>();
  unappoint->add_option("person", u->first)->required();
  unappoint->add_option("--agency", u->second)->required();
  unappoint->callback([&cli, u] {
    api::RemoveLeaderRequest request;
    request.set_person_id(u->first);
    request.set_agency_id(u->second);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RemoveLeader, request);
  });

  auto* depart = person->add_subcommand("depart", "a person leaves (the vacancy opens)");
  auto d = std::make_shared<std::array<std::string, 3>>();
  depart->add_option("person", (*d)[0])->required();
  depart->add_option("--reason", (*d)[1], "退休, 辞职, 辞退, 死亡, 其他")->required();
  depart->add_option("--note", (*d)[2]);
  depart->callback([&cli, d] {
    api::RecordDepartureRequest request;
    request.set_person_id((*d)[0]);
    request.set_reason(ParseEnum<pb::DepartureReason>("--reason", (*d)[1]));
    request.set_note((*d)[2]);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RecordDeparture, request);
  });

  CLI::App* records =
      app.add_subcommand("records", "锁定: lock agencies' records for a reform plan (--plan)")
          ->require_subcommand(1);
  for (const bool lock : {true, false}) {
    auto* cmd = records->add_subcommand(
        lock ? "lock" : "unlock", lock ? "lock the records of agencies" : "lift the plan's locks");
    auto agencies = std::make_shared<std::string>();
    cmd->add_option("--agencies", *agencies, "comma-separated")->required();
    cmd->callback([&cli, agencies, lock] {
      api::LockRecordsRequest request;
      for (const std::string& id : SplitList(*agencies)) request.add_agency_ids(id);
      cli.Command(cli.client().staffing(),
                  lock ? &api::StaffingCommands::Stub::LockRecords
                       : &api::StaffingCommands::Stub::UnlockRecords,
                  request);
    });
  }
}

void AddPowerCommandsImpl(CLI::App& app, Cli& cli) {
  CLI::App* power =
      app.add_subcommand("power",
                         "权力清单: catalog, delegate (下放), concentrate (相对集中), return")
          ->require_subcommand(1);
  auto* catalog = power->add_subcommand("catalog", "add an item to the power list");
  auto item = std::make_shared<api::PowerItem>();
  auto category = std::make_shared<std::string>();
  catalog->add_option("--code", *item->mutable_code())->required();
  catalog->add_option("--name", *item->mutable_name())->required();
  catalog->add_option("--category", *category, "行政许可, 行政处罚, … (one of the ten)")
      ->required();
  catalog->add_option("--holder", *item->mutable_holder_agency_id(), "the department")->required();
  catalog->add_option("--legal-basis", *item->mutable_legal_basis());
  catalog->callback([&cli, item, category] {
    api::CatalogPowersRequest request;
    *request.add_items() = *item;
    request.mutable_items(0)->set_category(ParseEnum<pb::PowerCategory>("--category", *category));
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::CatalogPowers, request);
  });

  auto* delegate = power->add_subcommand("delegate", "下放 items to a town or street");
  auto d = std::make_shared<std::array<std::string, 4>>();
  delegate->add_option("--codes", (*d)[0], "comma-separated")->required();
  delegate->add_option("--from", (*d)[1])->required();
  delegate->add_option("--to", (*d)[2])->required();
  delegate->add_option("--mode", (*d)[3], "直接下放, 委托下放, 服务前移")->required();
  delegate->callback([&cli, d] {
    api::DelegatePowersRequest request;
    for (const std::string& c : SplitList((*d)[0])) request.add_codes(c);
    request.set_from_agency_id((*d)[1]);
    request.set_to_agency_id((*d)[2]);
    request.set_mode(ParseEnum<pb::DelegationMode>("--mode", (*d)[3]));
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::DelegatePowers, request);
  });

  auto* concentrate =
      power->add_subcommand("concentrate", "相对集中 items into a 综合行政执法局 or 行政审批局");
  auto c = std::make_shared<std::pair<std::string, std::string>>();
  concentrate->add_option("--codes", c->first, "comma-separated")->required();
  concentrate->add_option("--to", c->second)->required();
  concentrate->callback([&cli, c] {
    api::ConcentratePowersRequest request;
    for (const std::string& code : SplitList(c->first)) request.add_codes(code);
    request.set_to_agency_id(c->second);
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::ConcentratePowers, request);
  });

  auto* give_back = power->add_subcommand("return", "items go back to whoever passed them on");
  auto codes = std::make_shared<std::string>();
  give_back->add_option("--codes", *codes, "comma-separated")->required();
  give_back->callback([&cli, codes] {
    api::ReturnPowersRequest request;
    for (const std::string& code : SplitList(*codes)) request.add_codes(code);
    cli.Command(cli.client().powers(), &api::PowerCommands::Stub::ReturnPowers, request);
  });
}

void AddBudgetCommandsImpl(CLI::App& app, Cli& cli) {
  CLI::App* budget =
      app.add_subcommand("budget",
                         "预算: appropriate, adjust, disburse, income, carry-over, projects")
          ->require_subcommand(1);
  struct Args {
    LineOptions line;
    std::string amount, voucher, date, purpose, note, kind, reason;
  };

  auto* appropriate = budget->add_subcommand("appropriate", "appropriate money to a budget line");
  auto a = std::make_shared<Args>();
  a->line.Add(appropriate);
  appropriate->add_option("--amount", a->amount, "元, e.g. 1234.56")->required();
  appropriate->callback([&cli, a] {
    api::AppropriateRequest r;
    r.set_agency_id(a->line.agency);
    r.set_fiscal_year(a->line.year);
    *r.mutable_line() = a->line.Line();
    r.set_amount_fen(Fen("--amount", a->amount));
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::Appropriate, r);
  });

  auto* adjust = budget->add_subcommand("adjust", "调整 a line up or down");
  auto j = std::make_shared<Args>();
  j->line.Add(adjust);
  adjust->add_option("--amount", j->amount, "元, negative to reduce")->required();
  adjust->add_option("--reason", j->reason)->required();
  adjust->callback([&cli, j] {
    api::AdjustBudgetRequest r;
    r.set_agency_id(j->line.agency);
    r.set_fiscal_year(j->line.year);
    *r.mutable_line() = j->line.Line();
    r.set_delta_fen(Fen("--amount", j->amount));
    r.set_reason(j->reason);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::AdjustBudget, r);
  });

  auto* disburse =
      budget->add_subcommand("disburse", "pay from a line (never more than is available)");
  auto p = std::make_shared<Args>();
  p->line.Add(disburse);
  disburse->add_option("--amount", p->amount, "元")->required();
  disburse->add_option("--voucher", p->voucher, "disbursement id")->required();
  disburse->add_option("--date", p->date, "payment date, YYYY-MM-DD")->required();
  disburse->add_option("--purpose", p->purpose)->required();
  disburse->callback([&cli, p] {
    api::DisburseRequest r;
    r.set_agency_id(p->line.agency);
    r.set_fiscal_year(p->line.year);
    *r.mutable_line() = p->line.Line();
    r.set_amount_fen(Fen("--amount", p->amount));
    r.set_disbursement_id(p->voucher);
    r.set_date(p->date);
    r.set_purpose(p->purpose);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::Disburse, r);
  });

  auto* income =
      budget->add_subcommand("income", "non-fiscal income (事业收入, 经营收入, …) on a line");
  auto i = std::make_shared<Args>();
  i->line.Add(income);
  income->add_option("--amount", i->amount, "元")->required();
  income->add_option("--note", i->note);
  income->callback([&cli, i] {
    api::RecordIncomeRequest r;
    r.set_agency_id(i->line.agency);
    r.set_fiscal_year(i->line.year);
    *r.mutable_line() = i->line.Line();
    r.set_amount_fen(Fen("--amount", i->amount));
    r.set_note(i->note);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordIncome, r);
  });

  auto* carry =
      budget->add_subcommand("carry-over", "年初结转 (opening) or 年末结转 (closing) of a line");
  auto c = std::make_shared<Args>();
  c->line.Add(carry);
  carry->add_option("--type", c->kind, "年初结转和结余/opening or 年末结转和结余/closing")
      ->required();
  carry->add_option("--amount", c->amount, "元")->required();
  carry->callback([&cli, c] {
    api::RecordCarryOverRequest r;
    r.set_agency_id(c->line.agency);
    r.set_fiscal_year(c->line.year);
    *r.mutable_line() = c->line.Line();
    r.set_kind(ParseEnum<pb::CarryOverKind>("--type", c->kind));
    r.set_amount_fen(Fen("--amount", c->amount));
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordCarryOver, r);
  });

  auto* project = budget->add_subcommand(
      "project", "define a project with its performance targets (JSON file)");
  auto pj = std::make_shared<std::array<std::string, 4>>();
  auto pj_year = std::make_shared<int>(0);
  project->add_option("--agency", (*pj)[0])->required();
  project->add_option("--year", *pj_year)->required();
  project->add_option("--id", (*pj)[1])->required();
  project->add_option("--name", (*pj)[2])->required();
  project
      ->add_option("--indicators", (*pj)[3],
                   "JSON file: {\"indicators\": [PerformanceIndicator, …]} "
                   "(proto/reformlog/domain/v1/budget_events.proto)")
      ->required();
  project->callback([&cli, pj, pj_year] {
    api::DefineProjectRequest r;
    MergeJsonFile("--indicators", (*pj)[3], &r);
    r.set_agency_id((*pj)[0]);
    r.set_fiscal_year(*pj_year);
    r.set_project_id((*pj)[1]);
    r.set_name((*pj)[2]);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::DefineProject, r);
  });

  auto* performance =
      budget->add_subcommand("performance", "record a project's actual performance (JSON file)");
  auto pf = std::make_shared<std::array<std::string, 3>>();
  auto pf_year = std::make_shared<int>(0);
  performance->add_option("--agency", (*pf)[0])->required();
  performance->add_option("--year", *pf_year)->required();
  performance->add_option("--project", (*pf)[1])->required();
  performance->add_option("--actuals", (*pf)[2], "JSON file: {\"actuals\": [IndicatorActual, …]}")
      ->required();
  performance->callback([&cli, pf, pf_year] {
    api::RecordPerformanceRequest r;
    MergeJsonFile("--actuals", (*pf)[2], &r);
    r.set_agency_id((*pf)[0]);
    r.set_fiscal_year(*pf_year);
    r.set_project_id((*pf)[1]);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordPerformance, r);
  });
}

void AddPlanCommandsImpl(CLI::App& app, Cli& cli) {
  CLI::App* plan =
      app.add_subcommand("plan", "改革方案: draft, approve, tasks, close")->require_subcommand(1);
  auto* draft = plan->add_subcommand("draft", "draft a reform plan");
  auto d = std::make_shared<std::array<std::string, 3>>();
  draft->add_option("--id", (*d)[0])->required();
  draft->add_option("--title", (*d)[1])->required();
  draft->add_option("--jurisdiction", (*d)[2]);
  draft->callback([&cli, d] {
    api::DraftPlanRequest r;
    r.set_plan_id((*d)[0]);
    r.set_title((*d)[1]);
    r.set_jurisdiction((*d)[2]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::DraftPlan, r);
  });
  for (const bool approve : {true, false}) {
    auto* cmd = plan->add_subcommand(
        approve ? "approve" : "close",
        approve ? "approve a plan on the document in --basis" : "close a plan");
    auto id = std::make_shared<std::string>();
    cmd->add_option("plan", *id)->required();
    cmd->callback([&cli, id, approve] {
      api::PlanRequest r;
      r.set_plan_id(*id);
      cli.Command(
          cli.client().reform(),
          approve ? &api::ReformCommands::Stub::ApprovePlan : &api::ReformCommands::Stub::ClosePlan,
          r);
    });
  }
  auto* task = plan->add_subcommand("task", "a plan's tasks")->require_subcommand(1);
  auto* add = task->add_subcommand("add", "add a task for an agency");
  auto t = std::make_shared<std::array<std::string, 6>>();
  add->add_option("--plan", (*t)[0])->required();
  add->add_option("--id", (*t)[1])->required();
  add->add_option("--agency", (*t)[2])->required();
  add->add_option("--kind", (*t)[3], "挂牌, 班子到位, 人员转隶, 三定印发, 其他任务")->required();
  add->add_option("--due", (*t)[4], "YYYY-MM-DD")->required();
  add->add_option("--description", (*t)[5]);
  add->callback([&cli, t] {
    api::AddTaskRequest r;
    r.set_plan_id((*t)[0]);
    r.set_task_id((*t)[1]);
    r.set_agency_id((*t)[2]);
    r.set_kind(ParseEnum<pb::TaskKind>("--kind", (*t)[3]));
    r.set_due_date((*t)[4]);
    r.set_description((*t)[5]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::AddTask, r);
  });
  auto* complete =
      task->add_subcommand("complete", "record a task done that no recorded event does");
  auto c = std::make_shared<std::array<std::string, 3>>();
  complete->add_option("--plan", (*c)[0])->required();
  complete->add_option("--id", (*c)[1])->required();
  complete->add_option("--note", (*c)[2]);
  complete->callback([&cli, c] {
    api::CompleteTaskRequest r;
    r.set_plan_id((*c)[0]);
    r.set_task_id((*c)[1]);
    r.set_note((*c)[2]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::CompleteTask, r);
  });
}

}  // namespace

void AddStaffingCommands(CLI::App& app, Cli& cli) { AddPersonCommands(app, cli); }
void AddPowerCommands(CLI::App& app, Cli& cli) { AddPowerCommandsImpl(app, cli); }
void AddBudgetCommands(CLI::App& app, Cli& cli) { AddBudgetCommandsImpl(app, cli); }
void AddPlanCommands(CLI::App& app, Cli& cli) { AddPlanCommandsImpl(app, cli); }

}  // namespace reformlog::ctl
