// reformctl agency …, division …, quota … (OrgCommands) and tree, show, lineage, diff
// (OrgQueries): the organisation context — agencies, their 三定, divisions and quota.
#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/option_values.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

struct SpecOptions {
  std::string id, name, kind, rank, parent, funding, jurisdiction, role;
  bool civil_servant = false;

  void Add(CLI::App* cmd, const std::string& prefix = "") {
    cmd->add_option("--" + prefix + "id", id,
                    Tr("机构编号（字母、数字和 . _ -）", "agency id (letters, digits, . _ -)"))
        ->required();
    cmd->add_option("--" + prefix + "name", name, Tr("机构全称", "full name"))->required();
    cmd->add_option("--" + prefix + "kind", kind, "党委部门, 政府部门, 事业单位, 乡镇, 街道, …")
        ->required();
    cmd->add_option("--" + prefix + "rank", rank, "规格: 正处级, 正科级, 副科级, 股级, …")
        ->required();
    cmd->add_option("--" + prefix + "parent", parent, Tr("上级机构编号", "the body it belongs to"));
    cmd->add_option("--" + prefix + "funding", funding,
                    "经费形式 of a 事业单位: 全额拨款, 差额拨款, 自收自支");
    cmd->add_option("--" + prefix + "jurisdiction", jurisdiction, Tr("地区，如 西区", "e.g. 西区"));
    cmd->add_option("--" + prefix + "role", role, "综合行政执法局 or 行政审批局");
    cmd->add_flag("--" + prefix + "civil-servant-managed", civil_servant, "参公 (a 事业单位 only)");
  }

  api::AgencySpec Spec() const {
    api::AgencySpec s;
    s.set_agency_id(id);
    s.set_name(name);
    s.set_kind(ParseEnum<pb::AgencyKind>("--kind", kind));
    s.set_rank(ParseEnum<pb::Rank>("--rank", rank));
    s.set_parent_id(parent);
    if (!funding.empty()) s.set_funding_form(ParseEnum<pb::FundingForm>("--funding", funding));
    s.set_jurisdiction(jurisdiction);
    if (!role.empty()) s.set_role(ParseEnum<pb::AgencyRole>("--role", role));
    s.set_civil_servant_managed(civil_servant);
    return s;
  }
};

// A change's kind as the API codes it (DiffEntry.kind, LineageStep.kind), in the words of the
// field in Chinese; the code itself in English.
std::string KindWord(const std::string& kind) {
  if (CurrentLang() == Lang::kEn) return kind;
  static const auto* words = new std::map<std::string, std::string>{
      {"founded", "设立"},   {"ceased", "撤并"},         {"renamed", "更名"},
      {"moved", "隶属调整"}, {"reranked", "规格调整"},   {"names", "牌子变动"},
      {"merger", "合并"},    {"absorption", "吸收合并"}, {"split", "分设"},
      {"abolition", "撤销"}};
  auto it = words->find(kind);
  return it == words->end() ? kind : it->second;
}

std::string Describe(const api::AgencySummary& a) {
  std::string s = absl::StrCat(a.name(), " [", Label(a.kind()), " ", Label(a.rank()), "]");
  if (a.extra_names_size() > 0) absl::StrAppend(&s, " 挂: ", absl::StrJoin(a.extra_names(), "、"));
  if (a.ceased()) absl::StrAppend(&s, " (", a.ceased_how(), " ", a.ceased_on(), ")");
  return s;
}

// agency establish
void AddEstablishAgency(CLI::App& agency, Cli& cli) {
  auto* establish = agency.add_subcommand("establish", Tr("机构设立", "set up a new agency"));
  auto spec = std::make_shared<SpecOptions>();
  spec->Add(establish);
  establish->callback([&cli, spec] {
    api::EstablishAgencyRequest r;
    *r.mutable_agency() = spec->Spec();
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::EstablishAgency, r);
  });
}

// agency rename
void AddRenameAgency(CLI::App& agency, Cli& cli) {
  auto* rename = agency.add_subcommand(
      "rename", Tr("机构更名（机构编号不变）", "rename an agency (it keeps its identity)"));
  auto rename_args = std::make_shared<std::pair<std::string, std::string>>();
  rename->add_option("agency", rename_args->first, Tr("机构编号", "agency id"))->required();
  rename->add_option("new-name", rename_args->second, Tr("新名称（全称）", "the new full name"))
      ->required();
  rename->callback([&cli, rename_args] {
    api::RenameAgencyRequest r;
    r.set_agency_id(rename_args->first);
    r.set_new_name(rename_args->second);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::RenameAgency, r);
  });
}

