"""Reformlog client for Python: what another agency's system (finance, personnel) uses.

    from reformlog_client import Client, header
    client = Client("127.0.0.1:50051", token_file="/path/to/token")
    result = client.budget.Disburse(request)          # any command; retried safely
    for event in client.subscribe(from_position=1):   # the feed, resuming after disconnects
        ...

The generated protobuf/gRPC modules (reformlog.api.v1.*, reformlog.domain.v1.*) are built
from the same .proto files as the server (CMake target python_client) and must be on
sys.path. Runtime: Debian's python3-grpcio and python3-protobuf.

Every call carries the principal's bearer token ("authorization: Bearer <token>" metadata):
`token`, or the first line of `token_file` (default: the file REFORMLOG_TOKEN_FILE names).
With `root_certificates` (PEM bytes; or tls=True for the system's roots) the channel is TLS;
`private_key` and `certificate_chain` add a client certificate (mutual TLS).

Every call has a deadline. A call is retried on UNAVAILABLE and DEADLINE_EXCEEDED, and a
command also on ABORTED (other commits kept getting there first and reformd gave up
re-deciding it), with exponential backoff and jitter, up to `attempts` attempts in all
(ATTEMPTS_MAX); after the last, its error is raised. Retrying a command is safe because every
command carries a request id (`header()` makes one; the client fills one in when it is empty)
and every attempt carries the same one: a command already committed is answered once, with the
original result. Queries and the feed are read-only and retried on UNAVAILABLE and
DEADLINE_EXCEEDED only.
"""

import collections
import os
import random
import time
import uuid

import grpc

from reformlog.api.v1 import (
    budget_commands_pb2_grpc,
    common_pb2,
    feed_pb2,
    feed_pb2_grpc,
    integrity_pb2_grpc,
    org_commands_pb2_grpc,
    org_queries_pb2_grpc,
    power_commands_pb2_grpc,
    reform_commands_pb2_grpc,
    staffing_commands_pb2_grpc,
)

RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
# Commands only: every attempt carries the same request id.
RETRYABLE_COMMAND = RETRYABLE + (grpc.StatusCode.ABORTED,)
# Attempts of one call, the first included, unless the Client is given another number.
ATTEMPTS_MAX = 5
# The longest wait between two attempts, in seconds.
BACKOFF_MAX_S = 2.0


def backoff_s(initial_s, retry):
    """The wait before retry number `retry` (0: before the second attempt): `initial_s` doubled
    per retry, at most BACKOFF_MAX_S, and of that d a random wait in [d/2, d] (jitter: clients
    that collided do not retry in step)."""
    d = min(initial_s * 2**retry, BACKOFF_MAX_S)
    return d / 2 + random.uniform(0, d / 2)


def header(basis_number, effective_date="", plan_id="", request_id=None, issuer="", title=""):
    """A command header: a fresh request id unless one is given (give the same to retry)."""
    h = common_pb2.CommandHeader(
        request_id=request_id or str(uuid.uuid4()),
        effective_date=effective_date,
        plan_id=plan_id,
    )
    h.basis.number = basis_number
    h.basis.issuer = issuer
    h.basis.title = title
    return h


class _Retrying:
    """Wraps a stub: every unary call gets a deadline and retries with backoff. For a command
    stub (`command`), ABORTED is retried too, and an empty request id is filled in once, before
    the first attempt."""

    def __init__(self, stub, deadline_s, attempts, backoff_s, command=False):
        self._stub = stub
        self._deadline_s = deadline_s
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._command = command

    def __getattr__(self, name):
        method = getattr(self._stub, name)
        retryable = RETRYABLE_COMMAND if self._command else RETRYABLE

        def call(request):
            if self._command and not request.header.request_id:
                filled = type(request)()
                filled.CopyFrom(request)
                filled.header.request_id = str(uuid.uuid4())
                request = filled
            for attempt in range(self._attempts):
                try:
                    return method(request, timeout=self._deadline_s)
                except grpc.RpcError as error:
                    if error.code() not in retryable or attempt + 1 == self._attempts:
                        raise
                    time.sleep(backoff_s(self._backoff_s, attempt))
            raise AssertionError("unreachable")

        return call


# The longest token file read (a token is 47 bytes).
TOKEN_FILE_BYTES_MAX = 4096


