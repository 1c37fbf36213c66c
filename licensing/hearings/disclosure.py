"""Disclosure to the licence holder of what the panel will see. The holder must know the substance
of the case against them and be able to answer it, so every item of panel material is either
disclosed (when, how, and what exactly) or withheld with a recorded reason and a gist that is
disclosed instead. The decision is refused while material is undisclosed, unless an override
reason is recorded. Operations flush; the caller commits."""

import datetime as dt

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings import material
from licensing.hearings.errors import HearingError
from licensing.models import Disclosure, DisclosureMethod, DisclosureState, MaterialKind, Permission

DISCLOSE, WITHHOLD = DisclosureState.DISCLOSED.value, DisclosureState.WITHHELD.value


def _clean(value):
    return (value or "").strip()


def _validate(decision, disclosed_on, method, extent, reason, gist, today):
    if decision not in (DISCLOSE, WITHHOLD):
        raise HearingError("Choose whether the item was disclosed or withheld", field="decision")
    if disclosed_on is None:
        raise HearingError("Enter the date it was given to the licence holder", field="disclosed_on")
    if disclosed_on > today:
        raise HearingError("The date of disclosure cannot be in the future", field="disclosed_on")
    if method not in {m.value for m in DisclosureMethod}:
        raise HearingError("Choose how it was given to the licence holder", field="method")
    if decision == DISCLOSE and not extent:
        raise HearingError("Say what exactly was disclosed, for example a full or a redacted copy", field="extent")
    if decision == WITHHOLD and not reason:
        raise HearingError("Give the reason the item is withheld", field="withheld_reason")
    if decision == WITHHOLD and not gist:
        raise HearingError("Write the gist disclosed instead: the holder must know the substance of it",
                           field="gist")


def record_disclosure(actor, case, item_key, *, decision, disclosed_on, method, extent=None, withheld_reason=None,
                      gist=None, today=None):
    """Record that an item of the case's panel material was disclosed to the holder, or withheld
    with its gist disclosed instead. A later record for the same item replaces the earlier one."""
    items = material.panel_material(case)
    item = material.find(items, item_key)
    if item is None:
        raise HearingError("Choose an item of the material the panel will see", field="item")
    if item.restricted and not actor.can(Permission.INTELLIGENCE_READ):
        raise PermissionError("intelligence needs clearance")
    extent, withheld_reason, gist = _clean(extent), _clean(withheld_reason), _clean(gist)
    _validate(decision, disclosed_on, method, extent, withheld_reason, gist, today or dt.date.today())
    withheld = decision == WITHHOLD
    row = Disclosure(case_id=case.id, item_kind=item.kind, item_id=item.id, item_version=item.version,
                     state=DisclosureState(decision), disclosed_on=disclosed_on, method=DisclosureMethod(method),
                     extent=None if withheld else extent, withheld_reason=withheld_reason if withheld else None,
                     gist=gist if withheld else None, recorded_by_id=actor.id)
    db.session.add(row)
    if item.kind == MaterialKind.DOCUMENT and not withheld:
        item.document.disclosed_to_holder_on = disclosed_on  # the case page's own note of it
    db.session.flush()
    record(actor, f"hearing.material_{decision}", row, holder_id=case.holder_id, after={
        "item": item.key, "disclosed_on": disclosed_on.isoformat(), "method": method, "extent": row.extent,
        "gist": bool(row.gist), "replaces_id": item.disclosure.id if item.disclosure else None},
        reason=withheld_reason or None)
    return row


def outstanding(case):
    return material.undisclosed(material.panel_material(case))


def warning(case):
    """The warning shown while panel material is undisclosed, or None."""
    count = len(outstanding(case))
    if not count:
        return None
    return (f"{count} item{'s' if count != 1 else ''} of panel material ha{'ve' if count != 1 else 's'} not been "
            "disclosed to the licence holder, or withheld with a gist.")


def check_before_decision(actor, listing, override_reason):
    """Refuse the decision while panel material is undisclosed, unless a reason to go ahead is
    recorded (audited). Called at the start of the decision operation."""
    missing = outstanding(listing.case)
    if not missing:
        return
    override_reason = _clean(override_reason)
    if not override_reason:
        raise HearingError(f"{warning(listing.case)} Disclose it, withhold it with a gist, or give the reason "
                           "the decision is made without it.", field="disclosure_override_reason")
    record(actor, "hearing.disclosure_override", listing, holder_id=listing.case.holder_id,
           after={"undisclosed": sorted(item.key for item in missing)}, reason=override_reason)
