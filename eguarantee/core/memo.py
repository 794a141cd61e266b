"""A memo that lives exactly as long as the transaction (or savepoint) that wrote it.

Django has no hook before COMMIT, so a subscriber cannot buffer rows and flush them at the
end of the batch. What it can do is remember, for the rest of the transaction, which
events it has already written rows for — and forget it the moment that transaction ends.
An on_commit callback registered when the memo is filled stays in `connection.run_on_commit`
until the transaction commits, or until the transaction or savepoint it was registered in
rolls back (Django drops it then). So: the memo is valid while its marker is pending.
"""

import threading

from django.db import DEFAULT_DB_ALIAS, connections, transaction


class TransactionMemo(threading.local):  # two workers in two threads never share one
    def __init__(self):
        self.key = None
        self.ids = frozenset()
        self.marker = None

    def covers(self, key, item, using=DEFAULT_DB_ALIAS):
        return key == self.key and item in self.ids and self._pending(using)

    def remember(self, key, ids, using=DEFAULT_DB_ALIAS):
        connection = connections[using]
        if not connection.in_atomic_block:  # autocommit: nothing to remember past this call
            self.key, self.ids, self.marker = None, frozenset(), None
            return

        def marker():  # runs at commit, when the memo has no more use
            if self.marker is marker:
                self.key, self.ids, self.marker = None, frozenset(), None

        self.key, self.ids, self.marker = key, frozenset(ids), marker
        transaction.on_commit(marker, using=using)

    def _pending(self, using):
        marker = self.marker
        if marker is None:
            return False
        # Registered early in the transaction, the marker sits near the front: found at once.
        return any(entry[1] is marker for entry in connections[using].run_on_commit)