def read_token_file(path):
    """The token in file `path`; ValueError naming the file when it is empty or not one word."""
    with open(path, "rb") as f:
        data = f.read(TOKEN_FILE_BYTES_MAX + 1)
    if len(data) > TOKEN_FILE_BYTES_MAX:
        raise ValueError("the token file %s is larger than any token" % path)
    words = data.decode("utf-8").split()
    if len(words) != 1:
        raise ValueError("the token file %s must hold exactly one token" % path)
    return words[0]


class _CallDetails(
    collections.namedtuple(
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class _BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds the bearer token to every call's metadata."""

    def __init__(self, token):
        self._metadata = ("authorization", "Bearer " + token)

    def _details(self, details):
        metadata = list(details.metadata or []) + [self._metadata]
        return _CallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            getattr(details, "wait_for_ready", None),
            getattr(details, "compression", None),
        )

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)


class Client:
    def __init__(
        self,
        target,
        deadline_s=30.0,
        attempts=ATTEMPTS_MAX,
        backoff_s=0.1,
        token=None,
        token_file=None,
        tls=False,
        root_certificates=None,
        private_key=None,
        certificate_chain=None,
    ):
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.target = target
        if token is None:
            token_file = token_file or os.environ.get("REFORMLOG_TOKEN_FILE")
            if token_file:
                token = read_token_file(token_file)
        if tls or root_certificates or certificate_chain:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=root_certificates,
                private_key=private_key,
                certificate_chain=certificate_chain,
            )
            self._raw_channel = grpc.secure_channel(target, credentials)
        else:
            self._raw_channel = grpc.insecure_channel(target)
        self._channel = (
            grpc.intercept_channel(self._raw_channel, _BearerToken(token))
            if token
            else self._raw_channel
        )

        def wrap(stub, command=False):
            return _Retrying(stub, deadline_s, attempts, backoff_s, command)

        channel = self._channel
        self.org = wrap(org_commands_pb2_grpc.OrgCommandsStub(channel), command=True)
        self.staffing = wrap(staffing_commands_pb2_grpc.StaffingCommandsStub(channel), command=True)
        self.powers = wrap(power_commands_pb2_grpc.PowerCommandsStub(channel), command=True)
        self.budget = wrap(budget_commands_pb2_grpc.BudgetCommandsStub(channel), command=True)
        self.reform = wrap(reform_commands_pb2_grpc.ReformCommandsStub(channel), command=True)
        self.org_queries = wrap(org_queries_pb2_grpc.OrgQueriesStub(self._channel))
        self._feed_stub = feed_pb2_grpc.EventFeedStub(self._channel)
        self.feed = wrap(self._feed_stub)
        # Heads, checkpoints and proofs of the log (reformlog_client.audit checks them).
        self.integrity = wrap(integrity_pb2_grpc.IntegrityStub(self._channel))
        self._backoff_s = backoff_s
        self._stopped = False
        self._call = None

    def close(self):
        self.stop()
        self._raw_channel.close()

    def stop(self):
        """Ends a running subscribe() from another thread."""
        self._stopped = True
        if self._call is not None:
            self._call.cancel()

    def subscribe(self, from_position=1, stream_prefix="", event_types=(), on_caught_up=None):
        """Yields events from `from_position` on, then live. After a disconnect it resumes
        from the position after the last event yielded: no gap, no duplicate."""
        next_position = from_position
        failures = 0
        caught_up = False
        while not self._stopped:
            request = feed_pb2.SubscribeRequest(from_position=next_position)
            request.filter.stream_prefix = stream_prefix
            request.filter.event_types.extend(event_types)
            self._call = self._feed_stub.Subscribe(request)
            try:
                for item in self._call:
                    failures = 0
                    if item.HasField("event"):
                        next_position = item.event.position + 1
                        yield item.event
                    elif not caught_up:
                        caught_up = True
                        if on_caught_up is not None:
                            on_caught_up(item.caught_up_at_position)
            except grpc.RpcError as error:
                if self._stopped or error.code() == grpc.StatusCode.CANCELLED and self._stopped:
                    return
                if error.code() not in RETRYABLE + (grpc.StatusCode.CANCELLED,):
                    raise
                time.sleep(backoff_s(self._backoff_s, failures))
                failures += 1
