#include "clients/reformctl/cli.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/reformctl/display_text.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/table.h"
#include "google/protobuf/util/json_util.h"

namespace reformlog::ctl {
namespace {

// The stream of an agency (services' domain/rules.h; streams are part of the API's answers).
constexpr absl::string_view kAgencyStreamPrefix = "agency-";
// The agencies a result names before "…".
constexpr size_t kAgenciesNamedMax = 8;

}  // namespace

Cli::Cli(CLI::App& app) {
  const char* env = std::getenv("REFORMLOG_SERVER");
  server_ = env != nullptr ? env : "127.0.0.1:50051";
  const char* token_file = std::getenv("REFORMLOG_TOKEN_FILE");
  if (token_file != nullptr) token_file_ = token_file;
  AddOptions(app, /*change=*/true);
}

void Cli::AddGlobalOptions(CLI::App& sub, bool change) { AddOptions(sub, change); }

void Cli::AddOptions(CLI::App& target, bool change) {
  // A subcommand's own option of the same name (plan task add --plan) stays its own; the
  // global one is then given before the subcommand.
  auto fresh = [&target](const char* name) { return target.get_option_no_throw(name) == nullptr; };
  const std::string connection = Tr("连接选项", "Connection");
  const std::string output = Tr("输出选项", "Output");
  if (fresh("--server")) {
    target
        .add_option("--server", server_,
                    Tr("reformd 的地址（主机:端口；环境变量 REFORMLOG_SERVER）",
                       "reformd address (host:port; env REFORMLOG_SERVER)"))
        ->capture_default_str()
        ->group(connection);
  }
  if (fresh("--token-file")) {
    target
        .add_option("--token-file", token_file_,
                    Tr("存放访问令牌的文件（环境变量 REFORMLOG_TOKEN_FILE；默认 "
                       "~/.config/reformlog/token，如存在）",
                       "file holding the bearer token to call with (env REFORMLOG_TOKEN_FILE; "
                       "default ~/.config/reformlog/token when it exists)"))
        ->group(connection);
  }
  if (fresh("--tls")) {
    target
        .add_flag("--tls", tls_,
                  Tr("以 TLS 连接（给出 --ca-file 时自动启用）",
                     "connect with TLS (implied by --ca-file)"))
        ->group(connection);
  }
  if (fresh("--ca-file")) {
    target
        .add_option("--ca-file", ca_file_,
                    Tr("签发 reformd 证书的 CA（PEM，TLS）",
                       "PEM CA that signed reformd's certificate (TLS)"))
        ->group(connection);
  }
  if (fresh("--cert-file")) {
    target
        .add_option("--cert-file", cert_file_,
                    Tr("客户端证书（PEM，双向 TLS）", "PEM client certificate (mutual TLS)"))
        ->group(connection);
  }
  if (fresh("--key-file")) {
    target
        .add_option("--key-file", key_file_,
                    Tr("--cert-file 的私钥（PEM）", "PEM key of --cert-file"))
        ->group(connection);
  }
  if (fresh("--timeout")) {
    target
        .add_option("--timeout", timeout_seconds_,
                    Tr("每次调用的时限（秒）", "seconds each call may take"))
        ->capture_default_str()
        ->group(connection);
  }
  if (fresh("--json")) {
    target
        .add_flag("--json", json_,
                  Tr("输出应答的 protobuf JSON，而非表格",
                     "print the protobuf JSON of the answer instead of a table"))
        ->group(output);
  }
  if (fresh("--lang")) {
    target
        .add_option("--lang", lang_,
                    Tr("显示语言：zh（中文，默认）或 en（英文）；环境变量 REFORMLOG_LANG",
                       "language people read: zh (Chinese, the default) or en; env REFORMLOG_LANG"))
        ->check([](const std::string& value) {
          return ParseLang(value).has_value() ? std::string()
                                              : std::string("zh or en, not ") + value;
        })
        ->group(output);
  }
  if (fresh("--wide")) {
    target
        .add_flag_callback(
            "--wide", [] { SetTableWidthMax(kTableWidthUnlimited); },
            Tr("表格显示完整内容，不按 100 列截断",
               "show every cell whole instead of fitting tables in 100 columns"))
        ->group(output);
  }
  if (fresh("--min-position")) {
    target
        .add_option("--min-position", min_position_,
                    Tr("查询等读模型处理到此位置再作答（读到自己刚写入的内容）",
                       "answer queries only once the read model has applied this position"))
        ->group(output);
  }
  if (!change) return;
  const std::string basis = Tr("改动依据", "Change");
  if (fresh("--basis")) {
    target
        .add_option("--basis", basis_,
                    Tr("改动所依据文件的文号（每项改动必填），如 \"西编〔2019〕9号\"",
                       "文号 of the document a change rests on (required on every change)"))
        ->group(basis);
  }
  if (fresh("--basis-issuer")) {
    target
        .add_option("--basis-issuer", basis_issuer_,
                    Tr("该文件的发文机关", "发文机关 of that document"))
        ->group(basis);
  }
  if (fresh("--basis-date")) {
    target
        .add_option("--basis-date", basis_date_,
                    Tr("该文件的成文日期，YYYY-MM-DD", "date of that document, YYYY-MM-DD"))
        ->group(basis);
  }
  if (fresh("--basis-title")) {
    target.add_option("--basis-title", basis_title_, Tr("该文件的标题", "title of that document"))
        ->group(basis);
  }
  if (fresh("--effective-date")) {
    target
        .add_option(
            "--effective-date", effective_date_,
            Tr("改动的生效日期，YYYY-MM-DD（不给则按今日，并在结果中写明）",
               "when a change takes effect, YYYY-MM-DD (default: today, as the answer says)"))
        ->group(basis);
  }
  if (fresh("--plan")) {
    target
        .add_option("--plan", plan_,
                    Tr("改动所属的改革方案（改动被该方案锁定的台账时必填）",
                       "the reform plan a change is made under (for locked records)"))
        ->group(basis);
  }
  if (fresh("--request-id")) {
    target
        .add_option(
            "--request-id", request_id_,
            Tr("请求编号（默认新生成；重试时给同一编号，不会重复记录）",
               "request id of a change (default: a new one; give the same to retry safely)"))
        ->group(basis);
  }
  if (fresh("--dry-run")) {
    target
        .add_flag("--dry-run", dry_run_,
                  Tr("只判断改动能否成立并说明将记录什么，不作记录",
                     "decide a change and say what it would record, but record nothing"))
        ->group(basis);
  }
}

client::ReformlogClient& Cli::client() {
  std::lock_guard lock(client_mu_);  // importers call this from many threads
  if (client_ == nullptr) {
    client::ClientOptions options;
    options.target = server_;
    options.deadline = absl::Seconds(timeout_seconds_);
    options.language = AcceptLanguage();
    ConfigureSecurity(options);
    absl::StatusOr<std::unique_ptr<client::ReformlogClient>> c =
        client::ReformlogClient::Connect(options);
    if (!c.ok()) throw Exit{kExitUsage, std::string(c.status().message())};
    client_ = std::move(*c);
  }
  return *client_;
}

namespace {

// The whole of a PEM file given with `option`.
std::string ReadPemFile(const std::string& path, const char* option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Exit{kExitUsage, absl::StrCat(option, ": cannot read ", path)};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ~/.config/reformlog/token, or "" without a home.
std::string DefaultTokenFile() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  if (config != nullptr && *config != '\0') return absl::StrCat(config, "/reformlog/token");
  const char* home = std::getenv("HOME");
  return home == nullptr ? "" : absl::StrCat(home, "/.config/reformlog/token");
}

}  // namespace

void Cli::ConfigureSecurity(client::ClientOptions& options) const {
  std::string token_file = token_file_;
  if (token_file.empty()) {
    const std::string fallback = DefaultTokenFile();
    if (!fallback.empty() && std::ifstream(fallback).good()) token_file = fallback;
  }
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = client::ReadTokenFile(token_file);
    if (!token.ok()) throw Exit{kExitUsage, std::string(token.status().message())};
    options.token = *std::move(token);
  }
  options.tls.enabled = tls_ || !ca_file_.empty() || !cert_file_.empty();
  if (!ca_file_.empty()) options.tls.root_certs_pem = ReadPemFile(ca_file_, "--ca-file");
  if (cert_file_.empty() != key_file_.empty()) {
    throw Exit{kExitUsage, "--cert-file and --key-file go together: give both or neither"};
  }
  if (!cert_file_.empty()) {
    options.tls.client_cert_pem = ReadPemFile(cert_file_, "--cert-file");
    options.tls.client_key_pem = ReadPemFile(key_file_, "--key-file");
  }
}

