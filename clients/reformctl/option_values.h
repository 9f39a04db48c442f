// Values of subcommand options that are more than one word: lists of ids, CATEGORY=COUNT
// quotas, JSON files of a request's repeated parts. A value that does not parse ends reformctl
// with Exit(kExitUsage) naming the option, before anything is sent.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_
#define REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/reformctl/exit_codes.h"
#include "google/protobuf/util/json_util.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::ctl {

// "a,b,c" → {"a", "b", "c"}: split at ASCII commas, each piece trimmed of spaces, then at
// full-width commas (，, as a Chinese input method types them); empty and all-space pieces
// are dropped. (Spaces beside a full-width comma stay: "a ，b" → {"a ", "b"}.)
std::vector<std::string> SplitList(absl::string_view text);

// "行政编制=7" (the category as enums.h parses it, then a count) → a QuotaCount. Exit naming
// `option` and quoting `text`, with `example` as the usage hint ("e.g. 行政编制=7"), when the
// count is not a number; as ParseEnum when the category is unknown.
domain::v1::QuotaCount ParseQuotaCount(const std::string& option, const std::string& text,
                                       absl::string_view example);

// The message of type M in the protobuf JSON file at `path`. Exit "OPTION: cannot read PATH"
// when the file cannot be opened, "OPTION PATH: STATUS" when it is not M's JSON.
template <typename M>
M ReadJsonFile(const std::string& option, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Exit{kExitUsage, absl::StrCat(option, ": cannot read ", path)};
  std::stringstream text;
  text << in.rdbuf();
  M message;
  if (auto s = google::protobuf::util::JsonStringToMessage(text.str(), &message); !s.ok()) {
    throw Exit{kExitUsage, absl::StrCat(option, " ", path, ": ", s.ToString())};
  }
  return message;
}

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_OPTION_VALUES_H_
