#include "projections/entity_table.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"

namespace reformlog::projections {
namespace {

std::string Deterministic(const google::protobuf::Message& m) {
  std::string bytes;
  google::protobuf::io::StringOutputStream raw(&bytes);
  google::protobuf::io::CodedOutputStream out(&raw);
  out.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&out);
  out.Trim();
  return bytes;
}

}  // namespace

const google::protobuf::Message* EntityTable::Find(absl::string_view key) const {
  auto it = entities_.find(key);
  return it == entities_.end() ? nullptr : it->second.get();
}

google::protobuf::Message* EntityTable::Mutable(absl::string_view key) {
  auto it = entities_.find(key);
  if (it == entities_.end()) {
    it =
        entities_
            .emplace(std::string(key), std::unique_ptr<google::protobuf::Message>(prototype_.New()))
            .first;
  }
  changed_.emplace(key);
  return it->second.get();
}

void EntityTable::Erase(absl::string_view key) {
  auto it = entities_.find(key);
  if (it == entities_.end()) return;
  entities_.erase(it);
  changed_.emplace(key);
}

void EntityTable::ForEach(
    const std::function<void(const std::string&, const google::protobuf::Message&)>& fn) const {
  for (const auto& [key, entity] : entities_) fn(key, *entity);
}

std::vector<std::pair<std::string, std::optional<std::string>>> EntityTable::TakeChanges() {
  std::vector<std::pair<std::string, std::optional<std::string>>> changes;
  changes.reserve(changed_.size());
  for (const std::string& key : changed_) {
    const google::protobuf::Message* entity = Find(key);
    changes.emplace_back(
        key, entity == nullptr ? std::nullopt : std::optional<std::string>(Deterministic(*entity)));
  }
  changed_.clear();
  return changes;
}

absl::Status EntityTable::Load(absl::string_view key, absl::string_view bytes) {
  std::unique_ptr<google::protobuf::Message> entity(prototype_.New());
  if (!entity->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("read-model entity ", key, " does not parse as ",
                                            prototype_.GetDescriptor()->full_name()));
  }
  entities_[std::string(key)] = std::move(entity);
  return absl::OkStatus();
}

bool EntityTable::Equals(const EntityTable& other) const {
  if (entities_.size() != other.entities_.size()) return false;
  auto a = entities_.begin();
  auto b = other.entities_.begin();
  for (; a != entities_.end(); ++a, ++b) {
    if (a->first != b->first || Deterministic(*a->second) != Deterministic(*b->second))
      return false;
  }
  return true;
}

std::string EntityTable::Render() const {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.SetSingleLineMode(true);
  std::string out;
  for (const auto& [key, entity] : entities_) {
    std::string text;
    printer.PrintToString(*entity, &text);
    absl::StrAppend(&out, key, " { ", text, "}\n");
  }
  return out;
}

}  // namespace reformlog::projections
