"""Small checks the safeguarding operations share."""

from licensing.safeguarding.errors import SafeguardingError


def text(value):
    return (value or "").strip()


def required(value, field, what):
    value = text(value)
    if not value:
        raise SafeguardingError(f"Enter {what}", field=field)
    return value


def not_future(value, today, field, what):
    if value is None:
        raise SafeguardingError(f"Enter {what}", field=field)
    if value > today:
        raise SafeguardingError(f"{what[0].upper()}{what[1:]} must be today or in the past", field=field)
    return value


def require_clearance(actor):
    """Restricted records: officers with clearance only (the route checks too; this holds for
    every caller, jobs and commands included)."""
    if not getattr(actor, "can_read_intelligence", False):
        raise PermissionError("restricted information needs an officer with clearance")
