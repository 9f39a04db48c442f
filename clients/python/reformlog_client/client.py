"""Client: one channel to reformd and a client of every service on it; header() for commands."""

import time
import uuid

import grpc

from reformlog.api.v1 import common_pb2, feed_pb2, feed_pb2_grpc

from reformlog_client import credentials, retry, services


def header(basis_number, effective_date="", plan_id="", request_id=None, issuer="", title="",
           date="", correlation_id="", dry_run=False):
    """A command header (reformlog.api.v1.CommandHeader) on the document `basis_number` (文号;
    `issuer` 发文机关, `date` and `title` the document's): a fresh request id unless one is given
    (give the same one to send the same request again). `effective_date` YYYY-MM-DD (empty: the
    server's today); `plan_id` to change what a plan locked; `dry_run` to decide and record
    nothing."""
    h = common_pb2.CommandHeader(
        request_id=request_id or str(uuid.uuid4()),
        effective_date=effective_date,
        plan_id=plan_id,
        correlation_id=correlation_id,
        dry_run=dry_run,
    )
    h.basis.number = basis_number
    h.basis.issuer = issuer
    h.basis.date = date
    h.basis.title = title
    return h


class Client:
    """A connection to reformd (`target`, "host:port"); it connects lazily.

    Credentials: the bearer token `token`, else the first word of `token_file`, else of the
    file REFORMLOG_TOKEN_FILE names (credentials.default_token_file() is reformctl's default,
    for command-line tools to pass). With `root_certificates` (PEM bytes), or tls=True for the
    system's roots, the channel is TLS; `private_key` and `certificate_chain` (PEM bytes) add a
    client certificate (mutual TLS).

    Refusals and other messages people read come in the language `language` asks for (sent as
    accept-language: "zh-CN", "en"); without it reformd answers in Chinese. Status codes are
    the same in every language.

    Every unary call has a deadline of `deadline_s` per attempt and is retried as retry.py says,
    up to `attempts` attempts, the waits starting at `backoff_s` seconds. Thread-safe, but for
    subscribe(): one subscription at a time per Client. Usable as a context manager (close()).

    The services, as attributes (each method documented with help(); see services.py):
"""

    def __init__(
        self,
        target,
        deadline_s=30.0,
        attempts=retry.ATTEMPTS_MAX,
        backoff_s=0.1,
        token=None,
        token_file=None,
        tls=False,
        root_certificates=None,
        private_key=None,
        certificate_chain=None,
        language=None,
    ):
        self.target = target
        self._policy = retry.CallPolicy(deadline_s, attempts, backoff_s)
        token = credentials.find_token(token, token_file)
        if tls or root_certificates or certificate_chain:
            channel_credentials = grpc.ssl_channel_credentials(
                root_certificates=root_certificates,
                private_key=private_key,
                certificate_chain=certificate_chain,
            )
            self._raw_channel = grpc.secure_channel(target, channel_credentials)
        else:
            self._raw_channel = grpc.insecure_channel(target)
        metadata = []
        if token:
            metadata.append(("authorization", "Bearer " + token))
        if language:
            metadata.append(("accept-language", language))
        self._channel = (
            grpc.intercept_channel(self._raw_channel, credentials.CallMetadata(metadata))
            if metadata
            else self._raw_channel
        )
        for spec in services.SERVICES:
            setattr(self, spec.attribute, services.make_service(spec, self._channel, self._policy))
        self._feed_stub = feed_pb2_grpc.EventFeedStub(self._channel)
        self._stopped = False
        self._call = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.stop()
        self._raw_channel.close()

    def stop(self):
        """Ends a running subscribe() from another thread."""
        self._stopped = True
        if self._call is not None:
            self._call.cancel()

    def subscribe(self, from_position=1, stream_prefix="", event_types=(), on_caught_up=None):
        """Yields the log's events (reformlog.api.v1.Event) from `from_position` on, then live
        ones, those of streams starting with `stream_prefix` and of `event_types` (full names)
        when given; calls on_caught_up(position) once, when the past has been delivered. After a
        disconnect it resumes from the position after the last event yielded: no gap, no
        duplicate. Ends when stop() is called; raises grpc.RpcError on a refusal."""
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
                if self._stopped:
                    return
                if error.code() not in retry.RETRYABLE + (grpc.StatusCode.CANCELLED,):
                    raise
                time.sleep(retry.backoff_s(self._policy.initial_backoff_s, failures))
                failures += 1


# The services in the class's documentation, from the table itself.
Client.__doc__ += "".join(
    "\n        %-17s %s: %s" % (spec.attribute, spec.name, spec.summary) for spec in services.SERVICES
) + "\n"
