"""Suspension until compliant: proposed by the scan, confirmed by an officer, ended by compliance.

It is not an enforcement action. The licence moves through `change_status`, to the status
`licensing.revocations.state` gives a suspension taking effect, and the notice is an issued
letter (`licensing.letters.issue`).
"""

import sqlalchemy as sa
from flask import current_app

from licensing.audit import insert_audit_rows, record
from licensing.compliance.due import policy_path
from licensing.compliance.evaluate import population_due_items
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.operations.licences import change_status
from licensing.letters.issue import issue_letter
from licensing.letters.suspension import build_suspension_notice
from licensing.models import ActionKind, IssuedLetter, Licence, LicenceStatus, ProposalStatus, SuspensionProposal
from licensing.policy.requirements import edition_on
from licensing.revocations.queries import actions_for_licences
from licensing.revocations.state import claims, status_on_taking_effect

NOTICE_KIND = "suspension_until_compliant"

PROPOSAL_TRANSITIONS = {
    ProposalStatus.PROPOSED: {ProposalStatus.CONFIRMED, ProposalStatus.DISMISSED},
    ProposalStatus.CONFIRMED: {ProposalStatus.ENDED},
    ProposalStatus.DISMISSED: set(),
    ProposalStatus.ENDED: set(),
}


class SuspensionError(DomainError):
    """A suspension action that cannot be done, with a message for the user."""


def _move(proposal, to_status):
    if to_status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise SuspensionError(
            f"A {proposal.status.label.lower()} suspension cannot become {to_status.label.lower()}."
        )
    proposal.status = to_status
    if to_status in (ProposalStatus.DISMISSED, ProposalStatus.ENDED):
        proposal.open_licence_id = None


def _suspending_reasons(on_date, holder_ids=None, items=None):
    """{licence_id: (holder_id, [reason dicts])} for licences past a suspending deadline."""
    found = {}
    for item in population_due_items(on_date, holder_ids) if items is None else items:
        if item.overdue and item.suspend_when_overdue and item.requirement != "licence_renewal":
            entry = found.setdefault(item.licence_id, (item.holder_id, []))
            entry[1].append({"requirement": item.requirement, "label": item.label, "due_on": item.due_on.isoformat()})
    return found


def propose_suspensions(on_date, holder_ids=None, items=None):
    """Scan step: propose 'suspend until complete' for active licences past a deadline, and
    dismiss proposals nobody confirmed whose holder has since complied. Returns counts."""
    overdue = _suspending_reasons(on_date, holder_ids, items)
    open_rows = db.session.execute(
        sa.select(SuspensionProposal).where(SuspensionProposal.open_licence_id.is_not(None))
    ).scalars().all()
    open_by_licence = {p.licence_id: p for p in open_rows}
    active = set(db.session.scalars(sa.select(Licence.id).where(Licence.status == LicenceStatus.ACTIVE)))
    proposed = dismissed = 0
    for licence_id, (holder_id, reasons) in overdue.items():
        if licence_id in active and licence_id not in open_by_licence:
            proposal = SuspensionProposal(
                licence_id=licence_id, holder_id=holder_id, open_licence_id=licence_id,
                proposed_on=on_date, reasons=reasons, status=ProposalStatus.PROPOSED,
            )
            db.session.add(proposal)
            record(None, "suspension.proposed", proposal, after={"licence_id": licence_id, "reasons": reasons})
            proposed += 1
    for proposal in open_rows:
        in_scope = holder_ids is None or proposal.holder_id in holder_ids
        if in_scope and proposal.status == ProposalStatus.PROPOSED and proposal.licence_id not in overdue:
            _move(proposal, ProposalStatus.DISMISSED)
            proposal.ended_on = on_date
            record(None, "suspension.proposal_dismissed", proposal,
                   reason="requirement completed before confirmation")
            dismissed += 1
    db.session.flush()
    return {"suspensions_proposed": proposed, "proposals_dismissed": dismissed}


