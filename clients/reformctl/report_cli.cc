// reformctl report: the 部门决算 of an agency's year and checking a report typed by hand.
//  * report final-accounts: the nine standard tables (final_accounts.h) on the terminal, or
//    into a file as xlsx, CSV, JSON or printable HTML (report_render.h);
//  * report reconcile: the figures a report quotes (a claims file: reconcile.h), checked
//    against each other and against the ledger of the agency's year and the year before. Exit
//    0 when every figure agrees, 1 when any does not (kExitRejected), 2 for a claims file that
//    cannot be read.
// Both read BudgetQueries GetFinalAccounts and GetBudget (with its lines).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/final_accounts.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/power_list.h"
#include "clients/reformctl/reconcile.h"
#include "clients/reformctl/reconcile_tables.h"
#include "clients/reformctl/report_render.h"
#include "clients/reformctl/staffing_stats.h"
#include "clients/reformctl/table.h"
#include "clients/reformctl/text_encoding.h"
#include "domain/quote.h"
#include "domain/refusal.h"

namespace reformlog::ctl {
namespace {

struct ReconcileArgs {
  std::string agency, claims, tables;
  int year = 0;
};

// How a finding's kind reads in a table.
const char* KindWord(reconcile::Finding::Kind kind) {
  using K = reconcile::Finding::Kind;
  switch (kind) {
    case K::kLedger:
      return Tr("与账不符", "ledger");
    case K::kDuplicate:
      return Tr("一数多值", "two values");
    case K::kChange:
      return Tr("增减额", "change");
    case K::kRate:
      return Tr("增减率", "change rate");
    case K::kShare:
      return Tr("占比", "share");
    case K::kSum:
      return Tr("分项合计", "sum of parts");
    case K::kSharesSum:
      return Tr("占比合计", "sum of shares");
    case K::kNotInLedger:
      return Tr("未与账核对", "not in ledger");
  }
  return "";
}

// The name of agency `id` (from the staffing read model: a small answer); "" when it cannot
// be read.
std::string AgencyName(Cli& cli, const std::string& id) {
  api::GetStaffingRequest r;
  r.set_agency_id(id);
  absl::StatusOr<api::GetStaffingResponse> staffing = cli.client().Call(
      cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
  return staffing.ok() && staffing->agencies_size() > 0 ? staffing->agencies(0).name() : "";
}

// An agency's book of a year: its 决算, and its budget with the lines (empty when not asked for).
struct Book {
  api::GetFinalAccountsResponse accounts;
  api::GetBudgetResponse budget;
};

// The book of `agency` for `year`; nullopt for a year with no book (NOT_FOUND) when `optional`.
std::optional<Book> BookOf(Cli& cli, const std::string& agency, int year, bool optional,
                           bool with_budget = true) {
  api::GetFinalAccountsRequest a;
  a.set_agency_id(agency);
  a.set_fiscal_year(year);
  a.set_min_position(cli.min_position());
  absl::StatusOr<api::GetFinalAccountsResponse> accounts = cli.client().Call(
      cli.client().budget_queries(), &api::BudgetQueries::Stub::GetFinalAccounts, a);
  if (optional && accounts.status().code() == absl::StatusCode::kNotFound) return std::nullopt;
  cli.Check(accounts.status());
  Book book{*std::move(accounts), {}};
  if (!with_budget) return book;
  api::GetBudgetRequest b;
  b.set_agency_id(agency);
  b.set_fiscal_year(year);
  b.set_min_position(std::max(cli.min_position(), book.accounts.position()));
  book.budget = cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetBudget, b);
  return book;
}

// The books of a year and of the year before (when there is one), and their ledger
// (reconcile.h).
struct Years {
  Book now;
  std::optional<Book> last;

