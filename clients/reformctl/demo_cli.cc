// reformctl demo load: records the demo district — 攀枝花市西区 in 2018–2019, the seed's
// district (clients/demo/xiqu-2019, DATA.md there) — in reformd through its ordinary commands.
//
// The data is JSON Lines, one command a line, in the order the commands must run; the files
// (*.jsonl) run in name order:
//
//   {"service": "reformlog.api.v1.OrgCommands", "method": "EstablishAgency", "request": {...}}
//
// The loader knows no command by name. It finds the method in the generated descriptor pool,
// parses "request" (protobuf JSON) into the method's input type and sends its bytes with
// grpc::GenericStub. Every line is parsed and checked before anything is sent.
//
// Idempotent: each request id is derived from the data directory's name, the file and the line
// ("demo-xiqu-2019-03-reform-2019-17"), and reformd answers a request id it has recorded with
// the original result. Loading twice writes nothing new; the second load reports every command
// as already recorded. The first command the server refuses stops the load (exit 1), naming its
// file and line and the server's reason; everything before it stays recorded, and a rerun after
// the fix resumes there.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/progress.h"
#include "clients/reformctl/table.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"

namespace reformlog::ctl {
namespace {

namespace gpb = ::google::protobuf;
namespace fs = ::std::filesystem;

// One line of a data file; a command carries at most 1000 items, well under this.
constexpr size_t kLineBytesMax = 4u << 20;
// reformd's limit on a request id (eventstore kIdBytesMax).
constexpr size_t kRequestIdBytesMax = 128;

// One command, parsed and ready to send.
struct DemoCommand {
  std::string file;  // base name, e.g. 03-reform-2019.jsonl
  int line = 0;      // 1-based
  const gpb::MethodDescriptor* method = nullptr;
  std::string request_bytes;  // the serialized request, header.request_id set

  std::string Where() const { return absl::StrCat(file, ":", line); }
  std::string Name() const { return absl::StrCat(method->service()->name(), ".", method->name()); }
};

// Where the demo data is when --data is not given: beside an installed reformctl, or in the
// source tree it was built from.
std::vector<fs::path> DefaultDataDirs() {
  std::vector<fs::path> dirs;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) dirs.push_back(exe.parent_path().parent_path() / "share/reformlog/demo/xiqu-2019");
#ifdef REFORMLOG_DEMO_DATA_DIR
  dirs.emplace_back(REFORMLOG_DEMO_DATA_DIR);
#endif
  return dirs;
}

bool HasCommandFiles(const fs::path& dir) {
  std::error_code error;
  return std::ranges::any_of(
      fs::directory_iterator(dir, error),
      [](const fs::directory_entry& entry) { return entry.path().extension() == ".jsonl"; });
}

fs::path FindDataDir(const std::string& given) {
  if (!given.empty()) {
    if (!HasCommandFiles(given)) {
      throw Exit{kExitUsage, absl::StrCat("--data ", given, ": no *.jsonl command files there")};
    }
    return fs::path(given);
  }
  std::vector<std::string> tried;
  for (const fs::path& dir : DefaultDataDirs()) {
    if (HasCommandFiles(dir)) return dir;
    tried.push_back(dir.string());
  }
  throw Exit{kExitUsage, absl::StrCat("no demo data found (looked in ", absl::StrJoin(tried, ", "),
                                      "); give the directory with --data DIR")};
}

// Parses command lines into requests of any method the generated pool knows. A line is read
// twice: once as {service, method} only, to find the input type, then into a wrapper message
// {service, method, request: <input type>} built for that type, so that "request" is parsed by
// the protobuf JSON parser with its exact types (int64 amounts stay exact).
class CommandParser {
 public:
  CommandParser() : pool_(gpb::DescriptorPool::generated_pool()), factory_(&pool_) {
    factory_.SetDelegateToGeneratedFactory(true);
    probe_ = Build(nullptr);
  }

