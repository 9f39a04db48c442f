#!/usr/bin/env python3
"""The Python client's tests, run by python_client_test.py with the python of a virtual
environment that has the package installed: the installed package itself; the finance
bureau's example as its docstring documents it, against a real reformd (port 0) with the demo
district; one call on every service; payments, the feed and the audit against small servers;
retries against a python gRPC server.

python_client_cases.py REFORMD REFORMCTL VENV_DIR PACKAGE_SOURCE_COPY SOURCE_DIR
"""

import ast
import base64
import importlib.metadata
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unittest

REFORMD, REFORMCTL, VENV, SRC, SOURCE = sys.argv[1:6]
del sys.argv[1:6]
EXAMPLE = os.path.join(SRC, "clients", "python", "examples", "finance_bureau.py")
sys.path.insert(0, os.path.dirname(EXAMPLE))

from concurrent import futures  # noqa: E402

import grpc  # noqa: E402
from pip._vendor.packaging.requirements import Requirement  # noqa: E402

import finance_bureau  # noqa: E402
import reformlog  # noqa: E402
import reformlog_client  # noqa: E402
from reformlog.api.v1 import budget_commands_pb2, org_commands_pb2, org_commands_pb2_grpc  # noqa: E402
from reformlog.api.v1 import common_pb2 as api_common_pb2  # noqa: E402
from reformlog.api.v1 import feed_pb2, integrity_pb2  # noqa: E402
from reformlog.api.v1 import org_queries_pb2, org_queries_pb2_grpc  # noqa: E402
from reformlog.domain.v1 import common_pb2  # noqa: E402
from reformlog_client import Client, audit, header  # noqa: E402

PYTHON = os.path.join(VENV, "bin", "python")
DEMO = os.path.join(SOURCE, "clients", "demo", "xiqu-2019")
# Long enough for a loaded machine; a healthy run takes well under a second for each wait.
WAIT_S = 60


class Reformd:
    """A reformd on 127.0.0.1:0 over a fresh data directory in `root`."""

    def __init__(self, root):
        self.data = os.path.join(root, "data")
        self.process = subprocess.Popen(
            [REFORMD, "--data_dir=" + self.data, "--listen=127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise AssertionError("reformd did not start: %r" % line)
        self.address = line.split()[-1]
        # The administrator's token, written on the first start.
        self.token_file = os.path.join(self.data, "admin.token")

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=WAIT_S)
        self.process.stdout.close()
        return code


class PackageTest(unittest.TestCase):
    """What pip installed: the package, its generated modules and its metadata."""

    def test_the_package_and_its_generated_modules_come_from_the_environment(self):
        site = os.path.realpath(VENV)
        for module in (reformlog_client, reformlog, reformlog.api.v1.budget_commands_pb2,
                       reformlog.domain.v1.org_events_pb2):
            self.assertTrue(os.path.realpath(module.__file__).startswith(site), module.__file__)

    def test_requirements_are_met_by_the_installed_grpcio_and_protobuf(self):
        requires = [Requirement(r) for r in importlib.metadata.requires("reformlog-client")]
        self.assertEqual({r.name: str(r.specifier) for r in requires},
                         {"grpcio": "<2,>=1.51", "protobuf": "<5,>=3.20"})
        for r in requires:
            self.assertIn(importlib.metadata.version(r.name), r.specifier, r.name)
        # pip check names every installed distribution whose requirements are not met (the
        # system's own may be among them; ours must not).
        check = subprocess.run([PYTHON, "-m", "pip", "check"], capture_output=True, text=True)
        self.assertNotIn("reformlog", check.stdout.lower())

    def test_every_service_of_the_api_is_wrapped(self):
        served = set()
        api_dir = os.path.dirname(reformlog.api.v1.common_pb2.__file__)
        for name in sorted(os.listdir(api_dir)):
            if name.endswith("_pb2.py"):
                module = __import__("reformlog.api.v1." + name[:-3], fromlist=["DESCRIPTOR"])
                served.update(module.DESCRIPTOR.services_by_name)
        self.assertEqual(served, {spec.name for spec in reformlog_client.SERVICES})
        client = Client("127.0.0.1:1")
        try:
            for spec in reformlog_client.SERVICES:
                service = getattr(client, spec.attribute)
                for method in spec.pb2.DESCRIPTOR.services_by_name[spec.name].methods:
                    call = getattr(service, method.name)
                    self.assertIn(method.input_type.name, call.__doc__)
                    # timeout_s is the wrapper's own keyword: no request may have such a field.
                    self.assertNotIn("timeout_s", method.input_type.fields_by_name)
        finally:
            client.close()
        self.assertTrue(client.budget.Disburse.command)
        self.assertTrue(client.principals.AddPrincipal.command)
        self.assertFalse(client.budget_queries.GetBudget.command)

    def test_a_request_or_its_fields_not_both(self):
        client = Client("127.0.0.1:1")
        try:
            with self.assertRaises(TypeError):
                client.org_queries.GetAgency(org_queries_pb2.GetAgencyRequest(), agency_id="x")
            with self.assertRaises(TypeError):
                client.org_queries.GetAgency(org_queries_pb2.GetOrgTreeRequest())
        finally:
            client.close()


def documented_commands():
    """The example's command lines, as its docstring shows them (continuations joined)."""
    with open(EXAMPLE, encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read()))
    text = doc.replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines()
            if line.strip().startswith("finance_bureau.py ")]


