"""Who is acting, from where, in which request: read by the audit trail.

A context variable rather than a thread-local, so the same code works in the web server,
the task worker and management commands (which set their own actor through `acting_as`).
"""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass
class ActionContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    user: object = None
    ip: str | None = None
    user_agent: str = ""
    source: str = "system"


_current = contextvars.ContextVar("eguarantee_action_context", default=None)


def current() -> ActionContext:
    ctx = _current.get()
    if ctx is None:
        ctx = ActionContext()
        _current.set(ctx)
    return ctx


@contextlib.contextmanager
def acting_as(user=None, *, ip=None, user_agent="", source="system", request_id=None):
    ctx = ActionContext(user=user, ip=ip, user_agent=user_agent, source=source)
    if request_id:
        ctx.request_id = request_id
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is believed only for the TRUSTED_PROXIES hops
    that our own proxies appended (counted from the right); anything further left was sent
    by the client and could be forged, which would let it dodge the per-IP login limit."""
    from django.conf import settings

    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


# Each background task acts in a context of its own (its own request id), and the caller's
# context comes back afterwards: the immediate backend runs tasks inside the request.
_task_tokens = contextvars.ContextVar("eguarantee_task_tokens", default=())


def task_started(sender=None, task_result=None, **kwargs):
    task_id = getattr(task_result, "id", None)
    token = _current.set(ActionContext(source="task", request_id=str(task_id or uuid.uuid4().hex)[:64]))
    _task_tokens.set((*_task_tokens.get(), token))


def task_finished(sender=None, **kwargs):
    tokens = _task_tokens.get()
    if tokens:
        _task_tokens.set(tokens[:-1])
        _current.reset(tokens[-1])
