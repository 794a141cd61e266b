"""Errors that services raise. Views show `message` to the user; the API returns `code`.

Codes are stable: clients and tests rely on them, so never rename one.
"""


class ServiceError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message, *, code=None, field=None, details=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details or {}


class NotAllowed(ServiceError):
    """The actor may not do this to this object (wrong organization, missing permission)."""

    code = "permission_denied"
    status = 403


class Conflict(ServiceError):
    """The object is no longer in a state where this action applies (somebody was first)."""

    code = "conflict"
    status = 409


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class RateLimited(ServiceError):
    code = "rate_limited"
    status = 429


def full_clean_or_error(obj, exclude=None):
    """Model validation as a ServiceError naming the first field at fault."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], code="invalid", field=field) from None
