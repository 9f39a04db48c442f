#include "services/security/guard.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "grpcpp/security/auth_context.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/domain/security_decide.h"
#include "spdlog/spdlog.h"

namespace reformlog::services::security {
namespace {

using Grant = domain::SecurityState::Grant;

constexpr absl::string_view kAuthorizationKey = "authorization";
constexpr absl::string_view kBearerScheme = "bearer ";

// "agency xq-czj", "everything".
std::string Describe(const Target& target) {
  if (target.id.empty()) return "everything (no scope named)";
  return absl::StrCat(TargetKindName(target.kind), " ", domain::QuoteValue(target.id));
}

bool Unscoped(const Grant& g) { return g.jurisdiction.empty() && g.agency_id.empty(); }

bool IsWrite(Permission p) {
  return p == Permission::kOrgWrite || p == Permission::kPeopleWrite ||
         p == Permission::kPowersWrite || p == Permission::kBudgetWrite ||
         p == Permission::kReformWrite;
}

}  // namespace

std::string MethodName(absl::string_view service, absl::string_view method) {
  return absl::StrCat("/", service, "/", method);
}

Credentials CredentialsOf(const grpc::ServerContextBase& context) {
  Credentials credentials;
  const auto& metadata = context.client_metadata();
  auto [begin, end] =
      metadata.equal_range(grpc::string_ref(kAuthorizationKey.data(), kAuthorizationKey.size()));
  if (begin != end) {
    if (std::next(begin) != end) {
      credentials.malformed = "the call carries more than one authorization header";
    } else {
      const absl::string_view value(begin->second.data(), begin->second.size());
      if (value.size() <= kBearerScheme.size() ||
          !absl::EqualsIgnoreCase(value.substr(0, kBearerScheme.size()), kBearerScheme)) {
        credentials.malformed =
            "the authorization header is not \"Bearer <token>\" (the only scheme reformd takes)";
      } else {
        credentials.has_bearer = true;
        credentials.bearer =
            std::string(absl::StripAsciiWhitespace(value.substr(kBearerScheme.size())));
      }
    }
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
    if (!names.empty()) credentials.certificate_cn.assign(names[0].data(), names[0].size());
  }
  return credentials;
}

absl::StatusOr<Identity> Guard::Authenticate(const Credentials& credentials) const {
  if (!credentials.malformed.empty()) return absl::UnauthenticatedError(credentials.malformed);
  if (credentials.has_bearer) return directory_.ByToken(credentials.bearer);
  if (!credentials.certificate_cn.empty())
    return directory_.ByCertificate(credentials.certificate_cn);
  return domain::Refusal(
      absl::StatusCode::kUnauthenticated,
      "no credentials: send \"authorization: Bearer <token>\" metadata (reformctl --token-file) "
      "or a TLS client certificate reformd knows",
      "未提供身份凭证：请携带访问令牌（reformctl --token-file）或 reformd 认可的 TLS 客户端证书");
}

absl::Status Guard::Covers(const std::vector<Grant>& grants, const Target& target) const {
  if (target.id.empty()) {
    return absl::PermissionDeniedError(
        "it is held only with a scope, and the call is not "
        "limited to one");
  }
  std::string jurisdiction;
  std::vector<std::string> lineage;
  switch (target.kind) {
    case TargetKind::kJurisdiction:
      jurisdiction = target.id;
      break;
    case TargetKind::kPlan: {
      absl::StatusOr<std::string> j = scopes_.PlanJurisdiction(target.id);
      if (!j.ok()) return absl::PermissionDeniedError(j.status().message());
      jurisdiction = *j;
      break;
    }
    case TargetKind::kAgency:
    case TargetKind::kPerson:
    case TargetKind::kPower: {
      std::string agency = target.id;
      if (target.kind != TargetKind::kAgency) {
        absl::StatusOr<std::string> a = target.kind == TargetKind::kPerson
                                            ? scopes_.PersonAgency(target.id)
                                            : scopes_.PowerHolder(target.id);
        if (!a.ok()) return absl::PermissionDeniedError(a.status().message());
        agency = *a;
      }
      absl::StatusOr<AgencyPlace> place = scopes_.Agency(agency);
      if (!place.ok()) return absl::PermissionDeniedError(place.status().message());
      jurisdiction = place->jurisdiction;
      lineage = std::move(place->lineage);
      break;
    }
  }
  for (const Grant& g : grants) {
    if (!g.jurisdiction.empty() && g.jurisdiction == jurisdiction) return absl::OkStatus();
    if (!g.agency_id.empty() &&
        std::find(lineage.begin(), lineage.end(), g.agency_id) != lineage.end()) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "it is ", jurisdiction.empty() ? std::string() : absl::StrCat("in ", jurisdiction, ", "),
      "outside those scopes"));
}

