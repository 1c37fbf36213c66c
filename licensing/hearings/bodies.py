"""Deciding bodies, their members and the dated table of which body holds which power. A
decision is checked against the table on its own date, so a body decides only what it then had
the power to decide (the source council's licensing powers went from the Commissioner back to
the sub-committee in December 2016). Operations flush; the caller commits."""

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings.errors import HearingError, check_version
from licensing.models import (
    BodyKind,
    BodyMembership,
    DecidingBody,
    DecisionAuthority,
    DecisionMode,
    MemberRole,
    Role,
    User,
)
from licensing.policy.hearing_procedure import power_for, powers
from licensing.text import govuk_date

# A body that votes needs members who vote; one decision maker needs no quorum beyond themself.
MODES_FOR_KIND = {
    BodyKind.SUB_COMMITTEE: (DecisionMode.MAJORITY, DecisionMode.CONSENSUS),
    BodyKind.COMMITTEE: (DecisionMode.MAJORITY, DecisionMode.CONSENSUS),
    BodyKind.COMMISSIONER: (DecisionMode.SINGLE,),
    BodyKind.OFFICER: (DecisionMode.SINGLE,),
}
DEFAULT_QUORUM = {BodyKind.SUB_COMMITTEE: 3, BodyKind.COMMITTEE: 3, BodyKind.COMMISSIONER: 1, BodyKind.OFFICER: 1}


def create_body(actor, name, kind, decision_mode=None, quorum=None):
    name, kind = (name or "").strip(), BodyKind(kind)
    if not name:
        raise HearingError("Enter the name of the deciding body", field="name")
    if db.session.execute(sa.select(DecidingBody.id).where(sa.func.lower(DecidingBody.name) == name.lower())).first():
        raise HearingError(f"A deciding body called {name!r} already exists", field="name")
    mode = DecisionMode(decision_mode) if decision_mode else MODES_FOR_KIND[kind][0]
    if mode not in MODES_FOR_KIND[kind]:
        allowed = " or ".join(m.label.lower() for m in MODES_FOR_KIND[kind])
        raise HearingError(f"A {kind.label.lower()} decides {allowed}", field="decision_mode")
    quorum = int(quorum) if quorum not in (None, "") else DEFAULT_QUORUM[kind]
    if quorum < 1:
        raise HearingError("The quorum is at least 1", field="quorum")
    body = DecidingBody(name=name, kind=kind, decision_mode=mode, quorum=quorum,
                        created_by_id=getattr(actor, "id", None))
    db.session.add(body)
    db.session.flush()
    record(actor, "deciding_body.created", body, after={"name": name, "kind": kind.value, "mode": mode.value,
                                                          "quorum": quorum})
    return body


def add_member(actor, body, user_id, role, from_date, to_date=None, version=None):
    check_version(body, version, "deciding body")
    role = MemberRole(role)
    user = db.session.get(User, int(user_id)) if user_id else None
    if user is None or not user.is_enabled or user.role not in (Role.PANEL, Role.OFFICER, Role.MANAGER):
        raise HearingError("Choose an enabled panel member or officer", field="user_id")
    if role == MemberRole.DECISION_MAKER and body.kind not in (BodyKind.COMMISSIONER, BodyKind.OFFICER):
        raise HearingError("Only a commissioner's or officer's body has a single decision maker", field="role")
    if to_date is not None and to_date < from_date:
        raise HearingError("The membership cannot end before it starts", field="to_date")
    membership = BodyMembership(body_id=body.id, user_id=user.id, role=role, from_date=from_date, to_date=to_date)
    db.session.add(membership)
    db.session.flush()
    record(actor, "deciding_body.member_added", body, after={
        "user_id": user.id, "role": role.value, "from": from_date.isoformat(),
        "to": to_date.isoformat() if to_date else None})
    return membership


