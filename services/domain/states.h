// Decision states: what a command needs to know about one stream, folded from its events.
//
//   AgencyState  agency-{id}   the body, its mandate, quotas, roster, leaders, powers, lock
//   PersonState  person-{id}   one person in post (实名制)
//   PowerState   power-{code}  one item of the power list and who holds it
//   BudgetState  budget-{agency}-{year}  lines, projects and performance
//   PlanState    plan-{id}     a reform plan and its tasks
//   AgencyNameState  name-{digest}  who carries one agency name in one jurisdiction
//   SecurityState  security    every principal, its roles (with scope) and token digests
//
// Apply() is Evolve: pure, total (events of other types are ignored, so old readers survive
// new event types), and it never fails: a decision never lets an inconsistent event in.
#ifndef REFORMLOG_SERVICES_DOMAIN_STATES_H_
#define REFORMLOG_SERVICES_DOMAIN_STATES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/common.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/power_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/security_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::domain {

namespace pb = ::reformlog::domain::v1;

struct AgencyState {
  struct Division {
    std::string name;
    std::vector<std::string> extra_names;
  };
  struct LeaderPost {
    int32_t count = 0;
    std::string title;
  };
  struct Leader {
    pb::Rank rank = pb::RANK_UNSPECIFIED;
    std::string title;
  };

  bool exists = false;
  // Set only on a state folded as of a date before the agency was established (timeline.h):
  // the date it is established on.
  std::string begins_on;
  // Changes applied when the agency could not take them: before it was established, or after
  // it ceased (locks aside). A decision never records one; a late entry could cause one.
  int64_t stray_events = 0;
  std::string agency_id;
  std::string name;
  std::vector<std::string> extra_names;
  pb::AgencyKind kind = pb::AGENCY_KIND_UNSPECIFIED;
  pb::Rank rank = pb::RANK_UNSPECIFIED;
  std::string parent_id;
  pb::FundingForm funding_form = pb::FUNDING_FORM_UNSPECIFIED;
  std::string jurisdiction;
  bool civil_servant_managed = false;
  pb::AgencyRole role = pb::AGENCY_ROLE_NONE;
  // Ceased by merger, split or abolition: takes nothing any more.
  bool ceased = false;
  std::string ceased_how;  // "merged into agency-x", "split", "abolished"

  bool mandate_issued = false;
  std::vector<std::string> functions;
  std::map<std::string, Division> divisions;
  std::map<pb::QuotaCategory, int64_t> quotas;
  std::map<pb::Rank, LeaderPost> leader_posts;
  std::map<std::string, pb::QuotaCategory> roster;  // person → category
  std::map<pb::QuotaCategory, int64_t> in_post;     // derived from roster, kept in step
  std::map<std::string, Leader> leaders;            // person → post
  // Per rank, leaders a restructure carried over beyond the approved posts and not yet
  // absorbed (消化, LeaderTransitionOpened): only ever shrinks, to max(0, leaders − posts).
  std::map<pb::Rank, int64_t> leader_transition;
  std::set<std::string> powers_held;
  // 预留编制: per approved 用编 notice, the vacancies it still holds and its last valid date.
  struct Reservation {
    pb::QuotaCategory category = pb::QUOTA_CATEGORY_UNSPECIFIED;
    int64_t remaining = 0;
    std::string valid_until;
  };
  std::map<std::string, Reservation> reservations;  // notice id → reservation
  // The date the state stands on: the effective date of the last event applied through
  // ApplyOn, or the date FoldAsOf folded to. Reservations lapse after their valid_until.
  std::string on_date;
  std::string locked_by_plan;
  // The effective date of the last lock or unlock (RecordsLocked / RecordsUnlocked). A lock is
  // about the record as it stands, so locks and unlocks take effect in the order they are
  // recorded: none is dated before this (staffing_decide.h).
  std::string lock_changed_on;

  int64_t Quota(pb::QuotaCategory c) const;
  int64_t InPost(pb::QuotaCategory c) const;
  int64_t LeadersAt(pb::Rank rank) const;
  int64_t LeaderPostsAt(pb::Rank rank) const;
  int64_t LeaderTransitionAt(pb::Rank rank) const;
  // Vacancies of `c` reserved by notices still valid on `date` (every reservation when `date`
  // is empty).
  int64_t ReservedOn(pb::QuotaCategory c, absl::string_view date) const;
  bool Active() const { return exists && !ceased; }
  // "agency-012 (区委编办)" — how messages name an agency.
  std::string Describe() const;
  // How a refusal in Chinese names the agency: its name, or its id when it has none.
  std::string NameZh() const;
  // How it ceased, in Chinese: 「已并入 xq-zfb」, 「已分设」, 「已撤销」; empty while active.
  std::string CeasedZh() const;

  void Apply(const google::protobuf::Message& event);
  // Keeps lock_changed_on; called with the date `event` takes effect (timeline.h ApplyOn).
  void NoteDate(const google::protobuf::Message& event, absl::string_view date);
};

struct PersonState {
  bool exists = false;
  // As AgencyState::begins_on: the date the person is registered on, when folded as of a
  // date before that.
  std::string begins_on;
  // Changes applied when the person was not in post, or a second registration.
  int64_t stray_events = 0;
  std::string person_id;
  std::string name;
  std::string agency_id;  // where the person is in post; empty after departure
  pb::QuotaCategory category = pb::QUOTA_CATEGORY_UNSPECIFIED;
  std::string post;
  bool departed = false;
  bool is_leader = false;
  pb::Rank leader_rank = pb::RANK_UNSPECIFIED;
  std::string leader_title;

