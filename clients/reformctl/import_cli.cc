// reformctl import KIND FILE.csv — a staff roster (实名制), a power list (权力清单) or budget
// lines, from UTF-8 or GB18030 CSV.
//
//   1. Every row is checked here (header, required fields, categories, amounts) and every
//      bad row is reported with its line number and reason.
//   2. The rows are grouped into commands (a roster by agency, at most kRowsPerCommandMax
//      rows a command) and each is sent as a dry run: the server decides it against the
//      current state and says what it would refuse, naming the people/items, which map back
//      to lines.
//   3. Only with --commit, and only when nothing is wrong (or with --skip-bad, which leaves
//      the bad rows out and lists them), the commands are sent for real.
//
// Request ids derive from each command's content, so running the same import again writes
// nothing new: every command is answered as already recorded. Rows already recorded (people
// in post at their agency under their category) are left out before the commands are planned,
// so a re-run after fixing what --skip-bad skipped imports exactly what is missing.
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "base/message_digest.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/progress.h"
#include "clients/reformctl/text_encoding.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// Rows a single command carries (the server's kPersonsPerCommandMax and
// kPowerItemsPerCommandMax are 1000).
constexpr size_t kRowsPerCommandMax = 1'000;
// Commands in flight at once: enough to fill the server's group commit.
constexpr int kCommandsInFlight = 8;
// People read a page at a time when finding who is in post already (the server's limit is
// 10,000).
constexpr int32_t kPeoplePageMax = 5'000;
// A file larger than this is refused before reading (a roster of 100,000 rows is ~10 MB).
constexpr size_t kFileBytesMax = 512u << 20;

using Row = CsvRow;

// The columns of one kind of file: English names, the Chinese ones users also write. A column
// `export` writes beside them is known and left unread (`ignored`), so an exported file imports
// as it is.
struct Column {
  const char* name;
  const char* chinese;
  bool required;
  bool ignored = false;
};

struct Kind {
  const char* name;
  std::vector<Column> columns;
};

const std::vector<Kind>& Kinds() {
  static const auto* kinds = new std::vector<Kind>{
      {"roster",
       {{"person_id", "人员编号", true},
        {"name", "姓名", true},
        {"agency_id", "单位编号", true},
        {"category", "编制类别", true},
        {"post", "岗位", false},
        // 增员原因; empty: 首次登记 (a roster import is most often the staff already in post).
        {"entry_reason", "增员原因", false},
        {"leader_rank", "领导职务层次", false, true},
        {"leader_title", "领导职务", false, true}}},
      {"powers",
       {{"code", "事项编码", true},
        {"name", "事项名称", true},
        {"category", "权力类别", true},
        {"holder_agency_id", "实施主体", true},
        {"legal_basis", "设定依据", false},
        {"department_id", "主管部门编号", false, true},
        {"holder_name", "实施主体名称", false, true},
        {"held_as", "行使方式", false, true},
        {"delegated_by_agency_id", "下放部门编号", false, true},
        {"acts_in_name_of_agency_id", "以其名义行使的单位编号", false, true},
        {"since_date", "起始日期", false, true},
        {"since_basis", "起始文号", false, true},
        {"since_event", "起始事件", false, true},
        {"since_position", "起始日志位置", false, true}}},
      {"budget",
       {{"agency_id", "单位编号", true},
        {"fiscal_year", "年度", true},
        {"fund_source", "资金来源", true},
        {"function_code", "功能分类", true},
        {"economic_code", "经济分类", true},
        {"kind", "支出类型", true},
        {"project_id", "项目编号", false},
        {"amount_yuan", "金额", true}}},
  };
  return *kinds;
}

