"""Anchoring confirmed tree heads on an external ledger.

An anchor writes (origin, size, root, time) somewhere the platform's operators cannot
rewrite alone, and returns a reference that finds the record again. Production uses a
consortium chain (docs/anchoring.md: FISCO BCOS, ChainMaker); development and tests use
FileAnchor, an append-only JSON-lines file whose lines are hash-chained.
"""

import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from .signing import b64


class Anchor:
    name = "anchor"

    def anchor(self, head):
        """Record a confirmed TreeHead; return a reference string (a transaction hash, …)."""
        raise NotImplementedError

    def lookup(self, reference):
        """The record a reference points to, as a dict with origin, size, root, timestamp."""
        raise NotImplementedError


class FileAnchor(Anchor):
    name = "file"

    def __init__(self, path=None):
        self.path = Path(path or settings.EVIDENCE_ANCHOR_FILE)

    def _lines(self):
        if not self.path.exists():
            return []
        return self.path.read_text().splitlines()

    def anchor(self, head):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+") as handle:
            os.lockf(handle.fileno(), os.F_LOCK, 0)  # two workers never interleave lines
            handle.seek(0)
            lines = handle.read().splitlines()
            previous = json.loads(lines[-1])["hash"] if lines else ""
            record = {
                "origin": head.origin,
                "size": head.size,
                "root": b64(bytes(head.root)),
                "timestamp": head.timestamp,
                "previous": previous,
            }
            record["hash"] = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
            handle.write(json.dumps(record, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return f"file:{self.path.name}#{len(lines) + 1}:{record['hash'][:16]}"

    def lookup(self, reference):
        try:
            line = int(reference.split("#", 1)[1].split(":", 1)[0])
            return json.loads(self._lines()[line - 1])
        except (IndexError, ValueError):
            return None


def configured():
    return [import_string(path)() for path in settings.EVIDENCE_ANCHORS]
