// reformctl admin principal add|list|grant|revoke|disable, admin token issue|revoke, whoami
// (Principals): who may call reformd, with which roles and where. Roles are written
// ROLE[@SCOPE]: `reader` (everywhere), `finance@西区` (one jurisdiction), `personnel@agency:
// xq-czj` (one agency and every agency below it). A token is shown once, when issued: on
// stdout, or written owner-only to --token-out.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

constexpr char kRoleHelp[] =
    "ROLE[@SCOPE]: admin, editor, finance, personnel, reader, auditor or personal_data; "
    "@西区 limits it to a jurisdiction, @agency:ID to an agency and those below it";
constexpr char kAgencyScopePrefix[] = "agency:";
constexpr char kRoleEnumPrefix[] = "ROLE_";

// "finance" for ROLE_FINANCE: the enum's name, as reformd's roles table spells it.
std::string RoleWord(pb::Role role) {
  return absl::AsciiStrToLower(pb::Role_Name(role).substr(sizeof(kRoleEnumPrefix) - 1));
}

bool ParseRole(const std::string& word, pb::Role* role) {
  return word == absl::AsciiStrToLower(word) &&
         pb::Role_Parse(absl::StrCat(kRoleEnumPrefix, absl::AsciiStrToUpper(word)), role) &&
         *role != pb::ROLE_UNSPECIFIED;
}

// "finance@西区" → a Grant; Exit(usage) naming the option for anything else.
api::Grant ParseGrant(const std::string& text) {
  api::Grant grant;
  const size_t at = text.find('@');
  const std::string role = text.substr(0, at);
  pb::Role value = pb::ROLE_UNSPECIFIED;
  if (!ParseRole(role, &value)) {
    throw Exit{kExitUsage,
               absl::StrCat("--role ", text, ": unknown role \"", role, "\" (", kRoleHelp, ")")};
  }
  grant.set_role(value);
  if (at != std::string::npos) {
    const std::string scope = text.substr(at + 1);
    if (scope.empty()) throw Exit{kExitUsage, absl::StrCat("--role ", text, ": empty scope")};
    if (absl::StartsWith(scope, kAgencyScopePrefix)) {
      grant.mutable_scope()->set_agency_id(scope.substr(sizeof(kAgencyScopePrefix) - 1));
    } else {
      grant.mutable_scope()->set_jurisdiction(scope);
    }
  }
  return grant;
}

// "finance@西区" as it is typed; in Chinese with the role's name first:
// "财政业务员（finance）@西区".
std::string GrantText(const api::Grant& g) {
  std::string text =
      Tr(absl::StrCat(Label(g.role()), "（", RoleWord(g.role()), "）"), RoleWord(g.role()));
  if (!g.scope().jurisdiction().empty()) absl::StrAppend(&text, "@", g.scope().jurisdiction());
  if (!g.scope().agency_id().empty()) {
    absl::StrAppend(&text, "@", kAgencyScopePrefix, g.scope().agency_id());
  }
  return text;
}

// Writes `token` to `path`, owner-only.
void WriteToken(const std::string& path, const std::string& token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const std::string text = token + "\n";
  const bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) ::close(fd);
  if (!ok) throw Exit{kExitUsage, absl::StrCat("--token-out: cannot write ", path)};
}