// agency add-name (挂牌) when `add`, agency remove-name (摘牌) otherwise
void AddExtraName(CLI::App& agency, Cli& cli, bool add) {
  auto* cmd = agency.add_subcommand(
      add ? "add-name" : "remove-name",
      add ? Tr("加挂牌子：机构另挂一块牌子", "挂牌: the agency also carries a name")
          : Tr("摘除牌子", "摘牌"));
  auto args = std::make_shared<std::pair<std::string, std::string>>();
  cmd->add_option("agency", args->first, Tr("机构编号", "agency id"))->required();
  cmd->add_option("name", args->second, Tr("加挂或摘除的牌子名称", "the extra name (挂牌)"))
      ->required();
  cmd->callback([&cli, args, add] {
    api::ExtraNameRequest r;
    r.set_agency_id(args->first);
    r.set_name(args->second);
    cli.Command(
        cli.client().org(),
        add ? &api::OrgCommands::Stub::AddExtraName : &api::OrgCommands::Stub::RemoveExtraName, r);
  });
}

// agency move
void AddReparentAgency(CLI::App& agency, Cli& cli) {
  auto* move = agency.add_subcommand(
      "move", Tr("调整隶属关系：归入另一上级机构", "put an agency under another parent"));
  auto move_args = std::make_shared<std::pair<std::string, std::string>>();
  move->add_option("agency", move_args->first, Tr("机构编号", "agency id"))->required();
  move->add_option("--parent", move_args->second,
                   Tr("新的上级机构编号（空：不隶属任何机构）", "the new parent (empty: a root)"))
      ->required();
  move->callback([&cli, move_args] {
    api::ReparentAgencyRequest r;
    r.set_agency_id(move_args->first);
    r.set_new_parent_id(move_args->second);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::ReparentAgency, r);
  });
}

// agency rerank
void AddRerankAgency(CLI::App& agency, Cli& cli) {
  auto* rerank = agency.add_subcommand("rerank", Tr("调整机构规格", "change an agency's 规格"));
  auto rerank_args = std::make_shared<std::pair<std::string, std::string>>();
  rerank->add_option("agency", rerank_args->first, Tr("机构编号", "agency id"))->required();
  rerank
      ->add_option(
          "--rank", rerank_args->second,
          Tr("规格：正处级、正科级、副科级、股级……", "规格: 正处级, 正科级, 副科级, 股级, …"))
      ->required();
  rerank->callback([&cli, rerank_args] {
    api::RerankAgencyRequest r;
    r.set_agency_id(rerank_args->first);
    r.set_new_rank(ParseEnum<pb::Rank>("--rank", rerank_args->second));
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::RerankAgency, r);
  });
}

// --convert and --cancel of a merger or an abolition: what becomes of a category of 编制 the
// receiving body may not hold (QuotaDisposition).
struct DispositionArgs {
  std::vector<std::string> convert, cancel;

  void Add(CLI::App* cmd, const char* agency_help) {
    cmd->add_option("--convert", convert,
                    absl::StrCat("转换: [AGENCY:]CATEGORY=TO:COUNT, e.g. 事业编制=行政编制:8 — the "
                                 "people in post go with it; ",
                                 agency_help));
    cmd->add_option(
        "--cancel", cancel,
        absl::StrCat("核销 vacant 编制: [AGENCY:]CATEGORY:COUNT, e.g. 事业编制:2; ", agency_help));
  }

