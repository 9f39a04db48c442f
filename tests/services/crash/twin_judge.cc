#include "tests/services/crash/twin_judge.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace reformlog::services::crash {
namespace {

// The whole number right after `label` in `text`.
std::optional<int64_t> NumberAfter(absl::string_view text, absl::string_view label) {
  const size_t at = text.find(label);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = text.substr(at + label.size());
  size_t digits = 0;
  while (digits < rest.size() && absl::ascii_isdigit(static_cast<unsigned char>(rest[digits]))) {
    ++digits;
  }
  int64_t n = 0;
  if (digits == 0 || !absl::SimpleAtoi(rest.substr(0, digits), &n)) return std::nullopt;
  return n;
}

// The amount right after `label` in `text`, written as the server writes yuan ("1163.74 元"),
// in fen.
std::optional<int64_t> FenAfter(absl::string_view text, absl::string_view label) {
  const size_t at = text.find(label);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = text.substr(at + label.size());
  const size_t end = rest.find(" 元");
  if (end == absl::string_view::npos) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(rest.substr(0, end), '.');
  int64_t yuan = 0, fen = 0;
  if (parts.size() != 2 || parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &yuan) ||
      !absl::SimpleAtoi(parts[1], &fen)) {
    return std::nullopt;
  }
  return yuan * 100 + fen;
}

std::string FirstAt(uint64_t position) {
  return position == 0 ? "nowhere" : absl::StrCat("first at position ", position);
}

std::string Show(const Staffing& s) {
  return absl::StrCat("quota ", s.quota, ", in post ", s.in_post);
}

}  // namespace

absl::Status JudgeRefusalBesideCommit(const LogOracle& oracle, const Request& request,
                                      grpc::StatusCode code, const std::string& message,
                                      uint64_t first, uint64_t last) {
  const std::string twin = absl::StrCat("its twin recorded the request at ", first, "-", last);
  auto wrong = [&](const std::string& why) {
    return absl::FailedPreconditionError(absl::StrCat(why, "; ", twin));
  };
  if (code == grpc::StatusCode::ABORTED) return absl::OkStatus();  // lost races, reports no state
  if (absl::StrContains(message, "was already used for a different request")) {
    return wrong("refused as if its own request id held other content");
  }
  // The problems a refusal lists, "; " between them (services/domain: ListSome).
  for (absl::string_view problem : absl::StrSplit(message, "; ")) {
    switch (request.op) {
      case Op::kRegister: {
        api::RegisterPersonRequest r;
        r.ParseFromString(request.bytes);
        const api::PersonToRegister& p = r.person();
        if (absl::StrContains(problem, " is already registered")) {
          const uint64_t at = oracle.registered_at(p.person_id());
          if (at == 0 || at >= first) {
            return wrong(absl::StrCat("refused as already registered, but the log registers ",
                                      p.person_id(), " ", FirstAt(at)));
          }
          continue;
        }
        if (absl::StrContains(problem, "(no vacancy: 超编)")) {
          const std::optional<int64_t> quota = NumberAfter(problem, ": quota ");
          const std::optional<int64_t> in_post = NumberAfter(problem, ", in post ");
          const std::optional<int64_t> requested = NumberAfter(problem, ", requested +");
          if (!absl::StartsWith(problem, AgencyStreamOf(p.agency_id())) || !quota || !in_post ||
              !requested) {
            return wrong(absl::StrCat("a 超编 refusal that does not read \"",
                                      AgencyStreamOf(p.agency_id()),
                                      " (…) …: quota Q, in post N, requested +K\""));
          }
          const Staffing reported{*quota, *in_post};
          const std::string where = absl::StrCat(AgencyStreamOf(p.agency_id()), " ",
                                                 pb::QuotaCategory_Name(p.category()));
          if (*in_post + *requested <= *quota) {
            return wrong(absl::StrCat("refused as 超编 at ", where, ", ", Show(reported),
                                      ", requested +", *requested, ", which leaves a vacancy"));
          }
          const History<Staffing>& staffing = oracle.staffing_history(p.agency_id(), p.category());
          if (!staffing.LastPrefixBefore(first, reported)) {
            return wrong(absl::StrCat("refused as 超编 at ", where, ", ", Show(reported),
                                      ", which never stood in the log before position ", first,
                                      " (at ", first - 1, ": ", Show(staffing.At(first - 1)), ")"));
          }
          continue;
        }
        break;
      }
      case Op::kDisburse: {
        api::DisburseRequest r;
        r.ParseFromString(request.bytes);
        if (absl::StrContains(problem, absl::StrCat("disbursement ", r.disbursement_id(),
                                                    " is already recorded"))) {
          const uint64_t at = oracle.disbursed_at(r.disbursement_id());
          if (at == 0 || at >= first) {
            return wrong(
                absl::StrCat("refused as already recorded, but the log records disbursement ",
                             r.disbursement_id(), " ", FirstAt(at)));
          }
          continue;
        }
        if (absl::StrContains(problem, ": available ")) {
          const std::optional<int64_t> available = FenAfter(problem, ": available ");
          const std::string line =
              absl::StrCat(BudgetStreamOf(r.agency_id()), " line ", LineKey(r.line()));
          if (!available) {
            return wrong("a refusal for lack of funds that does not read \": available X.YY 元\"");
          }
          if (*available >= r.amount_fen()) {
            return wrong(absl::StrCat("refused for lack of funds at ", line, ", available ",
                                      *available, " fen, requested ", r.amount_fen(), " fen"));
          }
          const History<int64_t>& funds =
              oracle.available_history(r.agency_id(), LineKey(r.line()));
          if (!funds.LastPrefixBefore(first, *available)) {
            return wrong(absl::StrCat("refused for lack of funds at ", line, ", available ",
                                      *available,
                                      " fen, which never stood in the log before position ", first,
                                      " (at ", first - 1, ": ", funds.At(first - 1), " fen)"));
          }
          continue;
        }
        break;
      }
      case Op::kDepart: {
        api::RecordDepartureRequest r;
        r.ParseFromString(request.bytes);
        // No such person: stood at every prefix before the registration (the empty log at
        // least); the twin's departure leaves the person, departed.
        if (absl::StartsWith(problem, "no person ")) continue;
        if (absl::StrContains(problem, ") has departed")) {
          const uint64_t at = oracle.departed_at(r.person_id());
          if (at == 0 || at >= first) {
            return wrong(absl::StrCat("refused as departed, but the log has ", r.person_id(),
                                      " depart ", FirstAt(at)));
          }
          continue;
        }
        break;
      }
      case Op::kEstablish:
      case Op::kGrantQuota:
      case Op::kAppropriate:
        break;
    }
    return wrong(absl::StrCat("the refusal names \"", problem,
                              "\", which this test cannot check against the log"));
  }
  return absl::OkStatus();
}

}  // namespace reformlog::services::crash
