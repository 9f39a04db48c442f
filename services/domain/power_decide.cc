#include "services/domain/power_decide.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

using Codes = google::protobuf::RepeatedPtrField<std::string>;

// How messages name an item: "power-XK-001 (燃气经营许可)".
std::string Describe(const PowerState& item) {
  return item.name.empty() ? PowerStream(item.code)
                           : absl::StrCat(PowerStream(item.code), " (", item.name, ")");
}

// How messages name an agency known by id only: "agency-town-1 (格里坪镇)" when it can be read.
// For error messages: the read becomes a check of a commit that will not happen.
std::string DescribeAgency(StateView& view, absl::string_view agency_id) {
  absl::StatusOr<const AgencyState*> agency = view.Agency(agency_id);
  if (!agency.ok() || !(*agency)->exists) return AgencyStream(agency_id);
  return (*agency)->Describe();
}

absl::Status ValidateItemCount(absl::string_view field, int count) {
  if (count == 0) {
    return RefuseInvalid(absl::StrCat(field, " is empty"),
                         absl::StrCat(field, "（权力事项）不能为空"));
  }
  if (count > kPowerItemsPerCommandMax) {
    return RefuseInvalid(
        absl::StrCat(field, " has ", count, " items; the limit kPowerItemsPerCommandMax is ",
                     kPowerItemsPerCommandMax),
        absl::StrCat(field, "（权力事项）有 ", count, " 项，超过每次 ", kPowerItemsPerCommandMax,
                     " 项的上限（kPowerItemsPerCommandMax）"));
  }
  return absl::OkStatus();
}

// INVALID_ARGUMENT when `code` (at `where`) is in `seen` already; else remembers it.
absl::Status CheckListedOnce(std::map<std::string, std::string>& seen, const std::string& where,
                             const std::string& code) {
  auto [it, inserted] = seen.emplace(code, where);
  if (!inserted) {
    return RefuseInvalid(
        absl::StrCat(where, " ", code, " appears twice (also ", it->second, ")"),
        absl::StrCat(where, "：事项 ", code, " 重复出现（另见 ", it->second, "）"));
  }
  return absl::OkStatus();
}

// INVALID_ARGUMENT unless `codes` lists 1–kPowerItemsPerCommandMax valid codes, each once.
absl::Status ValidateCodes(const Codes& codes) {
  RETURN_IF_ERROR(ValidateItemCount("codes", codes.size()));
  std::map<std::string, std::string> seen;
  for (int i = 0; i < codes.size(); ++i) {
    const std::string where = absl::StrCat("codes[", i, "]");
    RETURN_IF_ERROR(ValidateId(where, codes[i]));
    RETURN_IF_ERROR(CheckListedOnce(seen, where, codes[i]));
  }
  return absl::OkStatus();
}

absl::Status ValidateItem(absl::string_view field, const api::PowerItem& item) {
  RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".code"), item.code()));
  RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".name"), item.name(), true));
  if (!pb::PowerCategory_IsValid(item.category()) ||
      item.category() == pb::POWER_CATEGORY_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat(field, ".category ", static_cast<int>(item.category()),
                     " is missing or unknown: one of the ten, 行政许可 … 其他行政权力"),
        absl::StrCat(field, ".category（权力类别）", static_cast<int>(item.category()),
                     " 缺失或无法识别：应为行政许可至其他行政权力十类之一"));
  }
  RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".legal_basis"), item.legal_basis(), false));
  return ValidateId(absl::StrCat(field, ".holder_agency_id"), item.holder_agency_id());
}

// The catalogued items `codes` names, in order. NOT_FOUND naming every code not catalogued;
// FAILED_PRECONDITION naming those catalogued only after the command takes effect.
absl::StatusOr<std::vector<const PowerState*>> Catalogued(StateView& view, const Codes& codes) {
  std::vector<const PowerState*> items;
  std::vector<std::string> unknown;
  std::vector<std::string> later;
  for (const std::string& code : codes) {
    ASSIGN_OR_RETURN(const PowerState* item, view.Power(code));
    if (!item->exists && !item->begins_on.empty()) {
      later.push_back(absl::StrCat(PowerStream(code), " on ", item->begins_on));
    } else if (!item->exists) {
      unknown.push_back(PowerStream(code));
    }
    items.push_back(item);
  }
  if (!later.empty()) {
    return RefusePrecondition(
        absl::StrCat("catalogued only after this change takes effect (", view.effective_date(),
                     "): nothing takes effect before its subject exists: ", ListSome(later)),
        absl::StrCat("以下事项编入权力清单晚于本项改动的生效日期 ", view.effective_date(),
                     "，编目之前不能对其作任何改动：", ListSomeZh(later)));
  }
  if (!unknown.empty()) {
    return RefuseNotFound(absl::StrCat("not in the power list (权力清单): ", ListSome(unknown)),
                          absl::StrCat("以下事项不在权力清单中：", ListSomeZh(unknown)));
  }
  return items;
}

