// EvaluatePerformance over books written by real commands: the seed's three projects score, a
// worked example of every component of a score under the default and a locality's weights, and
// weights validated naming the field.
#include "projections/budget/budget_performance.h"

#include <memory>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_render.h"
#include "tests/projections/budget/budget_fixture.h"

namespace reformlog::projections {
namespace {

using budget_testing::Indicator;
using budget_testing::kAgency;
using budget_testing::kWan;
using budget_testing::Line;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace pb = ::reformlog::domain::v1;

class BudgetPerformanceTest : public budget_testing::BudgetFixture {};

TEST_F(BudgetPerformanceTest, TheSeedsProjectsScore) {
  RecordSeed2019();
  std::unique_ptr<EntityTable> table = Replay();
  absl::StatusOr<std::vector<ProjectPerformance>> projects =
      EvaluatePerformance(Book(*table, 2019), PerformanceWeights());
  ASSERT_TRUE(projects.ok()) << projects.status();
  ASSERT_THAT(*projects, SizeIs(3));
  EXPECT_EQ((*projects)[2].execution_rate.basis_points, 9480);  // 2.37 / 2.5 = 94.8%
  EXPECT_EQ((*projects)[2].score_centipoints, 9948);
}

// A worked example: 1 万元 budget, 0.333333 executed; outputs 3 of 4 met, benefits 1 of 2 (one
// never recorded), satisfaction 0 of 1.
TEST_F(BudgetPerformanceTest, AWorkedScoringExample) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  DefineProject(
      "wx", "网络维护",
      {Indicator("indicator_id: 'o1' level1: OUTPUT_INDICATORS level2: QUANTITY name: '巡检' "
                 "op: AT_LEAST target_milli: 12000 unit: '次'"),
       Indicator("indicator_id: 'o2' level1: OUTPUT_INDICATORS level2: QUALITY name: '可用率' "
                 "op: AT_LEAST target_milli: 99000 unit: '%'"),
       Indicator("indicator_id: 'o3' level1: OUTPUT_INDICATORS level2: TIMELINESS "
                 "name: '时限' op: QUALITATIVE target_text: '年底前'"),
       Indicator("indicator_id: 'o4' level1: OUTPUT_INDICATORS level2: COST name: '成本' "
                 "op: AT_MOST target_milli: 1000 unit: '万元'"),
       Indicator("indicator_id: 'b1' level1: BENEFIT_INDICATORS level2: SOCIAL name: '效益' "
                 "op: QUALITATIVE target_text: '运转高效'"),
       Indicator("indicator_id: 'b2' level1: BENEFIT_INDICATORS level2: SUSTAINABLE "
                 "name: '可持续' op: QUALITATIVE target_text: '长期可用'"),
       Indicator("indicator_id: 's1' level1: SATISFACTION_INDICATORS level2: SERVICE_RECIPIENT "
                 "name: '满意度' op: AT_LEAST target_milli: 90000 unit: '%'")});
  const pb::BudgetLine line = Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201", "wx");
  ASSERT_TRUE(Appropriate(line, kWan).ok());
  ASSERT_TRUE(Disburse(line, 333'333).ok());
  RecordPerformance("wx",
                    "actuals { indicator_id: 'o1' actual_milli: 12000 } "
                    "actuals { indicator_id: 'o2' actual_milli: 98500 } "
                    "actuals { indicator_id: 'o3' actual_text: '年底前完成' met: true } "
                    "actuals { indicator_id: 'o4' actual_milli: 333 } "
                    "actuals { indicator_id: 'b1' actual_text: '运转高效' met: true } "
                    "actuals { indicator_id: 's1' actual_milli: 85000 }");
  // A later record replaces the earlier one: 可用率 reaches its target after all.
  RecordPerformance("wx", "actuals { indicator_id: 'o2' actual_milli: 99000 }");
  RecordPerformance("wx", "actuals { indicator_id: 'o1' actual_milli: 11000 }");
  std::unique_ptr<EntityTable> table = Replay();
  absl::StatusOr<std::vector<ProjectPerformance>> projects =
      EvaluatePerformance(Book(*table, 2019), PerformanceWeights());
  ASSERT_TRUE(projects.ok()) << projects.status();
  ASSERT_THAT(*projects, SizeIs(1));
  // 10 × 0.333333 = 3.33; 50 × 3/4 = 37.50; 30 × 1/2 = 15.00; 10 × 0/1 = 0 → 55.83 差.
  EXPECT_EQ(RenderPerformance(*projects), R"(wx 网络维护: 55.83 差
  预算执行: 预算 10000.00 支出 3333.33 执行 33.33% → 3.33
  产出指标: 3/4 达成 → 37.50 (权重 50)
  效益指标: 1/2 达成 → 15.00 (权重 30)
  满意度指标: 0/1 达成 → 0.00 (权重 10)
    o1 数量指标 巡检 [≥ 12 次] 实际 11 次 未达成
    o2 质量指标 可用率 [≥ 99 %] 实际 99 % 达成
    o3 时效指标 时限 [定性 年底前] 实际 年底前完成 达成
    o4 成本指标 成本 [≤ 1 万元] 实际 0.333 万元 达成
    b1 社会效益指标 效益 [定性 运转高效] 实际 运转高效 达成
    b2 可持续影响指标 可持续 [定性 长期可用] 实际 未记录 未达成
    s1 服务对象满意度指标 满意度 [≥ 90 %] 实际 85 % 未达成
)");
  // The same with a locality's weights: execution 20, outputs 40; 中 from 50 points.
  PerformanceWeights local;
  local.budget_execution = 20;
  local.outputs = 40;
  local.pass_min = 50;
  projects = EvaluatePerformance(Book(*table, 2019), local);
  ASSERT_TRUE(projects.ok()) << projects.status();
  EXPECT_EQ((*projects)[0].execution_centipoints, 666);  // 20 × 0.333333 = 6.66
  EXPECT_EQ((*projects)[0].score_centipoints, 666 + 3000 + 1500);
  EXPECT_EQ((*projects)[0].grade, Grade::kPass);
}

TEST_F(BudgetPerformanceTest, WeightsAreValidatedNamingTheField) {
  PerformanceWeights w;
  w.outputs = 60;
  EXPECT_THAT(ValidateWeights(w, "weights").message(),
              HasSubstr("weights: budget_execution 10 + outputs 60 + benefits 30 + satisfaction "
                        "10 = 110 points; the weights sum to 100"));
  w = PerformanceWeights();
  w.satisfaction = -1;
  EXPECT_EQ(ValidateWeights(w, "weights").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ValidateWeights(w, "weights").message(), HasSubstr("weights.satisfaction -1"));
  w = PerformanceWeights();
  w.good_min = 95;
  EXPECT_THAT(ValidateWeights(w, "weights").message(),
              HasSubstr("weights.excellent_min 90 is outside 95–100"));
  EXPECT_TRUE(ValidateWeights(PerformanceWeights(), "weights").ok());
}

}  // namespace
}  // namespace reformlog::projections
