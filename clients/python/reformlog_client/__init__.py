"""Reformlog client for Python: what another agency's system (finance, personnel) uses.

    from reformlog_client import Client, header
    client = Client("127.0.0.1:50051")
    result = client.budget.Disburse(request)          # any command; retried safely
    for event in client.subscribe(from_position=1):   # the feed, resuming after disconnects
        ...

The generated protobuf/gRPC modules (reformlog.api.v1.*, reformlog.domain.v1.*) are built
from the same .proto files as the server (CMake target python_client) and must be on
sys.path. Runtime: Debian's python3-grpcio and python3-protobuf.

Commands carry a request id (`header()` makes one): a retried command is answered once, so
the client retries on UNAVAILABLE and DEADLINE_EXCEEDED.
"""

import time
import uuid

import grpc

from reformlog.api.v1 import (
    budget_commands_pb2_grpc,
    common_pb2,
    feed_pb2,
    feed_pb2_grpc,
    org_commands_pb2_grpc,
    org_queries_pb2_grpc,
    power_commands_pb2_grpc,
    reform_commands_pb2_grpc,
    staffing_commands_pb2_grpc,
)

RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


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
    """Wraps a stub: every unary call gets a deadline and retries with backoff."""

    def __init__(self, stub, deadline_s, attempts, backoff_s):
        self._stub = stub
        self._deadline_s = deadline_s
        self._attempts = attempts
        self._backoff_s = backoff_s

    def __getattr__(self, name):
        method = getattr(self._stub, name)

        def call(request):
            delay = self._backoff_s
            for attempt in range(self._attempts):
                try:
                    return method(request, timeout=self._deadline_s)
                except grpc.RpcError as error:
                    if error.code() not in RETRYABLE or attempt + 1 == self._attempts:
                        raise
                    time.sleep(delay)
                    delay = min(delay * 2, 2.0)
            raise AssertionError("unreachable")

        return call


class Client:
    def __init__(self, target, deadline_s=30.0, attempts=5, backoff_s=0.1):
        self.target = target
        self._channel = grpc.insecure_channel(target)
        wrap = lambda stub: _Retrying(stub, deadline_s, attempts, backoff_s)  # noqa: E731
        self.org = wrap(org_commands_pb2_grpc.OrgCommandsStub(self._channel))
        self.staffing = wrap(staffing_commands_pb2_grpc.StaffingCommandsStub(self._channel))
        self.powers = wrap(power_commands_pb2_grpc.PowerCommandsStub(self._channel))
        self.budget = wrap(budget_commands_pb2_grpc.BudgetCommandsStub(self._channel))
        self.reform = wrap(reform_commands_pb2_grpc.ReformCommandsStub(self._channel))
        self.org_queries = wrap(org_queries_pb2_grpc.OrgQueriesStub(self._channel))
        self._feed_stub = feed_pb2_grpc.EventFeedStub(self._channel)
        self.feed = wrap(self._feed_stub)
        self._backoff_s = backoff_s
        self._stopped = False
        self._call = None

    def close(self):
        self.stop()
        self._channel.close()

    def stop(self):
        """Ends a running subscribe() from another thread."""
        self._stopped = True
        if self._call is not None:
            self._call.cancel()

    def subscribe(self, from_position=1, stream_prefix="", event_types=(), on_caught_up=None):
        """Yields events from `from_position` on, then live. After a disconnect it resumes
        from the position after the last event yielded: no gap, no duplicate."""
        next_position = from_position
        delay = self._backoff_s
        caught_up = False
        while not self._stopped:
            request = feed_pb2.SubscribeRequest(from_position=next_position)
            request.filter.stream_prefix = stream_prefix
            request.filter.event_types.extend(event_types)
            self._call = self._feed_stub.Subscribe(request)
            try:
                for item in self._call:
                    delay = self._backoff_s
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
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
