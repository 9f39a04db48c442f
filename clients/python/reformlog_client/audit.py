"""Checks a Reformlog log's tamper evidence without Reformlog's own code.

What it checks, as specified in eventstore/log_hash.h and eventstore/checkpoint_note.h:
  * a signed checkpoint (the text an auditor keeps off the host): its SM2 or Ed25519
    signature, with `openssl pkeyutl` and the public key the auditor holds;
  * that an event is in the log: its chain hash recomputed from the event as the feed serves
    it (and the previous chain hash, from the proof), the tree's leaf over it, and its
    RFC 9162 inclusion proof against a checkpoint's Merkle root;
  * that the log has only grown since a checkpoint: an RFC 9162 consistency proof from the
    kept checkpoint's root to the present one.
Hashes are SM3 (GB/T 32905) or SHA-256, through Python's hashlib (OpenSSL).

From the command line, the auditor's check of a kept checkpoint:

    python3 -m reformlog_client.audit --server HOST:PORT --token-file auditor.token \\
        --checkpoint kept.checkpoint --public-key checkpoint.pub.pem [--position N]
"""

import argparse
import base64
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

SM2_DISTINGUISHING_ID = "1234567812345678"
HEADER = "reformlog checkpoint v1"
SIGNATURE_PREFIX = "\u2014 "


def hasher(name):
    """hashlib's constructor for "sm3" or "sha256"."""
    if name not in ("sm3", "sha256"):
        raise ValueError("unknown digest %r" % name)
    return lambda data: hashlib.new(name, data).digest()


