// Text encodings of the files reformctl reads and writes: UTF-8 inside, GB18030 (which GBK
// and GB2312 are subsets of) for the Chinese spreadsheets that expect it. Conversions use
// glibc's iconv. Thread-safe.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_TEXT_ENCODING_H_
#define REFORMLOG_CLIENTS_REFORMCTL_TEXT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"

namespace reformlog::ctl {

// `bytes` in `encoding` (utf-8 or utf8, gb18030, gbk, gb2312, or auto: UTF-8 when valid,
// else GB18030; any case) → UTF-8, a leading UTF-8 BOM dropped. INVALID_ARGUMENT for another
// encoding, and for bytes that are not valid in theirs (naming the first bad byte for
// GB18030); INTERNAL when this system's iconv cannot convert GB18030.
absl::StatusOr<std::string> ToUtf8(std::string bytes, const std::string& encoding);
// UTF-8 → `encoding` (utf-8 or utf8; utf-8-bom or utf8-bom: UTF-8 after a byte-order mark,
// which Excel on a Chinese Windows desktop needs to read UTF-8; or gb18030; any case).
// INVALID_ARGUMENT for another encoding or text that is not UTF-8; "" probes whether an encoding
// is accepted (and gives the BOM alone for utf-8-bom).
absl::StatusOr<std::string> FromUtf8(std::string text, const std::string& encoding);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_TEXT_ENCODING_H_