absl::Status Guard::Authorize(const Identity& identity, absl::string_view method,
                              const google::protobuf::Message& request) const {
  const AccessRule* rule = table_.Find(method);
  if (rule == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " has no access rule: it is refused to everyone"));
  }
  // Asking about oneself (WhoAmI) needs no grant, wherever the principal's grants apply.
  if (rule->permission == Permission::kAuthenticated) return absl::OkStatus();
  return Holds(identity, rule->permission, *rule, method, request);
}

bool Guard::Redacts(const Identity& identity, absl::string_view method,
                    const google::protobuf::Message& request) const {
  const AccessRule* rule = table_.Find(method);
  return rule != nullptr && rule->personal &&
         !Holds(identity, Permission::kPersonalData, *rule, method, request).ok();
}

absl::Status Guard::Holds(const Identity& identity, Permission permission, const AccessRule& r,
                          absl::string_view method,
                          const google::protobuf::Message& request) const {
  const AccessRule* rule = &r;
  std::vector<Grant> holding;
  for (const Grant& g : identity.grants) {
    if (!RoleAllows(g.role, permission)) continue;
    if (Unscoped(g)) return absl::OkStatus();
    holding.push_back(g);
  }
  const std::string needed = absl::StrCat("permission ", PermissionName(permission), " (",
                                          PermissionLabel(permission), ")");
  if (holding.empty()) {
    return domain::Refusal(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat("principal ", identity.principal_id, " lacks ", needed, " for ", method),
        absl::StrCat("用户 ", identity.principal_id, " 没有 ", needed, " 权限，不能调用 ", method));
  }
  for (const Target& target : TargetsOf(*rule, request)) {
    absl::Status covered = Covers(holding, target);
    if (!covered.ok()) {
      std::vector<std::string> scopes;
      scopes.reserve(holding.size());
      for (const Grant& g : holding) scopes.push_back(domain::DescribeGrant(g));
      return domain::Refusal(
          absl::StatusCode::kPermissionDenied,
          absl::StrCat("principal ", identity.principal_id, " holds ", needed, " only as ",
                       absl::StrJoin(scopes, ", "), "; ", Describe(target), ": ",
                       covered.message()),
          absl::StrCat("用户 ", identity.principal_id, " 的 ", needed, " 权限仅限于 ",
                       absl::StrJoin(scopes, "、"), "；", Describe(target), " 不在其范围之内"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Identity> Guard::Check(const grpc::ServerContextBase& context,
                                      absl::string_view method,
                                      const google::protobuf::Message& request) const {
  absl::StatusOr<Identity> identity = Authenticate(CredentialsOf(context));
  if (!identity.ok()) {
    Record(context, "", method, table_.Find(method), request, identity.status(), 0, true);
    return identity.status();
  }
  absl::Status allowed = Authorize(*identity, method, request);
  if (!allowed.ok()) {
    Record(context, identity->principal_id, method, table_.Find(method), request, allowed, 0, true);
    return allowed;
  }
  return identity;
}

void Guard::Audit(const grpc::ServerContextBase& context, const Identity& identity,
                  absl::string_view method, const google::protobuf::Message& request,
                  const absl::Status& outcome, uint64_t position) const {
  const AccessRule* rule = table_.Find(method);
  if (rule == nullptr) return;
  const bool write = IsWrite(rule->permission);
  if (!write && rule->permission != Permission::kAdmin && !rule->personal) return;
  Record(context, identity.principal_id, method, rule, request, outcome, position, !write);
}

void Guard::Record(const grpc::ServerContextBase& context, const std::string& principal_id,
                   absl::string_view method, const AccessRule* rule,
                   const google::protobuf::Message& request, const absl::Status& outcome,
                   uint64_t position, bool durable) const {
  if (audit_ == nullptr) return;
  domain::v1::AuditRecord record;
  record.set_principal_id(principal_id);
  record.set_peer(context.peer());
  record.set_method(std::string(method));
  if (rule != nullptr) {
    std::vector<std::string> targets;
    for (const Target& t : TargetsOf(*rule, request)) {
      if (!t.id.empty()) targets.push_back(Describe(t));  // a call on the whole system names none
    }
    record.set_target(absl::StrJoin(targets, ", "));
  }
  const google::protobuf::FieldDescriptor* header_field =
      request.GetDescriptor()->FindFieldByName("header");
  if (header_field != nullptr && header_field->message_type() != nullptr &&
      header_field->message_type()->full_name() == "reformlog.api.v1.CommandHeader") {
    const auto& header = static_cast<const api::v1::CommandHeader&>(
        request.GetReflection()->GetMessage(request, header_field));
    record.set_document(header.basis().number());
    record.set_request_id(header.request_id());
  }
  record.set_code(static_cast<int>(outcome.code()));
  record.set_message(std::string(outcome.message()));
  record.set_position(position);
  absl::Status recorded = audit_->Record(std::move(record), durable);
  if (!recorded.ok()) spdlog::error("audit: {}", recorded.ToString());
}

}  // namespace reformlog::services::security
