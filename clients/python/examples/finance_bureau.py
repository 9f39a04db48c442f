#!/usr/bin/env python3
"""What the finance bureau's (区财政局) system does with Reformlog.

1. It records disbursements as it pays them: each payment is a Disburse command with the
   voucher number as its request id, so a payment sent twice is recorded once.
2. It follows quota changes (编制: grants, withdrawals, transfers, 三定) to keep its payroll
   forecast in step, resuming where it stopped after a restart.

    finance_bureau.py --server 127.0.0.1:50051 pay --agency xiqu-bianban --year 2019 \\
        --function 2013601 --economic 30201 --amount-fen 12000 --voucher PZ-2019-0001 \\
        --date 2019-06-30 --purpose 办公费 --basis 西财预〔2019〕12号
    finance_bureau.py --server 127.0.0.1:50051 follow-quotas --from 1
"""

import argparse
import sys

import grpc

from reformlog.api.v1 import budget_commands_pb2
from reformlog.domain.v1 import common_pb2, org_events_pb2
from reformlog_client import Client, header

QUOTA_EVENTS = [
    "reformlog.domain.v1.QuotaGranted",
    "reformlog.domain.v1.QuotaWithdrawn",
    "reformlog.domain.v1.QuotaTransferredIn",
    "reformlog.domain.v1.QuotaTransferredOut",
    "reformlog.domain.v1.MandateIssued",
]


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
    request.line.fund_source = common_pb2.GENERAL_PUBLIC_BUDGET
    request.line.function_code = function_code
    request.line.economic_code = economic_code
    request.line.kind = common_pb2.BASIC
    return client.budget.Disburse(request)


def describe_quota_event(event):
    """One line per quota change, as the payroll forecast needs it."""
    name = event.type.rsplit(".", 1)[-1]
    message = getattr(org_events_pb2, name)()
    message.ParseFromString(event.data)
    if name == "MandateIssued":
        quotas = ", ".join(
            "%s %d" % (common_pb2.QuotaCategory.Name(q.category), q.count) for q in message.quotas
        )
        return "%d %s 三定 sets %s" % (event.position, message.agency_id, quotas or "no quota")
    sign = "-" if name in ("QuotaWithdrawn", "QuotaTransferredOut") else "+"
    return "%d %s %s%d %s" % (
        event.position,
        message.agency_id,
        sign,
        message.count,
        common_pb2.QuotaCategory.Name(message.category),
    )


def follow_quotas(client, from_position, on_line, stop_after=None):
    """Prints every quota change from `from_position`, then live ones (until stop_after)."""
    seen = 0
    for event in client.subscribe(from_position=from_position, stream_prefix="agency-", event_types=QUOTA_EVENTS):
        on_line(describe_quota_event(event))
        seen += 1
        if stop_after is not None and seen >= stop_after:
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--token-file", default=None,
                        help="the finance principal's token (default: env REFORMLOG_TOKEN_FILE)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pay")
    for name in ("agency", "function", "economic", "voucher", "date", "purpose", "basis"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--amount-fen", type=int, required=True)
    f = sub.add_parser("follow-quotas")
    f.add_argument("--from", dest="from_position", type=int, default=1)
    args = parser.parse_args()
    client = Client(args.server, token_file=args.token_file)
    try:
        if args.command == "pay":
            result = pay(client, args.agency, args.year, args.function, args.economic, args.amount_fen,
                         args.voucher, args.date, args.purpose, args.basis)
            print("recorded at position %d%s" % (result.position, " (already recorded)" if result.replayed else ""))
        else:
            follow_quotas(client, args.from_position, print)
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
