// Entity persistence: what a change writes (one line of a budget book, one task of a plan, not
// the entity), and that what is written loads back to the same model — also from records
// written whole before the entity had parts, after erasure, and never from a corrupt record.
#include "projections/entity_persistence.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "eventstore/kv_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_projection.h"
#include "projections/readmodel_format.h"
#include "projections/reform/reform_projection.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;
using ::testing::HasSubstr;
using Op = eventstore::KvBatch::Op;

constexpr uint32_t kVersion = 3;

// A projection's table fed with events as the log would give them, persisted to a store.
class Model {
 public:
  explicit Model(const Projection& projection)
      : projection_(projection), table_(NewTable(projection)) {}

  void Apply(const std::string& stream, const google::protobuf::Message& payload) {
    eventstore::RecordedEvent envelope;
    envelope.position = ++position_;
    envelope.stream_id = stream;
    envelope.type = payload.GetDescriptor()->full_name();
    envelope.effective_date = "2019-06-30";
    envelope.basis = {"西财预〔2019〕1号", "攀枝花市西区财政局", "2019-01-01", ""};
    projection_.Apply(AppliedEvent{envelope, payload}, *table_);
  }

  // The changes since the last call, as the runner would write them (without the meta).
  eventstore::KvBatch Changes() {
    eventstore::KvBatch batch;
    AddChanges(projection_, kVersion, *table_, batch);
    return batch;
  }

  // Writes the changes with the meta.
  void Persist(eventstore::KeyValueStore& kv) {
    eventstore::KvBatch batch = Changes();
    AddMeta(projection_, kVersion, position_, batch);
    ASSERT_TRUE(kv.Write(batch).ok());
  }

  // What a restart would load from `kv`.
  std::string Loaded(eventstore::KeyValueStore& kv) {
    std::unique_ptr<EntityTable> loaded = NewTable(projection_);
    absl::Status s = LoadEntities(projection_, kVersion, kv, *loaded);
    EXPECT_TRUE(s.ok()) << s;
    return loaded->Render();
  }

  EntityTable& table() { return *table_; }

 private:
  const Projection& projection_;
  std::unique_ptr<EntityTable> table_;
  uint64_t position_ = 0;
};

pb::BudgetLine Line(const std::string& function_code, const std::string& economic_code = "30201",
                    pb::FundSource source = pb::GENERAL_PUBLIC_BUDGET) {
  pb::BudgetLine line;
  line.set_fund_source(source);
  line.set_function_code(function_code);
  line.set_economic_code(economic_code);
  line.set_kind(pb::BASIC);
  return line;
}

pb::BudgetAppropriated Appropriation(const pb::BudgetLine& line, int64_t fen) {
  pb::BudgetAppropriated e;
  e.set_agency_id("xq-bianban");
  e.set_fiscal_year(2019);
  *e.mutable_line() = line;
  e.set_amount_fen(fen);
  return e;
}

pb::FundsDisbursed Disbursement(const pb::BudgetLine& line, int64_t fen) {
  pb::FundsDisbursed e;
  e.set_agency_id("xq-bianban");
  e.set_fiscal_year(2019);
  *e.mutable_line() = line;
  e.set_amount_fen(fen);
  e.set_disbursement_id("v1");
  e.set_date("2019-06-30");
  e.set_purpose("办公费");
  return e;
}

constexpr char kBook[] = "budget-xq-bianban-2019";

