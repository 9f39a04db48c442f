#include "services/security/principal_directory.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/event_codec.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "eventstore/limits.h"
#include "services/security/tokens.h"

namespace reformlog::services::security {

absl::Status PrincipalDirectory::CatchUp() {
  absl::MutexLock serial(&catch_up_mu_);
  uint64_t from = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    from = version_ + 1;
  }
  while (true) {
    ASSIGN_OR_RETURN(
        eventstore::StreamSlice slice,
        store_.ReadStream(domain::kSecurityStream, from, eventstore::ReadDirection::kForward,
                          eventstore::kReadCountMax));
    if (slice.events.empty()) return absl::OkStatus();
    std::vector<std::unique_ptr<google::protobuf::Message>> events;
    events.reserve(slice.events.size());
    for (const eventstore::RecordedEvent& recorded : slice.events) {
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> event =
          domain::DecodeEvent(recorded.type, recorded.data);
      if (event.status().code() == absl::StatusCode::kNotFound) continue;  // a newer writer's
      if (!event.ok()) return event.status();
      events.push_back(*std::move(event));
    }
    absl::MutexLock lock(&mu_);
    for (const auto& event : events) state_.Apply(*event);
    version_ = slice.events.back().stream_version;
    from = version_ + 1;
    token_by_digest_.clear();
    for (const auto& [id, token] : state_.tokens) token_by_digest_[token.sha256] = id;
    principal_by_cn_.clear();
    for (const auto& [id, principal] : state_.principals) {
      if (!principal.certificate_cn.empty()) principal_by_cn_[principal.certificate_cn] = id;
    }
  }
}

absl::StatusOr<Identity> PrincipalDirectory::IdentityOf(const std::string& principal_id) const {
  auto it = state_.principals.find(principal_id);
  if (it == state_.principals.end()) {
    return domain::Refusal(absl::StatusCode::kUnauthenticated,
                           absl::StrCat("no principal ", principal_id),
                           absl::StrCat("无用户", principal_id));
  }
  if (it->second.disabled) {
    return domain::Refusal(absl::StatusCode::kUnauthenticated,
                           absl::StrCat("principal ", principal_id, " is disabled"),
                           absl::StrCat("用户", principal_id, "已停用"));
  }
  return Identity{principal_id, {it->second.grants.begin(), it->second.grants.end()}};
}

absl::StatusOr<Identity> PrincipalDirectory::ByToken(absl::string_view token) const {
  if (token.size() > kTokenBytesMax) {
    return domain::Refusal(absl::StatusCode::kUnauthenticated,
                           absl::StrCat("the bearer token is ", token.size(),
                                        " bytes, longer than any token reformd issues"),
                           absl::StrCat("令牌长 ", token.size(), " 字节，不是 reformd 签发的令牌"));
  }
  const std::string digest = TokenDigest(token);
  absl::ReaderMutexLock lock(&mu_);
  auto found = token_by_digest_.find(digest);
  if (found == token_by_digest_.end()) {
    return domain::Refusal(absl::StatusCode::kUnauthenticated,
                           "the bearer token is not one reformd issued",
                           "令牌无效：不是本系统签发的令牌");
  }
  const domain::SecurityState::Token& recorded = state_.tokens.at(found->second);
  if (recorded.revoked) {
    return domain::Refusal(
        absl::StatusCode::kUnauthenticated,
        absl::StrCat("token ", found->second, " of ", recorded.principal_id, " is revoked"),
        absl::StrCat("用户", recorded.principal_id, "的令牌", found->second, "已吊销"));
  }
  return IdentityOf(recorded.principal_id);
}

absl::StatusOr<Identity> PrincipalDirectory::ByCertificate(absl::string_view common_name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto found = principal_by_cn_.find(common_name);
  if (found == principal_by_cn_.end()) {
    return domain::Refusal(
        absl::StatusCode::kUnauthenticated,
        absl::StrCat("no principal has the client certificate CN=",
                     domain::QuoteValue(common_name)),
        absl::StrCat("没有用户使用客户端证书 CN=", domain::QuoteValue(common_name)));
  }
  return IdentityOf(found->second);
}

bool PrincipalDirectory::empty() const {
  absl::ReaderMutexLock lock(&mu_);
  return state_.principals.empty();
}

domain::SecurityState PrincipalDirectory::Snapshot(uint64_t* version) const {
  absl::ReaderMutexLock lock(&mu_);
  *version = version_;
  return state_;
}

}  // namespace reformlog::services::security
