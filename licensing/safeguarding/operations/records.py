"""Non-conviction information and the information-sharing log. Both are restricted like
intelligence: recorded and read by officers with clearance, every view audited, and the audit
rows name the record, never its content."""

import datetime as dt

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    Finding,
    InformationShare,
    IntelligenceSource,
    NonConvictionInformation,
    NonConvictionKind,
    ReviewCase,
    ShareDirection,
    SharePartner,
    User,
)
from licensing.policy.safeguarding import data_protection_on
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations.common import not_future, require_clearance, required, text


def _case_for(holder, case_id):
    if not case_id:
        return None
    case = db.session.get(ReviewCase, int(case_id))
    if case is None or case.holder_id != holder.id:
        raise SafeguardingError("Choose one of this holder's review cases", field="case_id")
    return case


def record_non_conviction(actor, holder, data, today=None):
    """An arrest, charge, acquittal, no further action, allegation or safeguarding referral."""
    require_clearance(actor)
    today = today or dt.date.today()
    occurred_on = not_future(data.get("occurred_on"), today, "occurred_on", "the date it happened")
    received_on = not_future(data.get("received_on"), today, "received_on", "the date it was received")
    if occurred_on > received_on:
        raise SafeguardingError("It cannot have happened after it was received", field="occurred_on")
    row = NonConvictionInformation(
        holder_id=holder.id, case_id=getattr(_case_for(holder, data.get("case_id")), "id", None),
        kind=NonConvictionKind(data["kind"]), source=IntelligenceSource(data["source"]),
        handling_code=required(data.get("handling_code"), "handling_code", "the handling code"),
        occurred_on=occurred_on, received_on=received_on,
        summary=required(data.get("summary"), "summary", "a summary of the information"),
        holder_response=text(data.get("holder_response")) or None, recorded_by_id=actor.id)
    db.session.add(row)
    record(actor, "non_conviction.create", row, after={"kind": row.kind.value, "case_id": row.case_id})
    return row


def record_finding(actor, row, data, today=None):
    """The holder's response and the officer's finding on the balance of probabilities, with reasons."""
    require_clearance(actor)
    today = today or dt.date.today()
    finding = Finding(data["finding"])
    reasons = text(data.get("finding_reasons"))
    if finding != Finding.NOT_YET_ASSESSED and not reasons:
        raise SafeguardingError("Give the reasons for the finding", field="finding_reasons")
    before = {"finding": row.finding.value}
    row.holder_response = text(data.get("holder_response")) or row.holder_response
    row.finding, row.finding_reasons = finding, reasons or None
    row.found_by_id, row.found_on = actor.id, today
    row.case_id = getattr(_case_for(row.holder, data.get("case_id")), "id", row.case_id)
    db.session.flush()
    record(actor, "non_conviction.finding", row, before=before, after={"finding": finding.value,
                                                                         "case_id": row.case_id})
    return row


def record_restricted_view(actor, holder, what):
    """Every time restricted information about a holder is shown: who saw it, never what."""
    require_clearance(actor)
    record(actor, f"{what}.view", entity_type=what, holder_id=holder.id if holder else None)


def record_share(actor, data, holder=None, today=None):
    """One entry in the information-sharing log: what was received from or sent to a partner."""
    require_clearance(actor)
    today = today or dt.date.today()
    shared_on = not_future(data.get("shared_on"), today, "shared_on", "the date it was shared")
    basis = data.get("lawful_basis")
    if basis not in data_protection_on(shared_on).lawful_bases:
        raise SafeguardingError("Choose the lawful basis from the list", field="lawful_basis")
    shared_by = db.session.get(User, int(data["shared_by_id"])) if data.get("shared_by_id") else actor
    if shared_by is None or not shared_by.is_enabled:
        raise SafeguardingError("Choose who shared it", field="shared_by_id")
    share = InformationShare(
        direction=ShareDirection(data["direction"]), partner=SharePartner(data["partner"]),
        partner_name=required(data.get("partner_name"), "partner_name", "who it was shared with or received from"),
        shared_on=shared_on, holder_id=holder.id if holder else None,
        summary=required(data.get("summary"), "summary", "what was shared"), lawful_basis=basis,
        handling_conditions=required(data.get("handling_conditions"), "handling_conditions",
                                     "the handling conditions (for example the handling code)"),
        shared_by_id=shared_by.id, recorded_by_id=actor.id)
    db.session.add(share)
    record(actor, "information_share.create", share, after={
        "direction": share.direction.value, "partner": share.partner.value, "shared_on": shared_on.isoformat(),
        "lawful_basis": basis})
    return share
