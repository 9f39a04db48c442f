#include "clients/reformctl/cli.h"

#include <csv.h>
#include <iconv.h>
#include <unistd.h>
#include <wchar.h>

#include <algorithm>
#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::ctl {
namespace {

// Pages a whole read model may take (a page is up to kPageItemsMax items): far beyond any
// district, it stops a server that keeps answering with a next page.
constexpr int kPagesMax = 100'000;
// Items asked for in one page: the server's kPowerPageSizeMax and ListPeople's default.
constexpr int32_t kPageItemsMax = 1'000;

bool ValidUtf8(absl::string_view text) {
  DisplayWidth("");  // sets the UTF-8 locale mbrtowc relies on
  mbstate_t state{};
  const char* p = text.data();
  size_t left = text.size();
  wchar_t wc;
  while (left > 0) {
    const size_t n = mbrtowc(&wc, p, left, &state);
    if (n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2)) return false;
    const size_t step = n == 0 ? 1 : n;
    p += step;
    left -= step;
  }
  return true;
}

// `bytes` from encoding `from` to encoding `to` with iconv; INVALID_ARGUMENT naming the byte
// it cannot convert.
absl::StatusOr<std::string> Iconv(std::string bytes, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
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

size_t DisplayWidth(absl::string_view text) {
  // glibc's wcwidth knows East Asian widths under a UTF-8 locale.
  static const bool locale_set = std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr;
  (void)locale_set;
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

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      const std::string pad(widths[c] - DisplayWidth(cell), ' ');
      const bool right = std::find(right_.begin(), right_.end(), c) != right_.end();
      absl::StrAppend(&text, c == 0 ? "" : "  ", right ? pad : "", cell,
                      right || c + 1 == widths.size() ? "" : pad);
    }
    text.erase(text.find_last_not_of(' ') + 1);  // empty cells at the end of a row
    out << text << "\n";
  };
  line(headers_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows_) line(row);
}

Progress::Progress(std::string what, size_t total)
    : what_(std::move(what)), total_(total), tty_(isatty(2) != 0) {}

void Progress::Update(size_t done) {
  if (total_ < 2) return;
  const size_t percent = done * 100 / total_;
  std::lock_guard lock(mu_);
  if (tty_) {
    const size_t filled = percent / 5;
    std::cerr << "\r" << what_ << " [" << std::string(filled, '=') << std::string(20 - filled, ' ')
              << "] " << percent << "% " << done << "/" << total_ << std::flush;
    if (done == total_) std::cerr << "\n";
  } else if (percent / 10 != last_ / 10 || done == total_) {
    std::cerr << what_ << ": " << done << "/" << total_ << "\n";
  }
  last_ = percent;
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value) {
  const google::protobuf::EnumValueDescriptor* v = descriptor->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  const std::string& label = v->options().GetExtension(domain::v1::label);
  return label.empty() ? v->name() : label;
}

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text) {
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = descriptor->value(i);
    if (v->number() == 0) continue;  // UNSPECIFIED
    const std::string& label = v->options().GetExtension(domain::v1::label);
    if (text == label || absl::EqualsIgnoreCase(text, v->name())) return v->number();
    accepted.push_back(label.empty() ? absl::AsciiStrToLower(v->name())
                                     : absl::StrCat(label, "/", absl::AsciiStrToLower(v->name())));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not one of: ", absl::StrJoin(accepted, ", ")));
}

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  const absl::string_view original = text;
  bool negative = false;
  if (absl::ConsumePrefix(&text, "-")) negative = true;
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  int64_t yuan = 0;
  int64_t cents = 0;
  const bool ok =
      parts.size() <= 2 && !parts[0].empty() && absl::SimpleAtoi(parts[0], &yuan) && yuan >= 0 &&
      yuan <= 10'000'000'000'000 &&
      (parts.size() == 1 || (parts[1].size() >= 1 && parts[1].size() <= 2 &&
                             std::all_of(parts[1].begin(), parts[1].end(), absl::ascii_isdigit) &&
                             absl::SimpleAtoi(parts[1], &cents)));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", original, "\" is not an amount in 元 with at most two decimals"));
  }
  if (parts.size() == 2 && parts[1].size() == 1) cents *= 10;
  const int64_t fen = yuan * 100 + cents;
  return negative ? -fen : fen;
}

std::string FormatYuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", m / 100, m % 100);
}

std::string FormatWan(int64_t fen) {
  // 1 万元 = 1,000,000 fen; hundredths of 万元 = 10,000 fen, rounded half up.
  const bool negative = fen < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  const uint64_t hundredths = (m + 5'000) / 10'000;
  return absl::StrFormat("%s%d.%02d", negative && hundredths > 0 ? "-" : "", hundredths / 100,
                         hundredths % 100);
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view piece :
       absl::StrSplit(text, absl::ByAnyChar(","), absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(piece));
  }
  // Full-width commas too, as typed with a Chinese input method.
  std::vector<std::string> all;
  for (const std::string& piece : out) {
    for (absl::string_view p : absl::StrSplit(piece, "，", absl::SkipWhitespace()))
      all.emplace_back(p);
  }
  return all;
}

