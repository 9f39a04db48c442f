// Principals over a real reformd: a token revoked or a principal disabled stops working for
// the very next call; a role granted or revoked holds at once; the principal recorded on an
// event is the authenticated one whatever metadata the call carries; request ids are each
// principal's own.
#include <memory>
#include <string>

#include "domain/event_codec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/security.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "services/security/redaction.h"
#include "tests/testing/feed_reads.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;

class PrincipalsTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    principals_ = api::Principals::NewStub(Channel());
    org_ = api::OrgCommands::NewStub(Channel());
    Must([&](auto* c, const auto& r, auto* out) { return org_->EstablishAgency(c, r, out); },
         testing::requests::EstablishAgency("xq-czj", "西区财政局", pb::GOVERNMENT_DEPARTMENT),
         "2019-01-01");
  }

  // Adds `id` with `role` everywhere and a token; returns the response.
  api::SecurityCommandResponse Add(const std::string& id, pb::Role role) {
    api::AddPrincipalRequest r;
    *r.mutable_header() = Header("2019-01-02");
    r.set_principal_id(id);
    r.set_display_name(id);
    r.add_grants()->set_role(role);
    r.set_issue_token(true);
    api::SecurityCommandResponse added;
    const grpc::Status s = principals_->AddPrincipal(Context().get(), r, &added);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return added;
  }

  static grpc::StatusCode WhoAmI(const std::shared_ptr<grpc::Channel>& channel) {
    api::WhoAmIResponse me;
    return api::Principals::NewStub(channel)
        ->WhoAmI(Context().get(), api::WhoAmIRequest(), &me)
        .error_code();
  }

  api::SecurityCommandResponse Send(
      grpc::Status (api::Principals::Stub::*method)(grpc::ClientContext*, const api::RoleRequest&,
                                                    api::SecurityCommandResponse*),
      const std::string& id, pb::Role role) {
    api::RoleRequest r;
    *r.mutable_header() = Header("2019-01-03");
    r.set_principal_id(id);
    r.mutable_grant()->set_role(role);
    api::SecurityCommandResponse out;
    const grpc::Status s = ((*principals_).*method)(Context().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Rename(const std::shared_ptr<grpc::Channel>& channel, const std::string& name,
                      const std::string& request_id, api::CommandResult* result,
                      grpc::ClientContext* context) {
    api::RenameAgencyRequest r;
    *r.mutable_header() = Header("2019-02-01");
    r.mutable_header()->set_request_id(request_id);
    r.set_agency_id("xq-czj");
    r.set_new_name(name);
    return api::OrgCommands::NewStub(channel)->RenameAgency(context, r, result);
  }

  // Person p1, 欧阳娜娜, registered in xq-czj (a name to be redacted).
  void RegisterOuyang() {
    Must([&](auto* c, const auto& r, auto* out) { return org_->GrantQuota(c, r, out); },
         testing::requests::ChangeQuota("xq-czj", pb::ADMINISTRATIVE, 2), "2019-01-02");
    auto staffing = api::StaffingCommands::NewStub(Channel());
    Must([&](auto* c, const auto& r, auto* out) { return staffing->RegisterPerson(c, r, out); },
         testing::requests::RegisterPerson("p1", "欧阳娜娜", "xq-czj"), "2019-01-03");
  }

  std::unique_ptr<api::Principals::Stub> principals_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
};

TEST_F(PrincipalsTest, ARevokedTokenOrADisabledPrincipalStopsAtTheNextCall) {
  const api::SecurityCommandResponse added = Add("reader", pb::ROLE_READER);
  ASSERT_FALSE(added.token().empty());
  const auto reader = ChannelWith(added.token());
  EXPECT_EQ(WhoAmI(reader), grpc::StatusCode::OK);

  api::RevokeTokenRequest revoke;
  *revoke.mutable_header() = Header("2019-01-03");
  revoke.set_principal_id("reader");
  revoke.set_token_id(added.token_id());
  api::SecurityCommandResponse revoked;
  ASSERT_TRUE(principals_->RevokeToken(Context().get(), revoke, &revoked).ok());
  EXPECT_EQ(WhoAmI(reader), grpc::StatusCode::UNAUTHENTICATED);

  api::IssueTokenRequest issue;
  *issue.mutable_header() = Header("2019-01-04");
  issue.set_principal_id("reader");
  api::SecurityCommandResponse issued;
  ASSERT_TRUE(principals_->IssueToken(Context().get(), issue, &issued).ok());
  EXPECT_NE(issued.token(), added.token());
  const auto again = ChannelWith(issued.token());
  EXPECT_EQ(WhoAmI(again), grpc::StatusCode::OK);

  // A replay of the same request shows no token: it was shown once.
  api::SecurityCommandResponse replay;
  ASSERT_TRUE(principals_->IssueToken(Context().get(), issue, &replay).ok());
  EXPECT_TRUE(replay.result().replayed());
  EXPECT_TRUE(replay.token().empty());

  api::DisablePrincipalRequest disable;
  *disable.mutable_header() = Header("2019-01-05");
  disable.set_principal_id("reader");
  api::SecurityCommandResponse disabled;
  ASSERT_TRUE(principals_->DisablePrincipal(Context().get(), disable, &disabled).ok());
  EXPECT_EQ(WhoAmI(again), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PrincipalsTest, RolesGrantedAndRevokedHoldAtOnce) {
  const auto editor = ChannelWith(Add("editor", pb::ROLE_READER).token());
  api::CommandResult result;
  grpc::ClientContext refused_context;
  grpc::Status s = Rename(editor, "财政局", "r-1", &result, &refused_context);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("lacks permission org.write"));

  Send(&api::Principals::Stub::GrantRole, "editor", pb::ROLE_EDITOR);
  grpc::ClientContext granted_context;
  s = Rename(editor, "财政局", "r-2", &result, &granted_context);
  EXPECT_TRUE(s.ok()) << s.error_message();

  Send(&api::Principals::Stub::RevokeRole, "editor", pb::ROLE_EDITOR);
  grpc::ClientContext revoked_context;
  s = Rename(editor, "西区财政局", "r-3", &result, &revoked_context);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
}

TEST_F(PrincipalsTest, TheRecordedPrincipalIsTheAuthenticatedOneWhateverTheMetadataSays) {
  const auto editor = ChannelWith(Add("editor", pb::ROLE_EDITOR).token());
  api::CommandResult result;
  grpc::ClientContext context;
  context.AddMetadata("x-reformlog-principal", "admin");
  context.AddMetadata("principal", "admin");
  ASSERT_TRUE(Rename(editor, "财政局", "r-1", &result, &context).ok());
  const api::Event recorded = testing::EventAt(Channel(), result.position());
  EXPECT_EQ(recorded.principal(), "editor");
  EXPECT_EQ(recorded.commit_id(), "editor/r-1");

  // A second authorization header (a forged one beside the real one) is refused outright.
  grpc::ClientContext forged;
  forged.AddMetadata("authorization", absl::StrCat("Bearer ", AdminToken()));
  const grpc::Status s = Rename(editor, "西区财政局", "r-2", &result, &forged);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("more than one authorization header"));
}