  // `where` is "file:line" for messages.
  absl::StatusOr<std::unique_ptr<gpb::Message>> Parse(const std::string& where,
                                                      const std::string& json,
                                                      const gpb::MethodDescriptor** method) {
    std::unique_ptr<gpb::Message> probe(factory_.GetPrototype(probe_)->New());
    gpb::util::JsonParseOptions lenient;
    lenient.ignore_unknown_fields = true;
    if (auto s = gpb::util::JsonStringToMessage(json, probe.get(), lenient); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": not a JSON command line: ", s.message().as_string()));
    }
    const std::string service = Field(*probe, "service");
    const std::string name = Field(*probe, "method");
    *method =
        gpb::DescriptorPool::generated_pool()->FindMethodByName(absl::StrCat(service, ".", name));
    if (*method == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": no method \"", name, "\" in service \"", service,
                       "\" (give the full service name, e.g. reformlog.api.v1.OrgCommands)"));
    }
    RETURN_IF_ERROR(CheckCommand(where, **method));
    const gpb::Descriptor* wrapper = WrapperFor((*method)->input_type());
    std::unique_ptr<gpb::Message> line(factory_.GetPrototype(wrapper)->New());
    if (auto s = gpb::util::JsonStringToMessage(json, line.get()); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", service, ".", name, " request: ", s.message().as_string()));
    }
    const gpb::FieldDescriptor* field = wrapper->FindFieldByName("request");
    if (!line->GetReflection()->HasField(*line, field)) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": \"request\" is missing"));
    }
    const gpb::Message& request = line->GetReflection()->GetMessage(*line, field);
    std::unique_ptr<gpb::Message> owned(request.New());
    owned->CopyFrom(request);
    return owned;
  }

 private:
  static std::string Field(const gpb::Message& m, const char* name) {
    return m.GetReflection()->GetString(m, m.GetDescriptor()->FindFieldByName(name));
  }

  // A command takes a CommandHeader as `header` and answers a CommandResult, in one call.
  static absl::Status CheckCommand(const std::string& where, const gpb::MethodDescriptor& m) {
    const gpb::FieldDescriptor* header = m.input_type()->FindFieldByName("header");
    if (header == nullptr || header->message_type() != api::CommandHeader::descriptor() ||
        m.output_type() != api::CommandResult::descriptor() || m.client_streaming() ||
        m.server_streaming()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", m.full_name(),
                       " is not a command (a unary call taking a CommandHeader "
                       "and answering a CommandResult)"));
    }
    return absl::OkStatus();
  }

  const gpb::Descriptor* WrapperFor(const gpb::Descriptor* input) {
    auto [it, added] = wrappers_.emplace(input->full_name(), nullptr);
    if (added) it->second = Build(input);
    return it->second;
  }

  // message Line<n> { string service = 1; string method = 2; <input> request = 3; } in a file
  // of its own; without `input`, the probe (no request field).
  const gpb::Descriptor* Build(const gpb::Descriptor* input) {
    gpb::FileDescriptorProto file;
    const std::string name = absl::StrCat("Line", wrappers_.size());
    file.set_name(absl::StrCat("reformctl/demo/", name, ".proto"));
    file.set_package("reformctl.demo");
    file.set_syntax("proto3");
    gpb::DescriptorProto* message = file.add_message_type();
    message->set_name(name);
    int number = 0;
    for (const char* field_name : {"service", "method"}) {
      gpb::FieldDescriptorProto* field = message->add_field();
      field->set_name(field_name);
      field->set_number(++number);
      field->set_type(gpb::FieldDescriptorProto::TYPE_STRING);
      field->set_label(gpb::FieldDescriptorProto::LABEL_OPTIONAL);
    }
    if (input != nullptr) {
      file.add_dependency(input->file()->name());
      gpb::FieldDescriptorProto* field = message->add_field();
      field->set_name("request");
      field->set_number(++number);
      field->set_type(gpb::FieldDescriptorProto::TYPE_MESSAGE);
      field->set_type_name(absl::StrCat(".", input->full_name()));
      field->set_label(gpb::FieldDescriptorProto::LABEL_OPTIONAL);
    }
    const gpb::FileDescriptor* built = pool_.BuildFile(file);
    // Only a bug here makes this fail: the input type comes from the same generated pool.
    if (built == nullptr) {
      throw Exit{kExitUsage, absl::StrCat("cannot describe a command line of ", name)};
    }
    return built->message_type(0);
  }

  gpb::DescriptorPool pool_;  // over the generated pool
  gpb::DynamicMessageFactory factory_;
  const gpb::Descriptor* probe_ = nullptr;
  std::map<std::string, const gpb::Descriptor*> wrappers_;  // input type → wrapper
};

