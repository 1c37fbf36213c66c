"""Per-record access rules for the register, checked after a record is loaded."""

from licensing.models import Role

REGISTER_READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.ADMIN})


def can_view_holder(user, holder):
    """Officers, managers and admins read the register; panel members reach holders only
    through the hearings they sit on (added with hearings)."""
    return user.role in REGISTER_READERS


def can_edit_register(user):
    return user.role == Role.OFFICER


def can_download_evidence(user, document):
    return user.role == Role.OFFICER


def can_read_intelligence(user, holder):
    return bool(user.can_read_intelligence)
