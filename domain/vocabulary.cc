#include "domain/vocabulary.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "domain/quote.h"
#include "domain/refusal.h"

namespace reformlog::domain {
namespace {

// "FIELD is empty".
absl::Status Empty(absl::string_view field) {
  return RefuseInvalid(absl::StrCat(field, " is empty"), absl::StrCat(field, " 不能为空"));
}

}  // namespace
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// The code point starting at text[i] and its length in bytes. Text here is valid UTF-8 (a
// proto3 string field cannot hold anything else); a stray byte reads as itself, length 1.
std::pair<uint32_t, size_t> CodePointAt(absl::string_view text, size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  size_t len = 1;
  uint32_t cp = b;
  if (b >= 0xF0) {
    len = 4, cp = b & 0x07u;
  } else if (b >= 0xE0) {
    len = 3, cp = b & 0x0Fu;
  } else if (b >= 0xC0) {
    len = 2, cp = b & 0x1Fu;
  }
  if (len == 1 || text.size() - i < len) return {b, 1};
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  }
  return {cp, len};
}

// Characters that change how text is shown rather than what it says: C0 and C1 controls
// (terminal escapes, carriage returns) but tab and line feed, DEL, and the bidirectional
// marks, embeddings, overrides and isolates (a U+202E in a name shows it reversed).
bool IsForbiddenInText(uint32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n';
  return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string AgencyStream(absl::string_view agency_id) {
  return absl::StrCat(kAgencyStreamPrefix, agency_id);
}
std::string PersonStream(absl::string_view person_id) {
  return absl::StrCat(kPersonStreamPrefix, person_id);
}
std::string PowerStream(absl::string_view code) { return absl::StrCat(kPowerStreamPrefix, code); }
std::string QuotaUseStream(absl::string_view notice_id) {
  return absl::StrCat(kQuotaUseStreamPrefix, notice_id);
}
std::string BudgetStream(absl::string_view agency_id, int fiscal_year) {
  return absl::StrCat(kBudgetStreamPrefix, agency_id, "-", fiscal_year);
}
std::string PlanStream(absl::string_view plan_id) {
  return absl::StrCat(kPlanStreamPrefix, plan_id);
}

// A valid id is echoed whole (quote.h), and a longer one with its length.
static_assert(kEntityIdBytesMax <= kQuotedValueBytesMax);

bool LooksLikeResidentIdNumber(absl::string_view id) {
  if (id.size() != 18 && id.size() != 15) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool last_of_18 = id.size() == 18 && i == 17;
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
        !(last_of_18 && (c == 'X' || c == 'x'))) {
      return false;
    }
  }
  return true;
}