// Sets header.request_id, which the data must leave empty: the loader owns it.
absl::Status SetRequestId(const std::string& where, gpb::Message& request,
                          const std::string& request_id) {
  const gpb::FieldDescriptor* field = request.GetDescriptor()->FindFieldByName("header");
  gpb::Message* header = request.GetReflection()->MutableMessage(&request, field);
  const gpb::FieldDescriptor* id = header->GetDescriptor()->FindFieldByName("request_id");
  if (!header->GetReflection()->GetString(*header, id).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     ": header.request_id is set; leave it out: the loader derives it "
                     "from the file and line so that a reload records nothing twice"));
  }
  if (request_id.size() > kRequestIdBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": the request id ", request_id, " is ",
                                                   request_id.size(), " bytes; the limit is ",
                                                   kRequestIdBytesMax, " (shorten the file name)"));
  }
  header->GetReflection()->SetString(header, id, request_id);
  return absl::OkStatus();
}

// Every command of `dir`, files in name order, lines in order. Exit(2) naming file:line at
// the first line that cannot be a command.
std::vector<DemoCommand> ReadCommands(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  const std::string dataset = fs::weakly_canonical(dir).filename().string();
  CommandParser parser;
  std::vector<DemoCommand> commands;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    if (!in) throw Exit{kExitUsage, absl::StrCat("cannot read ", path.string())};
    std::string text;
    for (int number = 1; std::getline(in, text); ++number) {
      if (absl::StripAsciiWhitespace(text).empty()) continue;
      DemoCommand command;
      command.file = path.filename().string();
      command.line = number;
      if (text.size() > kLineBytesMax) {
        throw Exit{kExitUsage, absl::StrCat(command.Where(), ": the line is ", text.size(),
                                            " bytes; the limit is ", kLineBytesMax)};
      }
      absl::StatusOr<std::unique_ptr<gpb::Message>> request =
          parser.Parse(command.Where(), text, &command.method);
      if (!request.ok()) throw Exit{kExitUsage, std::string(request.status().message())};
      const std::string request_id =
          absl::StrCat("demo-", dataset, "-", path.stem().string(), "-", number);
      if (absl::Status s = SetRequestId(command.Where(), **request, request_id); !s.ok()) {
        throw Exit{kExitUsage, std::string(s.message())};
      }
      (*request)->SerializeToString(&command.request_bytes);
      commands.push_back(std::move(command));
    }
  }
  return commands;
}

