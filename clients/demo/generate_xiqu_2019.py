#!/usr/bin/env python3
"""Writes the demo district — 攀枝花市西区 in 2018–2019, made consistent — as command files.

    python3 clients/demo/generate_xiqu_2019.py        # rewrites clients/demo/xiqu-2019/*.jsonl

Each output line is one command, in the order reformd must run it:

    {"service": "reformlog.api.v1.OrgCommands", "method": "EstablishAgency", "request": {...}}

where "request" is the protobuf JSON of the request with its header (document basis, effective
date, plan) but without header.request_id: `reformctl demo load` derives that from the file and
line, so that loading twice records nothing new. DATA.md says where each figure comes from.

Stdlib only and deterministic: the same script writes the same bytes. It keeps a small model of
the district (quotas, people, leader posts, power holders, budget lines) and asserts the rules
reformd will judge (no 超编, people moved never exceed the quota moved, one holder per item, a
closing carry-over equal to what is left, every 决算 identity), so that a mistake in the data is
caught here, with its name, before the server refuses it.
"""

import json
import os
from decimal import Decimal

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xiqu-2019")
JURISDICTION = "西区"
PLAN = "xiqu-2019-reform"

ORG = "reformlog.api.v1.OrgCommands"
STAFFING = "reformlog.api.v1.StaffingCommands"
POWER = "reformlog.api.v1.PowerCommands"
BUDGET = "reformlog.api.v1.BudgetCommands"
REFORM = "reformlog.api.v1.ReformCommands"

ADM = "ADMINISTRATIVE"  # 行政编制
POL = "POLITICS_AND_LAW"  # 政法专项编制
PUB = "PUBLIC_SERVICE"  # 事业编制
SUP = "SUPPORT_STAFF"  # 工勤编制

# Limits of one command (services/domain/*_decide.h); they keep a commit within the store's
# 2000 streams (eventstore/limits.h): one stream per item or person, plus a few agencies.
POWER_ITEMS_PER_COMMAND_MAX = 1000
PERSONS_PER_COMMAND_MAX = 1000

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分


def wan(text):
    """'87.54' (万元, two decimals) → 8754000 fen, exactly."""
    fen = Decimal(text) * FEN_PER_WAN
    assert fen == fen.to_integral_value(), text
    return int(fen)


def fmt_wan(fen):
    return f"{Decimal(fen) / FEN_PER_WAN:.2f}"


class Doc:
    """A document a change rests on (文件依据)."""

    def __init__(self, number, issuer, date, title):
        self.number, self.issuer, self.date, self.title = number, issuer, date, title

    def json(self):
        return {"number": self.number, "issuer": self.issuer, "date": self.date, "title": self.title}


QUWEI = "中共攀枝花市西区委员会"
QUZHENGFU = "攀枝花市西区人民政府"
BIANWEI = "中共攀枝花市西区委员会机构编制委员会"
BIANBAN_NAME = "中共攀枝花市西区区委机构编制委员会办公室"
CAIZHENG = "攀枝花市西区财政局"

# ---------------------------------------------------------------------------------------------
# The documents. Every 文号 is illustrative except 川编办函〔2019〕249号, which the seed names.

DOC_BASELINE = Doc("西编委〔2018〕1号", BIANWEI, "2017-12-28",
                   "关于印发《西区机构编制台账（2018年1月1日）》的通知")
DOC_RETIRE = Doc("西人社〔2019〕12号", "攀枝花市西区人力资源和社会保障局", "2019-01-25",
                 "关于编办工作人员六同志退休的通知")
DOC_LEAVE = Doc("西委组〔2019〕9号", "中共攀枝花市西区委员会组织部", "2019-02-12",
                "关于登记中心工作人员三同志调出的通知")
DOC_PLAN_DRAFT = Doc("西改组〔2019〕1号", "中共攀枝花市西区委员会深化机构改革领导小组", "2019-01-10",
                     "西区深化机构改革领导小组第一次会议纪要")
DOC_PLAN = Doc("攀委〔2019〕26号", "中共攀枝花市委员会", "2019-02-26",
               "关于印发《西区机构改革方案》的通知")
DOC_LOCK = Doc("西编办〔2019〕4号", BIANBAN_NAME, "2019-02-27",
               "关于机构改革期间锁定机构编制和实名制信息的通知")
DOC_REFORM = Doc("西委发〔2019〕5号", QUWEI, "2019-03-04",
                 "关于印发《西区机构改革实施方案》的通知")
DOC_TRANSFER = Doc("西编委〔2019〕2号", BIANWEI, "2019-03-22",
                   "关于机构改革涉及部门人员转隶和编制划转的通知")
DOC_FUNCTIONS = Doc("西编委〔2019〕6号", BIANWEI, "2019-05-15",
                    "关于印发《区属事业单位承担行政职能清单》的通知（2019年区委编委第三次会议）")
DOC_UNLOCK = Doc("西编办〔2019〕19号", BIANBAN_NAME, "2019-07-05",
                 "关于解除机构改革期间机构编制和实名制信息锁定的通知")
DOC_TOWN = Doc("西委发〔2019〕18号", f"{QUWEI} {QUZHENGFU}", "2019-06-19",
               "关于印发《关于深入推进格里坪镇行政管理体制改革的实施方案》的通知")
DOC_POWER_LIST = Doc("西府发〔2019〕12号", QUZHENGFU, "2019-07-15",
                     "关于公布机构改革后区级部门权责清单的通知")
DOC_DELEGATE = Doc("西府发〔2019〕14号", QUZHENGFU, "2019-07-26",
                   "关于向格里坪镇下放区级行政权力事项的决定（92项）")
DOC_CONCENTRATE = Doc("川编办函〔2019〕249号", "中共四川省委机构编制委员会办公室", "2019-08-16",
                      "关于报送市县两级行政审批局和综合行政执法局相对集中行使行政权力事项清单的通知"
                      "（清单经攀枝花市西区人民政府十一届第53次常务会议审议通过）")
DOC_BOUNDARY = Doc("川府民政〔2019〕71号", "四川省人民政府", "2019-12-16",
                   "关于同意攀枝花市西区调整部分街道行政区划的批复")


def mandate_doc(n, agency_name, date):
    return Doc(f"西委办发〔2019〕{n}号", "中共攀枝花市西区委员会办公室 攀枝花市西区人民政府办公室",
               date, f"关于印发《{agency_name}职能配置、内设机构和人员编制规定》的通知")


def appointment_doc(n, date):
    return Doc(f"西委干〔2019〕{n}号", QUWEI, date, "关于机构改革后部门领导班子成员任职的通知")


# ---------------------------------------------------------------------------------------------
# Output: one file per stage, one command a line.


class Out:
    def __init__(self, name):
        self.name = name
        self.lines = []

    def add(self, service, method, body, doc, effective, plan=None):
        header = {"basis": doc.json(), "effective_date": effective}
        if plan:
            header["plan_id"] = plan
        request = {"header": header}
        request.update(body)
        self.lines.append(json.dumps({"service": service, "method": method, "request": request},
                                     ensure_ascii=False, separators=(",", ":")))

    def write(self):
        with open(os.path.join(OUT_DIR, self.name), "w", encoding="utf-8", newline="\n") as f:
            for line in self.lines:
                f.write(line + "\n")


# ---------------------------------------------------------------------------------------------
# The model: what reformd will know, so that the data can be checked before it is sent.


class Agency:
    def __init__(self, agency_id, name, kind):
        self.id, self.name, self.kind = agency_id, name, kind
        self.active = True
        self.quota = {}  # category → count
        self.roster = {}  # person id → category, in registration order
        self.leader_posts = {}  # rank → count
        self.leaders = {}  # person id → rank
        self.divisions = 0
        self.mandate_issued = False
        self.powers = set()

    def in_post(self, category):
        return sum(1 for c in self.roster.values() if c == category)

    def organ(self):
        return self.kind != "PUBLIC_INSTITUTION"


class Model:
    def __init__(self):
        self.agencies = {}
        self.person_agency = {}
        self.power_holder = {}
        self.power_category = {}
        self.power_delegated = {}  # code → mode, for items passed to a town or street

    def agency(self, agency_id):
        a = self.agencies[agency_id]
        assert a.active, f"{agency_id} has ceased"
        return a

    def check_category(self, a, category):
        if category == PUB:
            assert not a.organ(), f"{a.id}: 事业编制 is never used in a 党政机关"
        if category in (ADM, POL):
            assert a.organ(), f"{a.id}: {category} is used only in 党政机关"


M = Model()


def spec(agency_id, name, kind, rank, parent, funding=None, civil_servant=False, role=None):
    s = {"agency_id": agency_id, "name": name, "kind": kind, "rank": rank, "parent_id": parent,
         "jurisdiction": JURISDICTION}
    if funding:
        s["funding_form"] = funding
    if civil_servant:
        s["civil_servant_managed"] = True
    if role:
        s["role"] = role
    return s


def establish(out, s, doc, eff, plan=None):
    assert s["agency_id"] not in M.agencies, s["agency_id"]
    if s.get("parent_id"):
        M.agency(s["parent_id"])
    M.agencies[s["agency_id"]] = Agency(s["agency_id"], s["name"], s["kind"])
    out.add(ORG, "EstablishAgency", {"agency": s}, doc, eff, plan)


def grant(out, agency_id, category, count, doc, eff, plan=None):
    a = M.agency(agency_id)
    M.check_category(a, category)
    a.quota[category] = a.quota.get(category, 0) + count
    out.add(ORG, "GrantQuota", {"agency_id": agency_id, "category": category, "count": count}, doc,
            eff, plan)


def register(out, agency_id, people, doc, eff, plan=None, reason="EXISTING_STAFF"):
    """people: [(person_id, name, category, post)]; reason: their 增员原因 (EntryReason) — the
    demo registers the staff in post when the register begins (首次登记)."""
    assert 0 < len(people) <= PERSONS_PER_COMMAND_MAX
    a = M.agency(agency_id)
    for pid, _, category, _ in people:
        assert pid not in M.person_agency, pid
        a.roster[pid] = category
        M.person_agency[pid] = agency_id
    for category in {c for _, _, c, _ in people}:
        assert a.in_post(category) <= a.quota.get(category, 0), f"{agency_id} {category}: 超编"
    persons = [{"person_id": pid, "name": name, "agency_id": agency_id, "category": category,
                "post": post, "entry_reason": reason} for pid, name, category, post in people]
    out.add(STAFFING, "RegisterPersons", {"persons": persons}, doc, eff, plan)


def depart(out, person_id, reason, note, doc, eff):
    a = M.agency(M.person_agency.pop(person_id))
    del a.roster[person_id]
    out.add(STAFFING, "RecordDeparture", {"person_id": person_id, "reason": reason, "note": note},
            doc, eff)


