// Values of subcommand options that are more than one word: lists of ids.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_
#define REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace reformlog::ctl {

// "a,b,c" → {"a", "b", "c"}: split at ASCII commas, each piece trimmed of spaces, then at
// full-width commas (，, as a Chinese input method types them); empty and all-space pieces
// are dropped. (Spaces beside a full-width comma stay: "a ，b" → {"a ", "b"}.)
std::vector<std::string> SplitList(absl::string_view text);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_