def confirm_suspensions(actor, proposal_ids, reason, on_date):
    """Suspend each proposed licence: one reason, one audit row per licence, a notice letter each."""
    reason = (reason or "").strip()
    if not reason:
        raise SuspensionError("Enter the reason for the suspensions.")
    if not proposal_ids:
        raise SuspensionError("Select at least one proposed suspension.")
    proposals = db.session.execute(
        sa.select(SuspensionProposal).where(SuspensionProposal.id.in_(proposal_ids))
        .order_by(SuspensionProposal.id).with_for_update()
    ).scalars().all()
    if len(proposals) != len(set(proposal_ids)):
        raise SuspensionError("One of the selected suspensions no longer exists. Reload and try again.")
    council = current_app.config["COUNCIL_NAME"]
    for proposal in proposals:
        if proposal.status != ProposalStatus.PROPOSED:
            raise SuspensionError(
                f"The suspension for licence {proposal.licence.licence_number} is already "
                f"{proposal.status.label.lower()}. Reload and try again."
            )
        licence = proposal.licence
        if licence.status != LicenceStatus.ACTIVE:
            raise SuspensionError(f"Licence {licence.licence_number} is {licence.status.label.lower()}, not active.")
        _move(proposal, ProposalStatus.CONFIRMED)
        proposal.confirmed_by_id = actor.id
        proposal.confirmed_on = on_date
        proposal.decision_reason = reason
        change_status(actor, licence, status_on_taking_effect(licence.status, licence.expires_on,
                                                              ActionKind.SUSPENSION, on_date),
                      reason, on_date, audit_action="licence.suspended_until_compliant",
                      details={"proposal_id": proposal.id})
        notice = build_suspension_notice(
            council=council, holder_name=proposal.holder.display_name, address=proposal.holder.address,
            licence_number=licence.licence_number, reasons=proposal.reasons, decision_reason=reason,
            issued_on=on_date,
        )
        # Not e-mailed: the notice goes out as it always has, by the council's own post.
        issue_letter(actor, NOTICE_KIND, notice, holder=proposal.holder, filename=_notice_filename(proposal),
                     email=False)
    db.session.flush()
    return proposals


def _notice_filename(proposal):
    return f"suspension-{proposal.id}.pdf"


def notice_pdf(proposal):
    """The bytes of the notice issued when the suspension was confirmed, or None if none was. A
    suspension confirmed before notices were issued letters keeps its notice on the proposal."""
    letter = db.session.execute(sa.select(IssuedLetter).where(
        IssuedLetter.kind == NOTICE_KIND, IssuedLetter.holder_id == proposal.holder_id,
        IssuedLetter.filename == _notice_filename(proposal))).scalar_one_or_none()
    return letter.content if letter is not None else proposal.letter_pdf


def _held_by_enforcement(licence_ids, on_date):
    """Licences that a suspension or revocation in effect still holds: compliance does not lift those."""
    if not licence_ids:
        return set()
    return {lid for lid, actions in actions_for_licences(licence_ids).items() if any(claims(actions, on_date))}


def end_suspensions_if_compliant(actor, on_date, holder_ids=None, items=None):
    """Reinstate licences suspended until compliant once nothing suspending is overdue."""
    query = sa.select(SuspensionProposal).where(SuspensionProposal.status == ProposalStatus.CONFIRMED)
    if holder_ids is not None:
        query = query.where(SuspensionProposal.holder_id.in_(holder_ids))
    confirmed = db.session.execute(query).scalars().all()
    if not confirmed:
        return 0
    still_overdue = _suspending_reasons(on_date, holder_ids, items)
    return _end(actor, [p for p in confirmed if p.licence_id not in still_overdue], on_date)