def transfer_persons(out, source, target, moves, doc, eff, plan=None):
    """moves: {category: (quota, people)} — 编随事走、人随编走."""
    f, t = M.agency(source), M.agency(target)
    person_ids, quotas = [], []
    for category, (quota, people) in moves.items():
        assert people <= quota, f"{source}→{target} {category}: {people} people with quota {quota}"
        M.check_category(t, category)
        movers = [p for p, c in f.roster.items() if c == category and p not in f.leaders][-people:]
        assert len(movers) == people
        staying = f.in_post(category) - people
        assert f.quota.get(category, 0) - quota >= staying, f"{source} {category}: 超编 after"
        f.quota[category] -= quota
        t.quota[category] = t.quota.get(category, 0) + quota
        for p in movers:
            del f.roster[p]
            t.roster[p] = category
            M.person_agency[p] = target
        person_ids += movers
        quotas.append({"category": category, "count": quota})
    assert len(person_ids) <= PERSONS_PER_COMMAND_MAX
    out.add(STAFFING, "TransferPersons", {"from_agency_id": source, "to_agency_id": target,
                                          "person_ids": person_ids, "quotas": quotas}, doc, eff,
            plan)


def move_everything(source, target):
    f, t = M.agency(source), M.agency(target)
    for category, count in f.quota.items():
        M.check_category(t, category)
        t.quota[category] = t.quota.get(category, 0) + count
    for p, c in f.roster.items():
        t.roster[p] = c
        M.person_agency[p] = target
    for code in f.powers:
        M.power_holder[code] = target
    t.powers |= f.powers
    f.active = False


def merge(out, originals, doc, eff, plan=None, new=None, absorbing=None):
    body = {"original_ids": originals}
    if new:
        M.agencies[new["agency_id"]] = Agency(new["agency_id"], new["name"], new["kind"])
        body["new_agency"] = new
        result = new["agency_id"]
    else:
        assert absorbing in originals
        body["absorbing_id"] = absorbing
        result = absorbing
    for o in originals:
        if o != result:
            move_everything(o, result)
    out.add(ORG, "MergeAgencies", body, doc, eff, plan)


def abolish(out, agency_id, successor, reason, doc, eff, plan=None):
    move_everything(agency_id, successor)
    out.add(ORG, "AbolishAgency", {"agency_id": agency_id, "successor_id": successor,
                                   "reason": reason}, doc, eff, plan)


def rename(out, agency_id, new_name, doc, eff, plan=None):
    a = M.agency(agency_id)
    assert a.name != new_name
    a.name = new_name
    out.add(ORG, "RenameAgency", {"agency_id": agency_id, "new_name": new_name}, doc, eff, plan)


def extra_name(out, agency_id, name, doc, eff, plan=None):
    M.agency(agency_id)
    out.add(ORG, "AddExtraName", {"agency_id": agency_id, "name": name}, doc, eff, plan)


def transfer_functions(out, source, target, functions, doc, eff, plan=None):
    M.agency(source), M.agency(target)
    out.add(ORG, "TransferFunctions", {"from_agency_id": source, "to_agency_id": target,
                                       "functions": functions}, doc, eff, plan)


def issue_mandate(out, agency_id, functions, divisions, leader_posts, doc, eff, plan=None):
    """leader_posts: [(rank, count, title)]. The quotas are the agency's as they stand: the
    mandate confirms the quota the reform moved (编制总量不增加)."""
    a = M.agency(agency_id)
    quotas = [{"category": c, "count": n} for c, n in sorted(a.quota.items()) if n > 0]
    for c in set(a.roster.values()):
        assert a.in_post(c) <= a.quota.get(c, 0), f"{agency_id} {c}: 超编 under the mandate"
    a.leader_posts = {rank: count for rank, count, _ in leader_posts}
    a.divisions = len(divisions)
    a.mandate_issued = True
    out.add(ORG, "IssueMandate", {
        "agency_id": agency_id, "functions": functions,
        "divisions": [dict({"division_id": i, "name": n}, **({"extra_names": x} if x else {}))
                      for i, n, x in divisions],
        "quotas": quotas,
        "leader_posts": [{"rank": r, "count": c, "title": t} for r, c, t in leader_posts]},
        doc, eff, plan)


def approve_leader_posts(out, agency_id, leader_posts, doc, eff, plan=None):
    """核定领导职数 ahead of the 三定; leader_posts: [(rank, count, title)]."""
    M.agency(agency_id)
    out.add(ORG, "ApproveLeaderPosts", {
        "agency_id": agency_id,
        "leader_posts": [{"rank": r, "count": c, "title": t} for r, c, t in leader_posts]},
        doc, eff, plan)


def appoint(out, agency_id, person_id, rank, title, doc, eff, plan=None):
    a = M.agency(agency_id)
    assert person_id in a.roster, f"{person_id} is not in post at {agency_id}"
    assert sum(1 for r in a.leaders.values() if r == rank) + 1 <= a.leader_posts.get(rank, 0), \
        f"{agency_id} {rank}: 超职数"
    a.leaders[person_id] = rank
    out.add(STAFFING, "AppointLeader", {"person_id": person_id, "agency_id": agency_id,
                                        "rank": rank, "title": title}, doc, eff, plan)


# ---------------------------------------------------------------------------------------------
# The district in 2018 (the baseline: 机构编制台账 as of 2018-01-01).

SECTION_CHIEF, SECTION_DEPUTY, UNIT_LEVEL, DIVISION_CHIEF = (
    "SECTION_CHIEF", "SECTION_DEPUTY", "UNIT_LEVEL", "DIVISION_CHIEF")
PARTY, GOV, INST, TOWN, SUBDISTRICT = (
    "PARTY_DEPARTMENT", "GOVERNMENT_DEPARTMENT", "PUBLIC_INSTITUTION", "TOWN", "SUBDISTRICT")

COMMITTEE, GOVERNMENT = "xq-committee", "xq-gov"
BIANBAN, CENTER = "xq-bianban", "xq-djzx"
TOWN_ID = "xq-glpz"
ENFORCEMENT, APPROVAL = "xq-zhzfj", "xq-xzspj"

# Departments standing on 2018-01-01: id, name, kind, short name (for demo people's names),
# {category: (quota, people)}.
DEPARTMENTS_2018 = [
    ("xq-qwb", "中共攀枝花市西区委员会办公室", PARTY, "区委办", {ADM: (14, 12)}),
    ("xq-zzb", "中共攀枝花市西区委员会组织部", PARTY, "组织部", {ADM: (12, 11)}),
    ("xq-xcb", "中共攀枝花市西区委员会宣传部", PARTY, "宣传部", {ADM: (9, 8)}),
    ("xq-tzb", "中共攀枝花市西区委员会统一战线工作部", PARTY, "统战部", {ADM: (6, 5)}),
    ("xq-zfw", "中共攀枝花市西区委员会政法委员会", PARTY, "政法委", {ADM: (6, 5)}),
    (BIANBAN, BIANBAN_NAME, PARTY, "编办", {ADM: (6, 6)}),
    ("xq-xcbgs", "中共攀枝花市西区委员会巡察工作领导小组办公室", PARTY, "巡察办", {ADM: (5, 4)}),
    ("xq-jggw", "中共攀枝花市西区直属机关工作委员会", PARTY, "机关工委", {ADM: (4, 4)}),
    ("xq-lgbj", "中共攀枝花市西区委员会老干部局", PARTY, "老干部局", {ADM: (4, 3)}),
    ("xq-zfb", "攀枝花市西区人民政府办公室", GOV, "政府办", {ADM: (14, 13)}),
    ("xq-fgj", "攀枝花市西区发展和改革局", GOV, "发改局", {ADM: (10, 9)}),
    ("xq-jyj", "攀枝花市西区教育局", GOV, "教育局", {ADM: (10, 9)}),
    ("xq-tyj", "攀枝花市西区体育局", GOV, "体育局", {ADM: (3, 3)}),
    ("xq-jxj", "攀枝花市西区经济和信息化局", GOV, "经信局", {ADM: (8, 7)}),
    ("xq-kjj", "攀枝花市西区科学技术局", GOV, "科技局", {ADM: (4, 4)}),
    ("xq-mzj", "攀枝花市西区民政局", GOV, "民政局", {ADM: (10, 9)}),
    ("xq-mzzjj", "攀枝花市西区民族宗教事务局", GOV, "民宗局", {ADM: (3, 3)}),
    ("xq-sfj", "攀枝花市西区司法局", GOV, "司法局", {POL: (6, 6), ADM: (2, 1)}),
    ("xq-fzb", "攀枝花市西区人民政府法制办公室", GOV, "法制办", {ADM: (3, 2)}),
    ("xq-czj", "攀枝花市西区财政局", GOV, "财政局", {ADM: (14, 13)}),
    ("xq-rsj", "攀枝花市西区人力资源和社会保障局", GOV, "人社局", {ADM: (13, 12)}),
    ("xq-zrzyj", "攀枝花市西区国土资源局", GOV, "国土局", {ADM: (8, 7)}),
    ("xq-zjj", "攀枝花市西区住房和城乡规划建设局", GOV, "住建局", {ADM: (10, 9)}),
    ("xq-jtysj", "攀枝花市西区交通运输局", GOV, "交通局", {ADM: (6, 6)}),
    ("xq-nyncj", "攀枝花市西区农牧局", GOV, "农牧局", {ADM: (9, 8)}),
    ("xq-slj", "攀枝花市西区水利局", GOV, "水利局", {ADM: (5, 4)}),
    ("xq-swj", "攀枝花市西区商务和经济合作局", GOV, "商务局", {ADM: (7, 6)}),
    ("xq-wgxj", "攀枝花市西区文化广播电视和新闻出版局", GOV, "文广新局", {ADM: (6, 6)}),
    ("xq-lyj", "攀枝花市西区旅游局", GOV, "旅游局", {ADM: (3, 2)}),
    ("xq-wjj", "攀枝花市西区卫生和计划生育局", GOV, "卫计局", {ADM: (11, 10)}),
    ("xq-yjj", "攀枝花市西区安全生产监督管理局", GOV, "安监局", {ADM: (7, 6)}),
    ("xq-sjj", "攀枝花市西区审计局", GOV, "审计局", {ADM: (6, 5)}),
    ("xq-gszjj", "攀枝花市西区工商行政管理和质量技术监督局", GOV, "工商质监局", {ADM: (14, 13)}),
    ("xq-spyjj", "攀枝花市西区食品药品监督管理局", GOV, "食药监局", {ADM: (6, 6)}),
    ("xq-tjj", "攀枝花市西区统计局", GOV, "统计局", {ADM: (5, 5)}),
    ("xq-cgj", "攀枝花市西区城市管理局", GOV, "城管局", {ADM: (10, 9), SUP: (2, 2)}),
    ("xq-xfj", "攀枝花市西区信访局", GOV, "信访局", {ADM: (5, 4)}),
]