// The agency `agency_id` that `item` leaves or reaches ("is held by", "goes back to") must be
// active: the error names the item.
absl::Status CheckActive(StateView& view, const PowerState& item, absl::string_view relation,
                         absl::string_view relation_zh, absl::string_view agency_id) {
  absl::StatusOr<const AgencyState*> agency = ActiveAgency(view, "agency_id", agency_id);
  if (agency.ok()) return absl::OkStatus();
  return WithContext(
      agency.status(),
      absl::StrCat(Describe(item), " ", relation, " ", AgencyStream(agency_id), ": "),
      absl::StrCat("事项", item.code, relation_zh, "：", agency_id, "："));
}

// The holders' side of a command: one PowersHeldChanged per agency an item leaves or reaches.
class Holdings {
 public:
  void Gain(const std::string& agency_id, const std::string& code) {
    Of(agency_id).add_gained(code);
  }
  void Move(const std::string& code, const std::string& from, const std::string& to) {
    Of(from).add_lost(code);
    Of(to).add_gained(code);
  }
  void EmitInto(Decision& decision) {
    for (auto& [agency_id, change] : changes_) {
      *decision.Emit<pb::PowersHeldChanged>(AgencyStream(agency_id)) = std::move(change);
    }
  }

 private:
  pb::PowersHeldChanged& Of(const std::string& agency_id) {
    pb::PowersHeldChanged& change = changes_[agency_id];
    change.set_agency_id(agency_id);
    return change;
  }

  std::map<std::string, pb::PowersHeldChanged> changes_;  // by agency id
};

// PowerDelegated of `item` from its holder to `to`, and both sides' holdings.
void Pass(Decision& decision, Holdings& holdings, const PowerState& item, const std::string& to,
          pb::DelegationMode mode, const api::DocumentBasis* authority = nullptr) {
  auto* e = decision.Emit<pb::PowerDelegated>(PowerStream(item.code));
  e->set_code(item.code);
  e->set_from_agency_id(item.holder_agency_id);
  e->set_to_agency_id(to);
  e->set_mode(mode);
  if (authority != nullptr && !authority->number().empty()) {
    e->mutable_authority()->set_number(authority->number());
    e->mutable_authority()->set_issuer(authority->issuer());
    e->mutable_authority()->set_date(authority->date());
  }
  holdings.Move(item.code, item.holder_agency_id, to);
}

// Whether `issuer` is a province-level body (省、自治区、直辖市): its name begins with the
// province's ("中共" aside) and names no lower level after it (四川省攀枝花市人民政府 does not).
bool IsProvincialIssuer(absl::string_view issuer) {
  absl::ConsumePrefix(&issuer, "中共");
  for (absl::string_view province : kProvinces) {
    absl::string_view rest = issuer;
    if (!absl::ConsumePrefix(&rest, province)) continue;
    constexpr std::array<absl::string_view, 6> kLowerLevels = {"市", "州", "县", "区", "盟", "旗"};
    return std::ranges::none_of(
        kLowerLevels, [&](absl::string_view lower) { return absl::StrContains(rest, lower); });
  }
  return false;
}

