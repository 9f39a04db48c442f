#include "clients/reformctl/option_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace reformlog::ctl {

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view piece :
       absl::StrSplit(text, absl::ByAnyChar(","), absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(piece));
  }
  // Full-width commas too, as typed with a Chinese input method.
  std::vector<std::string> all;
  for (const std::string& piece : out) {
    for (absl::string_view p : absl::StrSplit(piece, "，", absl::SkipWhitespace()))
      all.emplace_back(p);
  }
  return all;
}

}  // namespace reformlog::ctl