# 事业单位 standing on 2018-01-01 whose administrative functions the 2019 reform moves to
# departments (the seed: 9 家区属事业单位): id, name, parent, short name, (quota, people),
# the receiving department, the function.
INSTITUTIONS_WITH_FUNCTIONS = [
    ("xq-dag", "攀枝花市西区档案馆", "xq-qwb", "档案馆", (6, 5), "xq-qwb", "全区档案工作的行政管理职责"),
    ("xq-jgsw", "攀枝花市西区机关事务服务中心", "xq-zfb", "机关事务中心", (8, 7), "xq-zfb",
     "区级机关事务管理职责"),
    ("xq-jyfw", "攀枝花市西区就业服务管理局", "xq-rsj", "就业局", (6, 6), "xq-rsj",
     "拟订就业创业政策并组织实施的行政职责"),
    ("xq-fwzs", "攀枝花市西区房屋征收管理服务中心", "xq-zjj", "征收中心", (5, 4), "xq-zjj",
     "国有土地上房屋征收与补偿的行政管理职责"),
    ("xq-tzcj", "攀枝花市西区投资促进服务中心", "xq-swj", "投促中心", (5, 4), "xq-swj",
     "投资促进工作的行政管理职责"),
    ("xq-fpkf", "攀枝花市西区扶贫开发服务中心", "xq-nyncj", "扶贫中心", (4, 4), "xq-nyncj",
     "扶贫开发工作的行政管理职责"),
    ("xq-gzfw", "攀枝花市西区国有资产管理服务中心", "xq-czj", "国资中心", (4, 3), "xq-czj",
     "区属国有资产监督管理职责"),
    ("xq-dfz", "攀枝花市西区地方志编纂中心", "xq-zfb", "方志中心", (3, 3), "xq-zfb",
     "地方志工作的行政管理职责"),
    ("xq-tjpc", "攀枝花市西区统计普查中心", "xq-tjj", "普查中心", (4, 4), "xq-tjj",
     "统计调查和普查的组织实施职责"),
]

# The six 街道 before the boundary change; the last is absorbed by the third in December 2019.
SUBDISTRICTS_2018 = [
    ("xq-qxpjd", "攀枝花市西区清香坪街道办事处", "清香坪街道", (14, 13)),
    ("xq-yqjd", "攀枝花市西区玉泉街道办事处", "玉泉街道", (12, 11)),
    ("xq-hmkjd", "攀枝花市西区河门口街道办事处", "河门口街道", (12, 11)),
    ("xq-stjd", "攀枝花市西区苏铁街道办事处", "苏铁街道", (12, 12)),
    ("xq-mshjd", "攀枝花市西区摩梭河街道办事处", "摩梭河街道", (10, 9)),
    ("xq-tjdjd", "攀枝花市西区陶家渡街道办事处", "陶家渡街道", (9, 8)),
]

CHINESE_NUMERALS = "一二三四五六七八九十"


def demo_people(agency_id, short, category, count, start=1, post="科员"):
    """Illustrative people: 财政局干部01 …; the 编办's and the 中心's as the seed counts them."""
    people = []
    for i in range(start, start + count):
        if agency_id == BIANBAN:
            name = f"编办工作人员{CHINESE_NUMERALS[i - 1]}"
        elif agency_id == CENTER:
            name = f"登记中心工作人员{CHINESE_NUMERALS[i - 1]}"
        else:
            name = f"{short}干部{i:02d}"
        people.append((f"{agency_id}-p{i:02d}", name, category, post))
    return people


def baseline(out):
    eff = "2018-01-01"
    establish(out, spec(COMMITTEE, QUWEI, PARTY, DIVISION_CHIEF, ""), DOC_BASELINE, eff)
    establish(out, spec(GOVERNMENT, QUZHENGFU, GOV, DIVISION_CHIEF, ""), DOC_BASELINE, eff)
    staffed = []  # (agency id, short name, {category: (quota, people)}, post)
    for agency_id, name, kind, short, quotas in DEPARTMENTS_2018:
        parent = COMMITTEE if kind == PARTY else GOVERNMENT
        establish(out, spec(agency_id, name, kind, SECTION_CHIEF, parent), DOC_BASELINE, eff)
        staffed.append((agency_id, short, quotas, "科员"))
    establish(out, spec(CENTER, "攀枝花市西区事业单位登记服务中心", INST, UNIT_LEVEL, BIANBAN,
                        funding="FULLY_FUNDED", civil_servant=True), DOC_BASELINE, eff)
    staffed.append((CENTER, "登记中心", {PUB: (3, 3)}, "科员"))
    for agency_id, name, parent, short, (quota, people), _, _ in INSTITUTIONS_WITH_FUNCTIONS:
        establish(out, spec(agency_id, name, INST, UNIT_LEVEL, parent, funding="FULLY_FUNDED"),
                  DOC_BASELINE, eff)
        staffed.append((agency_id, short, {PUB: (quota, people)}, "专业技术人员"))
    establish(out, spec(TOWN_ID, "攀枝花市西区格里坪镇人民政府", TOWN, SECTION_CHIEF, GOVERNMENT),
              DOC_BASELINE, eff)
    staffed.append((TOWN_ID, "格里坪镇", {ADM: (32, 29)}, "科员"))
    for agency_id, name, short, (quota, people) in SUBDISTRICTS_2018:
        establish(out, spec(agency_id, name, SUBDISTRICT, SECTION_CHIEF, GOVERNMENT),
                  DOC_BASELINE, eff)
        staffed.append((agency_id, short, {ADM: (quota, people)}, "科员"))
    for agency_id, short, quotas, post in staffed:
        for category, (quota, _) in quotas.items():
            grant(out, agency_id, category, quota, DOC_BASELINE, eff)
    for agency_id, short, quotas, post in staffed:
        people, start = [], 1
        for category, (_, count) in quotas.items():
            people += demo_people(agency_id, short, category, count, start, post)
            start += count
        register(out, agency_id, people, DOC_BASELINE, eff)


# ---------------------------------------------------------------------------------------------
# The 2019 reform (西区机构改革方案): 35 party and government departments with their 三定.

# Departments after the reform: id, head title, deputy title, divisions [(id, name, extra
# names)], functions. Every one receives a 三定; the order is the order of their 三定 文号.
DEPARTMENTS_2019 = [
    ("xq-qwb", "主任", "副主任",
     [("zhk", "综合科", []), ("dck", "督查科", []), ("xxk", "信息科", []), ("dak", "档案科", [])],
     ["负责区委日常运转和综合协调", "负责区委重大决策部署的督促检查"]),
    ("xq-zzb", "常务副部长", "副部长",
     [("bgs", "办公室", []), ("zzg", "组织股", []), ("gbg", "干部股", []),
      ("gwyg", "公务员管理股", [])],
     ["负责全区党的组织建设和干部队伍建设", "统一管理全区公务员工作"]),
    ("xq-xcb", "常务副部长", "副部长",
     [("bgs", "办公室", []), ("xjg", "宣传教育股", []), ("xwcbg", "新闻出版股", ["区版权股"])],
     ["负责全区理论武装、舆论引导和精神文明建设", "统一管理全区新闻出版和电影工作"]),
    ("xq-tzb", "常务副部长", "副部长",
     [("bgs", "办公室", []), ("tzg", "统战股", []), ("mzzjg", "民族宗教股", [])],
     ["负责全区统一战线工作", "统一领导全区民族宗教工作"]),
    ("xq-zfw", "常务副书记", "副书记",
     [("bgs", "办公室", []), ("zzwwg", "综治维稳股", []), ("zfjdg", "执法监督股", [])],
     ["统筹协调全区政法工作", "负责平安西区建设和社会治安综合治理"]),
    (BIANBAN, "主任", "副主任",
     [("zhg", "综合股", ["区事业单位登记管理局"]), ("jgbzglg", "机构编制管理股", ["督查调研股"])],
     None),  # the seed's ten functions, below
    ("xq-xcbgs", "主任", "副主任", [("zhg", "综合股", []), ("xcglg", "巡察组管理股", [])],
     ["负责区委巡察工作的统筹协调和巡察组日常管理"]),
    ("xq-jggw", "常务副书记", "副书记", [("bgs", "办公室", []), ("zxg", "组织宣传股", [])],
     ["负责区级机关党的建设工作"]),
    ("xq-lgbj", "局长", "副局长", [("zhg", "综合股", []), ("fwglg", "服务管理股", [])],
     ["负责全区离退休干部工作"]),
    ("xq-wxb", "主任", "副主任", [("zhg", "综合股", []), ("wxg", "网络安全和信息化股", [])],
     ["统筹协调全区网络安全和信息化工作"]),
    ("xq-zfb", "主任", "副主任",
     [("msg", "秘书股", []), ("zhg", "综合股", []), ("dcg", "督查股", []),
      ("jgswg", "机关事务股", [])],
     ["负责区政府日常运转和综合协调", "负责区政府重要事项的督促检查"]),
    ("xq-fgj", "局长", "副局长",
     [("bgs", "办公室", []), ("ghg", "规划股", []), ("xmg", "项目股", []),
      ("jglsg", "价格和粮食股", [])],
     ["拟订并组织实施全区国民经济和社会发展规划", "负责全区粮食和物资储备管理"]),
    ("xq-jtj", "局长", "副局长",
     [("bgs", "办公室", []), ("jyg", "基础教育股", []), ("tyg", "体育股", [])],
     ["负责全区教育事业的统筹规划和协调管理", "负责全区群众体育和竞技体育工作"]),
    ("xq-jxkj", "局长", "副局长",
     [("bgs", "办公室", []), ("gyg", "工业股", []), ("kjg", "科技股", [])],
     ["负责全区工业和信息化发展", "负责全区科技创新和科技成果转化"]),
    ("xq-mzj", "局长", "副局长",
     [("bgs", "办公室", []), ("shjzg", "社会救助股", []), ("jczqg", "基层政权股", [])],
     ["负责全区社会救助、社会福利和基层政权建设"]),
    ("xq-sfj", "局长", "副局长",
     [("bgs", "办公室", []), ("fzdcg", "法治督察股", []), ("xzfyg", "行政复议股", [])],
     ["负责全区法治建设的统筹规划", "承担行政复议、行政应诉和规范性文件合法性审查"]),
    ("xq-czj", "局长", "副局长",
     [("bgs", "办公室", []), ("ysg", "预算股", []), ("gkg", "国库股", []),
      ("zcglg", "资产管理股", [])],
     ["负责全区财政收支管理和预算编制执行"]),
    ("xq-rsj", "局长", "副局长",
     [("bgs", "办公室", []), ("jycyg", "就业创业股", []), ("rsglg", "人事管理股", [])],
     ["负责全区人力资源和社会保障工作"]),
    ("xq-zrzyj", "局长", "副局长",
     [("bgs", "办公室", []), ("zyglg", "资源管理股", []), ("ghglg", "规划管理股", [])],
     ["履行全民所有自然资源资产所有者职责和国土空间用途管制职责"]),
    ("xq-zjj", "局长", "副局长",
     [("bgs", "办公室", []), ("jsglg", "建设管理股", []), ("fdcg", "房地产股", [])],
     ["负责全区住房和城乡建设管理"]),
    ("xq-jtysj", "局长", "副局长", [("bgs", "办公室", []), ("ysglg", "运输管理股", [])],
     ["负责全区道路交通运输行业管理"]),
    ("xq-nyncj", "局长", "副局长",
     [("bgs", "办公室", []), ("nyg", "农业股", []), ("xcjsg", "乡村建设股", [])],
     ["统筹实施全区乡村振兴战略", "负责全区农业农村经济发展"]),
    ("xq-slj", "局长", "副局长", [("bgs", "办公室", []), ("sljsg", "水利建设股", [])],
     ["负责全区水资源管理和水利工程建设"]),
    ("xq-swj", "局长", "副局长", [("bgs", "办公室", []), ("smg", "商贸股", []), ("hzg", "合作股", [])],
     ["负责全区商贸流通和对外经济合作"]),
    ("xq-wglj", "局长", "副局长",
     [("bgs", "办公室", []), ("whg", "文化股", []), ("lyg", "旅游股", [])],
     ["负责全区文化、广播电视和旅游事业发展"]),
    ("xq-wjj", "局长", "副局长",
     [("bgs", "办公室", []), ("yzg", "医政股", []), ("gwg", "公共卫生股", [])],
     ["负责全区卫生健康工作", "组织实施全区应对人口老龄化政策措施"]),
    ("xq-tyjrj", "局长", "副局长", [("zhg", "综合股", []), ("yfg", "优抚股", [])],
     ["负责全区退役军人思想政治、管理保障和优抚褒扬工作"]),
    ("xq-yjj", "局长", "副局长",
     [("bgs", "办公室", []), ("yjglg", "应急管理股", []), ("aqscg", "安全生产股", [])],
     ["负责全区应急管理、安全生产综合监督管理和防灾减灾救灾"]),
    ("xq-sjj", "局长", "副局长", [("bgs", "办公室", []), ("sjyg", "审计业务股", [])],
     ["负责全区审计监督"]),
    ("xq-scjgj", "局长", "副局长",
     [("bgs", "办公室", []), ("ztg", "市场主体股", []), ("spaqg", "食品安全股", []),
      ("zlg", "质量标准股", [])],
     ["负责全区市场综合监督管理", "负责全区食品药品安全和质量技术监督管理"]),
    ("xq-tjj", "局长", "副局长", [("zhg", "综合股", []), ("zyg", "专业统计股", [])],
     ["负责全区统计调查和统计监督"]),
    ("xq-ybj", "局长", "副局长", [("zhg", "综合股", []), ("ybglg", "医保管理股", [])],
     ["负责全区医疗保障、医疗救助和医药价格管理"]),
    (ENFORCEMENT, "局长", "副局长",
     [("bgs", "办公室", []), ("fzg", "法制股", []), ("zfddg", "执法督导股", [])],
     ["相对集中行使全区行政处罚权及相关行政强制权", "负责城市管理综合执法"]),
    (APPROVAL, "局长", "副局长",
     [("bgs", "办公室", []), ("spg", "审批股", []), ("zwfwg", "政务服务股", [])],
     ["相对集中行使全区行政许可权", "负责全区政务服务和“一窗受理”"]),
    ("xq-xfj", "局长", "副局长", [("zhg", "综合股", []), ("dbg", "督办股", [])],
     ["负责全区信访工作"]),
]

