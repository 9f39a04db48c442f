#include "services/reformd/verify_data_directory.h"

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/status_macros.h"
#include "eventstore/rocks_event_store.h"
#include "services/reformd/reformd_server.h"

namespace reformlog::services {

absl::StatusOr<std::vector<integrity::LogReport>> VerifyDataDirectory(
    const VerifyDataDirectoryOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("--data_dir is empty");
  const std::string key_file = options.public_key_file.empty()
                                   ? absl::StrCat(options.data_dir, "/keys/checkpoint.pub.pem")
                                   : options.public_key_file;
  ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(key_file, kKeyFileBytesMax));
  absl::StatusOr<VerifyingKey> key = VerifyingKey::FromPublicPem(pem);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(key_file, ": ", key.status().message()));
  }
  std::vector<std::string> kept;
  for (const std::string& file : options.kept_checkpoint_files) {
    ASSIGN_OR_RETURN(std::string text, ReadSmallFile(file, eventstore::kCheckpointBytesMax));
    kept.push_back(std::move(text));
  }

  std::vector<integrity::LogReport> reports;
  const std::pair<const char*, std::string> logs[] = {
      {"main", absl::StrCat(options.data_dir, "/log")},
      {"security", absl::StrCat(options.data_dir, "/", kSecurityLogDir)}};
  std::vector<std::unique_ptr<eventstore::RocksEventStore>> stores;
  std::vector<std::unique_ptr<integrity::LogKeeper>> keepers;
  for (const auto& [name, path] : logs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      return absl::NotFoundError(
          absl::StrCat("no ", name, " log at ", path, ": is this a reformd data directory?"));
    }
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = path;
    absl::StatusOr<std::unique_ptr<eventstore::RocksEventStore>> store =
        eventstore::RocksEventStore::Open(store_options);
    if (!store.ok()) {
      if (store.status().code() == absl::StatusCode::kDataLoss) {
        integrity::LogReport report;
        report.log = name;
        report.intact = false;
        report.problem = std::string(store.status().message());
        reports.push_back(report);
        stores.push_back(nullptr);
        keepers.push_back(nullptr);
        continue;
      }
      return store.status();
    }
    keepers.push_back(
        std::make_unique<integrity::LogKeeper>(name, **store, *key, nullptr, SystemClock()));
    stores.push_back(*std::move(store));
    ASSIGN_OR_RETURN(integrity::LogReport report, keepers.back()->VerifyFull());
    reports.push_back(std::move(report));
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    ASSIGN_OR_RETURN(eventstore::CheckpointNote note, eventstore::ParseCheckpoint(kept[i]));
    integrity::LogKeeper* keeper = nullptr;
    for (size_t k = 0; k < keepers.size(); ++k) {
      if (logs[k].first == note.log) keeper = keepers[k].get();
    }
    if (keeper == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.kept_checkpoint_files[i], ": no readable log named ", note.log));
    }
    ASSIGN_OR_RETURN(integrity::LogReport report, keeper->VerifyKept(kept[i]));
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace reformlog::services