// Sends a security command and prints its result and any token.
template <typename Request>
void Send(Cli& cli,
          grpc::Status (api::Principals::Stub::*method)(grpc::ClientContext*, const Request&,
                                                        api::SecurityCommandResponse*),
          Request request, const std::string& token_out = "") {
  *request.mutable_header() = cli.Header();
  absl::StatusOr<api::SecurityCommandResponse> response =
      cli.client().Call(cli.client().principals(), method, std::move(request));
  cli.Check(response.status());
  if (cli.json()) {
    Cli::PrintJson(*response);
    return;
  }
  cli.PrintResult(response->result());
  if (!response->token().empty()) {
    if (token_out.empty()) {
      std::cout
          << Tr(absl::StrCat("令牌 ", response->token_id(), "（仅显示这一次，请妥善保管）：\n"),
                absl::StrCat("token ", response->token_id(), " (shown once, keep it secret):\n"))
          << response->token() << "\n";
    } else {
      WriteToken(token_out, response->token());
      std::cout << Tr(absl::StrCat("令牌 ", response->token_id(), " 已写入 ", token_out,
                                   "（仅文件所有者可读）\n"),
                      absl::StrCat("token ", response->token_id(), " written to ", token_out,
                                   " (readable by its owner only)\n"));
    }
  } else if (response->result().replayed() && !token_out.empty()) {
    std::cout << Tr("未输出令牌：此请求此前已处理，令牌只显示一次；请吊销后重新签发\n",
                    "no token: this request was answered before and a token is shown only once; "
                    "revoke it and issue another\n");
  }
}

void AddPrincipalCommands(CLI::App& admin, Cli& cli) {
  auto* principal = admin.add_subcommand(
      "principal", Tr("用户（主体）：谁可以调用 reformd", "principals: who may call reformd"));
  principal->require_subcommand(1);

  struct AddArgs {
    std::string id, name, cert_cn, token_out;
    std::vector<std::string> roles;
    bool no_token = false;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = principal->add_subcommand(
      "add", Tr("添加用户及其角色，并签发令牌", "add a principal with its roles and a token"));
  add->add_option(
         "id", a->id,
         Tr("用户编号：[a-z0-9._-]，至多 63 字节", "principal id: [a-z0-9._-], at most 63 bytes"))
      ->required();
  add->add_option("--name", a->name, "display name, e.g. 区财政局预算一体化系统")->required();
  add->add_option("--role", a->roles, kRoleHelp);
  add->add_option("--cert-cn", a->cert_cn,
                  Tr("也可认证此用户的 TLS 客户端证书的通用名（CN）",
                     "common name of the TLS client certificate that also authenticates it"));
  add->add_option("--token-out", a->token_out,
                  Tr("把令牌写入此文件（权限 0600）", "write the token to this file (0600)"));
  add->add_flag(
      "--no-token", a->no_token,
      Tr("不签发令牌（只凭证书认证的用户）", "issue no token (a certificate-only principal)"));
  add->callback([&cli, a] {
    api::AddPrincipalRequest r;
    r.set_principal_id(a->id);
    r.set_display_name(a->name);
    r.set_certificate_cn(a->cert_cn);
    for (const std::string& role : a->roles) *r.add_grants() = ParseGrant(role);
    r.set_issue_token(!a->no_token);
    Send(cli, &api::Principals::Stub::AddPrincipal, std::move(r), a->token_out);
  });

  auto* list = principal->add_subcommand(
      "list", Tr("全部用户及其角色和令牌", "every principal, its roles and tokens"));
  list->callback([&cli] {
    const api::ListPrincipalsResponse all =
        cli.Query(cli.client().principals(), &api::Principals::Stub::ListPrincipals,
                  api::ListPrincipalsRequest());
    if (cli.json()) {
      Cli::PrintJson(all);
      return;
    }
    Table table(TrEach({{"用户", "principal"},
                        {"名称", "name"},
                        {"角色", "roles"},
                        {"证书", "certificate"},
                        {"令牌", "tokens"},
                        {"状态", "state"}}));
    for (const api::PrincipalInfo& p : all.principals()) {
      std::vector<std::string> roles;
      for (const api::Grant& g : p.grants()) roles.push_back(GrantText(g));
      std::vector<std::string> tokens;
      for (const api::TokenInfo& t : p.tokens()) {
        tokens.push_back(t.revoked() ? absl::StrCat(t.token_id(), " (revoked)") : t.token_id());
      }
      table.Add({p.principal_id(), p.display_name(), absl::StrJoin(roles, ", "), p.certificate_cn(),
                 absl::StrJoin(tokens, ", "), p.disabled() ? "disabled" : "enabled"});
    }
    table.Print(std::cout);
  });

  for (const bool grant : {true, false}) {
    auto g = std::make_shared<std::pair<std::string, std::string>>();
    auto* cmd = principal->add_subcommand(grant ? "grant" : "revoke",
                                          grant ? Tr("授予用户角色", "give a principal a role")
                                                : Tr("收回用户角色", "take a role back"));
    cmd->add_option("id", g->first, Tr("用户编号", "principal id"))->required();
    cmd->add_option("--role", g->second, kRoleHelp)->required();
    cmd->callback([&cli, g, grant] {
      api::RoleRequest r;
      r.set_principal_id(g->first);
      *r.mutable_grant() = ParseGrant(g->second);
      Send(cli, grant ? &api::Principals::Stub::GrantRole : &api::Principals::Stub::RevokeRole,
           std::move(r));
    });
  }

  auto d = std::make_shared<std::string>();
  auto* disable = principal->add_subcommand(
      "disable", Tr("停用用户的全部令牌和证书（历史记录保留）",
                    "stop every token and certificate of a principal (its history stays)"));
  disable->add_option("id", *d, Tr("用户编号", "principal id"))->required();
  disable->callback([&cli, d] {
    api::DisablePrincipalRequest r;
    r.set_principal_id(*d);
    Send(cli, &api::Principals::Stub::DisablePrincipal, std::move(r));
  });
}

void AddTokenCommands(CLI::App& admin, Cli& cli) {
  auto* token = admin.add_subcommand("token", Tr("访问令牌", "bearer tokens"));
  token->require_subcommand(1);
  auto i = std::make_shared<std::pair<std::string, std::string>>();
  auto* issue =
      token->add_subcommand("issue", Tr("为用户再签发一个令牌", "issue a principal another token"));
  issue->add_option("id", i->first, Tr("用户编号", "principal id"))->required();
  issue->add_option("--token-out", i->second,
                    Tr("把令牌写入此文件（权限 0600）", "write the token to this file (0600)"));
  issue->callback([&cli, i] {
    api::IssueTokenRequest r;
    r.set_principal_id(i->first);
    Send(cli, &api::Principals::Stub::IssueToken, std::move(r), i->second);
  });
  auto v = std::make_shared<std::pair<std::string, std::string>>();
  auto* revoke = token->add_subcommand(
      "revoke", Tr("吊销令牌：立即失效", "revoke a token: it stops working at once"));
  revoke->add_option("id", v->first, Tr("用户编号", "principal id"))->required();
  revoke
      ->add_option("token", v->second,
                   Tr("令牌编号（t…，见 admin principal list）",
                      "token id (t…, as `admin principal list` shows)"))
      ->required();
  revoke->callback([&cli, v] {
    api::RevokeTokenRequest r;
    r.set_principal_id(v->first);
    r.set_token_id(v->second);
    Send(cli, &api::Principals::Stub::RevokeToken, std::move(r));
  });
}

// "2019-03-01 14:05:09" in China Standard Time.
std::string ChinaTime(int64_t us) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixMicros(us),
                          absl::FixedTimeZone(8 * 60 * 60));
}