class DemoDistrictTest(unittest.TestCase):
    """One reformd with the demo district loaded by reformctl, its administrator's token where
    quickstart links it (~/.config/reformlog/token), as the example's docstring assumes."""

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="reformlog-demo-")
        cls.server = Reformd(cls.root)
        load = subprocess.run([REFORMCTL, "--server", cls.server.address, "--token-file",
                               cls.server.token_file, "demo", "load", "--data", DEMO],
                              capture_output=True, text=True, timeout=WAIT_S)
        if load.returncode != 0:
            cls.server.stop()
            raise AssertionError("demo load: " + load.stdout + load.stderr)
        cls.home = os.path.join(cls.root, "home")
        os.makedirs(os.path.join(cls.home, ".config", "reformlog"))
        os.symlink(cls.server.token_file, os.path.join(cls.home, ".config", "reformlog", "token"))
        cls.client = Client(cls.server.address, token_file=cls.server.token_file)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        code = cls.server.stop()
        shutil.rmtree(cls.root)
        if code != 0:
            raise AssertionError("reformd exited with %d" % code)

    def head(self):
        return self.client.feed.Head().head_position

    def example(self, argv, **kwargs):
        """The example's command line `argv` (from "finance_bureau.py" on), run with the
        environment's python against this server, as the user quickstart set up."""
        argv = list(argv)
        argv[argv.index("--server") + 1] = self.server.address
        env = dict(os.environ, HOME=self.home)
        return [PYTHON, EXAMPLE] + argv[1:], env

    def run_example(self, argv):
        command, env = self.example(argv)
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=WAIT_S)

    def test_the_documented_payment_is_recorded_once_and_leaves_the_rest_on_the_line(self):
        pay = [c for c in documented_commands() if "pay" in c]
        self.assertEqual(len(pay), 1)
        head = self.head()
        first = self.run_example(pay[0])
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(first.stdout.splitlines(), [
            "recorded at position %d" % (head + 1),
            "xq-bianban 2020 2013601 行政运行 / 30201 办公费: disbursed 1,200.00 元, "
            "available 73,000.00 元 of 74,200.00 元"])
        again = self.run_example(pay[0])
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.splitlines()[0],
                         "recorded at position %d (already recorded)" % (head + 1))
        self.assertEqual(self.head(), head + 1)
        line = finance_bureau.line_amounts(self.client, "xq-bianban", 2020, "2013601", "30201")
        self.assertEqual(line.amounts.disbursed_fen, 120000)
        self.assertEqual(line.amounts.carried_in_fen, 250000)

    def test_the_documented_follower_prints_every_quota_change_then_live_ones(self):
        follow = [c for c in documented_commands() if "follow-quotas" in c]
        self.assertEqual(len(follow), 1)
        # The oracle: the same filter read page by page from the feed.
        expected, position = [], 1
        while True:
            page = self.client.feed.ReadAll(from_position=position, filter={
                "stream_prefix": "agency-", "event_types": finance_bureau.QUOTA_EVENTS})
            expected.extend(finance_bureau.describe_quota_event(e) for e in page.events)
            if page.next_position > page.head_position or not page.events:
                break
            position = page.next_position
        command, env = self.example(follow[0])
        follower = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
        try:
            lines = []
            for line in follower.stdout:
                if line.startswith("caught up at position"):
                    break
                lines.append(line.rstrip("\n"))
            self.assertEqual(lines, expected)
            self.assertGreater(len(lines), 100)
            self.assertIn(r"xq-bianban 三定 sets ADMINISTRATIVE 6", "\n".join(lines))
            self.assertTrue(any(re.fullmatch(r"\d+ xq-bianban \+6 ADMINISTRATIVE", x) for x in lines))
            # Recorded while it follows: printed as it happens.
            granted = self.client.org.GrantQuota(
                header=header("西委编〔2020〕5号", "2020-04-01"), agency_id="xq-bianban",
                category="ADMINISTRATIVE", count=1)
            self.assertEqual(follower.stdout.readline().rstrip("\n"),
                             "%d xq-bianban +1 ADMINISTRATIVE" % granted.position)
            follower.send_signal(signal.SIGINT)
            self.assertEqual(follower.wait(timeout=WAIT_S), 0)
        finally:
            if follower.poll() is None:
                follower.kill()
                follower.wait()
            follower.stdout.close()

    def test_one_call_on_every_service(self):
        c = self.client
        head = self.head()
        answered = set()

        def dry(document):
            return header(document, "2020-04-01", dry_run=True)

        # Commands, dry runs: each says what it would record, and nothing is recorded.
        for service, result in [
            ("org", c.org.GrantQuota(header=dry("西委编〔2020〕6号"), agency_id="xq-bianban",
                                     category="ADMINISTRATIVE", count=1)),
            ("staffing", c.staffing.SetQuotaUsePolicy(header=dry("西编委〔2020〕1号"),
                                                      jurisdiction="西区", notice_required=False)),
            ("powers", c.powers.ReturnPowers(header=dry("西府发〔2020〕1号"),
                                             codes=["XQ-JTYSJ-CF-055"])),
            ("budget", c.budget.Appropriate(header=dry("西财预〔2020〕9号"), agency_id="xq-bianban",
                                            fiscal_year=2020, amount_fen=100,
                                            line=finance_bureau.line_of("2013601", "30201"))),
            ("reform", c.reform.ClosePlan(header=dry("西改组〔2020〕1号"),
                                          plan_id="xiqu-2019-reform")),
        ]:
            self.assertTrue(result.dry_run, service)
            self.assertEqual(result.position, 0, service)
            self.assertTrue(result.event_types, service)
            answered.add(service)
        self.assertEqual(self.head(), head)

        # Queries, with the figures README's tour quotes.
        agency = c.org_queries.GetAgency(agency_id="xq-bianban")
        self.assertEqual(agency.agency.name, "中共攀枝花市西区区委机构编制委员会办公室")
        answered.add("org_queries")
        check = c.staffing_queries.CheckJurisdiction(jurisdiction="西区", as_of_date="2019-12-31")
        self.assertTrue(check.clear)
        answered.add("staffing_queries")
        powers = c.power_queries.CountPowers(holder_agency_id="xq-glpz", as_of_date="2019-12-31")
        self.assertEqual(powers.items, 92)
        answered.add("power_queries")
        budget = c.budget_queries.GetBudget(agency_id="xq-bianban", fiscal_year=2019)
        self.assertEqual(budget.execution_rate.basis_points, 9968)
        answered.add("budget_queries")
        progress = c.reform_queries.GetPlanProgress(plan_id="xiqu-2019-reform",
                                                    as_of_date="2019-12-31")
        self.assertEqual(len(progress.tasks), 78)
        answered.add("reform_queries")
        self.assertEqual(c.feed.ReadAll(from_position=head, max_count=1).events[0].position, head)
        answered.add("feed")
        status = c.admin.Status()
        self.assertIn("budget", [p.name for p in status.projections])
        answered.add("admin")
        self.assertEqual(c.integrity.GetLogHead().size, head)
        answered.add("integrity")

        # Principals: the finance bureau's own credential, scoped to 西区; with it the example
        # pays (差旅费: the documented payment's 办公费 line is left as the demo has it), and may
        # not follow the feed (feed.read is the auditor's).
        self.assertEqual(c.principals.WhoAmI().principal.principal_id, "admin")
        added = c.principals.AddPrincipal(
            header=header("西委编〔2020〕7号"), principal_id="finance-xq",
            display_name="西区财政局预算一体化系统", issue_token=True,
            grants=[{"role": "ROLE_FINANCE", "scope": {"jurisdiction": "西区"}}])
        self.assertTrue(added.token)
        answered.add("principals")
        token_file = os.path.join(self.root, "finance-xq.token")
        with open(token_file, "w") as f:
            f.write(added.token + "\n")
        pay = [cmd for cmd in documented_commands() if "pay" in cmd][0]
        pay = pay[:1] + ["--token-file", token_file] + pay[1:]
        pay[pay.index("--voucher") + 1] = "PZ-2020-0002"
        pay[pay.index("--economic") + 1] = "30211"
        pay[pay.index("--purpose") + 1] = "差旅费"
        paid = self.run_example(pay)
        self.assertEqual(paid.returncode, 0, paid.stderr)
        self.assertIn("30211 差旅费: disbursed 1,200.00 元", paid.stdout)
        follow = [cmd for cmd in documented_commands() if "follow-quotas" in cmd][0]
        refused = self.run_example(follow[:1] + ["--token-file", token_file] + follow[1:])
        self.assertEqual(refused.returncode, 1)
        self.assertIn("refused: PERMISSION_DENIED", refused.stderr)

        self.assertEqual(answered, {spec.attribute for spec in reformlog_client.SERVICES})


