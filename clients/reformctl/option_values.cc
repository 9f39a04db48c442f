#include "clients/reformctl/option_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"

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

domain::v1::QuotaCount ParseQuotaCount(const std::string& option, const std::string& text,
                                       absl::string_view example) {
  std::pair<std::string, std::string> kv = absl::StrSplit(text, absl::MaxSplits('=', 1));
  int count = 0;
  if (!absl::SimpleAtoi(kv.second, &count)) {
    throw Exit{
        kExitUsage,
        absl::StrCat(option, " \"", text,
                     Tr("\" 应为 编制类别=数量，如 ", "\" is not CATEGORY=COUNT, e.g. "), example)};
  }
  domain::v1::QuotaCount q;
  q.set_category(ParseEnum<domain::v1::QuotaCategory>(option, kv.first));
  q.set_count(count);
  return q;
}

}  // namespace reformlog::ctl
