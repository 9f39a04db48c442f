#include "clients/reformctl/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/utf8_text.h"

namespace reformlog::ctl {
namespace {

// `bytes` from encoding `from` to encoding `to` with iconv; INVALID_ARGUMENT naming the byte
// it cannot convert.
absl::StatusOr<std::string> Iconv(std::string bytes, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (reinterpret_cast<intptr_t>(cd) == -1) {  // iconv_open's (iconv_t)-1
    return absl::InternalError(absl::StrCat("iconv cannot convert from ", from, " to ", to));
  }
  // Twice the input always fits between UTF-8 and GB18030 (a 2-byte UTF-8 character can take
  // 4 bytes in GB18030); grow on E2BIG all the same.
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_p = bytes.data();
  size_t in_left = bytes.size();
  size_t used = 0;
  while (true) {
    char* out_p = out.data() + used;
    size_t out_left = out.size() - used;
    const size_t r = iconv(cd, &in_p, &in_left, &out_p, &out_left);
    used = out.size() - out_left;
    if (r != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {
      iconv_close(cd);
      return absl::InvalidArgumentError(
          absl::StrCat("not valid ", from, " at byte ", bytes.size() - in_left));
    }
    out.resize(out.size() * 2);
  }
  iconv_close(cd);
  out.resize(used);
  return out;
}

}  // namespace

absl::StatusOr<std::string> ToUtf8(std::string bytes, const std::string& encoding) {
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.erase(0, 3);  // a BOM, as Excel writes
  std::string from = absl::AsciiStrToLower(encoding);
  if (from == "auto") from = IsValidUtf8(bytes) ? "utf-8" : "gb18030";
  if (from == "utf-8" || from == "utf8") {
    if (!IsValidUtf8(bytes))
      return absl::InvalidArgumentError("the file is not valid UTF-8 (try --encoding gb18030)");
    return bytes;
  }
  if (from != "gb18030" && from != "gbk" && from != "gb2312") {
    return absl::InvalidArgumentError(
        absl::StrCat("--encoding ", encoding, " is not utf-8, gb18030 or auto"));
  }
  absl::StatusOr<std::string> text = Iconv(std::move(bytes), "UTF-8", "GB18030");
  if (!text.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("the file is ", text.status().message()));
  }
  return text;
}

absl::StatusOr<std::string> FromUtf8(std::string text, const std::string& encoding) {
  const std::string to = absl::AsciiStrToLower(encoding);
  const bool bom = to == "utf-8-bom" || to == "utf8-bom";
  if (to != "utf-8" && to != "utf8" && !bom && to != "gb18030") {
    return absl::InvalidArgumentError(
        absl::StrCat("--encoding ", encoding, " is not utf-8-bom, utf-8 or gb18030"));
  }
  if (!IsValidUtf8(text)) return absl::InvalidArgumentError("the text is not valid UTF-8");
  if (bom) return absl::StrCat("\xEF\xBB\xBF", text);  // how Excel knows UTF-8
  if (to != "gb18030") return text;
  return Iconv(std::move(text), "GB18030", "UTF-8");
}

}  // namespace reformlog::ctl
