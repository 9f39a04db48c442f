#include "eventstore/kv_store.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace reformlog::eventstore {
namespace {

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

// The smallest key greater than every key with `prefix`; empty when there is none.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    auto last = static_cast<unsigned char>(prefix.back());
    if (last != 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

class RocksKeyValueStore final : public KeyValueStore {
 public:
  explicit RocksKeyValueStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
  ~RocksKeyValueStore() override { db_->Close().PermitUncheckedError(); }

  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) return FromRocks(s, "reading read-model store");
    return value;
  }

  absl::Status Scan(absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
         it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size()));
         it->Next()) {
      if (!fn({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()}))
        break;
    }
    return FromRocks(it->status(), "scanning read-model store");
  }

  absl::Status Write(const KvBatch& batch) override {
    rocksdb::WriteBatch wb;
    for (const KvBatch::Op& op : batch.ops) {
      switch (op.kind) {
        case KvBatch::Op::Kind::kPut:
          wb.Put(op.key, op.value);
          break;
        case KvBatch::Op::Kind::kDelete:
          wb.Delete(op.key);
          break;
        case KvBatch::Op::Kind::kDeletePrefix: {
          const std::string end = PrefixEnd(op.key);
          if (end.empty()) return absl::InvalidArgumentError("cannot delete the empty prefix");
          wb.DeleteRange(op.key, end);
          break;
        }
      }
    }
    return FromRocks(db_->Write(rocksdb::WriteOptions(), &wb), "writing read-model store");
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
};

class InMemoryKeyValueStore final : public KeyValueStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return std::nullopt;
    return it->second;
  }

  absl::Status Scan(absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) override {
    std::lock_guard lock(mu_);
    for (auto it = data_.lower_bound(std::string(prefix));
         it != data_.end() && absl::StartsWith(it->first, prefix); ++it) {
      if (!fn(it->first, it->second)) break;
    }
    return absl::OkStatus();
  }

  absl::Status Write(const KvBatch& batch) override {
    std::lock_guard lock(mu_);
    for (const KvBatch::Op& op : batch.ops) {
      switch (op.kind) {
        case KvBatch::Op::Kind::kPut:
          data_[op.key] = op.value;
          break;
        case KvBatch::Op::Kind::kDelete:
          data_.erase(op.key);
          break;
        case KvBatch::Op::Kind::kDeletePrefix:
          for (auto it = data_.lower_bound(op.key);
               it != data_.end() && absl::StartsWith(it->first, op.key);) {
            it = data_.erase(it);
          }
          break;
      }
    }
    return absl::OkStatus();
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> data_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRocksKeyValueStore(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create read-model directory ", path, ": ", ec.message()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 4;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  rocksdb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(options, path, &raw),
                            absl::StrCat("opening read-model store ", path)));
  return std::unique_ptr<KeyValueStore>(new RocksKeyValueStore(std::unique_ptr<rocksdb::DB>(raw)));
}

std::unique_ptr<KeyValueStore> NewInMemoryKeyValueStore() {
  return std::make_unique<InMemoryKeyValueStore>();
}

}  // namespace reformlog::eventstore
