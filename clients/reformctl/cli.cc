#include "clients/reformctl/cli.h"

#include <cstdlib>
#include <iostream>

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
    absl::StatusOr<std::unique_ptr<client::ReformlogClient>> c =
        client::ReformlogClient::Connect(options);
    if (!c.ok()) throw Exit{kExitUsage, std::string(c.status().message())};
    client_ = std::move(*c);
  }
  return *client_;
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

void Cli::PrintJson(const google::protobuf::Message& message) const {
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
