"""Guarantee events → credit records, in the transaction of the fact (DESIGN.md §4): a
record commits with the move it records, and disappears with it when the move rolls back.

The guarantees app never imports this module; apps.ready() subscribes it."""

from eguarantee.core import events

from . import services
from .choices import RecordKind

# event name → the record it writes about the applicant
SIMPLE = {
    "guarantee.reject": RecordKind.REJECTED,
    "guarantee.confirm_release": RecordKind.RELEASED_EARLY,
    "guarantee.surrender": RecordKind.SURRENDERED,
    "guarantee.claim_paid": RecordKind.CLAIMED,
}
PAYMENTS = ("guarantee.gateway_paid", "guarantee.confirm_payment")


def on_simple(name, guarantee, event, actor=None, **payload):
    services.record_event(SIMPLE[name], guarantee, event)


def on_release(name, guarantee, event, actor=None, **payload):
    services.record_release(guarantee, event)


def on_release_batch(name, guarantees, events, actor=None, **payload):
    """The release job's batch, published before its events one by one."""
    services.record_release_batch(guarantees, events)


def on_payment(name, guarantee, event, actor=None, **payload):
    services.record_payment(guarantee, event)


def connect():
    for name in SIMPLE:
        events.subscribe(name, on_simple)
    events.subscribe("guarantee.release", on_release)
    events.subscribe("guarantee.release_batch", on_release_batch)
    for name in PAYMENTS:
        events.subscribe(name, on_payment)