// Microseconds at the start of `date` (YYYY-MM-DD, China Standard Time); Exit for bad dates.
int64_t DayStartUs(const std::string& option, const std::string& date) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", date, absl::FixedTimeZone(8 * 60 * 60), &t, &error)) {
    throw Exit{kExitUsage, absl::StrCat(option, " ", date, ": not a date YYYY-MM-DD")};
  }
  return absl::ToUnixMicros(t);
}

void AddAuditCommand(CLI::App& app, Cli& cli) {
  struct Args {
    std::string principal, document, target, from, to;
    uint32_t limit = 100;
    uint64_t before = 0;
  };
  auto a = std::make_shared<Args>();
  auto* audit = app.add_subcommand(
      "audit", Tr("审计记录：写入、个人信息读取、管理操作、被拒绝的请求",
                  "the audit trail: writes, personal-data reads, administration, refusals"));
  audit->add_option("--principal", a->principal,
                    Tr("只列此用户的调用", "only this principal's calls"));
  audit->add_option("--document", a->document, "only calls on this 文号");
  audit->add_option("--target", a->target,
                    Tr("只列涉及此编号（机构编号、人员编号）的调用",
                       "only calls naming this (an agency id, a person id)"));
  audit->add_option(
      "--from", a->from,
      Tr("自此日起（YYYY-MM-DD，北京时间）", "from this day on (YYYY-MM-DD, China time)"));
  audit->add_option("--to", a->to, Tr("至此日止（含当日）", "up to and including this day"));
  audit
      ->add_option("--limit", a->limit,
                   Tr("至多列出这么多条（1–1000）", "at most this many records (1–1000)"))
      ->capture_default_str();
  audit->add_option("--before", a->before,
                    Tr("从上一页给出的 next 处继续", "continue from a previous page's `next`"));
  audit->callback([&cli, a] {
    api::ReadAuditRequest r;
    r.set_principal_id(a->principal);
    r.set_document(a->document);
    r.set_target(a->target);
    if (!a->from.empty()) r.set_from_us(DayStartUs("--from", a->from));
    if (!a->to.empty()) r.set_to_us(DayStartUs("--to", a->to) + 24LL * 3600 * 1'000'000);
    r.set_before(a->before);
    r.set_max_count(a->limit);
    const api::ReadAuditResponse page =
        cli.Query(cli.client().principals(), &api::Principals::Stub::ReadAudit, r);
    if (cli.json()) {
      Cli::PrintJson(page);
      return;
    }
    Table table(TrEach({{"时间", "time"},
                        {"用户", "principal"},
                        {"客户端", "client"},
                        {"调用", "method"},
                        {"对象", "target"},
                        {"文号", "document"},
                        {"结果", "outcome"}}));
    for (const api::AuditEntry& e : page.entries()) {
      const pb::AuditRecord& rec = e.record();
      std::string method = rec.method();
      if (const size_t slash = method.rfind('/'); slash != std::string::npos) {
        method = method.substr(slash + 1);
      }
      std::string outcome = absl::StatusCodeToString(static_cast<absl::StatusCode>(rec.code()));
      if (rec.position() != 0) absl::StrAppend(&outcome, " @", rec.position());
      table.Add({ChinaTime(e.recorded_at_us()),
                 rec.principal_id().empty() ? "(unauthenticated)" : rec.principal_id(), rec.peer(),
                 method, rec.target(), rec.document(), outcome});
    }
    table.Print(std::cout);
    if (page.next_before() != 0) std::cout << "more: --before " << page.next_before() << "\n";
  });
}

}  // namespace

