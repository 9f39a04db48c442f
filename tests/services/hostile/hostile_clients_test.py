#!/usr/bin/env python3
"""Hostile and careless clients against a real reformd, on loopback, bounded in count and time.

Each case reproduces one way a client took the server down or its memory to gigabytes, and
asserts the server stays within stated bounds while it happens and after: its resident memory
under RSS_MAX_MB, and a fresh client answered within FRESH_ANSWER_S. reformd starts under the
usual open-file soft limit of 1,024 (it raises it to the hard limit itself).

Not here: an HTTP/2 rapid-reset flood and descriptor exhaustion at accept, which gRPC 1.51
cannot withstand in-process (CVE-2023-44487, CVE-2023-4785); off loopback reformd runs behind
the reverse proxy in deploy/ (README, Security).

Run by ctest: hostile_clients_test.py REFORMD REFORMCTL GENERATED_DIR
"""

import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

REFORMD, REFORMCTL, GENERATED = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:0] = [GENERATED]
del sys.argv[1:4]

import grpc  # noqa: E402

from reformlog.api.v1 import admin_pb2, admin_pb2_grpc  # noqa: E402
from reformlog.api.v1 import feed_pb2, feed_pb2_grpc  # noqa: E402
from reformlog.api.v1 import security_pb2, security_pb2_grpc  # noqa: E402

RSS_MAX_MB = 512
FRESH_ANSWER_S = 1.0
USUAL_SOFT_FILE_LIMIT = 1024
SUBSCRIBERS = 1000           # the measured attack had 10,000; 16 per principal are allowed
IDLE_CONNECTIONS = 1100      # more than the usual soft limit
PAGE_READERS = 128          # concurrent whole pages of the feed
PAGE_SECONDS = 3
REBUILD_CALLERS = 50         # each with a 0.5 s deadline; they ran 50 rebuilds in a row


class Reformd:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="reformlog-hostile-")
        data = os.path.join(self.dir, "data")

        def usual_limits():
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(USUAL_SOFT_FILE_LIMIT, hard), hard))

        self.process = subprocess.Popen(
            [REFORMD, "--data_dir=" + data, "--listen=127.0.0.1:0"], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, preexec_fn=usual_limits)
        line = self.process.stdout.readline()
        assert "listening on" in line, line
        self.address = line.split()[-1]
        self.port = int(self.address.rsplit(":", 1)[1])
        self.token_file = os.path.join(data, "admin.token")
        with open(self.token_file) as f:
            self.metadata = (("authorization", "Bearer " + f.read().strip()),)
        load = subprocess.run([REFORMCTL, "--server", self.address, "--token-file", self.token_file,
                               "demo", "load"], capture_output=True, text=True, timeout=300)
        assert load.returncode == 0, load.stderr

    def rss_mb(self):
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def fresh_answer_s(self):
        """Seconds a new client on a new connection waits for an authenticated answer."""
        start = time.monotonic()
        with grpc.insecure_channel(self.address) as channel:
            security_pb2_grpc.PrincipalsStub(channel).WhoAmI(
                security_pb2.WhoAmIRequest(), metadata=self.metadata, timeout=10)
        return time.monotonic() - start

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=60)
        shutil.rmtree(self.dir)
        return code


class HostileClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reformd()

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def assertWithinBounds(self, when):
        rss = self.server.rss_mb()
        self.assertLess(rss, RSS_MAX_MB, "%s: reformd holds %.0f MiB" % (when, rss))
        answer = self.server.fresh_answer_s()
        self.assertLess(answer, FRESH_ANSWER_S, "%s: a fresh client waited %.2f s" % (when, answer))
        return rss, answer

    def test_subscriptions_that_are_never_read(self):
        channels = [grpc.insecure_channel(self.server.address) for _ in range(10)]
        calls = []
        try:
            for i in range(SUBSCRIBERS):
                stub = feed_pb2_grpc.EventFeedStub(channels[i % len(channels)])
                calls.append(stub.Subscribe(feed_pb2.SubscribeRequest(from_position=1),
                                            metadata=self.server.metadata, timeout=60))
            time.sleep(3)  # let the server write what it will into the unread streams
            refused = [c for c in calls if c.done()
                       and c.code() == grpc.StatusCode.RESOURCE_EXHAUSTED]
            open_calls = [c for c in calls if not c.done()]
            self.assertLessEqual(len(open_calls), 16, "one principal holds at most 16")
            self.assertGreaterEqual(len(refused), SUBSCRIBERS - 16)
            self.assertIn("kSubscriptionsPerPrincipalMax", refused[0].details())
            rss, answer = self.assertWithinBounds("with %d unread subscriptions" % SUBSCRIBERS)
            print("unread subscriptions: %d open, %d refused, RSS %.0f MiB, fresh answer %.3f s"
                  % (len(open_calls), len(refused), rss, answer), file=sys.stderr)
        finally:
            for call in calls:
                call.cancel()
            for channel in channels:
                channel.close()
        time.sleep(0.5)
        self.assertWithinBounds("after the subscribers left")

    def test_idle_connections_beyond_the_usual_file_limit(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard < IDLE_CONNECTIONS + 256:
            self.skipTest("the hard open-file limit (%d) is below what the case needs" % hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, IDLE_CONNECTIONS + 256)), hard))
        sockets = []
        try:
            for _ in range(IDLE_CONNECTIONS):
                s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                sockets.append(s)
            time.sleep(1)
            rss, answer = self.assertWithinBounds("with %d idle connections" % IDLE_CONNECTIONS)
            print("idle connections: %d, RSS %.0f MiB, fresh answer %.3f s"
                  % (len(sockets), rss, answer), file=sys.stderr)
        finally:
            for s in sockets:
                s.close()
        time.sleep(0.5)
        self.assertWithinBounds("after the idle connections closed")

    def test_concurrent_feed_pages(self):
        stop = threading.Event()
        pages = [0]
        largest = [0]
        lock = threading.Lock()

        def reader():
            with grpc.insecure_channel(self.server.address) as channel:
                feed = feed_pb2_grpc.EventFeedStub(channel)
                while not stop.is_set():
                    try:
                        page = feed.ReadAll(feed_pb2.ReadAllRequest(from_position=1, max_count=10000),
                                            metadata=self.server.metadata, timeout=30)
                    except grpc.RpcError:
                        continue
                    with lock:
                        pages[0] += 1
                        largest[0] = max(largest[0], page.ByteSize())

        readers = [threading.Thread(target=reader) for _ in range(PAGE_READERS)]
        for t in readers:
            t.start()
        worst_head = 0.0
        worst = (0, 0.0)
        try:
            deadline = time.monotonic() + PAGE_SECONDS
            time.sleep(0.5)
            with grpc.insecure_channel(self.server.address) as channel:
                feed = feed_pb2_grpc.EventFeedStub(channel)
                while time.monotonic() < deadline:
                    start = time.monotonic()
                    feed.Head(feed_pb2.HeadRequest(), metadata=self.server.metadata, timeout=10)
                    worst_head = max(worst_head, time.monotonic() - start)
                    rss, answer = self.assertWithinBounds("with %d readers of whole pages" % PAGE_READERS)
                    worst = (max(worst[0], rss), max(worst[1], answer))
        finally:
            stop.set()
            for t in readers:
                t.join()
        print("feed pages: %d readers, %d pages (largest %.1f MiB), RSS %.0f MiB at worst, Head "
              "%.3f s and a fresh client %.3f s at worst" % (PAGE_READERS, pages[0],
                                                              largest[0] / 2**20, worst[0],
                                                              worst_head, worst[1]), file=sys.stderr)
        self.assertLess(worst_head, FRESH_ANSWER_S)
        self.assertLessEqual(largest[0], 3 * 2**20, "a page is bounded in bytes (kReadBytesMax)")
        self.assertWithinBounds("after the readers left")

    def test_rebuild_requests_whose_callers_give_up(self):
        with grpc.insecure_channel(self.server.address) as channel:
            admin = admin_pb2_grpc.ProjectionAdminStub(channel)

            def rebuilds():
                status = admin.Status(admin_pb2.ProjectionStatusRequest(),
                                      metadata=self.server.metadata, timeout=10)
                return {p.name: (p.rebuilds, p.rebuilding) for p in status.projections}

            before = rebuilds()["org"][0]

            start = threading.Barrier(REBUILD_CALLERS)

            def call():
                start.wait()
                try:
                    admin.Rebuild(admin_pb2.RebuildProjectionRequest(name="org"),
                                  metadata=self.server.metadata, timeout=0.5)
                except grpc.RpcError:
                    pass

            threads = [threading.Thread(target=call) for _ in range(REBUILD_CALLERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertWithinBounds("during the rebuild flood")
            deadline = time.monotonic() + 60
            while rebuilds()["org"][1] and time.monotonic() < deadline:
                time.sleep(0.1)
            ran = rebuilds()["org"][0] - before
            print("rebuild flood: %d callers, %d rebuilds" % (REBUILD_CALLERS, ran), file=sys.stderr)
            # Requests arriving together share a rebuild; one arriving after a rebuild ended
            # starts another (the caller asked after it). None runs once its callers are gone.
            self.assertLessEqual(ran, REBUILD_CALLERS // 10,
                                 "%d calls ran %d rebuilds" % (REBUILD_CALLERS, ran))
            time.sleep(1)
            self.assertEqual(rebuilds()["org"], (before + ran, False),
                             "a rebuild ran after every caller had gone")
        self.assertWithinBounds("after the rebuild flood")


if __name__ == "__main__":
    unittest.main(verbosity=2)