std::string FormatPercent(const api::BudgetRatio& r) {
  if (!r.defined()) return "—";
  return absl::StrFormat("%s%d.%02d%%", r.basis_points() < 0 ? "-" : "",
                         std::abs(r.basis_points()) / 100, std::abs(r.basis_points()) % 100);
}

std::string FormatCentipoints(int64_t centipoints) {
  return absl::StrFormat("%s%d.%02d", centipoints < 0 ? "-" : "", std::abs(centipoints) / 100,
                         std::abs(centipoints) % 100);
}

std::string DateAndBasis(const api::EventReference& ref) {
  if (ref.basis_number().empty()) return ref.effective_date();
  return absl::StrCat(ref.effective_date(), " ", ref.basis_number());
}

std::string EventName(absl::string_view type) {
  const size_t dot = type.rfind('.');
  return std::string(dot == absl::string_view::npos ? type : type.substr(dot + 1));
}

std::string EventName(const api::EventReference& ref) { return EventName(ref.event_type()); }

absl::StatusOr<std::string> ToUtf8(std::string bytes, const std::string& encoding) {
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.erase(0, 3);  // a BOM, as Excel writes
  std::string from = absl::AsciiStrToLower(encoding);
  if (from == "auto") from = ValidUtf8(bytes) ? "utf-8" : "gb18030";
  if (from == "utf-8" || from == "utf8") {
    if (!ValidUtf8(bytes))
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
  if (to != "utf-8" && to != "utf8" && to != "gb18030") {
    return absl::InvalidArgumentError(
        absl::StrCat("--encoding ", encoding, " is not utf-8 or gb18030"));
  }
  if (!ValidUtf8(text)) return absl::InvalidArgumentError("the text is not valid UTF-8");
  if (to != "gb18030") return text;
  return Iconv(std::move(text), "GB18030", "UTF-8");
}

absl::StatusOr<std::vector<CsvRow>> ParseCsv(const std::string& text) {
  struct State {
    std::vector<CsvRow> rows;
    CsvRow current;
    int line = 1;
    bool in_row = false;
  } state;
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0)
    return absl::InternalError("cannot start the CSV parser");
  auto on_field = [](void* data, size_t size, void* st) {
    auto* s = static_cast<State*>(st);
    if (!s->in_row) {
      s->in_row = true;
      s->current.line = s->line;
    }
    s->current.fields.emplace_back(static_cast<const char*>(data), size);
  };
  auto on_row = [](int, void* st) {
    auto* s = static_cast<State*>(st);
    if (s->in_row) s->rows.push_back(std::move(s->current));
    s->current = CsvRow{};
    s->in_row = false;
  };
  // Feed line by line so that each row knows its starting line.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    if (csv_parse(&parser, text.data() + start, end - start, on_field, on_row, &state) !=
        end - start) {
      const std::string error = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return absl::InvalidArgumentError(absl::StrCat("line ", state.line, ": ", error));
    }
    ++state.line;
    start = end;
  }
  csv_fini(&parser, on_field, on_row, &state);
  csv_free(&parser);
  return state.rows;
}

CsvWriter::CsvWriter(std::vector<std::string> header) : columns_(header.size()) { Write(header); }

void CsvWriter::Add(const std::vector<std::string>& row) {
  if (row.size() != columns_) {
    std::cerr << "reformctl: a CSV row of " << row.size() << " fields under a header of "
              << columns_ << "\n";
    std::abort();
  }
  Write(row);
  ++rows_;
}

void CsvWriter::Write(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_.push_back(',');
    // csv_write quotes the field and doubles its quotes; called with no room it says how much
    // it needs.
    const size_t at = text_.size();
    text_.resize(at + csv_write(nullptr, 0, fields[i].data(), fields[i].size()));
    const size_t written =
        csv_write(text_.data() + at, text_.size() - at, fields[i].data(), fields[i].size());
    text_.resize(at + written);
  }
  text_.append("\r\n");
}

Cli::Cli(CLI::App& app) {
  const char* env = std::getenv("REFORMLOG_SERVER");
  server_ = env != nullptr ? env : "127.0.0.1:50051";
  app.add_option("--server", server_, "reformd address (host:port; env REFORMLOG_SERVER)")
      ->capture_default_str();
  app.add_option("--timeout", timeout_seconds_, "seconds each call may take")
      ->capture_default_str();
  app.add_flag("--json", json_, "print the protobuf JSON of the answer instead of a table");
  app.add_option("--basis", basis_,
                 "文号 of the document a change rests on (required on every change)");
  app.add_option("--basis-issuer", basis_issuer_, "发文机关 of that document");
  app.add_option("--basis-date", basis_date_, "date of that document, YYYY-MM-DD");
  app.add_option("--basis-title", basis_title_, "title of that document");
  app.add_option("--effective-date", effective_date_,
                 "when a change takes effect, YYYY-MM-DD (default: today)");
  app.add_option("--plan", plan_, "the reform plan a change is made under (for locked records)");
  app.add_option("--request-id", request_id_,
                 "request id of a change (default: a new one; give the same to retry safely)");
  app.add_flag("--dry-run", dry_run_,
               "decide a change and say what it would record, but record nothing");
  app.add_option("--min-position", min_position_,
                 "answer queries only once the read model has applied this position");
}

