#include "clients/reformctl/utf8_text.h"

#include <wchar.h>

#include <clocale>

namespace reformlog::ctl {
namespace {

// glibc's mbrtowc and wcwidth know UTF-8 and East Asian widths under a UTF-8 locale.
void UseUtf8Locale() {
  static const bool locale_set = std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr;
  (void)locale_set;
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  UseUtf8Locale();
  size_t width = 0;
  mbstate_t state{};
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, p, left, &state);
    if (n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2) || n == 0) {
      ++width;  // not UTF-8: count the byte as one cell and resynchronise
      state = mbstate_t{};
      n = 1;
    } else {
      const int w = wcwidth(wc);
      width += w < 0 ? 1 : static_cast<size_t>(w);
    }
    p += n;
    left -= n;
  }
  return width;
}

}  // namespace reformlog::ctl
