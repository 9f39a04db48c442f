// ReformdServer: reformd as a library — the event store, the gRPC services over it, the
// standard health service and server reflection — so that main() and the tests run the
// same server. A request that does not parse is answered INVALID_ARGUMENT naming its type
// (services/common/unparsed_request_interceptor.h).
//
// Start() opens the store and binds; Shutdown() stops accepting calls, lets calls in
// flight finish (cancelling what is still running after the grace period: long-lived
// subscriptions), then closes the store, which finishes every queued commit. Thread-safe.
#ifndef REFORMLOG_SERVICES_REFORMD_REFORMD_SERVER_H_
#define REFORMLOG_SERVICES_REFORMD_REFORMD_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "projections/projection_runner.h"

namespace reformlog::services {

struct ReformdOptions {
  std::string data_dir;                    // the embedded RocksDB data directory
  std::string listen = "127.0.0.1:50051";  // host:port; port 0 picks a free one
  const Clock* clock = &SystemClock();
  // The principal recorded with every command (LocalPrincipalAuthenticator); 1 to
  // eventstore::kPrincipalBytesMax bytes.
  std::string principal = "local-admin";
  // Threads that run commands (each waits for its commit's fsync; together they feed the
  // store's group commit). 64 ran 64 registering clients 5–15% faster than 32 (tests/bench
  // load, 2 cores); fewer starve the group commit (8: about a third slower).
  int command_threads = 64;
  // Threads that run queries (each may wait, bounded, for min_position).
  int query_threads = 16;
};

class ReformdServer {
 public:
  // INVALID_ARGUMENT for bad options; the store's error when it cannot open;
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<ReformdServer>> Start(const ReformdOptions& options);

  ~ReformdServer();  // Shutdown(absl::ZeroDuration()) if still running

  // The port actually bound (useful with port 0).
  int port() const;
  // "127.0.0.1:PORT": where clients connect.
  std::string address() const;

  // The store, for in-process use (tests, the loader). Valid until Shutdown().
  eventstore::EventStore& store();
  // The read models, for in-process use (tests). Valid until Shutdown().
  projections::ProjectionRunner& projections();

  void Shutdown(absl::Duration grace);
  // Blocks until Shutdown() has finished.
  void Wait();

 private:
  class Impl;
  explicit ReformdServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORMD_REFORMD_SERVER_H_
