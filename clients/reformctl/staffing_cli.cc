// reformctl person …, records … (StaffingCommands) and staffing, check (四清两对应), person
// show, people (StaffingQueries): the staffing context — people in post (实名制) against their
// agency's quota, leader posts, and records locked for a reform plan.
#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/option_values.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// What staffing and check read: whose figures, and as of which log position.
struct StaffingArgs {
  std::string agency, jurisdiction, as_of;
  bool ceased = false;
  uint64_t at_position = 0;
  int changes_year = 0;
};

// Changes.

// person register
void AddRegisterPerson(CLI::App& person, Cli& cli) {
  auto* reg = person.add_subcommand(
      "register", Tr("人员登记：在空编内登记入编", "register a person into a vacancy"));
  auto r = std::make_shared<api::PersonToRegister>();
  auto category = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  reg->add_option("--id", *r->mutable_person_id(),
                  Tr("人员编号（人事系统中的编号，不得用身份证号）",
                     "person id (the personnel system's, never an ID card number)"))
      ->required();
  reg->add_option("--name", *r->mutable_name(), Tr("姓名", "name"))->required();
  reg->add_option("--agency", *r->mutable_agency_id(), Tr("机构编号", "agency id"))->required();
  reg->add_option("--category", *category, "行政编制, 事业编制, …")->required();
  reg->add_option("--post", *r->mutable_post(), "岗位");
  reg->add_option("--notice", *r->mutable_notice_id(),
                  "入编: the approved 用编 notice whose reserved vacancy the person fills "
                  "(required for a newcomer where the jurisdiction requires 用编审批)");
  reg->add_option(
         "--reason", *reason,
         "增员原因: 考录, 调入, 军转安置, 公开招聘, 遴选, 选调生, 其他; 首次登记 for staff "
         "in post when the register began")
      ->required();
  reg->callback([&cli, r, category, reason] {
    api::RegisterPersonRequest request;
    *request.mutable_person() = *r;
    request.mutable_person()->set_category(ParseEnum<pb::QuotaCategory>("--category", *category));
    request.mutable_person()->set_entry_reason(ParseEnum<pb::EntryReason>("--reason", *reason));
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RegisterPerson, request);
  });
}

// person transfer (转隶)
void AddTransferPersons(CLI::App& person, Cli& cli) {
  auto* transfer = person.add_subcommand(
      "transfer", Tr("人员转隶：人员（及其编制）一次性转入另一机构",
                     "转隶: people (and their quota) to another agency, in one commit"));
  struct TransferArgs {
    std::string from, to, people;
    std::vector<std::string> quotas;
  };
  auto t = std::make_shared<TransferArgs>();
  transfer->add_option("--from", t->from, Tr("转出（划出）机构编号", "agency id it moves from"))
      ->required();
  transfer->add_option("--to", t->to, Tr("转入（划入）机构编号", "agency id it moves to"))
      ->required();
  transfer
      ->add_option("--people", t->people, Tr("人员编号，以逗号分隔", "person ids, comma-separated"))
      ->required();
  transfer->add_option(
      "--quota", t->quotas,
      Tr("随人员划转的编制：编制类别=数量（可重复）", "CATEGORY=COUNT moving with them (repeat)"));
  transfer->callback([&cli, t] {
    api::TransferPersonsRequest request;
    request.set_from_agency_id(t->from);
    request.set_to_agency_id(t->to);
    for (const std::string& p : SplitList(t->people)) request.add_person_ids(p);
    for (const std::string& q : t->quotas)
      *request.add_quotas() = ParseQuotaCount("--quota", q, "行政编制=2");
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::TransferPersons, request);
  });
}

// person appoint
void AddAppointLeader(CLI::App& person, Cli& cli) {
  auto* appoint = person.add_subcommand(
      "appoint", Tr("任命在编人员担任领导职务", "appoint a person in post to a leader post"));
  auto a = std::make_shared<std::array<std::string, 4>>();
  appoint->add_option("person", (*a)[0], Tr("人员编号", "person id"))->required();
  appoint->add_option("--agency", (*a)[1], Tr("机构编号", "agency id"))->required();
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
}