// Column index by name for a file's header; INVALID_ARGUMENT naming unknown and missing ones.
absl::StatusOr<std::vector<int>> MapHeader(const Kind& kind, const Row& header) {
  std::vector<int> index(kind.columns.size(), -1);
  std::vector<std::string> unknown;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name(absl::StripAsciiWhitespace(header.fields[c]));
    bool known = false;
    for (size_t k = 0; k < kind.columns.size(); ++k) {
      if (name == kind.columns[k].name || name == kind.columns[k].chinese) {
        index[k] = static_cast<int>(c);
        known = true;
      }
    }
    if (!known) unknown.push_back(name);
  }
  std::vector<std::string> missing;
  for (size_t k = 0; k < kind.columns.size(); ++k) {
    if (kind.columns[k].required && index[k] < 0) {
      missing.push_back(absl::StrCat(kind.columns[k].name, " (", kind.columns[k].chinese, ")"));
    }
  }
  if (!unknown.empty() || !missing.empty()) {
    std::string message = Tr("第 1 行（表头）：", "line 1 (header):");
    if (!missing.empty()) {
      absl::StrAppend(&message, Tr("缺少列 ", " missing column "), absl::StrJoin(missing, ", "),
                      Tr("；", ";"));
    }
    if (!unknown.empty()) {
      absl::StrAppend(&message, Tr("无法识别的列 ", " unknown column "),
                      absl::StrJoin(unknown, ", "), Tr("；", ";"));
    }
    std::vector<std::string> expected;
    for (const Column& c : kind.columns) {
      if (!c.ignored) expected.emplace_back(c.name);
    }
    absl::StrAppend(&message, Tr("应有的列：", " expected "), absl::StrJoin(expected, ","));
    return absl::InvalidArgumentError(message);
  }
  return index;
}

// One command to send: its request, the rows it carries, and the ids that name them.
struct Batch {
  std::unique_ptr<google::protobuf::Message> request;
  std::vector<const Row*> rows;
  // Per row: the ways server messages name it ("person-p1" in English, "人员 p1" in Chinese).
  std::vector<std::vector<std::string>> ids;
  std::string label;
  std::string agency_id;  // roster: the agency every row is registered into
};

// Whether `message` names `id` whole: not followed by another character of an id.
bool Names(absl::string_view message, absl::string_view id) {
  for (size_t at = message.find(id); at != absl::string_view::npos; at = message.find(id, at + 1)) {
    const absl::string_view rest = message.substr(at + id.size());
    const bool id_goes_on =
        !rest.empty() && (absl::ascii_isalnum(static_cast<unsigned char>(rest[0])) ||
                          rest[0] == '-' || rest[0] == '_' || rest[0] == '.');
    if (!id_goes_on) return true;
  }
  return false;
}

// The id of a command: the first 24 hex digits of the fingerprint of what it asks (its request
// without the header: base/message_digest.h), so the same rows always travel under the same id
// and a changed batch under a new one.
std::string ContentDigest(const google::protobuf::Message& request) {
  return MessageDigestHex(request).substr(0, 24);
}

class Importer {
 public:
  Importer(Cli& cli, const Kind& kind, std::vector<int> columns)
      : cli_(cli), kind_(kind), columns_(std::move(columns)) {}

  std::string Field(const Row& row, const char* name) const {
    for (size_t k = 0; k < kind_.columns.size(); ++k) {
      if (std::string(kind_.columns[k].name) == name) {
        const int c = columns_[k];
        return c >= 0 && static_cast<size_t>(c) < row.fields.size()
                   ? std::string(absl::StripAsciiWhitespace(row.fields[static_cast<size_t>(c)]))
                   : std::string();
      }
    }
    return "";
  }

