#include "services/staffing/staffing_query_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "projections/staffing/people_projection.h"
#include "projections/staffing/staffing_projection.h"
#include "projections/staffing/staffing_view.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace rm = ::reformlog::readmodel::v1;
using projections::ConstTable;
using projections::EntityTable;
using services::ToApi;  // the shared overloads (read_models.h) beside the local ones

void ToApi(const projections::QuotaFigures& f, api::QuotaFigures* out) {
  out->set_category(f.category);
  out->set_quota(f.quota);
  out->set_in_post(f.in_post);
  out->set_vacancies(f.vacancies);
  out->set_over(f.over);
  out->set_reserved(f.reserved);
}

// `changes_year`: the year whose 增员 and 减员 go with the figures; 0 for none.
void ToApi(const projections::AgencyFigures& a, int changes_year, api::AgencyStaffingFigures* out) {
  for (const projections::StaffChangeFigures& c : a.changes) {
    if (changes_year == 0 || c.year != changes_year) continue;
    api::StaffChangeFigures* f = out->add_changes();
    f->set_year(c.year);
    f->set_kind(c.departure ? "减员" : "增员");
    f->set_reason(c.reason);
    f->set_count(c.count);
  }
  out->set_agency_id(a.agency_id);
  out->set_name(a.name);
  out->set_kind(a.kind);
  out->set_jurisdiction(a.jurisdiction);
  out->set_ceased(a.ceased);
  out->set_ceased_how(a.ceased_how);
  out->set_locked_by_plan(a.locked_by_plan);
  for (const projections::QuotaFigures& f : a.quotas) ToApi(f, out->add_quotas());
  for (const projections::LeaderPostFigures& p : a.leader_posts) {
    api::LeaderPostFigures* line = out->add_leader_posts();
    line->set_rank(p.rank);
    line->set_title(p.title);
    line->set_approved(p.approved);
    line->set_appointed(p.appointed);
    line->set_over(p.over);
    line->set_in_transition(p.in_transition);
    for (const auto& [person_id, title] : p.leaders) {
      api::LeaderInPost* leader = line->add_leaders();
      leader->set_person_id(person_id);
      leader->set_title(title);
    }
  }
  ToApi(a.total, out->mutable_total());
  out->set_last_position(a.last_position);
}

api::StaffingViolationKind ToApi(projections::ViolationKind kind) {
  switch (kind) {
    case projections::ViolationKind::kStaffInCeasedAgency:
      return api::STAFFING_STAFF_IN_CEASED_AGENCY;
    case projections::ViolationKind::kQuotaCategoryNotAllowed:
      return api::STAFFING_QUOTA_CATEGORY_NOT_ALLOWED;
    case projections::ViolationKind::kStaffCategoryNotAllowed:
      return api::STAFFING_STAFF_CATEGORY_NOT_ALLOWED;
    case projections::ViolationKind::kOverQuota:
      return api::STAFFING_OVER_QUOTA;
    case projections::ViolationKind::kOverLeaderPosts:
      return api::STAFFING_OVER_LEADER_POSTS;
    case projections::ViolationKind::kLeaderTransition:
      return api::STAFFING_LEADER_TRANSITION;
  }
  return api::STAFFING_VIOLATION_KIND_UNSPECIFIED;
}

void ToApi(const projections::StaffingViolation& v, api::StaffingViolation* out) {
  out->set_kind(ToApi(v.kind));
  out->set_label(projections::Label(v.kind));
  out->set_agency_id(v.agency_id);
  out->set_agency_name(v.agency_name);
  out->set_category(v.category);
  out->set_rank(v.rank);
  out->set_limit(v.limit);
  out->set_actual(v.actual);
  out->set_message(v.message);
}

void ToApi(const projections::StaffingTotals& t, api::StaffingTotals* out) {
  out->set_agencies(t.agencies);
  out->set_ceased_agencies(t.ceased_agencies);
  for (const projections::QuotaFigures& f : t.categories) ToApi(f, out->add_categories());
  ToApi(t.total, out->mutable_total());
  out->set_leader_posts_approved(t.leader_posts_approved);
  out->set_leaders_appointed(t.leaders_appointed);
  out->set_leader_posts_over(t.leader_posts_over);
}

void ToApi(const rm::PersonRecord& p, api::PersonSummary* out) {
  out->set_person_id(p.person_id());
  out->set_name(p.name());
  out->set_agency_id(p.agency_id());
  out->set_category(p.category());
  out->set_post(p.post());
  out->set_departed(p.departed());
  out->set_leader_rank(p.leader_rank());
  out->set_leader_title(p.leader_title());
}

// An as_of_date is empty (as recorded now) or YYYY-MM-DD.
absl::Status ValidateAsOfDate(const std::string& date) {
  return domain::ValidateDate("as_of_date", date, /*required=*/false);
}

