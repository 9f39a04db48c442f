"""When a call is retried, and how long the client waits in between.

A call is retried on UNAVAILABLE and DEADLINE_EXCEEDED, and a command also on ABORTED (other
commits kept getting there first and reformd gave up re-deciding it), with exponential backoff
and jitter, up to `attempts` attempts in all; after the last, its error is raised. Retrying a
command is safe because every attempt carries the same request id: a command already committed
is answered once, with the original result (README, "Exactly once"). Queries are read-only and
retried on UNAVAILABLE and DEADLINE_EXCEEDED only.
"""

import random
import time
import uuid

import grpc

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


def with_request_id(request):
    """`request` itself when its header has a request id, else a copy with a fresh one: the
    caller's message is left as it was, and every attempt sends the copy's id."""
    if request.header.request_id:
        return request
    filled = type(request)()
    filled.CopyFrom(request)
    filled.header.request_id = str(uuid.uuid4())
    return filled


class CallPolicy:
    """Deadline and retries of every unary call a Client makes (thread-safe: no state)."""

    def __init__(self, deadline_s, attempts, initial_backoff_s):
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.deadline_s = deadline_s
        self.attempts = attempts
        self.initial_backoff_s = initial_backoff_s

    def call(self, method, request, command, timeout_s=None):
        """Calls the unary stub `method` with `request`, each attempt with its own deadline
        (`timeout_s`, default the policy's), retrying as a command or a query may be."""
        retryable = RETRYABLE_COMMAND if command else RETRYABLE
        if command:
            request = with_request_id(request)
        timeout_s = self.deadline_s if timeout_s is None else timeout_s
        for attempt in range(self.attempts):
            try:
                return method(request, timeout=timeout_s)
            except grpc.RpcError as error:
                if error.code() not in retryable or attempt + 1 == self.attempts:
                    raise
                time.sleep(backoff_s(self.initial_backoff_s, attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")
