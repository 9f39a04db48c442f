// BudgetProjection ("budget"): every agency-year budget — the running totals of each line, the
// projects with their performance targets and the latest actual of each indicator — from the
// events of the budget-{agency}-{year} streams (services/domain/budget_decide.h writes them).
//
// One readmodel.v1.BudgetBook per agency and fiscal year, keyed BudgetBookKey(agency, year)
// = "<agency_id>/<fiscal_year>". Lines are kept in canonical order (CanonicalLineBefore) and
// projects and actuals by id, so that a book's rendering depends only on what was recorded,
// never on the order in which lines first appeared. Lines are only ever added, never removed or
// reordered (budget_summary_cache.h's BudgetSummaryCache relies on it). Queries over the books:
// budget_summary.h, budget_summary_cache.h, budget_final_accounts.h, budget_performance.h and
// budget_render.h.
//
// Cost of an event: a binary search of its book's lines (none when its line sorts last, as the
// lines of a budget recorded in order do); a new line that sorts before others also moves the
// pointers of those after it (one rotation, not a copy of the lines). Persisting it rewrites
// one line: a book's lines are its parted field (Projection::parted_field), each persisted on
// its own under CanonicalLineKey, so that a disbursement on a book of 20,000 lines writes what
// one on a book of 10 does. A project's definition or performance rewrites the book's header
// (the book without its lines).
//
// Amounts: the write side keeps every running total of a line within ±kAmountFenMax, so the
// sums here cannot overflow for a log it wrote; should a log hold more, a total saturates at
// the int64 limit (never wraps), and budget_amounts.h reports it as OUT_OF_RANGE.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class BudgetProjection final : public TypedProjection<readmodel::v1::BudgetBook> {
 public:
  static constexpr char kName[] = "budget";
  absl::string_view name() const override { return kName; }
  // Exactly the types ApplyTyped folds (the runner offers it no others).
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;
  // 2: lines persisted one by one.
  uint32_t logic_version() const override { return 2; }
  // BudgetBook.lines, keyed by CanonicalLineKey.
  const google::protobuf::FieldDescriptor* parted_field() const override;
  std::string PartKey(const google::protobuf::Message& element) const override;

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::BudgetBook>& table) const override;
};

// "<agency_id>/<fiscal_year>": the key of an agency's book for a year.
std::string BudgetBookKey(absl::string_view agency_id, int fiscal_year);

// The canonical order of lines: fund source (enum number), function code, economic code, kind
// (enum number), project id. Codes compare as strings, so a code sorts before its extensions.
bool CanonicalLineBefore(const domain::v1::BudgetLine& a, const domain::v1::BudgetLine& b);
// A key of `line` whose bytewise order is the canonical order (format::AppendOrdered*).
std::string CanonicalLineKey(const domain::v1::BudgetLine& line);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_PROJECTION_H_
