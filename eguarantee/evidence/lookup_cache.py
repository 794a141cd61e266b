"""Public lookups kept in memory, and dropped the moment the database changes what they show.

The public 保函查验 is read far more often than anything it shows changes, and its one query
cost more than all the rest of the request. On PostgreSQL, triggers (migration 0002) send a
notification on the channel CHANNEL from every statement that changes a table a lookup
reads: guarantees, their documents, the organisations and types they name, document
leaves, heads, co-signatures, witnesses. The database sends it, so a change made behind the
platform's back (raw SQL) drops the kept lookups as surely as one made through it.

Each process listens on a connection of its own, in a thread. A lookup is served from
memory only while that connection is up and listening; when it is not (never on SQLite,
which has no notifications; a lost connection; before the first LISTEN), every lookup
reads the database. A notification clears everything kept and moves the epoch on; a
lookup read before that moment is not kept (put() compares epochs), so what is kept
always reflects a database no older than the last notification received. What is left is
the delivery time of a notification after its commit (well under a millisecond on one
machine): a lookup in that gap answers as one made just before the commit would have.
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

CHANNEL = "eguarantee_lookups"
SIZE = 4096
RETRY_SECONDS = 1.0


class LookupCache:
    def __init__(self, size=SIZE):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()
        self._epoch = 0
        self._listening = False
        self._thread = None
        self._pid = None
        self._stop = threading.Event()

    # ------------------------------------------------------------ for lookups

    def epoch(self):
        """The epoch to hand to put() for a lookup about to read the database, or None
        when nothing may be kept now."""
        if not settings.EVIDENCE_LOOKUP_CACHE:
            return None
        self._start()
        with self._lock:
            return self._epoch if self._listening else None

    def get(self, key):
        with self._lock:
            if not self._listening:
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value, epoch):
        """Keep `value` read at `epoch`, unless the database changed since (or nothing may
        be kept)."""
        if epoch is None:
            return
        with self._lock:
            if not self._listening or epoch != self._epoch:
                return
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def listening(self):
        with self._lock:
            return self._listening

    def wait_listening(self, timeout=10.0):
        """True once the listener is up (tests, and a worker's first requests)."""
        deadline = time.monotonic() + timeout
        while not self.listening():
            if time.monotonic() > deadline:
                return False
            self.epoch()
            time.sleep(0.01)
        return True

    def stop(self):
        """Stop listening and forget everything (tests; a process on its way out)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None
        self._forget(listening=False)

    # ------------------------------------------------------------ the listener

    def _start(self):
        if connections["default"].vendor != "postgresql":
            return
        if self._running():
            return
        with self._lock:
            if self._running():
                return
            self._pid = os.getpid()
            self._stop = threading.Event()
            self._listening = False
            self._entries.clear()
            self._thread = threading.Thread(target=self._run, name="evidence-lookup-listener", daemon=True)
            self._thread.start()

    def _running(self):
        # Per process: a thread does not survive the fork of a server's workers.
        return self._pid == os.getpid() and self._thread is not None and self._thread.is_alive()

    def _run(self):
        import psycopg

        stop = self._stop
        while not stop.is_set():
            try:
                params = connections["default"].get_connection_params()
                with psycopg.connect(**params, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    # Anything read before LISTEN may be older than a change it missed.
                    self._forget(listening=True)
                    while not stop.is_set():  # wakes each second to see whether to stop
                        for _notice in connection.notifies(timeout=1.0):
                            self._forget()
            except Exception as exc:  # a lost connection: read the database until it is back
                if not stop.is_set():
                    log.warning("lookup cache not listening (%s); retrying in %ss", exc, RETRY_SECONDS)
            finally:
                self._forget(listening=False)
            stop.wait(RETRY_SECONDS)

    def _forget(self, listening=None):
        with self._lock:
            self._epoch += 1
            self._entries.clear()
            if listening is not None:
                self._listening = listening


LOOKUPS = LookupCache()
