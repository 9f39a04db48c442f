#!/usr/bin/env python3
"""The Python client and the finance bureau example against a real reformd (port 0).

Run by ctest: python_client_test.py REFORMD_BINARY GENERATED_DIR CLIENT_DIR
"""

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

import grpc  # noqa: E402

import finance_bureau  # noqa: E402
from reformlog.api.v1 import budget_commands_pb2, org_commands_pb2  # noqa: E402
from reformlog.domain.v1 import common_pb2  # noqa: E402
from reformlog_client import Client, header  # noqa: E402


class FinanceBureauTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reformlog-py-")
        self.server = subprocess.Popen(
            [REFORMD, "--data_dir=" + os.path.join(self.dir, "data"), "--listen=127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.server.stdout.readline()
        self.assertIn("listening on", line)
        self.client = Client(line.split()[-1])
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

    def test_payments_are_recorded_once_and_never_overspend(self):
        request = budget_commands_pb2.AppropriateRequest(
            header=header("西财预〔2019〕1号"), agency_id="bianban", fiscal_year=2019, amount_fen=50000)
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
