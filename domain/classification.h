// The 政府收支分类科目 (government revenue and expenditure classification) of each fiscal year:
// which function codes (支出功能分类, 类/款/项) and economic codes (部门预算支出经济分类, 类/款) a
// budget line may carry, their names, and the budgets (一般公共预算, 政府性基金预算,
// 国有资本经营预算) whose expenditure may use each function code.
//
// The data is domain/classification/gov_classification.tsv, compiled in: its header names the
// sources, the years it covers and what it transcribes. Everything here is pure and
// thread-safe; the file is parsed once, on first use. A malformed file is a build defect: the
// first use aborts, naming the line (tests/domain/classification_test.cc parses it in CI).
#ifndef REFORMLOG_DOMAIN_CLASSIFICATION_H_
#define REFORMLOG_DOMAIN_CLASSIFICATION_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::domain {

namespace pb = ::reformlog::domain::v1;

enum class CodeScheme {
  kFunction,  // 支出功能分类: 类 3 digits, 款 5, 项 7
  kEconomic,  // 部门预算支出经济分类: 类 3, 款 5
};

// The first and last fiscal year the shipped classification covers (its `@years` line).
std::pair<int, int> ClassificationYears();

// INVALID_ARGUMENT unless `fiscal_year` has a classification: names the year and the years the
// shipped file covers.
absl::Status ValidateClassificationYear(int fiscal_year);

// INVALID_ARGUMENT unless the line's codes are valid in `fiscal_year`'s classification:
//   - the function code is a 类, 款 or 项 of that year (a 项 not transcribed is accepted when
//     its 款 is valid and the file does not list that 款's 项 in full), and belongs to the
//     budget the money comes from: a 财政拨款 line (一般公共预算, 政府性基金预算, 国有资本经营预算)
//     uses that budget's codes; a line of other money (事业收入, 上级补助收入 …) a code of
//     一般公共预算 or 政府性基金预算;
//   - the economic code is a 类 or 款 of that year.
// The refusal names the field, the code, the year and the level that is missing or the budget
// the code belongs to. Shapes (digits, lengths) are checked first, by vocabulary.h.
absl::Status ValidateLineCodes(int fiscal_year, pb::FundSource source,
                               absl::string_view function_code, absl::string_view economic_code);

// The name of `code` in `fiscal_year` ("行政运行" for 2013601 in 2019); empty when the year or
// the code is not in the file.
std::string CodeName(int fiscal_year, CodeScheme scheme, absl::string_view code);

// "2013601 行政运行", or the code alone when it has no name here.
std::string CodeWithName(int fiscal_year, CodeScheme scheme, absl::string_view code);

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_CLASSIFICATION_H_