// person remove-leader
void AddRemoveLeader(CLI::App& person, Cli& cli) {
  auto* unappoint = person.add_subcommand(
      "remove-leader", Tr("免去人员的领导职务", "remove a person from their leader post"));
  auto u = std::make_shared<std::pair<std::string, std::string>>();
  unappoint->add_option("person", u->first, Tr("人员编号", "person id"))->required();
  unappoint->add_option("--agency", u->second, Tr("机构编号", "agency id"))->required();
  unappoint->callback([&cli, u] {
    api::RemoveLeaderRequest request;
    request.set_person_id(u->first);
    request.set_agency_id(u->second);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RemoveLeader, request);
  });
}

// person depart
void AddRecordDeparture(CLI::App& person, Cli& cli) {
  auto* depart = person.add_subcommand(
      "depart", Tr("人员减员（空出编制）", "a person leaves (the vacancy opens)"));
  auto d = std::make_shared<std::array<std::string, 3>>();
  depart->add_option("person", (*d)[0], Tr("人员编号", "person id"))->required();
  depart->add_option("--reason", (*d)[1], "退休, 调出, 辞职, 辞退, 开除, 死亡, 其他")->required();
  depart->add_option("--note", (*d)[2], Tr("备注", "note"));
  depart->callback([&cli, d] {
    api::RecordDepartureRequest request;
    request.set_person_id((*d)[0]);
    request.set_reason(ParseEnum<pb::DepartureReason>("--reason", (*d)[1]));
    request.set_note((*d)[2]);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RecordDeparture, request);
  });
}

// records lock when `lock`, records unlock otherwise
void AddLockRecords(CLI::App& records, Cli& cli, bool lock) {
  auto* cmd = records.add_subcommand(lock ? "lock" : "unlock",
                                     lock ? Tr("锁定机构台账", "lock the records of agencies")
                                          : Tr("解除本方案的锁定", "lift the plan's locks"));
  auto agencies = std::make_shared<std::string>();
  cmd->add_option("--agencies", *agencies, Tr("以逗号分隔", "comma-separated"))->required();
  cmd->callback([&cli, agencies, lock] {
    api::LockRecordsRequest request;
    for (const std::string& id : SplitList(*agencies)) request.add_agency_ids(id);
    cli.Command(cli.client().staffing(),
                lock ? &api::StaffingCommands::Stub::LockRecords
                     : &api::StaffingCommands::Stub::UnlockRecords,
                request);
  });
}

// Queries.

