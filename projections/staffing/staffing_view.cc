#include "projections/staffing/staffing_view.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/official_order.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

QuotaFigures LineFigures(dpb::QuotaCategory category, int64_t quota, int64_t in_post,
                         int64_t reserved) {
  QuotaFigures f;
  f.category = category;
  f.quota = quota;
  f.in_post = in_post;
  f.reserved = reserved;
  f.vacancies = std::max<int64_t>(0, quota - in_post - reserved);
  f.over = std::max<int64_t>(0, in_post - quota);
  return f;
}

void AddTo(QuotaFigures& sum, const QuotaFigures& f) {
  sum.quota += f.quota;
  sum.in_post += f.in_post;
  sum.vacancies += f.vacancies;
  sum.over += f.over;
  sum.reserved += f.reserved;
}

// Vacancies of `category` reserved by notices valid on `on_date` (all when empty).
int64_t ReservedOn(const rm::AgencyStaffing& s, dpb::QuotaCategory category,
                   const std::string& on_date) {
  int64_t reserved = 0;
  for (const rm::QuotaReservation& r : s.reservations()) {
    if (r.category() == category && (on_date.empty() || r.valid_until() >= on_date)) {
      reserved += r.remaining();
    }
  }
  return reserved;
}

// "agency-bianban (区委编办)": how messages name an agency, as the write side does.
std::string Describe(const rm::AgencyStaffing& a) {
  return a.name().empty() ? domain::AgencyStream(a.agency_id())
                          : absl::StrCat(domain::AgencyStream(a.agency_id()), " (", a.name(), ")");
}

std::string CategoryRule(dpb::QuotaCategory category) {
  return category == dpb::PUBLIC_SERVICE ? "which is never used in a 党政机关"
                                         : "which is used only in 党政机关";
}

// ", 空编 2" / ", 超编 1" / "".
std::string Gaps(const QuotaFigures& f) {
  std::string out;
  if (f.vacancies > 0) absl::StrAppend(&out, ", 空编 ", f.vacancies);
  if (f.over > 0) absl::StrAppend(&out, ", 超编 ", f.over);
  return out;
}

std::string RenderQuota(const QuotaFigures& f) {
  return absl::StrCat("quota ", f.quota, ", in post ", f.in_post, Gaps(f));
}

}  // namespace

AgencyFigures FiguresOf(const rm::AgencyStaffing& s, const std::string& on_date) {
  AgencyFigures a;
  a.agency_id = s.agency_id();
  a.name = s.name();
  a.kind = s.kind();
  a.jurisdiction = s.jurisdiction();
  a.ceased = s.ceased();
  a.ceased_how = s.ceased_how();
  a.locked_by_plan = s.locked_by_plan();
  a.last_position = s.last_position();
  for (const rm::QuotaLine& line : s.quotas()) {
    a.quotas.push_back(LineFigures(line.category(), line.quota(), line.in_post(),
                                   ReservedOn(s, line.category(), on_date)));
    AddTo(a.total, a.quotas.back());
  }
  for (const rm::LeaderPostLine& line : s.leader_posts()) {
    LeaderPostFigures p;
    p.rank = line.rank();
    p.title = line.title();
    p.approved = line.approved();
    p.appointed = line.appointed();
    p.in_transition = line.in_transition();
    p.over = std::max<int64_t>(0, line.appointed() - line.approved() - line.in_transition());
    for (const auto& leader : line.leaders())
      p.leaders.emplace_back(leader.person_id(), leader.title());
    a.leader_posts.push_back(std::move(p));
  }
  for (const rm::StaffChangeCount& c : s.changes()) {
    StaffChangeFigures f;
    f.year = c.year();
    f.departure = c.departure();
    f.reason = c.reason() == 0 ? std::string("未注明")
               : c.departure() ? domain::Label(static_cast<dpb::DepartureReason>(c.reason()))
                               : domain::Label(static_cast<dpb::EntryReason>(c.reason()));
    f.count = c.count();
    a.changes.push_back(std::move(f));
  }
  return a;
}

std::vector<AgencyFigures> StaffingOf(const EntityTable& staffing, const std::string& jurisdiction,
                                      bool include_ceased, const std::string& on_date) {
  std::vector<AgencyFigures> out;
  ConstTable<rm::AgencyStaffing>(staffing).ForEach(
      [&](const std::string&, const rm::AgencyStaffing& s) {
        if (!jurisdiction.empty() && s.jurisdiction() != jurisdiction) return;
        if (s.ceased() && !include_ceased) return;
        out.push_back(FiguresOf(s, on_date));
      });
  // The official order (domain/official_order.h); the staffing entity keeps no rank, so by
  // kind, then id.
  std::stable_sort(out.begin(), out.end(), [](const AgencyFigures& a, const AgencyFigures& b) {
    return domain::OfficiallyBefore(a.kind, dpb::RANK_UNSPECIFIED, a.agency_id, b.kind,
                                    dpb::RANK_UNSPECIFIED, b.agency_id);
  });
  return out;
}