def _lp(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def canonical_record(event):
    """The canonical bytes of a feed event (reformlog.api.v1.Event)."""
    out = struct.pack(">Q", event.position)
    out += _lp(event.stream_id)
    out += struct.pack(">Q", event.stream_version)
    out += _lp(event.event_id) + _lp(event.type) + _lp(event.data)
    out += struct.pack(">q", event.recorded_at_us)
    for field in (event.effective_date, event.principal, event.basis.number, event.basis.issuer,
                  event.basis.date, event.basis.title, event.commit_id, event.correlation_id,
                  event.causation_id):
        out += _lp(field)
    return out


def chain_hash(h, previous, canonical):
    return h(previous + canonical)


def leaf_hash(h, entry):
    """A tree leaf; the log's entries are its records' chain hashes."""
    return h(b"\x00" + entry)


def node_hash(h, left, right):
    return h(b"\x01" + left + right)


def merkle_root(h, leaves):
    """RFC 9162 MTH over leaf hashes (for small trees and reference vectors)."""
    if not leaves:
        return h(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(h, merkle_root(h, leaves[:k]), merkle_root(h, leaves[k:]))


def verify_inclusion(h, leaf, index, size, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(h, p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(h, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(h, old_size, new_size, old_root, new_root, path):
    """RFC 9162 section 2.1.4.2."""
    if old_size == 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if not path:
        return False
    path = list(path)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(h, c, fr)
            sr = node_hash(h, c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(h, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class Checkpoint:
    """A parsed checkpoint note."""

    def __init__(self, text):
        if not text.endswith("\n"):
            raise ValueError("a checkpoint ends with a newline")
        lines = text[:-1].split("\n")
        if len(lines) != 9 or lines[0] != HEADER or lines[7] != "":
            raise ValueError("not a reformlog checkpoint v1")
        fields = {}
        for line, key in zip(lines[1:7], ("log", "size", "digest", "chain", "root", "time")):
            name, _, value = line.partition(" ")
            if name != key or not value:
                raise ValueError("expected %s, got %r" % (key, line))
            fields[key] = value
        if not lines[8].startswith(SIGNATURE_PREFIX):
            raise ValueError("no signature line")
        algorithm, key_id, signature = lines[8][len(SIGNATURE_PREFIX):].split(" ")
        self.body = "\n".join(lines[:7]) + "\n"
        self.log = fields["log"]
        self.size = int(fields["size"])
        self.digest = fields["digest"]
        self.chain = bytes.fromhex(fields["chain"])
        self.root = bytes.fromhex(fields["root"])
        self.time = fields["time"]
        self.signature_algorithm = algorithm
        self.key_id = key_id
        self.signature = base64.b64decode(signature, validate=True)


def verify_signature(checkpoint, public_key_pem, openssl="openssl"):
    """True when the checkpoint's signature verifies with the key (openssl pkeyutl)."""
    with tempfile.TemporaryDirectory(prefix="reformlog-audit-") as scratch:
        paths = {}
        for name, data in (("key", public_key_pem.encode()), ("body", checkpoint.body.encode()),
                           ("sig", checkpoint.signature)):
            paths[name] = os.path.join(scratch, name)
            with open(paths[name], "wb") as f:
                f.write(data)
        command = [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", paths["key"], "-rawin",
                   "-in", paths["body"], "-sigfile", paths["sig"]]
        if checkpoint.signature_algorithm == "sm2":
            command += ["-digest", "sm3", "-pkeyopt", "distid:" + SM2_DISTINGUISHING_ID]
        elif checkpoint.signature_algorithm != "ed25519":
            return False
        run = subprocess.run(command, capture_output=True)
        return run.returncode == 0


def audit(client, checkpoint, public_key_pem, position=0):
    """Checks a kept checkpoint against a live log; returns lines to print, raises on failure."""
    from reformlog.api.v1 import feed_pb2, integrity_pb2

    if checkpoint.log != "main":
        raise ValueError("this is a checkpoint of the %s log; the proofs are of the main log"
                         % checkpoint.log)
    if not verify_signature(checkpoint, public_key_pem):
        raise ValueError("the checkpoint's signature does not verify with the key given")
    h = hasher(checkpoint.digest)
    proof = client.integrity.GetConsistencyProof(
        integrity_pb2.ConsistencyProofRequest(old_size=checkpoint.size))
    if not verify_consistency(h, checkpoint.size, proof.new_size, checkpoint.root,
                              proof.new_root, list(proof.path)):
        raise ValueError("the log is not an extension of the checkpoint at size %d: "
                         "something at or before it was rewritten" % checkpoint.size)
    lines = ["checkpoint at size %d (signed %s) holds; the log has only grown since, to %d"
             % (checkpoint.size, checkpoint.time, proof.new_size)]
    if position:
        events = client.feed.ReadAll(feed_pb2.ReadAllRequest(from_position=position, max_count=1))
        if not events.events or events.events[0].position != position:
            raise ValueError("the feed has no event at position %d" % position)
        inclusion = client.integrity.GetInclusionProof(
            integrity_pb2.InclusionProofRequest(position=position, size=proof.new_size))
        chain = chain_hash(h, inclusion.previous_chain, canonical_record(events.events[0]))
        leaf = leaf_hash(h, chain)
        if not verify_inclusion(h, leaf, position - 1, proof.new_size, list(inclusion.path),
                                proof.new_root):
            raise ValueError("event %d, as the feed serves it, is not the one in the log"
                             % position)
        lines.append("event %d is in the log as the feed serves it" % position)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--checkpoint", required=True, help="a checkpoint kept off the host")
    parser.add_argument("--public-key", required=True, help="the checkpoint key (PEM)")
    parser.add_argument("--position", type=int, default=0, help="also prove this event")
    args = parser.parse_args(argv)
    from reformlog_client import Client

    with open(args.checkpoint) as f:
        checkpoint = Checkpoint(f.read())
    with open(args.public_key) as f:
        key = f.read()
    client = Client(args.server, token_file=args.token_file)
    try:
        for line in audit(client, checkpoint, key, args.position):
            print(line)
    except ValueError as problem:
        print("NOT VERIFIED: %s" % problem, file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
