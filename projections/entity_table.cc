#include "projections/entity_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"

namespace reformlog::projections {
namespace {

// Changes are visited by walking the whole table, rather than by sorting them, when more
// than one entity in kWalkAllChangedFraction has changed.
constexpr size_t kWalkAllChangedFraction = 16;

}  // namespace

std::string EntityTable::Serialize(const google::protobuf::Message& entity) {
  // Sized once, written once: no growing of the string as the message is written.
  const size_t size = entity.ByteSizeLong();
  std::string bytes(size, '\0');
  google::protobuf::io::ArrayOutputStream raw(bytes.data(), static_cast<int>(size));
  google::protobuf::io::CodedOutputStream out(&raw);
  out.SetSerializationDeterministic(true);
  entity.SerializeWithCachedSizes(&out);
  return bytes;
}

const google::protobuf::Message* EntityTable::Find(absl::string_view key) const {
  auto it = entities_.find(key);
  return it == entities_.end() ? nullptr : it->second.message.get();
}

void EntityTable::MarkWhole(Entries::iterator it) {
  Entry& entry = it->second;
  if (entry.changed == Changed::kNo) changed_.push_back(it);
  entry.changed = Changed::kWhole;
  entry.parts.reset();
}

void EntityTable::MarkParts(Entries::iterator it, const google::protobuf::Message* element) {
  Entry& entry = it->second;
  if (entry.changed == Changed::kWhole) return;
  // Without a parted field, or over a persisted form that holds the field inside the entity,
  // only a whole rewrite leaves one form on disk.
  if (parted_field_ == nullptr || entry.stored == Stored::kWhole) {
    MarkWhole(it);
    return;
  }
  if (entry.changed == Changed::kNo) {
    changed_.push_back(it);
    entry.changed = Changed::kParts;
    entry.parts = std::make_unique<PartChanges>();
  }
  if (element == nullptr) {
    entry.parts->header = true;
  } else {
    entry.parts->elements.insert(element);
  }
}

EntityTable::Entries::iterator EntityTable::Live(absl::string_view key) {
  auto it = entities_.lower_bound(key);
  if (it == entities_.end() || it->first != key) {
    it = entities_.emplace_hint(it, std::string(key), Entry());
  }
  if (it->second.message == nullptr) {
    it->second.message.reset(prototype_.New());
    ++live_;
    MarkWhole(it);  // created
  }
  return it;
}

google::protobuf::Message* EntityTable::Mutable(absl::string_view key) {
  auto it = Live(key);
  MarkWhole(it);
  return it->second.message.get();
}

EntityTable::PartsMarker EntityTable::MutableParts(absl::string_view key) {
  auto it = Live(key);
  if (parted_field_ == nullptr) MarkWhole(it);
  return PartsMarker(this, it);
}

void EntityTable::Erase(absl::string_view key) {
  auto it = entities_.find(key);
  if (it == entities_.end() || it->second.message == nullptr) return;
  it->second.message.reset();
  --live_;
  MarkWhole(it);
}

void EntityTable::ForEach(
    const std::function<void(const std::string&, const google::protobuf::Message&)>& fn) const {
  for (const auto& [key, entry] : entities_) {
    if (entry.message != nullptr) fn(key, *entry.message);
  }
}

void EntityTable::TakeChanges(
    absl::FunctionRef<void(const std::string& key, const Change& change)> fn) {
  auto visit = [&](Entries::iterator it) {
    Entry& entry = it->second;
    Change change;
    change.entity = entry.message.get();
    change.persisted = entry.stored != Stored::kNo;
    change.parts = entry.changed == Changed::kParts ? entry.parts.get() : nullptr;
    fn(it->first, change);
    if (entry.changed == Changed::kWhole) {
      entry.stored = entry.message == nullptr ? Stored::kNo : Stored::kParted;
    }
    entry.changed = Changed::kNo;
    entry.parts.reset();
    return entry.message == nullptr;  // a tombstone, whose change is now taken
  };
  if (changed_.size() * kWalkAllChangedFraction > entities_.size()) {
    for (auto it = entities_.begin(); it != entities_.end();) {
      if (it->second.changed != Changed::kNo && visit(it)) {
        it = entities_.erase(it);
      } else {
        ++it;
      }
    }
  } else {
    std::sort(changed_.begin(), changed_.end(),
              [](Entries::iterator a, Entries::iterator b) { return a->first < b->first; });
    for (auto it : changed_) {
      if (visit(it)) entities_.erase(it);
    }
  }
  changed_.clear();
}

void EntityTable::ForgetChanges() {
  TakeChanges([](const std::string&, const Change&) {});
}

absl::Status EntityTable::Load(absl::string_view key, absl::string_view bytes) {
  std::unique_ptr<google::protobuf::Message> entity(prototype_.New());
  if (!entity->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("read-model entity ", key, " does not parse as ",
                                            prototype_.GetDescriptor()->full_name()));
  }
  Entry& entry = entities_[std::string(key)];
  if (entry.message == nullptr) ++live_;
  const bool whole =
      parted_field_ != nullptr && entity->GetReflection()->FieldSize(*entity, parted_field_) > 0;
  entry.message = std::move(entity);
  entry.stored = whole ? Stored::kWhole : Stored::kParted;
  return absl::OkStatus();
}

absl::Status EntityTable::LoadPart(absl::string_view key, absl::string_view bytes) {
  if (parted_field_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("read-model entity ", key, ": a part, but ",
                                                      prototype_.GetDescriptor()->full_name(),
                                                      " is not persisted in parts"));
  }
  Entry& entry = entities_[std::string(key)];
  if (entry.message == nullptr) {
    entry.message.reset(prototype_.New());
    ++live_;
  }
  google::protobuf::Message* element =
      entry.message->GetReflection()->AddMessage(entry.message.get(), parted_field_);
  if (!element->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    entry.message->GetReflection()->RemoveLast(entry.message.get(), parted_field_);
    return absl::DataLossError(absl::StrCat("read-model entity ", key,
                                            ": a part does not parse as ",
                                            parted_field_->message_type()->full_name()));
  }
  // Loaded after its header, an element leaves the persisted form parted; an entity of parts
  // alone (its header lost) is so too.
  if (entry.stored == Stored::kNo) entry.stored = Stored::kParted;
  return absl::OkStatus();
}

bool EntityTable::Equals(const EntityTable& other) const {
  if (size() != other.size()) return false;
  auto next_live = [](const Entries& entries, Entries::const_iterator it) {
    while (it != entries.end() && it->second.message == nullptr) ++it;
    return it;
  };
  auto a = next_live(entities_, entities_.begin());
  auto b = next_live(other.entities_, other.entities_.begin());
  for (; a != entities_.end();
       a = next_live(entities_, std::next(a)), b = next_live(other.entities_, std::next(b))) {
    if (a->first != b->first || Serialize(*a->second.message) != Serialize(*b->second.message))
      return false;
  }
  return true;
}

std::string EntityTable::Render() const {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.SetSingleLineMode(true);
  std::string out;
  ForEach([&](const std::string& key, const google::protobuf::Message& entity) {
    std::string text;
    printer.PrintToString(entity, &text);
    absl::StrAppend(&out, key, " { ", text, "}\n");
  });
  return out;
}

}  // namespace reformlog::projections
