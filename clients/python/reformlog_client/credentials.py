"""The principal's bearer token: where it is read from, and how every call carries it
("authorization: Bearer <token>" metadata) and the language asked for (accept-language)."""

import collections
import os

import grpc

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


def default_token_file():
    """reformctl's default token file: $XDG_CONFIG_HOME/reformlog/token, else
    ~/.config/reformlog/token (deploy/quickstart.sh links it to the administrator's token), when
    it exists; else None. For command-line tools: a Client never reads it unless told to."""
    config = os.environ.get("XDG_CONFIG_HOME")
    home = os.environ.get("HOME")
    if config:
        path = os.path.join(config, "reformlog", "token")
    elif home:
        path = os.path.join(home, ".config", "reformlog", "token")
    else:
        return None
    return path if os.path.isfile(path) else None


def find_token(token=None, token_file=None):
    """The token a Client sends: `token`; else the first word of `token_file`; else of the file
    REFORMLOG_TOKEN_FILE names; else None (the calls then carry no token: only a TLS client
    certificate can authenticate them)."""
    if token:
        return token
    token_file = token_file or os.environ.get("REFORMLOG_TOKEN_FILE")
    return read_token_file(token_file) if token_file else None


class _CallDetails(
    collections.namedtuple(
        "_CallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class CallMetadata(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds `pairs` ((key, value), …) to every call's metadata."""

    def __init__(self, pairs):
        self._metadata = list(pairs)

    def _details(self, details):
        metadata = list(details.metadata or []) + self._metadata
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


class BearerToken(CallMetadata):
    """Adds the bearer token to every call's metadata."""

    def __init__(self, token):
        super().__init__([("authorization", "Bearer " + token)])
