// Refusals a caller can read, over a real reformd on port 0: an 8 KB id, name or date is
// INVALID_ARGUMENT with a short message naming the field (not RESOURCE_EXHAUSTED because the
// message echoed it whole), and bytes that do not parse as the request — truncated, or a string
// field that is not UTF-8 — are INVALID_ARGUMENT naming the request type for every method (not
// gRPC's bare UNIMPLEMENTED). Nothing is written by any of them.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/admin.grpc.pb.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "reformlog/api/v1/power_queries.grpc.pb.h"
#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_queries.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::Le;
using ::testing::SizeIs;

// 8 KiB: the size of the default gRPC metadata limit, which a message echoing it whole exceeds.
constexpr size_t kHugeBytes = 8192;
// A refusal a person reads at a glance; every one below is well within it.
constexpr size_t kShortMessageBytesMax = 256;

class ReadableErrorsTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    org_ = api::OrgCommands::NewStub(Channel());
    staffing_ = api::StaffingCommands::NewStub(Channel());
    org_queries_ = api::OrgQueries::NewStub(Channel());
    staffing_queries_ = api::StaffingQueries::NewStub(Channel());
  }

  api::EstablishAgencyRequest Agency() {
    api::EstablishAgencyRequest r =
        testing::requests::EstablishAgency("xq-dag", "攀枝花市西区档案馆", pb::PUBLIC_INSTITUTION);
    *r.mutable_header() = Header("2019-03-01");
    return r;
  }

  grpc::Status Establish(const api::EstablishAgencyRequest& r) {
    api::CommandResult result;
    return org_->EstablishAgency(Context().get(), r, &result);
  }

  // INVALID_ARGUMENT, naming `text`, in a short message.
  static void ExpectShortRefusal(const grpc::Status& s, const std::string& text) {
    ExpectStatus(s, grpc::StatusCode::INVALID_ARGUMENT, text);
    EXPECT_THAT(s.error_message(), SizeIs(Le(kShortMessageBytesMax))) << s.error_message();
  }

  // Sends `bytes` as the one request message of `method` ("/package.Service/Method") and reads
  // the answer to its end; returns the call's status. Works for unary and server-streaming
  // methods alike: on the wire both are one request message and a stream of answers.
  grpc::Status SendRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(Channel());
    grpc::CompletionQueue cq;
    std::unique_ptr<grpc::ClientContext> context = Context();
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
        stub.PrepareCall(context.get(), method, &cq);
    void* tag = nullptr;
    bool ok = false;
    auto next = [&] { return cq.Next(&tag, &ok) && ok; };
    call->StartCall(nullptr);
    next();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->WriteLast(request, grpc::WriteOptions(), nullptr);
    next();
    grpc::ByteBuffer response;
    do {
      call->Read(&response, nullptr);
    } while (next());
    grpc::Status status;
    call->Finish(&status, nullptr);
    next();
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return status;
  }

  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::OrgQueries::Stub> org_queries_;
  std::unique_ptr<api::StaffingQueries::Stub> staffing_queries_;
};

TEST_F(ReadableErrorsTest, AnOversizedRequestIdIsRefusedNamingTheField) {
  api::EstablishAgencyRequest r = Agency();
  r.mutable_header()->set_request_id(std::string(kHugeBytes, 'r'));
  ExpectShortRefusal(Establish(r), "header.request_id is 8192 bytes");
  EXPECT_EQ(server_->store().HeadPosition(), 0u);
}

