// The language of a text a person reads: Chinese, the users' (编办 officers, leadership
// teams), unless the caller asks for English (integrators). Code, logs and identifiers are
// English whatever this says.
#ifndef REFORMLOG_DOMAIN_LANGUAGE_H_
#define REFORMLOG_DOMAIN_LANGUAGE_H_

#include <functional>
#include <string>

namespace reformlog::domain {

enum class Language { kChinese, kEnglish };

// The name an agency id is shown by in a text; empty when it knows none (the text then shows
// the id). May be empty itself: every agency is shown by its id.
using NameOf = std::function<std::string(const std::string& agency_id)>;

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_LANGUAGE_H_
