"""The published record of decisions (the council's Appendix J, "record of decisions"): one row
per decision taken in a period, with the matter, the date, the forum and the decision maker.

Three sources, each decision listed once:
- a hearing's decision, its current version only (a correction replaces the decision it corrects);
  it carries any action or application decision it made. A licence handed back at a hearing needed
  no decision and is not listed;
- an officer's decision under delegated powers on a licence (suspension, revocation, warning,
  including immediate action), unless it is the refusal of an application, which is listed once,
  as the application decision;
- an officer's decision on an application (granted, refused or deferred).

Two forms. The public one identifies no holder: a serial number and the licence type, never a
name, licence or badge number or the reasons. The full one, for managers, adds the holder, the
licence and the reasons.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from licensing.extensions import db
from licensing.models import (
    DEFAULT_DECISION,
    ActionKind,
    ActionOrigin,
    ActionStatus,
    ApplicationKind,
    DecisionCapacity,
    EnforcementAction,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingOutcome,
    HearingStatus,
    HolderKind,
    Licence,
    LicenceApplication,
    LicenceHolder,
    LicenceType,
    RecordedApplicationDecision,
    ReviewCase,
    User,
)
from licensing.policy.delegations import delegation_for
from licensing.reports.document import Report, Table
from licensing.reports.forum import forum_and_maker
from licensing.text import govuk_date

OFFICER_FORUM = DecisionCapacity.DELEGATED_OFFICER.label
HEARING_WORDS = {HearingOutcome.GRANT: "granted", HearingOutcome.REFUSE: "refused",
                 HearingOutcome.NO_ACTION: "no action", HearingOutcome.WARNING: "warning issued",
                 HearingOutcome.SUSPEND: "suspended", HearingOutcome.REVOKE: "revoked",
                 HearingOutcome.DEFER: "deferred"}
ACTION_WORDS = {ActionKind.REFUSAL: "refused", ActionKind.SUSPENSION: "suspended", ActionKind.REVOCATION: "revoked",
                ActionKind.WARNING: "warning issued"}
APPLICATION_DELEGATION = {("granted", False): "grant", ("granted", True): "grant",
                          ("refused", False): "refuse_new", ("refused", True): "refuse_renewal"}
PUBLIC_COLUMNS = ["No.", "Date", "Matter", "Forum", "Decision maker", "Authority"]
FULL_COLUMNS = PUBLIC_COLUMNS + ["Holder", "Licence", "Reasons"]


@dataclass(frozen=True)
class Entry:
    decided_on: dt.date
    matter: str
    forum: str
    maker: str
    authority: str
    holder: str
    licence_number: str
    reasons: str
    order: tuple


def _licence_label(licence, suffix=""):
    return f"{licence.licence_type.label} licence{suffix}" if licence is not None else f"Licence{suffix}"


def _delegation(decision, on):
    try:
        return delegation_for(decision, on)
    except LookupError:  # a decision with no delegation of its own
        return ""


def _holder(holder):
    return f"{holder.display_name} ({holder.holder_ref})" if holder is not None else ""


def _hearing_entries(start, end):
    correction = aliased(HearingDecision)
    query = (sa.select(HearingDecision)
             .join(HearingListing, HearingListing.id == HearingDecision.listing_id)
             .join(Hearing, Hearing.id == HearingListing.hearing_id)
             .where(~sa.exists().where(correction.supersedes_id == HearingDecision.id),
                    HearingDecision.outcome != HearingOutcome.SURRENDERED,
                    Hearing.status != HearingStatus.CANCELLED, HearingListing.removed.is_(False),
                    HearingDecision.decision_date.between(start, end))
             .options(joinedload(HearingDecision.decided_by), joinedload(HearingDecision.action),
                      joinedload(HearingDecision.authority), selectinload(HearingDecision.members),
                      joinedload(HearingDecision.listing).joinedload(HearingListing.hearing),
                      joinedload(HearingDecision.listing).joinedload(HearingListing.case)
                      .joinedload(ReviewCase.holder),
                      joinedload(HearingDecision.listing).joinedload(HearingListing.case)
                      .selectinload(ReviewCase.licences)))
    for decision in db.session.execute(query).unique().scalars():
        listing = decision.listing
        case = listing.case
        licence = decision.action.licence if decision.action is not None else (case.licences or [None])[0]
        forum, maker = forum_and_maker(decision, listing.hearing)
        yield Entry(decision.decision_date, f"{_licence_label(licence)}: {HEARING_WORDS[decision.outcome]}", forum,
                    maker, decision.authority.source if decision.authority is not None else "", _holder(case.holder),
                    licence.licence_number if licence else "", decision.reasons,
                    (decision.decision_date, 0, decision.id))


def _action_entries(start, end):
    query = (sa.select(EnforcementAction)
             .where(EnforcementAction.origin == ActionOrigin.OFFICER, EnforcementAction.application_id.is_(None),
                    EnforcementAction.status != ActionStatus.CANCELLED,
                    EnforcementAction.decision_date.between(start, end))
             .options(joinedload(EnforcementAction.licence), joinedload(EnforcementAction.holder),
                      joinedload(EnforcementAction.authorised_by)))
    for action in db.session.execute(query).scalars():
        words = ACTION_WORDS[action.kind] + (" with immediate effect" if action.immediate else "")
        decision = action.decision or DEFAULT_DECISION[action.kind]
        yield Entry(action.decision_date, f"{_licence_label(action.licence)}: {words}", OFFICER_FORUM,
                    action.authorised_by.name_and_post, _delegation(decision, action.decision_date),
                    _holder(action.holder), action.licence.licence_number, action.grounds,
                    (action.decision_date, 1, action.id))


def _holder_words(kind, first, last, organisation, ref):
    name = organisation if kind == HolderKind.ORGANISATION.value else " ".join(p for p in (first, last) if p)
    return f"{name} ({ref})"


def _application_entries(start, end, limit=None):
    """Officers' decisions on applications: the largest source (every grant and renewal), so read
    as plain columns rather than records (tens of thousands a quarter in a London-sized council)."""
    D, A, L, H, U = RecordedApplicationDecision, LicenceApplication, Licence, LicenceHolder, User  # noqa: N806
    query = (sa.select(D.id, D.decided_on, D.outcome, D.reasons, A.kind, L.licence_type, L.licence_number,
                       H.kind, H.first_name, H.last_name, H.organisation_name, H.holder_ref, U.name, U.post)
             .join(A, A.id == D.application_id).join(L, L.id == A.licence_id).join(H, H.id == L.holder_id)
             .join(U, U.id == D.decided_by_id)
             .where(D.capacity == DecisionCapacity.DELEGATED_OFFICER.value, D.decided_on.between(start, end)))
    if limit is not None:
        query = query.order_by(D.decided_on, D.id).limit(limit)
    labels, delegations = {}, {}
    for (decision_id, decided_on, outcome, reasons, kind, licence_type, number, holder_kind, first, last,
         organisation, ref, name, post) in db.session.execute(query):
        renewal = ApplicationKind(kind) == ApplicationKind.RENEWAL
        key = (licence_type, renewal)
        if key not in labels:
            labels[key] = f"{LicenceType(licence_type).label} licence{' renewal' if renewal else ' application'}"
        outcome = getattr(outcome, "value", outcome)
        delegation = APPLICATION_DELEGATION.get((outcome, renewal))
        if (delegation, decided_on) not in delegations:
            delegations[(delegation, decided_on)] = _delegation(delegation, decided_on) if delegation else ""
        yield Entry(decided_on, f"{labels[key]}: {outcome}", OFFICER_FORUM,
                    ", ".join(part for part in (name, post) if part), delegations[(delegation, decided_on)],
                    _holder_words(getattr(holder_kind, "value", holder_kind), first, last, organisation, ref),
                    number, reasons or "", (decided_on, 2, decision_id))


def decisions_in(start, end):
    """Every decision in the period (inclusive), oldest first."""
    entries = [*_hearing_entries(start, end), *_action_entries(start, end), *_application_entries(start, end)]
    return sorted(entries, key=lambda e: e.order)


def _officer_applications(start, end):
    D = RecordedApplicationDecision  # noqa: N806
    return sa.select(D).where(D.capacity == DecisionCapacity.DELEGATED_OFFICER.value,
                              D.decided_on.between(start, end)).subquery()


def first_page(start, end, limit):
    """(the first `limit` decisions, how many there are, (forums, decision makers)) for an
    unfiltered page, without reading every application decision: each source gives at most its
    first `limit` in order, so their merge's first `limit` are the record's."""
    few = [*_hearing_entries(start, end), *_action_entries(start, end)]
    first = [*few, *_application_entries(start, end, limit)]
    decided = _officer_applications(start, end)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(decided))
    makers = {", ".join(part for part in row if part) for row in db.session.execute(
        sa.select(User.name, User.post).where(User.id.in_(sa.select(decided.c.decided_by_id))).distinct())}
    forums, makers = choices(few)[0], sorted(set(choices(few)[1]) | makers)
    if count:
        forums = sorted(set(forums) | {OFFICER_FORUM})
    return sorted(first, key=lambda e: e.order)[:limit], len(few) + count, (forums, makers)


def choices(entries):
    """The forums and decision makers found in `entries`, for the filters."""
    return sorted({e.forum for e in entries}), sorted({e.maker for e in entries})


def filtered(entries, forum=None, maker=None):
    return [e for e in entries if (not forum or e.forum == forum) and (not maker or e.maker == maker)]


def _row(serial, entry, full):
    row = [serial, entry.decided_on, entry.matter, entry.forum, entry.maker, entry.authority]
    return row + [entry.holder, entry.licence_number, entry.reasons] if full else row


def decision_record(start, end, forum=None, maker=None, full=False, entries=None, list_limit=None, total=None):
    """The record as a report; `entries` are the period's decisions when the caller has read them
    (with `total`, only its first ones: see `first_page`). With `list_limit` (the page) only the
    first rows are kept; the downloads have them all."""
    entries = filtered(decisions_in(start, end) if entries is None else entries, forum, maker)
    shown_entries = entries[:list_limit] if list_limit else entries
    count = len(entries) if total is None else total
    rows = [_row(serial, entry, full) for serial, entry in enumerate(shown_entries, start=1)]
    shown = [f"Forum: {forum}"] if forum else []
    shown += [f"Decision maker: {maker}"] if maker else []
    notes = [f"{count:,} decision{'' if count == 1 else 's'}" + (f" ({'; '.join(shown)})" if shown else "")
             + ". A hearing's decision is listed in its current version; a licence handed back at a hearing "
             "needed no decision and is not listed."]
    if not full:
        notes.append("Licence holders are not named: each decision has a serial number and the licence type.")
    table = Table("decisions", "Record of decisions", list(FULL_COLUMNS if full else PUBLIC_COLUMNS), rows,
                  notes=notes, numeric_from=len(FULL_COLUMNS), more_rows=count - len(rows))
    name = "record-of-decisions" if full else "published-record-of-decisions"
    return Report("decisions" if full else "decisions_public", "Record of decisions",
                  f"{govuk_date(start)} to {govuk_date(end)}", [table],
                  f"{name}-{start.isoformat()}-to-{end.isoformat()}")
