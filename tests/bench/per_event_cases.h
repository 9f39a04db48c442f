// The per-event cases of readmodel_bench (see readmodel_bench.cc for what each measures):
// what one event costs a read model whose entity it touches, small against large, applied and
// persisted on its own; and what one small commit costs a ProjectionRunner following a log
// near its head. Each reports through Emit (bench_report.h); `dir` is scratch space.
#ifndef REFORMLOG_TESTS_BENCH_PER_EVENT_CASES_H_
#define REFORMLOG_TESTS_BENCH_PER_EVENT_CASES_H_

#include <string>

namespace reformlog::bench {

// staffing_roster_change_agency_10000, budget_disburse_book_20000_lines,
// people_register_agency_10000, reform_complete_task_plan_1000_tasks.
void RunSizeCases(const std::string& dir, bool quick);

// live_follow_commit.
void RunLiveFollow(const std::string& dir, bool quick);

}  // namespace reformlog::bench

#endif  // REFORMLOG_TESTS_BENCH_PER_EVENT_CASES_H_
