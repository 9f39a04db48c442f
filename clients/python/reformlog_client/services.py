"""reformd's gRPC services as the Client offers them: one table, and a class per service
made from the service's own descriptor, so that every RPC in proto/reformlog/api/v1 is a
method here without being written out by hand.

Every unary method takes the request message, or its fields as keyword arguments (nested
messages as dicts, enum values by name), and returns the response message:

    client.budget.Disburse(request)
    client.budget_queries.GetBudget(agency_id="xq-bianban", fiscal_year=2020)
    client.org.GrantQuota(header=header("西委编〔2020〕3号"), agency_id="xq-dag",
                          category="ADMINISTRATIVE", count=1)

A method whose request carries a CommandHeader is a command: an empty request id is filled in
(the caller's message is not changed) and it is retried on ABORTED too (retry.py). A
server-streaming method (EventFeed.Subscribe) returns gRPC's iterator as it is, with no
deadline and no retry: Client.subscribe() is the feed that resumes after disconnects.
"""

import collections
import importlib
import textwrap

from reformlog.api.v1 import (
    admin_pb2,
    admin_pb2_grpc,
    budget_commands_pb2,
    budget_commands_pb2_grpc,
    budget_queries_pb2,
    budget_queries_pb2_grpc,
    feed_pb2,
    feed_pb2_grpc,
    integrity_pb2,
    integrity_pb2_grpc,
    org_commands_pb2,
    org_commands_pb2_grpc,
    org_queries_pb2,
    org_queries_pb2_grpc,
    power_commands_pb2,
    power_commands_pb2_grpc,
    power_queries_pb2,
    power_queries_pb2_grpc,
    reform_commands_pb2,
    reform_commands_pb2_grpc,
    reform_queries_pb2,
    reform_queries_pb2_grpc,
    security_pb2,
    security_pb2_grpc,
    staffing_commands_pb2,
    staffing_commands_pb2_grpc,
    staffing_queries_pb2,
    staffing_queries_pb2_grpc,
)

COMMAND_HEADER = "reformlog.api.v1.CommandHeader"
# The width the generated method docstrings are wrapped to.
DOC_WIDTH = 88

ServiceSpec = collections.namedtuple("ServiceSpec", ("attribute", "name", "pb2", "pb2_grpc", "summary"))
ServiceSpec.__doc__ = """One service: the Client's attribute for it, the service's name in
reformlog.api.v1, its generated modules, and what it is for (one line)."""

# Every service reformd serves, by the Client attribute that reaches it (the C++ client's names).
SERVICES = (
    ServiceSpec("org", "OrgCommands", org_commands_pb2, org_commands_pb2_grpc,
                "agencies, restructures, 三定, leader posts, quotas (编办)"),
    ServiceSpec("staffing", "StaffingCommands", staffing_commands_pb2, staffing_commands_pb2_grpc,
                "people, leaders, departures, record locks, 用编审批"),
    ServiceSpec("powers", "PowerCommands", power_commands_pb2, power_commands_pb2_grpc,
                "the power list: catalogue, 下放, 相对集中, return"),
    ServiceSpec("budget", "BudgetCommands", budget_commands_pb2, budget_commands_pb2_grpc,
                "appropriations, adjustments, disbursements, income, carry-over, projects"),
    ServiceSpec("reform", "ReformCommands", reform_commands_pb2, reform_commands_pb2_grpc,
                "reform plans and their tasks"),
    ServiceSpec("org_queries", "OrgQueries", org_queries_pb2, org_queries_pb2_grpc,
                "the org tree, an agency, a diff between dates, lineage (机构沿革)"),
    ServiceSpec("staffing_queries", "StaffingQueries", staffing_queries_pb2,
                staffing_queries_pb2_grpc, "staffing, 四清两对应 check, people"),
    ServiceSpec("power_queries", "PowerQueries", power_queries_pb2, power_queries_pb2_grpc,
                "power items, counts per holder and category, an item's history"),
    ServiceSpec("budget_queries", "BudgetQueries", budget_queries_pb2, budget_queries_pb2_grpc,
                "budgets and roll-ups, final accounts (决算), performance"),
    ServiceSpec("reform_queries", "ReformQueries", reform_queries_pb2, reform_queries_pb2_grpc,
                "plans and their progress"),
    ServiceSpec("feed", "EventFeed", feed_pb2, feed_pb2_grpc,
                "the log: read all, read a stream, head, subscribe"),
    ServiceSpec("admin", "ProjectionAdmin", admin_pb2, admin_pb2_grpc,
                "read models: status and rebuild"),
    ServiceSpec("principals", "Principals", security_pb2, security_pb2_grpc,
                "who may call: principals, roles, tokens, who am I, the audit trail"),
    ServiceSpec("integrity", "Integrity", integrity_pb2, integrity_pb2_grpc,
                "tamper evidence: log head, checkpoints, inclusion and consistency proofs"),
)