bool CategoryAllowed(dpb::AgencyKind kind, dpb::QuotaCategory category) {
  const bool organ = domain::IsPartyOrGovernmentOrgan(kind);
  if (category == dpb::PUBLIC_SERVICE) return !organ;
  if (category == dpb::ADMINISTRATIVE || category == dpb::POLITICS_AND_LAW) return organ;
  return true;
}

std::string Label(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kStaffInCeasedAgency:
      return "撤并机构仍有人员";
    case ViolationKind::kQuotaCategoryNotAllowed:
      return "编制类别不符";
    case ViolationKind::kStaffCategoryNotAllowed:
      return "混编混岗";
    case ViolationKind::kOverQuota:
      return "超编";
    case ViolationKind::kOverLeaderPosts:
      return "超职数";
    case ViolationKind::kLeaderTransition:
      return "超职数消化中";
  }
  return "违规";
}

std::vector<StaffingViolation> ViolationsOf(const rm::AgencyStaffing& s) {
  std::vector<StaffingViolation> out;
  auto add = [&](ViolationKind kind, int64_t limit, int64_t actual) -> StaffingViolation& {
    StaffingViolation& v = out.emplace_back();
    v.kind = kind;
    v.agency_id = s.agency_id();
    v.agency_name = s.name();
    v.limit = limit;
    v.actual = actual;
    return v;
  };
  int64_t in_post = 0;
  for (const rm::QuotaLine& line : s.quotas()) in_post += line.in_post();
  if (s.ceased() && in_post > 0) {
    add(ViolationKind::kStaffInCeasedAgency, 0, in_post).message =
        absl::StrCat(Describe(s), " has ceased (", s.ceased_how(), "); in post ", in_post);
  }
  const std::string kind = domain::Label(s.kind());
  for (const rm::QuotaLine& line : s.quotas()) {
    const std::string category = domain::Label(line.category());
    if (!CategoryAllowed(s.kind(), line.category())) {
      if (line.quota() > 0) {
        StaffingViolation& v = add(ViolationKind::kQuotaCategoryNotAllowed, 0, line.quota());
        v.category = line.category();
        v.message = absl::StrCat(Describe(s), " is a ", kind, ": ", category, " quota ",
                                 line.quota(), ", ", CategoryRule(line.category()));
      }
      if (line.in_post() > 0) {
        StaffingViolation& v = add(ViolationKind::kStaffCategoryNotAllowed, 0, line.in_post());
        v.category = line.category();
        v.message = absl::StrCat(Describe(s), " is a ", kind, ": ", category, " in post ",
                                 line.in_post(), ", ", CategoryRule(line.category()));
      }
    }
    if (line.in_post() > line.quota()) {
      StaffingViolation& v = add(ViolationKind::kOverQuota, line.quota(), line.in_post());
      v.category = line.category();
      v.message = absl::StrCat(Describe(s), " ", category, ": quota ", line.quota(), ", in post ",
                               line.in_post(), " (超编 ", line.in_post() - line.quota(), ")");
    }
  }
  for (const rm::LeaderPostLine& line : s.leader_posts()) {
    const std::string posts =
        absl::StrCat(Describe(s), " ", domain::Label(line.rank()),
                     line.title().empty() ? "" : absl::StrCat(" ", line.title()),
                     " leader posts: approved ", line.approved(), ", appointed ", line.appointed());
    const int64_t over = line.appointed() - line.approved() - line.in_transition();
    if (over > 0) {
      StaffingViolation& v = add(ViolationKind::kOverLeaderPosts,
                                 line.approved() + line.in_transition(), line.appointed());
      v.rank = line.rank();
      v.message = absl::StrCat(
          posts, line.in_transition() > 0 ? absl::StrCat(", in 消化 ", line.in_transition()) : "",
          " (超职数 ", over, ")");
    }
    if (line.in_transition() > 0) {
      StaffingViolation& v =
          add(ViolationKind::kLeaderTransition, line.approved(), line.appointed());
      v.rank = line.rank();
      v.message = absl::StrCat(posts, " (超职数消化中 ", line.in_transition(),
                               ": carried over by a restructure; none is appointed until they "
                               "are absorbed)");
    }
  }
  return out;
}

