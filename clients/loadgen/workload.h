// Workload: the commands the load generator sends — real domain commands, through the same
// gRPC services a client uses — and the set-up that lets them succeed.
//
// A run works on `agencies` agencies of its own (ids `<run_tag>-a<i>`), each a 政府部门 with
// a 行政编制 quota of kSetupQuota, so registrations never meet 超编 during a run, and (for
// disbursements) one 基本支出 line of the run's fiscal year appropriated kSetupAppropriationFen.
// Which agency a logical client works on:
//   * agencies ≥ clients: client c takes, at random, one of the agencies whose index is c
//     modulo clients — no two clients ever race on one agency (with agencies == clients,
//     each has its own);
//   * agencies < clients: client c always takes agency c modulo agencies — with one agency,
//     every client races on it.
//
// The kinds:
//   kRegister  RegisterPerson: a new person (unique id) into the client's agency.
//   kDisburse  Disburse: kDisburseAmountFen from the agency's line, with a unique voucher id.
//   kMixed     per command, at random by weight: RegisterPerson (kMixRegisterWeight),
//              TransferPersons of a person this client registered, with 1 quota, to the
//              client's own side agency `<run_tag>-s<c>` (kMixTransferWeight; a register when
//              the client has nobody left to transfer), GrantQuota / WithdrawQuota of 1 in
//              turn (kMixQuotaWeight), Disburse (kMixDisburseWeight).
//
// Every command carries a request id unique to the run (`<run_tag>-r<n>`). Next() and Done()
// may be called from many threads at once for different clients; for one client, one at a
// time — except that Done() does nothing for kRegister and kDisburse, so an open loop may
// make a client's next command while its earlier ones are still answering.
#ifndef REFORMLOG_CLIENTS_LOADGEN_WORKLOAD_H_
#define REFORMLOG_CLIENTS_LOADGEN_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cpp/reformlog_client.h"

namespace reformlog::loadgen {

namespace api = ::reformlog::api::v1;

inline constexpr int32_t kSetupQuota = 500'000;  // below kQuotaCountMax, so grants still fit
inline constexpr int64_t kSetupAppropriationFen = 10'000'000'000'000;  // 1,000 亿元
inline constexpr int64_t kDisburseAmountFen = 100;                     // 1 元
inline constexpr int kFiscalYear = 2025;
inline constexpr char kEffectiveDate[] = "2025-06-30";
inline constexpr char kBasisNumber[] = "负载测试〔2025〕1号";
inline constexpr char kBasisIssuer[] = "改革台账负载测试";
inline constexpr int kMixRegisterWeight = 4;
inline constexpr int kMixTransferWeight = 2;
inline constexpr int kMixQuotaWeight = 2;
inline constexpr int kMixDisburseWeight = 2;
inline constexpr int kClientsMax = 10'000;
inline constexpr int kAgenciesMax = 1'000'000;

// The RPCs the generator sends, for the counts by command.
enum class CommandKind {
  kEstablishAgency,
  kGrantQuota,
  kWithdrawQuota,
  kAppropriate,
  kRegisterPerson,
  kTransferPersons,
  kDisburse,
};
inline constexpr size_t kCommandKinds = 7;
absl::string_view CommandName(CommandKind kind);

using CommandRequest =
    std::variant<api::EstablishAgencyRequest, api::ChangeQuotaRequest, api::AppropriateRequest,
                 api::RegisterPersonRequest, api::TransferPersonsRequest, api::DisburseRequest>;

struct Command {
  CommandKind kind = CommandKind::kRegisterPerson;
  int client = 0;  // the logical client that sends it
  CommandRequest request;
  // A transfer's person and the agency it leaves: back to the client's roster if it gave up.
  std::string person_id;
  int agency = 0;
};

using CommandCall = std::unique_ptr<grpc::ClientAsyncResponseReader<api::CommandResult>>;

// Starts `command` on `queue` (the asynchronous stubs of the client library); the caller
// asks for its answer with Finish(). `context` and `command` must outlive the call.
CommandCall StartCommand(client::ReformlogClient& client, grpc::ClientContext* context,
                         const Command& command, grpc::CompletionQueue* queue);

enum class WorkloadKind { kRegister, kDisburse, kMixed };

struct WorkloadOptions {
  WorkloadKind kind = WorkloadKind::kRegister;
  int clients = 64;
  int agencies = 64;
  // Prefix of every id the run creates, so that runs against one server never collide.
  std::string run_tag;
  uint64_t seed = 1;
  // Registrations as newcomers (考录: each reads its jurisdiction's 用编审批 policy) or as staff
  // in post when the register began (首次登记: no policy read).
  bool existing_staff = false;
};

class Workload {
 public:
  // INVALID_ARGUMENT naming the option when clients or agencies are out of range.
  static absl::StatusOr<std::unique_ptr<Workload>> Create(WorkloadOptions options);

  const WorkloadOptions& options() const { return options_; }

  // The set-up, in phases: the commands of one phase may run at once; each phase needs the
  // one before it to have succeeded.
  std::vector<std::vector<Command>> SetupPhases();

  Command Next(int client);
  // What a command made by Next() came to (the mixed workload's bookkeeping).
  void Done(const Command& command, const grpc::Status& status);

  std::string AgencyId(int agency) const;

 private:
  struct ClientState {
    std::mt19937_64 random;
    std::vector<std::pair<int, std::string>> in_post;  // (agency, person) it registered
    uint64_t quota_changes = 0;
  };

  explicit Workload(WorkloadOptions options);

  int PickAgency(ClientState& state, int client) const;
  std::string SideAgencyId(int client) const;
  std::string NextId(absl::string_view kind);
  api::CommandHeader Header();
  static domain::v1::BudgetLine Line();
  Command Establish(const std::string& agency_id, int index);
  Command Register(int client, int agency);
  Command Disburse(int client, int agency);
  Command ChangeQuota(int client, int agency, bool grant);
  Command Transfer(int client, int agency, std::string person_id);

  WorkloadOptions options_;
  std::vector<ClientState> clients_;
  std::atomic<uint64_t> sequence_{0};
};

}  // namespace reformlog::loadgen

#endif  // REFORMLOG_CLIENTS_LOADGEN_WORKLOAD_H_
