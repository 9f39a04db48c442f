#include "projections/domain/vocabulary.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace reformlog::domain {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

}  // namespace

std::string AgencyStream(absl::string_view agency_id) {
  return absl::StrCat(kAgencyStreamPrefix, agency_id);
}
std::string PersonStream(absl::string_view person_id) {
  return absl::StrCat(kPersonStreamPrefix, person_id);
}
std::string PowerStream(absl::string_view code) { return absl::StrCat(kPowerStreamPrefix, code); }
std::string BudgetStream(absl::string_view agency_id, int fiscal_year) {
  return absl::StrCat(kBudgetStreamPrefix, agency_id, "-", fiscal_year);
}
std::string PlanStream(absl::string_view plan_id) {
  return absl::StrCat(kPlanStreamPrefix, plan_id);
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is empty"));
  if (id.size() > kEntityIdBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat(field, " \"", id, "\" is ", id.size(),
                                                   " bytes; the limit kEntityIdBytesMax is ",
                                                   kEntityIdBytesMax));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " \"", id, "\" may hold only letters, digits, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view text, bool required) {
  if (required && text.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is empty"));
  if (text.size() > kTextBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " is ", text.size(), " bytes; the limit kTextBytesMax is ", kTextBytesMax));
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field, absl::string_view date, bool required) {
  if (date.empty()) {
    return required ? absl::InvalidArgumentError(absl::StrCat(field, " is empty"))
                    : absl::OkStatus();
  }
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " \"", date, "\" is not a date of the form YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFunctionCode(absl::string_view field, absl::string_view code) {
  if (!AllDigits(code) || (code.size() != 3 && code.size() != 5 && code.size() != 7)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, " \"", code, "\" is not a function code (3, 5 or 7 digits: 类, 款 or 项)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEconomicCode(absl::string_view field, absl::string_view code) {
  if (!AllDigits(code) || (code.size() != 3 && code.size() != 5)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " \"", code, "\" is not an economic code (3 or 5 digits: 类 or 款)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFiscalYear(int year) {
  if (year < kFiscalYearMin || year > kFiscalYearMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("fiscal_year ", year, " is outside ", kFiscalYearMin, "–", kFiscalYearMax));
  }
  return absl::OkStatus();
}

std::string Label(pb::QuotaCategory category) {
  switch (category) {
    case pb::ADMINISTRATIVE:
      return "行政编制";
    case pb::POLITICS_AND_LAW:
      return "政法专项编制";
    case pb::PUBLIC_SERVICE:
      return "事业编制";
    case pb::SUPPORT_STAFF:
      return "工勤编制";
    case pb::SPECIAL_PURPOSE:
      return "专项编制";
    default:
      return absl::StrCat("编制类别", static_cast<int>(category));
  }
}

std::string Label(pb::Rank rank) {
  switch (rank) {
    case pb::DEPARTMENT_CHIEF:
      return "正厅级";
    case pb::DEPARTMENT_DEPUTY:
      return "副厅级";
    case pb::DIVISION_CHIEF:
      return "正处级";
    case pb::DIVISION_DEPUTY:
      return "副处级";
    case pb::SECTION_CHIEF:
      return "正科级";
    case pb::SECTION_DEPUTY:
      return "副科级";
    case pb::UNIT_LEVEL:
      return "股级";
    default:
      return absl::StrCat("规格", static_cast<int>(rank));
  }
}

std::string Label(pb::AgencyKind kind) {
  switch (kind) {
    case pb::PARTY_DEPARTMENT:
      return "党委部门";
    case pb::GOVERNMENT_DEPARTMENT:
      return "政府部门";
    case pb::PEOPLES_CONGRESS_ORGAN:
      return "人大机关";
    case pb::CPPCC_ORGAN:
      return "政协机关";
    case pb::COURT:
      return "法院";
    case pb::PROCURATORATE:
      return "检察院";
    case pb::MASS_ORGANIZATION:
      return "群团机关";
    case pb::PUBLIC_INSTITUTION:
      return "事业单位";
    case pb::TOWN:
      return "乡镇";
    case pb::SUBDISTRICT:
      return "街道";
    default:
      return absl::StrCat("机构类别", static_cast<int>(kind));
  }
}

std::string Label(pb::PowerCategory category) {
  switch (category) {
    case pb::LICENSING:
      return "行政许可";
    case pb::PENALTY:
      return "行政处罚";
    case pb::COERCION:
      return "行政强制";
    case pb::LEVY:
      return "行政征收";
    case pb::BENEFIT:
      return "行政给付";
    case pb::INSPECTION:
      return "行政检查";
    case pb::CONFIRMATION:
      return "行政确认";
    case pb::AWARD:
      return "行政奖励";
    case pb::ADJUDICATION:
      return "行政裁决";
    case pb::OTHER_POWER:
      return "其他行政权力";
    default:
      return absl::StrCat("权力类别", static_cast<int>(category));
  }
}

std::string Label(pb::FundSource source) {
  switch (source) {
    case pb::GENERAL_PUBLIC_BUDGET:
      return "一般公共预算";
    case pb::GOVERNMENT_FUND:
      return "政府性基金预算";
    case pb::STATE_CAPITAL:
      return "国有资本经营预算";
    case pb::SUPERIOR_SUBSIDY:
      return "上级补助收入";
    case pb::BUSINESS_INCOME:
      return "事业收入";
    case pb::OPERATING_INCOME:
      return "经营收入";
    case pb::AFFILIATE_REMITTANCE:
      return "附属单位上缴收入";
    case pb::OTHER_INCOME:
      return "其他收入";
    default:
      return absl::StrCat("资金来源", static_cast<int>(source));
  }
}

std::string Label(pb::DelegationMode mode) {
  switch (mode) {
    case pb::DIRECT:
      return "直接下放";
    case pb::ENTRUSTED:
      return "委托下放";
    case pb::SERVICE_FORWARD:
      return "服务前移";
    case pb::CONCENTRATED:
      return "相对集中";
    case pb::RESTRUCTURED:
      return "机构调整";
    default:
      return absl::StrCat("方式", static_cast<int>(mode));
  }
}

std::string Yuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d 元", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

bool IsPartyOrGovernmentOrgan(pb::AgencyKind kind) {
  return kind != pb::PUBLIC_INSTITUTION && kind != pb::AGENCY_KIND_UNSPECIFIED;
}

bool IsFiscalAppropriation(pb::FundSource source) {
  return source == pb::GENERAL_PUBLIC_BUDGET || source == pb::GOVERNMENT_FUND ||
         source == pb::STATE_CAPITAL;
}

std::string Label(pb::TaskKind kind) {
  switch (kind) {
    case pb::HANG_NAMEPLATE:
      return "挂牌";
    case pb::LEADERSHIP_IN_PLACE:
      return "班子到位";
    case pb::STAFF_TRANSFER:
      return "人员转隶";
    case pb::MANDATE_ISSUED:
      return "三定印发";
    case pb::OTHER_TASK:
      return "其他任务";
    default:
      return absl::StrCat("任务类别", static_cast<int>(kind));
  }
}

}  // namespace reformlog::domain