// staffing
void AddGetStaffing(CLI::App& app, Cli& cli) {
  auto a = std::make_shared<StaffingArgs>();
  auto* staffing = app.add_subcommand(
      "staffing", Tr("编制与实有人员：编制数、实有人数、预留、空编、超编、领导职数",
                     "编制 and people: quota, in post, 空编, 超编, leader posts"));
  staffing->add_option("--agency", a->agency, Tr("一个机构的编号", "one agency's id"));
  staffing->add_option(
      "--jurisdiction", a->jurisdiction,
      Tr("一个地区的全部机构，如 西区", "every agency of a jurisdiction, e.g. 西区"));
  staffing->add_flag(
      "--include-ceased", a->ceased,
      Tr("也列出已合并、分设、撤销的机构", "also merged, split and abolished bodies"));
  staffing->add_option("--at-position", a->at_position,
                       Tr("按日志此位置时系统所知作答（审计用）",
                          "what the system knew at this log position (audit)"));
  staffing->add_option("--as-of", a->as_of,
                       Tr("日期 YYYY-MM-DD：该日的数字，补录的改动计入（默认：按现在所记）",
                          "YYYY-MM-DD: the figures on that date, late entries (补录) included "
                          "(default: as recorded now)"));
  staffing->add_option("--changes-year", a->changes_year,
                       Tr("增减员统计：该年按原因分列的增员和减员（实名制）",
                          "增减员统计: that year's 增员 and 减员 by reason (实名制)"));
  staffing->callback([&cli, a] {
    if (a->agency.empty() == a->jurisdiction.empty()) {
      throw Exit{kExitUsage, Tr("staffing：请给出 --agency 或 --jurisdiction 之一",
                                "staffing: give --agency or --jurisdiction")};
    }
    api::GetStaffingRequest r;
    r.set_agency_id(a->agency);
    r.set_jurisdiction(a->jurisdiction);
    r.set_include_ceased(a->ceased);
    r.set_as_of_position(a->at_position);
    r.set_as_of_date(a->as_of);
    r.set_changes_year(a->changes_year);
    r.set_min_position(cli.min_position());
    api::GetStaffingResponse s =
        cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
    if (cli.json()) return Cli::PrintJson(s);
    Table table =
        CurrentLang() == Lang::kZh
            ? Table({"机构编号", "机构名称", "编制类别", "编制数", "实有", "预留", "空编", "超编"})
            : Table(
                  {"agency", "name", "category", "quota", "in post", "reserved", "vacant", "over"});
    table.AlignRight({3, 4, 5, 6, 7});
    Table leaders =
        CurrentLang() == Lang::kZh
            ? Table({"机构编号", "职务层次", "职务", "核定", "实配", "超职数", "消化中"})
            : Table({"agency", "rank", "title", "approved", "appointed", "over", "absorbing"});
    leaders.AlignRight({3, 4, 5});
    for (const api::AgencyStaffingFigures& f : s.agencies()) {
      const std::string name =
          f.ceased()
              ? absl::StrCat(f.name(), Tr("（", " ("), f.ceased_how(), Tr("）", ")"))
              : (f.locked_by_plan().empty() ? f.name()
                                            : absl::StrCat(f.name(), Tr(" [锁定 ", " [locked by "),
                                                           f.locked_by_plan(), "]"));
      for (const api::QuotaFigures& q : f.quotas()) {
        table.Add({f.agency_id(), name, Label(q.category()), absl::StrCat(q.quota()),
                   absl::StrCat(q.in_post()), q.reserved() > 0 ? absl::StrCat(q.reserved()) : "",
                   absl::StrCat(q.vacancies()), q.over() > 0 ? absl::StrCat(q.over()) : ""});
      }
      for (const api::LeaderPostFigures& p : f.leader_posts()) {
        leaders.Add({f.agency_id(), Label(p.rank()), p.title(), absl::StrCat(p.approved()),
                     absl::StrCat(p.appointed()), p.over() > 0 ? absl::StrCat(p.over()) : "",
                     p.in_transition() > 0 ? absl::StrCat(p.in_transition()) : ""});
      }
    }
    table.Print(std::cout);
    if (!leaders.empty()) {
      std::cout << Tr("\n领导职数\n", "\nleader posts (领导职数)\n");
      leaders.Print(std::cout);
    }
    if (a->changes_year != 0) {
      Table changes = CurrentLang() == Lang::kZh ? Table({"机构编号", "增减", "原因", "人数"})
                                                 : Table({"agency", "增减", "reason", "people"});
      changes.AlignRight({3});
      std::map<std::string, int64_t> totals;  // 增员 / 减员 over the agencies
      for (const api::AgencyStaffingFigures& f : s.agencies()) {
        for (const api::StaffChangeFigures& c : f.changes()) {
          changes.Add({f.agency_id(), c.kind(), c.reason(), absl::StrCat(c.count())});
          totals[c.kind()] += c.count();
        }
      }
      std::cout << "\n"
                << a->changes_year << Tr(" 年增减员（实名制）：增员 ", " 增减员 (实名制): 增员 ")
                << totals["增员"] << Tr("，减员 ", ", 减员 ") << totals["减员"] << "\n";
      if (!changes.empty()) changes.Print(std::cout);
    }
  });
}