  // One disposition per (agency, category); AGENCY defaults to `agency` (empty: required).
  // Exit(kExitUsage) naming the value that does not parse.
  std::vector<api::QuotaDisposition> Dispositions(const std::string& agency) const {
    std::vector<api::QuotaDisposition> out;
    auto entry = [&out](const std::string& id,
                        pb::QuotaCategory category) -> api::QuotaDisposition& {
      for (api::QuotaDisposition& d : out) {
        if (d.agency_id() == id && d.category() == category) return d;
      }
      api::QuotaDisposition& d = out.emplace_back();
      d.set_agency_id(id);
      d.set_category(category);
      return d;
    };
    // "[AGENCY:]HEAD:COUNT" → (agency, head, count).
    auto split = [&agency](const char* option, const std::string& value, const char* form) {
      std::vector<std::string> parts = absl::StrSplit(value, ':');
      int count = 0;
      if (parts.size() == 2) parts.insert(parts.begin(), agency);
      if (parts.size() != 3 || parts[0].empty() || !absl::SimpleAtoi(parts[2], &count)) {
        throw Exit{kExitUsage, absl::StrCat(option, " \"", value, "\" is not ", form)};
      }
      return std::make_tuple(parts[0], parts[1], count);
    };
    for (const std::string& value : convert) {
      auto [id, head, count] = split("--convert", value, "AGENCY:CATEGORY=TO:COUNT");
      if (head.find('=') == std::string::npos) {
        throw Exit{kExitUsage,
                   absl::StrCat("--convert \"", value, "\" is not AGENCY:CATEGORY=TO:COUNT")};
      }
      std::pair<std::string, std::string> from_to = absl::StrSplit(head, absl::MaxSplits('=', 1));
      api::QuotaDisposition& d =
          entry(id, ParseEnum<pb::QuotaCategory>("--convert", from_to.first));
      d.set_convert_to(ParseEnum<pb::QuotaCategory>("--convert", from_to.second));
      d.set_convert_count(count);
    }
    for (const std::string& value : cancel) {
      auto [id, head, count] = split("--cancel", value, "AGENCY:CATEGORY:COUNT");
      entry(id, ParseEnum<pb::QuotaCategory>("--cancel", head)).set_cancel_count(count);
    }
    return out;
  }
};

// agency merge
void AddMergeAgencies(CLI::App& agency, Cli& cli) {
  auto* merge = agency.add_subcommand(
      "merge",
      Tr("机构合并：新设合并 A + B → C（新机构用 --into-… 给出）或吸收合并 A + B → B"
         "（--absorb-into B）；编制、人员和权力随之划转",
         "A + B → C (--into-… for the new body) or A + B → B (--absorb-into B); quota, people "
         "and powers move with them"));
  auto merge_from = std::make_shared<std::string>();
  auto absorb = std::make_shared<std::string>();
  auto into = std::make_shared<SpecOptions>();
  merge
      ->add_option("--from", *merge_from,
                   Tr("合并的原机构编号，以逗号分隔", "the originals, comma-separated"))
      ->required();
  merge->add_option("--absorb-into", *absorb,
                    Tr("吸收其他机构的原机构（吸收合并）", "the original that absorbs the others"));
  merge->add_option("--into-id", into->id, Tr("新设机构的编号", "id of the new body"));
  merge->add_option("--into-name", into->name, Tr("新设机构的名称", "name of the new body"));
  merge->add_option("--into-kind", into->kind, Tr("新设机构的类别", "kind of the new body"));
  merge->add_option("--into-rank", into->rank, "规格 of the new body");
  merge->add_option("--into-parent", into->parent,
                    Tr("新设机构的上级机构", "parent of the new body"));
  merge->add_option("--into-jurisdiction", into->jurisdiction,
                    Tr("新设机构所属地区", "jurisdiction of the new body"));
  auto dispose = std::make_shared<DispositionArgs>();
  dispose->Add(merge, "AGENCY is the original that holds it (required)");
  merge->callback([&cli, merge_from, absorb, into, dispose] {
    api::MergeAgenciesRequest r;
    for (const std::string& id : SplitList(*merge_from)) r.add_original_ids(id);
    for (api::QuotaDisposition& d : dispose->Dispositions("")) {
      *r.add_quota_dispositions() = std::move(d);
    }
    if (!absorb->empty()) {
      r.set_absorbing_id(*absorb);
    } else {
      if (into->id.empty() || into->name.empty() || into->kind.empty() || into->rank.empty()) {
        throw Exit{kExitUsage,
                   "merge: give --absorb-into, or the new body's --into-id, --into-name, "
                   "--into-kind and --into-rank"};
      }
      *r.mutable_new_agency() = into->Spec();
    }
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::MergeAgencies, r);
  });
}

// agency split
void AddSplitAgency(CLI::App& agency, Cli& cli) {
  auto* split = agency.add_subcommand(
      "split", Tr("机构分设：A → B + C，A 的每项编制、每名人员、每项权力归入其中一个",
                  "A → B + C, every quota, person and power item of A to one part"));
  auto split_args = std::make_shared<std::pair<std::string, std::string>>();
  split->add_option("agency", split_args->first, Tr("机构编号", "agency id"))->required();
  split
      ->add_option("--parts", split_args->second,
                   Tr("JSON 文件：{\"parts\": [SplitPart, …]}（见 "
                      "proto/reformlog/api/v1/org_commands.proto）",
                      "JSON file: {\"parts\": [SplitPart, …]} (see "
                      "proto/reformlog/api/v1/org_commands.proto)"))
      ->required();
  split->callback([&cli, split_args] {
    auto r = ReadJsonFile<api::SplitAgencyRequest>("--parts", split_args->second);
    r.set_agency_id(split_args->first);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::SplitAgency, r);
  });
}