absl::Status ValidatePrincipalId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return Empty(field);
  if (id.size() > kPrincipalIdBytesMax) {
    return RefuseInvalid(
        absl::StrCat(field, " ", QuoteValue(id), " is longer than the limit kPrincipalIdBytesMax (",
                     kPrincipalIdBytesMax, " bytes)"),
        absl::StrCat(field, " ", QuoteValue(id), " 超过 ", kPrincipalIdBytesMax, " 字节的上限"));
  }
  for (char c : id) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return RefuseInvalid(
          absl::StrCat(field, " ", QuoteValue(id),
                       " may hold only lower-case letters, digits, '.', '_' and '-'"),
          absl::StrCat(field, " ", QuoteValue(id), " 只能由小写字母、数字和 . _ - 组成"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return Empty(field);
  if (id.size() > kEntityIdBytesMax) {
    return RefuseInvalid(
        absl::StrCat(field, " ", QuoteValue(id), " is longer than the limit kEntityIdBytesMax (",
                     kEntityIdBytesMax, " bytes)"),
        absl::StrCat(field, " ", QuoteValue(id), " 超过 ", kEntityIdBytesMax, " 字节的上限"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return RefuseInvalid(
          absl::StrCat(field, " ", QuoteValue(id),
                       " may hold only letters, digits, '.', '_' and '-'"),
          absl::StrCat(field, " ", QuoteValue(id), " 只能由字母、数字和 . _ - 组成"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view text, bool required) {
  if (required && text.empty()) return Empty(field);
  if (text.size() > kTextBytesMax) {
    return RefuseInvalid(
        absl::StrCat(field, " is ", text.size(), " bytes; the limit kTextBytesMax is ",
                     kTextBytesMax),
        absl::StrCat(field, " 长 ", text.size(), " 字节，超过 ", kTextBytesMax, " 字节的上限"));
  }
  for (size_t i = 0; i < text.size();) {
    const auto [cp, len] = CodePointAt(text, i);
    if (IsForbiddenInText(cp)) {
      return RefuseInvalid(
          absl::StrFormat(
              "%s holds the control character U+%04X at byte %d: text may not carry control "
              "characters (tab and line feed aside) or bidirectional overrides",
              field, cp, i),
          absl::StrFormat(
              "%s 在第 %d 字节含控制字符 U+%04X：文字中不能有控制字符（制表符、换行除外）"
              "或双向改写符",
              field, i, cp));
    }
    i += len;
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field, absl::string_view date, bool required) {
  if (date.empty()) {
    return required ? Empty(field) : absl::OkStatus();
  }
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return RefuseInvalid(
        absl::StrCat(field, " ", QuoteValue(date), " is not a date of the form YYYY-MM-DD"),
        absl::StrCat(field, " ", QuoteValue(date), " 不是日期（应为 YYYY-MM-DD，如 2019-03-05）"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFunctionCode(absl::string_view field, absl::string_view code) {
  if (!AllDigits(code) || (code.size() != 3 && code.size() != 5 && code.size() != 7)) {
    return RefuseInvalid(
        absl::StrCat(field, " ", QuoteValue(code),
                     " is not a function code (3, 5 or 7 digits: 类, 款 or 项)"),
        absl::StrCat(field, " ", QuoteValue(code),
                     " 不是支出功能分类科目编码（类、款、项分别为 3、5、7 位数字）"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEconomicCode(absl::string_view field, absl::string_view code) {
  if (!AllDigits(code) || (code.size() != 3 && code.size() != 5)) {
    return RefuseInvalid(absl::StrCat(field, " ", QuoteValue(code),
                                      " is not an economic code (3 or 5 digits: 类 or 款)"),
                         absl::StrCat(field, " ", QuoteValue(code),
                                      " 不是支出经济分类科目编码（类、款分别为 3、5 位数字）"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFiscalYear(int year) {
  if (year < kFiscalYearMin || year > kFiscalYearMax) {
    return RefuseInvalid(
        absl::StrCat("fiscal_year ", year, " is outside ", kFiscalYearMin, "–", kFiscalYearMax),
        absl::StrCat("预算年度 ", year, " 不在 ", kFiscalYearMin, "–", kFiscalYearMax, " 之内"));
  }
  return absl::OkStatus();
}

// The (label) option of value `value` of enum `type`; for a value without one (a number
// written by a newer version) `fallback` followed by the number.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value,
                      absl::string_view fallback) {
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  if (v != nullptr && v->options().HasExtension(pb::label)) {
    return v->options().GetExtension(pb::label);
  }
  return absl::StrCat(fallback, value);
}

std::string Label(pb::QuotaCategory category) {
  return EnumLabel(pb::QuotaCategory_descriptor(), category, "编制类别");
}

std::string Label(pb::Rank rank) { return EnumLabel(pb::Rank_descriptor(), rank, "规格"); }

std::string Label(pb::AgencyKind kind) {
  return EnumLabel(pb::AgencyKind_descriptor(), kind, "机构类别");
}

std::string Label(pb::PowerCategory category) {
  return EnumLabel(pb::PowerCategory_descriptor(), category, "权力类别");
}

std::string Label(pb::FundSource source) {
  return EnumLabel(pb::FundSource_descriptor(), source, "资金来源");
}

std::string Label(pb::DelegationMode mode) {
  return EnumLabel(pb::DelegationMode_descriptor(), mode, "方式");
}

std::string Label(pb::EntryReason reason) {
  return EnumLabel(pb::EntryReason_descriptor(), reason, "增员原因");
}

std::string Label(pb::DepartureReason reason) {
  return EnumLabel(pb::DepartureReason_descriptor(), reason, "减员原因");
}

std::string Label(pb::ExpenditureKind kind) {
  return EnumLabel(pb::ExpenditureKind_descriptor(), kind, "支出类型");
}

std::string Label(pb::IndicatorLevel1 level) {
  return EnumLabel(pb::IndicatorLevel1_descriptor(), level, "一级指标");
}

std::string Label(pb::IndicatorLevel2 level) {
  return EnumLabel(pb::IndicatorLevel2_descriptor(), level, "二级指标");
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
  return EnumLabel(pb::TaskKind_descriptor(), kind, "任务类别");
}

}  // namespace reformlog::domain
