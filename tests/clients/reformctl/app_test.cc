// The app reformctl parses with (BuildApp), inspected whole in both languages: every
// subcommand and option has help, every change takes its options (--basis, --effective-date)
// after the subcommand too, and queries take the output options there.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

using ::testing::IsEmpty;

// Every subcommand below `app`, each with its path ("agency merge").
void Walk(CLI::App& app, const std::string& path,
          std::vector<std::pair<std::string, CLI::App*>>& out) {
  for (CLI::App* sub : app.get_subcommands({})) {
    const std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    out.emplace_back(sub_path, sub);
    Walk(*sub, sub_path, out);
  }
}

class AppTest : public ::testing::TestWithParam<Lang> {
 protected:
  void SetUp() override { SetLang(GetParam()); }
  void TearDown() override { SetLang(Lang::kEn); }  // the other tests' language
};

TEST_P(AppTest, EverySubcommandAndOptionHasHelp) {
  CLI::App app;
  Cli cli(app);
  BuildApp(app, cli);
  std::vector<std::pair<std::string, CLI::App*>> subs;
  Walk(app, "", subs);
  ASSERT_GT(subs.size(), 80u);
  std::vector<std::string> missing;
  for (const auto& [path, sub] : subs) {
    if (sub->get_description().empty()) missing.push_back(path);
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_description().empty()) {
        missing.push_back(path + " " + option->get_name());
      }
    }
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_description().empty()) missing.push_back(option->get_name());
  }
  EXPECT_THAT(missing, IsEmpty()) << absl::StrJoin(missing, "\n");
}

// Whether `text` holds a CJK character (U+3000–U+9FFF, U+FF00–U+FFEF: three UTF-8 bytes
// starting 0xE3–0xE9 or 0xEF).
bool HasChinese(const std::string& text) {
  return std::ranges::any_of(text, [](char byte) {
    const auto c = static_cast<unsigned char>(byte);
    return (c >= 0xE3 && c <= 0xE9) || c == 0xEF;
  });
}

TEST(AppChineseTest, EveryHelpTextIsInChinese) {
  SetLang(Lang::kZh);
  struct English {
    ~English() { SetLang(Lang::kEn); }
  } restore;
  CLI::App app;
  Cli cli(app);
  BuildApp(app, cli);
  std::vector<std::pair<std::string, CLI::App*>> subs;
  Walk(app, "", subs);
  std::vector<std::string> english;
  for (const auto& [path, sub] : subs) {
    if (!HasChinese(sub->get_description())) english.push_back(path);
    for (const CLI::Option* option : sub->get_options()) {
      if (option == sub->get_help_ptr() || option == sub->get_help_all_ptr()) continue;
      if (!HasChinese(option->get_description())) {
        english.push_back(path + " " + option->get_name() + ": " + option->get_description());
      }
    }
  }
  EXPECT_THAT(english, IsEmpty()) << absl::StrJoin(english, "\n");
}

TEST_P(AppTest, ChangesTakeTheirOptionsAfterTheSubcommand) {
  CLI::App app;
  Cli cli(app);
  BuildApp(app, cli);
  std::vector<std::pair<std::string, CLI::App*>> subs;
  Walk(app, "", subs);
  for (const auto& [path, sub] : subs) {
    if (!sub->get_subcommands({}).empty()) continue;  // a group, not a command
    EXPECT_NE(sub->get_option_no_throw("--json"), nullptr) << path;
    EXPECT_NE(sub->get_option_no_throw("--server"), nullptr) << path;
    EXPECT_NE(sub->get_option_no_throw("--lang"), nullptr) << path;
  }
  for (const char* change : {"agency merge", "person register", "quota withdraw", "budget disburse",
                             "import", "quota-use approve", "plan draft", "power delegate"}) {
    bool found = false;
    for (const auto& [path, sub] : subs) {
      if (path != change) continue;
      found = true;
      EXPECT_NE(sub->get_option_no_throw("--basis"), nullptr) << path;
      EXPECT_NE(sub->get_option_no_throw("--effective-date"), nullptr) << path;
      EXPECT_NE(sub->get_option_no_throw("--dry-run"), nullptr) << path;
    }
    EXPECT_TRUE(found) << change;
  }
  for (const char* query : {"tree", "staffing", "check", "powers", "events", "person show"}) {
    for (const auto& [path, sub] : subs) {
      if (path == query) {
        EXPECT_EQ(sub->get_option_no_throw("--basis"), nullptr) << path;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothLanguages, AppTest, ::testing::Values(Lang::kZh, Lang::kEn),
                         [](const auto& info) { return info.param == Lang::kZh ? "Zh" : "En"; });

}  // namespace
}  // namespace reformlog::ctl