// agency abolish
void AddAbolishAgency(CLI::App& agency, Cli& cli) {
  auto* abolish =
      agency.add_subcommand("abolish", Tr("机构撤销；其编制、人员、权力由 --successor 承接",
                                          "abolish an agency; what it holds goes to --successor"));
  auto abolish_args = std::make_shared<std::array<std::string, 3>>();
  abolish->add_option("agency", (*abolish_args)[0], Tr("机构编号", "agency id"))->required();
  abolish->add_option(
      "--successor", (*abolish_args)[1],
      Tr("承接其职责、编制、人员和权力的机构编号", "agency id that takes over what it holds"));
  abolish->add_option("--reason", (*abolish_args)[2], Tr("原因", "reason"));
  auto dispose = std::make_shared<DispositionArgs>();
  dispose->Add(abolish, "AGENCY defaults to the agency abolished");
  abolish->callback([&cli, abolish_args, dispose] {
    api::AbolishAgencyRequest r;
    r.set_agency_id((*abolish_args)[0]);
    for (api::QuotaDisposition& d : dispose->Dispositions((*abolish_args)[0])) {
      *r.add_quota_dispositions() = std::move(d);
    }
    r.set_successor_id((*abolish_args)[1]);
    r.set_reason((*abolish_args)[2]);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::AbolishAgency, r);
  });
}

struct MandateArgs {
  std::string agency;
  std::vector<std::string> functions, divisions, quotas, posts;
};

// One --leader-posts value, RANK=COUNT:TITLE; Exit(kExitUsage) when it does not parse.
pb::LeaderPostCount ParseLeaderPosts(const std::string& p) {
  std::pair<std::string, std::string> rank_rest = absl::StrSplit(p, absl::MaxSplits('=', 1));
  std::pair<std::string, std::string> count_title =
      absl::StrSplit(rank_rest.second, absl::MaxSplits(':', 1));
  int count = 0;
  if (!absl::SimpleAtoi(count_title.first, &count)) {
    throw Exit{kExitUsage, absl::StrCat("--leader-posts \"", p, "\" is not RANK=COUNT:TITLE")};
  }
  pb::LeaderPostCount post;
  post.set_rank(ParseEnum<pb::Rank>("--leader-posts", rank_rest.first));
  post.set_count(count);
  post.set_title(count_title.second);
  return post;
}

// The 三定 of `m`'s options; Exit(kExitUsage) naming the option that does not parse.
api::IssueMandateRequest MandateRequest(const MandateArgs& m) {
  api::IssueMandateRequest r;
  r.set_agency_id(m.agency);
  for (const std::string& f : m.functions) r.add_functions(f);
  for (const std::string& d : m.divisions) {
    std::vector<std::string> parts = absl::StrSplit(d, ':');
    if (parts.size() < 2)
      throw Exit{kExitUsage, absl::StrCat("--division \"", d, "\" is not ID:NAME[:挂牌名]")};
    api::Division* div = r.add_divisions();
    div->set_division_id(parts[0]);
    div->set_name(parts[1]);
    for (size_t i = 2; i < parts.size(); ++i) div->add_extra_names(parts[i]);
  }
  for (const std::string& q : m.quotas)
    *r.add_quotas() = ParseQuotaCount("--quota", q, "行政编制=7");
  for (const std::string& p : m.posts) *r.add_leader_posts() = ParseLeaderPosts(p);
  return r;
}

// agency mandate (三定)
void AddIssueMandate(CLI::App& agency, Cli& cli) {
  auto* mandate = agency.add_subcommand(
      "mandate", Tr("印发三定规定：职能、内设机构、编制、领导职数",
                    "issue the 三定: functions, divisions, quotas, leader posts"));
  auto m = std::make_shared<MandateArgs>();
  mandate->add_option("agency", m->agency, Tr("机构编号", "agency id"))->required();
  mandate->add_option("--function", m->functions, Tr("一项职责（可重复）", "a function (repeat)"));
  mandate->add_option("--division", m->divisions, "ID:NAME[:挂牌名] (repeat)");
  mandate->add_option("--quota", m->quotas, "CATEGORY=COUNT, e.g. 行政编制=7 (repeat)");
  mandate->add_option("--leader-posts", m->posts, "RANK=COUNT:TITLE, e.g. 正科级=1:主任 (repeat)");
  mandate->callback([&cli, m] {
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::IssueMandate, MandateRequest(*m));
  });
}

