// UTF-8 validation (RFC 3629): every byte sequence is a shortest-form encoding of a scalar
// value (U+0000 … U+10FFFF, no surrogates U+D800 … U+DFFF). What a proto3 string field must
// hold to be serialised and read back, so what every text field is checked against before
// it is written.
#ifndef REFORMLOG_BASE_UTF8_H_
#define REFORMLOG_BASE_UTF8_H_

#include "absl/strings/string_view.h"

namespace reformlog {

// True when `text` is entirely valid UTF-8 (the empty string is).
bool IsValidUtf8(absl::string_view text);

}  // namespace reformlog

#endif  // REFORMLOG_BASE_UTF8_H_