// A book of `lines` lines, appropriated out of canonical order.
void AppropriateLines(Model& model, int lines) {
  for (int i = 0; i < lines; ++i) {
    const int scrambled = (i * 37) % lines;
    model.Apply(kBook, Appropriation(Line(absl::StrCat(2010000 + scrambled)), 100'000 + i));
  }
}

TEST(EntityPersistenceTest, ADisbursementOnABigBookWritesOneLine) {
  BudgetProjection budget;
  Model model(budget);
  auto kv = eventstore::NewInMemoryKeyValueStore();
  AppropriateLines(model, 1'000);
  model.Persist(*kv);
  model.Apply(kBook, Disbursement(Line("2010500"), 2'500));
  const eventstore::KvBatch batch = model.Changes();
  ASSERT_EQ(batch.ops.size(), 1u);
  EXPECT_EQ(batch.ops[0].kind, Op::Kind::kPut);
  EXPECT_EQ(batch.ops[0].key, format::PartKey("budget", kVersion, "xq-bianban/2019",
                                              CanonicalLineKey(Line("2010500"))));
  rm::LineTotals written;
  ASSERT_TRUE(written.ParseFromString(batch.ops[0].value));
  EXPECT_EQ(written.disbursed_fen(), 2'500);
  ASSERT_TRUE(kv->Write(batch).ok());
  // The lines come back in canonical order, with the disbursement.
  EXPECT_EQ(model.Loaded(*kv), model.table().Render());
}

TEST(EntityPersistenceTest, ANewBookOrAProjectWritesTheHeaderWithoutTheLines) {
  BudgetProjection budget;
  Model model(budget);
  auto kv = eventstore::NewInMemoryKeyValueStore();
  AppropriateLines(model, 3);
  eventstore::KvBatch batch = model.Changes();
  ASSERT_EQ(batch.ops.size(), 4u);  // the new book: its header and its three lines
  ASSERT_TRUE(kv->Write(batch).ok());
  pb::ProjectDefined project;
  project.set_agency_id("xq-bianban");
  project.set_fiscal_year(2019);
  project.set_project_id("prj-1");
  project.set_name("机构编制信息化建设");
  model.Apply(kBook, project);
  batch = model.Changes();
  ASSERT_EQ(batch.ops.size(), 1u);
  EXPECT_EQ(batch.ops[0].key, format::EntityKey("budget", kVersion, "xq-bianban/2019"));
  rm::BudgetBook header;
  ASSERT_TRUE(header.ParseFromString(batch.ops[0].value));
  EXPECT_EQ(header.lines_size(), 0);
  ASSERT_EQ(header.projects_size(), 1);
  EXPECT_EQ(header.projects(0).name(), "机构编制信息化建设");
  ASSERT_TRUE(kv->Write(batch).ok());
  EXPECT_EQ(model.Loaded(*kv), model.table().Render());
  EXPECT_EQ(model.table().size(), 1u);
}

// A store written before books had parts holds each book whole. It loads as it is; the first
// change of a book rewrites it whole in the parted form (never a line twice).
TEST(EntityPersistenceTest, ABookWrittenWholeIsRewrittenInPartsAtItsFirstChange) {
  BudgetProjection budget;
  auto kv = eventstore::NewInMemoryKeyValueStore();
  Model model(budget);
  AppropriateLines(model, 20);
  {
    EntityTable whole(budget.entity_prototype());  // as the build before parts kept it
    model.table().ForEach([&](const std::string& key, const google::protobuf::Message& book) {
      whole.Mutable(key)->CopyFrom(book);
    });
    eventstore::KvBatch batch;
    whole.TakeChanges([&](const std::string& key, const EntityTable::Change& change) {
      batch.Put(format::EntityKey("budget", kVersion, key), EntityTable::Serialize(*change.entity));
    });
    ASSERT_TRUE(kv->Write(batch).ok());
  }
  model.table().ForgetChanges();
  std::unique_ptr<EntityTable> loaded = NewTable(budget);
  ASSERT_TRUE(LoadEntities(budget, kVersion, *kv, *loaded).ok());
  EXPECT_EQ(loaded->Render(), model.table().Render());
  // A disbursement on the loaded book: the book goes to the parted form, whole.
  Table<rm::BudgetBook> typed(*loaded);
  Table<rm::BudgetBook>::Parts book = typed.MutableParts("xq-bianban/2019");
  rm::LineTotals& line = *book.entity().mutable_lines(4);
  line.set_disbursed_fen(700);
  book.PartChanged(line);
  eventstore::KvBatch batch;
  AddChanges(budget, kVersion, *loaded, batch);
  ASSERT_EQ(batch.ops.size(), 1u + 1u + 20u);  // the old parts' deletion, the header, 20 lines
  EXPECT_EQ(batch.ops[0].kind, Op::Kind::kDeletePrefix);
  ASSERT_TRUE(kv->Write(batch).ok());
  std::unique_ptr<EntityTable> reloaded = NewTable(budget);
  ASSERT_TRUE(LoadEntities(budget, kVersion, *kv, *reloaded).ok());
  EXPECT_EQ(reloaded->Render(), loaded->Render());
  EXPECT_EQ(ConstTable<rm::BudgetBook>(*reloaded).Find("xq-bianban/2019")->lines_size(), 20);
}

TEST(EntityPersistenceTest, AnErasedEntityLeavesNoParts) {
  BudgetProjection budget;
  auto kv = eventstore::NewInMemoryKeyValueStore();
  std::unique_ptr<EntityTable> table = NewTable(budget);
  Table<rm::BudgetBook> typed(*table);
  for (const char* key : {"a/2019", "a/20190"}) {  // one key a prefix of the other
    rm::BudgetBook& book = typed.MutableParts(key).entity();
    for (const char* code : {"2010101", "2010102"}) {
      *book.add_lines()->mutable_line() = Line(code);
    }
  }
  eventstore::KvBatch batch;
  AddChanges(budget, kVersion, *table, batch);
  ASSERT_TRUE(kv->Write(batch).ok());
  typed.Erase("a/2019");
  batch = {};
  AddChanges(budget, kVersion, *table, batch);
  ASSERT_TRUE(kv->Write(batch).ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(kv->Scan(format::VersionSpace("budget", kVersion), [&](absl::string_view key,
                                                                     absl::string_view) {
                  keys.emplace_back(key);
                  return true;
                }).ok());
  EXPECT_EQ(keys.size(), 3u);  // a/20190: its header and two lines
  std::unique_ptr<EntityTable> loaded = NewTable(budget);
  ASSERT_TRUE(LoadEntities(budget, kVersion, *kv, *loaded).ok());
  EXPECT_EQ(loaded->Render(), table->Render());
  EXPECT_EQ(loaded->size(), 1u);
}

TEST(EntityPersistenceTest, CompletingATaskOfABigPlanWritesThatTask) {
  ReformProjection reform;
  Model model(reform);
  auto kv = eventstore::NewInMemoryKeyValueStore();
  pb::PlanDrafted plan;
  plan.set_plan_id("reform2019");
  plan.set_title("西区机构改革方案");
  plan.set_jurisdiction("西区");
  model.Apply("plan-reform2019", plan);
  for (int t = 0; t < 300; ++t) {
    pb::TaskAdded task;
    task.set_plan_id("reform2019");
    task.set_task_id(absl::StrCat("t", t));
    task.set_agency_id(absl::StrCat("xq-", t));
    task.set_kind(pb::OTHER_TASK);
    task.set_due_date("2019-12-31");
    model.Apply("plan-reform2019", task);
  }
  model.Persist(*kv);
  pb::TaskCompleted done;
  done.set_plan_id("reform2019");
  done.set_task_id("t150");
  done.set_note("已印发");
  model.Apply("plan-reform2019", done);
  const eventstore::KvBatch batch = model.Changes();
  ASSERT_EQ(batch.ops.size(), 1u);
  rm::TaskProgress written;
  ASSERT_TRUE(written.ParseFromString(batch.ops[0].value));
  EXPECT_EQ(written.task_id(), "t150");
  EXPECT_TRUE(written.done());
  ASSERT_TRUE(kv->Write(batch).ok());
  // Tasks come back in the order added (t0, t1, …, t299), not in task-id order.
  EXPECT_EQ(model.Loaded(*kv), model.table().Render());
}

TEST(EntityPersistenceTest, ACorruptPartIsDataLossNamingIt) {
  BudgetProjection budget;
  auto kv = eventstore::NewInMemoryKeyValueStore();
  eventstore::KvBatch batch;
  batch.Put(format::PartKey("budget", kVersion, "a/2019", "x"), "\xff\xff\xff");
  ASSERT_TRUE(kv->Write(batch).ok());
  std::unique_ptr<EntityTable> table = NewTable(budget);
  absl::Status s = LoadEntities(budget, kVersion, *kv, *table);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("a/2019"));
  EXPECT_THAT(s.message(), HasSubstr("LineTotals"));

  kv = eventstore::NewInMemoryKeyValueStore();
  batch = {};
  batch.Put(format::PartsPrefix("budget", kVersion) + "a/2019", "");  // no end of the key
  ASSERT_TRUE(kv->Write(batch).ok());
  table = NewTable(budget);
  s = LoadEntities(budget, kVersion, *kv, *table);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("names no entity key"));
}

TEST(EntityPersistenceTest, OrderedKeysCompareAsTheirValues) {
  const std::vector<std::string> strings = {"",
                                            std::string("\0", 1),
                                            std::string("\0\xff", 2),
                                            std::string("a\0", 2),
                                            "a",
                                            "ab",
                                            "b",
                                            "\xff",
                                            "2010",
                                            "201",
                                            "20101"};
  for (const std::string& a : strings) {
    std::string encoded;
    format::AppendOrderedString(a, encoded);
    encoded += "tail";
    absl::string_view rest = encoded;
    std::string decoded;
    ASSERT_TRUE(format::ConsumeOrderedString(rest, decoded));
    EXPECT_EQ(decoded, a);
    EXPECT_EQ(rest, "tail");
    for (const std::string& b : strings) {
      std::string ea;
      std::string eb;
      format::AppendOrderedString(a, ea);
      format::AppendOrderedString(b, eb);
      EXPECT_EQ(ea < eb, a < b) << absl::CHexEscape(a) << " vs " << absl::CHexEscape(b);
    }
  }
  const std::vector<int32_t> numbers = {INT32_MIN, -1, 0, 1, 7, 256, INT32_MAX};
  for (int32_t a : numbers) {
    for (int32_t b : numbers) {
      std::string ea;
      std::string eb;
      format::AppendOrderedInt32(a, ea);
      format::AppendOrderedInt32(b, eb);
      EXPECT_EQ(ea < eb, a < b) << a << " vs " << b;
    }
  }
  // The budget's line keys sort as CanonicalLineBefore does.
  std::vector<pb::BudgetLine> lines = {Line("201"),
                                       Line("2010101"),
                                       Line("20101"),
                                       Line("2010101", "302"),
                                       Line("2010101", "30201"),
                                       Line("2010101", "30201", pb::GOVERNMENT_FUND),
                                       Line(std::string("201\0", 4))};
  pb::BudgetLine project = Line("2010101");
  project.set_kind(pb::PROJECT);
  project.set_project_id("prj-1");
  lines.push_back(project);
  pb::BudgetLine odd = Line("2010101");
  odd.set_kind(static_cast<pb::ExpenditureKind>(-3));
  lines.push_back(odd);
  for (const pb::BudgetLine& a : lines) {
    for (const pb::BudgetLine& b : lines) {
      EXPECT_EQ(CanonicalLineKey(a) < CanonicalLineKey(b), CanonicalLineBefore(a, b))
          << a.ShortDebugString() << " vs " << b.ShortDebugString();
    }
  }
}

}  // namespace
}  // namespace reformlog::projections
