"""Domain events: how the apps that react to business facts (evidence, credit, settlement,
notifications, exchange) hear of them without the business apps importing them.

    events.subscribe("guarantee.issued", record_leaf)                  # in the transaction
    events.subscribe("guarantee.issued", notify_parties, after_commit=True)
    events.publish("guarantee.issued", guarantee=g, actor=user)
    events.subscribe("guarantee.*", record_leaf)                       # every guarantee.<action>

An in-transaction subscriber commits or rolls back with the fact, and an exception in it
undoes the fact. An after-commit subscriber runs once the fact is committed (queue work to
the task worker there); its failure never undoes the fact.
"""

import logging
from collections import defaultdict
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)

_in_transaction = defaultdict(list)
_after_commit = defaultdict(list)


def subscribe(name, handler, *, after_commit=False):
    handlers = (_after_commit if after_commit else _in_transaction)[name]
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(name, handler):
    for registry in (_in_transaction, _after_commit):
        if handler in registry[name]:
            registry[name].remove(handler)


def _handlers(registry, name):
    family = name.rsplit(".", 1)[0] + ".*"
    return [*registry.get(name, ()), *registry.get(family, ())]


def publish(name, **payload):
    for handler in _handlers(_in_transaction, name):
        handler(name=name, **payload)
    for handler in _handlers(_after_commit, name):
        transaction.on_commit(partial(_run_after_commit, handler, name, payload), robust=True)


def _run_after_commit(handler, name, payload):
    try:
        handler(name=name, **payload)
    except Exception:  # a failed reaction must not undo, or hide, the committed fact
        log.exception("after-commit subscriber %s failed for %s", getattr(handler, "__name__", handler), name)
