#include "clients/reformctl/lang.h"

#include <atomic>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace reformlog::ctl {
namespace {

std::atomic<Lang> current_lang{Lang::kZh};

}  // namespace

Lang CurrentLang() { return current_lang.load(std::memory_order_relaxed); }

void SetLang(Lang lang) { current_lang.store(lang, std::memory_order_relaxed); }

std::optional<Lang> ParseLang(absl::string_view text) {
  // The language part of a locale or tag: "zh_CN.UTF-8" → "zh", "en-US" → "en".
  const absl::string_view language = text.substr(0, text.find_first_of("-_.@"));
  if (absl::EqualsIgnoreCase(language, "zh") || absl::EqualsIgnoreCase(language, "cn") ||
      absl::EqualsIgnoreCase(language, "chinese") || text == "中文") {
    return Lang::kZh;
  }
  if (absl::EqualsIgnoreCase(language, "en") || absl::EqualsIgnoreCase(language, "english")) {
    return Lang::kEn;
  }
  return std::nullopt;
}

Lang LangFromCommandLine(int argc, const char* const* argv, const char* env_value) {
  std::optional<Lang> chosen;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;  // positionals from here on
    if (arg == "--lang" && i + 1 < argc) {
      chosen = ParseLang(argv[++i]);
    } else if (absl::StartsWith(arg, "--lang=")) {
      chosen = ParseLang(arg.substr(7));
    }
  }
  if (chosen.has_value()) return *chosen;
  if (env_value != nullptr) {
    if (std::optional<Lang> env = ParseLang(env_value)) return *env;
  }
  return Lang::kZh;
}

std::vector<std::string> TrEach(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  std::vector<std::string> out;
  out.reserve(pairs.size());
  for (const auto& [zh, en] : pairs) out.emplace_back(Tr(zh, en));
  return out;
}

const char* AcceptLanguage() { return CurrentLang() == Lang::kZh ? "zh-CN" : "en"; }

}  // namespace reformlog::ctl
