"""What a holder sees of their own record: licences, and every requirement with its due date, from
the same compliance rules as the officers' queue (licensing/compliance)."""

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.models import Licence, LicenceType, PortalAccount, SubmissionStatus, SubmittedEvidence

DUE_SOON_DAYS = 60  # the first reminder goes 60 days ahead (policy data's reminder stages)


class Overview(NamedTuple):
    licences: list
    overdue: list
    due_soon: list
    later: list
    sent: list  # documents the holder has sent, newest first
    waiting: frozenset  # (licence id, requirement) with a document waiting to be checked


def holder_licences(holder_id):
    return db.session.execute(
        sa.select(Licence).where(Licence.holder_id == holder_id)
        .options(joinedload(Licence.vehicle)).order_by(Licence.expires_on.desc().nullslast(), Licence.id)
    ).scalars().all()


def own_licence(holder_id, licence_id):
    """The licence if it is this holder's, else None: the one gate on every id a holder sends."""
    licence = db.session.get(Licence, licence_id, options=[joinedload(Licence.vehicle)])
    return licence if licence is not None and licence.holder_id == holder_id else None


def overview(holder_id, today):
    items = holder_compliance(holder_id, today).items
    sent = db.session.execute(
        sa.select(SubmittedEvidence).where(SubmittedEvidence.holder_id == holder_id)
        .order_by(SubmittedEvidence.submitted_at.desc(), SubmittedEvidence.id.desc())
    ).scalars().all()
    ordered = sorted(items, key=lambda item: (item.due_on, item.licence_number, item.requirement))
    return Overview(
        licences=holder_licences(holder_id),
        overdue=[i for i in ordered if i.overdue],
        due_soon=[i for i in ordered if 0 <= i.days_left <= DUE_SOON_DAYS],
        later=[i for i in ordered if i.days_left > DUE_SOON_DAYS],
        sent=sent,
        waiting=frozenset((s.licence_id, s.requirement) for s in sent if s.status == SubmissionStatus.SUBMITTED),
    )


def licence_type_label(value):
    return LicenceType(getattr(value, "value", value)).label


def account_for_holder(holder_id):
    return db.session.execute(sa.select(PortalAccount).filter_by(holder_id=holder_id)).scalar_one_or_none()


def holder_online_account_section(holder, today, record, present):
    """The holder page's "Online account" section."""
    return {"online_account": account_for_holder(holder.id) if "online_account" in present else None}


ONLINE_ACCOUNT_PROBES = {"online_account": PortalAccount.holder_id}
