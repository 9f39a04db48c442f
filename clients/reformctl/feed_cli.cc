// reformctl events, watch (EventFeed) and status, rebuild (ProjectionAdmin).
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <stop_token>
#include <thread>

#include "absl/strings/match.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/display_text.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/table.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/power_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::ctl {
namespace {

// The payload as one line of JSON (the protobuf JSON mapping of its own type); nullopt when
// this build does not know the type or the bytes do not parse.
std::optional<std::string> DecodedPayloadJson(const api::Event& event) {
  static const bool linked = [] {
    domain::v1::AgencyEstablished::descriptor();
    domain::v1::PersonRegistered::descriptor();
    domain::v1::PowerCatalogued::descriptor();
    domain::v1::BudgetAppropriated::descriptor();
    domain::v1::PlanDrafted::descriptor();
    return true;
  }();
  (void)linked;
  const google::protobuf::Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(event.type());
  if (d == nullptr) return std::nullopt;
  std::unique_ptr<google::protobuf::Message> m(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
  if (!m->ParseFromString(event.data())) return std::nullopt;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(*m, &json, options).ok()) return std::nullopt;
  return json;
}

// The payload for a person to read: its JSON, or what is known of it.
std::string PayloadText(const api::Event& event) {
  if (std::optional<std::string> json = DecodedPayloadJson(event)) return *json;
  return absl::StrCat(Tr("（未知类型，", "("), event.data().size(),
                      Tr(" 字节）", " bytes of an unknown type or that do not parse)"));
}

// The event as protobuf JSON with its payload decoded (field "payload", the JSON mapping of
// its own type) in place of the base64 "data"; "data" stays when the payload cannot be decoded.
std::string EventJson(const api::Event& event) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::optional<std::string> payload = DecodedPayloadJson(event);
  api::Event rest = event;
  if (payload.has_value()) rest.clear_data();  // carried decoded instead
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(rest, &json, options);
  if (payload.has_value() && !json.empty() && json.back() == '}') {
    json.pop_back();
    absl::StrAppend(&json, json.size() > 1 ? "," : "", "\"payload\":", *payload, "}");
  }
  return json;
}

void PrintEventLine(const Cli& cli, const api::Event& e) {
  if (cli.json()) {
    std::cout << EventJson(e) << "\n";
  } else {
    std::cout << e.position() << "  " << e.effective_date() << "  " << e.stream_id() << "  "
              << EventLabel(e.type()) << "  " << e.basis().number() << "  " << PayloadText(e)
              << "\n";
  }
  std::cout.flush();
}

struct FeedArgs {
  uint64_t from = 1;
  uint32_t limit = 100;
  std::string prefix;
  std::vector<std::string> types;

  void Add(CLI::App* cmd, bool with_limit) {
    cmd->add_option("--from", from, Tr("从日志的这一位置起", "first log position"))
        ->capture_default_str();
    if (with_limit) {
      cmd->add_option("--limit", limit, Tr("至多列出这么多条事件", "at most this many events"))
          ->capture_default_str();
    }
    cmd->add_option("--stream-prefix", prefix,
                    Tr("只列流编号以此开头的事件，如 agency- 或 person-7",
                       "only streams starting so, e.g. agency- or person-7"));
    cmd->add_option(
        "--type", types,
        Tr("只列此类事件，如 AgencyMerged（可重复）", "event type, e.g. AgencyMerged (repeat)"));
  }
  api::EventFilter Filter() const {
    api::EventFilter f;
    f.set_stream_prefix(prefix);
    for (const std::string& t : types) {
      f.add_event_types(absl::StrContains(t, ".") ? t : absl::StrCat("reformlog.domain.v1.", t));
    }
    return f;
  }
};

// Ctrl-C (SIGINT) or SIGTERM while watching: the handler only writes a byte to this pipe
// (write is async-signal-safe); a thread reading it ends the subscription.
int g_stop_pipe[2] = {-1, -1};

void OnStopSignal(int) {
  const char byte = 1;
  const ssize_t written = write(g_stop_pipe[1], &byte, 1);
  static_cast<void>(written);  // a full pipe already says "stop"
}

}  // namespace