  reconcile::Ledger Ledger() const {
    return reconcile::LedgerOf(now.accounts, now.budget, last ? &last->accounts : nullptr,
                               last ? &last->budget : nullptr);
  }
};

Years YearsOf(Cli& cli, const std::string& agency, int year) {
  return {*BookOf(cli, agency, year, /*optional=*/false),
          BookOf(cli, agency, year - 1, /*optional=*/true)};
}

// `text` into the file `out`, or onto stdout when `out` is empty; Exit(kExitUsage) naming the
// file when it cannot be written. Whether it went into a file.
bool WriteOut(const std::string& out, const std::string& text) {
  if (out.empty()) {
    std::cout << text << std::flush;
    return false;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    throw Exit{kExitUsage, Tr(absl::StrCat("无法写入 ", out), absl::StrCat("cannot write ", out))};
  }
  return true;
}

// The tables of the 部门决算 (final_accounts.h): the nine, then each project's 绩效.
std::vector<report::Table> LedgerTables(Cli& cli, const std::string& agency, int year,
                                        const api::GetFinalAccountsResponse& accounts,
                                        const api::GetBudgetResponse& budget) {
  std::vector<report::Table> tables = report::FinalAccountsTables(accounts, budget);
  api::GetPerformanceRequest p;
  p.set_agency_id(agency);
  p.set_fiscal_year(year);
  p.set_min_position(accounts.position());
  for (report::Table& t : report::PerformanceTables(cli.Query(
           cli.client().budget_queries(), &api::BudgetQueries::Stub::GetPerformance, p))) {
    tables.push_back(std::move(t));
  }
  return tables;
}

void AddReconcile(CLI::App& report, Cli& cli) {
  auto a = std::make_shared<ReconcileArgs>();
  auto* reconcile = report.add_subcommand(
      "reconcile", Tr("核对决算报告所引数字：彼此之间是否自洽，是否与账相符（有不符则退出码为 1）",
                      "check the figures a 决算 report quotes against each other and the ledger "
                      "(exit 1 on any disagreement)"));
  reconcile->add_option("--agency", a->agency, Tr("机构编号", "agency id"))->required();
  reconcile->add_option("--year", a->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  reconcile->add_option(
      "--claims", a->claims,
      Tr("报告所引数字文件（每行“指标 = 数值”，格式见 clients/reformctl/reconcile.h）",
         "the report's figures, one 'metric = value' a line "
         "(clients/reformctl/reconcile.h)"));
  reconcile->add_option(
      "--tables", a->tables,
      Tr("报告的报表（report final-accounts 导出的 CSV 或 JSON，格式见 "
         "clients/reformctl/reconcile_tables.h）",
         "the report's tables (CSV or JSON as report final-accounts exports them: "
         "clients/reformctl/reconcile_tables.h)"));
  reconcile->callback([&cli, a] {
    if (a->claims.empty() && a->tables.empty()) {
      throw Exit{kExitUsage, Tr("请给出 --claims（报告所引数字）或 --tables（报告的报表），或两者",
                                "give --claims (the report's figures), --tables (its tables) or "
                                "both")};
    }
    // Both files read and parsed before anything is asked of reformd.
    auto read = [](const char* option, const std::string& path) {
      absl::StatusOr<std::string> text = ReadSmallFile(path, reconcile::kClaimsFileBytesMax);
      if (!text.ok()) throw Exit{kExitUsage, absl::StrCat(option, ": ", text.status().message())};
      return *std::move(text);
    };
    auto refuse = [](const std::string& path, const absl::Status& status) {
      return Exit{
          kExitUsage,
          absl::StrCat(path, ": ", Tr(domain::ChineseText(status), std::string(status.message())))};
    };
    reconcile::Claims claims;
    if (!a->claims.empty()) {
      absl::StatusOr<reconcile::Claims> parsed =
          reconcile::ParseClaims(read("--claims", a->claims));
      if (!parsed.ok()) throw refuse(a->claims, parsed.status());
      claims = *std::move(parsed);
    }
    std::vector<reconcile::ClaimedTable> claimed_tables;
    if (!a->tables.empty()) {
      const std::string text = read("--tables", a->tables);
      absl::StatusOr<std::vector<reconcile::ClaimedTable>> parsed =
          absl::EndsWithIgnoreCase(a->tables, ".json") ? reconcile::ReadTablesJson(text)
                                                       : reconcile::ReadTablesCsv(text);
      if (!parsed.ok()) throw refuse(a->tables, parsed.status());
      claimed_tables = *std::move(parsed);
    }
    const Years years = YearsOf(cli, a->agency, a->year);
    const uint64_t position = years.now.accounts.position();
    std::vector<reconcile::Finding> findings = reconcile::Reconcile(claims, years.Ledger());
    size_t figures = claims.figures.size() + claims.compositions.size();
    if (!claimed_tables.empty()) {
      for (reconcile::Finding& f : reconcile::ReconcileTables(
               claimed_tables,
               LedgerTables(cli, a->agency, a->year, years.now.accounts, years.now.budget))) {
        findings.push_back(std::move(f));
      }
      for (const reconcile::ClaimedTable& t : claimed_tables) {
        for (const auto& row : t.rows) {
          figures +=
              static_cast<size_t>(std::count_if(row.begin(), row.end(), [](const std::string& c) {
                return reconcile::ParseQuoted(c).has_value();
              }));
        }
      }
    }
    int disagreements = 0;
    Table t(TrEach({{"行", "line"}, {"小节", "section"}, {"类别", "kind"}, {"说明", "finding"}}));
    t.AlignRight({0});
    for (const reconcile::Finding& f : findings) {
      disagreements += f.disagreement() ? 1 : 0;
      t.Add({absl::StrCat(f.line), f.section, KindWord(f.kind), Tr(f.zh, f.en)});
    }
    if (!findings.empty()) t.Print(std::cout);
    const std::string outcome = disagreements == 0
                                    ? Tr("全部相符", "all agree")
                                    : Tr(absl::StrCat("发现 ", disagreements, " 处不一致"),
                                         absl::StrCat(disagreements, " disagreements"));
    std::cout << Tr(absl::StrCat("核对 ", figures, " 个数字（", a->agency, " ", a->year,
                                 "年度，账至日志位置 ", position, "）：", outcome, "\n"),
                    absl::StrCat("checked ", figures, " figures (", a->agency, " ", a->year,
                                 ", ledger at log position ", position, "): ", outcome, "\n"));
    if (disagreements > 0) throw Exit{kExitRejected, outcome};
  });
}

// Where and how a report goes: the terminal, or a file in a format.
struct OutputArgs {
  std::string format, out, encoding;

  void Add(CLI::App* cmd) {
    cmd->add_option(
        "--format", format,
        Tr("xlsx、csv、json、html 或 text（默认按 --out 的扩展名；无 --out 时在终端显示）",
           "xlsx, csv, json, html or text (default: --out's extension; the terminal "
           "without --out)"));
    cmd->add_option("--out", out, Tr("写入的文件", "the file to write"));
    cmd->add_option(
        "--encoding", encoding,
        Tr("CSV 的编码：utf-8-bom（写入文件时默认，Excel 可直接打开）、utf-8 或 gb18030",
           "CSV's encoding: utf-8-bom (the default into a file: Excel opens it), utf-8 "
           "or gb18030"));
  }

  // The format of --format, else of --out's extension, else the terminal's; Exit(kExitUsage)
  // for another, and for xlsx without a file.
  std::string Format() const {
    std::string f = absl::AsciiStrToLower(format);
    if (f.empty() && !out.empty()) {
      const size_t dot = out.rfind('.');
      f = dot == std::string::npos ? "" : absl::AsciiStrToLower(out.substr(dot + 1));
      if (f == "htm") f = "html";
    }
    if (f.empty()) f = "text";
    if (f != "text" && f != "xlsx" && f != "csv" && f != "json" && f != "html") {
      throw Exit{kExitUsage, Tr(absl::StrCat("--format：", domain::QuoteValue(f),
                                             " 不是可用的格式（xlsx、csv、json、html、text）"),
                                absl::StrCat("--format: ", domain::QuoteValue(f),
                                             " is not one of xlsx, csv, json, html, text"))};
    }
    if (f == "xlsx" && out.empty()) {
      throw Exit{kExitUsage, Tr("xlsx 须写入文件：请给出 --out 文件名.xlsx",
                                "xlsx goes into a file: give --out FILE.xlsx")};
    }
    return f;
  }

  // Writes `tables` in `format` (Format()) to the terminal or --out, saying what it wrote.
  void Emit(const std::string& format, const report::ReportSubject& subject,
            const std::vector<report::Table>& tables,
            const std::vector<report::Chart>& charts = {}) const {
    if (format == "xlsx") {
      const absl::Status written = report::WriteXlsx(subject, tables, out);
      if (!written.ok()) throw Exit{kExitUsage, std::string(written.message())};
    } else {
      std::string text = format == "csv"    ? report::Csv(subject, tables)
                         : format == "json" ? report::Json(subject, tables)
                         : format == "html" ? report::Html(subject, tables, charts)
                                            : report::Text(subject, tables);
      if (format == "csv") {
        const std::string chosen =
            !encoding.empty() ? encoding : (out.empty() ? "utf-8" : "utf-8-bom");
        absl::StatusOr<std::string> bytes = FromUtf8(std::move(text), chosen);
        if (!bytes.ok()) throw Exit{kExitUsage, std::string(bytes.status().message())};
        text = *std::move(bytes);
      }
      if (!WriteOut(out, text)) return;
    }
    std::cout << Tr(absl::StrCat("已将", subject.heading, " ", tables.size(), " 张表（", format,
                                 "，日志位置 ", subject.position, "）写入 ", out, "\n"),
                    absl::StrCat("wrote the ", tables.size(), " tables of ", subject.heading, " (",
                                 format, ", log position ", subject.position, ") to ", out, "\n"));
  }
};

struct FinalAccountsArgs {
  std::string agency;
  int year = 0;
  OutputArgs output;
};

void AddFinalAccounts(CLI::App& report, Cli& cli) {
  auto a = std::make_shared<FinalAccountsArgs>();
  auto* cmd = report.add_subcommand(
      "final-accounts",
      Tr("部门决算九张公开表（收入支出决算总表……国有资本经营预算财政拨款支出决算表），万元",
         "the nine 部门决算 disclosure tables (收入支出决算总表 … "
         "国有资本经营预算财政拨款支出决算表), "
         "万元"));
  cmd->add_option("--agency", a->agency, Tr("机构编号", "agency id"))->required();
  cmd->add_option("--year", a->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))->required();
  a->output.Add(cmd);
  cmd->callback([&cli, a] {
    const std::string format = a->output.Format();
    const std::optional<Book> year = BookOf(cli, a->agency, a->year, /*optional=*/false);
    const std::vector<report::Table> tables =
        LedgerTables(cli, a->agency, a->year, year->accounts, year->budget);
    std::string name = AgencyName(cli, a->agency);
    if (name.empty()) name = a->agency;
    // Last year's 决算 for the charts: its totals, without its budget.
    const std::optional<Book> last =
        BookOf(cli, a->agency, a->year - 1, /*optional=*/true, /*with_budget=*/false);
    a->output.Emit(format,
                   {absl::StrCat(name, " ", a->year, "年度部门决算"), a->agency, a->year,
                    year->accounts.position()},
                   tables,
                   report::FinalAccountsCharts(year->accounts, last ? &last->accounts : nullptr));
  });
}

struct StaffingStatsArgs {
  std::string jurisdiction;
  int year = 0;
  OutputArgs output;
};

void AddStaffingStats(CLI::App& report, Cli& cli) {
  auto a = std::make_shared<StaffingStatsArgs>();
  auto* cmd = report.add_subcommand(
      "staffing-stats",
      Tr("机构编制实名制年报（截至12月31日）：机构和编制、实有人员、空编超编、领导职数、全年增减员",
         "year-end 实名制 statistics (as of 31 December): agencies and quotas, people in post, "
         "vacancies and excess, leader posts, the year's 增员 and 减员"));
  cmd->add_option("--jurisdiction", a->jurisdiction, Tr("区域，如 西区", "jurisdiction, e.g. 西区"))
      ->required();
  cmd->add_option("--year", a->year, Tr("年度，如 2019", "year, e.g. 2019"))->required();
  a->output.Add(cmd);
  cmd->callback([&cli, a] {
    const std::string format = a->output.Format();
    api::GetStaffingRequest r;
    r.set_jurisdiction(a->jurisdiction);
    r.set_as_of_date(absl::StrCat(a->year, "-12-31"));
    r.set_changes_year(a->year);
    r.set_include_ceased(true);
    r.set_min_position(cli.min_position());
    const api::GetStaffingResponse staffing =
        cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
    a->output.Emit(format,
                   {absl::StrCat(a->jurisdiction, " ", a->year, "年机构编制实名制统计"),
                    a->jurisdiction, a->year, staffing.position()},
                   report::StaffingStatsTables(staffing));
  });
}

struct NarrativeArgs {
  std::string agency, out;
  int year = 0;
};

// report narrative: the figures the 情况说明 should quote, from the ledger, as a claims file.
void AddNarrative(CLI::App& report, Cli& cli) {
  auto a = std::make_shared<NarrativeArgs>();
  auto* cmd = report.add_subcommand(
      "narrative",
      Tr("情况说明应引用的数字（由账生成，格式同 reconcile 的 "
         "--claims）：收支总计及增减、收支结构与占比……",
         "the figures the 情况说明 should quote, from the ledger, in reconcile's --claims "
         "format"));
  cmd->add_option("--agency", a->agency, Tr("机构编号", "agency id"))->required();
  cmd->add_option("--year", a->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))->required();
  cmd->add_option("--out", a->out,
                  Tr("写入的文件（默认输出到终端）", "the file to write (default: stdout)"));
  cmd->callback([&cli, a] {
    if (!WriteOut(a->out, reconcile::ClaimsOf(YearsOf(cli, a->agency, a->year).Ledger()))) return;
    std::cout << Tr(
        absl::StrCat("已将 ", a->agency, " ", a->year, "年度情况说明的数字写入 ", a->out, "\n"),
        absl::StrCat("wrote the figures of ", a->agency, "'s ", a->year, " narrative to ", a->out,
                     "\n"));
  });
}

struct PowersArgs {
  std::string as_of, holder;
  OutputArgs output;
};

// The names of the departments the listed items were passed on by: from the holders listed,
// else asked of the staffing read model, one agency a call (a district has a few dozen).
std::map<std::string, std::string> DelegatingNames(Cli& cli,
                                                   const api::ListPowersResponse& powers) {
  std::map<std::string, std::string> names;
  for (const api::PowerHolding& p : powers.items()) {
    if (!p.holder_name().empty()) names.emplace(p.holder_agency_id(), p.holder_name());
  }
  for (const api::PowerHolding& p : powers.items()) {
    const std::string& id = p.delegated_by_agency_id();
    if (id.empty() || names.contains(id)) continue;
    names[id] = AgencyName(cli, id);
  }
  return names;
}

void AddPowerList(CLI::App& report, Cli& cli) {
  auto a = std::make_shared<PowersArgs>();
  auto* cmd = report.add_subcommand(
      "powers", Tr("权责清单公开表：汇总及各实施主体的事项（类别、行使方式、设定依据）",
                   "the 权责清单 for publication: a summary and each holder's items (category, "
                   "mode, legal basis)"));
  cmd->add_option("--as-of", a->as_of,
                  Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  cmd->add_option("--holder", a->holder,
                  Tr("只列此实施主体（机构编号）", "only this holder (agency id)"));
  a->output.Add(cmd);
  cmd->callback([&cli, a] {
    const std::string format = a->output.Format();
    api::ListPowersRequest r;
    r.set_as_of_date(a->as_of);
    r.set_holder_agency_id(a->holder);
    r.set_min_position(cli.min_position());
    const api::ListPowersResponse powers = ListAllPowers(cli, r);
    a->output.Emit(format,
                   {absl::StrCat(a->holder.empty() ? "" : absl::StrCat(a->holder, " "),
                                 "权责清单（", powers.as_of_date(), "）"),
                    a->holder, 0, powers.position()},
                   report::PowerListTables(powers, DelegatingNames(cli, powers)));
  });
}

}  // namespace

void AddReportCommands(CLI::App& app, Cli& cli) {
  CLI::App& report =
      *app.add_subcommand("report", Tr("报告：部门决算公开表；核对决算报告",
                                       "reports: the 部门决算 tables; reconcile a 决算 report"))
           ->require_subcommand(1);
  AddFinalAccounts(report, cli);
  AddStaffingStats(report, cli);
  AddPowerList(report, cli);
  AddNarrative(report, cli);
  AddReconcile(report, cli);
}

}  // namespace reformlog::ctl