  // Local checks of one row; empty when good.
  std::string Check(const Row& row) const {
    std::vector<std::string> problems;
    for (const Column& c : kind_.columns) {
      if (c.required && Field(row, c.name).empty())
        problems.push_back(CurrentLang() == Lang::kZh ? absl::StrCat(c.chinese, "为空")
                                                      : absl::StrCat(c.name, " is empty"));
    }
    auto enum_ok = [&](const google::protobuf::EnumDescriptor* d, const char* column) {
      const std::string v = Field(row, column);
      if (v.empty()) return;
      absl::StatusOr<int> parsed = ParseEnumValue(d, v);
      if (!parsed.ok()) problems.push_back(absl::StrCat(column, ": ", parsed.status().message()));
    };
    const std::string kind = kind_.name;
    if (kind == "roster") {
      enum_ok(pb::QuotaCategory_descriptor(), "category");
      enum_ok(pb::EntryReason_descriptor(), "entry_reason");
    }
    if (kind == "powers") enum_ok(pb::PowerCategory_descriptor(), "category");
    if (kind == "budget") {
      enum_ok(pb::FundSource_descriptor(), "fund_source");
      enum_ok(pb::ExpenditureKind_descriptor(), "kind");
      int year = 0;
      if (!absl::SimpleAtoi(Field(row, "fiscal_year"), &year))
        problems.emplace_back(Tr("年度不是年份", "fiscal_year is not a year"));
      const std::string amount = Field(row, "amount_yuan");
      if (!amount.empty() && !ParseYuan(amount).ok()) {
        problems.push_back(absl::StrCat(
            Tr("金额 \"", "amount_yuan \""), amount,
            Tr("\" 不是以元为单位、至多两位小数的金额", "\" is not 元 with at most two decimals")));
      }
    }
    return absl::StrJoin(problems, Tr("；", "; "));
  }

  std::vector<Batch> Plan(const std::vector<const Row*>& rows) const {
    std::vector<Batch> batches;
    const std::string kind = kind_.name;
    if (kind == "roster") {
      std::map<std::string, std::vector<const Row*>> by_agency;
      for (const Row* row : rows) by_agency[Field(*row, "agency_id")].push_back(row);
      for (const auto& [agency, agency_rows] : by_agency) {
        for (size_t start = 0; start < agency_rows.size(); start += kRowsPerCommandMax) {
          auto request = std::make_unique<api::RegisterPersonsRequest>();
          Batch b;
          for (size_t i = start; i < std::min(agency_rows.size(), start + kRowsPerCommandMax);
               ++i) {
            const Row& row = *agency_rows[i];
            api::PersonToRegister* p = request->add_persons();
            p->set_person_id(Field(row, "person_id"));
            p->set_name(Field(row, "name"));
            p->set_agency_id(agency);
            p->set_category(static_cast<pb::QuotaCategory>(
                *ParseEnumValue(pb::QuotaCategory_descriptor(), Field(row, "category"))));
            p->set_post(Field(row, "post"));
            const std::string reason = Field(row, "entry_reason");
            p->set_entry_reason(reason.empty() ? pb::EXISTING_STAFF
                                               : static_cast<pb::EntryReason>(*ParseEnumValue(
                                                     pb::EntryReason_descriptor(), reason)));
            b.rows.push_back(&row);
            b.ids.push_back(
                {absl::StrCat("person-", p->person_id()), absl::StrCat("人员 ", p->person_id())});
          }
          b.agency_id = agency;
          b.label = absl::StrCat(agency, Tr("（", " ("), b.rows.size(), Tr(" 人）", " people)"));
          b.request = std::move(request);
          batches.push_back(std::move(b));
        }
      }
    } else if (kind == "powers") {
      for (size_t start = 0; start < rows.size(); start += kRowsPerCommandMax) {
        auto request = std::make_unique<api::CatalogPowersRequest>();
        Batch b;
        for (size_t i = start; i < std::min(rows.size(), start + kRowsPerCommandMax); ++i) {
          const Row& row = *rows[i];
          api::PowerItem* item = request->add_items();
          item->set_code(Field(row, "code"));
          item->set_name(Field(row, "name"));
          item->set_category(static_cast<pb::PowerCategory>(
              *ParseEnumValue(pb::PowerCategory_descriptor(), Field(row, "category"))));
          item->set_holder_agency_id(Field(row, "holder_agency_id"));
          item->set_legal_basis(Field(row, "legal_basis"));
          b.rows.push_back(&row);
          b.ids.push_back(
              {absl::StrCat("power-", item->code()), absl::StrCat("权力事项 ", item->code())});
        }
        b.label = absl::StrCat(Tr("事项 ", "items "), start + 1, "–", start + b.rows.size());
        b.request = std::move(request);
        batches.push_back(std::move(b));
      }
    } else {
      for (const Row* row : rows) {
        auto request = std::make_unique<api::AppropriateRequest>();
        request->set_agency_id(Field(*row, "agency_id"));
        int year = 0;
        (void)absl::SimpleAtoi(Field(*row, "fiscal_year"), &year);
        request->set_fiscal_year(year);
        pb::BudgetLine* line = request->mutable_line();
        line->set_fund_source(static_cast<pb::FundSource>(
            *ParseEnumValue(pb::FundSource_descriptor(), Field(*row, "fund_source"))));
        line->set_function_code(Field(*row, "function_code"));
        line->set_economic_code(Field(*row, "economic_code"));
        line->set_kind(static_cast<pb::ExpenditureKind>(
            *ParseEnumValue(pb::ExpenditureKind_descriptor(), Field(*row, "kind"))));
        line->set_project_id(Field(*row, "project_id"));
        request->set_amount_fen(*ParseYuan(Field(*row, "amount_yuan")));
        Batch b;
        b.rows.push_back(row);
        b.ids.push_back({request->agency_id()});
        b.label = absl::StrCat(Tr("第 ", "line "), row->line, Tr(" 行", ""));
        b.request = std::move(request);
        batches.push_back(std::move(b));
      }
    }
    for (size_t i = 0; i < batches.size(); ++i) {
      batches[i].label =
          absl::StrCat(Tr("第 ", "command "), i + 1, Tr(" 条命令：", ": "), batches[i].label);
    }
    return batches;
  }