void AddFeedCommands(CLI::App& app, Cli& cli) {
  auto* events =
      app.add_subcommand("events", Tr("日志中的事件（从某一位置起，可筛选）",
                                      "events of the log, from a position, with filters"));
  auto e = std::make_shared<FeedArgs>();
  e->Add(events, true);
  events->callback([&cli, e] {
    api::ReadAllRequest r;
    r.set_from_position(e->from);
    r.set_max_count(e->limit);
    *r.mutable_filter() = e->Filter();
    api::ReadAllResponse page = cli.Query(cli.client().feed(), &api::EventFeed::Stub::ReadAll, r);
    for (const api::Event& event : page.events()) PrintEventLine(cli, event);
    if (!cli.json()) {
      std::cerr << page.events_size() << Tr(" 条事件；下一位置 ", " events; next position ")
                << page.next_position() << Tr("，日志末位 ", ", head ") << page.head_position()
                << "\n";
    }
  });

  auto* watch = app.add_subcommand("watch", Tr("事件一经记录即列出（Ctrl-C 停止）",
                                               "print events as they are recorded (Ctrl-C stops)"));
  auto w = std::make_shared<FeedArgs>();
  w->from = 0;
  w->Add(watch, false);
  watch->callback([&cli, w] {
    client::ReformlogClient& client = cli.client();
    uint64_t from = w->from;
    if (from == 0) {  // from now on
      api::HeadResponse head =
          cli.Query(client.feed(), &api::EventFeed::Stub::Head, api::HeadRequest());
      from = head.head_position() + 1;
    }
    if (pipe(g_stop_pipe) != 0) {
      throw Exit{kExitUsage, absl::StrCat("watch: pipe: ", std::strerror(errno))};
    }
    std::stop_source stop;
    std::thread stopper([&stop] {
      char byte = 0;
      ssize_t n;
      while ((n = read(g_stop_pipe[0], &byte, 1)) < 0 && errno == EINTR) {
      }
      if (n == 1) stop.request_stop();  // a signal; 0: the watch ended on its own
    });
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    absl::Status s = client.Subscribe(
        from, w->Filter(),
        [&](const api::Event& event) {
          PrintEventLine(cli, event);
          return true;
        },
        [&](uint64_t head) {
          if (!cli.json()) {
            std::cerr << Tr("（已跟上，位置 ", "(caught up at position ") << head
                      << Tr("；继续等待新事件）\n", "; watching)\n");
          }
          return true;
        },
        stop.get_token());
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    close(g_stop_pipe[1]);  // wakes the stopper if no signal did
    stopper.join();
    close(g_stop_pipe[0]);
    g_stop_pipe[0] = g_stop_pipe[1] = -1;
    cli.Check(s);
  });

  auto* status = app.add_subcommand(
      "status", Tr("各读模型的处理位置、滞后与规模", "read models: position, lag, size"));
  status->callback([&cli] {
    api::ProjectionStatusResponse s = cli.Query(
        cli.client().admin(), &api::ProjectionAdmin::Stub::Status, api::ProjectionStatusRequest());
    if (cli.json()) return Cli::PrintJson(s);
    Table table =
        CurrentLang() == Lang::kZh
            ? Table({"读模型", "版本", "位置", "日志末位", "滞后", "实体数", "重建中"})
            : Table({"read model", "version", "position", "head", "lag", "entities", "rebuilding"});
    table.AlignRight({1, 2, 3, 4, 5});
    for (const auto& p : s.projections()) {
      table.Add({p.name(), absl::StrCat(p.version()), absl::StrCat(p.position()),
                 absl::StrCat(p.head()), absl::StrCat(p.lag()), absl::StrCat(p.entities()),
                 p.rebuilding() ? Tr("是", "yes") : ""});
    }
    table.Print(std::cout);
  });

  auto* rebuild =
      app.add_subcommand("rebuild", Tr("在现用读模型之外由日志重建一个读模型",
                                       "rebuild a read model from the log beside the live one"));
  auto name = std::make_shared<std::string>();
  rebuild
      ->add_option("read-model", *name,
                   Tr("读模型：org、staffing、people、powers、budget、reform",
                      "org, staffing, people, powers, budget, reform"))
      ->required();
  rebuild->callback([&cli, name] {
    api::RebuildProjectionRequest r;
    r.set_name(*name);
    api::RebuildProjectionResponse done =
        cli.Query(cli.client().admin(), &api::ProjectionAdmin::Stub::Rebuild, r);
    if (cli.json()) return Cli::PrintJson(done);
    std::cout << Tr("已重建 ", "rebuilt ") << done.projection().name()
              << Tr("，版本 ", " as version ") << done.projection().version()
              << Tr("，位置 ", " at position ") << done.projection().position() << Tr("（", " (")
              << done.projection().entities() << Tr(" 个实体）\n", " entities)\n");
  });
}

}  // namespace reformlog::ctl