absl::Status GetStaffing(const QueryEnv& env, absl::Duration wait, const api::GetStaffingRequest& r,
                         api::GetStaffingResponse* out) {
  const bool by_agency = !r.agency_id().empty();
  if (by_agency == !r.jurisdiction().empty()) {
    return domain::RefuseInvalid("give exactly one of agency_id and jurisdiction",
                                 "请给出机构（agency_id）或区域（jurisdiction）二者之一");
  }
  if (by_agency) {
    RETURN_IF_ERROR(domain::ValidateId("agency_id", r.agency_id()));
  } else {
    RETURN_IF_ERROR(domain::ValidateText("jurisdiction", r.jurisdiction(), true));
  }
  // Reservations (预留编制) count while valid on the date the figures are for.
  ASSIGN_OR_RETURN(const std::string on_date, DateOrToday(env, "as_of_date", r.as_of_date()));
  bool found = false;
  RETURN_IF_ERROR(ReadModelOn(
      env, ProjectionInstance<projections::StaffingProjection>(), r.min_position(),
      r.as_of_position(), r.as_of_date(), wait,
      [&](const EntityTable& staffing, uint64_t position) {
        out->set_position(position);
        if (by_agency) {
          const auto* s = ConstTable<rm::AgencyStaffing>(staffing).Find(r.agency_id());
          if (s == nullptr) return;
          found = true;
          ToApi(projections::FiguresOf(*s, on_date), r.changes_year(), out->add_agencies());
          return;
        }
        for (const projections::AgencyFigures& a : projections::StaffingOf(
                 staffing, r.jurisdiction(), /*include_ceased=*/true, on_date)) {
          found = true;
          if (!a.ceased || r.include_ceased()) ToApi(a, r.changes_year(), out->add_agencies());
        }
      }));
  if (!found) {
    return by_agency ? domain::RefuseNotFound(absl::StrCat("no agency ", r.agency_id()),
                                              absl::StrCat("无机构", r.agency_id()))
                     : domain::RefuseNotFound(
                           absl::StrCat("no agency in jurisdiction ",
                                        domain::QuoteValue(r.jurisdiction())),
                           absl::StrCat(domain::QuoteValue(r.jurisdiction()), "无机构"));
  }
  return absl::OkStatus();
}

absl::Status CheckJurisdiction(const QueryEnv& env, absl::Duration wait,
                               const api::CheckJurisdictionRequest& r,
                               api::CheckJurisdictionResponse* out) {
  RETURN_IF_ERROR(domain::ValidateText("jurisdiction", r.jurisdiction(), true));
  ASSIGN_OR_RETURN(const std::string on_date, DateOrToday(env, "as_of_date", r.as_of_date()));
  bool found = false;
  RETURN_IF_ERROR(ReadModelOn(env, ProjectionInstance<projections::StaffingProjection>(),
                              r.min_position(), r.as_of_position(), r.as_of_date(), wait,
                              [&](const EntityTable& staffing, uint64_t position) {
                                out->set_position(position);
                                const projections::JurisdictionCheck check =
                                    projections::CheckJurisdiction(staffing, r.jurisdiction(),
                                                                   on_date);
                                found = check.totals.agencies + check.totals.ceased_agencies > 0;
                                out->set_jurisdiction(check.jurisdiction);
                                ToApi(check.totals, out->mutable_totals());
                                for (const projections::StaffingViolation& v : check.violations) {
                                  ToApi(v, out->add_violations());
                                }
                                out->set_clear(check.Clear());
                              }));
  if (!found) {
    return domain::RefuseNotFound(
        absl::StrCat("no agency in jurisdiction ", domain::QuoteValue(r.jurisdiction())),
        absl::StrCat(domain::QuoteValue(r.jurisdiction()), "无机构"));
  }
  return absl::OkStatus();
}

absl::Status GetPerson(const QueryEnv& env, absl::Duration wait, const api::GetPersonRequest& r,
                       api::GetPersonResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("person_id", r.person_id()));
  RETURN_IF_ERROR(ValidateAsOfDate(r.as_of_date()));
  bool found = false;
  RETURN_IF_ERROR(
      ReadModelOn(env, ProjectionInstance<projections::PeopleProjection>(), r.min_position(),
                  /*as_of_position=*/0, r.as_of_date(), wait,
                  [&](const EntityTable& people, uint64_t position) {
                    out->set_position(position);
                    const auto* p = ConstTable<rm::PersonRecord>(people).Find(r.person_id());
                    if (p == nullptr) return;
                    found = true;
                    ToApi(*p, out->mutable_person());
                    for (const rm::PersonChange& c : p->history()) {
                      api::PersonHistoryEntry* h = out->add_history();
                      ToApi(c.ref(), h->mutable_ref());
                      h->set_agency_id(c.agency_id());
                      h->set_summary(c.summary());
                    }
                  }));
  if (!found) {
    return domain::RefuseNotFound(absl::StrCat("no person ", domain::PersonStream(r.person_id())),
                                  absl::StrCat("无人员", r.person_id()));
  }
  return absl::OkStatus();
}

