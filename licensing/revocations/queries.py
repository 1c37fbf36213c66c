"""Read side of revocations, suspensions and appeals: the register, the holder page section, and
summaries that return plain numbers and records (reports reuse `appeals_summary`,
`nr3s_summary` and `referrals_summary`).

Status is computed on read for a given day from the stored dates (`licensing.revocations.state`),
so a page shows the same answer the daily job will apply, even before it has run.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from licensing.extensions import db
from licensing.models import (
    ActionKind,
    ActionOrigin,
    ActionStatus,
    Appeal,
    AppealOutcome,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    CostsDirection,
    CrossBorderReferral,
    EnforcementAction,
    IssuedLetter,
    Licence,
    LicenceHolder,
    Nr3sEntry,
    Nr3sRequest,
    ProposalStatus,
    ReviewCase,
    Role,
    SuspensionProposal,
    User,
)
from licensing.models.reviews import FINISHED_STATES
from licensing.policy.delegations import authoriser_may_record
from licensing.policy.service import method as service_method
from licensing.policy.statutory import rule_for
from licensing.revocations import state
from licensing.revocations.effects import lodged_in_time

PER_PAGE = 25
STATUS_FILTERS = (("pending", "Pending"), ("effective", "Effective"), ("under_appeal", "Under appeal"),
                  ("cancelled", "Cancelled"))
DEFENDED = (AppealOutcome.DISMISSED, AppealOutcome.WITHDRAWN, AppealOutcome.ABANDONED)
LOST = (AppealOutcome.ALLOWED, AppealOutcome.VARIED)
EA = EnforcementAction


def suspended_until_compliant(licence_ids):
    """Licence ids held by a confirmed 'suspension until compliant' (training) confirmed before such
    suspensions were enforcement actions, which an enforcement suspension ending must not lift.
    (One confirmed since is an action, and holds the licence as any action does.)"""
    if not licence_ids:
        return set()
    return set(db.session.execute(
        sa.select(SuspensionProposal.licence_id).where(SuspensionProposal.licence_id.in_(licence_ids),
                                                       SuspensionProposal.status == ProposalStatus.CONFIRMED,
                                                       SuspensionProposal.action_id.is_(None))
    ).scalars())


def actions_for_licences(licence_ids):
    rows = db.session.execute(
        sa.select(EnforcementAction).where(EnforcementAction.licence_id.in_(licence_ids))
        .order_by(EnforcementAction.id)).scalars().all()
    grouped = {}
    for row in rows:
        grouped.setdefault(row.licence_id, []).append(row)
    return grouped


def _pending_appeal():
    return sa.exists().where(Appeal.action_id == EA.id, Appeal.outcome.is_(None))


def status_condition(status, today):
    """SQL for one status filter, computed on read for `today`."""
    took_effect = sa.or_(EA.status == ActionStatus.EFFECTIVE,
                         sa.and_(EA.status == ActionStatus.PENDING, EA.effective_date <= today))
    return {
        "pending": sa.and_(EA.status == ActionStatus.PENDING,
                           sa.or_(EA.effective_date.is_(None), EA.effective_date > today)),
        "effective": took_effect,
        "under_appeal": sa.and_(EA.status != ActionStatus.CANCELLED, _pending_appeal()),
        "cancelled": EA.status == ActionStatus.CANCELLED,
    }[status]


@dataclass(frozen=True)
class RegisterFilters:
    kind: str | None = None
    status: str | None = None
    origin: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _register_query(filters, today):
    query = sa.select(EA).join(Licence, Licence.id == EA.licence_id) \
        .join(LicenceHolder, LicenceHolder.id == EA.holder_id)
    if filters.kind:
        query = query.where(EA.kind == ActionKind(filters.kind))
    if filters.origin:
        query = query.where(EA.origin == ActionOrigin(filters.origin))
    if filters.status:
        query = query.where(status_condition(filters.status, today))
    if filters.date_from:
        query = query.where(EA.decision_date >= filters.date_from)
    if filters.date_to:
        query = query.where(EA.decision_date <= filters.date_to)
    return query


@dataclass(frozen=True)
class ActionRow:
    action: EnforcementAction
    state: str
    under_appeal: bool
    return_overdue: bool

    @property
    def state_label(self):
        return state.STATE_LABELS[self.state]


def _rows(actions, today):
    pending = _actions_under_appeal([a.id for a in actions])
    return [ActionRow(a, state.action_state(a, today), a.id in pending,
                      a.return_due_on is not None and a.returned_on is None and today > a.return_due_on)
            for a in actions]


def _actions_under_appeal(action_ids):
    if not action_ids:
        return set()
    return set(db.session.execute(sa.select(Appeal.action_id).where(
        Appeal.action_id.in_(action_ids), Appeal.outcome.is_(None))).scalars())


def register_page(filters, today, page=1, per_page=PER_PAGE):
    query = _register_query(filters, today)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    actions = db.session.execute(
        query.options(joinedload(EA.licence), joinedload(EA.holder))
        .order_by(EA.decision_date.desc(), EA.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    return _rows(actions, today), total


CSV_COLUMNS = ("reference", "kind", "origin", "immediate", "decision_date", "notice_date", "effective_date",
               "status_on_date", "under_appeal", "holder_ref", "holder_name", "licence_number", "licence_type",
               "suspension_from", "suspension_to", "return_due_on", "returned_on", "police_information",
               "safeguarding_or_road_safety", "cancelled_on")


def register_csv_rows(filters, today, batch=500):
    """Every row of the filtered register, in batches (for the CSV download)."""
    query = _register_query(filters, today).options(joinedload(EA.licence), joinedload(EA.holder)) \
        .order_by(EA.decision_date.desc(), EA.id.desc())
    offset = 0
    while True:
        actions = db.session.execute(query.limit(batch).offset(offset)).scalars().all()
        if not actions:
            return
        for row in _rows(actions, today):
            a = row.action
            yield (f"EA-{a.id:06d}", a.kind.value, a.origin.value, "yes" if a.immediate else "no",
                   _d(a.decision_date), _d(a.notice_date), _d(a.effective_date), row.state,
                   "yes" if row.under_appeal else "no", a.holder.holder_ref, a.holder.display_name,
                   a.licence.licence_number, a.licence.licence_type.value, _d(a.suspension_from), _d(a.suspension_to),
                   _d(a.return_due_on), _d(a.returned_on), "yes" if a.police_information else "no",
                   "yes" if a.safeguarding_or_road_safety else "no", _d(a.cancelled_on))
        offset += batch


def _d(value):
    return value.isoformat() if value else ""


def nr3s_entry_opened(action):
    """Whether an NR3S entry task was opened for `action` (the notices say so exactly then)."""
    return action is not None and db.session.execute(
        sa.select(Nr3sEntry.id).filter_by(action_id=action.id)).first() is not None


def action_detail(action, today):
    appeals = db.session.execute(
        sa.select(Appeal).where(Appeal.action_id == action.id).options(selectinload(Appeal.hearings))
        .order_by(Appeal.lodged_on, Appeal.id)).scalars().all()
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one_or_none()
    letters = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=action.id)
                                 .order_by(IssuedLetter.id)).scalars().all()
    rule = rule_for(action.licence.licence_type, action.statutory_decision, action.decision_date)
    return {"row": _rows([action], today)[0], "appeals": appeals, "nr3s_entry": entry, "letters": letters,
            "rule": rule, "service_label": service_method(action.service_method or "hand").label,
            "appeal_deadline": rule.appeal_deadline(action.served_on or action.notice_date or action.decision_date),
            "expected_status": expected_licence_statuses([action.licence_id], today)[action.licence_id]}


def expected_licence_statuses(licence_ids, today):
    """{licence id: status on `today` once everything due is applied} (what the job will do)."""
    licences = db.session.execute(sa.select(Licence).where(Licence.id.in_(licence_ids))).scalars().all()
    grouped, held = actions_for_licences(licence_ids), suspended_until_compliant(licence_ids)
    return {lic.id: state.expected_licence_status(lic.status, lic.expires_on, grouped.get(lic.id, []), today,
                                                  suspended_elsewhere=lic.id in held) for lic in licences}


def holder_enforcement(holder_id, today, present=None):
    """The holder page section: actions (pending shown apart from those in effect), appeals,
    badge and plate returns, NR3S entries, and each licence's status as computed for today.
    `present`: which of "actions", "appeals", "nr3s" the holder has, when known (others are empty)."""
    present = {"actions", "appeals", "nr3s"} if present is None else present
    actions = db.session.execute(
        sa.select(EA).where(EA.holder_id == holder_id).options(joinedload(EA.licence))
        .order_by(EA.decision_date.desc(), EA.id.desc())).scalars().all() if "actions" in present else []
    rows = _rows(actions, today)
    appeals = db.session.execute(sa.select(Appeal).where(Appeal.holder_id == holder_id)
                                 .options(joinedload(Appeal.licence), selectinload(Appeal.hearings))
                                 .order_by(Appeal.lodged_on.desc(), Appeal.id.desc())
                                 ).scalars().all() if "appeals" in present else []
    entries = db.session.execute(sa.select(Nr3sEntry).where(Nr3sEntry.holder_id == holder_id)
                                 .order_by(Nr3sEntry.id)).scalars().all() if "nr3s" in present else []
    licence_ids = sorted({a.licence_id for a in actions})
    expected = expected_licence_statuses(licence_ids, today) if licence_ids else {}
    changes = [(a.licence, expected[a.licence_id]) for a in {a.licence_id: a for a in actions}.values()
               if expected.get(a.licence_id) not in (None, a.licence.status)]
    return {
        "pending_rows": [r for r in rows if r.state == state.PENDING],
        "effective_rows": [r for r in rows if r.state in (state.EFFECTIVE, state.ENDED)],
        "cancelled_rows": [r for r in rows if r.state == state.CANCELLED],
        "appeals": appeals,
        "returns": [r for r in rows if r.action.return_due_on is not None],
        "nr3s_entries": entries,
        "status_changes_due": changes,
        "today": today,
    }


# --- appeals ----------------------------------------------------------------------------------

def appeals_page(date_from=None, date_to=None, pending_only=False, page=1, per_page=PER_PAGE):
    query = sa.select(Appeal)
    if date_from:
        query = query.where(Appeal.lodged_on >= date_from)
    if date_to:
        query = query.where(Appeal.lodged_on <= date_to)
    if pending_only:
        query = query.where(Appeal.outcome.is_(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.options(joinedload(Appeal.licence), joinedload(Appeal.holder))
                              .order_by(Appeal.lodged_on.desc(), Appeal.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return rows, total


def _in_range(column, date_from, date_to):
    conditions = []
    if date_from:
        conditions.append(column >= date_from)
    if date_to:
        conditions.append(column <= date_to)
    return sa.and_(sa.true(), *conditions)


def appeals_summary(date_from=None, date_to=None):
    """Plain figures for a period. Lodged and late count appeals lodged in the period; decided,
    defended (dismissed, withdrawn or abandoned: the council's decision stands), lost (allowed or
    varied) and costs count appeals decided in the period; pending counts those lodged by the end
    of the period and undecided at its end. Costs are in pence."""
    lodged = db.session.execute(sa.select(Appeal.notice_on, Appeal.lodged_on)
                                .where(_in_range(Appeal.lodged_on, date_from, date_to))).all()
    decided = db.session.execute(sa.select(Appeal.outcome, Appeal.costs_direction, Appeal.costs_pence)
                                 .where(Appeal.outcome.is_not(None),
                                        _in_range(Appeal.decided_on, date_from, date_to))).all()
    pending_query = sa.select(sa.func.count()).select_from(Appeal).where(
        _in_range(Appeal.lodged_on, None, date_to))
    if date_to:
        pending_query = pending_query.where(sa.or_(Appeal.decided_on.is_(None), Appeal.decided_on > date_to))
    else:
        pending_query = pending_query.where(Appeal.outcome.is_(None))
    by_outcome = {o.value: 0 for o in AppealOutcome}
    for outcome, _, _ in decided:
        by_outcome[outcome.value] += 1
    defended = sum(by_outcome[o.value] for o in DEFENDED)
    recovered = sum(p for _, d, p in decided if d == CostsDirection.FOR_COUNCIL)
    paid = sum(p for _, d, p in decided if d == CostsDirection.AGAINST_COUNCIL)
    return {
        "lodged": len(lodged),
        "lodged_late": sum(1 for notice_on, lodged_on in lodged if not lodged_in_time(notice_on, lodged_on)),
        "pending": db.session.scalar(pending_query),
        "decided": len(decided),
        "defended": defended,
        "lost": sum(by_outcome[o.value] for o in LOST),
        "by_outcome": by_outcome,
        "costs_recovered_pence": recovered,
        "costs_paid_pence": paid,
        "costs_awards_for_council": sum(1 for _, d, _ in decided if d == CostsDirection.FOR_COUNCIL),
        "costs_awards_against_council": sum(1 for _, d, _ in decided if d == CostsDirection.AGAINST_COUNCIL),
        "defended_text": f"defended {defended} of {len(decided)}",
    }


def appeal_records(date_from=None, date_to=None):
    """One plain dict per appeal lodged in the period, for reports and exports."""
    rows = db.session.execute(sa.select(Appeal).where(_in_range(Appeal.lodged_on, date_from, date_to))
                              .options(joinedload(Appeal.licence), joinedload(Appeal.action))
                              .order_by(Appeal.lodged_on, Appeal.id)).scalars().all()
    return [{"id": a.id, "licence_number": a.licence.licence_number, "court": a.court.value,
             "subject": a.subject, "lodged_on": a.lodged_on, "late": not lodged_in_time(a.notice_on, a.lodged_on),
             "outcome": a.outcome.value if a.outcome else None, "decided_on": a.decided_on,
             "costs_direction": a.costs_direction.value, "costs_pence": a.costs_pence,
             "action_id": a.action_id, "action_kind": a.action.kind.value if a.action else None} for a in rows]


# --- NR3S -------------------------------------------------------------------------------------

def nr3s_entries(today, outstanding_only=False):
    query = sa.select(Nr3sEntry).options(joinedload(Nr3sEntry.holder), joinedload(Nr3sEntry.licence),
                                         joinedload(Nr3sEntry.action), joinedload(Nr3sEntry.entered_by))
    if outstanding_only:
        query = query.where(sa.or_(Nr3sEntry.entered_on.is_(None), Nr3sEntry.needs_update.is_(True)))
    return db.session.execute(query.order_by(Nr3sEntry.due_on, Nr3sEntry.id)).scalars().all()


def nr3s_searches(matches_only=False, page=1, per_page=PER_PAGE):
    """NR3S searches (checks of kind nr3s_search) newest first, each with its follow-up request."""
    query = sa.select(ComplianceCheck, Nr3sRequest).outerjoin(Nr3sRequest, Nr3sRequest.check_id == ComplianceCheck.id) \
        .where(ComplianceCheck.kind == CheckKind.NR3S_SEARCH, ComplianceCheck.withdrawn_at.is_(None))
    if matches_only:
        query = query.where(ComplianceCheck.result == CheckResult.MATCH_FOUND)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.options(joinedload(ComplianceCheck.holder), joinedload(ComplianceCheck.licence))
                              .order_by(ComplianceCheck.completed_on.desc(), ComplianceCheck.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def nr3s_summary(date_from=None, date_to=None, today=None):
    today = today or dt.date.today()
    searches = db.session.execute(sa.select(ComplianceCheck.result).where(
        ComplianceCheck.kind == CheckKind.NR3S_SEARCH, _in_range(ComplianceCheck.completed_on, date_from, date_to),
        ComplianceCheck.withdrawn_at.is_(None))
    ).scalars().all()
    entries = db.session.execute(sa.select(Nr3sEntry).join(EA, EA.id == Nr3sEntry.action_id)
                                 .where(_in_range(EA.decision_date, date_from, date_to))).scalars().all()
    return {
        "searches": len(searches),
        "matches": sum(1 for r in searches if r == CheckResult.MATCH_FOUND),
        "requests_sent": db.session.scalar(sa.select(sa.func.count()).select_from(Nr3sRequest).where(
            _in_range(Nr3sRequest.requested_on, date_from, date_to))),
        "entries_due": len(entries),
        "entries_made": sum(1 for e in entries if e.entered_on is not None),
        "entries_made_late": sum(1 for e in entries if e.entered_on is not None and e.entered_on > e.due_on),
        "entries_overdue": sum(1 for e in entries if e.overdue_on(today)),
        "entries_needing_update": sum(1 for e in entries if e.needs_update),
    }


# --- cross-border referrals -------------------------------------------------------------------

def referrals(today, outstanding_only=False, page=1, per_page=PER_PAGE):
    query = sa.select(CrossBorderReferral)
    if outstanding_only:
        query = query.where(sa.or_(CrossBorderReferral.sent_on.is_(None), CrossBorderReferral.reply_on.is_(None)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(CrossBorderReferral.received_on.desc(), CrossBorderReferral.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return rows, total


def referrals_summary(date_from=None, date_to=None, today=None):
    today = today or dt.date.today()
    rows = db.session.execute(sa.select(CrossBorderReferral).where(
        _in_range(CrossBorderReferral.received_on, date_from, date_to))).scalars().all()
    return {
        "received": len(rows),
        "sent": sum(1 for r in rows if r.sent_on is not None),
        "sent_in_time": sum(1 for r in rows if r.sent_on is not None and not r.sent_late),
        "sent_late": sum(1 for r in rows if r.sent_late),
        "overdue": sum(1 for r in rows if r.overdue_on(today)),
        "replies": sum(1 for r in rows if r.reply_on is not None),
    }


def holder_enforcement_section(holder, today, record, present):
    return holder_enforcement(holder.id, today, present)


def authorisers(actor=None, on=None):
    """Who may authorise an officer's action `actor` records: enabled officers and managers, less
    `actor` unless the scheme of delegation lets the recording officer authorise it."""
    query = sa.select(User).where(User.role.in_([Role.OFFICER, Role.MANAGER]), User.is_enabled.is_(True))
    if actor is not None and not authoriser_may_record(on):
        query = query.where(User.id != actor.id)
    return db.session.execute(query.order_by(User.name)).scalars().all()


def open_cases_for_holder(holder_id):
    """The holder's cases still open, newest first, that an action may be recorded against."""
    return db.session.execute(sa.select(ReviewCase).where(
        ReviewCase.holder_id == holder_id, ReviewCase.state.not_in(list(FINISHED_STATES)))
        .order_by(ReviewCase.id.desc())).scalars().all()
