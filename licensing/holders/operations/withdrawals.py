"""Withdrawing a register record as entered in error.

A withdrawn record is never deleted: it stays on the holder page, marked withdrawn with the
reason, and its values stay in the audit trail. It no longer counts anywhere (compliance
evidence, the grant gate, conviction assessments and campaigns); every reader of checks or
convictions as evidence filters on `withdrawn_at IS NULL`.
"""

from licensing.audit import changes, record, snapshot
from licensing.errors import check_version, flush_versioned
from licensing.holders.errors import RegisterError
from licensing.models.base import utcnow


def _withdraw(actor, item, reason, version, noun, action):
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError(f"Enter why the {noun} is being withdrawn", field="reason")
    if item.withdrawn_at is not None:
        raise RegisterError(f"This {noun} was already withdrawn", field="reason")
    check_version(item, version, noun)
    before = snapshot(item)
    item.withdrawn_at, item.withdrawn_by_id, item.withdrawn_reason = utcnow(), actor.id, reason
    flush_versioned(item, version, noun)
    _, new = changes(before, snapshot(item))
    # The whole record goes in `before`, so the audit row alone shows what was withdrawn.
    record(actor, action, item, before=before, after=new, reason=reason)
    return item


def withdraw_check(actor, check, reason, version=None):
    """Withdraw a compliance check as entered in error: it stops counting as evidence."""
    return _withdraw(actor, check, reason, version, "check", "check.withdrawn")


def withdraw_conviction(actor, conviction, reason, version=None):
    """Withdraw a conviction as entered in error: it is no longer assessed or counted."""
    return _withdraw(actor, conviction, reason, version, "conviction", "conviction.withdrawn")