absl::Status ListPeople(const QueryEnv& env, absl::Duration wait, const api::ListPeopleRequest& r,
                        api::ListPeopleResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("agency_id", r.agency_id()));
  if (!r.after_person_id().empty()) {
    RETURN_IF_ERROR(domain::ValidateId("after_person_id", r.after_person_id()));
  }
  if (r.max_count() < 0 || r.max_count() > kListPeoplePageMax) {
    return domain::RefuseInvalid(absl::StrCat("max_count ", r.max_count(), " is outside 0–",
                                              kListPeoplePageMax, " (kListPeoplePageMax)"),
                                 absl::StrCat("每页条数（max_count）", r.max_count(), "超出0至",
                                              kListPeoplePageMax, "的范围"));
  }
  RETURN_IF_ERROR(ValidateAsOfDate(r.as_of_date()));
  const auto page =
      static_cast<size_t>(r.max_count() == 0 ? kListPeoplePageDefault : r.max_count());
  auto list = [&](const EntityTable& people, uint64_t position) {
    out->set_position(position);
    size_t listed = 0;
    for (const rm::PersonRecord* p : projections::PeopleInPost(people, r.agency_id())) {
      if (p->person_id() <= r.after_person_id()) continue;
      if (listed == page) {
        out->set_next_after_person_id(out->people(out->people_size() - 1).person_id());
        break;
      }
      ToApi(*p, out->add_people());
      ++listed;
    }
  };
  if (!r.as_of_date().empty() || r.as_of_position() > 0) {
    uint64_t through = 0;
    ASSIGN_OR_RETURN(std::vector<std::unique_ptr<EntityTable>> tables,
                     ReplayForAudit(env,
                                    {&ProjectionInstance<projections::StaffingProjection>(),
                                     &ProjectionInstance<projections::PeopleProjection>()},
                                    r.as_of_position(), r.as_of_date(), &through));
    if (ConstTable<rm::AgencyStaffing>(*tables[0]).Find(r.agency_id()) == nullptr) {
      return domain::RefuseNotFound(absl::StrCat("no agency ", r.agency_id()),
                                    absl::StrCat("无机构", r.agency_id()));
    }
    list(*tables[1], through);
    return absl::OkStatus();
  }
  // The agency must be known to the staffing model; the people are then read at least as far
  // along the log as that answer was.
  bool found = false;
  uint64_t staffing_position = 0;
  RETURN_IF_ERROR(env.runner.Read(
      ProjectionInstance<projections::StaffingProjection>().name(), r.min_position(), wait,
      [&](const EntityTable& staffing, uint64_t position) {
        staffing_position = position;
        found = ConstTable<rm::AgencyStaffing>(staffing).Find(r.agency_id()) != nullptr;
      }));
  if (!found) {
    return domain::RefuseNotFound(absl::StrCat("no agency ", r.agency_id()),
                                  absl::StrCat("无机构", r.agency_id()));
  }
  return env.runner.Read(ProjectionInstance<projections::PeopleProjection>().name(),
                         std::max(r.min_position(), staffing_position), wait, list);
}

}  // namespace

grpc::ServerUnaryReactor* StaffingQueryService::GetStaffing(grpc::CallbackServerContext* context,
                                                            const api::GetStaffingRequest* request,
                                                            api::GetStaffingResponse* response) {
  return HandleQuery<api::GetStaffingRequest, api::GetStaffingResponse>(
      env_, __func__, context, request, response, &services::GetStaffing);
}

grpc::ServerUnaryReactor* StaffingQueryService::CheckJurisdiction(
    grpc::CallbackServerContext* context, const api::CheckJurisdictionRequest* request,
    api::CheckJurisdictionResponse* response) {
  return HandleQuery<api::CheckJurisdictionRequest, api::CheckJurisdictionResponse>(
      env_, __func__, context, request, response, &services::CheckJurisdiction);
}

grpc::ServerUnaryReactor* StaffingQueryService::GetPerson(grpc::CallbackServerContext* context,
                                                          const api::GetPersonRequest* request,
                                                          api::GetPersonResponse* response) {
  return HandleQuery<api::GetPersonRequest, api::GetPersonResponse>(
      env_, __func__, context, request, response, &services::GetPerson);
}

grpc::ServerUnaryReactor* StaffingQueryService::ListPeople(grpc::CallbackServerContext* context,
                                                           const api::ListPeopleRequest* request,
                                                           api::ListPeopleResponse* response) {
  return HandleQuery<api::ListPeopleRequest, api::ListPeopleResponse>(
      env_, __func__, context, request, response, &services::ListPeople);
}

}  // namespace reformlog::services
