#include "clients/loadgen/workload.h"

#include "absl/strings/str_cat.h"

namespace reformlog::loadgen {
namespace {

namespace pb = ::reformlog::domain::v1;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

absl::string_view CommandName(CommandKind kind) {
  switch (kind) {
    case CommandKind::kEstablishAgency:
      return "EstablishAgency";
    case CommandKind::kGrantQuota:
      return "GrantQuota";
    case CommandKind::kWithdrawQuota:
      return "WithdrawQuota";
    case CommandKind::kAppropriate:
      return "Appropriate";
    case CommandKind::kRegisterPerson:
      return "RegisterPerson";
    case CommandKind::kTransferPersons:
      return "TransferPersons";
    case CommandKind::kDisburse:
      return "Disburse";
  }
  return "?";
}

CommandCall StartCommand(client::ReformlogClient& client, grpc::ClientContext* context,
                         const Command& command, grpc::CompletionQueue* queue) {
  return std::visit(Overloaded{
                        [&](const api::EstablishAgencyRequest& r) {
                          return client.org().AsyncEstablishAgency(context, r, queue);
                        },
                        [&](const api::ChangeQuotaRequest& r) {
                          return command.kind == CommandKind::kWithdrawQuota
                                     ? client.org().AsyncWithdrawQuota(context, r, queue)
                                     : client.org().AsyncGrantQuota(context, r, queue);
                        },
                        [&](const api::AppropriateRequest& r) {
                          return client.budget().AsyncAppropriate(context, r, queue);
                        },
                        [&](const api::RegisterPersonRequest& r) {
                          return client.staffing().AsyncRegisterPerson(context, r, queue);
                        },
                        [&](const api::TransferPersonsRequest& r) {
                          return client.staffing().AsyncTransferPersons(context, r, queue);
                        },
                        [&](const api::DisburseRequest& r) {
                          return client.budget().AsyncDisburse(context, r, queue);
                        },
                    },
                    command.request);
}

absl::StatusOr<std::unique_ptr<Workload>> Workload::Create(WorkloadOptions options) {
  if (options.clients < 1 || options.clients > kClientsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("clients ", options.clients, " is outside 1–", kClientsMax, " (kClientsMax)"));
  }
  if (options.agencies < 1 || options.agencies > kAgenciesMax) {
    return absl::InvalidArgumentError(absl::StrCat("agencies ", options.agencies, " is outside 1–",
                                                   kAgenciesMax, " (kAgenciesMax)"));
  }
  if (options.run_tag.empty()) return absl::InvalidArgumentError("run_tag is empty");
  return std::unique_ptr<Workload>(new Workload(std::move(options)));
}

Workload::Workload(WorkloadOptions options) : options_(std::move(options)) {
  clients_.resize(static_cast<size_t>(options_.clients));
  for (size_t c = 0; c < clients_.size(); ++c) clients_[c].random.seed(options_.seed + c);
}

std::string Workload::AgencyId(int agency) const {
  return absl::StrCat(options_.run_tag, "-a", agency);
}

std::string Workload::SideAgencyId(int client) const {
  return absl::StrCat(options_.run_tag, "-s", client);
}

std::string Workload::NextId(absl::string_view kind) {
  return absl::StrCat(options_.run_tag, "-", kind,
                      sequence_.fetch_add(1, std::memory_order_relaxed));
}

api::CommandHeader Workload::Header() {
  api::CommandHeader header;
  header.set_request_id(NextId("r"));
  header.mutable_basis()->set_number(kBasisNumber);
  header.mutable_basis()->set_issuer(kBasisIssuer);
  header.set_effective_date(kEffectiveDate);
  return header;
}

pb::BudgetLine Workload::Line() {
  pb::BudgetLine line;
  line.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
  line.set_function_code("2010101");  // 一般公共服务 / 人大事务 / 行政运行
  line.set_economic_code("30101");    // 基本工资
  line.set_kind(pb::BASIC);
  return line;
}

Command Workload::Establish(const std::string& agency_id, int index) {
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header();
  api::AgencySpec* spec = r.mutable_agency();
  spec->set_agency_id(agency_id);
  // Names are unique among a jurisdiction's active agencies: each run's agencies carry its tag,
  // so runs against one server never collide.
  spec->set_name(absl::StrCat("负载测试局", options_.run_tag, "-", index));
  spec->set_kind(pb::GOVERNMENT_DEPARTMENT);
  spec->set_rank(pb::SECTION_CHIEF);
  spec->set_jurisdiction("负载测试区");
  return {CommandKind::kEstablishAgency, 0, std::move(r), "", index};
}

std::vector<std::vector<Command>> Workload::SetupPhases() {
  std::vector<Command> establish;
  std::vector<Command> provide;
  for (int a = 0; a < options_.agencies; ++a) {
    establish.push_back(Establish(AgencyId(a), a));
    if (options_.kind != WorkloadKind::kDisburse) {
      api::ChangeQuotaRequest r;
      *r.mutable_header() = Header();
      r.set_agency_id(AgencyId(a));
      r.set_category(pb::ADMINISTRATIVE);
      r.set_count(kSetupQuota);
      provide.push_back({CommandKind::kGrantQuota, 0, std::move(r), "", a});
    }
    if (options_.kind != WorkloadKind::kRegister) {
      api::AppropriateRequest r;
      *r.mutable_header() = Header();
      r.set_agency_id(AgencyId(a));
      r.set_fiscal_year(kFiscalYear);
      *r.mutable_line() = Line();
      r.set_amount_fen(kSetupAppropriationFen);
      provide.push_back({CommandKind::kAppropriate, 0, std::move(r), "", a});
    }
  }
  if (options_.kind == WorkloadKind::kMixed) {
    for (int c = 0; c < options_.clients; ++c) {
      establish.push_back(Establish(SideAgencyId(c), options_.agencies + c));
    }
  }
  return {std::move(establish), std::move(provide)};
}

int Workload::PickAgency(ClientState& state, int client) const {
  const int n = options_.agencies;
  const int clients = options_.clients;
  if (n < clients) return client % n;
  const int share = (n - 1 - client) / clients + 1;  // indices ≡ client (mod clients)
  return client + clients * std::uniform_int_distribution<int>(0, share - 1)(state.random);
}

Command Workload::Register(int client, int agency) {
  api::RegisterPersonRequest r;
  *r.mutable_header() = Header();
  api::PersonToRegister* p = r.mutable_person();
  p->set_person_id(NextId("p"));
  p->set_name("负载测试人员");
  p->set_agency_id(AgencyId(agency));
  p->set_category(pb::ADMINISTRATIVE);
  p->set_entry_reason(options_.existing_staff ? pb::EXISTING_STAFF : pb::CIVIL_SERVICE_EXAM);
  return {CommandKind::kRegisterPerson, client, std::move(r), "", agency};
}

Command Workload::Disburse(int client, int agency) {
  api::DisburseRequest r;
  *r.mutable_header() = Header();
  r.set_agency_id(AgencyId(agency));
  r.set_fiscal_year(kFiscalYear);
  *r.mutable_line() = Line();
  r.set_amount_fen(kDisburseAmountFen);
  r.set_disbursement_id(NextId("d"));
  r.set_date(kEffectiveDate);
  r.set_purpose("负载测试支付");
  return {CommandKind::kDisburse, client, std::move(r), "", agency};
}

Command Workload::ChangeQuota(int client, int agency, bool grant) {
  api::ChangeQuotaRequest r;
  *r.mutable_header() = Header();
  r.set_agency_id(AgencyId(agency));
  r.set_category(pb::ADMINISTRATIVE);
  r.set_count(1);
  return {grant ? CommandKind::kGrantQuota : CommandKind::kWithdrawQuota, client, std::move(r), "",
          agency};
}

Command Workload::Transfer(int client, int agency, std::string person_id) {
  api::TransferPersonsRequest r;
  *r.mutable_header() = Header();
  r.set_from_agency_id(AgencyId(agency));
  r.set_to_agency_id(SideAgencyId(client));
  r.add_person_ids(person_id);
  pb::QuotaCount* quota = r.add_quotas();
  quota->set_category(pb::ADMINISTRATIVE);
  quota->set_count(1);
  return {CommandKind::kTransferPersons, client, std::move(r), std::move(person_id), agency};
}

Command Workload::Next(int client) {
  ClientState& state = clients_[static_cast<size_t>(client)];
  const int agency = PickAgency(state, client);
  switch (options_.kind) {
    case WorkloadKind::kRegister:
      return Register(client, agency);
    case WorkloadKind::kDisburse:
      return Disburse(client, agency);
    case WorkloadKind::kMixed:
      break;
  }
  constexpr int kTotal =
      kMixRegisterWeight + kMixTransferWeight + kMixQuotaWeight + kMixDisburseWeight;
  int pick = std::uniform_int_distribution<int>(0, kTotal - 1)(state.random);
  if (pick < kMixRegisterWeight) return Register(client, agency);
  pick -= kMixRegisterWeight;
  if (pick < kMixTransferWeight) {
    if (state.in_post.empty()) return Register(client, agency);
    auto [from, person] = std::move(state.in_post.back());
    state.in_post.pop_back();
    return Transfer(client, from, std::move(person));
  }
  pick -= kMixTransferWeight;
  if (pick < kMixQuotaWeight) return ChangeQuota(client, agency, state.quota_changes++ % 2 == 0);
  return Disburse(client, agency);
}

void Workload::Done(const Command& command, const grpc::Status& status) {
  if (options_.kind != WorkloadKind::kMixed) return;
  ClientState& state = clients_[static_cast<size_t>(command.client)];
  if (command.kind == CommandKind::kRegisterPerson && status.ok()) {
    const auto& r = std::get<api::RegisterPersonRequest>(command.request);
    state.in_post.emplace_back(command.agency, r.person().person_id());
  } else if (command.kind == CommandKind::kTransferPersons &&
             status.error_code() == grpc::StatusCode::ABORTED) {
    // Gave up: nothing was recorded, the person is still in post where they were. (After
    // another failure they may have moved; the client forgets them.)
    state.in_post.emplace_back(command.agency, command.person_id);
  }
}

}  // namespace reformlog::loadgen
