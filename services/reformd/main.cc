// reformd: the Reformlog server. Flags live here only; they become ReformdOptions.
//
// SIGINT / SIGTERM: stop accepting calls, finish the ones in flight and every queued
// commit, close the store, exit 0.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "services/reformd/data_directory.h"
#include "services/reformd/reformd_server.h"
#include "services/reformd/verify_data_directory.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, data_dir, "", "Embedded RocksDB data directory (created if missing).");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "host:port to serve gRPC on; port 0 = any.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate (chain) to serve TLS with; needs --tls_key_file.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA whose client certificates are verified; a certificate's common name "
          "authenticates the principal registered with it.");
ABSL_FLAG(bool, require_client_cert, false,
          "Refuse TLS connections without a client certificate signed by --tls_client_ca_file.");
ABSL_FLAG(bool, insecure_plaintext_on_network, false,
          "Serve plaintext on a non-loopback --listen address (tokens cross the network in "
          "clear). Without TLS reformd otherwise refuses to start there.");
ABSL_FLAG(bool, reflection, false, "Serve gRPC server reflection (lets tools list the services).");
ABSL_FLAG(bool, reset_admin_token, false,
          "Issue the administrator `admin` a new token at start and write it to "
          "<data_dir>/admin.token (when the old one was lost).");
ABSL_FLAG(int, command_threads, reformlog::services::ReformdOptions{}.command_threads,
          "Threads that run commands; each waits for its commit's fsync, and together they "
          "feed the store's group commit.");
ABSL_FLAG(std::string, digest, "sm3",
          "Hash of the log's chain and Merkle tree for a new data directory: sm3 (GB/T 32905) "
          "or sha256. An existing data directory keeps its own.");
ABSL_FLAG(std::string, checkpoint_key_algorithm, "sm2",
          "Algorithm of the checkpoint signing key made on first start: sm2 or ed25519.");
ABSL_FLAG(bool, verify, false,
          "Do not serve: verify the data directory (stopped, or a copy) — both logs "
          "recomputed, every checkpoint checked — and exit 0 when intact, 1 when altered "
          "(naming the first bad position), 2 when it cannot be read.");
ABSL_FLAG(std::string, public_key_file, "",
          "With --verify: the checkpoint key's public half (PEM); default "
          "<data_dir>/keys/checkpoint.pub.pem.");
ABSL_FLAG(std::vector<std::string>, kept_checkpoint, {},
          "With --verify: checkpoint files kept off the host (comma-separated), each checked "
          "against the log it names.");
ABSL_FLAG(int, shutdown_grace_seconds, 5,
          "On SIGINT/SIGTERM, how long calls in flight may take before they are cancelled.");

namespace {

// reformd --verify: one line per log and kept checkpoint, Chinese first.
int VerifyAndExit(const std::string& data_dir) {
  reformlog::services::VerifyDataDirectoryOptions options;
  options.data_dir = data_dir;
  options.public_key_file = absl::GetFlag(FLAGS_public_key_file);
  options.kept_checkpoint_files = absl::GetFlag(FLAGS_kept_checkpoint);
  absl::StatusOr<std::vector<reformlog::services::integrity::LogReport>> reports =
      reformlog::services::VerifyDataDirectory(options);
  if (!reports.ok()) {
    std::cerr << "无法核验数据目录 " << data_dir << "：" << reports.status().ToString() << "\n";
    return 2;
  }
  bool intact = true;
  for (const reformlog::services::integrity::LogReport& r : *reports) {
    const char* label = r.log == "main" ? "主日志" : "安全日志";
    if (r.intact) {
      std::cout << label << " (" << r.log << ")：完整。";
      if (r.verified_to > 0) {
        std::cout << "已重算第 " << r.verified_from << "–" << r.verified_to << " 号事件，";
      }
      std::cout << "核对签名检查点 " << r.checkpoints_checked << " 个。\n";
    } else {
      intact = false;
      std::cout << label << " (" << r.log << ")：已被篡改！";
      if (r.first_bad_position > 0)
        std::cout << "第 " << r.first_bad_position << " 号事件起不一致。";
      std::cout << "\n  " << r.problem << "\n";
    }
  }
  return intact ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "reformd — the Reformlog (改革台账) server: the event log, its read models and the gRPC "
      "services.\n\nUsage: reformd --data_dir=DIR [--listen=127.0.0.1:50051] [flags]");
  // --help lists the flags defined here (abseil's default looks for a file named after the
  // program, and reformd's are in main.cc).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "services/reformd/");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  usage.normalize_filename = [](absl::string_view file) {
    const size_t at = file.find("services/reformd/");
    return std::string(at == absl::string_view::npos ? file : file.substr(at));
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);
  // Logs go to stderr; stdout carries only the "listening on" line, for scripts.
  spdlog::set_default_logger(spdlog::stderr_color_mt("reformd"));
  // Debian's abseil is built with absl::Mutex deadlock detection on: a lock-order graph
  // updated on every lock, by us and by gRPC (which locks absl::Mutex on every call). Our
  // lock orders are proven by the tests (and ThreadSanitizer), not at run time.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals in every thread (gRPC's and RocksDB's inherit this mask); this
  // thread takes them with sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Everything reformd creates — RocksDB's files, the token file — is the owner's alone;
  // ReformdServer also tightens what an older release or a copy left readable.
  ::umask(reformlog::services::kDataUmask);
  // Every client connection and every RocksDB file is a descriptor: the soft limit (often
  // 1,024) goes up to the hard one, which the administrator sets (systemd's LimitNOFILE).
  if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &files) != 0) {
      spdlog::warn("cannot raise the open-file limit to {}: {}", files.rlim_max,
                   std::strerror(errno));
    }
  }

  reformlog::services::ReformdOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.require_client_cert = absl::GetFlag(FLAGS_require_client_cert);
  options.insecure_plaintext_on_network = absl::GetFlag(FLAGS_insecure_plaintext_on_network);
  options.reflection = absl::GetFlag(FLAGS_reflection);
  options.reset_admin_token = absl::GetFlag(FLAGS_reset_admin_token);
  options.command_threads = absl::GetFlag(FLAGS_command_threads);
  if (options.data_dir.empty()) {
    std::cerr << "reformd: --data_dir is required\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_verify)) return VerifyAndExit(options.data_dir);
  absl::StatusOr<reformlog::DigestAlgorithm> digest =
      reformlog::ParseDigestAlgorithm(absl::GetFlag(FLAGS_digest));
  absl::StatusOr<reformlog::SignatureAlgorithm> key_algorithm =
      reformlog::ParseSignatureAlgorithm(absl::GetFlag(FLAGS_checkpoint_key_algorithm));
  if (!digest.ok() || !key_algorithm.ok()) {
    std::cerr << "reformd: --digest: " << digest.status().message()
              << "; --checkpoint_key_algorithm: " << key_algorithm.status().message() << "\n";
    return 2;
  }
  options.digest = *digest;
  options.checkpoint_key = *key_algorithm;
  absl::StatusOr<std::unique_ptr<reformlog::services::ReformdServer>> server =
      reformlog::services::ReformdServer::Start(options);
  if (!server.ok()) {
    spdlog::error("reformd cannot start: {}", server.status().ToString());
    return 1;
  }
  std::cout << "reformd listening on " << (*server)->address() << std::endl;
  std::cout << "administrator token file: " << (*server)->admin_token_path() << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received signal {}", signal_number);
  (*server)->Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
