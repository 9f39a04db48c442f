// How messages people read echo what a caller sent. A caller may send a value of any length (an
// 8 KB id, a name of a thousand characters), and a status message travels in gRPC trailers,
// whose size a client limits (8 KiB by default; Chinese text percent-encodes to three times its
// length there): a message that echoed such a value whole would reach the caller as
// RESOURCE_EXHAUSTED instead of the refusal it is. So every message that echoes a value the
// caller sent echoes it through QuoteValue, and every list of things it names through
// ListSome. An entity id that has passed ValidateId (at most kEntityIdBytesMax bytes of
// [A-Za-z0-9._-]) may be echoed bare.
//
// Pure functions; a cut never splits a UTF-8 character.
#ifndef REFORMLOG_DOMAIN_QUOTE_H_
#define REFORMLOG_DOMAIN_QUOTE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace reformlog::domain {

// A value of at most this many bytes is echoed whole: every valid entity id, most names.
inline constexpr size_t kQuotedValueBytesMax = 64;
// A longer value is echoed as a prefix of at most this many bytes, then "…" and its length.
inline constexpr size_t kQuotedPrefixBytesMax = 32;
// The items one message names before "… and N more".
inline constexpr size_t kListedItemsMax = 10;

// The longest prefix of `text` of at most `bytes_max` bytes that does not end inside a UTF-8
// character. (Where `text` is not valid UTF-8 the cut steps back at most 3 bytes.)
absl::string_view Utf8Prefix(absl::string_view text, size_t bytes_max);

// `value` in double quotes: "xq-dag". Longer than kQuotedValueBytesMax: its first
// kQuotedPrefixBytesMax bytes (at most), "…" inside the quotes and its length after them:
// "aaaaaaaa…" (8192 bytes).
std::string QuoteValue(absl::string_view value);

// "a; b; c": at most kListedItemsMax of `items` joined by "; ", then "; … and N more (M in all)".
std::string ListSome(const std::vector<std::string>& items);
// The same in Chinese punctuation, for a Chinese text: "a；b；c；……另有N项（共M项）".
std::string ListSomeZh(const std::vector<std::string>& items);

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_QUOTE_H_
