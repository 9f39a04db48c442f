#include "services/reformd/reformd_server.h"

#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "projections/all_projections.h"
#include "services/admin/projection_admin_service.h"
#include "services/budget/budget_command_service.h"
#include "services/budget/budget_query_service.h"
#include "services/commands/command_runner.h"
#include "services/common/authenticator.h"
#include "services/common/unparsed_request_interceptor.h"
#include "services/common/worker_pool.h"
#include "services/feed/event_feed_service.h"
#include "services/org/org_command_service.h"
#include "services/org/org_query_service.h"
#include "services/power/power_command_service.h"
#include "services/power/power_query_service.h"
#include "services/reform/reform_command_service.h"
#include "services/reform/reform_query_service.h"
#include "services/staffing/staffing_command_service.h"
#include "services/staffing/staffing_query_service.h"
#include "spdlog/spdlog.h"

namespace reformlog::services {

class ReformdServer::Impl {
 public:
  absl::Status Start(const ReformdOptions& options) {
    if (options.data_dir.empty()) {
      return absl::InvalidArgumentError(
          "ReformdOptions.data_dir is empty: a data directory is needed");
    }
    if (options.listen.empty()) {
      return absl::InvalidArgumentError(
          "ReformdOptions.listen is empty: an address (host:port) is needed");
    }
    if (options.principal.empty()) {
      return absl::InvalidArgumentError("ReformdOptions.principal is empty");
    }
    // The store would refuse every commit of a longer principal; say so now, not per command.
    if (options.principal.size() > eventstore::kPrincipalBytesMax) {
      return absl::InvalidArgumentError(
          absl::StrCat("ReformdOptions.principal is ", options.principal.size(),
                       " bytes; the limit kPrincipalBytesMax is ", eventstore::kPrincipalBytesMax));
    }
    if (options.command_threads < 1 || options.query_threads < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ReformdOptions.command_threads (", options.command_threads, ") and query_threads (",
          options.query_threads, ") must each be at least 1"));
    }
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = options.data_dir + "/log";
    store_options.clock = options.clock;
    ASSIGN_OR_RETURN(store_, eventstore::RocksEventStore::Open(store_options));
    absl::StatusOr<std::unique_ptr<eventstore::KeyValueStore>> kv =
        eventstore::OpenRocksKeyValueStore(options.data_dir + "/readmodels");
    if (!kv.ok()) return Fail(kv.status());
    kv_ = std::move(*kv);
    absl::StatusOr<std::unique_ptr<projections::ProjectionRunner>> projections =
        projections::ProjectionRunner::Start(*store_, *kv_, projections::AllProjections());
    if (!projections.ok()) return Fail(projections.status());
    projections_ = std::move(*projections);

    commands_ = std::make_unique<CommandRunner>(*store_, *options.clock);
    authenticator_ = std::make_unique<LocalPrincipalAuthenticator>(options.principal);
    command_workers_ = std::make_unique<WorkerPool>(options.command_threads);
    query_workers_ = std::make_unique<WorkerPool>(options.query_threads);
    rebuild_workers_ = std::make_unique<WorkerPool>(1);
    const CommandEnv commands{*commands_, *authenticator_, calls_, *command_workers_};
    const QueryEnv queries{*projections_, *store_, *options.clock, calls_, *query_workers_};
    services_.push_back(std::make_unique<EventFeedService>(*store_, calls_, *query_workers_));
    services_.push_back(std::make_unique<OrgCommandService>(commands));
    services_.push_back(std::make_unique<StaffingCommandService>(commands));
    services_.push_back(std::make_unique<PowerCommandService>(commands));
    services_.push_back(std::make_unique<BudgetCommandService>(commands));
    services_.push_back(std::make_unique<ReformCommandService>(commands));
    services_.push_back(std::make_unique<OrgQueryService>(queries));
    services_.push_back(std::make_unique<StaffingQueryService>(queries));
    services_.push_back(std::make_unique<PowerQueryService>(queries));
    services_.push_back(std::make_unique<BudgetQueryService>(queries));
    services_.push_back(std::make_unique<ReformQueryService>(queries));
    services_.push_back(std::make_unique<ProjectionAdminService>(queries, *rebuild_workers_));

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &port_);
    for (const auto& service : services_) builder.RegisterService(service.get());
    // A request that does not parse is INVALID_ARGUMENT, not gRPC's bare UNIMPLEMENTED.
    builder.experimental().SetInterceptorCreators(UnparsedRequestInterceptors());
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      return Fail(absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen)));
    }
    host_ = options.listen.substr(0, options.listen.rfind(':'));
    if (host_ == "0.0.0.0" || host_ == "[::]" || host_.empty()) host_ = "127.0.0.1";
    spdlog::info("reformd serving on {} (data directory {})", address(), options.data_dir);
    return absl::OkStatus();
  }

  void Shutdown(absl::Duration grace) {
    {
      std::lock_guard lock(mu_);
      if (shut_down_ || server_ == nullptr) return;
      shut_down_ = true;
    }
    spdlog::info("reformd shutting down");
    server_->GetHealthCheckService()->Shutdown();
    // Let calls in flight finish, then close at once: subscriptions are cancelled and idle
    // connections dropped (gRPC alone would wait out the deadline for those).
    if (!calls_.WaitIdle(grace)) {
      spdlog::warn("{} calls still running after {}; cancelling them", calls_.in_flight(),
                   absl::FormatDuration(grace));
    }
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
    // Run what is queued: every accepted command is answered first.
    command_workers_.reset();
    query_workers_.reset();
    rebuild_workers_.reset();
    projections_->Stop();
    store_->Close();
    spdlog::info("reformd stopped; every acknowledged commit is on disk");
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    stopped_cv_.notify_all();
  }

  void Wait() {
    std::unique_lock lock(mu_);
    stopped_cv_.wait(lock, [&] { return stopped_; });
  }

  int port() const { return port_; }
  std::string address() const { return absl::StrCat(host_, ":", port_); }
  eventstore::EventStore& store() { return *store_; }
  projections::ProjectionRunner& projections() { return *projections_; }

 private:
  absl::Status Fail(absl::Status status) {
    if (projections_ != nullptr) projections_->Stop();
    store_->Close();
    return status;
  }

  std::unique_ptr<eventstore::RocksEventStore> store_;
  std::unique_ptr<eventstore::KeyValueStore> kv_;
  std::unique_ptr<projections::ProjectionRunner> projections_;
  CallTracker calls_;
  std::unique_ptr<CommandRunner> commands_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<WorkerPool> command_workers_;
  std::unique_ptr<WorkerPool> query_workers_;
  std::unique_ptr<WorkerPool> rebuild_workers_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string host_;
  std::mutex mu_;
  std::condition_variable stopped_cv_;
  bool shut_down_ = false;
  bool stopped_ = false;
};

ReformdServer::ReformdServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReformdServer::~ReformdServer() { impl_->Shutdown(absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<ReformdServer>> ReformdServer::Start(const ReformdOptions& options) {
  auto impl = std::make_unique<Impl>();
  RETURN_IF_ERROR(impl->Start(options));
  return std::unique_ptr<ReformdServer>(new ReformdServer(std::move(impl)));
}

int ReformdServer::port() const { return impl_->port(); }
std::string ReformdServer::address() const { return impl_->address(); }
eventstore::EventStore& ReformdServer::store() { return impl_->store(); }
projections::ProjectionRunner& ReformdServer::projections() { return impl_->projections(); }
void ReformdServer::Shutdown(absl::Duration grace) { impl_->Shutdown(grace); }
void ReformdServer::Wait() { impl_->Wait(); }

}  // namespace reformlog::services