// check (四清两对应)
void AddCheckJurisdiction(CLI::App& app, Cli& cli) {
  auto* check = app.add_subcommand(
      "check", Tr("四清两对应：一个地区的全部违规，附数字",
                  "四清两对应: every violation in a jurisdiction, with the numbers"));
  auto c = std::make_shared<StaffingArgs>();
  check->add_option("jurisdiction", c->jurisdiction, Tr("地区，如 西区", "e.g. 西区"))->required();
  check->add_option("--at-position", c->at_position,
                    Tr("按日志此位置时系统所知作答（审计用）",
                       "what the system knew at this log position (audit)"));
  check->add_option("--as-of", c->as_of,
                    Tr("日期 YYYY-MM-DD：该日的检查（默认：按现在所记）",
                       "YYYY-MM-DD: the check on that date (default: as recorded now)"));
  check->callback([&cli, c] {
    api::CheckJurisdictionRequest r;
    r.set_jurisdiction(c->jurisdiction);
    r.set_as_of_position(c->at_position);
    r.set_as_of_date(c->as_of);
    r.set_min_position(cli.min_position());
    api::CheckJurisdictionResponse s = cli.Query(cli.client().staffing_queries(),
                                                 &api::StaffingQueries::Stub::CheckJurisdiction, r);
    if (cli.json()) return Cli::PrintJson(s);
    const api::StaffingTotals& t = s.totals();
    std::cout << s.jurisdiction() << Tr("（日志位置 ", " (log position ") << s.position()
              << Tr("）：机构 ", "): ") << t.agencies() << Tr(" 个", " agencies");
    if (t.ceased_agencies() > 0) {
      std::cout << Tr("（另有已撤并 ", " (+") << t.ceased_agencies() << Tr(" 个）", " ceased)");
    }
    std::cout << "\n";
    Table totals = CurrentLang() == Lang::kZh
                       ? Table({"编制类别", "编制数", "实有", "空编", "超编"})
                       : Table({"category", "quota", "in post", "vacant", "over"});
    totals.AlignRight({1, 2, 3, 4});
    for (const api::QuotaFigures& q : t.categories()) {
      totals.Add({Label(q.category()), absl::StrCat(q.quota()), absl::StrCat(q.in_post()),
                  absl::StrCat(q.vacancies()), absl::StrCat(q.over())});
    }
    totals.Print(std::cout);
    std::cout << Tr("领导职数：核定 ", "leader posts: approved ") << t.leader_posts_approved()
              << Tr("，实配 ", ", appointed ") << t.leaders_appointed()
              << Tr("，超职数 ", ", over (超职数) ") << t.leader_posts_over() << "\n\n";
    if (s.clear()) {
      std::cout << Tr("四清两对应：无违规\n", "四清两对应: clear — no violation\n");
      return;
    }
    Table violations = CurrentLang() == Lang::kZh
                           ? Table({"问题", "机构", "", "限额", "实际", "说明"})
                           : Table({"violation", "agency", "", "limit", "actual", "detail"});
    violations.AlignRight({3, 4});
    for (const api::StaffingViolation& v : s.violations()) {
      const std::string what = v.rank() != pb::RANK_UNSPECIFIED ? Label(v.rank())
                               : v.category() != pb::QUOTA_CATEGORY_UNSPECIFIED
                                   ? Label(v.category())
                                   : "";
      violations.Add({v.label(), absl::StrCat(v.agency_id(), " ", v.agency_name()), what,
                      absl::StrCat(v.limit()), absl::StrCat(v.actual()), v.message()});
    }
    violations.Print(std::cout);
    throw Exit{
        kExitRejected,
        CurrentLang() == Lang::kZh
            ? absl::StrCat(s.jurisdiction(), "四清两对应检查发现 ", s.violations_size(), " 处问题")
            : absl::StrCat(s.violations_size(), " violations of 四清两对应 in ", s.jurisdiction())};
  });
}