TEST_F(PrincipalsTest, RequestIdsAreEachPrincipalsOwn) {
  const auto a = ChannelWith(Add("editor-a", pb::ROLE_EDITOR).token());
  const auto b = ChannelWith(Add("editor-b", pb::ROLE_EDITOR).token());
  api::CommandResult first;
  grpc::ClientContext c1;
  ASSERT_TRUE(Rename(a, "财政局", "same-id", &first, &c1).ok());
  // The same id from another principal is another request: recorded, not A's answer, and not
  // "already used" either (which would tell B that A used it).
  api::CommandResult second;
  grpc::ClientContext c2;
  const grpc::Status s = Rename(b, "西区财政局", "same-id", &second, &c2);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(second.replayed());
  EXPECT_GT(second.position(), first.position());
  // A's retry still gets A's original answer.
  api::CommandResult retry;
  grpc::ClientContext c3;
  ASSERT_TRUE(Rename(a, "财政局", "same-id", &retry, &c3).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(retry.position(), first.position());
}

TEST_F(PrincipalsTest, PersonalDataIsRedactedWithoutThePermission) {
  RegisterOuyang();
  const uint64_t head = server_->store().HeadPosition();
  const auto reader = ChannelWith(Add("reader", pb::ROLE_READER).token());
  const auto auditor = ChannelWith(Add("auditor", pb::ROLE_AUDITOR).token());

  api::GetPersonRequest get;
  get.set_person_id("p1");
  get.set_min_position(head);
  api::GetPersonResponse seen;
  ASSERT_TRUE(api::StaffingQueries::NewStub(reader)->GetPerson(Context().get(), get, &seen).ok());
  EXPECT_EQ(seen.person().name(), "欧***");
  ASSERT_GE(seen.history_size(), 1);
  EXPECT_EQ(seen.history(0).summary(), security::kWithheld);
  EXPECT_EQ(seen.person().agency_id(), "xq-czj") << "what is not personal stays";

  // An auditor reads everything but personal data, which is a permission of its own.
  ASSERT_TRUE(api::StaffingQueries::NewStub(auditor)->GetPerson(Context().get(), get, &seen).ok());
  EXPECT_EQ(seen.person().name(), "欧***");
  Send(&api::Principals::Stub::GrantRole, "auditor", pb::ROLE_PERSONAL_DATA);
  ASSERT_TRUE(api::StaffingQueries::NewStub(auditor)->GetPerson(Context().get(), get, &seen).ok());
  EXPECT_EQ(seen.person().name(), "欧阳娜娜");

  api::ListPeopleRequest list;
  list.set_agency_id("xq-czj");
  list.set_min_position(head);
  api::ListPeopleResponse people;
  ASSERT_TRUE(
      api::StaffingQueries::NewStub(reader)->ListPeople(Context().get(), list, &people).ok());
  ASSERT_EQ(people.people_size(), 1);
  EXPECT_EQ(people.people(0).name(), "欧***");

  // Each of those reads of personal data is in the audit trail, the reader's too.
  api::ReadAuditRequest read;
  read.set_principal_id("reader");
  api::ReadAuditResponse audit;
  ASSERT_TRUE(principals_->ReadAudit(Context().get(), read, &audit).ok());
  ASSERT_EQ(audit.entries_size(), 2);
  EXPECT_EQ(audit.entries(0).record().method(), "/reformlog.api.v1.StaffingQueries/ListPeople");
  EXPECT_EQ(audit.entries(1).record().target(), "person \"p1\"");
}

// The feed carries the domain events themselves: their personal fields (a name, a departure's
// reason and note) are redacted for a reader without personal_data in every way of reading it
// — ReadAll, ReadStream, Subscribe — and nothing else of the event changes.
TEST_F(PrincipalsTest, TheFeedIsRedactedWithoutPersonalData) {
  RegisterOuyang();
  auto staffing = api::StaffingCommands::NewStub(Channel());
  api::RecordDepartureRequest depart;
  depart.set_person_id("p1");
  depart.set_reason(pb::DECEASED);
  depart.set_note("因病");
  Must([&](auto* c, const auto& r, auto* out) { return staffing->RecordDeparture(c, r, out); },
       depart, "2019-03-01");
  const auto auditor = ChannelWith(Add("auditor", pb::ROLE_AUDITOR).token());

  struct Seen {
    pb::PersonRegistered registered;
    pb::PersonDeparted departed;
    int others = 0;
  };
  const auto decode = [](const google::protobuf::RepeatedPtrField<api::Event>& events) {
    Seen seen;
    for (const api::Event& e : events) {
      if (e.type() == domain::EventType(seen.registered)) {
        EXPECT_TRUE(seen.registered.ParseFromString(e.data()));
      } else if (e.type() == domain::EventType(seen.departed)) {
        EXPECT_TRUE(seen.departed.ParseFromString(e.data()));
      } else {
        ++seen.others;
      }
    }
    return seen;
  };
  const auto read_all = [&](const std::shared_ptr<grpc::Channel>& channel) {
    api::ReadAllResponse all;
    const grpc::Status s =
        api::EventFeed::NewStub(channel)->ReadAll(Context().get(), api::ReadAllRequest(), &all);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return all;
  };

  const api::ReadAllResponse full = read_all(Channel());
  const api::ReadAllResponse redacted = read_all(auditor);
  ASSERT_EQ(redacted.events_size(), full.events_size());
  const Seen as_admin = decode(full.events());
  const Seen as_auditor = decode(redacted.events());
  EXPECT_EQ(as_admin.registered.name(), "欧阳娜娜");
  EXPECT_EQ(as_admin.departed.reason(), pb::DECEASED);
  EXPECT_EQ(as_admin.departed.note(), "因病");
  EXPECT_EQ(as_auditor.registered.name(), "欧***");
  EXPECT_EQ(as_auditor.registered.agency_id(), "xq-czj") << "what is not personal stays";
  EXPECT_EQ(as_auditor.departed.reason(), pb::DEPARTURE_REASON_UNSPECIFIED);
  EXPECT_EQ(as_auditor.departed.note(), security::kWithheld);
  EXPECT_EQ(as_auditor.departed.person_id(), "p1");
  // Events without personal fields are the very bytes of the log.
  for (int i = 0; i < full.events_size(); ++i) {
    if (full.events(i).type() == domain::EventType(pb::PersonRegistered()) ||
        full.events(i).type() == domain::EventType(pb::PersonDeparted())) {
      continue;
    }
    EXPECT_EQ(redacted.events(i).data(), full.events(i).data()) << full.events(i).type();
  }

  api::ReadStreamRequest stream;
  stream.set_stream_id("person-p1");
  api::ReadStreamResponse person;
  ASSERT_TRUE(api::EventFeed::NewStub(auditor)->ReadStream(Context().get(), stream, &person).ok());
  const Seen in_stream = decode(person.events());
  EXPECT_EQ(in_stream.registered.name(), "欧***");
  EXPECT_EQ(in_stream.departed.note(), security::kWithheld);

  grpc::ClientContext subscribing;
  std::unique_ptr<grpc::ClientReader<api::SubscribeResponse>> reader =
      api::EventFeed::NewStub(auditor)->Subscribe(&subscribing, api::SubscribeRequest());
  google::protobuf::RepeatedPtrField<api::Event> streamed;
  api::SubscribeResponse message;
  while (reader->Read(&message)) {
    if (message.has_event()) *streamed.Add() = message.event();
    if (message.has_caught_up_at_position()) break;
  }
  subscribing.TryCancel();
  const Seen subscribed = decode(streamed);
  EXPECT_EQ(subscribed.registered.name(), "欧***");
  EXPECT_EQ(subscribed.departed.reason(), pb::DEPARTURE_REASON_UNSPECIFIED);

  // With personal_data granted, the same auditor reads the events as they are.
  Send(&api::Principals::Stub::GrantRole, "auditor", pb::ROLE_PERSONAL_DATA);
  EXPECT_EQ(decode(read_all(auditor).events()).registered.name(), "欧阳娜娜");
}

TEST(RedactEventDataTest, AnUnknownTypeIsWithheldAndAnEventWithoutPersonalFieldsIsUntouched) {
  std::string data = "\x0a\x02p1";
  EXPECT_FALSE(security::RedactEventData("reformlog.domain.v1.FromANewerWriter", data));
  EXPECT_TRUE(data.empty());
  pb::AgencyRenamed renamed;
  renamed.set_agency_id("xq-czj");
  renamed.set_new_name("西区财政局");
  data = renamed.SerializeAsString();
  EXPECT_TRUE(security::RedactEventData(domain::EventType(renamed), data));
  EXPECT_EQ(data, renamed.SerializeAsString());
  data = "\xff\xff";  // not a PersonRegistered
  EXPECT_FALSE(security::RedactEventData(domain::EventType(pb::PersonRegistered()), data));
  EXPECT_TRUE(data.empty());
}

TEST(MaskNameTest, KeepsTheFirstCharacterOnly) {
  EXPECT_EQ(security::MaskName("张三"), "张*");
  EXPECT_EQ(security::MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(security::MaskName("Li Lei"), "L*****");
  EXPECT_EQ(security::MaskName(""), "");
}

}  // namespace
}  // namespace reformlog::services