  // The rows of `rows` already recorded: for a roster, people in post at the row's agency
  // under the row's category (read page by page, an agency at a time).
  std::set<const Row*> AlreadyRecorded(const std::vector<const Row*>& rows) {
    std::set<const Row*> recorded;
    if (std::string(kind_.name) != "roster") return recorded;
    std::map<std::string, std::vector<const Row*>> by_agency;
    for (const Row* row : rows) by_agency[Field(*row, "agency_id")].push_back(row);
    client::ReformlogClient& c = cli_.client();
    for (const auto& [agency, agency_rows] : by_agency) {
      std::map<std::string, pb::QuotaCategory> in_post;
      api::ListPeopleRequest request;
      request.set_agency_id(agency);
      request.set_max_count(kPeoplePageMax);
      do {
        absl::StatusOr<api::ListPeopleResponse> page =
            c.Call(c.staffing_queries(), &api::StaffingQueries::Stub::ListPeople, request);
        if (!page.ok()) break;  // an unknown agency: the server's verdict will say so
        for (const api::PersonSummary& p : page->people()) in_post[p.person_id()] = p.category();
        request.set_after_person_id(page->next_after_person_id());
      } while (!request.after_person_id().empty());
      for (const Row* row : agency_rows) {
        auto it = in_post.find(Field(*row, "person_id"));
        if (it != in_post.end() &&
            static_cast<int>(it->second) ==
                *ParseEnumValue(pb::QuotaCategory_descriptor(), Field(*row, "category"))) {
          recorded.insert(row);
        }
      }
    }
    return recorded;
  }

  // For a roster batch the server refused without naming its people: the rows beyond the
  // agency's vacancies, each with why (in the order of the file, per category); empty when
  // the vacancies are enough (the refusal is about something else).
  std::map<const Row*, std::string> BeyondVacancies(const Batch& batch) {
    std::map<const Row*, std::string> beyond;
    if (batch.agency_id.empty()) return beyond;
    api::GetStaffingRequest request;
    request.set_agency_id(batch.agency_id);
    client::ReformlogClient& c = cli_.client();
    absl::StatusOr<api::GetStaffingResponse> staffing =
        c.Call(c.staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, request);
    if (!staffing.ok() || staffing->agencies().empty()) return beyond;
    std::map<int, int64_t> vacant;
    for (const api::QuotaFigures& q : staffing->agencies(0).quotas()) {
      vacant[static_cast<int>(q.category())] = q.vacancies();
    }
    std::map<int, int64_t> taken;
    for (const Row* row : batch.rows) {
      const int category = *ParseEnumValue(pb::QuotaCategory_descriptor(), Field(*row, "category"));
      if (++taken[category] > vacant[category]) {
        beyond[row] = absl::StrCat(
            staffing->agencies(0).name().empty() ? batch.agency_id : staffing->agencies(0).name(),
            Tr("", " "), EnumLabel(pb::QuotaCategory_descriptor(), category), Tr("空编 ", ": "),
            vacant[category],
            Tr(" 名，本文件中登记到该单位该类别的第 ", " vacancies; this is row "), taken[category],
            Tr(" 人超出空编（超编）", " into it in the file (超编)"));
      }
    }
    return beyond;
  }

