#!/usr/bin/env python3
"""The Python client and the finance bureau example against a real reformd (port 0).

Run by ctest: python_client_test.py REFORMD_BINARY GENERATED_DIR CLIENT_DIR
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

REFORMD, GENERATED, CLIENT = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:0] = [GENERATED, CLIENT, os.path.join(CLIENT, "examples")]
del sys.argv[1:4]

from concurrent import futures  # noqa: E402

import grpc  # noqa: E402

import finance_bureau  # noqa: E402
import reformlog_client  # noqa: E402
from reformlog_client import audit  # noqa: E402
from reformlog.api.v1 import budget_commands_pb2, org_commands_pb2, org_commands_pb2_grpc  # noqa: E402
from reformlog.api.v1 import common_pb2 as api_common_pb2  # noqa: E402
from reformlog.api.v1 import feed_pb2, integrity_pb2  # noqa: E402
from reformlog.api.v1 import org_queries_pb2, org_queries_pb2_grpc  # noqa: E402
from reformlog.domain.v1 import common_pb2  # noqa: E402
from reformlog_client import Client, header  # noqa: E402


class ReformdCase(unittest.TestCase):
    """A real reformd on port 0 over a fresh data directory, and a client with the admin token."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reformlog-py-")
        self.server = subprocess.Popen(
            [REFORMD, "--data_dir=" + os.path.join(self.dir, "data"), "--listen=127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.server.stdout.readline()
        self.assertIn("listening on", line)
        # Calls carry the administrator's token reformd wrote on its first start.
        self.client = Client(line.split()[-1],
                             token_file=os.path.join(self.dir, "data", "admin.token"))
        self.establish("caizheng", "区财政局", common_pb2.GOVERNMENT_DEPARTMENT)
        self.establish("bianban", "区委编办", common_pb2.PARTY_DEPARTMENT)

    def tearDown(self):
        self.client.close()
        self.server.terminate()
        self.assertEqual(self.server.wait(timeout=30), 0)
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
        request.line.fund_source = common_pb2.GENERAL_PUBLIC_BUDGET
        request.line.function_code = "2013601"
        request.line.economic_code = "30201"
        request.line.kind = common_pb2.BASIC
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
        self.assertIn("available 200.00 元", refused.exception.details())

    def test_follows_quota_changes_then_live_ones(self):
        self.grant("bianban", 7)
        lines = []
        live = threading.Event()

        def follow():
            finance_bureau.follow_quotas(self.client, 1, lambda line: (lines.append(line), live.set()), stop_after=2)

        follower = threading.Thread(target=follow)
        follower.start()
        self.assertTrue(live.wait(30))
        self.grant("caizheng", 3)  # recorded while the follower is live
        follower.join(30)
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

        # The command line an auditor runs.
        kept = os.path.join(self.dir, "kept.checkpoint")
        with open(kept, "w") as f:
            f.write(self.sign().note)
        key_file = os.path.join(self.dir, "data", "keys", "checkpoint.pub.pem")
        self.grant("bianban", 1)
        run = subprocess.run(
            ["/usr/bin/python3", "-m", "reformlog_client.audit", "--server", self.client.target,
             "--token-file", os.path.join(self.dir, "data", "admin.token"), "--checkpoint", kept,
             "--public-key", key_file, "--position", "2"],
            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=GENERATED + ":" + CLIENT))
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
        response = self.client.org_queries.GetAgency(org_queries_pb2.GetAgencyRequest(agency_id="xq-dag"))
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