# The seed's ten functions of the 编办 (第一部分 一、（一）), as its 三定 lists them.
BIANBAN_FUNCTIONS = [
    "贯彻执行中央、省、市行政管理体制改革和机构改革、事业单位改革及机构编制管理的方针政策和法律法规，制定相关政策并监督实施。",
    "研究拟订全区行政管理体制改革和机构改革方案，审核区级各部门“三定”规定以及乡（镇）机构改革方案，评估改革效果。参与行政审批制度改革和行政区划调整的有关工作。",
    "拟订全区各级行政编制、政法专项编制总额分配方案。负责全区行政事业编制总量控制和机关事业单位机构编制实名制管理工作，建立健全机构编制管理联动机制，会同有关部门严格控制财政供养人员。对全区机关事业单位使用空缺编制补充人员进行核批。",
    "负责区委、区政府各部门，区人大、区政协机关，区法院、区检察院机关，工商联和群团机关以及其他行政机构的机构编制管理工作。",
    "拟订全区事业单位改革方案及相关配套政策，审核区属事业单位机构编制方案，评估改革效果。负责区属事业单位的机构编制管理工作。负责拟参照公务员法管理事业单位机构编制事项的审核工作。",
    "监督检查全区各级行政管理体制改革和机构改革方案及机构编制规定执行情况，建立机构编制工作考核评估制度，会同有关部门查处机构编制违法违纪行为。",
    "负责行政管理体制、机构改革及机构编制的理论研究和信息传递、交流工作，负责机构编制的统计工作。",
    "负责市委机构编制委员会及其办公室下达有关部门专项编制的分配和管理工作。",
    "监督检查全区事业单位登记管理工作。",
    "承办区委、区政府和区委编委交办的其他工作。",
]

NEW_AGENCIES_2019 = [
    spec("xq-wxb", "中共攀枝花市西区委员会网络安全和信息化委员会办公室", PARTY, SECTION_CHIEF,
         COMMITTEE),
    spec("xq-tyjrj", "攀枝花市西区退役军人事务局", GOV, SECTION_CHIEF, GOVERNMENT),
    spec("xq-ybj", "攀枝花市西区医疗保障局", GOV, SECTION_CHIEF, GOVERNMENT),
    spec(ENFORCEMENT, "攀枝花市西区综合行政执法局", GOV, SECTION_CHIEF, GOVERNMENT,
         role="COMPREHENSIVE_ENFORCEMENT"),
    spec(APPROVAL, "攀枝花市西区行政审批局", GOV, SECTION_CHIEF, GOVERNMENT,
         role="ADMINISTRATIVE_APPROVAL"),
]

# A + B → C (2019 mergers).
MERGERS_2019 = [
    (["xq-jxj", "xq-kjj"], spec("xq-jxkj", "攀枝花市西区经济信息化和科学技术局", GOV, SECTION_CHIEF,
                                GOVERNMENT)),
    (["xq-gszjj", "xq-spyjj"], spec("xq-scjgj", "攀枝花市西区市场监督管理局", GOV, SECTION_CHIEF,
                                    GOVERNMENT)),
    (["xq-wgxj", "xq-lyj"], spec("xq-wglj", "攀枝花市西区文化广播电视和旅游局", GOV, SECTION_CHIEF,
                                 GOVERNMENT)),
    (["xq-jyj", "xq-tyj"], spec("xq-jtj", "攀枝花市西区教育和体育局", GOV, SECTION_CHIEF,
                                GOVERNMENT)),
]
# A + B → B (absorptions) and the name the absorbing body carries afterwards (挂牌), if any.
ABSORPTIONS_2019 = [
    (["xq-fzb", "xq-sfj"], "xq-sfj", "中共攀枝花市西区委员会全面依法治区委员会办公室"),
    (["xq-mzzjj", "xq-tzb"], "xq-tzb", "攀枝花市西区民族宗教事务局"),
]
RENAMES_2019 = [
    ("xq-zrzyj", "攀枝花市西区自然资源局"),
    ("xq-zjj", "攀枝花市西区住房和城乡建设局"),
    ("xq-nyncj", "攀枝花市西区农业农村局"),
    ("xq-wjj", "攀枝花市西区卫生健康局"),
    ("xq-yjj", "攀枝花市西区应急管理局"),
]
# 人员转隶 into the new departments, with their quota: target, source, {category: (quota, people)}.
TRANSFERS_2019 = [
    ("xq-wxb", "xq-xcb", {ADM: (2, 2)}),
    ("xq-tyjrj", "xq-mzj", {ADM: (2, 2)}),
    ("xq-tyjrj", "xq-rsj", {ADM: (2, 1)}),
    ("xq-ybj", "xq-rsj", {ADM: (3, 3)}),
    ("xq-ybj", "xq-wjj", {ADM: (2, 1)}),
    ("xq-ybj", "xq-mzj", {ADM: (1, 1)}),
    (ENFORCEMENT, "xq-zjj", {ADM: (2, 1)}),
    (ENFORCEMENT, "xq-scjgj", {ADM: (2, 2)}),
    (ENFORCEMENT, "xq-wglj", {ADM: (1, 1)}),
    (ENFORCEMENT, "xq-nyncj", {ADM: (1, 1)}),
    (APPROVAL, "xq-fgj", {ADM: (2, 1)}),
    (APPROVAL, "xq-scjgj", {ADM: (3, 3)}),
    (APPROVAL, "xq-zjj", {ADM: (1, 1)}),
    (APPROVAL, "xq-jtysj", {ADM: (1, 1)}),
    (APPROVAL, "xq-wjj", {ADM: (1, 1)}),
]

# Tasks of the plan per new or reshaped department (DOMAIN.md §6): which of 挂牌, 班子到位,
# 人员转隶 apply (三定印发 applies to all 35).
TASK_DUE = {"HANG_NAMEPLATE": "2019-03-05", "LEADERSHIP_IN_PLACE": "2019-03-20",
            "STAFF_TRANSFER": "2019-03-31", "MANDATE_ISSUED": "2019-06-30"}
TASK_SUFFIX = {"HANG_NAMEPLATE": "guapai", "LEADERSHIP_IN_PLACE": "banzi",
               "STAFF_TRANSFER": "zhuanli", "MANDATE_ISSUED": "sanding"}


def new_department_tasks():
    """id → task kinds, for the departments the reform creates or reshapes."""
    tasks = {}
    full = ["HANG_NAMEPLATE", "LEADERSHIP_IN_PLACE", "STAFF_TRANSFER", "MANDATE_ISSUED"]
    for s in NEW_AGENCIES_2019:
        tasks[s["agency_id"]] = full
    for _, s in MERGERS_2019:
        tasks[s["agency_id"]] = full
    for _, absorbing, _ in ABSORPTIONS_2019:
        tasks[absorbing] = full
    for agency_id, _ in RENAMES_2019:  # a new nameplate, no one moves
        tasks[agency_id] = ["HANG_NAMEPLATE", "LEADERSHIP_IN_PLACE", "MANDATE_ISSUED"]
    return tasks


