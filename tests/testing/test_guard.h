// TestGuard: a security::Guard over an in-memory security log holding one administrator
// (`admin`, with a real token), for tests that run a single service without a whole reformd.
// Scope lookups find nothing (NoScopes): only unscoped grants pass.
#ifndef REFORMLOG_TESTS_TESTING_TEST_GUARD_H_
#define REFORMLOG_TESTS_TESTING_TEST_GUARD_H_

#include <memory>
#include <string>

#include "base/clock.h"
#include "eventstore/in_memory_event_store.h"
#include "gtest/gtest.h"
#include "services/commands/command_runner.h"
#include "services/domain/security_decide.h"
#include "services/security/access_rules.h"
#include "services/security/guard.h"
#include "services/security/principal_directory.h"
#include "services/security/tokens.h"

namespace reformlog::testing {

class NoScopes final : public services::security::ScopeResolver {
 public:
  absl::StatusOr<services::security::AgencyPlace> Agency(absl::string_view id) override {
    return absl::NotFoundError(absl::StrCat("no agency ", id));
  }
  absl::StatusOr<std::string> PersonAgency(absl::string_view id) override {
    return absl::NotFoundError(absl::StrCat("no person ", id));
  }
  absl::StatusOr<std::string> PowerHolder(absl::string_view code) override {
    return absl::NotFoundError(absl::StrCat("no power ", code));
  }
  absl::StatusOr<std::string> PlanJurisdiction(absl::string_view id) override {
    return absl::NotFoundError(absl::StrCat("no plan ", id));
  }
};

class TestGuard {
 public:
  TestGuard() {
    absl::StatusOr<std::unique_ptr<services::security::AccessTable>> table =
        services::security::AccessTable::Build();
    EXPECT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
    absl::StatusOr<services::security::NewToken> token = services::security::MakeToken();
    EXPECT_TRUE(token.ok()) << token.status();
    token_ = token->text;
    api::v1::AddPrincipalRequest add;
    add.mutable_header()->set_request_id("admin");
    add.mutable_header()->mutable_basis()->set_number("测试");
    add.set_principal_id("admin");
    add.set_display_name("系统管理员");
    add.add_grants()->set_role(domain::v1::ROLE_ADMIN);
    const domain::IssuedToken issued{token->id, token->sha256};
    services::CommandRunner runner(log_, SystemClock());
    absl::StatusOr<api::v1::CommandResult> added = runner.Run(
        "test", add, add.header(),
        [&](domain::StateView& view) { return domain::DecideAddPrincipal(view, add, &issued); });
    EXPECT_TRUE(added.ok()) << added.status();
    EXPECT_TRUE(directory_.CatchUp().ok());
    guard_ = std::make_unique<services::security::Guard>(*table_, directory_, scopes_);
  }

  const services::security::Guard& guard() const { return *guard_; }
  const std::string& admin_token() const { return token_; }

 private:
  eventstore::InMemoryEventStore log_;
  std::unique_ptr<services::security::AccessTable> table_;
  services::security::PrincipalDirectory directory_{log_};
  NoScopes scopes_;
  std::unique_ptr<services::security::Guard> guard_;
  std::string token_;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_TEST_GUARD_H_
