// JudgeRefusalBesideCommit: whether one copy of a twin (one request sent twice at once) may
// have been refused while the other copy recorded the request, judged against the crash
// test's own fold of the log (LogOracle). Pure: reads the oracle, the request and the refusal.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_TWIN_JUDGE_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_TWIN_JUDGE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "tests/services/crash/oracle.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

// Whether a copy of a twin may have been refused with `code` and `message` while the other
// copy recorded the request at positions `first`-`last`.
//
// Copies in flight together at the server share one answer; a refusal records nothing, so a
// copy that reaches the server after the other was refused is decided again, and may succeed
// once the state has changed (a top-up by another writer landed). So a refusal beside a
// commit is legitimate only when it was decided before that commit: every state it reports
// must have stood in the log at some prefix ending before `first` (not necessarily at
// `first` - 1: the change that let the other copy through may lie between). A refusal its
// twin caused ("already registered", or 超编 and lack of funds that exist only with the twin's
// registration or payment) reports a state that first stood with that commit. OK when the
// refusal is legitimate, else FAILED_PRECONDITION saying which state never stood before
// `first` and what stood at `first` - 1.
absl::Status JudgeRefusalBesideCommit(const LogOracle& oracle, const Request& request,
                                      grpc::StatusCode code, const std::string& message,
                                      uint64_t first, uint64_t last);

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_TWIN_JUDGE_H_
