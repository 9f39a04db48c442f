// reformctl admin verify, admin checkpoint sign|list|check (Integrity): the log's tamper
// evidence for an administrator and an auditor. `checkpoint check FILE` is what an auditor
// runs on a checkpoint kept off the host: the signature with the key they hold, then a
// consistency proof from that checkpoint to the log as it is now, checked here
// (eventstore/log_hash.h), so that a rewrite of anything before it shows.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/files.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "eventstore/checkpoint_note.h"
#include "eventstore/log_hash.h"

namespace reformlog::ctl {
namespace {

std::string LogLabel(const std::string& log) {
  if (log == "main") return "主日志 (main)";
  if (log == "security") return "安全日志 (security)";
  return log;
}

std::string ReadFileOrExit(const std::string& path, const char* what, size_t bytes_max) {
  absl::StatusOr<std::string> text = ReadSmallFile(path, bytes_max);
  if (text.status().code() == absl::StatusCode::kNotFound) {
    throw Exit{kExitUsage, absl::StrCat("无法读取", what, " ", path)};
  }
  if (!text.ok()) {
    throw Exit{kExitUsage, absl::StrCat(what, " ", path, " 超过 ", bytes_max, " 字节，不是", what)};
  }
  return *std::move(text);
}

void WriteFileOrExit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Exit{kExitUsage, absl::StrCat("无法写入 ", path)};
}

Digest DigestOrExit(const std::string& bytes, const char* what) {
  absl::StatusOr<Digest> digest = DigestFromBytes(bytes);
  if (!digest.ok()) throw Exit{kExitRejected, absl::StrCat("服务端返回的", what, "不是 32 字节")};
  return *digest;
}

void AddVerify(CLI::App& admin, Cli& cli) {
  auto full = std::make_shared<bool>(false);
  auto* verify = admin.add_subcommand(
      "verify", "核验日志未被篡改：重算哈希链与默克尔树，核对签名检查点 (verify the logs)");
  verify->add_flag("--full", *full,
                   "从第 1 号事件起全部重算并核对每个检查点（默认：自最近检查点起）");
  verify->callback([&cli, full] {
    api::VerifyLogRequest r;
    r.set_full(*full);
    const api::VerifyLogResponse response =
        cli.Query(cli.client().integrity(), &api::Integrity::Stub::VerifyLog, r);
    if (cli.json()) {
      Cli::PrintJson(response);
    }
    bool intact = true;
    for (const api::LogReport& report : response.logs()) {
      if (cli.json()) break;
      if (report.intact()) {
        std::cout << LogLabel(report.log()) << "：完整。";
        if (report.verified_to() >= report.verified_from() && report.verified_to() > 0) {
          std::cout << "已重算第 " << report.verified_from() << "–" << report.verified_to()
                    << " 号事件，";
        }
        std::cout << "核对签名检查点 " << report.checkpoints_checked() << " 个。\n";
      } else {
        std::cout << LogLabel(report.log()) << "：已被篡改！";
        if (report.first_bad_position() > 0) {
          std::cout << "第 " << report.first_bad_position() << " 号事件起不一致。";
        }
        std::cout << "\n  " << report.problem() << "\n"
                  << "  该日志已停止写入；请从备份恢复后重启 reformd。\n";
      }
    }
    for (const api::LogReport& report : response.logs()) intact = intact && report.intact();
    if (!intact) throw Exit{kExitRejected, ""};
  });
}

void AddCheckpointCommands(CLI::App& admin, Cli& cli) {
  auto* checkpoint = admin.add_subcommand(
      "checkpoint", "签名检查点：签署、列出、核对 (signed checkpoints of the log)");
  checkpoint->require_subcommand(1);

  auto out = std::make_shared<std::string>();
  auto* sign = checkpoint->add_subcommand("sign", "立即签署当前日志头的检查点");
  sign->add_option("--out", *out, "把检查点写入此文件，交审计方离机保存");
  sign->callback([&cli, out] {
    const api::Checkpoint c =
        cli.Query(cli.client().integrity(), &api::Integrity::Stub::SignCheckpoint,
                  api::SignCheckpointRequest());
    if (cli.json()) {
      Cli::PrintJson(c);
    } else {
      std::cout << c.note();
    }
    if (!out->empty()) {
      WriteFileOrExit(*out, c.note());
      std::cerr << "检查点（第 " << c.size() << " 号事件）已写入 " << *out << "\n";
    }
  });

  auto* list = checkpoint->add_subcommand("list", "列出主日志的签名检查点");
  list->callback([&cli] {
    const api::ListCheckpointsResponse page =
        cli.Query(cli.client().integrity(), &api::Integrity::Stub::ListCheckpoints,
                  api::ListCheckpointsRequest());
    if (cli.json()) {
      Cli::PrintJson(page);
      return;
    }
    std::cout << "事件数\t签署时间（北京时间）\t算法\t密钥\t默克尔根\n";
    for (const api::Checkpoint& c : page.checkpoints()) {
      std::cout << c.size() << "\t"
                << absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixMicros(c.signed_at_us()),
                                    absl::FixedTimeZone(8 * 3600))
                << "\t" << c.digest() << "/" << c.signature_algorithm() << "\t" << c.key_id()
                << "\t" << DigestHex(DigestOrExit(c.root(), "默克尔根")).substr(0, 16) << "…\n";
    }
  });

