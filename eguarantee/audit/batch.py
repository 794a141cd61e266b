"""Operation-log rows of the public lookups, written a batch at a time.

The public 保函查验 is anonymous, reads only, and is by far the busiest request: writing
its row in the request (an INSERT and its commit) cost as much as the lookup itself. A view
that answers such a read marks it (request.audit_batched), and its row is kept in the
process and written with others in one INSERT by a thread of the process's own, once
OPERATION_LOG_BATCH_ROWS rows have gathered or OPERATION_LOG_BATCH_SECONDS have passed since
the first, whichever comes first, and when the process exits.

What this gives up is bounded and stated (docs/evidence.md): a process killed outright, or
a machine that loses power, loses the lookups of its last OPERATION_LOG_BATCH_SECONDS. Rows
are still complete, and are chained into the audit hash chain like any other. Everything a
user changes, every login and every department inspection is written in its own request,
in its own transaction, as before. OPERATION_LOG_BATCH_ROWS=1 writes every row in its
request (the tests do, since a thread's connection cannot see a test's transaction).
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections, router, transaction

logger = logging.getLogger(__name__)


class Batch:
    """Rows waiting to be written, and the thread that writes them."""

    def __init__(self, model):
        self.model = model
        self._rows = []
        self._first_at = None
        self._wake = threading.Condition()
        self._thread = None
        self._pid = None
        self._closing = False
        atexit.register(self.close)

    def add(self, row):
        """Keep `row` (an unsaved model instance) for the next batch."""
        with self._wake:
            self._start()
            self._rows.append(row)
            if self._first_at is None:  # the writer sleeps until a first row comes
                self._first_at = time.monotonic()
                self._wake.notify()
            elif len(self._rows) >= settings.OPERATION_LOG_BATCH_ROWS:
                self._wake.notify()

    def flush(self):
        """Write every row kept so far, now, on the calling thread's connection."""
        with self._wake:
            rows, self._rows, self._first_at = self._rows, [], None
        self._write(rows)

    def close(self):
        """Stop the writer, closing its connection, and write what is kept (at exit)."""
        with self._wake:
            self._closing = True
            self._wake.notify()
            thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=10)
        self.flush()

    def pending(self):
        with self._wake:
            return len(self._rows)

    def _start(self):
        # Per process: a server that forks its workers after importing the app must give
        # each worker its own writer (a thread does not survive a fork).
        if self._pid != os.getpid() or self._thread is None or not self._thread.is_alive():
            self._pid = os.getpid()
            self._closing = False
            self._thread = threading.Thread(target=self._run, name="operation-log-batch", daemon=True)
            self._thread.start()

    def _run(self):
        try:
            while True:
                with self._wake:
                    while not self._closing and not self._due():
                        self._wake.wait(timeout=self._wait())
                    if self._closing:
                        return
                    rows, self._rows, self._first_at = self._rows, [], None
                self._write(rows)
                close_old_connections()  # this thread's own, kept as the server's are (CONN_MAX_AGE)
        finally:
            connections.close_all()

    def _due(self):
        if not self._rows:
            return False
        full = len(self._rows) >= settings.OPERATION_LOG_BATCH_ROWS
        return full or time.monotonic() - self._first_at >= settings.OPERATION_LOG_BATCH_SECONDS

    def _wait(self):
        if self._first_at is None:
            return None  # nothing kept: sleep until a row comes
        return max(0.0, settings.OPERATION_LOG_BATCH_SECONDS - (time.monotonic() - self._first_at))

    def _write(self, rows):
        if not rows:
            return
        try:
            _insert(self.model, rows)
        except Exception:  # the log must never take the server down; say what was lost
            logger.exception("%d operation-log rows of public lookups not written", len(rows))


def _insert(model, rows):
    """One INSERT per row, all in one transaction and one round of executemany: a fifth of
    the CPU of bulk_create(), whose per-value compiling cost more than the rows' lookups.
    Values are prepared by their fields, as the ORM would save them."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own names)
        q(model._meta.db_table), ", ".join(q(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    values = [tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields) for row in rows]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(sql, values)


def enabled():
    return settings.OPERATION_LOG_BATCH_ROWS > 1


class BatchedAuditMixin:
    """For a view of public reads: its requests' operation-log rows go to the batch. Works
    on Django's and DRF's class views alike (dispatch gets Django's request)."""

    def dispatch(self, request, *args, **kwargs):
        request.audit_batched = True
        return super().dispatch(request, *args, **kwargs)
