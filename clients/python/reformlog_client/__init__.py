"""Reformlog client for Python: what another agency's system (finance, personnel) uses.

    from reformlog_client import Client, header
    with Client("127.0.0.1:50051", token_file="finance-xq.token") as client:
        result = client.budget.Disburse(header=header("西财预〔2020〕4号", "2020-03-25"), ...)
        budget = client.budget_queries.GetBudget(agency_id="xq-bianban", fiscal_year=2020,
                                                 min_position=result.position)
        for event in client.subscribe(from_position=1):   # the feed, resuming after disconnects
            ...

Every service reformd serves is an attribute of Client, named as in the C++ client (org,
staffing, powers, budget, reform; org_queries, staffing_queries, power_queries,
budget_queries, reform_queries; feed, admin, principals, integrity), with a method per RPC
(services.py). Calls carry the principal's bearer token, have a deadline and are retried
safely: a command with the same request id on every attempt (retry.py). A refusal raises
grpc.RpcError with reformd's status code and message.

Install: `pip install clients/python` from the repository; it generates the protobuf/gRPC
modules (reformlog.api.v1.*, reformlog.domain.v1.*) from proto/ as it builds (README.md beside
setup.py). Needs grpcio and protobuf (Debian 12: python3-grpcio, python3-protobuf).
"""

from reformlog_client.client import Client, header
from reformlog_client.credentials import default_token_file, read_token_file
from reformlog_client.retry import (
    ATTEMPTS_MAX,
    BACKOFF_MAX_S,
    RETRYABLE,
    RETRYABLE_COMMAND,
    backoff_s,
)
from reformlog_client.services import SERVICES

__all__ = [
    "ATTEMPTS_MAX",
    "BACKOFF_MAX_S",
    "RETRYABLE",
    "RETRYABLE_COMMAND",
    "SERVICES",
    "Client",
    "backoff_s",
    "default_token_file",
    "header",
    "read_token_file",
]