// agency leader-posts (核定领导职数)
void AddApproveLeaderPosts(CLI::App& agency, Cli& cli) {
  auto* approve = agency.add_subcommand(
      "leader-posts", Tr("在三定之前核定机构领导职数",
                         "approve an agency's leader posts ahead of its 三定 (核定领导职数)"));
  auto m = std::make_shared<MandateArgs>();
  approve->add_option("agency", m->agency, Tr("机构编号", "agency id"))->required();
  approve->add_option("--leader-posts", m->posts, "RANK=COUNT:TITLE, e.g. 正科级=1:局长 (repeat)")
      ->required();
  approve->callback([&cli, m] {
    api::ApproveLeaderPostsRequest r;
    r.set_agency_id(m->agency);
    for (const std::string& p : m->posts) *r.add_leader_posts() = ParseLeaderPosts(p);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::ApproveLeaderPosts, r);
  });
}

// agency move-functions
void AddTransferFunctions(CLI::App& agency, Cli& cli) {
  struct Args {
    std::string from, to;
    std::vector<std::string> functions;
  };
  auto* functions = agency.add_subcommand(
      "move-functions",
      Tr("职责划转：从一个机构划入另一个机构", "functions from one agency to another"));
  auto f = std::make_shared<Args>();
  functions->add_option("--from", f->from, Tr("转出（划出）机构编号", "agency id it moves from"))
      ->required();
  functions->add_option("--to", f->to, Tr("转入（划入）机构编号", "agency id it moves to"))
      ->required();
  functions->add_option("--function", f->functions, Tr("一项职责（可重复）", "a function (repeat)"))
      ->required();
  functions->callback([&cli, f] {
    api::TransferFunctionsRequest r;
    r.set_from_agency_id(f->from);
    r.set_to_agency_id(f->to);
    for (const std::string& x : f->functions) r.add_functions(x);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::TransferFunctions, r);
  });
}

// division add
void AddCreateDivision(CLI::App& division, Cli& cli) {
  auto* add_division =
      division.add_subcommand("add", Tr("设立内设机构", "set up an internal division"));
  auto d = std::make_shared<std::array<std::string, 3>>();
  auto d_alias = std::make_shared<std::vector<std::string>>();
  add_division->add_option("agency", (*d)[0], Tr("机构编号", "agency id"))->required();
  add_division->add_option("--id", (*d)[1], Tr("内设机构编号", "division id"))->required();
  add_division->add_option("--name", (*d)[2], Tr("内设机构名称", "division name"))->required();
  add_division->add_option("--also-named", *d_alias, "挂牌 (repeat)");
  add_division->callback([&cli, d, d_alias] {
    api::CreateDivisionRequest r;
    r.set_agency_id((*d)[0]);
    r.mutable_division()->set_division_id((*d)[1]);
    r.mutable_division()->set_name((*d)[2]);
    for (const std::string& n : *d_alias) r.mutable_division()->add_extra_names(n);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::CreateDivision, r);
  });
}

// division remove
void AddAbolishDivision(CLI::App& division, Cli& cli) {
  auto* remove_division =
      division.add_subcommand("remove", Tr("撤销内设机构", "abolish an internal division"));
  auto rd = std::make_shared<std::pair<std::string, std::string>>();
  remove_division->add_option("agency", rd->first, Tr("机构编号", "agency id"))->required();
  remove_division->add_option("division", rd->second, Tr("内设机构编号", "division id"))
      ->required();
  remove_division->callback([&cli, rd] {
    api::AbolishDivisionRequest r;
    r.set_agency_id(rd->first);
    r.set_division_id(rd->second);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::AbolishDivision, r);
  });
}

