#include "base/status_macros.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace reformlog {
namespace {

absl::Status Fails(int* calls) {
  ++*calls;
  return absl::NotFoundError("no such thing");
}

absl::Status Succeeds(int* calls) {
  ++*calls;
  return absl::OkStatus();
}

absl::Status TwoSteps(bool fail_first, int* reached) {
  int calls = 0;
  RETURN_IF_ERROR(fail_first ? Fails(&calls) : Succeeds(&calls));
  *reached = calls;  // the expression ran once
  RETURN_IF_ERROR(Fails(&calls));
  *reached = -1;  // never
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsTheFirstFailureAndEvaluatesOnce) {
  int reached = 0;
  EXPECT_EQ(TwoSteps(true, &reached).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(reached, 0);
  EXPECT_EQ(TwoSteps(false, &reached).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(reached, 1);
}

absl::StatusOr<std::unique_ptr<std::string>> Make(bool ok) {
  if (!ok) return absl::InvalidArgumentError("bad");
  return std::make_unique<std::string>("made");
}

// Into a StatusOr of another type, with a move-only value, declared and assigned forms.
absl::StatusOr<size_t> Length(bool ok) {
  ASSIGN_OR_RETURN(std::unique_ptr<std::string> made, Make(ok));
  std::unique_ptr<std::string> again;
  ASSIGN_OR_RETURN(again, Make(true));
  return made->size() + again->size();
}

TEST(StatusMacrosTest, AssignOrReturnMovesTheValueOrReturnsTheStatus) {
  absl::StatusOr<size_t> good = Length(true);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 8u);
  absl::StatusOr<size_t> bad = Length(false);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "bad");
}

}  // namespace
}  // namespace reformlog
