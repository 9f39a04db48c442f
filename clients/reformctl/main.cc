// reformctl: the command line of Reformlog. See `reformctl --help` and the README's tour.
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

// CLI11's own words for a bad command line, in Chinese where it has common ones.
std::string ParseErrorText(const CLI::ParseError& e) {
  std::string what = e.what();
  if (CurrentLang() == Lang::kEn) return what;
  constexpr absl::string_view kRequired = " is required";
  if (absl::EndsWith(what, kRequired)) {
    return absl::StrCat("缺少必填项 ", what.substr(0, what.size() - kRequired.size()));
  }
  constexpr absl::string_view kExtras = "The following argument";
  if (absl::StartsWith(what, kExtras)) {
    return absl::StrCat("无法识别的参数：", what.substr(what.find(':') + 1));
  }
  return absl::StrCat("命令行有误：", what);
}

int Main(int argc, char** argv) {
  SetLang(LangFromCommandLine(argc, argv, std::getenv("REFORMLOG_LANG")));
  SetTableWidthMax(StdoutTableWidth());
  CLI::App app;
  Cli cli(app);
  BuildApp(app, cli);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "reformctl: " << ParseErrorText(e) << "\n"
              << Tr("运行 reformctl --help 或 reformctl 子命令 --help 查看用法\n",
                    "Run with --help for more information.\n");
    return kExitUsage;
  } catch (const Exit& e) {
    if (!e.message.empty()) std::cerr << "reformctl: " << e.message << "\n";
    return e.code;
  }
  return kExitOk;
}

}  // namespace
}  // namespace reformlog::ctl

int main(int argc, char** argv) { return reformlog::ctl::Main(argc, argv); }
