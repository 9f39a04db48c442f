// reformctl events, watch (EventFeed) and status, rebuild (ProjectionAdmin).
#include <csignal>

#include "absl/strings/match.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/display_text.h"
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

// The payload as one line of JSON; the raw size when this build does not know the type.
std::string PayloadJson(const api::Event& event) {
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
  if (d == nullptr) return absl::StrCat("(", event.data().size(), " bytes of an unknown type)");
  std::unique_ptr<google::protobuf::Message> m(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
  if (!m->ParseFromString(event.data())) return "(payload does not parse)";
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(*m, &json, options);
  return json;
}

void PrintEventLine(const Cli& cli, const api::Event& e) {
  if (cli.json()) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(e, &json, options);
    std::cout << json << "\n";
  } else {
    std::cout << e.position() << "  " << e.effective_date() << "  " << e.stream_id() << "  "
              << EventName(e.type()) << "  " << e.basis().number() << "  " << PayloadJson(e)
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
    cmd->add_option("--from", from, "first log position")->capture_default_str();
    if (with_limit)
      cmd->add_option("--limit", limit, "at most this many events")->capture_default_str();
    cmd->add_option("--stream-prefix", prefix, "e.g. agency- or person-7");
    cmd->add_option("--type", types, "event type, e.g. AgencyMerged (repeat)");
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

client::ReformlogClient* g_watching = nullptr;

void StopWatching(int) {
  if (g_watching != nullptr) g_watching->Stop();
}

}  // namespace

void AddFeedCommands(CLI::App& app, Cli& cli) {
  auto* events = app.add_subcommand("events", "events of the log, from a position, with filters");
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
      std::cerr << page.events_size() << " events; next position " << page.next_position()
                << ", head " << page.head_position() << "\n";
    }
  });

  auto* watch = app.add_subcommand("watch", "print events as they are recorded (Ctrl-C stops)");
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
    g_watching = &client;
    std::signal(SIGINT, StopWatching);
    std::signal(SIGTERM, StopWatching);
    absl::Status s = client.Subscribe(
        from, w->Filter(),
        [&](const api::Event& event) {
          PrintEventLine(cli, event);
          return true;
        },
        [&](uint64_t head) {
          if (!cli.json()) std::cerr << "(caught up at position " << head << "; watching)\n";
          return true;
        });
    g_watching = nullptr;
    cli.Check(s);
  });

  auto* status = app.add_subcommand("status", "read models: position, lag, size");
  status->callback([&cli] {
    api::ProjectionStatusResponse s = cli.Query(
        cli.client().admin(), &api::ProjectionAdmin::Stub::Status, api::ProjectionStatusRequest());
    if (cli.json()) return Cli::PrintJson(s);
    Table table({"read model", "version", "position", "head", "lag", "entities", "rebuilding"});
    table.AlignRight({1, 2, 3, 4, 5});
    for (const auto& p : s.projections()) {
      table.Add({p.name(), absl::StrCat(p.version()), absl::StrCat(p.position()),
                 absl::StrCat(p.head()), absl::StrCat(p.lag()), absl::StrCat(p.entities()),
                 p.rebuilding() ? "yes" : ""});
    }
    table.Print(std::cout);
  });

  auto* rebuild =
      app.add_subcommand("rebuild", "rebuild a read model from the log beside the live one");
  auto name = std::make_shared<std::string>();
  rebuild->add_option("read-model", *name, "org, staffing, people, powers, budget, reform")
      ->required();
  rebuild->callback([&cli, name] {
    api::RebuildProjectionRequest r;
    r.set_name(*name);
    api::RebuildProjectionResponse done =
        cli.Query(cli.client().admin(), &api::ProjectionAdmin::Stub::Rebuild, r);
    if (cli.json()) return Cli::PrintJson(done);
    std::cout << "rebuilt " << done.projection().name() << " as version "
              << done.projection().version() << " at position " << done.projection().position()
              << " (" << done.projection().entities() << " entities)\n";
  });
}

}  // namespace reformlog::ctl