api::CommandHeader Cli::Header() {
  if (basis_.empty()) {
    throw Exit{
        kExitUsage,
        Tr("每项改动都须有文件依据：用 --basis 给出文号（如 --basis \"川编办函〔2019〕249号\"）",
           "every change rests on a document: give its 文号 with --basis (e.g. --basis "
           "\"川编办函〔2019〕249号\")")};
  }
  api::CommandHeader h;
  h.set_request_id(request_id_.empty() ? client::NewRequestId() : request_id_);
  h.mutable_basis()->set_number(basis_);
  h.mutable_basis()->set_issuer(basis_issuer_);
  h.mutable_basis()->set_date(basis_date_);
  h.mutable_basis()->set_title(basis_title_);
  h.set_effective_date(effective_date_);
  h.set_plan_id(plan_);
  h.set_dry_run(dry_run_);
  return h;
}

void Cli::Check(const absl::Status& status) const {
  if (status.ok()) return;
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      throw Exit{kExitUnreachable,
                 absl::StrCat(Tr("无法连接 reformd（", "cannot reach reformd at "), server_,
                              Tr("）：", ": "), status.message())};
    default:
      // The server's words in the language asked for; the code in English for programs.
      throw Exit{
          kExitRejected,
          CurrentLang() == Lang::kZh
              ? absl::StrCat(status.message(), "（", absl::StatusCodeToString(status.code()), "）")
              : absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message())};
  }
}

