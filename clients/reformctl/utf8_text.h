// UTF-8 text as a terminal shows it: whether bytes are UTF-8 at all, and how many display
// cells they take (a Chinese character takes two).
//
// The width decodes with glibc's mbrtowc/wcwidth, which know UTF-8 and East Asian widths only under
// a UTF-8 locale: the first call sets LC_CTYPE to C.UTF-8 for the whole process (reformctl
// never uses another). Thread-safe.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_UTF8_TEXT_H_
#define REFORMLOG_CLIENTS_REFORMCTL_UTF8_TEXT_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "base/utf8.h"

namespace reformlog::ctl {

// Terminal display width of UTF-8 text (East Asian wide characters count 2). A byte that does
// not decode counts as one cell, and decoding resumes at the next byte.
size_t DisplayWidth(absl::string_view text);

// Whether `text` is entirely valid UTF-8 (an empty text is): base/utf8.h's, strict RFC 3629.
using ::reformlog::IsValidUtf8;

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_UTF8_TEXT_H_
