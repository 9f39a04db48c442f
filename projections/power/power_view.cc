#include "projections/power/power_view.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

// The short name of an event type: "reformlog.domain.v1.PowerDelegated" → "PowerDelegated".
std::string ShortType(const std::string& type) {
  const size_t dot = type.rfind('.');
  return dot == std::string::npos ? type : type.substr(dot + 1);
}

// "1 item", "92 items".
std::string Items(int64_t n) { return absl::StrCat(n, n == 1 ? " item" : " items"); }

}  // namespace

std::optional<PowerHolding> HoldingAsOf(const rm::PowerRecord& record, const std::string& date) {
  const rm::HolderPeriod* last = nullptr;
  // The CATALOGUED period comes first whatever its date; the rest are in effective order.
  for (const rm::HolderPeriod& p : record.holders()) {
    if (p.ref().effective_date() <= date) {
      last = &p;
    } else if (p.change() != rm::HolderPeriod::CATALOGUED) {
      break;
    }
  }
  if (last == nullptr) return std::nullopt;
  PowerHolding h;
  h.code = record.code();
  h.name = record.name();
  h.category = record.category();
  h.legal_basis = record.legal_basis();
  h.department_id = record.department_id();
  h.holder_agency_id = last->holder_agency_id();
  h.held_as = last->held_as();
  h.delegated_by_agency_id = last->delegated_by_agency_id();
  h.acts_in_name_of_agency_id =
      h.held_as == dpb::ENTRUSTED ? h.delegated_by_agency_id : h.holder_agency_id;
  h.since = last->ref();
  return h;
}

PowerPage HoldingsAsOf(const EntityTable& powers, const std::string& date,
                       const PowerFilter& filter) {
  PowerPage page;
  ConstTable<rm::PowerRecord>(powers).ForEach(
      [&](const std::string& code, const rm::PowerRecord& record) {
        if (!page.next_after_code.empty() || code <= filter.after_code) return;
        if (filter.category != dpb::POWER_CATEGORY_UNSPECIFIED &&
            record.category() != filter.category) {
          return;
        }
        std::optional<PowerHolding> h = HoldingAsOf(record, date);
        if (!h.has_value()) return;
        if (!filter.holder_agency_id.empty() && h->holder_agency_id != filter.holder_agency_id) {
          return;
        }
        if (page.items.size() >= filter.limit) {
          // One more matches: the page is full, and it is not the last.
          page.next_after_code = page.items.empty() ? filter.after_code : page.items.back().code;
          return;
        }
        page.items.push_back(std::move(*h));
      });
  return page;
}

PowerCounts CountAsOf(const EntityTable& powers, const std::string& date,
                      const std::string& holder_agency_id) {
  std::map<std::string, std::map<dpb::PowerCategory, CategoryCount>> by_holder;
  PowerCounts counts;
  counts.date = date;
  ConstTable<rm::PowerRecord>(powers).ForEach([&](const std::string&, const rm::PowerRecord& r) {
    std::optional<PowerHolding> h = HoldingAsOf(r, date);
    if (!h.has_value()) return;
    if (!holder_agency_id.empty() && h->holder_agency_id != holder_agency_id) return;
    CategoryCount& c = by_holder[h->holder_agency_id][h->category];
    c.category = h->category;
    ++c.items;
    ++c.by_held_as[h->held_as];
    ++counts.items;
  });
  for (auto& [holder, categories] : by_holder) {
    HolderCount& out = counts.holders.emplace_back();
    out.holder_agency_id = holder;
    for (auto& [category, count] : categories) {
      out.items += count.items;
      out.categories.push_back(std::move(count));
    }
  }
  return counts;
}

namespace {

std::string NameFor(const domain::NameOf& name_of, const std::string& id) {
  if (!name_of) return id;
  std::string name = name_of(id);
  return name.empty() ? id : name;
}

}  // namespace