TEST_F(ReadableErrorsTest, AnOversizedAgencyIdIsRefusedWithAShortQuote) {
  const std::string huge(kHugeBytes, 'a');
  const std::string quoted = absl::StrCat("\"", std::string(32, 'a'), "…\" (8192 bytes)");

  api::EstablishAgencyRequest r = Agency();
  r.mutable_agency()->set_agency_id(huge);
  ExpectShortRefusal(Establish(r), absl::StrCat("agency.agency_id ", quoted));

  api::ChangeQuotaRequest grant;
  *grant.mutable_header() = Header("2019-03-01");
  grant.set_agency_id(huge);
  grant.set_category(pb::ADMINISTRATIVE);
  grant.set_count(1);
  api::CommandResult result;
  ExpectShortRefusal(org_->GrantQuota(Context().get(), grant, &result),
                     absl::StrCat("agency_id ", quoted));
  EXPECT_EQ(server_->store().HeadPosition(), 0u);

  api::GetAgencyRequest get;
  get.set_agency_id(huge);
  api::GetAgencyResponse agency;
  ExpectShortRefusal(org_queries_->GetAgency(Context().get(), get, &agency),
                     absl::StrCat("agency_id ", quoted));

  api::GetStaffingRequest staffing;
  staffing.set_agency_id(huge);
  api::GetStaffingResponse figures;
  ExpectShortRefusal(staffing_queries_->GetStaffing(Context().get(), staffing, &figures),
                     absl::StrCat("agency_id ", quoted));
}

TEST_F(ReadableErrorsTest, AnOversizedPersonIdIsRefusedWithAShortQuote) {
  ASSERT_TRUE(Establish(Agency()).ok());
  api::EstablishAgencyRequest other = Agency();
  other.mutable_agency()->set_agency_id("xq-dfz");
  other.mutable_agency()->set_name("攀枝花市西区地方志编纂中心");
  ASSERT_TRUE(Establish(other).ok());
  const uint64_t head = server_->store().HeadPosition();
  const std::string huge(kHugeBytes, 'p');

  api::RegisterPersonRequest r =
      testing::requests::RegisterPerson(huge, "王五", "xq-dag", pb::PUBLIC_SERVICE);
  *r.mutable_header() = Header("2019-03-01");
  api::CommandResult result;
  ExpectShortRefusal(staffing_->RegisterPerson(Context().get(), r, &result),
                     "person.person_id \"pppppppppppppppppppppppppppppppp…\" (8192 bytes)");

  api::TransferQuotaRequest transfer;
  *transfer.mutable_header() = Header("2019-03-01");
  transfer.set_from_agency_id("xq-dag");
  transfer.set_to_agency_id("xq-dfz");
  transfer.set_category(pb::PUBLIC_SERVICE);
  transfer.set_count(1);
  transfer.add_person_ids(huge);
  ExpectShortRefusal(org_->TransferQuota(Context().get(), transfer, &result),
                     "person_ids \"pppppppppppppppppppppppppppppppp…\" (8192 bytes)");
  EXPECT_EQ(server_->store().HeadPosition(), head);

  api::GetPersonRequest get;
  get.set_person_id(huge);
  api::GetPersonResponse person;
  ExpectShortRefusal(staffing_queries_->GetPerson(Context().get(), get, &person),
                     "person_id \"pppppppppppppppppppppppppppppppp…\" (8192 bytes)");
}

TEST_F(ReadableErrorsTest, AnOversizedNameIsRefusedNamingTheFieldAndTheLimit) {
  // 2731 Chinese characters: 8193 bytes.
  std::string huge;
  for (int i = 0; i < 2731; ++i) huge += "字";
  api::EstablishAgencyRequest r = Agency();
  r.mutable_agency()->set_name(huge);
  ExpectShortRefusal(Establish(r), "agency.name is 8193 bytes; the limit kTextBytesMax is 1024");
  EXPECT_EQ(server_->store().HeadPosition(), 0u);
}

TEST_F(ReadableErrorsTest, AnOversizedDateIsRefusedWithAShortQuote) {
  api::GetAgencyRequest get;
  get.set_agency_id("xq-dag");
  get.set_as_of_date(std::string(kHugeBytes, '9'));
  api::GetAgencyResponse agency;
  ExpectShortRefusal(org_queries_->GetAgency(Context().get(), get, &agency),
                     "as_of_date \"99999999999999999999999999999999…\" (8192 bytes) is not a date");
}

TEST_F(ReadableErrorsTest, AQuotedValueIsCutBetweenCharacters) {
  // A jurisdiction may be 1024 bytes; this one is 999 bytes of three-byte characters. Its
  // quote keeps 10 whole characters (30 bytes): the 11th would end past kQuotedPrefixBytesMax.
  std::string jurisdiction;
  for (int i = 0; i < 333; ++i) jurisdiction += "区";
  api::GetStaffingRequest r;
  r.set_jurisdiction(jurisdiction);
  api::GetStaffingResponse figures;
  grpc::Status s = staffing_queries_->GetStaffing(Context().get(), r, &figures);
  ExpectStatus(s, grpc::StatusCode::NOT_FOUND,
               "no agency in jurisdiction \"区区区区区区区区区区…\" (999 bytes)");
}

