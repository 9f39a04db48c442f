// Sorted repeated fields for the staffing read models: entities keep their repeated fields
// ordered by a key (category, rank, person id) so that equal states serialize to equal bytes,
// whatever order the events came in. Internal to projections/staffing.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_SORTED_FIELDS_H_
#define REFORMLOG_PROJECTIONS_STAFFING_SORTED_FIELDS_H_

#include <algorithm>

#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace reformlog::projections {

// The element of `items` (sorted by key_of) whose key is `key`; a default element is inserted
// in its place when there is none (the caller sets its key).
template <typename T, typename Key, typename KeyOf>
T& FindOrInsertSorted(google::protobuf::RepeatedPtrField<T>* items, const Key& key, KeyOf key_of) {
  auto it = std::lower_bound(items->begin(), items->end(), key,
                             [&](const T& item, const Key& k) { return key_of(item) < k; });
  const int index = static_cast<int>(it - items->begin());
  if (it != items->end() && key_of(*it) == key) return *items->Mutable(index);
  items->Add();
  // Moves the new element's pointer into place: one memmove, not a swap per element.
  std::rotate(items->pointer_begin() + index, items->pointer_end() - 1, items->pointer_end());
  return *items->Mutable(index);
}

// Removes the element whose key is `key` from `items` (sorted by key_of); false if absent.
template <typename T, typename Key, typename KeyOf>
bool EraseSorted(google::protobuf::RepeatedPtrField<T>* items, const Key& key, KeyOf key_of) {
  auto it = std::lower_bound(items->begin(), items->end(), key,
                             [&](const T& item, const Key& k) { return key_of(item) < k; });
  if (it == items->end() || !(key_of(*it) == key)) return false;
  items->DeleteSubrange(static_cast<int>(it - items->begin()), 1);
  return true;
}

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_SORTED_FIELDS_H_