// What the law says about passing `items` to a 乡镇 or 街道 in `mode` on `date`:
//   行政强制法 §17: the power of 行政强制措施 is never entrusted (委托);
//   行政处罚法 §24 (from kPenaltyLawArticle24From): 行政处罚 — and, with it, 行政强制 — goes to a
//   乡镇 or 街道 only to be exercised in its own name (直接下放), by a decision of the province.
// FAILED_PRECONDITION naming the items and the article; INVALID_ARGUMENT for a malformed
// authority.
absl::Status CheckDelegationLaw(absl::string_view date, pb::DelegationMode mode,
                                const api::DocumentBasis& authority,
                                const std::vector<const PowerState*>& items) {
  RETURN_IF_ERROR(ValidateText("authority.number", authority.number(), false));
  RETURN_IF_ERROR(ValidateText("authority.issuer", authority.issuer(), false));
  RETURN_IF_ERROR(ValidateDate("authority.date", authority.date(), false));
  std::vector<std::string> entrusted_coercion;
  std::vector<std::string> article24;
  for (const PowerState* item : items) {
    if (item->category == pb::COERCION && mode == pb::ENTRUSTED) {
      entrusted_coercion.push_back(Describe(*item));
    } else if (item->category == pb::COERCION ||
               (item->category == pb::PENALTY && date >= kPenaltyLawArticle24From)) {
      article24.push_back(Describe(*item));
    }
  }
  if (!entrusted_coercion.empty()) {
    return RefusePrecondition(
        absl::StrCat("行政强制措施权不得委托 (行政强制法 §17): ", ListSome(entrusted_coercion)),
        absl::StrCat("行政强制措施权不得委托（《行政强制法》第十七条）：",
                     ListSomeZh(entrusted_coercion)));
  }
  if (article24.empty()) return absl::OkStatus();
  const std::string items_named = ListSome(article24);
  const std::string items_named_zh = ListSomeZh(article24);
  if (mode != pb::DIRECT) {
    return RefusePrecondition(
        absl::StrCat(
            "行政处罚法 §24: 行政处罚 passes to a 乡镇 or 街道 only to be exercised in its "
            "own name (mode DIRECT, 直接下放), not ",
            Label(mode), ": ", items_named),
        absl::StrCat(
            "《行政处罚法》第二十四条：行政处罚权交由乡镇、街道以自己的名义行使（直接下放），不能",
            Label(mode), "：", items_named_zh));
  }
  if (authority.number().empty() || !IsProvincialIssuer(authority.issuer())) {
    return RefusePrecondition(
        absl::StrCat(
            "行政处罚法 §24: 行政处罚 passes to a 乡镇 or 街道 only by a decision of the province "
            "(省、自治区、直辖市); give it as authority (number, issuer, date)",
            authority.issuer().empty() ? ""
                                       : absl::StrCat(", not ", QuoteValue(authority.issuer())),
            ": ", items_named),
        absl::StrCat(
            "《行政处罚法》第二十四条：行政处罚权交由乡镇、街道行使须由省、自治区、直辖市决定；"
            "请给出该决定（文号、发文机关、日期）",
            authority.issuer().empty()
                ? ""
                : absl::StrCat("，", QuoteValue(authority.issuer()), " 不是省级机关"),
            "：", items_named_zh));
  }
  if (!authority.date().empty() && authority.date() > date) {
    return RefusePrecondition(absl::StrCat("authority.date ", authority.date(),
                                           " is after the delegation takes effect (", date, ")"),
                              absl::StrCat("下放决定的日期（authority.date）", authority.date(),
                                           " 晚于下放的生效日期 ", date));
  }
  return absl::OkStatus();
}

bool IsDelegationMode(pb::DelegationMode mode) {
  return mode == pb::DIRECT || mode == pb::ENTRUSTED || mode == pb::SERVICE_FORWARD;
}

// FAILED_PRECONDITION naming every item not held by `from`: only the holder passes it on.
absl::Status CheckHeldBy(StateView& view, const AgencyState& from,
                         const std::vector<const PowerState*>& items) {
  std::vector<std::string> elsewhere;
  for (const PowerState* item : items) {
    if (item->holder_agency_id == from.agency_id) continue;
    elsewhere.push_back(absl::StrCat(Describe(*item), " is held by ",
                                     DescribeAgency(view, item->holder_agency_id), ", not ",
                                     AgencyStream(from.agency_id)));
  }
  if (elsewhere.empty()) return absl::OkStatus();
  return RefusePrecondition(
      absl::StrCat("only the holder can pass an item on: ", ListSome(elsewhere)),
      absl::StrCat("只有事项的实施主体才能将其下放或集中：", ListSomeZh(elsewhere)));
}

// The categories a bureau of `role` takes in 相对集中; none for any other agency.
std::vector<pb::PowerCategory> CategoriesTaken(pb::AgencyRole role) {
  switch (role) {
    case pb::COMPREHENSIVE_ENFORCEMENT:
      return {pb::PENALTY, pb::COERCION};
    case pb::ADMINISTRATIVE_APPROVAL:
      return {pb::LICENSING};
    default:
      return {};
  }
}

// FAILED_PRECONDITION naming every item of a category `to` does not take.
absl::Status CheckCategoriesTaken(const AgencyState& to,
                                  const std::vector<const PowerState*>& items) {
  const std::vector<pb::PowerCategory> taken = CategoriesTaken(to.role);
  std::vector<std::string> wrong;
  std::vector<std::string> wrong_zh;
  for (const PowerState* item : items) {
    if (std::find(taken.begin(), taken.end(), item->category) != taken.end()) continue;
    wrong.push_back(absl::StrCat(Describe(*item), " is ", Label(item->category)));
    wrong_zh.push_back(absl::StrCat(Describe(*item), "属", Label(item->category)));
  }
  if (wrong.empty()) return absl::OkStatus();
  const auto label = [](std::string* out, pb::PowerCategory c) { out->append(Label(c)); };
  return RefusePrecondition(
      absl::StrCat(to.Describe(), " takes only ", absl::StrJoin(taken, " and ", label),
                   " items: ", ListSome(wrong)),
      absl::StrCat(to.NameZh(), "只承接", absl::StrJoin(taken, "、", label), "事项：",
                   ListSomeZh(wrong_zh)));
}

