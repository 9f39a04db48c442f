// ReformdServer: reformd as a library — the event store, the gRPC services over it, the
// standard health service and server reflection — so that main() and the tests run the
// same server. A request that does not parse is answered INVALID_ARGUMENT naming its type
// (services/common/unparsed_request_interceptor.h).
//
// Secure by default: every call but the standard health check needs an authenticated
// principal (services/security/guard.h); on a fresh data directory Start() creates the
// administrator `admin` and writes its bearer token to <data_dir>/admin.token (0600).
// Without TLS it listens only on loopback unless told otherwise.
//
// Tamper evidence: on start each log (the main log and the security log) is verified since
// its latest signed checkpoint (services/integrity/log_keeper.h); an altered log takes no
// writes and the health service reports NOT_SERVING, while reads go on so that an operator
// can look. Checkpoints are signed periodically, on demand (Integrity.SignCheckpoint) and at
// shutdown, with the key in <data_dir>/keys.
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
#include "base/digest.h"
#include "base/signature.h"
#include "eventstore/event_store.h"
#include "projections/projection_runner.h"

namespace reformlog::services {

// What one client may hold of the server (README, Security, Bounds). gRPC 1.51 cannot be made
// safe in-process against everything (an HTTP/2 rapid-reset flood, descriptor exhaustion at
// accept): off loopback, reformd runs behind the reverse proxy in deploy/nginx/.
// Calls open at once on one connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
inline constexpr int kStreamsPerConnectionMax = 100;
// A connection with no call open for this long is closed (GOAWAY); the client reconnects
// when it next calls.
inline constexpr absl::Duration kConnectionIdleMax = absl::Minutes(5);
// reformd pings a connection this long silent, and drops it when the ping is not answered
// within kKeepaliveTimeout: a subscriber whose machine vanished stops holding a slot.
inline constexpr absl::Duration kKeepaliveInterval = absl::Minutes(1);
inline constexpr absl::Duration kKeepaliveTimeout = absl::Seconds(20);
// The memory gRPC may use for its buffers, across every connection (its ResourceQuota).
inline constexpr size_t kGrpcMemoryBytesMax = 256 << 20;
// One request, at most (gRPC's default, named).
inline constexpr int kRequestBytesMax = 4 << 20;

struct ReformdOptions {
  std::string data_dir;                    // the embedded RocksDB data directory
  std::string listen = "127.0.0.1:50051";  // host:port; port 0 picks a free one
  const Clock* clock = &SystemClock();
  // Threads that run commands (each waits for its commit's fsync; together they feed the
  // store's group commit). 64 ran 64 registering clients 5–15% faster than 32 (tests/bench
  // load, 2 cores); fewer starve the group commit (8: about a third slower).
  int command_threads = 64;
  // Threads that run queries (each may wait, bounded, for min_position).
  int query_threads = 16;

  // TLS: serve it when a certificate and key (PEM files) are given. With a client CA, client
  // certificates it signed are verified and their common name authenticates a principal;
  // require_client_cert refuses connections without one.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  bool require_client_cert = false;
  // Without TLS, reformd listens only on a loopback address unless this says plaintext on
  // the network is intended (tokens then cross the network in clear).
  bool insecure_plaintext_on_network = false;
  // gRPC server reflection (lets tools list the services); off unless asked for.
  bool reflection = false;
  // Issue the built-in administrator a new token at start (the old ones keep working until
  // revoked) and write it to admin.token: the way back in when the token file was lost.
  bool reset_admin_token = false;
  // Tamper evidence: the hash of the log's chain and tree for a new data directory (an
  // existing one keeps its own), and the algorithm of the checkpoint key made on first start.
  DigestAlgorithm digest = DigestAlgorithm::kSm3;
  SignatureAlgorithm checkpoint_key = SignatureAlgorithm::kSm2;
  // How often reformd looks whether a checkpoint is due (integrity::kCheckpointInterval).
  absl::Duration checkpoint_poll = absl::Seconds(1);
  // kConnectionIdleMax; tests shorten it.
  absl::Duration connection_idle_max = kConnectionIdleMax;
};

// The security log under the data directory: principals, roles, token digests (an event
// store of its own, beside the main log in log/ and the read models in readmodels/).
inline constexpr char kSecurityLogDir[] = "security";
// Where reformd writes the administrator's token on a fresh data directory (mode 0600).
inline constexpr char kAdminTokenFile[] = "admin.token";
// The principal reformd creates on a fresh data directory, holding the administrator role.
inline constexpr char kBootstrapAdmin[] = "admin";
// The principal that records what reformd itself does (the first administrator, token resets).
inline constexpr char kSystemPrincipal[] = "reformd";

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
  // <data_dir>/admin.token.
  std::string admin_token_path() const;

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
