// The shared machinery of reformctl's subcommands: global options, the connection, the
// command header (document basis, dates, plan), output as aligned tables or JSON, enum and
// money parsing, and the exit codes:
//
//   0  ok
//   1  rejected by the server (the message says why)
//   2  bad usage (reformctl's own checks, before anything is sent)
//   3  cannot reach the server
#ifndef REFORMLOG_CLIENTS_REFORMCTL_CLI_H_
#define REFORMLOG_CLIENTS_REFORMCTL_CLI_H_

#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cpp/reformlog_client.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/message.h"

namespace reformlog::ctl {

namespace api = ::reformlog::api::v1;

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

// Thrown by a subcommand to end reformctl with a code and a message (CLI11 style).
struct Exit {
  int code;
  std::string message;
};

// A table whose columns line up on a terminal: widths count display cells, so a Chinese
// character takes two.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns whose index is in `right` are right-aligned (numbers).
  void AlignRight(std::vector<size_t> right) { right_ = std::move(right); }
  void Print(std::ostream& out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> right_;
};

// Progress on stderr: a bar redrawn in place on a terminal, a line per 10% otherwise.
// Thread-safe.
class Progress {
 public:
  Progress(std::string what, size_t total);
  void Update(size_t done);

 private:
  std::string what_;
  size_t total_;
  bool tty_;
  size_t last_ = 0;
  std::mutex mu_;
};

// Terminal display width of UTF-8 text (East Asian wide characters count 2).
size_t DisplayWidth(absl::string_view text);

// The label of an enum value (行政编制), or its name when it has none.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value);
template <typename E>
std::string Label(E value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}
// Accepts the label (行政编制), the name (ADMINISTRATIVE) or its lower-case form.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text);
template <typename E>
E ParseEnum(absl::string_view option, absl::string_view text) {
  absl::StatusOr<int> value = ParseEnumValue(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!value.ok()) throw Exit{kExitUsage, absl::StrCat(option, ": ", value.status().message())};
  return static_cast<E>(*value);
}

// "1234.56" (元, at most two decimals) → 123456 fen, exactly.
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);
// 123456 fen → "1234.56"; and → "0.12" 万元 (rounded half up to the hundredth).
std::string FormatYuan(int64_t fen);
std::string FormatWan(int64_t fen);

// Splits "a,b,c" (also "a，b").
std::vector<std::string> SplitList(absl::string_view text);

// "97.42%" (— when undefined), and "99.48" points.
std::string FormatPercent(const api::BudgetRatio& ratio);
std::string FormatCentipoints(int64_t centipoints);

// "2019-12-01 西编〔2019〕9号": when and on which document an event took effect.
std::string DateAndBasis(const api::EventReference& ref);
// "MandateIssued": the event's type without its package, as `reformctl events --type` takes it.
std::string EventName(const api::EventReference& ref);
std::string EventName(absl::string_view type);

// Text encodings of the files reformctl reads and writes: UTF-8 inside, GB18030 (which GBK
// and GB2312 are subsets of) for the Chinese spreadsheets that expect it.
//
// `bytes` in `encoding` (utf-8, gb18030, gbk, gb2312, or auto: UTF-8 when valid, else GB18030)
// → UTF-8, a leading BOM dropped. INVALID_ARGUMENT naming the first bad byte.
absl::StatusOr<std::string> ToUtf8(std::string bytes, const std::string& encoding);
// UTF-8 → `encoding` (utf-8 or gb18030). INVALID_ARGUMENT for another encoding or text that
// is not UTF-8.
absl::StatusOr<std::string> FromUtf8(std::string text, const std::string& encoding);

// CSV as RFC 4180 has it, read and written with libcsv.
struct CsvRow {
  int line = 0;  // the physical line the row starts on
  std::vector<std::string> fields;
};
// Every row of `text` (UTF-8); INVALID_ARGUMENT naming the line it cannot parse.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(const std::string& text);

