// The language reformctl speaks to people: Chinese (the default — its users are 编办 officers
// and reform leadership teams) or English (for integrators). It chooses every table header,
// label, message and help text, and asks reformd for refusals in the same language (the
// accept-language metadata of every call). Identifiers, --json output and exit codes are the
// same in both.
//
// The language is chosen once, before the command line is parsed (help texts are registered
// in it): `--lang zh|en` anywhere on the command line, else the environment's
// REFORMLOG_LANG, else Chinese. The locale is not consulted: servers in Chinese government IT
// commonly run en_US.UTF-8 for their Chinese users. Set before any other thread starts; read
// from any thread after.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_LANG_H_
#define REFORMLOG_CLIENTS_REFORMCTL_LANG_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace reformlog::ctl {

enum class Lang { kZh, kEn };

Lang CurrentLang();
void SetLang(Lang lang);

// The language `text` names: "zh", "zh-CN", "zh_CN.UTF-8", "cn", "中文" → kZh; "en", "en-US",
// "en_US.UTF-8", "english" → kEn (any case); nullopt for anything else.
std::optional<Lang> ParseLang(absl::string_view text);

// The language asked for by `--lang X` or `--lang=X` in argv, else by `env_value` (the
// environment's REFORMLOG_LANG; null when unset), else Chinese. A value naming no language is
// ignored here; the --lang option's own check refuses it when the command line is parsed.
Lang LangFromCommandLine(int argc, const char* const* argv, const char* env_value);

// The text for the current language: `zh` in Chinese, `en` in English.
inline const char* Tr(const char* zh, const char* en) {
  return CurrentLang() == Lang::kZh ? zh : en;
}
inline std::string Tr(std::string zh, std::string en) {
  return CurrentLang() == Lang::kZh ? std::move(zh) : std::move(en);
}

// Each (zh, en) pair's text for the current language: a table's headers.
std::vector<std::string> TrEach(std::initializer_list<std::pair<const char*, const char*>> pairs);

// The metadata value reformctl sends as accept-language: "zh-CN" or "en".
const char* AcceptLanguage();

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_LANG_H_