def grant_authority(actor, body, power, valid_from, valid_to=None, source=""):
    """Record that `body` holds `power` from `valid_from` (to `valid_to`), under `source`. Two
    bodies may hold a power at once (a committee and its sub-committee); one body holds each power
    in one unbroken row at a time."""
    source = (source or "").strip()
    if power not in powers():
        raise HearingError("Choose a power", field="power")
    if not source:
        raise HearingError("Give the instrument the power comes from (a direction, resolution or scheme)",
                           field="source")
    if valid_to is not None and valid_to < valid_from:
        raise HearingError("The authority cannot end before it starts", field="valid_to")
    for other in body.authorities:
        if other.power == power and _overlaps(other, valid_from, valid_to):
            raise HearingError(f"{body.name} already holds this power from {govuk_date(other.valid_from)}"
                               + (f" to {govuk_date(other.valid_to)}" if other.valid_to else ""),
                               field="valid_from")
    authority = DecisionAuthority(body_id=body.id, power=power, valid_from=valid_from, valid_to=valid_to,
                                  source=source, recorded_by_id=getattr(actor, "id", None))
    db.session.add(authority)
    db.session.flush()
    db.session.refresh(body, ["authorities"])
    record(actor, "deciding_body.authority_granted", body, after={
        "power": power, "from": valid_from.isoformat(), "to": valid_to.isoformat() if valid_to else None},
        reason=source)
    return authority


def end_authority(actor, authority, last_day, reason):
    reason = (reason or "").strip()
    if not reason:
        raise HearingError("Give the reason the power ends (for example the instrument returning it)",
                           field="reason")
    if last_day < authority.valid_from or (authority.valid_to and last_day > authority.valid_to):
        raise HearingError("The last day must fall within the authority's dates", field="last_day")
    before = {"to": authority.valid_to.isoformat() if authority.valid_to else None}
    authority.valid_to = last_day
    db.session.flush()
    record(actor, "deciding_body.authority_ended", authority.body, before=before,
           after={"power": authority.power, "to": last_day.isoformat()}, reason=reason)
    return authority


def _overlaps(authority, start, end):
    return (authority.valid_to is None or authority.valid_to >= start) and (end is None or end >= authority.valid_from)


def authority_on(body, power, day):
    return next((a for a in body.authorities if a.power == power and a.valid_from <= day
                 and (a.valid_to is None or a.valid_to >= day)), None)


def check_authority(body, outcome, day):
    """The authority under which `body` decides `outcome` on `day`; refused when it held none."""
    power = power_for(outcome.value if hasattr(outcome, "value") else outcome)
    if power is None:
        return None
    if body is None:
        raise HearingError("The hearing has no deciding body; record one before its decision", field="outcome")
    authority = authority_on(body, power, day)
    if authority is None:
        holders = holders_on(power, day)
        held_by = (" It was held by " + ", ".join(b.name for b in holders) + ".") if holders else ""
        raise HearingError(f"The {body.name} did not hold the power to {powers()[power]} on "
                           f"{govuk_date(day)}.{held_by}", field="outcome")
    return authority


def holders_on(power, day):
    rows = db.session.execute(sa.select(DecidingBody).join(DecisionAuthority).where(
        DecisionAuthority.power == power, DecisionAuthority.valid_from <= day,
        sa.or_(DecisionAuthority.valid_to.is_(None), DecisionAuthority.valid_to >= day))
        .order_by(DecidingBody.name)).scalars().all()
    return list(dict.fromkeys(rows))


def members_on(body, day):
    return [m for m in body.memberships if m.from_date <= day and (m.to_date is None or m.to_date >= day)]


def active_bodies():
    return db.session.execute(sa.select(DecidingBody).where(DecidingBody.active.is_(True))
                              .order_by(DecidingBody.name)).scalars().all()


def all_bodies():
    return db.session.execute(sa.select(DecidingBody).order_by(DecidingBody.name)).scalars().all()


def body_named(name):
    return db.session.execute(sa.select(DecidingBody).where(
        sa.func.lower(DecidingBody.name) == (name or "").strip().lower())).scalar_one_or_none()


IMPORTED_BODY = "Licensing hearing (imported)"


def imported_body(actor):
    """The body that past hearings brought in by the importer are recorded against: their decisions
    are history, recorded as they were, not decided here."""
    return body_named(IMPORTED_BODY) or create_body(actor, IMPORTED_BODY, BodyKind.COMMITTEE,
                                                    DecisionMode.MAJORITY, quorum=1)