  struct CheckArgs {
    std::string file;
    std::string public_key;
  };
  auto a = std::make_shared<CheckArgs>();
  auto* check = checkpoint->add_subcommand(
      "check", "审计：核对离机保存的检查点——签名，以及日志自那时起只增未改（一致性证明）");
  check->add_option("file", a->file, "保存的检查点文件")->required();
  check->add_option("--public-key", a->public_key,
                    "签名公钥（PEM），应从可信渠道取得；缺省时取服务端公布的公钥");
  check->callback([&cli, a] {
    absl::StatusOr<eventstore::CheckpointNote> kept = eventstore::ParseCheckpoint(
        ReadFileOrExit(a->file, "检查点文件", eventstore::kCheckpointBytesMax));
    if (!kept.ok()) throw Exit{kExitUsage, absl::StrCat(a->file, "：", kept.status().message())};
    if (kept->log != "main") {
      throw Exit{kExitUsage,
                 absl::StrCat(a->file, " 是 ", kept->log, " 日志的检查点；此命令核对主日志")};
    }
    std::string pem;
    if (a->public_key.empty()) {
      const api::ListCheckpointsResponse listed =
          cli.Query(cli.client().integrity(), &api::Integrity::Stub::ListCheckpoints,
                    api::ListCheckpointsRequest());
      pem = listed.public_key_pem();
      std::cerr << "注意：使用服务端公布的公钥；离机核对请用 --public-key 指定可信公钥。\n";
    } else {
      pem = ReadFileOrExit(a->public_key, "公钥文件", kKeyFileBytesMax);
    }
    absl::StatusOr<VerifyingKey> key = VerifyingKey::FromPublicPem(pem);
    if (!key.ok()) throw Exit{kExitUsage, absl::StrCat("公钥无效：", key.status().message())};
    if (absl::Status s = eventstore::VerifyCheckpoint(*kept, *key); !s.ok()) {
      throw Exit{kExitRejected, absl::StrCat("检查点签名无效：", s.message())};
    }
    api::ConsistencyProofRequest r;
    r.set_old_size(kept->head.size);
    const api::ConsistencyProofResponse proof =
        cli.Query(cli.client().integrity(), &api::Integrity::Stub::GetConsistencyProof, r);
    std::vector<Digest> path;
    for (const std::string& d : proof.path()) path.push_back(DigestOrExit(d, "证明节点"));
    const Digest new_root = DigestOrExit(proof.new_root(), "默克尔根");
    const bool consistent = eventstore::VerifyConsistency(
        kept->digest, kept->head.size, proof.new_size(), kept->head.root, new_root, path);
    if (!consistent) {
      throw Exit{kExitRejected, absl::StrCat("日志与检查点不一致：第 ", kept->head.size,
                                             " 号事件之前的记录已被改写（一致性证明不成立）")};
    }
    std::cout << "检查点有效（" << SignatureName(kept->signature_algorithm) << " 密钥 "
              << kept->key_id << "）。日志自该检查点（" << kept->head.size
              << " 个事件）以来只增未改，现有 " << proof.new_size() << " 个事件。\n";
  });
}

}  // namespace

void AddIntegrityCommands(CLI::App& admin, Cli& cli) {
  AddVerify(admin, cli);
  AddCheckpointCommands(admin, cli);
}

}  // namespace reformlog::ctl
