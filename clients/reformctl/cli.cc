#include "clients/reformctl/cli.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/reformctl/display_text.h"
#include "google/protobuf/util/json_util.h"

namespace reformlog::ctl {

Cli::Cli(CLI::App& app) {
  const char* env = std::getenv("REFORMLOG_SERVER");
  server_ = env != nullptr ? env : "127.0.0.1:50051";
  app.add_option("--server", server_, "reformd address (host:port; env REFORMLOG_SERVER)")
      ->capture_default_str();
  const char* token_file = std::getenv("REFORMLOG_TOKEN_FILE");
  if (token_file != nullptr) token_file_ = token_file;
  app.add_option("--token-file", token_file_,
                 "file holding the bearer token to call with (env REFORMLOG_TOKEN_FILE; default "
                 "~/.config/reformlog/token when it exists)");
  app.add_flag("--tls", tls_, "connect with TLS (implied by --ca-file)");
  app.add_option("--ca-file", ca_file_, "PEM CA that signed reformd's certificate (TLS)");
  app.add_option("--cert-file", cert_file_, "PEM client certificate (mutual TLS)");
  app.add_option("--key-file", key_file_, "PEM key of --cert-file");
  app.add_option("--timeout", timeout_seconds_, "seconds each call may take")
      ->capture_default_str();
  app.add_flag("--json", json_, "print the protobuf JSON of the answer instead of a table");
  app.add_option("--basis", basis_,
                 "文号 of the document a change rests on (required on every change)");
  app.add_option("--basis-issuer", basis_issuer_, "发文机关 of that document");
  app.add_option("--basis-date", basis_date_, "date of that document, YYYY-MM-DD");
  app.add_option("--basis-title", basis_title_, "title of that document");
  app.add_option("--effective-date", effective_date_,
                 "when a change takes effect, YYYY-MM-DD (default: today)");
  app.add_option("--plan", plan_, "the reform plan a change is made under (for locked records)");
  app.add_option("--request-id", request_id_,
                 "request id of a change (default: a new one; give the same to retry safely)");
  app.add_flag("--dry-run", dry_run_,
               "decide a change and say what it would record, but record nothing");
  app.add_option("--min-position", min_position_,
                 "answer queries only once the read model has applied this position");
}

client::ReformlogClient& Cli::client() {
  std::lock_guard lock(client_mu_);  // importers call this from many threads
  if (client_ == nullptr) {
    client::ClientOptions options;
    options.target = server_;
    options.deadline = absl::Seconds(timeout_seconds_);
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
    throw Exit{kExitUsage,
               "every change rests on a document: give its 文号 with --basis (e.g. --basis "
               "\"川编办函〔2019〕249号\")"};
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
                 absl::StrCat("cannot reach reformd at ", server_, ": ", status.message())};
    default:
      throw Exit{kExitRejected,
                 absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message())};
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

void Cli::PrintResult(const api::CommandResult& result) const {
  if (json_) {
    PrintJson(result);
    return;
  }
  if (result.replayed()) {
    std::cout << "already recorded (this request id was answered before) at position "
              << result.position() << "\n";
    return;
  }
  if (dry_run_) {
    if (!result.dry_run()) {  // a reformd from before dry runs ignores the flag
      throw Exit{kExitRejected, absl::StrCat("reformd at ", server_,
                                             " does not support dry runs and RECORDED the change "
                                             "at position ",
                                             result.position())};
    }
    std::cout << "dry run: the change holds and would record " << result.event_types_size()
              << (result.event_types_size() == 1 ? " event" : " events") << " ("
              << absl::StrJoin(result.event_types(), ", ",
                               [](std::string* out, const std::string& type) {
                                 out->append(EventName(type));
                               })
              << "); nothing was recorded\n";
    return;
  }
  std::cout << "recorded at position " << result.position();
  if (result.first_position() != result.position()) {
    std::cout << " (" << result.position() - result.first_position() + 1 << " events from "
              << result.first_position() << ")";
  }
  std::cout << "\n";
}

}  // namespace reformlog::ctl
