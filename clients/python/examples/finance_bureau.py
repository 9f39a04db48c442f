#!/usr/bin/env python3
"""What the finance bureau's (区财政局) system does with Reformlog.

1. It records disbursements as it pays them: each payment is a Disburse command with the
   voucher number as its request id, so a payment sent twice is recorded once; then it reads
   the line back (read-your-writes) and prints what is left on it.
2. It follows quota changes (编制: grants, withdrawals, transfers, 转换, 核销, 三定) to keep its
   payroll forecast in step, resuming where it stopped after a restart (Ctrl-C stops it).

Against the demo district as deploy/quickstart.sh loads it (the 编办's 2020 budget is approved
and nothing is paid on it yet), with the package installed (pip install clients/python):

    finance_bureau.py --server 127.0.0.1:50051 pay --agency xq-bianban --year 2020 \\
        --function 2013601 --economic 30201 --amount-fen 120000 --voucher PZ-2020-0001 \\
        --date 2020-03-25 --purpose 办公费 --basis 西财预〔2020〕4号
    finance_bureau.py --server 127.0.0.1:50051 follow-quotas --from 1

The first records 1,200.00 元 of 办公费 on the 编办's 2020 line (2013601 行政运行, 30201 办公费:
74,200.00 元, of which 2,500.00 carried over from 2019), leaving 73,000.00 元; sent again, it is
answered as already recorded. The second prints the district's quota changes since the start
of the log, then each new one as it is recorded.

The token is --token-file's, else the file REFORMLOG_TOKEN_FILE names, else reformctl's default
~/.config/reformlog/token (quickstart links it to the administrator's). The bureau's own
principal (README, Security: role finance@西区) may pay and read budgets; following the feed
needs feed.read (roles auditor, admin).
"""

import argparse
import os
import sys

import grpc

try:
    from reformlog.api.v1 import budget_commands_pb2, budget_queries_pb2
    from reformlog.domain.v1 import common_pb2, org_events_pb2
    from reformlog_client import Client, default_token_file, header
except ImportError as missing:
    sys.exit("finance_bureau.py needs the reformlog-client package (pip install clients/python): %s"
             % missing)

QUOTA_EVENTS = [
    "reformlog.domain.v1.QuotaGranted",
    "reformlog.domain.v1.QuotaWithdrawn",
    "reformlog.domain.v1.QuotaTransferredIn",
    "reformlog.domain.v1.QuotaTransferredOut",
    "reformlog.domain.v1.QuotaConverted",
    "reformlog.domain.v1.QuotaCancelled",
    "reformlog.domain.v1.MandateIssued",
]
# Events that take 编制 away from the agency.
QUOTA_DECREASES = ("QuotaWithdrawn", "QuotaTransferredOut", "QuotaCancelled")


def line_of(function_code, economic_code):
    """A basic line (基本支出) paid from the 一般公共预算."""
    line = common_pb2.BudgetLine(function_code=function_code, economic_code=economic_code)
    line.fund_source = common_pb2.GENERAL_PUBLIC_BUDGET
    line.kind = common_pb2.BASIC
    return line


def pay(client, agency, year, function_code, economic_code, amount_fen, voucher, date, purpose, basis):
    """Records one payment; returns the CommandResult. The voucher doubles as request id."""
    request = budget_commands_pb2.DisburseRequest(
        header=header(basis, effective_date=date, request_id="finance-" + voucher),
        agency_id=agency,
        fiscal_year=year,
        amount_fen=amount_fen,
        disbursement_id=voucher,
        date=date,
        purpose=purpose,
    )
    request.line.CopyFrom(line_of(function_code, economic_code))
    return client.budget.Disburse(request)


def line_amounts(client, agency, year, function_code, economic_code, min_position=0):
    """The line's BudgetLineAmounts once the read models have applied `min_position`."""
    budget = client.budget_queries.GetBudget(
        budget_queries_pb2.GetBudgetRequest(agency_id=agency, fiscal_year=year, min_position=min_position))
    wanted = line_of(function_code, economic_code)
    for line in budget.lines:
        if line.line == wanted:
            return line
    raise LookupError("%s %d has no line %s/%s" % (agency, year, function_code, economic_code))


