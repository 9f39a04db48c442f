// Whole read models, page after page: every item a ListPowers request matches, every person
// in post at an agency. Each page is asked at least at the position of the one before (unless
// the request reads as of a log position), so the answer never goes back in time; the response
// carries every item, with the position (and date) of the last page. Exit as Cli::Query does on a
// failed page, and kExitRejected when the server is still answering with a next page after
// kPagesMax pages.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_PAGING_H_
#define REFORMLOG_CLIENTS_REFORMCTL_PAGING_H_

#include <cstdint>
#include <string>

#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

// Pages a whole read model may take (a page is up to kPageItemsMax items): far beyond any
// district, it stops a server that keeps answering with a next page.
inline constexpr int kPagesMax = 100'000;
// Items asked for in one page: the server's kPowerPageSizeMax and ListPeople's default.
inline constexpr int32_t kPageItemsMax = 1'000;

// Every item `request` matches (its page size and token are reformctl's; min_position is
// --min-position for the first page).
api::ListPowersResponse ListAllPowers(Cli& cli, api::ListPowersRequest request);
// Every person in post at `agency_id`, now or (as_of_date: YYYY-MM-DD) on that date.
api::ListPeopleResponse ListAllPeople(Cli& cli, const std::string& agency_id,
                                      const std::string& as_of_date = "");

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_PAGING_H_