std::string DescribeHeldAs(dpb::DelegationMode held_as, const std::string& delegated_by,
                           domain::Language language, const domain::NameOf& name_of) {
  if (language == domain::Language::kChinese) {
    if (held_as == dpb::DELEGATION_MODE_UNSPECIFIED) return "自行实施";
    return absl::StrCat(domain::Label(held_as), "（", NameFor(name_of, delegated_by), "）",
                        held_as == dpb::ENTRUSTED ? "，以其名义实施" : "");
  }
  if (held_as == dpb::DELEGATION_MODE_UNSPECIFIED) return "own";
  return absl::StrCat(domain::Label(held_as), " by ", delegated_by,
                      held_as == dpb::ENTRUSTED ? ", in its name" : "");
}

std::string SummarizePeriod(const rm::HolderPeriod& p, domain::Language language,
                            const domain::NameOf& name_of) {
  const bool zh = language == domain::Language::kChinese;
  const std::string holder = zh ? NameFor(name_of, p.holder_agency_id()) : p.holder_agency_id();
  const std::string from =
      zh ? NameFor(name_of, p.passed_from_agency_id()) : p.passed_from_agency_id();
  switch (p.change()) {
    case rm::HolderPeriod::CATALOGUED:
      return zh ? absl::StrCat("列入", holder, "权力清单")
                : absl::StrCat("catalogued under ", holder);
    case rm::HolderPeriod::PASSED: {
      std::string s = zh ? absl::StrCat(domain::Label(p.mode()), "：", from, " → ", holder)
                         : absl::StrCat(domain::Label(p.mode()), " from ", from,
                                        p.mode() == dpb::CONCENTRATED ? " into " : " to ", holder);
      // A restructure keeps the way the item is held: say which, when it is not its own.
      if (p.mode() == dpb::RESTRUCTURED && p.held_as() != dpb::DELEGATION_MODE_UNSPECIFIED) {
        absl::StrAppend(&s, zh ? "；实施方式：" : "; held as ",
                        DescribeHeldAs(p.held_as(), p.delegated_by_agency_id(), language, name_of));
      }
      return s;
    }
    case rm::HolderPeriod::RETURNED:
      return zh ? absl::StrCat("收回：", from, " → ", holder)
                : absl::StrCat("returned from ", from, " to ", holder);
    default:
      return "";
  }
}

std::string RenderHoldings(const std::vector<PowerHolding>& items) {
  std::string out;
  for (const PowerHolding& h : items) {
    absl::StrAppend(&out, h.code, " ", h.name, " [", domain::Label(h.category), "] held by ",
                    h.holder_agency_id, " (", DescribeHeldAs(h.held_as, h.delegated_by_agency_id),
                    ") since ", h.since.effective_date(), "\n");
  }
  return out;
}

std::string RenderCounts(const PowerCounts& counts) {
  std::string out = absl::StrCat("as of ", counts.date, ": ", Items(counts.items), "\n");
  for (const HolderCount& holder : counts.holders) {
    absl::StrAppend(&out, holder.holder_agency_id, ": ", Items(holder.items), "\n");
    for (const CategoryCount& c : holder.categories) {
      std::vector<std::string> modes;
      for (const auto& [mode, n] : c.by_held_as) {
        modes.push_back(absl::StrCat(
            mode == dpb::DELEGATION_MODE_UNSPECIFIED ? std::string("own") : domain::Label(mode),
            " ", n));
      }
      absl::StrAppend(&out, "  ", domain::Label(c.category), " ", c.items, ": ",
                      absl::StrJoin(modes, ", "), "\n");
    }
  }
  return out;
}

std::string RenderHistory(const rm::PowerRecord& record) {
  std::string out =
      absl::StrCat(record.code(), " ", record.name(), " [", domain::Label(record.category()),
                   "] catalogued under ", record.department_id(), "\n");
  for (const rm::HolderPeriod& p : record.holders()) {
    absl::StrAppend(&out, p.ref().effective_date(), " #", p.ref().position(), " ",
                    ShortType(p.ref().event_type()), ": ", SummarizePeriod(p), " [",
                    p.ref().basis_number(), "]\n");
  }
  return out;
}

}  // namespace reformlog::projections
