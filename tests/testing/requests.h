// The requests tests build again and again, in one place: an agency, a quota grant, a
// person. Each returns the request without a header (the caller's way of running it —
// CommandDriver, a FakeStateView, a gRPC stub — fills that in), with the values a test
// does not care about set to something valid.
//
//   driver.Must(domain::DecideEstablishAgency,
//               requests::EstablishAgency("bianban", "区委编办", pb::PARTY_DEPARTMENT));
#ifndef REFORMLOG_TESTS_TESTING_REQUESTS_H_
#define REFORMLOG_TESTS_TESTING_REQUESTS_H_

#include <cstddef>
#include <string>

#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::testing::requests {

// An agency of `kind`, ranked 正科级, in 西区 unless told; a public institution is fully
// funded (财政全额拨款), as the rules require it to have a funding form.
inline api::v1::AgencySpec Agency(const std::string& id, const std::string& name,
                                  domain::v1::AgencyKind kind, const std::string& parent = "",
                                  const std::string& jurisdiction = "西区") {
  api::v1::AgencySpec spec;
  spec.set_agency_id(id);
  spec.set_name(name);
  spec.set_kind(kind);
  spec.set_rank(domain::v1::SECTION_CHIEF);
  spec.set_parent_id(parent);
  spec.set_jurisdiction(jurisdiction);
  if (kind == domain::v1::PUBLIC_INSTITUTION) spec.set_funding_form(domain::v1::FULLY_FUNDED);
  return spec;
}

inline api::v1::EstablishAgencyRequest EstablishAgency(const api::v1::AgencySpec& spec) {
  api::v1::EstablishAgencyRequest r;
  *r.mutable_agency() = spec;
  return r;
}

inline api::v1::EstablishAgencyRequest EstablishAgency(const std::string& id,
                                                       const std::string& name,
                                                       domain::v1::AgencyKind kind,
                                                       const std::string& parent = "",
                                                       const std::string& jurisdiction = "西区") {
  return EstablishAgency(Agency(id, name, kind, parent, jurisdiction));
}

// 核定领导职数 of one rank.
inline api::v1::ApproveLeaderPostsRequest ApproveLeaderPosts(const std::string& agency,
                                                             domain::v1::Rank rank, int count,
                                                             const std::string& title) {
  api::v1::ApproveLeaderPostsRequest r;
  r.set_agency_id(agency);
  domain::v1::LeaderPostCount* posts = r.add_leader_posts();
  posts->set_rank(rank);
  posts->set_count(count);
  posts->set_title(title);
  return r;
}

// 任职: `person` to a leader post of `rank` titled `title` at `agency`.
inline api::v1::AppointLeaderRequest AppointLeader(const std::string& person,
                                                   const std::string& agency, domain::v1::Rank rank,
                                                   const std::string& title) {
  api::v1::AppointLeaderRequest r;
  r.set_person_id(person);
  r.set_agency_id(agency);
  r.set_rank(rank);
  r.set_title(title);
  return r;
}

// GrantQuota / ReduceQuota take the same request.
inline api::v1::ChangeQuotaRequest ChangeQuota(const std::string& agency,
                                               domain::v1::QuotaCategory category, int count) {
  api::v1::ChangeQuotaRequest r;
  r.set_agency_id(agency);
  r.set_category(category);
  r.set_count(count);
  return r;
}

inline api::v1::RegisterPersonRequest RegisterPerson(
    const std::string& person, const std::string& name, const std::string& agency,
    domain::v1::QuotaCategory category = domain::v1::ADMINISTRATIVE, const std::string& post = "") {
  api::v1::RegisterPersonRequest r;
  r.mutable_person()->set_person_id(person);
  r.mutable_person()->set_name(name);
  r.mutable_person()->set_agency_id(agency);
  r.mutable_person()->set_category(category);
  // 考录 into a 党政机关's posts, 公开招聘 into a 事业单位's.
  r.mutable_person()->set_entry_reason(category == domain::v1::PUBLIC_SERVICE
                                           ? domain::v1::OPEN_RECRUITMENT
                                           : domain::v1::CIVIL_SERVICE_EXAM);
  r.mutable_person()->set_post(post);
  return r;
}

// A budget line (预算科目): fund source, 功能分类 and 经济分类 codes; a project's line when
// `project_id` is given (项目支出), else a basic one (基本支出).
inline domain::v1::BudgetLine Line(domain::v1::FundSource source, const std::string& function_code,
                                   const std::string& economic_code,
                                   const std::string& project_id = "") {
  domain::v1::BudgetLine line;
  line.set_fund_source(source);
  line.set_function_code(function_code);
  line.set_economic_code(economic_code);
  line.set_kind(project_id.empty() ? domain::v1::BASIC : domain::v1::PROJECT);
  line.set_project_id(project_id);
  return line;
}

// A text of exactly `bytes` bytes of valid UTF-8, for limits counted in bytes: as many 编
// (3 bytes each) as fit, then ASCII.
inline std::string Fill(size_t bytes) {
  std::string out;
  for (size_t i = 0; i + 3 <= bytes; i += 3) out += "编";
  out.append(bytes - out.size(), 'x');
  return out;
}

}  // namespace reformlog::testing::requests

#endif  // REFORMLOG_TESTS_TESTING_REQUESTS_H_