  // Sends one batch (dry run or for real) under `header`; the result or the server's refusal.
  absl::StatusOr<api::CommandResult> Send(const Batch& batch, api::CommandHeader header,
                                          bool dry_run) {
    header.set_request_id(absl::StrCat("import-", kind_.name, "-", ContentDigest(*batch.request)));
    header.set_dry_run(dry_run);
    client::ReformlogClient& c = cli_.client();
    if (auto* r = dynamic_cast<api::RegisterPersonsRequest*>(batch.request.get())) {
      api::RegisterPersonsRequest request = *r;
      *request.mutable_header() = header;
      return c.Call(c.staffing(), &api::StaffingCommands::Stub::RegisterPersons, request);
    }
    if (auto* r = dynamic_cast<api::CatalogPowersRequest*>(batch.request.get())) {
      api::CatalogPowersRequest request = *r;
      *request.mutable_header() = header;
      return c.Call(c.powers(), &api::PowerCommands::Stub::CatalogPowers, request);
    }
    api::AppropriateRequest request = *dynamic_cast<api::AppropriateRequest*>(batch.request.get());
    *request.mutable_header() = header;
    return c.Call(c.budget(), &api::BudgetCommands::Stub::Appropriate, request);
  }

 private:
  Cli& cli_;
  const Kind& kind_;
  std::vector<int> columns_;
};

// Runs `send` over every batch with kCommandsInFlight at once, in order of index.
std::vector<absl::StatusOr<api::CommandResult>> SendAll(
    std::vector<Batch>& batches, const std::string& what,
    const std::function<absl::StatusOr<api::CommandResult>(const Batch&, size_t)>& send) {
  std::vector<absl::StatusOr<api::CommandResult>> results(batches.size(),
                                                          absl::UnknownError("not sent"));
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  Progress progress(what, batches.size());
  std::vector<std::thread> workers;
  workers.reserve(kCommandsInFlight);
  for (int w = 0; w < kCommandsInFlight; ++w) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < batches.size(); i = next++) {
        try {
          results[i] = send(batches[i], i);
        } catch (const Exit& e) {
          results[i] = absl::InvalidArgumentError(e.message);
        }
        progress.Update(++done);
      }
    });
  }
  for (std::thread& t : workers) t.join();
  return results;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Exit{kExitUsage, absl::StrCat("cannot read ", path)};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<size_t>(size) > kFileBytesMax) {
    throw Exit{kExitUsage, absl::StrCat(path, " is larger than ", kFileBytesMax >> 20, " MiB")};
  }
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), size);
  return bytes;
}

struct ImportArgs {
  std::string kind, file, encoding = "auto";
  bool commit = false;
  bool skip_bad = false;
};