class ReformdCase(unittest.TestCase):
    """A real reformd on port 0 over a fresh data directory, and a client with the admin token."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reformlog-py-")
        self.server = Reformd(self.dir)
        self.client = Client(self.server.address, token_file=self.server.token_file)
        self.establish("caizheng", "区财政局", common_pb2.GOVERNMENT_DEPARTMENT)
        self.establish("bianban", "区委编办", common_pb2.PARTY_DEPARTMENT)

    def tearDown(self):
        self.client.close()
        self.assertEqual(self.server.stop(), 0)
        shutil.rmtree(self.dir)

    def establish(self, agency_id, name, kind):
        request = org_commands_pb2.EstablishAgencyRequest(header=header("西委编〔2019〕1号", "2019-01-01"))
        request.agency.agency_id = agency_id
        request.agency.name = name
        request.agency.kind = kind
        request.agency.rank = common_pb2.SECTION_CHIEF
        return self.client.org.EstablishAgency(request)

    def grant(self, agency_id, count):
        request = org_commands_pb2.ChangeQuotaRequest(
            header=header("西委编〔2019〕2号"), agency_id=agency_id, category=common_pb2.ADMINISTRATIVE, count=count)
        return self.client.org.GrantQuota(request)


class FinanceBureauTest(ReformdCase):
    def test_a_call_without_the_token_is_unauthenticated(self):
        anonymous = Client(self.client.target)
        try:
            with self.assertRaises(grpc.RpcError) as refused:
                anonymous.org_queries.GetOrgTree(org_queries_pb2.GetOrgTreeRequest())
            self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        finally:
            anonymous.close()

    def test_payments_are_recorded_once_and_never_overspend(self):
        request = budget_commands_pb2.AppropriateRequest(
            header=header("西财预〔2019〕1号", "2019-01-28"), agency_id="bianban", fiscal_year=2019, amount_fen=50000)
        request.line.CopyFrom(finance_bureau.line_of("2013601", "30201"))
        self.client.budget.Appropriate(request)

        args = ("bianban", 2019, "2013601", "30201")
        first = finance_bureau.pay(self.client, *args, 30000, "PZ-1", "2019-06-30", "办公费", "西财〔2019〕8号")
        again = finance_bureau.pay(self.client, *args, 30000, "PZ-1", "2019-06-30", "办公费", "西财〔2019〕8号")
        self.assertFalse(first.replayed)
        self.assertTrue(again.replayed)
        self.assertEqual(again.position, first.position)
        with self.assertRaises(grpc.RpcError) as refused:
            finance_bureau.pay(self.client, *args, 20001, "PZ-2", "2019-06-30", "办公费", "西财〔2019〕9号")
        self.assertEqual(refused.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        # In Chinese by default, in the words of the field; in English when asked for.
        self.assertIn("可用余额 200.00 元，本次支付 200.01 元，超出余额", refused.exception.details())
        english = Client(self.client.target, token_file=self.server.token_file, language="en")
        try:
            with self.assertRaises(grpc.RpcError) as refused_en:
                finance_bureau.pay(english, *args, 20001, "PZ-2", "2019-06-30", "办公费", "西财〔2019〕9号")
            self.assertEqual(refused_en.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
            self.assertIn("available 200.00 元, requested 200.01 元", refused_en.exception.details())
        finally:
            english.close()
        line = finance_bureau.line_amounts(self.client, *args, min_position=first.position)
        self.assertEqual(line.amounts.available_fen, 20000)

    def test_follows_quota_changes_then_live_ones(self):
        self.grant("bianban", 7)
        lines = []
        live = threading.Event()

        def follow():
            finance_bureau.follow_quotas(self.client, 1, lambda line: (lines.append(line), live.set()), stop_after=2)

        follower = threading.Thread(target=follow)
        follower.start()
        self.assertTrue(live.wait(WAIT_S))
        self.grant("caizheng", 3)  # recorded while the follower is live
        follower.join(WAIT_S)
        self.assertFalse(follower.is_alive())
        self.assertEqual(len(lines), 2)
        self.assertRegex(lines[0], r"^\d+ bianban \+7 ADMINISTRATIVE$")
        self.assertRegex(lines[1], r"^\d+ caizheng \+3 ADMINISTRATIVE$")


class AuditTest(ReformdCase):
    """The tamper evidence checked by reformlog_client.audit: an implementation of the hashing,
    RFC 9162 proofs and checkpoint notes of its own, with hashlib and openssl."""

    def sign(self):
        return self.client.integrity.SignCheckpoint(integrity_pb2.SignCheckpointRequest())

    def public_key(self):
        return self.client.integrity.ListCheckpoints(
            integrity_pb2.ListCheckpointsRequest()).public_key_pem

    def test_reference_vectors(self):
        sha = audit.hasher("sha256")
        leaves = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
                  bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
        root = audit.merkle_root(sha, [audit.leaf_hash(sha, x) for x in leaves])
        # The RFC 6962 reference tree (certificate-transparency's merkle tests).
        self.assertEqual(root.hex(), "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        self.assertEqual(audit.hasher("sm3")(b"abc").hex(),
                         "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")

    def test_every_event_chain_and_proof_checks_out(self):
        old = audit.Checkpoint(self.sign().note)
        self.grant("bianban", 7)
        self.grant("caizheng", 3)
        new = audit.Checkpoint(self.sign().note)
        key = self.public_key()
        self.assertTrue(audit.verify_signature(old, key))
        self.assertTrue(audit.verify_signature(new, key))
        forged = audit.Checkpoint(new.body.replace("size %d" % new.size, "size %d" % (new.size + 1))
                                  + "\n" + audit.SIGNATURE_PREFIX + "sm2 " + new.key_id + " "
                                  + base64.b64encode(new.signature).decode() + "\n")
        self.assertFalse(audit.verify_signature(forged, key))

        h = audit.hasher(new.digest)
        events = self.client.feed.ReadAll(feed_pb2.ReadAllRequest(max_count=new.size)).events
        self.assertEqual(len(events), new.size)
        chain = bytes(32)
        leaves = []
        for event in events:
            canonical = audit.canonical_record(event)
            chain = audit.chain_hash(h, chain, canonical)
            leaves.append(audit.leaf_hash(h, chain))
            if event.position == old.size:
                self.assertEqual(chain, old.chain)
        self.assertEqual(chain, new.chain)
        self.assertEqual(audit.merkle_root(h, leaves), new.root)
        for event, leaf in zip(events, leaves):
            proof = self.client.integrity.GetInclusionProof(
                integrity_pb2.InclusionProofRequest(position=event.position, size=new.size))
            self.assertTrue(audit.verify_inclusion(h, leaf, event.position - 1, new.size,
                                                   list(proof.path), new.root))
            self.assertFalse(audit.verify_inclusion(h, h(leaf), event.position - 1, new.size,
                                                    list(proof.path), new.root))
        consistency = self.client.integrity.GetConsistencyProof(
            integrity_pb2.ConsistencyProofRequest(old_size=old.size, new_size=new.size))
        self.assertTrue(audit.verify_consistency(h, old.size, new.size, old.root, new.root,
                                                 list(consistency.path)))
        self.assertFalse(audit.verify_consistency(h, old.size, new.size, h(old.root), new.root,
                                                  list(consistency.path)))

        # The command line an auditor runs: the script pip installed, and the module.
        kept = os.path.join(self.dir, "kept.checkpoint")
        with open(kept, "w") as f:
            f.write(self.sign().note)
        key_file = os.path.join(self.server.data, "keys", "checkpoint.pub.pem")
        self.grant("bianban", 1)
        arguments = ["--server", self.client.target, "--token-file", self.server.token_file,
                     "--checkpoint", kept, "--public-key", key_file, "--position", "2"]
        for command in ([os.path.join(VENV, "bin", "reformlog-audit")],
                        [PYTHON, "-m", "reformlog_client.audit"]):
            run = subprocess.run(command + arguments, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("has only grown", run.stdout)
            self.assertIn("event 2 is in the log", run.stdout)

        lines = audit.audit(self.client, old, key, position=new.size)
        self.assertIn("has only grown", lines[0])
        self.assertIn("event %d is in the log" % new.size, lines[1])


class RefusingOrgCommands(org_commands_pb2_grpc.OrgCommandsServicer):
    """Answers attempt n (from 1) "attempt n: …" with `code` while n <= `refusals`, then OK;
    remembers the request id of every attempt."""

    def __init__(self, code, refusals):
        self.code, self.refusals = code, refusals
        self.request_ids = []
        self.lock = threading.Lock()

    def EstablishAgency(self, request, context):
        with self.lock:
            self.request_ids.append(request.header.request_id)
            attempt = len(self.request_ids)
        if attempt <= self.refusals:
            context.abort(self.code, "attempt %d: another commit was first" % attempt)
        return api_common_pb2.CommandResult(position=42)


class RefusingOrgQueries(org_queries_pb2_grpc.OrgQueriesServicer):
    def __init__(self, code, refusals):
        self.code, self.refusals = code, refusals
        self.attempts = 0

    def GetAgency(self, request, context):
        self.attempts += 1
        if self.attempts <= self.refusals:
            context.abort(self.code, "attempt %d" % self.attempts)
        return org_queries_pb2.GetAgencyResponse(position=7)


class RetryTest(unittest.TestCase):
    """The client's retries against a small python gRPC server (port 0): a command is retried
    on ABORTED with the same request id, up to the bound; a query is not."""

    def start(self, commands=(grpc.StatusCode.ABORTED, 0), queries=(grpc.StatusCode.ABORTED, 0)):
        self.commands = RefusingOrgCommands(*commands)
        self.queries = RefusingOrgQueries(*queries)
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        org_commands_pb2_grpc.add_OrgCommandsServicer_to_server(self.commands, self.server)
        org_queries_pb2_grpc.add_OrgQueriesServicer_to_server(self.queries, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.client = Client("127.0.0.1:%d" % port, backoff_s=0.001)

    def tearDown(self):
        self.client.close()
        self.server.stop(grace=None)

    def establish(self, request_id):
        request = org_commands_pb2.EstablishAgencyRequest(header=header("西委编〔2019〕1号", request_id=request_id))
        request.agency.agency_id = "xq-dag"
        return self.client.org.EstablishAgency(request)

    def test_an_aborted_command_is_retried_with_its_request_id(self):
        self.start(commands=(grpc.StatusCode.ABORTED, 3))
        self.assertEqual(self.establish("req-7").position, 42)
        self.assertEqual(self.commands.request_ids, ["req-7"] * 4)

    def test_an_empty_request_id_is_filled_in_once_for_every_attempt(self):
        self.start(commands=(grpc.StatusCode.ABORTED, 2))
        request = org_commands_pb2.EstablishAgencyRequest()
        request.header.basis.number = "西委编〔2019〕1号"
        self.assertEqual(self.client.org.EstablishAgency(request).position, 42)
        ids = self.commands.request_ids
        self.assertEqual(len(ids), 3)
        self.assertNotEqual(ids[0], "")
        self.assertEqual(ids, [ids[0]] * 3)
        self.assertEqual(request.header.request_id, "")  # the caller's request is left as it was

    def test_a_command_given_as_fields_is_retried_with_one_request_id(self):
        self.start(commands=(grpc.StatusCode.UNAVAILABLE, 1))
        result = self.client.org.EstablishAgency(header={"basis": {"number": "西委编〔2019〕1号"}},
                                                 agency={"agency_id": "xq-dag", "kind": "PUBLIC_INSTITUTION"})
        self.assertEqual(result.position, 42)
        ids = self.commands.request_ids
        self.assertEqual(len(ids), 2)
        self.assertNotEqual(ids[0], "")
        self.assertEqual(ids[0], ids[1])

    def test_a_command_gives_up_after_the_bound_with_the_last_status(self):
        self.start(commands=(grpc.StatusCode.ABORTED, 1000))
        with self.assertRaises(grpc.RpcError) as refused:
            self.establish("req-8")
        self.assertEqual(refused.exception.code(), grpc.StatusCode.ABORTED)
        self.assertEqual(refused.exception.details(),
                         "attempt %d: another commit was first" % reformlog_client.ATTEMPTS_MAX)
        self.assertEqual(self.commands.request_ids, ["req-8"] * reformlog_client.ATTEMPTS_MAX)

    def test_other_refusals_of_a_command_are_not_retried(self):
        self.start(commands=(grpc.StatusCode.FAILED_PRECONDITION, 1))
        with self.assertRaises(grpc.RpcError) as refused:
            self.establish("req-9")
        self.assertEqual(refused.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        self.assertEqual(len(self.commands.request_ids), 1)

    def test_a_query_is_not_retried_on_aborted(self):
        self.start(queries=(grpc.StatusCode.ABORTED, 1))
        with self.assertRaises(grpc.RpcError) as refused:
            self.client.org_queries.GetAgency(org_queries_pb2.GetAgencyRequest(agency_id="xq-dag"))
        self.assertEqual(refused.exception.code(), grpc.StatusCode.ABORTED)
        self.assertEqual(self.queries.attempts, 1)

    def test_a_query_is_retried_on_unavailable(self):
        self.start(queries=(grpc.StatusCode.UNAVAILABLE, 2))
        response = self.client.org_queries.GetAgency(agency_id="xq-dag")
        self.assertEqual(response.position, 7)
        self.assertEqual(self.queries.attempts, 3)


class BackoffTest(unittest.TestCase):
    def test_backoff_doubles_up_to_the_maximum_and_jitters_within_the_upper_half(self):
        for retry, d in enumerate([0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0]):
            waits = [reformlog_client.backoff_s(0.1, retry) for _ in range(200)]
            self.assertTrue(all(d / 2 <= w <= d for w in waits), (retry, min(waits), max(waits)))
            self.assertGreater(len(set(waits)), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
