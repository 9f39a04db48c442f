#include "tests/testing/log_tamper.h"

#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/log_hash.h"
#include "eventstore/rocks_format.h"
#include "reformlog/storage/v1/envelope.pb.h"
#include "rocksdb/db.h"

namespace reformlog::testing {
namespace {

namespace format = ::reformlog::eventstore::format;

absl::Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(status.ToString());
}

class RawDb {
 public:
  static absl::StatusOr<std::unique_ptr<RawDb>> Open(const std::string& path) {
    std::vector<std::string> names;
    if (rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
        !s.ok()) {
      return FromRocks(s);
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.reserve(names.size());
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    auto db = std::unique_ptr<RawDb>(new RawDb);
    rocksdb::DB* raw = nullptr;
    if (rocksdb::Status s =
            rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &db->handles_, &raw);
        !s.ok()) {
      return FromRocks(s);
    }
    db->db_.reset(raw);
    for (size_t i = 0; i < names.size(); ++i) db->by_name_[names[i]] = db->handles_[i];
    return db;
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(const std::string& name) {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }
  absl::StatusOr<storage::v1::StoredEvent> ReadEvent(uint64_t position) {
    std::string value;
    rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), family(format::kEventsColumnFamily),
                                   format::PositionKey(position), &value);
    if (got.IsNotFound()) return absl::NotFoundError(absl::StrCat("no event at ", position));
    if (!got.ok()) return FromRocks(got);
    storage::v1::StoredEvent event;
    if (!event.ParseFromString(value)) {
      return absl::DataLossError(absl::StrCat("event ", position, " does not parse"));
    }
    return event;
  }
  absl::Status WriteEvent(uint64_t position, const storage::v1::StoredEvent& event) {
    return FromRocks(db_->Put(rocksdb::WriteOptions(), family(format::kEventsColumnFamily),
                              format::PositionKey(position), event.SerializeAsString()));
  }

 private:
  RawDb() = default;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
};

}  // namespace

absl::Status FlipEventByte(const std::string& path, uint64_t position) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<storage::v1::StoredEvent> event = (*db)->ReadEvent(position);
  if (!event.ok()) return event.status();
  std::string data = event->data();
  if (data.empty()) return absl::FailedPreconditionError("the event has no payload to change");
  data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x01);
  event->set_data(data);
  return (*db)->WriteEvent(position, *event);
}

absl::Status RewritePrincipal(const std::string& path, uint64_t first_position,
                              uint64_t last_position, const std::string& principal) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  for (uint64_t p = first_position; p <= last_position; ++p) {
    absl::StatusOr<storage::v1::StoredEvent> event = (*db)->ReadEvent(p);
    if (!event.ok()) return event.status();
    event->set_principal(principal);
    if (absl::Status s = (*db)->WriteEvent(p, *event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DeleteEvent(const std::string& path, uint64_t position) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  return FromRocks((*db)->db().Delete(rocksdb::WriteOptions(),
                                      (*db)->family(format::kEventsColumnFamily),
                                      format::PositionKey(position)));
}

absl::Status SwapEvents(const std::string& path, uint64_t first, uint64_t second) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<storage::v1::StoredEvent> a = (*db)->ReadEvent(first);
  absl::StatusOr<storage::v1::StoredEvent> b = (*db)->ReadEvent(second);
  if (!a.ok()) return a.status();
  if (!b.ok()) return b.status();
  a->set_position(second);
  b->set_position(first);
  if (absl::Status s = (*db)->WriteEvent(first, *b); !s.ok()) return s;
  return (*db)->WriteEvent(second, *a);
}

absl::Status RewriteChain(const std::string& path, uint64_t from_position) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  rocksdb::ColumnFamilyHandle* chain_family = (*db)->family(format::kChainColumnFamily);
  std::string digest_name;
  if (rocksdb::Status s =
          (*db)->db().Get(rocksdb::ReadOptions(), (*db)->family(format::kMetaColumnFamily),
                          format::kDigestKey, &digest_name);
      !s.ok()) {
    return FromRocks(s);
  }
  absl::StatusOr<DigestAlgorithm> algorithm = ParseDigestAlgorithm(digest_name);
  if (!algorithm.ok()) return algorithm.status();
  Digest chain{};
  if (from_position > 1) {
    std::string previous;
    if (rocksdb::Status s = (*db)->db().Get(rocksdb::ReadOptions(), chain_family,
                                            format::PositionKey(from_position - 1), &previous);
        !s.ok()) {
      return FromRocks(s);
    }
    absl::StatusOr<Digest> parsed = DigestFromBytes(previous);
    if (!parsed.ok()) return parsed.status();
    chain = *parsed;
  }
  std::string canonical;
  for (uint64_t p = from_position;; ++p) {
    std::string value;
    rocksdb::Status got =
        (*db)->db().Get(rocksdb::ReadOptions(), (*db)->family(format::kEventsColumnFamily),
                        format::PositionKey(p), &value);
    if (got.IsNotFound()) break;
    if (!got.ok()) return FromRocks(got);
    absl::StatusOr<eventstore::RecordedEvent> event = format::DecodeEvent(value, p);
    if (!event.ok()) return event.status();
    eventstore::CanonicalRecord(*event, &canonical);
    chain = eventstore::ChainHash(*algorithm, chain, canonical);
    if (absl::Status s =
            FromRocks((*db)->db().Put(rocksdb::WriteOptions(), chain_family, format::PositionKey(p),
                                      std::string(DigestBytes(chain))));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Rechain(const std::string& path) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  for (const char* name : {format::kChainColumnFamily, format::kMerkleColumnFamily}) {
    rocksdb::ColumnFamilyHandle* family = (*db)->family(name);
    if (family == nullptr) continue;
    std::unique_ptr<rocksdb::Iterator> it((*db)->db().NewIterator(rocksdb::ReadOptions(), family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (absl::Status s =
              FromRocks((*db)->db().Delete(rocksdb::WriteOptions(), family, it->key()));
          !s.ok()) {
        return s;
      }
    }
  }
  return FromRocks((*db)->db().Put(rocksdb::WriteOptions(),
                                   (*db)->family(format::kMetaColumnFamily),
                                   format::kFormatVersionKey, format::EncodeFormatVersion(1)));
}

absl::Status PutRaw(const std::string& path, const std::string& family, const std::string& key,
                    const std::string& value) {
  absl::StatusOr<std::unique_ptr<RawDb>> db = RawDb::Open(path);
  if (!db.ok()) return db.status();
  rocksdb::ColumnFamilyHandle* handle = (*db)->family(family);
  if (handle == nullptr) return absl::NotFoundError(absl::StrCat("no column family ", family));
  return FromRocks((*db)->db().Put(rocksdb::WriteOptions(), handle, key, value));
}

}  // namespace reformlog::testing