void Cli::PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
}

namespace {

// "机构合并、编制划入 ×2" — the types in the order first recorded, each with its count.
std::string EventsSummary(const api::CommandResult& result) {
  std::vector<std::pair<std::string, int>> counts;
  for (const std::string& type : result.event_types()) {
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& entry) { return entry.first == type; });
    if (it == counts.end()) {
      counts.emplace_back(type, 1);
    } else {
      ++it->second;
    }
  }
  return absl::StrJoin(counts, Tr("、", ", "), [](std::string* out, const auto& entry) {
    absl::StrAppend(out, EventLabel(entry.first));
    if (entry.second > 1) absl::StrAppend(out, " ×", entry.second);
  });
}

}  // namespace

std::string Cli::AgenciesWritten(const api::CommandResult& result) {
  std::vector<std::string> named;
  for (const api::StreamVersion& written : result.stream_versions()) {
    const absl::string_view stream = written.stream_id();
    if (!absl::StartsWith(stream, kAgencyStreamPrefix)) continue;
    const std::string agency_id(stream.substr(kAgencyStreamPrefix.size()));
    if (named.size() == kAgenciesNamedMax) {
      named.emplace_back("…");
      break;
    }
    // The staffing figures: a small answer whatever the agency's history (GetAgency carries
    // every change it ever had).
    api::GetStaffingRequest request;
    request.set_agency_id(agency_id);
    request.set_min_position(result.position());
    absl::StatusOr<api::GetStaffingResponse> staffing = client().Call(
        client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, request);
    // The record stands whether or not the name can be read back: the id alone then.
    const bool found = staffing.ok() && !staffing->agencies().empty();
    named.push_back(AgencyAndName(agency_id, found ? staffing->agencies(0).name() : ""));
  }
  return absl::StrJoin(named, Tr("；", "; "));
}

void Cli::PrintResult(const api::CommandResult& result) {
  if (json_) {
    PrintJson(result);
    return;
  }
  if (result.replayed()) {
    std::cout << Tr("此请求编号此前已作答，已记录在位置 ",
                    "already recorded (this request id was answered before) at position ")
              << result.position() << Tr("，未重复记录\n", "\n");
    return;
  }
  std::string date = result.effective_date();
  if (effective_date_.empty() && !date.empty()) {
    absl::StrAppend(&date,
                    Tr("（未给 --effective-date，按今日）", " (today: no --effective-date given)"));
  }
  if (dry_run_) {
    if (!result.dry_run()) {  // a reformd from before dry runs ignores the flag
      throw Exit{kExitRejected,
                 absl::StrCat(Tr("reformd（", "reformd at "), server_,
                              Tr("）不支持试算，改动已记录在位置 ",
                                 " does not support dry runs and RECORDED the change at position "),
                              result.position())};
    }
    std::cout << Tr("试算：改动可以成立，将记录 ", "dry run: the change holds and would record ")
              << result.event_types_size()
              << Tr(" 条事件（", result.event_types_size() == 1 ? " event (" : " events (")
              << EventsSummary(result) << Tr("）", ")");
    if (!date.empty()) std::cout << Tr("，生效日期 ", ", effective ") << date;
    std::cout << Tr("；未作任何记录\n", "; nothing was recorded\n");
    return;
  }
  std::cout << Tr("已记录 ", "recorded ") << result.event_types_size()
            << Tr(" 条事件", result.event_types_size() == 1 ? " event" : " events");
  if (result.first_position() != result.position()) {
    std::cout << Tr("（位置 ", " at positions ") << result.first_position() << "–"
              << result.position() << Tr("）", "");
  } else {
    std::cout << Tr("（位置 ", " at position ") << result.position() << Tr("）", "");
  }
  std::cout << Tr("：", ": ") << EventsSummary(result) << "\n";
  if (!date.empty()) std::cout << Tr("  生效日期：", "  effective: ") << date << "\n";
  std::cout << Tr("  依据：", "  document: ") << basis_ << "\n";
  if (const std::string agencies = AgenciesWritten(result); !agencies.empty()) {
    std::cout << Tr("  涉及机构：", "  agencies: ") << agencies << "\n";
  }
}

}  // namespace reformlog::ctl