client::ReformlogClient& Cli::client() {
  std::lock_guard lock(client_mu_);  // importers call this from many threads
  if (client_ == nullptr) {
    client::ClientOptions options;
    options.target = server_;
    options.deadline = absl::Seconds(timeout_seconds_);
    absl::StatusOr<std::unique_ptr<client::ReformlogClient>> c =
        client::ReformlogClient::Connect(options);
    if (!c.ok()) throw Exit{kExitUsage, std::string(c.status().message())};
    client_ = std::move(*c);
  }
  return *client_;
}

api::CommandHeader Cli::Header() {
  if (basis_.empty()) {
    throw Exit{kExitUsage,
               "every change rests on a document: give its 文号 with --basis (e.g. --basis "
               "\"川编办函〔2019〕249号\")"};
  }
  api::CommandHeader h;
  h.set_request_id(request_id_.empty() ? client::NewRequestId() : request_id_);
  h.mutable_basis()->set_number(basis_);
  h.mutable_basis()->set_issuer(basis_issuer_);
  h.mutable_basis()->set_date(basis_date_);
  h.mutable_basis()->set_title(basis_title_);
  h.set_effective_date(effective_date_);
  h.set_plan_id(plan_);
  h.set_dry_run(dry_run_);
  return h;
}

void Cli::Check(const absl::Status& status) const {
  if (status.ok()) return;
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      throw Exit{kExitUnreachable,
                 absl::StrCat("cannot reach reformd at ", server_, ": ", status.message())};
    default:
      throw Exit{kExitRejected,
                 absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message())};
  }
}

api::ListPowersResponse Cli::ListAllPowers(api::ListPowersRequest request) {
  request.set_page_size(kPageItemsMax);
  request.set_min_position(min_position_);
  api::ListPowersResponse all;
  for (int page = 0; page < kPagesMax; ++page) {
    api::ListPowersResponse next =
        Query(client().power_queries(), &api::PowerQueries::Stub::ListPowers, request);
    for (api::PowerHolding& item : *next.mutable_items()) *all.add_items() = std::move(item);
    all.set_position(next.position());
    all.set_as_of_date(next.as_of_date());
    if (next.next_page_token().empty()) return all;
    request.set_page_token(next.next_page_token());
    // The later pages are read where the first was, or later: never an older answer.
    if (request.as_of_position() == 0) request.set_min_position(next.position());
  }
  throw Exit{kExitRejected,
             absl::StrCat("the power list did not end within ", kPagesMax, " pages")};
}

api::ListPeopleResponse Cli::ListAllPeople(const std::string& agency_id) {
  api::ListPeopleRequest request;
  request.set_agency_id(agency_id);
  request.set_max_count(kPageItemsMax);
  request.set_min_position(min_position_);
  api::ListPeopleResponse all;
  for (int page = 0; page < kPagesMax; ++page) {
    api::ListPeopleResponse next =
        Query(client().staffing_queries(), &api::StaffingQueries::Stub::ListPeople, request);
    for (api::PersonSummary& p : *next.mutable_people()) *all.add_people() = std::move(p);
    all.set_position(next.position());
    if (next.next_after_person_id().empty()) return all;
    request.set_after_person_id(next.next_after_person_id());
    request.set_min_position(next.position());
  }
  throw Exit{kExitRejected, absl::StrCat("the people of ", agency_id, " did not end within ",
                                         kPagesMax, " pages")};
}

void Cli::PrintJson(const google::protobuf::Message& message) const {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
}

void Cli::PrintResult(const api::CommandResult& result) const {
  if (json_) {
    PrintJson(result);
    return;
  }
  if (result.replayed()) {
    std::cout << "already recorded (this request id was answered before) at position "
              << result.position() << "\n";
    return;
  }
  if (dry_run_) {
    if (!result.dry_run()) {  // a reformd from before dry runs ignores the flag
      throw Exit{kExitRejected, absl::StrCat("reformd at ", server_,
                                             " does not support dry runs and RECORDED the change "
                                             "at position ",
                                             result.position())};
    }
    std::cout << "dry run: the change holds and would record " << result.event_types_size()
              << (result.event_types_size() == 1 ? " event" : " events") << " ("
              << absl::StrJoin(result.event_types(), ", ",
                               [](std::string* out, const std::string& type) {
                                 out->append(EventName(type));
                               })
              << "); nothing was recorded\n";
    return;
  }
  std::cout << "recorded at position " << result.position();
  if (result.first_position() != result.position()) {
    std::cout << " (" << result.position() - result.first_position() + 1 << " events from "
              << result.first_position() << ")";
  }
  std::cout << "\n";
}

}  // namespace reformlog::ctl