  bool InPost() const { return exists && !departed; }
  void Apply(const google::protobuf::Message& event);
};

struct PowerState {
  bool exists = false;
  // As AgencyState::begins_on: the date the item is catalogued on, when folded as of a date
  // before that.
  std::string begins_on;
  std::string code;
  std::string name;
  pb::PowerCategory category = pb::POWER_CATEGORY_UNSPECIFIED;
  std::string legal_basis;
  std::string holder_agency_id;
  pb::DelegationMode mode = pb::DELEGATION_MODE_UNSPECIFIED;  // unset: held by its department
  // Who passed the item on, most recent last: a return goes back to the last of them.
  // Moves by restructure (RESTRUCTURED) change the holder only and are not listed here.
  std::vector<std::string> passed_from;
  std::vector<pb::DelegationMode> passed_modes;

  void Apply(const google::protobuf::Message& event);
};

struct BudgetState {
  struct Line {
    pb::BudgetLine line;
    int64_t appropriated_fen = 0;
    int64_t adjusted_fen = 0;
    int64_t income_fen = 0;
    int64_t carried_in_fen = 0;
    int64_t disbursed_fen = 0;
    int64_t carried_out_fen = 0;
    // 年初结转 recorded: once per line and year.
    bool opened = false;
    // 年末结转 recorded: the line's year is closed and nothing moves on it any more, so
    // 年初结转 + 本年收入 = 本年支出 + 年末结转 stays true.
    bool closed = false;

    // appropriated + adjustments + income + carried in − disbursed − carried out.
    int64_t Available() const {
      return appropriated_fen + adjusted_fen + income_fen + carried_in_fen - disbursed_fen -
             carried_out_fen;
    }
  };
  struct Project {
    std::string name;
    std::vector<pb::PerformanceIndicator> indicators;
    std::map<std::string, pb::IndicatorActual> actuals;
  };

  std::string agency_id;
  int32_t fiscal_year = 0;
  std::map<std::string, Line> lines;  // LineKey(line) → line
  std::map<std::string, Project> projects;
  std::set<std::string> disbursement_ids;
  // Money moved on a line after its 年末结转, or a second 年初结转.
  int64_t stray_events = 0;

  void Apply(const google::protobuf::Message& event);
};

// A canonical key of a budget line: "fund|function|economic|kind|project".
std::string LineKey(const pb::BudgetLine& line);
// How messages name a line: "一般公共预算 2013601/30201 基本支出".
std::string DescribeLine(const pb::BudgetLine& line);

struct PlanState {
  struct Task {
    std::string agency_id;
    pb::TaskKind kind = pb::TASK_KIND_UNSPECIFIED;
    std::string due_date;
    std::string description;
    bool completed = false;  // by TaskCompleted; automatic completion is a read-model matter
  };

  bool exists = false;
  std::string plan_id;
  std::string title;
  std::string jurisdiction;
  bool approved = false;
  bool closed = false;
  std::map<std::string, Task> tasks;

  void Apply(const google::protobuf::Message& event);
};

// One agency name in one jurisdiction (name-{digest}, rules.h AgencyNameStream): the active
// agencies carrying it. More than one only through a late entry a decision refuses.
// A 用编 notice (notice-{id}: 用编审批).
struct QuotaUseState {
  enum class Status { kNone, kRequested, kApproved, kDeclined, kWithdrawn };
  bool exists = false;
  std::string begins_on;  // as AgencyState::begins_on
  std::string notice_id;
  std::string agency_id;
  pb::QuotaCategory category = pb::QUOTA_CATEGORY_UNSPECIFIED;
  int64_t requested = 0;
  int64_t approved = 0;
  int64_t filled = 0;
  std::string purpose;
  std::string notice_number;
  std::string valid_until;
  Status status = Status::kNone;

  // Vacancies it still reserves (approved, not withdrawn, not yet filled; lapse aside).
  int64_t Remaining() const { return status == Status::kApproved ? approved - filled : 0; }
  // 已申请, 已核准, 不予核准, 已撤回.
  static std::string StatusLabel(Status status);
  void Apply(const google::protobuf::Message& event);
};

// A jurisdiction's settings (jurisdiction-{digest}).
struct JurisdictionState {
  std::string jurisdiction;
  bool notice_required = false;  // 用编审批: a newcomer's registration cites a notice

  void Apply(const google::protobuf::Message& event);
};

struct AgencyNameState {
  std::string jurisdiction;
  std::string name;
  std::set<std::string> holders;  // agency ids

  void Apply(const google::protobuf::Message& event);
};

// Who may do what: the fold of the `security` stream. Small (one entry per principal, one per
// token issued), read whole by reformd at start and by every security decision.
struct SecurityState {
  struct Grant {
    pb::Role role = pb::ROLE_UNSPECIFIED;
    std::string jurisdiction;  // both empty: everywhere
    std::string agency_id;

    // clang-tidy 14 reports the defaulted comparison's literal 0 (modernize-use-nullptr).
    auto operator<=>(const Grant&) const = default;  // NOLINT(modernize-use-nullptr)
  };
  struct Token {
    std::string principal_id;
    std::string sha256;  // 32 bytes
    bool revoked = false;
  };
  struct Principal {
    std::string display_name;
    std::string certificate_cn;
    std::set<Grant> grants;
    std::vector<std::string> token_ids;  // in issue order
    bool disabled = false;
  };

  std::map<std::string, Principal> principals;  // by principal id
  std::map<std::string, Token> tokens;          // by token id

  void Apply(const google::protobuf::Message& event);
};

SecurityState::Grant GrantOf(pb::Role role, const pb::Scope& scope);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_STATES_H_
