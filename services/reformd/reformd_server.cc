#include "services/reformd/reformd_server.h"

#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/rocks_event_store.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "services/commands/command_runner.h"
#include "services/common/authenticator.h"
#include "services/common/worker_pool.h"
#include "services/feed/event_feed_service.h"
#include "services/org/org_command_service.h"
#include "services/staffing/staffing_command_service.h"
#include "spdlog/spdlog.h"

namespace reformlog::services {

class ReformdServer::Impl {
 public:
  absl::Status Start(const ReformdOptions& options) {
    if (options.data_dir.empty()) return absl::InvalidArgumentError("--data_dir is empty");
    if (options.listen.empty()) return absl::InvalidArgumentError("--listen is empty");
    if (options.principal.empty()) return absl::InvalidArgumentError("--principal is empty");
    if (options.command_threads < 1) {
      return absl::InvalidArgumentError("--command_threads must be at least 1");
    }
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = options.data_dir;
    store_options.clock = options.clock;
    absl::StatusOr<std::unique_ptr<eventstore::RocksEventStore>> store =
        eventstore::RocksEventStore::Open(store_options);
    if (!store.ok()) return store.status();
    store_ = std::move(*store);
    feed_ = std::make_unique<EventFeedService>(*store_, calls_);
    runner_ = std::make_unique<CommandRunner>(*store_, *options.clock);
    authenticator_ = std::make_unique<LocalPrincipalAuthenticator>(options.principal);
    workers_ = std::make_unique<WorkerPool>(options.command_threads);
    const CommandEnv env{*runner_, *authenticator_, calls_, *workers_};
    org_ = std::make_unique<OrgCommandService>(env);
    staffing_ = std::make_unique<StaffingCommandService>(env);

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(feed_.get());
    builder.RegisterService(org_.get());
    builder.RegisterService(staffing_.get());
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      store_->Close();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
    }
    host_ = options.listen.substr(0, options.listen.rfind(':'));
    if (host_ == "0.0.0.0" || host_ == "[::]" || host_.empty()) host_ = "127.0.0.1";
    spdlog::info("reformd serving on {} (data directory {})", address(), options.data_dir);
    return absl::OkStatus();
  }

  void Shutdown(absl::Duration grace) {
    {
      std::lock_guard lock(mu_);
      if (shut_down_) return;
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
    workers_.reset();  // runs what is queued: every accepted command is answered first
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

 private:
  std::unique_ptr<eventstore::RocksEventStore> store_;
  CallTracker calls_;
  std::unique_ptr<EventFeedService> feed_;
  std::unique_ptr<CommandRunner> runner_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<OrgCommandService> org_;
  std::unique_ptr<StaffingCommandService> staffing_;
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
  if (absl::Status s = impl->Start(options); !s.ok()) return s;
  return std::unique_ptr<ReformdServer>(new ReformdServer(std::move(impl)));
}

int ReformdServer::port() const { return impl_->port(); }
std::string ReformdServer::address() const { return impl_->address(); }
eventstore::EventStore& ReformdServer::store() { return impl_->store(); }
void ReformdServer::Shutdown(absl::Duration grace) { impl_->Shutdown(grace); }
void ReformdServer::Wait() { impl_->Wait(); }

}  // namespace reformlog::services