// A CSV file being written: a header row, then rows of exactly as many fields, each quoted by
// libcsv, lines ended by CRLF.
class CsvWriter {
 public:
  explicit CsvWriter(std::vector<std::string> header);
  // A row with another number of fields than the header is a programmer error: it aborts.
  void Add(const std::vector<std::string>& row);
  const std::string& text() const { return text_; }
  size_t rows() const { return rows_; }  // not counting the header

 private:
  void Write(const std::vector<std::string>& fields);

  size_t columns_;
  std::string text_;
  size_t rows_ = 0;
};

class Cli {
 public:
  // Registers the global options on `app`.
  explicit Cli(CLI::App& app);

  // The client, connected on first use.
  client::ReformlogClient& client();

  bool json() const { return json_; }
  bool dry_run() const { return dry_run_; }
  // A header for a command: request id, document basis, effective date, plan. Exit(2) when
  // --basis is missing.
  api::CommandHeader Header();

  // Sends a command and prints its result; Exit on failure.
  template <typename Stub, typename Request>
  api::CommandResult Command(Stub& stub,
                             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                          api::CommandResult*),
                             Request request) {
    *request.mutable_header() = Header();
    absl::StatusOr<api::CommandResult> result = client().Call(stub, method, std::move(request));
    Check(result.status());
    PrintResult(*result);
    return *result;
  }

  // Runs a query; Exit on failure.
  template <typename Stub, typename Request, typename Response>
  Response Query(Stub& stub,
                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                 Request request) {
    absl::StatusOr<Response> response = client().Call(stub, method, std::move(request));
    Check(response.status());
    return *std::move(response);
  }

  // Prints the message as protobuf JSON (one object, pretty) to stdout.
  void PrintJson(const google::protobuf::Message& message) const;
  // Exit with the right code for a failed status.
  void Check(const absl::Status& status) const;

  const std::string& server() const { return server_; }
  uint64_t min_position() const { return min_position_; }

  // Whole read models, page after page (each page asked at least at the position of the one
  // before, so the answer never goes back in time); Exit on failure.
  //
  // Every item a ListPowers request matches; the response carries them all, with the
  // position and date of the last page.
  api::ListPowersResponse ListAllPowers(api::ListPowersRequest request);
  // Every person in post at an agency.
  api::ListPeopleResponse ListAllPeople(const std::string& agency_id);

 private:
  void PrintResult(const api::CommandResult& result) const;

  std::string server_;
  double timeout_seconds_ = 30;
  bool json_ = false;
  bool dry_run_ = false;
  std::string basis_;
  std::string basis_issuer_;
  std::string basis_date_;
  std::string basis_title_;
  std::string effective_date_;
  std::string plan_;
  std::string request_id_;
  uint64_t min_position_ = 0;
  std::mutex client_mu_;
  std::unique_ptr<client::ReformlogClient> client_;
};

// Each context registers its subcommands.
void AddOrgCommands(CLI::App& app, Cli& cli);
void AddStaffingCommands(CLI::App& app, Cli& cli);
void AddPowerCommands(CLI::App& app, Cli& cli);
void AddBudgetCommands(CLI::App& app, Cli& cli);
void AddPlanCommands(CLI::App& app, Cli& cli);
void AddOrgQueries(CLI::App& app, Cli& cli);
void AddFeedCommands(CLI::App& app, Cli& cli);
// staffing, check, people, person show, budget show/accounts, performance
void AddReadModelQueries(CLI::App& app, Cli& cli);
// powers, power show, progress
void AddPowerAndProgressQueries(CLI::App& app, Cli& cli);
// import KIND FILE.csv
void AddImportExport(CLI::App& app, Cli& cli);
// export MODEL (CSV)
void AddExport(CLI::App& app, Cli& cli);
// demo load
void AddDemoCommands(CLI::App& app, Cli& cli);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_CLI_H_