// quota grant when `grant`, quota withdraw otherwise
void AddChangeQuota(CLI::App& quota, Cli& cli, bool grant) {
  auto* cmd = quota.add_subcommand(grant ? "grant" : "withdraw",
                                   grant ? Tr("核增编制", "grant quota to an agency")
                                         : Tr("核减编制", "withdraw quota from an agency"));
  auto q = std::make_shared<std::pair<std::string, std::string>>();
  auto count = std::make_shared<int>(0);
  cmd->add_option("agency", q->first, Tr("机构编号", "agency id"))->required();
  cmd->add_option("--category", q->second, "行政编制, 政法专项编制, 事业编制, 工勤编制, 专项编制")
      ->required();
  cmd->add_option("--count", *count, Tr("编制数", "number of 编制"))->required();
  cmd->callback([&cli, q, count, grant] {
    api::ChangeQuotaRequest r;
    r.set_agency_id(q->first);
    r.set_category(ParseEnum<pb::QuotaCategory>("--category", q->second));
    r.set_count(*count);
    cli.Command(
        cli.client().org(),
        grant ? &api::OrgCommands::Stub::GrantQuota : &api::OrgCommands::Stub::WithdrawQuota, r);
  });
}

// quota transfer
void AddTransferQuota(CLI::App& quota, Cli& cli) {
  auto* transfer = quota.add_subcommand(
      "transfer", Tr("编制划转：连同所占人员从一个机构划入另一个机构",
                     "quota from one agency to another, with the people it carries"));
  struct TransferArgs {
    std::string from, to, category, people;
    int count = 0;
  };
  auto t = std::make_shared<TransferArgs>();
  transfer->add_option("--from", t->from, Tr("转出（划出）机构编号", "agency id it moves from"))
      ->required();
  transfer->add_option("--to", t->to, Tr("转入（划入）机构编号", "agency id it moves to"))
      ->required();
  transfer
      ->add_option("--category", t->category,
                   Tr("编制类别：行政编制、事业编制……", "行政编制, 事业编制, …"))
      ->required();
  transfer->add_option("--count", t->count, Tr("编制数", "number of 编制"))->required();
  transfer->add_option(
      "--people", t->people,
      Tr("随编制划转的人员编号，以逗号分隔", "person ids moving with the quota, comma-separated"));
  transfer->callback([&cli, t] {
    api::TransferQuotaRequest r;
    r.set_from_agency_id(t->from);
    r.set_to_agency_id(t->to);
    r.set_category(ParseEnum<pb::QuotaCategory>("--category", t->category));
    r.set_count(t->count);
    for (const std::string& p : SplitList(t->people)) r.add_person_ids(p);
    cli.Command(cli.client().org(), &api::OrgCommands::Stub::TransferQuota, r);
  });
}