def _end(actor, proposals, on_date):
    held = _held_by_enforcement([p.licence_id for p in proposals], on_date)
    ended = 0
    for proposal in proposals:
        _move(proposal, ProposalStatus.ENDED)
        proposal.ended_on = on_date
        licence = proposal.licence
        if licence.status == LicenceStatus.SUSPENDED and licence.id not in held:
            change_status(actor, licence, LicenceStatus.ACTIVE,
                          "Outstanding requirements completed; suspension ended automatically.", on_date,
                          audit_action="licence.reinstated", details={"proposal_id": proposal.id})
        ended += 1
    db.session.flush()
    return ended


def _overdue_suspending(due, today):
    """Rows of the scan's due-items table that make a licence liable to suspension."""
    return sa.and_(due.c.due_on < sa.literal(today, sa.Date), due.c.suspend_when_overdue,
                   due.c.requirement != "licence_renewal")


def scan_suspensions(due, today):
    """The scan's set-based version of `propose_suspensions` and `end_suspensions_if_compliant`,
    over its temporary table of due items (licensing.jobs.scan): only proposals that change are
    read into Python."""
    proposals, licences = SuspensionProposal.__table__, Licence.__table__
    overdue_now = sa.exists().where(due.c.licence_id == proposals.c.licence_id, _overdue_suspending(due, today))
    rows = db.session.execute(
        sa.select(due.c.licence_id, due.c.holder_id, due.c.requirement, due.c.due_on)
        .join(licences, licences.c.id == due.c.licence_id)
        .where(_overdue_suspending(due, today), licences.c.status == LicenceStatus.ACTIVE)
        .where(~sa.exists().where(proposals.c.open_licence_id == due.c.licence_id))
        .order_by(due.c.licence_id, due.c.position)
    ).all()
    rules = edition_on(today, policy_path()).rules
    new = {}
    for row in rows:
        entry = new.setdefault(row.licence_id, {
            "licence_id": row.licence_id, "holder_id": row.holder_id, "open_licence_id": row.licence_id,
            "proposed_on": today, "reasons": [], "status": ProposalStatus.PROPOSED, "version": 1})
        entry["reasons"].append({"requirement": row.requirement, "label": rules[row.requirement].label,
                                 "due_on": row.due_on.isoformat()})
    created = []
    values = list(new.values())
    for start in range(0, len(values), 5000):
        created += db.session.execute(
            sa.insert(proposals).returning(proposals.c.id, proposals.c.licence_id, proposals.c.holder_id),
            values[start:start + 5000],
        ).all()
    audit = [{"actor_id": None, "action": "suspension.proposed", "entity_type": "suspension_proposals",
              "entity_id": row.id, "holder_id": row.holder_id,
              "after": {"licence_id": row.licence_id, "reasons": new[row.licence_id]["reasons"]},
              "before": None, "reason": None} for row in sorted(created)]

    dismissed = db.session.execute(
        sa.select(proposals.c.id, proposals.c.holder_id)
        .where(proposals.c.status == ProposalStatus.PROPOSED, ~overdue_now).order_by(proposals.c.id)
    ).all()
    for start in range(0, len(dismissed), 5000):
        db.session.execute(
            sa.update(proposals).where(proposals.c.id.in_([row.id for row in dismissed[start:start + 5000]]))
            .values(status=ProposalStatus.DISMISSED, open_licence_id=None, ended_on=today,
                    version=proposals.c.version + 1)
        )
    audit += [{"actor_id": None, "action": "suspension.proposal_dismissed", "entity_type": "suspension_proposals",
               "entity_id": row.id, "holder_id": row.holder_id, "before": {"status": "proposed"},
               "after": {"status": "dismissed"}, "reason": "requirement completed before confirmation"}
              for row in dismissed]
    insert_audit_rows(audit)

    ending = db.session.execute(
        sa.select(SuspensionProposal)
        .where(SuspensionProposal.status == ProposalStatus.CONFIRMED, ~overdue_now).order_by(SuspensionProposal.id)
    ).scalars().all()
    ended = _end(None, ending, today)
    return {"suspensions_proposed": len(created), "proposals_dismissed": len(dismissed), "suspensions_ended": ended}
