// Decisions on principals (services/domain/security_decide.h) against a FakeStateView: what
// each records, and each rule's refusal — a principal id at its limit and one past it, a
// repeated or unknown principal, a scoped administrator, grants twice or not held, tokens of
// another principal, and the last administrator, who cannot be disabled or lose the role.
#include "services/domain/security_decide.h"

#include <string>

#include "domain/vocabulary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_state_view.h"

namespace reformlog::domain {
namespace {

using testing::EventsOf;
using testing::FakeStateView;
using ::testing::HasSubstr;

api::AddPrincipalRequest Add(const std::string& id, pb::Role role,
                             const std::string& jurisdiction = "") {
  api::AddPrincipalRequest r;
  r.set_principal_id(id);
  r.set_display_name(id);
  api::Grant* g = r.add_grants();
  g->set_role(role);
  g->mutable_scope()->set_jurisdiction(jurisdiction);
  return r;
}

api::RoleRequest Role(const std::string& id, pb::Role role, const std::string& jurisdiction = "") {
  api::RoleRequest r;
  r.set_principal_id(id);
  r.mutable_grant()->set_role(role);
  r.mutable_grant()->mutable_scope()->set_jurisdiction(jurisdiction);
  return r;
}

class SecurityDecideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const IssuedToken token{"t1", std::string(32, 'a')};
    ASSERT_TRUE(view_.Record(DecideAddPrincipal(view_, Add("admin", pb::ROLE_ADMIN), &token)));
  }
  FakeStateView view_;
};

TEST_F(SecurityDecideTest, AddingAPrincipalRecordsItItsGrantsAndItsTokenDigest) {
  const IssuedToken token{"t2", std::string(32, 'b')};
  absl::StatusOr<Decision> d =
      DecideAddPrincipal(view_, Add("finance-xq", pb::ROLE_FINANCE, "西区"), &token);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(EventsOf<pb::PrincipalAdded>(*d).size(), 1u);
  ASSERT_EQ(EventsOf<pb::RoleGranted>(*d).size(), 1u);
  EXPECT_EQ(EventsOf<pb::RoleGranted>(*d)[0]->scope().jurisdiction(), "西区");
  ASSERT_EQ(EventsOf<pb::TokenIssued>(*d).size(), 1u);
  EXPECT_EQ(EventsOf<pb::TokenIssued>(*d)[0]->token_sha256(), token.sha256);
  for (const Emitted& e : d->events()) EXPECT_EQ(e.stream_id, kSecurityStream);
  view_.Record(*d);
  const SecurityState* state = *view_.Security();
  EXPECT_EQ(state->principals.at("finance-xq").grants.size(), 1u);
  EXPECT_EQ(state->tokens.at("t2").principal_id, "finance-xq");
}

TEST_F(SecurityDecideTest, PrincipalIdsAtTheirLimitAndOnePast) {
  const std::string longest(kPrincipalIdBytesMax, 'p');
  EXPECT_TRUE(DecideAddPrincipal(view_, Add(longest, pb::ROLE_READER), nullptr).ok());
  absl::StatusOr<Decision> too_long =
      DecideAddPrincipal(view_, Add(longest + "p", pb::ROLE_READER), nullptr);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_long.status().message(), HasSubstr("kPrincipalIdBytesMax (63 bytes)"));
  EXPECT_THAT(DecideAddPrincipal(view_, Add("Upper", pb::ROLE_READER), nullptr).status().message(),
              HasSubstr("only lower-case letters"));
}

TEST_F(SecurityDecideTest, RefusalsNameWhatIsWrong) {
  EXPECT_EQ(DecideAddPrincipal(view_, Add("admin", pb::ROLE_READER), nullptr).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(
      DecideAddPrincipal(view_, Add("x", pb::ROLE_ADMIN, "西区"), nullptr).status().message(),
      HasSubstr("an administrator's scope is everywhere"));
  api::AddPrincipalRequest both = Add("x", pb::ROLE_READER, "西区");
  both.mutable_grants(0)->mutable_scope()->set_agency_id("xq-czj");
  EXPECT_THAT(DecideAddPrincipal(view_, both, nullptr).status().message(),
              HasSubstr("names both a jurisdiction and an agency"));
  EXPECT_THAT(DecideAddPrincipal(view_, Add("x", pb::ROLE_UNSPECIFIED), nullptr).status().message(),
              HasSubstr("grants[0].role 0 is missing or unknown"));
  EXPECT_EQ(DecideGrantRole(view_, Role("nobody", pb::ROLE_READER)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideGrantRole(view_, Role("admin", pb::ROLE_ADMIN)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(DecideRevokeRole(view_, Role("admin", pb::ROLE_READER)).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(view_.Record(DecideAddPrincipal(view_, Add("other", pb::ROLE_READER), nullptr)));
  api::RevokeTokenRequest revoke;
  revoke.set_principal_id("other");
  revoke.set_token_id("t1");  // admin's
  EXPECT_EQ(DecideRevokeToken(view_, revoke).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SecurityDecideTest, TheLastAdministratorStays) {
  api::DisablePrincipalRequest disable;
  disable.set_principal_id("admin");
  EXPECT_THAT(DecideDisablePrincipal(view_, disable).status().message(),
              HasSubstr("would leave no enabled administrator"));
  EXPECT_THAT(DecideRevokeRole(view_, Role("admin", pb::ROLE_ADMIN)).status().message(),
              HasSubstr("would leave no enabled administrator"));
  ASSERT_TRUE(view_.Record(DecideAddPrincipal(view_, Add("admin2", pb::ROLE_ADMIN), nullptr)));
  ASSERT_TRUE(view_.Record(DecideDisablePrincipal(view_, disable)));
  EXPECT_TRUE((*view_.Security())->principals.at("admin").disabled);
  api::IssueTokenRequest issue;
  issue.set_principal_id("admin");
  EXPECT_EQ(DecideIssueToken(view_, issue, {"t9", std::string(32, 'c')}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SecurityDecideTest, RevokingATokenMarksItAndOnlyOnce) {
  api::RevokeTokenRequest revoke;
  revoke.set_principal_id("admin");
  revoke.set_token_id("t1");
  ASSERT_TRUE(view_.Record(DecideRevokeToken(view_, revoke)));
  EXPECT_TRUE((*view_.Security())->tokens.at("t1").revoked);
  EXPECT_EQ(DecideRevokeToken(view_, revoke).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace reformlog::domain
