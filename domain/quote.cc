#include "domain/quote.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace reformlog::domain {
namespace {

// The longest a UTF-8 character is, in bytes.
constexpr size_t kUtf8CharBytesMax = 4;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

absl::string_view Utf8Prefix(absl::string_view text, size_t bytes_max) {
  if (text.size() <= bytes_max) return text;
  // text[cut] is the first byte left out: while it continues a character, that character
  // started inside the prefix and is left out too.
  size_t cut = bytes_max;
  while (cut > 0 && bytes_max - cut < kUtf8CharBytesMax - 1 && IsContinuationByte(text[cut])) {
    --cut;
  }
  if (IsContinuationByte(text[cut])) cut = bytes_max;  // not UTF-8 here: a plain byte cut
  return text.substr(0, cut);
}

std::string QuoteValue(absl::string_view value) {
  if (value.size() <= kQuotedValueBytesMax) return absl::StrCat("\"", value, "\"");
  return absl::StrCat("\"", Utf8Prefix(value, kQuotedPrefixBytesMax), "…\" (", value.size(),
                      " bytes)");
}

std::string ListSome(const std::vector<std::string>& items) {
  if (items.size() <= kListedItemsMax) return absl::StrJoin(items, "; ");
  return absl::StrCat(absl::StrJoin(items.begin(), items.begin() + kListedItemsMax, "; "),
                      "; … and ", items.size() - kListedItemsMax, " more (", items.size(),
                      " in all)");
}

std::string ListSomeZh(const std::vector<std::string>& items) {
  if (items.size() <= kListedItemsMax) return absl::StrJoin(items, "；");
  return absl::StrCat(absl::StrJoin(items.begin(), items.begin() + kListedItemsMax, "；"),
                      "；……另有", items.size() - kListedItemsMax, "项（共", items.size(), "项）");
}

}  // namespace reformlog::domain