// FAILED_PRECONDITION naming every item `to` holds already.
absl::Status CheckNotHeldBy(const AgencyState& to, const std::vector<const PowerState*>& items) {
  std::vector<std::string> held;
  for (const PowerState* item : items) {
    if (item->holder_agency_id == to.agency_id) held.push_back(Describe(*item));
  }
  if (held.empty()) return absl::OkStatus();
  return RefusePrecondition(absl::StrCat(to.Describe(), " already holds ", ListSome(held)),
                            absl::StrCat(to.NameZh(), "已行使：", ListSomeZh(held)));
}

// FAILED_PRECONDITION naming every item held by its own department: nothing to return.
absl::Status CheckPassedOn(StateView& view, const std::vector<const PowerState*>& items) {
  std::vector<std::string> own;
  for (const PowerState* item : items) {
    if (!item->passed_from.empty()) continue;
    own.push_back(absl::StrCat(Describe(*item), " is held by its own department ",
                               DescribeAgency(view, item->holder_agency_id)));
  }
  if (own.empty()) return absl::OkStatus();
  return RefusePrecondition(absl::StrCat("nothing to return: ", ListSome(own)),
                            absl::StrCat("以下事项仍由原部门行使，无可收回：", ListSomeZh(own)));
}

}  // namespace

absl::StatusOr<Decision> DecideCatalogPowers(StateView& view, const api::CatalogPowersRequest& r) {
  RETURN_IF_ERROR(ValidateItemCount("items", r.items_size()));
  std::map<std::string, std::string> seen;
  for (int i = 0; i < r.items_size(); ++i) {
    const std::string field = absl::StrCat("items[", i, "]");
    RETURN_IF_ERROR(ValidateItem(field, r.items(i)));
    RETURN_IF_ERROR(CheckListedOnce(seen, absl::StrCat(field, ".code"), r.items(i).code()));
  }
  std::vector<std::string> catalogued;
  for (const api::PowerItem& item : r.items()) {
    ASSIGN_OR_RETURN(const PowerState* existing, view.Power(item.code()));
    if (!existing->exists && !existing->begins_on.empty()) {
      catalogued.push_back(absl::StrCat(PowerStream(item.code()), " from ", existing->begins_on));
    }
    if (!existing->exists) continue;
    catalogued.push_back(
        absl::StrCat(Describe(*existing), ", held by ", AgencyStream(existing->holder_agency_id)));
  }
  if (!catalogued.empty()) {
    return Refusal(absl::StatusCode::kAlreadyExists,
                   absl::StrCat("already in the power list (权力清单): ", ListSome(catalogued)),
                   absl::StrCat("以下事项已在权力清单中：", ListSomeZh(catalogued)));
  }
  std::set<std::string> holders;
  for (int i = 0; i < r.items_size(); ++i) {
    const std::string& holder = r.items(i).holder_agency_id();
    if (!holders.insert(holder).second) continue;
    RETURN_IF_ERROR(
        ActiveAgency(view, absl::StrCat("items[", i, "].holder_agency_id"), holder).status());
  }
  Decision decision;
  Holdings holdings;
  for (const api::PowerItem& item : r.items()) {
    auto* e = decision.Emit<pb::PowerCatalogued>(PowerStream(item.code()));
    e->set_code(item.code());
    e->set_name(item.name());
    e->set_category(item.category());
    e->set_legal_basis(item.legal_basis());
    e->set_holder_agency_id(item.holder_agency_id());
    holdings.Gain(item.holder_agency_id(), item.code());
  }
  holdings.EmitInto(decision);
  return decision;
}

