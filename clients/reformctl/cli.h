// What every reformctl subcommand shares: the global options (--server, --basis, --json, …),
// the connection, the command header built from them, and sending a command or a query with
// the answer's status turned into an exit code (exit_codes.h).
//
// One Cli lives in main(); subcommand callbacks hold it by reference. client() may be called
// from many threads (importers do); the rest is read-only once options are parsed.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_CLI_H_
#define REFORMLOG_CLIENTS_REFORMCTL_CLI_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cpp/reformlog_client.h"
#include "clients/reformctl/exit_codes.h"
#include "google/protobuf/message.h"

namespace reformlog::ctl {

namespace api = ::reformlog::api::v1;

class Cli {
 public:
  // Registers the global options on `app`.
  explicit Cli(CLI::App& app);

  // Gives `sub` (a subcommand that runs) the global options too, so that they may come before
  // or after it (`reformctl powers --json`) and its help lists them: the connection and
  // output options always, the change options (--basis, --effective-date, …) when `change`.
  void AddGlobalOptions(CLI::App& sub, bool change);

  // The client, connected on first use; Exit(kExitUsage) when --server is not an address.
  client::ReformlogClient& client();

  bool json() const { return json_; }
  bool dry_run() const { return dry_run_; }
  // A header for a command: request id, document basis, effective date, plan. Exit(2) when
  // --basis is missing.
  api::CommandHeader Header();

  // Sends a command and prints its result; Exit on failure.
  template <typename Stub, typename Request>
  api::CommandResult Command(Stub& stub,
                             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                          api::CommandResult*),
                             Request request) {
    *request.mutable_header() = Header();
    absl::StatusOr<api::CommandResult> result = client().Call(stub, method, std::move(request));
    Check(result.status());
    PrintResult(*result);
    return *result;
  }

  // Runs a query; Exit on failure.
  template <typename Stub, typename Request, typename Response>
  Response Query(Stub& stub,
                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                 Request request) {
    absl::StatusOr<Response> response = client().Call(stub, method, std::move(request));
    Check(response.status());
    return *std::move(response);
  }

  // Prints the message as protobuf JSON (one object, pretty) to stdout.
  static void PrintJson(const google::protobuf::Message& message);
  // Nothing for OK; otherwise Exit: kExitUnreachable for UNAVAILABLE and DEADLINE_EXCEEDED
  // ("cannot reach reformd at …"), kExitRejected with the code and message for the rest.
  void Check(const absl::Status& status) const;

  const std::string& server() const { return server_; }
  uint64_t min_position() const { return min_position_; }

  // What was recorded — the events by name, their positions, the effective date (saying when
  // it is today's by default), the document and the agencies written — or the dry run's or
  // the replay's line; JSON with --json.
  void PrintResult(const api::CommandResult& result);

 private:
  // The token and TLS settings of the global options; Exit(kExitUsage) for unreadable files.
  void ConfigureSecurity(client::ClientOptions& options) const;
  // The options of AddGlobalOptions on `target`; `change`: the change options too.
  void AddOptions(CLI::App& target, bool change);
  // "xq-xfj 攀枝花市西区信访局; …" for the agencies whose streams `result` wrote, read back
  // at its position; empty when it wrote none.
  std::string AgenciesWritten(const api::CommandResult& result);

  std::string server_;
  std::string token_file_;
  bool tls_ = false;
  std::string ca_file_;
  std::string cert_file_;
  std::string key_file_;
  double timeout_seconds_ = 30;
  bool json_ = false;
  bool dry_run_ = false;
  std::string basis_;
  std::string basis_issuer_;
  std::string basis_date_;
  std::string basis_title_;
  std::string effective_date_;
  std::string plan_;
  std::string request_id_;
  std::string lang_;
  uint64_t min_position_ = 0;
  std::mutex client_mu_;
  std::unique_ptr<client::ReformlogClient> client_;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_CLI_H_