def yuan(fen):
    sign = "-" if fen < 0 else ""
    return "%s%s.%02d 元" % (sign, "{:,}".format(abs(fen) // 100), abs(fen) % 100)


def describe_line(agency, year, line):
    a = line.amounts
    return "%s %d %s %s / %s %s: disbursed %s, available %s of %s" % (
        agency, year, line.line.function_code, line.function_name, line.line.economic_code,
        line.economic_name, yuan(a.disbursed_fen), yuan(a.available_fen), yuan(a.budget_fen))


def describe_quota_event(event):
    """One line per quota change, as the payroll forecast needs it."""
    name = event.type.rsplit(".", 1)[-1]
    message = getattr(org_events_pb2, name)()
    message.ParseFromString(event.data)
    category = common_pb2.QuotaCategory.Name
    if name == "MandateIssued":
        quotas = ", ".join("%s %d" % (category(q.category), q.count) for q in message.quotas)
        return "%d %s 三定 sets %s" % (event.position, message.agency_id, quotas or "no quota")
    if name == "QuotaConverted":
        return "%d %s -%d %s +%d %s" % (event.position, message.agency_id, message.count,
                                        category(message.from_category), message.count,
                                        category(message.to_category))
    sign = "-" if name in QUOTA_DECREASES else "+"
    return "%d %s %s%d %s" % (event.position, message.agency_id, sign, message.count,
                              category(message.category))


def follow_quotas(client, from_position, on_line, stop_after=None, on_caught_up=None):
    """Calls on_line for every quota change from `from_position`, then for live ones (until
    stop_after lines, or client.stop()); on_caught_up(position) once the past is done."""
    seen = 0
    for event in client.subscribe(from_position=from_position, stream_prefix="agency-",
                                  event_types=QUOTA_EVENTS, on_caught_up=on_caught_up):
        on_line(describe_quota_event(event))
        seen += 1
        if stop_after is not None and seen >= stop_after:
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("REFORMLOG_SERVER", "127.0.0.1:50051"),
                        help="reformd's address (default: env REFORMLOG_SERVER, else 127.0.0.1:50051)")
    parser.add_argument("--token-file", default=None,
                        help="the principal's token (default: env REFORMLOG_TOKEN_FILE, else "
                             "~/.config/reformlog/token when it exists)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pay", help="record one payment and print what is left on its line")
    for name in ("agency", "function", "economic", "voucher", "date", "purpose", "basis"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--amount-fen", type=int, required=True)
    f = sub.add_parser("follow-quotas", help="print quota changes from a position on, then live")
    f.add_argument("--from", dest="from_position", type=int, default=1)
    args = parser.parse_args()
    token_file = args.token_file or os.environ.get("REFORMLOG_TOKEN_FILE") or default_token_file()
    client = Client(args.server, token_file=token_file)
    try:
        if args.command == "pay":
            result = pay(client, args.agency, args.year, args.function, args.economic, args.amount_fen,
                         args.voucher, args.date, args.purpose, args.basis)
            print("recorded at position %d%s" % (result.position, " (already recorded)" if result.replayed else ""))
            line = line_amounts(client, args.agency, args.year, args.function, args.economic, result.position)
            print(describe_line(args.agency, args.year, line))
        else:
            def caught_up(position):
                print("caught up at position %d; following new changes (Ctrl-C stops)" % position,
                      file=sys.stderr, flush=True)

            follow_quotas(client, args.from_position, lambda line: print(line, flush=True),
                          on_caught_up=caught_up)
    except grpc.RpcError as error:
        print("refused: %s: %s" % (error.code().name, error.details()), file=sys.stderr)
        return 3 if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) else 1
    except KeyboardInterrupt:
        return 0
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
