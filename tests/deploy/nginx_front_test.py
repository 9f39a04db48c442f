#!/usr/bin/env python3
"""reformd behind deploy/nginx/reformd-front.conf, as the README says to run it off loopback.

The front as shipped (its marked lines rewritten for a temporary directory and free ports):
a client reaches reformd through it over TLS with its token; an HTTP/2 rapid-reset flood
(streams opened and reset at once, in a loop, CVE-2023-44487) against the front leaves
reformd's memory under RSS_MAX_MB and a fresh client answered within FRESH_ANSWER_S, during
the flood and after it.

Run by ctest: nginx_front_test.py REFORMD GENERATED_DIR CONFIG
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

REFORMD, GENERATED, CONFIG = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:0] = [GENERATED]
del sys.argv[1:4]

import grpc  # noqa: E402
import h2.config  # noqa: E402
import h2.connection  # noqa: E402
import h2.errors  # noqa: E402
import h2.exceptions  # noqa: E402

from reformlog.api.v1 import security_pb2, security_pb2_grpc  # noqa: E402

RSS_MAX_MB = 512
FRESH_ANSWER_S = 1.0
FLOOD_STREAMS = 50000  # the measured attack: 99,800 streams in 8 s from one socket
FLOOD_SECONDS_MAX = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def rewrite(text, old, new):
    assert text.count(old) == 1, "the shipped config no longer has %r" % old
    return text.replace(old, new)


class NginxFrontTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="reformlog-nginx-")
        d = cls.dir
        cls.cert, key = os.path.join(d, "server.pem"), os.path.join(d, "server.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", key, "-out", cls.cert], check=True, capture_output=True)
        cls.reformd = subprocess.Popen(
            [REFORMD, "--data_dir=" + os.path.join(d, "data"), "--listen=127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = cls.reformd.stdout.readline()
        assert "listening on" in line, line
        upstream = line.split()[-1]
        with open(os.path.join(d, "data", "admin.token")) as f:
            cls.metadata = (("authorization", "Bearer " + f.read().strip()),)
        cls.port = free_port()
        with open(CONFIG) as f:
            config = f.read()
        config = rewrite(config, "pid /run/reformlog-nginx.pid;", "pid %s/nginx.pid;" % d)
        config = rewrite(config, "error_log /var/log/nginx/reformd-front.error.log warn;",
                         "error_log %s/error.log warn;" % d)
        config = rewrite(config, "listen 0.0.0.0:50443 ssl http2;",
                         "listen 127.0.0.1:%d ssl http2;" % cls.port)
        config = rewrite(config, "ssl_certificate /etc/reformlog/tls/server.pem;",
                         "ssl_certificate %s;" % cls.cert)
        config = rewrite(config, "ssl_certificate_key /etc/reformlog/tls/server.key;",
                         "ssl_certificate_key %s;" % key)
        config = rewrite(config, "grpc_pass grpc://127.0.0.1:50051;", "grpc_pass grpc://%s;" % upstream)
        # nginx's scratch directories under the test's own, so that it starts as any user.
        config = rewrite(config, "  access_log off;", "  access_log off;\n" + "".join(
            "  %s_temp_path %s/%s;\n" % (kind, d, kind)
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")))
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(config)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        cls.nginx = subprocess.Popen([nginx, "-p", d, "-c", conf, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
                break
            except OSError:
                if cls.nginx.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("nginx did not start: " + cls.nginx.stderr.read())
                time.sleep(0.05)
        with open(cls.cert, "rb") as f:
            cls.credentials = grpc.ssl_channel_credentials(root_certificates=f.read())

    @classmethod
    def tearDownClass(cls):
        cls.nginx.terminate()
        cls.nginx.wait(timeout=30)
        cls.reformd.terminate()
        assert cls.reformd.wait(timeout=60) == 0
        shutil.rmtree(cls.dir)

    def who_am_i(self, timeout=10):
        """(principal, seconds) for a fresh client through the front."""
        start = time.monotonic()
        with grpc.secure_channel("127.0.0.1:%d" % self.port, self.credentials,
                                 options=(("grpc.ssl_target_name_override", "localhost"),)) as channel:
            me = security_pb2_grpc.PrincipalsStub(channel).WhoAmI(
                security_pb2.WhoAmIRequest(), metadata=self.metadata, timeout=timeout)
        return me.principal.principal_id, time.monotonic() - start

    def test_a_client_reaches_reformd_through_the_front_with_its_token(self):
        principal, _ = self.who_am_i()
        self.assertEqual(principal, "admin")
        with grpc.secure_channel("127.0.0.1:%d" % self.port, self.credentials,
                                 options=(("grpc.ssl_target_name_override", "localhost"),)) as channel:
            with self.assertRaises(grpc.RpcError) as refused:
                security_pb2_grpc.PrincipalsStub(channel).WhoAmI(security_pb2.WhoAmIRequest(),
                                                                 timeout=10)
            self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)

    def flood(self, stop):
        """Opens and at once resets streams through the front until `stop` or the limits;
        returns (streams reset, connections the front closed)."""
        context = ssl.create_default_context(cafile=self.cert)
        context.set_alpn_protocols(["h2"])
        headers = [(":method", "POST"), (":scheme", "https"), (":authority", "localhost"),
                   (":path", "/reformlog.api.v1.Principals/WhoAmI"),
                   ("content-type", "application/grpc"), ("te", "trailers")]
        sent = 0
        cut_off = 0
        started = time.monotonic()
        while sent < FLOOD_STREAMS and not stop.is_set() and \
                time.monotonic() - started < FLOOD_SECONDS_MAX:
            raw = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock = context.wrap_socket(raw, server_hostname="localhost")
            conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
            conn.initiate_connection()
            sock.sendall(conn.data_to_send())
            sock.setblocking(False)
            try:
                while sent < FLOOD_STREAMS and not stop.is_set():
                    for _ in range(100):
                        stream = conn.get_next_available_stream_id()
                        conn.send_headers(stream, headers)
                        conn.reset_stream(stream, h2.errors.ErrorCodes.CANCEL)
                        sent += 1
                    sock.sendall(conn.data_to_send())
                    try:
                        data = sock.recv(65536)
                        if not data:
                            break
                        conn.receive_data(data)
                        sock.sendall(conn.data_to_send())
                    except (ssl.SSLWantReadError, BlockingIOError):
                        pass
                    if conn.state_machine.state.name == "CLOSED":
                        break
            except (OSError, ssl.SSLError, h2.exceptions.ProtocolError):
                pass
            cut_off += 1
            sock.close()
        return sent, cut_off

    def test_a_rapid_reset_flood_stays_at_the_front(self):
        stop = threading.Event()
        result = {}
        flooder = threading.Thread(target=lambda: result.update(zip(("sent", "cut"), self.flood(stop))))
        base_rss = rss_mb(self.reformd.pid)
        flooder.start()
        worst_rss, worst_answer = base_rss, 0.0
        try:
            time.sleep(1)
            while flooder.is_alive():
                _, answer = self.who_am_i(timeout=5)
                worst_answer = max(worst_answer, answer)
                worst_rss = max(worst_rss, rss_mb(self.reformd.pid))
                time.sleep(0.2)
        finally:
            stop.set()
            flooder.join()
        _, after = self.who_am_i()
        print("rapid reset through the front: %d streams reset over %d connections; reformd "
              "RSS %.0f → %.0f MiB at worst; a fresh client waited %.3f s at worst, %.3f s after"
              % (result.get("sent", 0), result.get("cut", 0), base_rss, worst_rss, worst_answer,
                 after), file=sys.stderr)
        self.assertGreater(result.get("sent", 0), 10000)
        self.assertLess(worst_rss, RSS_MAX_MB)
        self.assertLess(worst_answer, FRESH_ANSWER_S)
        self.assertLess(after, FRESH_ANSWER_S)
        self.assertLess(rss_mb(self.reformd.pid), RSS_MAX_MB)


if __name__ == "__main__":
    unittest.main(verbosity=2)
