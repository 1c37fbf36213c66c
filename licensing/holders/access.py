"""Per-record access rules for the register, checked after a record is loaded."""

from licensing.models import Permission
from licensing.permissions import may_see_intelligence


def can_view_holder(user, holder):
    """Officers, managers and admins read the register; panel members reach holders only
    through the hearings they sit on."""
    return user.can(Permission.HOLDERS_READ)


def can_edit_register(user):
    return user.can(Permission.REGISTER_WRITE)


def can_download_evidence(user, document):
    return user.can(Permission.EVIDENCE_READ)


def can_read_intelligence(user, holder):
    return may_see_intelligence(user)