def add_task(out, agency_id, kind, eff, description):
    name = M.agencies[agency_id].name
    out.add(REFORM, "AddTask", {
        "plan_id": PLAN, "task_id": f"{agency_id}-{TASK_SUFFIX[kind]}", "agency_id": agency_id,
        "kind": kind, "due_date": TASK_DUE[kind], "description": f"{name}：{description}"},
        DOC_PLAN, eff, PLAN)


TASK_DESCRIPTION = {"HANG_NAMEPLATE": "挂牌", "LEADERSHIP_IN_PLACE": "负责人和班子组建到位",
                    "STAFF_TRANSFER": "人员转隶", "MANDATE_ISSUED": "“三定”规定印发"}


def reform_2019(out):
    # Two fewer people at the 编办 before the reform (the seed: 减少了2名工作人员).
    depart(out, f"{BIANBAN}-p06", "RETIRED", "退休", DOC_RETIRE, "2019-01-31")
    depart(out, f"{CENTER}-p03", "TRANSFERRED_OUT", "调出西区", DOC_LEAVE, "2019-02-15")

    out.add(REFORM, "DraftPlan", {"plan_id": PLAN, "title": "西区机构改革方案",
                                  "jurisdiction": JURISDICTION}, DOC_PLAN_DRAFT, "2019-01-10")
    out.add(REFORM, "ApprovePlan", {"plan_id": PLAN}, DOC_PLAN, "2019-02-26")
    tasks = new_department_tasks()
    for agency_id, *_ in DEPARTMENTS_2019:
        if agency_id not in tasks and agency_id in M.agencies:
            add_task(out, agency_id, "MANDATE_ISSUED", "2019-02-26", "“三定”规定印发")

    # 锁定: nothing changes in the departments except through the plan until it is carried out.
    locked = [a.id for a in M.agencies.values() if a.active and a.kind in (PARTY, GOV)
              and a.id not in (COMMITTEE, GOVERNMENT)]
    out.add(STAFFING, "LockRecords", {"agency_ids": locked}, DOC_LOCK, "2019-02-27", PLAN)

    eff = "2019-03-05"  # 挂牌
    transfer_functions(out, "xq-wgxj", "xq-xcb", ["新闻出版管理职责", "电影管理职责"], DOC_REFORM,
                       eff, PLAN)
    extra_name(out, "xq-xcb", "攀枝花市西区新闻出版局（版权局）", DOC_REFORM, eff, PLAN)
    extra_name(out, "xq-zzb", "攀枝花市西区公务员局", DOC_REFORM, eff, PLAN)
    for s in NEW_AGENCIES_2019:
        establish(out, s, DOC_REFORM, eff, PLAN)
    for originals, s in MERGERS_2019:
        merge(out, originals, DOC_REFORM, eff, PLAN, new=s)
    for originals, absorbing, name in ABSORPTIONS_2019:
        merge(out, originals, DOC_REFORM, eff, PLAN, absorbing=absorbing)
        if name:
            extra_name(out, absorbing, name, DOC_REFORM, eff, PLAN)
    abolish(out, "xq-cgj", ENFORCEMENT, "职责、编制和人员整体划入区综合行政执法局", DOC_REFORM,
            eff, PLAN)
    for agency_id, name in RENAMES_2019:
        rename(out, agency_id, name, DOC_REFORM, eff, PLAN)
    for agency_id, kinds in tasks.items():
        for kind in kinds:
            add_task(out, agency_id, kind, eff, TASK_DESCRIPTION[kind])

    # 人员转隶 on 2019-03-25, except that a body set up empty takes its first people — its
    # leaders-to-be — with 班子到位 on 2019-03-12, on the appointment document.
    for target, source, moves in TRANSFERS_2019:
        if len(M.agency(target).roster) < 2:
            transfer_persons(out, source, target, moves, appointment_doc(8, "2019-03-12"),
                             "2019-03-12", PLAN)
        else:
            transfer_persons(out, source, target, moves, DOC_TRANSFER, "2019-03-25", PLAN)

    for agency_id, _, _, _, _, target, function in INSTITUTIONS_WITH_FUNCTIONS:
        transfer_functions(out, agency_id, target, [function], DOC_FUNCTIONS, "2019-05-15", PLAN)
    received = {}
    for _, _, _, _, _, target, function in INSTITUTIONS_WITH_FUNCTIONS:
        received.setdefault(target, []).append(function)
    received.setdefault("xq-xcb", []).extend(["新闻出版管理职责", "电影管理职责"])

    # 三定: 35 departments, from late May to the end of June.
    assert len(DEPARTMENTS_2019) == 35
    dates = ["2019-05-24", "2019-05-31", "2019-06-14", "2019-06-21", "2019-06-28"]
    posts = {}
    for i, (agency_id, head, deputy, divisions, functions) in enumerate(DEPARTMENTS_2019):
        a = M.agency(agency_id)
        assert a.kind in (PARTY, GOV), agency_id
        if functions is None:
            functions = BIANBAN_FUNCTIONS
        functions = functions + received.get(agency_id, [])
        deputies = 3 if sum(a.quota.values()) >= 10 else 2 if sum(a.quota.values()) >= 4 else 1
        posts[agency_id] = [(SECTION_CHIEF, 1, head), (SECTION_DEPUTY, deputies, deputy)]
        issue_mandate(out, agency_id, functions, divisions, posts[agency_id],
                      mandate_doc(30 + i, a.name, dates[i * len(dates) // 35]),
                      dates[i * len(dates) // 35], PLAN)

    # 班子到位, with the date the leaders took office: March for the new departments (the
    # plan's 班子到位), July for the others (re-appointed under the new 三定). The new
    # departments' leader posts are the plan's (核定领导职数, effective with the 挂牌), which
    # their 三定 later confirm: recorded here, after the 三定 in the file, they are late entries
    # that reformd checks against every later date.
    for agency_id, head, deputy, _, _ in DEPARTMENTS_2019:
        a = M.agency(agency_id)
        first, second = list(a.roster)[:2]
        new = agency_id in tasks
        if new:
            approve_leader_posts(out, agency_id, posts[agency_id], DOC_REFORM, "2019-03-05", PLAN)
        eff, doc = ("2019-03-12", appointment_doc(8, "2019-03-12")) if new else \
            ("2019-07-01", appointment_doc(41, "2019-07-01"))
        appoint(out, agency_id, first, SECTION_CHIEF, head, doc, eff, PLAN)
        appoint(out, agency_id, second, SECTION_DEPUTY, deputy, doc, eff, PLAN)

    out.add(STAFFING, "UnlockRecords", {"agency_ids": locked}, DOC_UNLOCK, "2019-07-05", PLAN)


# ---------------------------------------------------------------------------------------------
# 格里坪镇: 8 综合办事机构 and 5 事业单位 (the seed: 第一部分 3.).

TOWN_DIVISIONS = [
    ("dzbgs", "党政综合办公室"), ("jcdjb", "基层党建办公室"), ("jjfzb", "经济发展办公室"),
    ("gggl", "公共管理办公室"), ("ggfw", "公共服务办公室"), ("ggaq", "公共安全办公室"),
    ("shzl", "社会治理办公室"), ("zhzf", "综合行政执法办公室"),
]
TOWN_INSTITUTIONS = [  # id, name, rank (one 主要负责人 at 副科级), short, (quota, people)
    ("xq-glpz-dqfw", "攀枝花市西区格里坪镇党群服务中心", SECTION_DEPUTY, "党群中心", (6, 5)),
    ("xq-glpz-bmfw", "攀枝花市西区格里坪镇便民服务中心", UNIT_LEVEL, "便民中心", (5, 4)),
    ("xq-glpz-nyfw", "攀枝花市西区格里坪镇农业农村服务中心", UNIT_LEVEL, "农服中心", (5, 4)),
    ("xq-glpz-shsy", "攀枝花市西区格里坪镇社会事业服务中心", UNIT_LEVEL, "社事中心", (5, 4)),
    ("xq-glpz-tyjr", "攀枝花市西区格里坪镇退役军人服务站", UNIT_LEVEL, "退役服务站", (2, 2)),
]


def town_2019(out):
    eff = "2019-06-19"
    issue_mandate(out, TOWN_ID,
                  ["负责基层党建、公共管理、公共服务、公共安全等基本职能",
                   "承接区级部门下放的行政权力事项"],
                  [(i, n, []) for i, n in TOWN_DIVISIONS],
                  [(SECTION_CHIEF, 2, "党委书记、镇长"), (SECTION_DEPUTY, 6, "党委副书记、副镇长")],
                  DOC_TOWN, eff)
    for agency_id, name, rank, short, (quota, people) in TOWN_INSTITUTIONS:
        establish(out, spec(agency_id, name, INST, rank, TOWN_ID, funding="FULLY_FUNDED"), DOC_TOWN,
                  eff)
        grant(out, agency_id, PUB, quota, DOC_TOWN, eff)
        register(out, agency_id, demo_people(agency_id, short, PUB, people, post="工作人员"),
                 DOC_TOWN, eff)


# ---------------------------------------------------------------------------------------------
# Powers (权力清单): catalogued under the departments after their 三定, then 92 items delegated
# to 格里坪镇, 724 penalty items concentrated in the 综合行政执法局 and 174 licensing items in
# the 行政审批局. Item names are illustrative ("…事项第037项（示例）").

CATEGORY_CODE = {"LICENSING": "XK", "PENALTY": "CF", "COERCION": "QZ", "LEVY": "ZS",
                 "BENEFIT": "GF", "INSPECTION": "JC", "CONFIRMATION": "QR", "AWARD": "JL",
                 "ADJUDICATION": "CJ", "OTHER_POWER": "QT"}
CATEGORY_LABEL = {"LICENSING": "行政许可", "PENALTY": "行政处罚", "COERCION": "行政强制",
                  "LEVY": "行政征收", "BENEFIT": "行政给付", "INSPECTION": "行政检查",
                  "CONFIRMATION": "行政确认", "AWARD": "行政奖励", "ADJUDICATION": "行政裁决",
                  "OTHER_POWER": "其他行政权力"}
PENALTY_ITEMS, LICENSING_ITEMS, DELEGATED_ITEMS = 724, 174, 92

# department: (field, legal basis, penalty items to the 执法局, licensing items to the 审批局,
#              items delegated to 格里坪镇 {category: n}, items the department keeps {category: n})
POWER_PROFILE = {
    "xq-scjgj": ("市场监管", "《中华人民共和国食品安全法》《中华人民共和国产品质量法》等", 210, 20,
                 {"PENALTY": 2, "INSPECTION": 4}, {"INSPECTION": 12, "COERCION": 6}),
    "xq-zjj": ("住房城乡建设", "《中华人民共和国建筑法》《中华人民共和国城乡规划法》等", 96, 28,
               {"LICENSING": 3, "PENALTY": 4, "INSPECTION": 3}, {"INSPECTION": 8}),
    "xq-nyncj": ("农业农村", "《中华人民共和国农业法》《中华人民共和国动物防疫法》等", 88, 20,
                 {"LICENSING": 4, "PENALTY": 4, "BENEFIT": 3, "INSPECTION": 3}, {"INSPECTION": 6}),
    "xq-wjj": ("卫生健康", "《中华人民共和国基本医疗卫生与健康促进法》《医疗机构管理条例》等", 70, 22,
               {"LICENSING": 2, "PENALTY": 2, "INSPECTION": 2, "OTHER_POWER": 2},
               {"INSPECTION": 6}),
    "xq-wglj": ("文化旅游", "《中华人民共和国旅游法》《娱乐场所管理条例》等", 62, 16,
                {"PENALTY": 2, "INSPECTION": 2}, {"INSPECTION": 4}),
    "xq-jtysj": ("交通运输", "《中华人民共和国公路法》《中华人民共和国道路运输条例》等", 54, 18,
                 {"PENALTY": 2, "INSPECTION": 2}, {"INSPECTION": 4}),
    "xq-zrzyj": ("自然资源", "《中华人民共和国土地管理法》《中华人民共和国矿产资源法》等", 48, 0,
                 {"PENALTY": 4, "INSPECTION": 2, "CONFIRMATION": 2}, {"CONFIRMATION": 6}),
    "xq-yjj": ("应急管理", "《中华人民共和国安全生产法》《中华人民共和国消防法》等", 34, 0,
               {"PENALTY": 2, "INSPECTION": 4}, {"INSPECTION": 8}),
    "xq-slj": ("水利", "《中华人民共和国水法》《中华人民共和国防洪法》等", 32, 8,
               {"LICENSING": 2, "PENALTY": 2, "INSPECTION": 2}, {"INSPECTION": 4}),
    "xq-swj": ("商务", "《中华人民共和国对外贸易法》《成品油市场管理办法》等", 18, 6, {},
               {"INSPECTION": 3}),
    "xq-jtj": ("教育体育", "《中华人民共和国教育法》《中华人民共和国体育法》等", 12, 12, {},
               {"INSPECTION": 4, "AWARD": 2}),
    "xq-fgj": ("发展改革", "《中华人民共和国价格法》《企业投资项目核准和备案管理条例》等", 0, 14, {},
               {"CONFIRMATION": 4, "INSPECTION": 3}),
    "xq-mzj": ("民政", "《社会救助暂行办法》《社会团体登记管理条例》等", 0, 10,
               {"BENEFIT": 6, "CONFIRMATION": 4, "OTHER_POWER": 2}, {"BENEFIT": 4}),
    "xq-rsj": ("人力资源社会保障", "《中华人民共和国劳动法》《中华人民共和国社会保险法》等", 0, 0,
               {"BENEFIT": 4, "CONFIRMATION": 4, "OTHER_POWER": 2}, {"INSPECTION": 4}),
    "xq-ybj": ("医疗保障", "《中华人民共和国社会保险法》《医疗保障基金使用监督管理条例》等", 0, 0,
               {"BENEFIT": 2, "CONFIRMATION": 2}, {"INSPECTION": 3}),
    "xq-czj": ("财政", "《中华人民共和国预算法》《中华人民共和国会计法》等", 0, 0, {},
               {"INSPECTION": 4, "LEVY": 2}),
    "xq-tjj": ("统计", "《中华人民共和国统计法》等", 0, 0, {}, {"INSPECTION": 3}),
    "xq-sfj": ("司法行政", "《中华人民共和国行政复议法》《中华人民共和国律师法》等", 0, 0, {},
               {"ADJUDICATION": 2, "INSPECTION": 2}),
}


def powers_2019(out):
    assert sum(p[2] for p in POWER_PROFILE.values()) == PENALTY_ITEMS
    assert sum(p[3] for p in POWER_PROFILE.values()) == LICENSING_ITEMS
    assert sum(sum(p[4].values()) for p in POWER_PROFILE.values()) == DELEGATED_ITEMS
    plan = {}  # department → (penalty codes, licensing codes, {mode: delegated codes})
    for agency_id, (field, basis, penalty, licensing, delegated, kept) in POWER_PROFILE.items():
        M.agency(agency_id)
        short = agency_id.removeprefix("xq-").upper()
        numbers = {}
        items = []

        def item(category):
            numbers[category] = numbers.get(category, 0) + 1
            code = f"XQ-{short}-{CATEGORY_CODE[category]}-{numbers[category]:03d}"
            items.append({"code": code, "name": f"{field}领域{CATEGORY_LABEL[category]}事项第"
                                               f"{numbers[category]:03d}项（示例）",
                          "category": category, "legal_basis": basis,
                          "holder_agency_id": agency_id})
            M.power_holder[code] = agency_id
            M.power_category[code] = category
            return code

        to_enforcement = [item("PENALTY") for _ in range(penalty)]
        to_approval = [item("LICENSING") for _ in range(licensing)]
        to_town = {"DIRECT": [], "ENTRUSTED": []}
        for category, n in delegated.items():
            # 委托下放 for licensing and penalty (the town acts in the department's name);
            # 直接下放 for the rest.
            mode = "ENTRUSTED" if category in ("LICENSING", "PENALTY") else "DIRECT"
            to_town[mode] += [item(category) for _ in range(n)]
        for category, n in kept.items():
            for _ in range(n):
                item(category)
        assert len(items) <= POWER_ITEMS_PER_COMMAND_MAX
        out.add(POWER, "CatalogPowers", {"items": items}, DOC_POWER_LIST, "2019-07-15")
        plan[agency_id] = (to_enforcement, to_approval, to_town)

    for agency_id, (_, _, to_town) in plan.items():
        for mode in ("DIRECT", "ENTRUSTED"):
            if to_town[mode]:
                for code in to_town[mode]:
                    assert M.power_holder[code] == agency_id
                    M.power_holder[code] = TOWN_ID
                    M.power_delegated[code] = mode
                out.add(POWER, "DelegatePowers", {"codes": to_town[mode], "from_agency_id": agency_id,
                                                  "to_agency_id": TOWN_ID, "mode": mode},
                        DOC_DELEGATE, "2019-08-01")
    for agency_id, (to_enforcement, to_approval, _) in plan.items():
        for codes, bureau in ((to_enforcement, ENFORCEMENT), (to_approval, APPROVAL)):
            if codes:
                assert len(codes) <= POWER_ITEMS_PER_COMMAND_MAX
                for code in codes:
                    M.power_holder[code] = bureau
                out.add(POWER, "ConcentratePowers", {"codes": codes, "to_agency_id": bureau},
                        DOC_CONCENTRATE, "2019-12-01")

    held = lambda holder, category=None: sum(  # noqa: E731
        1 for code, h in M.power_holder.items()
        if h == holder and (category is None or M.power_category[code] == category))
    assert held(TOWN_ID) == DELEGATED_ITEMS
    assert held(ENFORCEMENT, "PENALTY") == held(ENFORCEMENT) == PENALTY_ITEMS
    assert held(APPROVAL, "LICENSING") == held(APPROVAL) == LICENSING_ITEMS


def subdistricts_2019(out):
    # 行政区划调整: six 街道 become five (the seed: 6 before, 5 after).
    merge(out, ["xq-tjdjd", "xq-hmkjd"], DOC_BOUNDARY, "2019-12-20", absorbing="xq-hmkjd")
    standing = [a for a in M.agencies.values() if a.active and a.kind == SUBDISTRICT]
    assert len(standing) == 5


# ---------------------------------------------------------------------------------------------
# The 编办's budgets (预算/决算), 2018 and 2019, in 万元 as the seed writes them.

GENERAL, FUND, OTHER = "GENERAL_PUBLIC_BUDGET", "GOVERNMENT_FUND", "OTHER_INCOME"

ECONOMIC_LABEL = {
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费", "30113": "住房公积金", "30201": "办公费", "30211": "差旅费",
    "30215": "会议费", "30227": "委托业务费", "30228": "工会经费", "30229": "福利费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出", "302": "商品和服务支出",
}

# Basic lines (一般公共预算, 基本支出): function, economic, (2018 disbursed, 2019 disbursed).
# 2013601 is the 编办机关 (行政运行), 2013650 the 登记服务中心 (事业运行).
BASIC_LINES = [
    ("2013601", "30101", "22.50", "20.24"),
    ("2013601", "30102", "51.76", "46.44"),
    ("2013601", "30103", "5.67", "5.15"),
    ("2013601", "30109", "1.30", "1.15"),
    ("2013601", "30112", "0.35", "0.32"),
    ("2013601", "30201", "7.47", "7.42"),
    ("2013601", "30211", "1.05", "0.96"),
    ("2013601", "30228", "0.74", "0.67"),
    ("2013601", "30229", "0.12", "0.10"),
    ("2013601", "30239", "5.05", "5.09"),
    ("2013650", "30101", "3.30", "2.95"),
    ("2013650", "30102", "7.60", "6.84"),
    ("2013650", "30103", "0.85", "0.75"),
    ("2013650", "30201", "0.65", "0.55"),
    ("2080505", "30108", "10.14", "9.12"),
    ("2101101", "30110", "7.05", "6.29"),
    ("2101102", "30110", "0.82", "0.74"),
    ("2101103", "30111", "0.70", "0.63"),
    ("2210201", "30113", "11.07", "10.29"),
]
# 年初结转 and 年末结转 of the basic lines (一般公共预算): (function, economic) → 万元.
OPENING = {2018: {("2013601", "30102"): "9.86"}, 2019: {("2013601", "30102"): "12.18"}}
CLOSING = {2018: {("2013601", "30102"): "12.18"}, 2019: {("2013601", "30201"): "0.25"}}

# The three projects (政府性基金预算, 2120802), allocated in December 2018 and carried into 2019.
# id, name, [(economic, budget, executed in 2019, [(amount, date, purpose)])].
PROJECTS = [
    ("jgbz-dagf", "机构编制档案规范化建设专项经费",
     [("30201", "0.20", [("0.20", "2019-05-20", "订阅规范汇编和书籍资料、采购文具材料")])]),
    ("jgbz-hcsmz", "机构编制核查及实名制系统维护专项经费",
     [("30227", "0.30", [("0.30", "2019-10-15", "机构编制核查及实名制系统维护")])]),
    ("jggg-ywf", "机构改革业务费",
     [("30215", "1.00", [("0.95", "2019-03-01", "机构改革动员会")]),
      ("30299", "1.50", [("0.80", "2019-04-26", "机构改革调研"),
                         ("0.62", "2019-11-22", "机构改革方案编制和“三定”评估")])]),
]
FUND_FUNCTION = "2120802"


def indicators(project_id):
    """The seed's 项目绩效目标完成情况表, per project: (definition, actual)."""
    def numeric(iid, level1, level2, name, op, target, unit, actual, text=""):
        d = {"indicator_id": iid, "level1": level1, "level2": level2, "name": name, "op": op,
             "target_milli": int(Decimal(target) * 1000), "unit": unit}
        a = {"indicator_id": iid, "actual_milli": int(Decimal(actual) * 1000)}
        if text:
            a["actual_text"] = text
        return d, a

    def text(iid, level1, level2, name, target, actual):
        return ({"indicator_id": iid, "level1": level1, "level2": level2, "name": name,
                 "op": "QUALITATIVE", "target_text": target},
                {"indicator_id": iid, "actual_text": actual, "met": True})

    OUT, BEN, SAT = "OUTPUT_INDICATORS", "BENEFIT_INDICATORS", "SATISFACTION_INDICATORS"
    deadline = text("shixiao", OUT, "TIMELINESS", "完成时间", "2019年12月31日前", "2019年12月31日前")
    satisfied = numeric("manyidu", SAT, "SERVICE_RECIPIENT", "服务对象满意度", "AT_LEAST", "100",
                        "%", "100")
    if project_id == "jgbz-dagf":
        goal = "确保全区机构编制档案文件规范可查，确保各类机构历史沿革有迹可循。"
        return [
            numeric("peixun", OUT, "QUANTITY", "开展业务学习培训", "AT_LEAST", "1", "次", "1"),
            text("caigou", OUT, "QUANTITY", "订阅相关规范汇编和书籍资料，采购相应文具材料",
                 "订阅相关规范汇编和书籍资料，采购相应文具材料。",
                 "订阅相关规范汇编和书籍资料，采购相应文具材料130余份。"),
            text("zhiliang", OUT, "QUALITY", "档案规范可查", goal, goal),
            deadline,
            numeric("chengben", OUT, "COST", "项目成本", "AT_MOST", "0.2", "万元", "0.2"),
            text("shehui", BEN, "SOCIAL", "社会效益", goal,
                 goal + "为各项重点工作、各项检查提供重要依据。"),
            satisfied,
        ]
    if project_id == "jgbz-hcsmz":
        return [
            numeric("hecha", OUT, "QUANTITY", "开展全年机构编制核查", "AT_LEAST", "1", "次", "1"),
            numeric("peixun", OUT, "QUANTITY", "对全区开展业务培训", "AT_LEAST", "1", "次", "1"),
            numeric("shimingzhi", OUT, "QUANTITY", "修改实名制数据", "AT_LEAST", "1000", "人次",
                    "1500"),
            text("zhiliang", OUT, "QUALITY", "牵头工作完成情况", "确保完成牵头开展的各项工作",
                 "全面完成牵头开展的各项工作"),
            deadline,
            numeric("chengben", OUT, "COST", "项目成本", "AT_MOST", "0.3", "万元", "0.3"),
            text("shehui", BEN, "SOCIAL", "社会效益", "确保全区机构编制核查及实名制系统维护顺利完成",
                 "维护了全区机构编制纪律"),
            satisfied,
        ]
    assert project_id == "jggg-ywf"
    return [
        numeric("diaoyan", OUT, "QUANTITY", "开展机构改革调研", "AT_LEAST", "10", "次", "20",
                "20余次"),
        numeric("dongyuan", OUT, "QUANTITY", "牵头召开机构改革动员会", "AT_LEAST", "1", "次", "1"),
        numeric("fangan", OUT, "QUANTITY", "形成机构改革方案", "EQUAL", "1", "份", "1"),
        text("zhiliang", OUT, "QUALITY", "机构改革方案质量",
             "开展机构改革调研10次以上，牵头召开机构改革动员会，形成机构改革方案。",
             "开展机构改革调研20余次，牵头召开机构改革动员会1次，形成机构改革方案1份。"),
        deadline,
        numeric("chengben", OUT, "COST", "项目成本", "AT_MOST", "2.5", "万元", "2.37"),
        text("shehui", BEN, "SOCIAL", "社会效益", "确保机构改革顺利开展，党政部门运转高效。",
             "确保机构改革顺利开展，党政部门运转高效。"),
        satisfied,
    ]


def line(fund, function, economic, project=None):
    l = {"fund_source": fund, "function_code": function, "economic_code": economic,
         "kind": "PROJECT" if project else "BASIC"}
    if project:
        l["project_id"] = project
    return l


class Book:
    """The model of one budget year: running totals per line, to check every identity."""

    def __init__(self, year):
        self.year = year
        self.lines = {}  # key → {"line", appropriated, income, opening, disbursed, closing}

    def of(self, l):
        key = json.dumps(l, sort_keys=True)
        return self.lines.setdefault(key, {"line": l, "appropriated": 0, "income": 0,
                                           "opening": 0, "disbursed": 0, "closing": None})

    def available(self, t):
        return t["appropriated"] + t["income"] + t["opening"] - t["disbursed"]

    def total(self, field, pred=lambda l: True):
        return sum(t[field] or 0 for t in self.lines.values() if pred(t["line"]))


def budget_year(out, year, docs):
    """docs: approve, opening, special (2018 only), close, performance (2019 only)."""
    book = Book(year)
    agency = BIANBAN
    M.agency(agency)

    def cmd(method, body, doc, eff):
        out.add(BUDGET, method, dict({"agency_id": agency, "fiscal_year": year}, **body), doc, eff)

    # 2019: the projects continue from 2018 and carry money into the year, so they are defined
    # from its first day (by the budget approval of 2019-01-28, with effect from 1 January).
    defined_on = "2018-12-10" if year == 2018 else "2019-01-01"
    project_doc = docs["special"] if year == 2018 else docs["approve"]
    for project_id, name, _ in PROJECTS:
        cmd("DefineProject", {"project_id": project_id, "name": name,
                              "indicators": [d for d, _ in indicators(project_id)]},
            project_doc, defined_on)

    # 年初结转 first: it is what the year starts with.
    for (function, economic), amount in OPENING[year].items():
        l = line(GENERAL, function, economic)
        book.of(l)["opening"] += wan(amount)
        cmd("RecordCarryOver", {"line": l, "kind": "OPENING", "amount_fen": wan(amount)},
            docs["opening"], f"{year}-01-01")
    if year == 2019:
        for project_id, _, parts in PROJECTS:
            for economic, budget, _ in parts:
                l = line(FUND, FUND_FUNCTION, economic, project_id)
                book.of(l)["opening"] += wan(budget)
                cmd("RecordCarryOver", {"line": l, "kind": "OPENING", "amount_fen": wan(budget)},
                    docs["opening"], "2019-01-01")

    # Appropriations: what each basic line spends and carries out, less what it carried in.
    for function, economic, d2018, d2019 in BASIC_LINES:
        l = line(GENERAL, function, economic)
        t = book.of(l)
        spent = wan(d2018 if year == 2018 else d2019)
        closing = wan(CLOSING[year].get((function, economic), "0"))
        amount = spent + closing - t["opening"]
        assert amount > 0, (year, function, economic)
        t["appropriated"] += amount
        cmd("Appropriate", {"line": l, "amount_fen": amount}, docs["approve"], f"{year}-01-28")
    if year == 2018:  # the projects' money, allocated in December and carried into 2019
        for project_id, _, parts in PROJECTS:
            for economic, budget, _ in parts:
                l = line(FUND, FUND_FUNCTION, economic, project_id)
                book.of(l)["appropriated"] += wan(budget)
                cmd("Appropriate", {"line": l, "amount_fen": wan(budget)}, docs["special"],
                    "2018-12-10")
    if year == 2019:  # 其他收入: bank interest (the seed's glossary: 主要是利息收入)
        l = line(OTHER, "2013601", "302")
        book.of(l)["income"] += wan("0.03")
        cmd("RecordIncome", {"line": l, "amount_fen": wan("0.03"), "note": "银行存款利息收入"},
            docs["close"], "2019-12-21")

    # Disbursements: basic lines by quarter, the projects as the seed describes them.
    quarters = [f"{year}-03-25", f"{year}-06-25", f"{year}-09-25", f"{year}-12-20"]
    for function, economic, d2018, d2019 in BASIC_LINES:
        l = line(GENERAL, function, economic)
        t = book.of(l)
        spent = wan(d2018 if year == 2018 else d2019)
        parts = [spent // 4] * 3 + [spent - 3 * (spent // 4)]
        for q, (amount, date) in enumerate(zip(parts, quarters), start=1):
            assert amount <= book.available(t)
            t["disbursed"] += amount
            cmd("Disburse", {"line": l, "amount_fen": amount,
                             "disbursement_id": f"xqbb-{year}-{function}-{economic}-q{q}",
                             "date": date,
                             "purpose": f"{ECONOMIC_LABEL[economic]}（{year}年第{q}季度）"},
                docs["approve"], date)
    if year == 2019:
        for project_id, name, parts in PROJECTS:
            for economic, _, payments in parts:
                l = line(FUND, FUND_FUNCTION, economic, project_id)
                t = book.of(l)
                for n, (amount, date, purpose) in enumerate(payments, start=1):
                    assert wan(amount) <= book.available(t)
                    t["disbursed"] += wan(amount)
                    cmd("Disburse", {"line": l, "amount_fen": wan(amount),
                                     "disbursement_id": f"xqbb-2019-{project_id}-{economic}-{n}",
                                     "date": date, "purpose": f"{name}：{purpose}"},
                        docs["approve"], date)

    # 年末结转: exactly what is left on each line (0 for a line spent in full).
    for t in book.lines.values():
        t["closing"] = book.available(t)
        cmd("RecordCarryOver", {"line": t["line"], "kind": "CLOSING", "amount_fen": t["closing"]},
            docs["close"], f"{year}-12-31")

    if year == 2019:
        for project_id, _, _ in PROJECTS:
            cmd("RecordPerformance", {"project_id": project_id,
                                      "actuals": [a for _, a in indicators(project_id)]},
                docs["performance"], "2019-12-31")
    return book


def check_final_accounts(book, expected):
    """DOMAIN.md §4 identities, and the figures DATA.md quotes."""
    fiscal = lambda l: l["fund_source"] in (GENERAL, FUND)  # noqa: E731
    basic = lambda l: l["kind"] == "BASIC"  # noqa: E731
    income = book.total("appropriated") + book.total("income")
    opening = book.total("opening")
    spent = book.total("disbursed")
    closing = book.total("closing")
    personnel = book.total("disbursed", lambda l: basic(l) and l["economic_code"][:3] in ("301", "303"))
    public = book.total("disbursed", lambda l: basic(l) and l["economic_code"][:3] in ("302", "310"))
    project = book.total("disbursed", lambda l: l["kind"] == "PROJECT")
    figures = {
        "收入总计": income + opening, "本年收入合计": income, "年初结转和结余": opening,
        "支出总计": spent + closing, "本年支出合计": spent, "年末结转和结余": closing,
        "基本支出": book.total("disbursed", basic), "项目支出": project,
        "人员经费": personnel, "公用经费": public,
        "一般公共预算财政拨款收入": book.total("appropriated", lambda l: l["fund_source"] == GENERAL),
        "一般公共预算财政拨款支出": book.total("disbursed", lambda l: l["fund_source"] == GENERAL),
        "政府性基金预算财政拨款支出": book.total("disbursed", lambda l: l["fund_source"] == FUND),
        "财政拨款收入总计": book.total("appropriated", fiscal) + book.total("opening", fiscal),
    }
    assert figures["收入总计"] == figures["支出总计"]
    assert figures["本年支出合计"] == figures["基本支出"] + figures["项目支出"]
    assert figures["基本支出"] == figures["人员经费"] + figures["公用经费"]
    for fund in (GENERAL, FUND):
        of = lambda l: l["fund_source"] == fund  # noqa: E731
        assert (book.total("opening", of) + book.total("appropriated", of)
                == book.total("disbursed", of) + book.total("closing", of))
    for name, value in expected.items():
        assert fmt_wan(figures[name]) == value, f"{book.year} {name}: {fmt_wan(figures[name])}"
    return figures


def budgets(out_2018, out_2019):
    docs_2018 = {
        "approve": Doc("西财预〔2018〕7号", CAIZHENG, "2018-01-26", "关于批复2018年部门预算的通知"),
        "opening": Doc("西财〔2018〕45号", CAIZHENG, "2018-05-30", "关于批复2017年度部门决算的通知"),
        "special": Doc("西财预〔2018〕96号", CAIZHENG, "2018-12-10",
                       "关于下达机构改革业务费等机构编制专项经费的通知"),
        "close": Doc("西财〔2019〕38号", CAIZHENG, "2019-05-30", "关于批复2018年度部门决算的通知"),
    }
    docs_2019 = {
        "approve": Doc("西财预〔2019〕5号", CAIZHENG, "2019-01-28", "关于批复2019年部门预算的通知"),
        "opening": docs_2018["close"],
        "close": Doc("西财〔2020〕31号", CAIZHENG, "2020-05-28", "关于批复2019年度部门决算的通知"),
        "performance": Doc("西编办〔2020〕6号", BIANBAN_NAME, "2020-03-20",
                           "关于报送2019年度部门整体支出和项目支出绩效自评结果的报告"),
    }
    b2018 = budget_year(out_2018, 2018, docs_2018)
    b2019 = budget_year(out_2019, 2019, docs_2019)
    check_final_accounts(b2018, {"收入总计": "153.37", "本年支出合计": "138.19", "基本支出": "138.19",
                                 "人员经费": "123.11", "公用经费": "15.08", "年末结转和结余": "15.18"})
    check_final_accounts(b2019, {
        "收入总计": "128.98", "本年收入合计": "113.80", "年初结转和结余": "15.18",
        "一般公共预算财政拨款收入": "113.77", "本年支出合计": "128.57", "基本支出": "125.70",
        "项目支出": "2.87", "人员经费": "110.91", "公用经费": "14.79", "年末结转和结余": "0.41",
        "一般公共预算财政拨款支出": "125.70", "政府性基金预算财政拨款支出": "2.87",
        "财政拨款收入总计": "128.95"})
    # The function codes of 2019 (一般公共预算 and 政府性基金) as DATA.md lists them.
    by_function = {}
    for t in b2019.lines.values():
        by_function[t["line"]["function_code"]] = by_function.get(t["line"]["function_code"], 0) \
            + t["disbursed"]
    assert {k: fmt_wan(v) for k, v in by_function.items() if v} == {
        "2013601": "87.54", "2013650": "11.09", "2080505": "9.12", "2101101": "6.29",
        "2101102": "0.74", "2101103": "0.63", "2210201": "10.29", "2120802": "2.87"}
    return b2019, docs_2019


# ---------------------------------------------------------------------------------------------
# The 编办's 2020 budget as approved (年初预算), beyond the seed: what the finance bureau's
# budget system finds open when the demo ends and pays on (clients/python/examples/
# finance_bureau.py records its payments). Illustrative: every basic line is budgeted at its
# 2019 execution (the same seven people, the reform done; no project). The 2019 办公费 left on
# its line (0.25, 西财〔2020〕31号) is carried into 2020 and counts towards that line's budget;
# the rest of 2019's 年末结转和结余 (0.13 of project money, 0.03 of interest) is not carried on:
# the projects are finished. Nothing is disbursed in the data: 2020's execution is what the
# finance bureau records.

DOC_BUDGET_2020 = Doc("西财预〔2020〕4号", CAIZHENG, "2020-01-22", "关于批复2020年部门预算的通知")
BUDGET_2020_EFFECTIVE = "2020-01-22"


def budget_2020(out, b2019, docs_2019):
    book = Book(2020)
    M.agency(BIANBAN)

    def cmd(method, body, doc, eff):
        out.add(BUDGET, method, dict({"agency_id": BIANBAN, "fiscal_year": 2020}, **body), doc, eff)

    carried = [t for t in b2019.lines.values()
               if t["line"]["fund_source"] == GENERAL and t["line"]["kind"] == "BASIC"
               and t["closing"]]
    for t in carried:
        book.of(t["line"])["opening"] += t["closing"]
        cmd("RecordCarryOver", {"line": t["line"], "kind": "OPENING", "amount_fen": t["closing"]},
            docs_2019["close"], "2020-01-01")
    for function, economic, _, d2019 in BASIC_LINES:
        l = line(GENERAL, function, economic)
        t = book.of(l)
        amount = wan(d2019) - t["opening"]
        assert amount > 0, (function, economic)
        t["appropriated"] += amount
        cmd("Appropriate", {"line": l, "amount_fen": amount}, DOC_BUDGET_2020, BUDGET_2020_EFFECTIVE)
    # What DATA.md quotes: the year's budget, and the 办公费 line the example pays on.
    assert fmt_wan(book.total("appropriated") + book.total("opening")) == "125.70"
    assert fmt_wan(book.total("opening")) == "0.25"
    office = book.of(line(GENERAL, "2013601", "30201"))
    assert fmt_wan(book.available(office)) == "7.42"


# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 用编审批 in the autumn of 2019: the district starts requiring an approved 核准使用编制通知单 for every
# newcomer; the 司法局, two 行政编制 vacant, applies for both for the 2019 公务员考录, the 编办
# approves them (reserving them: 预留编制) until mid-2020, and the first recruit is registered
# into one in December — the other stays reserved into 2020.

DOC_QUOTA_USE_POLICY = Doc("西编委〔2019〕9号", BIANWEI, "2019-08-28",
                           "关于实行用编审批（核准使用编制通知单）制度的通知")
DOC_QUOTA_USE_REQUEST = Doc("西司发〔2019〕21号", "攀枝花市西区司法局", "2019-09-06",
                            "关于申请使用行政编制开展2019年公务员考录的请示")
DOC_QUOTA_USE_APPROVAL = Doc("西编用〔2019〕12号", BIANBAN_NAME, "2019-09-20",
                             "核准使用编制通知单")
DOC_RECRUIT = Doc("西委组〔2019〕58号", "中共攀枝花市西区委员会组织部", "2019-11-25",
                  "关于2019年公务员考录拟录用人员的通知")
QUOTA_USE_NOTICE = "xq-2019-yb-12"


def recruitment_2019(out):
    unit = M.agency("xq-sfj")
    assert unit.organ() and unit.quota.get(ADM, 0) - unit.in_post(ADM) >= 2
    out.add(STAFFING, "SetQuotaUsePolicy", {"jurisdiction": JURISDICTION, "notice_required": True},
            DOC_QUOTA_USE_POLICY, "2019-09-01")
    out.add(STAFFING, "RequestQuotaUse",
            {"notice_id": QUOTA_USE_NOTICE, "agency_id": unit.id, "category": ADM, "count": 2,
             "purpose": "2019年公务员考录"}, DOC_QUOTA_USE_REQUEST, "2019-09-06")
    out.add(STAFFING, "ApproveQuotaUse",
            {"notice_id": QUOTA_USE_NOTICE, "agency_id": unit.id,
             "notice_number": DOC_QUOTA_USE_APPROVAL.number, "valid_until": "2020-06-30"},
            DOC_QUOTA_USE_APPROVAL, "2019-09-20")
    pid = f"{unit.id}-z01"
    assert pid not in M.person_agency
    unit.roster[pid] = ADM
    M.person_agency[pid] = unit.id
    out.add(STAFFING, "RegisterPersons",
            {"persons": [{"person_id": pid, "name": "考录人员01", "agency_id": unit.id,
                          "category": ADM, "post": "科员", "entry_reason": "CIVIL_SERVICE_EXAM",
                          "notice_id": QUOTA_USE_NOTICE}]}, DOC_RECRUIT, "2019-12-01")
    # One vacancy stays reserved: the unit keeps it free.
    assert unit.quota[ADM] - unit.in_post(ADM) >= 1
    return unit.id


def check_people():
    """What the seed and DOMAIN.md §7 say of the 编办 and the departments, in the model."""
    b, c = M.agency(BIANBAN), M.agency(CENTER)
    assert len(b.roster) + len(c.roster) == 7
    assert b.divisions == 2
    departments = [a for a in M.agencies.values() if a.active and a.mandate_issued
                   and a.kind in (PARTY, GOV)]
    assert len(departments) == 35
    for a in M.agencies.values():
        if a.active:
            for category in set(a.roster.values()):
                assert a.in_post(category) <= a.quota.get(category, 0), f"{a.id}: 超编"


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    files = [Out("01-baseline-2018.jsonl"), Out("02-budget-2018.jsonl"),
             Out("03-reform-2019.jsonl"), Out("04-town-2019.jsonl"), Out("05-powers-2019.jsonl"),
             Out("06-subdistricts-2019.jsonl"), Out("07-budget-2019.jsonl"),
             Out("08-recruitment-2019.jsonl"), Out("09-budget-2020.jsonl")]
    baseline(files[0])
    reform_2019(files[2])
    town_2019(files[3])
    powers_2019(files[4])
    subdistricts_2019(files[5])
    b2019, docs_2019 = budgets(files[1], files[6])
    print(f"用编审批: {recruitment_2019(files[7])}")
    budget_2020(files[8], b2019, docs_2019)
    check_people()
    for stale in os.listdir(OUT_DIR):
        if stale.endswith(".jsonl") and stale not in {f.name for f in files}:
            os.remove(os.path.join(OUT_DIR, stale))
    for f in files:
        f.write()
        print(f"{f.name}: {len(f.lines)} commands")
    print(f"total: {sum(len(f.lines) for f in files)} commands")


if __name__ == "__main__":
    main()