def message_class(descriptor):
    """The generated class of a top-level message type of reformlog's protos."""
    module_name = descriptor.file.name[: -len(".proto")].replace("/", ".") + "_pb2"
    return getattr(importlib.import_module(module_name), descriptor.name)


def is_command(request_descriptor):
    header = request_descriptor.fields_by_name.get("header")
    return header is not None and header.message_type is not None \
        and header.message_type.full_name == COMMAND_HEADER


class ServiceClient:
    """The base of every service's client class: holds the stub and the call policy."""

    def __init__(self, stub, policy):
        self._stub = stub
        self._policy = policy

    def __repr__(self):
        return "<%s of %s>" % (type(self).__name__, self.SERVICE)


def _request(request_class, request, fields):
    if request is None:
        return request_class(**fields)
    if fields:
        raise TypeError("give the %s or its fields as keywords, not both" % request_class.__name__)
    if not isinstance(request, request_class):
        raise TypeError("expected a %s, got a %s" % (request_class.__name__, type(request).__name__))
    return request


def _doc(service, method, request_class, response_class, command):
    fields = ", ".join(f.name for f in request_class.DESCRIPTOR.fields)
    what = ("%s.%s (%s). Give a %s, or its fields as keywords (%s); nested messages may be "
            "dicts, enum values their names. Raises grpc.RpcError with reformd's status when "
            "refused." % (service.full_name, method.name, service.file.name,
                          request_class.__name__, fields))
    if method.server_streaming:
        how = ("Server streaming: returns gRPC's iterator of %s as it is, with no retry and no "
               "deadline unless timeout_s is given; Client.subscribe() is the feed that resumes "
               "after disconnects." % response_class.__name__)
    elif command:
        how = ("A command: an empty header.request_id is filled in (the caller's request is left "
               "as it was) and every attempt carries the same one; retried on UNAVAILABLE, "
               "DEADLINE_EXCEEDED and ABORTED. timeout_s: the deadline of each attempt (default "
               "the Client's deadline_s).")
    else:
        how = ("Read-only: retried on UNAVAILABLE and DEADLINE_EXCEEDED. timeout_s: the deadline "
               "of each attempt (default the Client's deadline_s).")
    return "%s(%s) -> %s\n\n%s\n\n%s" % (
        method.name, request_class.__name__, response_class.__name__,
        textwrap.fill(what, DOC_WIDTH), textwrap.fill(how, DOC_WIDTH))


def _unary(name, request_class, command):
    def call(self, request=None, /, *, timeout_s=None, **fields):
        request = _request(request_class, request, fields)
        return self._policy.call(getattr(self._stub, name), request, command, timeout_s)

    return call


def _streaming(name, request_class):
    def call(self, request=None, /, *, timeout_s=None, **fields):
        request = _request(request_class, request, fields)
        return getattr(self._stub, name)(request, timeout=timeout_s)

    return call


def service_class(spec):
    """The client class of one service: a method per RPC, named as in the proto."""
    service = spec.pb2.DESCRIPTOR.services_by_name[spec.name]
    members = {
        "__doc__": "%s (%s): %s." % (spec.name, service.file.name, spec.summary),
        "SERVICE": service.full_name,
        "SPEC": spec,
    }
    for method in service.methods:
        if method.client_streaming:
            raise AssertionError("%s.%s: client streaming is not wrapped" % (spec.name, method.name))
        request_class = message_class(method.input_type)
        response_class = message_class(method.output_type)
        command = is_command(method.input_type)
        call = (_streaming(method.name, request_class) if method.server_streaming
                else _unary(method.name, request_class, command))
        call.__name__ = call.__qualname__ = method.name
        call.__doc__ = _doc(service, method, request_class, response_class, command)
        call.request_class, call.response_class, call.command = request_class, response_class, command
        members[method.name] = call
    return type(spec.name + "Client", (ServiceClient,), members)


# The classes, made once at import.
SERVICE_CLASSES = {spec.attribute: service_class(spec) for spec in SERVICES}


def make_service(spec, channel, policy):
    """The client of service `spec` over `channel`."""
    stub = getattr(spec.pb2_grpc, spec.name + "Stub")(channel)
    return SERVICE_CLASSES[spec.attribute](stub, policy)