void AddAdminCommands(CLI::App& app, Cli& cli) {
  AddAuditCommand(app, cli);
  auto* admin = app.add_subcommand(
      "admin", Tr("用户、角色、令牌；核验日志及其检查点",
                  "principals, roles, tokens; verifying the log and its checkpoints"));
  admin->require_subcommand(1);
  AddPrincipalCommands(*admin, cli);
  AddTokenCommands(*admin, cli);
  AddIntegrityCommands(*admin, cli);

  auto* whoami = app.add_subcommand(
      "whoami",
      Tr("此令牌所认证的用户及其角色", "the principal this token authenticates, and its roles"));
  whoami->callback([&cli] {
    const api::WhoAmIResponse me =
        cli.Query(cli.client().principals(), &api::Principals::Stub::WhoAmI, api::WhoAmIRequest());
    if (cli.json()) {
      Cli::PrintJson(me);
      return;
    }
    std::vector<std::string> roles;
    for (const api::Grant& g : me.principal().grants()) roles.push_back(GrantText(g));
    std::cout << me.principal().principal_id() << Tr("（", " (") << me.principal().display_name()
              << Tr("）\n角色：", ")\nroles: ") << absl::StrJoin(roles, Tr("、", ", "))
              << Tr("\n权限：", "\npermissions: ") << absl::StrJoin(me.permissions(), ", ") << "\n";
  });
}

}  // namespace reformlog::ctl