// The services of reformd's API, as their generated classes name them.
std::vector<std::string> ApiServices() {
  return {api::OrgCommands::service_full_name(),     api::StaffingCommands::service_full_name(),
          api::PowerCommands::service_full_name(),   api::BudgetCommands::service_full_name(),
          api::ReformCommands::service_full_name(),  api::OrgQueries::service_full_name(),
          api::StaffingQueries::service_full_name(), api::PowerQueries::service_full_name(),
          api::BudgetQueries::service_full_name(),   api::ReformQueries::service_full_name(),
          api::EventFeed::service_full_name(),       api::ProjectionAdmin::service_full_name()};
}

TEST_F(ReadableErrorsTest, TruncatedBytesAreInvalidArgumentForEveryMethod) {
  // Field 1, length-delimited, 5 bytes announced and 2 sent: no message type parses it.
  const std::string truncated(
      "\x0a\x05"
      "ab",
      4);
  int methods = 0;
  for (const std::string& name : ApiServices()) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      SCOPED_TRACE(method->full_name());
      grpc::Status s = SendRaw(absl::StrCat("/", name, "/", method->name()), truncated);
      ExpectShortRefusal(
          s, absl::StrCat("the request does not parse as a ", method->input_type()->name()));
      ++methods;
    }
  }
  EXPECT_GE(methods, 60);  // every method of the twelve services was tried
  EXPECT_EQ(server_->store().HeadPosition(), 0u);
}

TEST_F(ReadableErrorsTest, AStringFieldThatIsNotUtf8IsInvalidArgument) {
  // A request serialized with a placeholder of the same length, replaced by bytes that are
  // not UTF-8: only that field is wrong.
  const std::string placeholder = "PLACEHOLDER!";
  const std::string not_utf8 = "\xff\xfe\xfd\xfc\xff\xfe\xfd\xfc\xff\xfe\xfd\xfc";
  auto corrupt = [&](const google::protobuf::Message& m) {
    return absl::StrReplaceAll(m.SerializeAsString(), {{placeholder, not_utf8}});
  };

  api::EstablishAgencyRequest establish = Agency();
  establish.mutable_agency()->set_name(placeholder);
  ExpectShortRefusal(SendRaw("/reformlog.api.v1.OrgCommands/EstablishAgency", corrupt(establish)),
                     "the request does not parse as a EstablishAgencyRequest");

  api::GetAgencyRequest get;
  get.set_agency_id(placeholder);
  ExpectShortRefusal(SendRaw("/reformlog.api.v1.OrgQueries/GetAgency", corrupt(get)),
                     "the request does not parse as a GetAgencyRequest");

  api::SubscribeRequest subscribe;  // server-streaming
  subscribe.mutable_filter()->set_stream_prefix(placeholder);
  ExpectShortRefusal(SendRaw("/reformlog.api.v1.EventFeed/Subscribe", corrupt(subscribe)),
                     "the request does not parse as a SubscribeRequest");

  api::GetBudgetRequest budget;  // a raw method: parsed by the service itself
  budget.set_agency_id(placeholder);
  ExpectShortRefusal(SendRaw("/reformlog.api.v1.BudgetQueries/GetBudget", corrupt(budget)),
                     "the request does not parse as a GetBudgetRequest");
  EXPECT_EQ(server_->store().HeadPosition(), 0u);
}

TEST_F(ReadableErrorsTest, ARequestThatParsesIsServedAndAnUnknownMethodIsUnimplemented) {
  api::EstablishAgencyRequest r = Agency();
  EXPECT_TRUE(SendRaw("/reformlog.api.v1.OrgCommands/EstablishAgency", r.SerializeAsString()).ok());
  EXPECT_GT(server_->store().HeadPosition(), 0u);
  EXPECT_EQ(SendRaw("/reformlog.api.v1.OrgCommands/NoSuchMethod", "").error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace reformlog::services