// Sends one command as raw bytes through the client's channel, with the client's deadline
// and retries (safe: the request id is fixed).
absl::StatusOr<api::CommandResult> Send(client::ReformlogClient& client, grpc::GenericStub& stub,
                                        const DemoCommand& command) {
  const std::string path =
      absl::StrCat("/", command.method->service()->full_name(), "/", command.method->name());
  grpc::ByteBuffer response;
  RETURN_IF_ERROR(client.Retry(
      [&](grpc::ClientContext* context) {
        grpc::Slice slice(command.request_bytes);
        grpc::ByteBuffer request(&slice, 1);
        response.Clear();
        std::promise<grpc::Status> done;
        stub.UnaryCall(context, path, grpc::StubOptions(), &request, &response,
                       [&done](grpc::Status s) { done.set_value(std::move(s)); });
        return done.get_future().get();
      },
      client::CallKind::kCommand));
  grpc::Slice bytes;
  api::CommandResult result;
  if (!response.DumpToSingleSlice(&bytes).ok() ||
      !result.ParseFromArray(bytes.begin(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("the answer is not a CommandResult");
  }
  return result;
}

struct FileTally {
  size_t commands = 0;
  size_t recorded = 0;
  size_t replayed = 0;
  size_t events = 0;
};

void Load(Cli& cli, const fs::path& dir) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<DemoCommand> commands = ReadCommands(dir);
  client::ReformlogClient& client = cli.client();
  grpc::GenericStub stub(client.channel());
  std::map<std::string, FileTally> tally;
  FileTally total;
  uint64_t last_position = 0;
  Progress progress(Tr("载入示例数据", "demo load"), commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    const DemoCommand& command = commands[i];
    absl::StatusOr<api::CommandResult> result = Send(client, stub, command);
    if (!result.ok()) {
      if (isatty(2)) std::cerr << "\n";
      const absl::StatusCode code = result.status().code();
      const bool unreachable =
          code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded;
      throw Exit{unreachable ? kExitUnreachable : kExitRejected,
                 absl::StrCat(
                     command.Where(), " ", command.Name(), ": ",
                     unreachable ? absl::StrCat(Tr("无法连接 reformd ", "cannot reach reformd at "),
                                                cli.server(), ": ")
                                 : "",
                     absl::StatusCodeToString(code), ": ", result.status().message(),
                     Tr("（此前已载入 ", " ("), i, Tr(" 条，共 ", " of "), commands.size(),
                     Tr(" 条命令）", " commands were loaded before it)"))};
    }
    FileTally& file = tally[command.file];
    for (FileTally* t : {&file, &total}) {
      ++t->commands;
      ++(result->replayed() ? t->replayed : t->recorded);
      t->events += static_cast<size_t>(result->event_types_size());
    }
    last_position = std::max(last_position, result->position());
    progress.Update(i + 1);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Table table = CurrentLang() == Lang::kZh
                    ? Table({"文件", "命令数", "新记录", "此前已记录", "事件数"})
                    : Table({"file", "commands", "recorded", "already recorded", "events"});
  table.AlignRight({1, 2, 3, 4});
  auto row = [](const std::string& name, const FileTally& t) {
    return std::vector<std::string>{name, absl::StrCat(t.commands), absl::StrCat(t.recorded),
                                    absl::StrCat(t.replayed), absl::StrCat(t.events)};
  };
  for (const auto& [name, t] : tally) table.Add(row(name, t));
  table.Add(row(Tr("合计", "total"), total));
  table.Print(std::cout);
  if (CurrentLang() == Lang::kZh) {
    std::cout << absl::StrFormat(
        "已从 %s 向 %s 载入 %d 条命令，用时 %.1f 秒：新记录 %d 条（%d 条事件），此前已记录 %d "
        "条；日志末位 %d\n",
        dir.string(), cli.server(), total.commands, seconds, total.recorded, total.events,
        total.replayed, last_position);
  } else {
    std::cout << absl::StrFormat(
        "loaded %d commands from %s into %s in %.1f s: %d recorded (%d events), %d already "
        "recorded; last position %d\n",
        total.commands, dir.string(), cli.server(), seconds, total.recorded, total.events,
        total.replayed, last_position);
  }
}

}  // namespace

void AddDemoCommands(CLI::App& app, Cli& cli) {
  CLI::App* demo = app.add_subcommand("demo", Tr("示范地区（攀枝花市西区，2018–2020）",
                                                 "the demo district (攀枝花市西区, 2018–2020)"))
                       ->require_subcommand(1);
  auto* load = demo->add_subcommand(
      "load",
      "record the demo district in reformd: 35 departments and their 三定, 格里坪镇, the 街道, "
      "the power lists, the 编办's budgets. Loading again records nothing new");
  auto data = std::make_shared<std::string>();
  load->add_option("--data", *data,
                   Tr("*.jsonl 命令文件所在目录（默认：示范地区 clients/demo/xiqu-2019）",
                      "directory of *.jsonl command files (default: the demo district, "
                      "clients/demo/xiqu-2019)"));
  load->callback([&cli, data] { Load(cli, FindDataDir(*data)); });
}

}  // namespace reformlog::ctl