absl::StatusOr<Decision> DecideDelegatePowers(StateView& view,
                                              const api::DelegatePowersRequest& r) {
  RETURN_IF_ERROR(ValidateCodes(r.codes()));
  if (!IsDelegationMode(r.mode())) {
    return RefuseInvalid(
        absl::StrCat("mode ", static_cast<int>(r.mode()), " (", Label(r.mode()),
                     ") is not a mode of 下放: DIRECT (直接下放), ENTRUSTED (委托下放) or "
                     "SERVICE_FORWARD (服务前移)"),
        absl::StrCat("mode（下放方式）", static_cast<int>(r.mode()), "（", Label(r.mode()),
                     "）不是下放方式：应为直接下放（DIRECT）、委托下放（ENTRUSTED）或"
                     "服务前移（SERVICE_FORWARD）"));
  }
  if (r.from_agency_id() == r.to_agency_id()) {
    return RefuseInvalid("from_agency_id and to_agency_id are the same agency",
                         "下放部门与承接单位是同一机构");
  }
  ASSIGN_OR_RETURN(const AgencyState* from,
                   ActiveAgency(view, "from_agency_id", r.from_agency_id()));
  ASSIGN_OR_RETURN(const AgencyState* to, ActiveAgency(view, "to_agency_id", r.to_agency_id()));
  if (to->kind != pb::TOWN && to->kind != pb::SUBDISTRICT) {
    return RefusePrecondition(
        absl::StrCat(to->Describe(), " is a ", Label(to->kind),
                     ": powers are delegated (下放) only to a 乡镇 or 街道"),
        absl::StrCat(to->NameZh(), "是", Label(to->kind), "：权力事项只能下放给乡镇或街道"));
  }
  ASSIGN_OR_RETURN(std::vector<const PowerState*> items, Catalogued(view, r.codes()));
  RETURN_IF_ERROR(CheckHeldBy(view, *from, items));
  RETURN_IF_ERROR(CheckDelegationLaw(view.effective_date(), r.mode(), r.authority(), items));
  Decision decision;
  Holdings holdings;
  for (const PowerState* item : items) {
    Pass(decision, holdings, *item, r.to_agency_id(), r.mode(), &r.authority());
  }
  holdings.EmitInto(decision);
  return decision;
}

absl::StatusOr<Decision> DecideConcentratePowers(StateView& view,
                                                 const api::ConcentratePowersRequest& r) {
  RETURN_IF_ERROR(ValidateCodes(r.codes()));
  ASSIGN_OR_RETURN(const AgencyState* to, ActiveAgency(view, "to_agency_id", r.to_agency_id()));
  if (CategoriesTaken(to->role).empty()) {
    return RefusePrecondition(
        absl::StrCat(to->Describe(),
                     " is neither a 综合行政执法局 nor a 行政审批局 (no role): items are "
                     "concentrated (相对集中) only into one of them"),
        absl::StrCat(to->NameZh(),
                     "既不是综合行政执法局，也不是行政审批局：权力事项只能相对集中到这两类机构"));
  }
  ASSIGN_OR_RETURN(std::vector<const PowerState*> items, Catalogued(view, r.codes()));
  RETURN_IF_ERROR(CheckCategoriesTaken(*to, items));
  RETURN_IF_ERROR(CheckNotHeldBy(*to, items));
  std::set<std::string> sources;
  for (const PowerState* item : items) {
    if (!sources.insert(item->holder_agency_id).second) continue;
    RETURN_IF_ERROR(CheckActive(view, *item, "is held by", "的实施主体", item->holder_agency_id));
  }
  Decision decision;
  Holdings holdings;
  for (const PowerState* item : items) {
    Pass(decision, holdings, *item, r.to_agency_id(), pb::CONCENTRATED);
  }
  holdings.EmitInto(decision);
  return decision;
}

absl::StatusOr<Decision> DecideReturnPowers(StateView& view, const api::ReturnPowersRequest& r) {
  RETURN_IF_ERROR(ValidateCodes(r.codes()));
  ASSIGN_OR_RETURN(std::vector<const PowerState*> items, Catalogued(view, r.codes()));
  RETURN_IF_ERROR(CheckPassedOn(view, items));
  std::set<std::string> holders;
  std::set<std::string> receivers;
  Decision decision;
  Holdings holdings;
  for (const PowerState* item : items) {
    const std::string& holder = item->holder_agency_id;
    const std::string& back_to = item->passed_from.back();
    // The holder is read because its holdings are written; the receiver must be active.
    if (holders.insert(holder).second) {
      RETURN_IF_ERROR(ExistingAgency(view, "holder", holder).status());
    }
    if (receivers.insert(back_to).second) {
      RETURN_IF_ERROR(CheckActive(view, *item, "goes back to", "收回至", back_to));
    }
    auto* e = decision.Emit<pb::PowerReturned>(PowerStream(item->code));
    e->set_code(item->code);
    e->set_from_agency_id(holder);
    e->set_to_agency_id(back_to);
    holdings.Move(item->code, holder, back_to);
  }
  holdings.EmitInto(decision);
  return decision;
}

}  // namespace reformlog::domain