// tree
void AddTree(CLI::App& app, Cli& cli) {
  struct TreeArgs {
    std::string as_of, jurisdiction;
    bool ceased = false;
    uint64_t at_position = 0;
  };
  auto t = std::make_shared<TreeArgs>();
  auto* tree =
      app.add_subcommand("tree", Tr("某一日期的机构设置（机构树）", "the structure as of a date"));
  tree->add_option("--as-of", t->as_of,
                   Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  tree->add_option("--jurisdiction", t->jurisdiction,
                   Tr("只列此地区，如 西区", "only this jurisdiction, e.g. 西区"));
  tree->add_flag(
      "--include-ceased", t->ceased,
      Tr("也列出已合并、分设、撤销的机构", "also show merged, split and abolished bodies"));
  tree->add_option("--at-position", t->at_position,
                   Tr("按日志此位置时系统所知作答（审计用）",
                      "what the system knew at this log position (audit)"));
  tree->callback([&cli, t] {
    api::GetOrgTreeRequest r;
    r.set_as_of_date(t->as_of);
    r.set_jurisdiction(t->jurisdiction);
    r.set_include_ceased(t->ceased);
    r.set_as_of_position(t->at_position);
    r.set_min_position(cli.min_position());
    api::GetOrgTreeResponse response =
        cli.Query(cli.client().org_queries(), &api::OrgQueries::Stub::GetOrgTree, r);
    if (cli.json()) return Cli::PrintJson(response);
    std::cout << Tr("截至 ", "as of ") << response.as_of_date()
              << Tr("（日志位置 ", " (log position ") << response.position() << Tr("）\n", ")\n");
    Table table = CurrentLang() == Lang::kZh
                      ? Table({"机构编号", "机构名称", "机构类别", "规格", "设立日期"})
                      : Table({"agency", "name", "kind", "rank", "since"});
    for (const api::TreeNode& n : response.nodes()) {
      const api::AgencySummary& a = n.agency();
      std::string name = std::string(static_cast<size_t>(n.depth()) * 2, ' ') + a.name();
      if (a.extra_names_size() > 0)
        absl::StrAppend(&name, " (挂 ", absl::StrJoin(a.extra_names(), "、"), ")");
      if (a.ceased()) absl::StrAppend(&name, " [", a.ceased_how(), " ", a.ceased_on(), "]");
      table.Add({a.agency_id(), name, Label(a.kind()), Label(a.rank()), a.established_on()});
    }
    table.Print(std::cout);
  });
}

// show
void AddShowAgency(CLI::App& app, Cli& cli) {
  auto* show = app.add_subcommand("show", Tr("一个机构：三定、内设机构和历次变动",
                                             "one agency: its 三定, divisions and history"));
  auto s = std::make_shared<std::pair<std::string, std::string>>();
  auto s_pos = std::make_shared<uint64_t>(0);
  show->add_option("agency", s->first, Tr("机构编号", "agency id"))->required();
  show->add_option("--as-of", s->second,
                   Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  show->add_option("--at-position", *s_pos,
                   Tr("按日志此位置时系统所知作答（审计用）",
                      "what the system knew at this log position (audit)"));
  show->callback([&cli, s, s_pos] {
    api::GetAgencyRequest r;
    r.set_agency_id(s->first);
    r.set_as_of_date(s->second);
    r.set_as_of_position(*s_pos);
    r.set_min_position(cli.min_position());
    api::GetAgencyResponse a =
        cli.Query(cli.client().org_queries(), &api::OrgQueries::Stub::GetAgency, r);
    if (cli.json()) return Cli::PrintJson(a);
    std::cout << a.agency().agency_id() << "  " << Describe(a.agency()) << "\n";
    if (!a.agency().parent_id().empty()) {
      std::cout << Tr("上级机构：", "parent: ") << a.agency().parent_id() << "\n";
    }
    if (a.mandate_issued()) {
      std::cout << Tr("三定：", "三定: ") << a.mandate().basis_number() << Tr("（", " (effective ")
                << a.mandate().effective_date() << Tr(" 起施行）\n", ")\n");
      for (const std::string& f : a.functions())
        std::cout << Tr("  职能：", "  职能 (functions): ") << f << "\n";
      for (const auto& q : a.quotas())
        std::cout << Tr("  编制：", "  编制 (quota): ") << Label(q.category()) << " " << q.count()
                  << Tr("名\n", "\n");
      for (const auto& p : a.leader_posts()) {
        std::cout << Tr("  领导职数：", "  领导职数 (leader posts): ") << p.title() << " "
                  << p.count() << Tr("名（", " (") << Label(p.rank()) << Tr("）\n", ")\n");
      }
    }
    for (const auto& d : a.divisions()) {
      std::cout << Tr("  内设机构：", "  内设机构 (division): ") << d.name();
      if (d.extra_names_size() > 0)
        std::cout << Tr("（挂 ", " (挂 ") << absl::StrJoin(d.extra_names(), "、") << Tr("）", ")");
      std::cout << "\n";
    }
    Table history = CurrentLang() == Lang::kZh
                        ? Table({"生效日期", "文号", "变动", "日志位置"})
                        : Table({"effective", "document", "change", "position"});
    history.AlignRight({3});
    for (const api::HistoryEntry& h : a.history()) {
      history.Add({h.ref().effective_date(), h.ref().basis_number(), h.summary(),
                   absl::StrCat(h.ref().position())});
    }
    history.Print(std::cout);
  });
}

// lineage
void AddLineage(CLI::App& app, Cli& cli) {
  auto* lineage = app.add_subcommand(
      "lineage",
      Tr("机构沿革：经合并、分设而来的前身和后继，及各自历次设立、更名、挂牌、摘牌、规格和隶属"
         "变动，附文件依据",
         "机构沿革: predecessors and successors through mergers and splits, and every 设立, 更名, "
         "挂牌, 摘牌, 规格 and 隶属 change of each, with its document"));
  auto l = std::make_shared<std::string>();
  lineage->add_option("agency", *l, Tr("机构编号", "agency id"))->required();
  lineage->callback([&cli, l] {
    api::GetLineageRequest r;
    r.set_agency_id(*l);
    r.set_min_position(cli.min_position());
    api::GetLineageResponse steps =
        cli.Query(cli.client().org_queries(), &api::OrgQueries::Stub::GetLineage, r);
    if (cli.json()) return Cli::PrintJson(steps);
    Table table = CurrentLang() == Lang::kZh
                      ? Table({"", "原机构", "现机构", "方式", "生效日期", "文号"})
                      : Table({"", "from", "to", "how", "effective", "document"});
    auto add = [&](const char* side, const api::LineageStep& s) {
      table.Add({side, absl::StrCat(s.from_agency_id(), " ", s.from_name()),
                 absl::StrCat(s.to_agency_id(), " ", s.to_name()), KindWord(s.kind()),
                 s.ref().effective_date(), s.ref().basis_number()});
    };
    for (const auto& s : steps.predecessors()) add(Tr("前身", "predecessor"), s);
    for (const auto& s : steps.successors()) add(Tr("后继", "successor"), s);
    if (table.empty()) {
      std::cout << *l
                << Tr(" 没有经合并、分设而来的前身或后继\n",
                      " has no predecessors or successors\n");
    } else {
      table.Print(std::cout);
    }
    std::cout << Tr("\n机构沿革\n", "\nhistory (机构沿革)\n");
    Table history = CurrentLang() == Lang::kZh
                        ? Table({"生效日期", "机构", "沿革", "文号"})
                        : Table({"effective", "agency", "change", "document"});
    for (const api::LineageEvent& e : steps.history()) {
      history.Add({e.ref().effective_date(), absl::StrCat(e.agency_id(), " ", e.name()),
                   e.summary(), e.ref().basis_number()});
    }
    history.Print(std::cout);
  });
}

// diff
void AddDiff(CLI::App& app, Cli& cli) {
  auto* diff = app.add_subcommand(
      "diff", Tr("两个日期之间机构设置的变化", "what changed in the structure between two dates"));
  auto df = std::make_shared<std::array<std::string, 3>>();
  diff->add_option("from", (*df)[0], Tr("起始日期 YYYY-MM-DD", "YYYY-MM-DD"))->required();
  diff->add_option("to", (*df)[1], Tr("截止日期 YYYY-MM-DD", "YYYY-MM-DD"))->required();
  diff->add_option("--jurisdiction", (*df)[2],
                   Tr("只列此地区，如 西区", "only this jurisdiction, e.g. 西区"));
  diff->callback([&cli, df] {
    api::DiffOrgRequest r;
    r.set_from_date((*df)[0]);
    r.set_to_date((*df)[1]);
    r.set_jurisdiction((*df)[2]);
    r.set_min_position(cli.min_position());
    api::DiffOrgResponse changes =
        cli.Query(cli.client().org_queries(), &api::OrgQueries::Stub::DiffOrg, r);
    if (cli.json()) return Cli::PrintJson(changes);
    Table table = CurrentLang() == Lang::kZh
                      ? Table({"机构编号", "机构名称", "变化", "变化前", "变化后"})
                      : Table({"agency", "name", "change", "before", "after"});
    for (const auto& e : changes.entries())
      table.Add({e.agency_id(), e.name(), KindWord(e.kind()), e.before(), e.after()});
    table.Print(std::cout);
  });
}

}  // namespace

void AddOrgCommands(CLI::App& app, Cli& cli) {
  CLI::App& agency =
      *app.add_subcommand("agency",
                          Tr("机构：设立、更名、隶属调整、合并、分设、撤销、三定",
                             "agencies (机构): set up, rename, move, merge, split, abolish, 三定"))
           ->require_subcommand(1);
  AddEstablishAgency(agency, cli);
  AddRenameAgency(agency, cli);
  AddExtraName(agency, cli, /*add=*/true);
  AddExtraName(agency, cli, /*add=*/false);
  AddReparentAgency(agency, cli);
  AddRerankAgency(agency, cli);
  AddMergeAgencies(agency, cli);
  AddSplitAgency(agency, cli);
  AddAbolishAgency(agency, cli);
  AddIssueMandate(agency, cli);
  AddApproveLeaderPosts(agency, cli);
  AddTransferFunctions(agency, cli);

  CLI::App& division =
      *app.add_subcommand("division", Tr("机构的内设机构", "内设机构 of an agency"))
           ->require_subcommand(1);
  AddCreateDivision(division, cli);
  AddAbolishDivision(division, cli);

  CLI::App& quota =
      *app.add_subcommand("quota", Tr("编制：核增、核减、划转", "编制: grant, withdraw, transfer"))
           ->require_subcommand(1);
  AddChangeQuota(quota, cli, /*grant=*/true);
  AddChangeQuota(quota, cli, /*grant=*/false);
  AddTransferQuota(quota, cli);
}

void AddOrgQueries(CLI::App& app, Cli& cli) {
  AddTree(app, cli);
  AddShowAgency(app, cli);
  AddLineage(app, cli);
  AddDiff(app, cli);
}

}  // namespace reformlog::ctl