// person show
void AddGetPerson(CLI::App& person, Cli& cli) {
  auto* show = person.add_subcommand(
      "show", Tr("一名人员的现状和历次变动", "a person in post and their history"));
  auto id = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  show->add_option("person", *id, Tr("人员编号", "person id"))->required();
  show->add_option("--as-of", *as_of,
                   Tr("日期 YYYY-MM-DD：该日的人员情况（默认：按现在所记）",
                      "YYYY-MM-DD: the person on that date (default: as recorded now)"));
  show->callback([&cli, id, as_of] {
    api::GetPersonRequest r;
    r.set_person_id(*id);
    r.set_as_of_date(*as_of);
    r.set_min_position(cli.min_position());
    api::GetPersonResponse p =
        cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetPerson, r);
    if (cli.json()) return Cli::PrintJson(p);
    const api::PersonSummary& s = p.person();
    std::cout << s.person_id() << "  " << s.name() << "  "
              << (s.departed()
                      ? "departed"
                      : absl::StrCat(s.agency_id(), " ", Label(s.category()), " ", s.post()));
    if (s.leader_rank() != pb::RANK_UNSPECIFIED)
      std::cout << "  " << s.leader_title() << " (" << Label(s.leader_rank()) << ")";
    std::cout << "\n";
    Table history(TrEach({{"生效日期", "effective"}, {"文号", "document"}, {"变动", "change"}}));
    for (const api::PersonHistoryEntry& h : p.history()) {
      history.Add({h.ref().effective_date(), h.ref().basis_number(), h.summary()});
    }
    history.Print(std::cout);
  });
}

// people
void AddListPeople(CLI::App& app, Cli& cli) {
  auto* people = app.add_subcommand(
      "people", Tr("机构在编人员名册（实名制）", "the people in post at an agency (实名制)"));
  auto agency = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  people->add_option("agency", *agency, Tr("机构编号", "agency id"))->required();
  people->add_option("--as-of", *as_of,
                     Tr("日期 YYYY-MM-DD：该日在编人员（默认：按现在所记）",
                        "YYYY-MM-DD: in post on that date (default: as recorded now)"));
  people->callback([&cli, agency, as_of] {
    api::ListPeopleResponse list = ListAllPeople(cli, *agency, *as_of);
    if (cli.json()) return Cli::PrintJson(list);
    Table table(TrEach({{"人员编号", "person"},
                        {"姓名", "name"},
                        {"编制类别", "category"},
                        {"岗位", "post"},
                        {"领导职务", "leader post"}}));
    for (const api::PersonSummary& s : list.people()) {
      table.Add({s.person_id(), s.name(), Label(s.category()), s.post(),
                 s.leader_rank() == pb::RANK_UNSPECIFIED
                     ? ""
                     : absl::StrCat(s.leader_title(), " (", Label(s.leader_rank()), ")")});
    }
    table.Print(std::cout);
  });
}

