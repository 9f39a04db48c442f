#include "clients/reformctl/paging.h"

#include "absl/strings/str_cat.h"

namespace reformlog::ctl {

api::ListPowersResponse ListAllPowers(Cli& cli, api::ListPowersRequest request) {
  request.set_page_size(kPageItemsMax);
  request.set_min_position(cli.min_position());
  api::ListPowersResponse all;
  for (int page = 0; page < kPagesMax; ++page) {
    api::ListPowersResponse next =
        cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::ListPowers, request);
    for (api::PowerHolding& item : *next.mutable_items()) *all.add_items() = std::move(item);
    all.set_position(next.position());
    all.set_as_of_date(next.as_of_date());
    if (next.next_page_token().empty()) return all;
    request.set_page_token(next.next_page_token());
    // The later pages are read where the first was, or later: never an older answer.
    if (request.as_of_position() == 0) request.set_min_position(next.position());
  }
  throw Exit{kExitRejected,
             absl::StrCat("the power list did not end within ", kPagesMax, " pages")};
}

api::ListPeopleResponse ListAllPeople(Cli& cli, const std::string& agency_id,
                                      const std::string& as_of_date) {
  api::ListPeopleRequest request;
  request.set_agency_id(agency_id);
  request.set_as_of_date(as_of_date);
  request.set_max_count(kPageItemsMax);
  request.set_min_position(cli.min_position());
  api::ListPeopleResponse all;
  for (int page = 0; page < kPagesMax; ++page) {
    api::ListPeopleResponse next = cli.Query(cli.client().staffing_queries(),
                                             &api::StaffingQueries::Stub::ListPeople, request);
    for (api::PersonSummary& p : *next.mutable_people()) *all.add_people() = std::move(p);
    all.set_position(next.position());
    if (next.next_after_person_id().empty()) return all;
    request.set_after_person_id(next.next_after_person_id());
    request.set_min_position(next.position());
    // As of a date, every page is read by what the log held for the first one.
    if (!as_of_date.empty()) request.set_as_of_position(next.position());
  }
  throw Exit{kExitRejected, absl::StrCat("the people of ", agency_id, " did not end within ",
                                         kPagesMax, " pages")};
}

}  // namespace reformlog::ctl