int Import(Cli& cli, const ImportArgs& args) {
  if (cli.dry_run() && args.commit) {
    throw Exit{kExitUsage,
               Tr("--dry-run 与 import --commit 相互矛盾（不给 --commit 的导入就是试算）",
                  "--dry-run and import --commit contradict each other (an import "
                  "without --commit is a dry run)")};
  }
  const Kind* kind = nullptr;
  for (const Kind& k : Kinds()) kind = args.kind == k.name ? &k : kind;
  if (kind == nullptr) {
    throw Exit{kExitUsage, absl::StrCat(Tr("import：类型 \"", "import: KIND \""), args.kind,
                                        Tr("\" 不是 roster、powers 或 budget",
                                           "\" is not roster, powers or budget"))};
  }
  // Every command rests on the document: a missing --basis is one usage error, before any row.
  const api::CommandHeader header = cli.Header();
  const std::string bytes = ReadFile(args.file);
  absl::StatusOr<std::string> text = ToUtf8(bytes, args.encoding);
  if (!text.ok()) throw Exit{kExitUsage, absl::StrCat(args.file, ": ", text.status().message())};
  absl::StatusOr<std::vector<Row>> rows = ParseCsv(*text);
  if (!rows.ok()) throw Exit{kExitUsage, absl::StrCat(args.file, ": ", rows.status().message())};
  if (rows->empty()) throw Exit{kExitUsage, absl::StrCat(args.file, Tr(" 是空文件", " is empty"))};
  absl::StatusOr<std::vector<int>> columns = MapHeader(*kind, rows->front());
  if (!columns.ok())
    throw Exit{kExitUsage, absl::StrCat(args.file, ": ", columns.status().message())};

  Importer importer(cli, *kind, *columns);
  std::map<int, std::string> bad;  // line → reasons
  std::vector<const Row*> good;
  std::set<std::string> seen_ids;
  for (size_t i = 1; i < rows->size(); ++i) {
    const Row& row = (*rows)[i];
    std::string problem = importer.Check(row);
    const std::string id =
        std::string(kind->name) == "budget" ? "" : importer.Field(row, kind->columns[0].name);
    if (problem.empty() && !id.empty() && !seen_ids.insert(id).second) {
      problem = absl::StrCat(kind->columns[0].name, " ", id,
                             Tr(" 在文件中前面已出现过", " appears earlier in the file"));
    }
    if (problem.empty()) {
      good.push_back(&row);
    } else {
      bad[row.line] = problem;
    }
  }
  // Rows recorded by an earlier run of this import (or otherwise) are not sent again.
  const std::set<const Row*> recorded = importer.AlreadyRecorded(good);
  if (!recorded.empty()) {
    std::vector<const Row*> missing;
    for (const Row* row : good) {
      if (!recorded.contains(row)) missing.push_back(row);
    }
    good = std::move(missing);
  }

  // The server's verdict on every command, without recording anything.
  std::vector<Batch> batches = importer.Plan(good);
  std::vector<absl::StatusOr<api::CommandResult>> verdicts =
      SendAll(batches, Tr("检查", "checking"),
              [&](const Batch& b, size_t) { return importer.Send(b, header, /*dry_run=*/true); });
  size_t already = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (verdicts[i].ok()) {
      if (!verdicts[i]->replayed() && !verdicts[i]->dry_run()) {
        // A server from before dry runs ignores the flag and records the command.
        throw Exit{
            kExitRejected,
            absl::StrCat("reformd at ", cli.server(), " does not support dry runs and recorded ",
                         batches[i].label, " at position ", verdicts[i]->position(),
                         "; upgrade reformd before importing")};
      }
      already += verdicts[i]->replayed() ? 1 : 0;
      continue;
    }
    cli.Check(verdicts[i].status().code() == absl::StatusCode::kUnavailable ||
                      verdicts[i].status().code() == absl::StatusCode::kDeadlineExceeded
                  ? verdicts[i].status()
                  : absl::OkStatus());
    const std::string message(verdicts[i].status().message());
    bool named = false;
    for (size_t r = 0; r < batches[i].rows.size(); ++r) {
      for (const std::string& id : batches[i].ids[r]) {
        if (!Names(message, id)) continue;
        bad[batches[i].rows[r]->line] = message;
        named = true;
        break;
      }
    }
    if (named) continue;
    // Not about particular rows: about the agency's vacancies, name the rows beyond them.
    const std::map<const Row*, std::string> beyond = importer.BeyondVacancies(batches[i]);
    for (const auto& [row, why] : beyond) bad[row->line] = why;
    if (beyond.empty()) {
      for (const Row* row : batches[i].rows) {
        bad[row->line] = absl::StrCat(batches[i].label, Tr(" 被拒绝：", " refused: "), message);
      }
    }
  }

  for (const auto& [line, reason] : bad) {
    std::cerr << args.file << ":" << line << ": " << reason << "\n";
  }
  const size_t total_rows = rows->size() - 1;
  if (!bad.empty() && !args.skip_bad) {
    std::cerr << total_rows << Tr(" 行中有 ", " rows: ") << bad.size()
              << Tr(" 行有误，未写入任何内容（改正后重新导入，或加 --skip-bad 只导入其余各行）\n",
                    " are bad; nothing was written (fix them, or give --skip-bad to import the "
                    "rest)\n");
    return kExitRejected;
  }
  const size_t to_import = total_rows - bad.size() - recorded.size();
  if (!args.commit) {
    std::cout << Tr("试算：", "dry run: ") << to_import << Tr(" 行（", " rows in ")
              << batches.size() << Tr(" 条命令）将导入；", " commands would be imported; ")
              << recorded.size() << Tr(" 行此前已记录", " rows were recorded before");
    if (already > 0) {
      std::cout << Tr("，", ", ") << already
                << Tr(" 条命令此前已作答", " commands were answered before");
    }
    std::cout << Tr("；未写入任何内容。加 --commit 导入。\n",
                    "; nothing was written. Give --commit to import.\n");
    return kExitOk;
  }
  if (!bad.empty()) {
    // --skip-bad: drop the bad rows and plan again.
    std::vector<const Row*> keep;
    for (const Row* row : good) {
      if (!bad.contains(row->line)) keep.push_back(row);
    }
    batches = importer.Plan(keep);
    std::cerr << Tr("跳过 ", "skipping ") << bad.size()
              << Tr(" 行有误的行（见上）\n", " bad rows (listed above)\n");
  }
  std::vector<absl::StatusOr<api::CommandResult>> results =
      SendAll(batches, Tr("导入", "importing"),
              [&](const Batch& b, size_t) { return importer.Send(b, header, /*dry_run=*/false); });
  size_t written = 0;
  size_t replayed = 0;
  size_t rows_written = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (!results[i].ok()) {
      std::cerr << batches[i].label << ": " << results[i].status().message() << "\n";
      std::cerr << Tr("导入中途停止：此前已记录 ", "import stopped part way: ") << written
                << Tr(" 条命令\n", " commands were recorded before this one\n");
      cli.Check(results[i].status());
    }
    if (results[i]->replayed()) {
      ++replayed;
    } else {
      ++written;
      rows_written += batches[i].rows.size();
    }
  }
  std::cout << Tr("已导入 ", "imported ") << rows_written << Tr(" 行（", " rows in ") << written
            << Tr(" 条命令）", " commands");
  if (recorded.size() + replayed > 0) {
    std::cout << Tr("；", "; ") << recorded.size()
              << Tr(" 行此前已记录", " rows were recorded before");
    if (replayed > 0) {
      std::cout << Tr("，", ", ") << replayed
                << Tr(" 条命令此前已作答", " commands were answered before");
    }
  }
  if (!bad.empty()) {
    std::cout << Tr("；跳过有误的 ", "; ") << bad.size() << Tr(" 行", " bad rows skipped");
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<ImportArgs>();
  auto* import = app.add_subcommand("import",
                                    "import a CSV file: roster (实名制), powers (权力清单) or "
                                    "budget (lines); a dry run unless --commit");
  import
      ->add_option("kind", args->kind,
                   Tr("类型：roster（实名制名册）、powers（权力清单）或 budget（预算科目）",
                      "roster, powers or budget"))
      ->required();
  import
      ->add_option("file", args->file,
                   Tr("CSV 文件（UTF-8 或 GB18030；第一行为列名）",
                      "the CSV file (UTF-8 or GB18030; first row: the column names)"))
      ->required();
  import
      ->add_option("--encoding", args->encoding,
                   Tr("文件编码：utf-8、gb18030 或 auto（自动识别）", "utf-8, gb18030 or auto"))
      ->capture_default_str();
  import->add_flag(
      "--commit", args->commit,
      Tr("写入（默认只检查每一行，不写入）", "write (default: check every row and write nothing)"));
  import->add_flag("--skip-bad", args->skip_bad,
                   Tr("导入无误的行，列出有误的行", "import the good rows and list the bad ones"));
  import->callback([&cli, args] {
    const int code = Import(cli, *args);
  if (code != kExitOk) throw Exit{code, ""};
});
}  // namespace reformlog::ctl

}  // namespace reformlog::ctl