JurisdictionCheck CheckJurisdiction(const EntityTable& staffing, const std::string& jurisdiction,
                                    const std::string& on_date) {
  JurisdictionCheck check;
  check.jurisdiction = jurisdiction;
  StaffingTotals& t = check.totals;
  std::map<dpb::QuotaCategory, QuotaFigures> categories;
  ConstTable<rm::AgencyStaffing>(staffing).ForEach(
      [&](const std::string&, const rm::AgencyStaffing& s) {
        if (!jurisdiction.empty() && s.jurisdiction() != jurisdiction) return;
        ++(s.ceased() ? t.ceased_agencies : t.agencies);
        const AgencyFigures a = FiguresOf(s, on_date);
        for (const QuotaFigures& f : a.quotas) {
          QuotaFigures& sum = categories[f.category];
          sum.category = f.category;
          AddTo(sum, f);
          AddTo(t.total, f);
        }
        for (const LeaderPostFigures& p : a.leader_posts) {
          t.leader_posts_approved += p.approved;
          t.leaders_appointed += p.appointed;
          t.leader_posts_over += p.over;
        }
        for (StaffingViolation& v : ViolationsOf(s)) check.violations.push_back(std::move(v));
      });
  for (const auto& [category, sum] : categories) t.categories.push_back(sum);
  return check;
}

std::vector<const rm::PersonRecord*> PeopleInPost(const EntityTable& people,
                                                  const std::string& agency_id) {
  std::vector<const rm::PersonRecord*> out;
  ConstTable<rm::PersonRecord>(people).ForEach([&](const std::string&, const rm::PersonRecord& p) {
    if (!p.departed() && p.agency_id() == agency_id) out.push_back(&p);
  });
  return out;
}

std::string DescribePerson(const rm::PersonRecord& p) {
  std::string out = absl::StrCat(p.person_id(), " ", p.name());
  if (p.departed()) return absl::StrCat(out, " departed");
  absl::StrAppend(&out, " in ", p.agency_id(), " on ", domain::Label(p.category()));
  if (!p.post().empty()) absl::StrAppend(&out, " (", p.post(), ")");
  if (p.leader_rank() != dpb::RANK_UNSPECIFIED) {
    absl::StrAppend(&out, ", ", p.leader_title(), " (", domain::Label(p.leader_rank()), ")");
  }
  return out;
}

std::string RenderStaffing(const std::vector<AgencyFigures>& agencies) {
  std::string out;
  for (const AgencyFigures& a : agencies) {
    absl::StrAppend(&out, a.agency_id, " ", a.name, " [", domain::Label(a.kind), "] ",
                    a.jurisdiction);
    if (!a.locked_by_plan.empty()) absl::StrAppend(&out, " locked by ", a.locked_by_plan);
    if (a.ceased) absl::StrAppend(&out, " (ceased: ", a.ceased_how, ")");
    absl::StrAppend(&out, "\n");
    for (const QuotaFigures& f : a.quotas) {
      absl::StrAppend(&out, "  ", domain::Label(f.category), ": ", RenderQuota(f), "\n");
    }
    for (const LeaderPostFigures& p : a.leader_posts) {
      std::vector<std::string> leaders;
      for (const auto& [person_id, title] : p.leaders) {
        leaders.push_back(absl::StrCat(person_id, " ", title));
      }
      absl::StrAppend(&out, "  ", domain::Label(p.rank), p.title.empty() ? "" : " ", p.title,
                      ": approved ", p.approved, ", appointed ", p.appointed,
                      p.over > 0 ? absl::StrCat(", 超职数 ", p.over) : "",
                      p.in_transition > 0 ? absl::StrCat(", 消化中 ", p.in_transition) : "",
                      leaders.empty() ? "" : absl::StrCat(" (", absl::StrJoin(leaders, ", "), ")"),
                      "\n");
    }
  }
  return out;
}

std::string RenderCheck(const JurisdictionCheck& check) {
  const StaffingTotals& t = check.totals;
  std::string out = absl::StrCat(
      "四清两对应 ", check.jurisdiction.empty() ? "(all jurisdictions)" : check.jurisdiction, ": ",
      t.agencies, " agencies",
      t.ceased_agencies > 0 ? absl::StrCat(" (+", t.ceased_agencies, " ceased)") : "", "; ",
      RenderQuota(t.total), "; leader posts ", t.leader_posts_approved, ", leaders ",
      t.leaders_appointed,
      t.leader_posts_over > 0 ? absl::StrCat(", 超职数 ", t.leader_posts_over) : "", "\n");
  for (const QuotaFigures& f : t.categories) {
    absl::StrAppend(&out, "  ", domain::Label(f.category), ": ", RenderQuota(f), "\n");
  }
  if (check.Clear()) {
    absl::StrAppend(&out, "clear: no violations\n");
    return out;
  }
  absl::StrAppend(&out, check.violations.size(), " violations:\n");
  for (const StaffingViolation& v : check.violations) {
    absl::StrAppend(&out, "  ", Label(v.kind), " ", v.message, "\n");
  }
  return out;
}

std::string RenderPerson(const rm::PersonRecord& p) {
  std::string out = absl::StrCat(DescribePerson(p), "\n");
  for (const rm::PersonChange& c : p.history()) {
    absl::StrAppend(&out, "  #", c.ref().position(), " ", c.ref().effective_date(), " ",
                    c.ref().basis_number(), ": ", c.summary(), "\n");
  }
  return out;
}

}  // namespace reformlog::projections