// quota-use request|approve|decline|withdraw|policy (用编审批)
void AddQuotaUse(CLI::App& app, Cli& cli) {
  CLI::App& use = *app.add_subcommand("quota-use",
                                      "用编审批: apply for, approve, decline or "
                                      "withdraw the use of vacancies (用编)")
                       ->require_subcommand(1);

  auto* request = use.add_subcommand(
      "request", Tr("用编申请：单位申请使用空编", "用编申请: an agency applies to fill vacancies"));
  auto req = std::make_shared<api::RequestQuotaUseRequest>();
  auto req_category = std::make_shared<std::string>();
  request
      ->add_option("notice", *req->mutable_notice_id(),
                   Tr("用编申请编号（自行确定）", "the notice's id (yours to choose)"))
      ->required();
  request
      ->add_option("--agency", *req->mutable_agency_id(), Tr("申请单位编号", "the applying agency"))
      ->required();
  request->add_option("--category", *req_category, "行政编制, 事业编制, …")->required();
  auto req_count = std::make_shared<int32_t>(0);
  request
      ->add_option("--count", *req_count,
                   Tr("申请使用的编制数（1–10000）", "vacancies asked for (1–10000)"))
      ->required();
  request->add_option("--purpose", *req->mutable_purpose(), "用途: 2019年公开招聘, 军转安置, …")
      ->required();
  request->callback([&cli, req, req_category, req_count] {
    api::RequestQuotaUseRequest r = *req;
    r.set_count(*req_count);
    r.set_category(ParseEnum<pb::QuotaCategory>("--category", *req_category));
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::RequestQuotaUse, r);
  });

  auto* approve = use.add_subcommand(
      "approve", Tr("核准：出具核准使用编制通知单（预留编制）",
                    "核准: issue the 核准使用编制通知单 (reserves the vacancies: 预留编制)"));
  auto ok = std::make_shared<api::ApproveQuotaUseRequest>();
  approve->add_option("notice", *ok->mutable_notice_id(), Tr("用编申请编号", "notice id"))
      ->required();
  approve
      ->add_option("--agency", *ok->mutable_agency_id(),
                   Tr("用编申请所属单位编号", "the notice's agency"))
      ->required();
  approve
      ->add_option("--number", *ok->mutable_notice_number(),
                   "核准使用编制通知单 编号, e.g. 西编用〔2019〕12号")
      ->required();
  approve
      ->add_option(
          "--valid-until", *ok->mutable_valid_until(),
          Tr("日期 YYYY-MM-DD：通知单有效期的最后一天", "YYYY-MM-DD: the last date it may be used"))
      ->required();
  auto ok_count = std::make_shared<int32_t>(0);
  approve->add_option(
      "--count", *ok_count,
      Tr("核准的编制数（默认：按申请数）", "vacancies approved (default: as requested)"));
  approve->callback([&cli, ok, ok_count] {
    api::ApproveQuotaUseRequest r = *ok;
    r.set_count(*ok_count);
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::ApproveQuotaUse, r);
  });

  for (const bool withdraw : {false, true}) {
    auto* close = use.add_subcommand(
        withdraw ? "withdraw" : "decline",
        withdraw ? Tr("撤回用编申请；尚预留的编制随即释放",
                      "撤回: withdraw a notice; the vacancies it still reserves are released")
                 : "不予核准: decline a requested notice");
    auto c = std::make_shared<api::CloseQuotaUseRequest>();
    close->add_option("notice", *c->mutable_notice_id(), Tr("用编申请编号", "notice id"))
        ->required();
    close
        ->add_option("--agency", *c->mutable_agency_id(),
                     Tr("用编申请所属单位编号", "the notice's agency"))
        ->required();
    close->add_option("--reason", *c->mutable_reason(), Tr("原因", "why"))->required();
    close->callback([&cli, c, withdraw] {
      cli.Command(cli.client().staffing(),
                  withdraw ? &api::StaffingCommands::Stub::WithdrawQuotaUse
                           : &api::StaffingCommands::Stub::DeclineQuotaUse,
                  *c);
    });
  }

  auto* policy = use.add_subcommand(
      "policy",
      Tr("设置地区新进人员入编是否须持已核准的用编通知单",
         "whether registering a newcomer in a jurisdiction must cite an approved notice"));
  auto p = std::make_shared<api::SetQuotaUsePolicyRequest>();
  auto required = std::make_shared<std::string>();
  policy->add_option("jurisdiction", *p->mutable_jurisdiction(), Tr("地区，如 西区", "e.g. 西区"))
      ->required();
  policy->add_option("--required", *required, "yes: 用编审批 required; no: not")
      ->required()
      ->check(CLI::IsMember({"yes", "no"}));
  policy->callback([&cli, p, required] {
    api::SetQuotaUsePolicyRequest r = *p;
    r.set_notice_required(*required == "yes");
    cli.Command(cli.client().staffing(), &api::StaffingCommands::Stub::SetQuotaUsePolicy, r);
  });
}

}  // namespace

void AddStaffingCommands(CLI::App& app, Cli& cli) {
  CLI::App& person =
      *app.add_subcommand("person", Tr("在编人员（实名制）", "people in post (实名制)"))
           ->require_subcommand(1);
  AddRegisterPerson(person, cli);
  AddTransferPersons(person, cli);
  AddAppointLeader(person, cli);
  AddRemoveLeader(person, cli);
  AddRecordDeparture(person, cli);

  CLI::App& records =
      *app.add_subcommand("records", "锁定: lock agencies' records for a reform plan (--plan)")
           ->require_subcommand(1);
  AddLockRecords(records, cli, /*lock=*/true);
  AddLockRecords(records, cli, /*lock=*/false);
  AddQuotaUse(app, cli);
}

void AddStaffingQueries(CLI::App& app, Cli& cli) {
  AddGetStaffing(app, cli);
  AddCheckJurisdiction(app, cli);
  AddGetPerson(*app.get_subcommand("person"), cli);
  AddListPeople(app, cli);
}

}  // namespace reformlog::ctl
