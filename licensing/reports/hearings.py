"""The hearing outcomes table (the council's published per-meeting table) and the panel decision
agreement report.

One row per hearing held in the period, with exactly the council's columns and a TOTAL row.
"Did not attend" counts attendance, not an outcome. Each listed case counts once at the hearing it
was listed at, under its current decision (a correction replaces the decision it corrects); a
licence surrendered at the hearing is listed with no decision and counts as "Licence Surrendered".

The table can be narrowed to one deciding body (its hearings) and one decision maker (the cases
whose current decision that person made), both read through `forum_and_maker`; unfiltered it is the
council's table.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from licensing.extensions import db
from licensing.models import (
    Attendance,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingOutcome,
    HearingStatus,
    LicenceHolder,
    ReviewCase,
    User,
)
from licensing.reports.document import Chart, Drill, Report, Table
from licensing.reports.forum import forum_and_maker
from licensing.reports.measure import percentage
from licensing.text import govuk_date

COLUMNS = ["Meeting Date", "Taxi Cases Listed", "Did not attend", "Defer", "Licence Granted", "Licence Refused",
           "No action", "Suspend Temporarily", "Revoke Licence", "Warnings Issued", "Licence Surrendered"]
OUTCOME_COLUMNS = [HearingOutcome.DEFER, HearingOutcome.GRANT, HearingOutcome.REFUSE, HearingOutcome.NO_ACTION,
                   HearingOutcome.SUSPEND, HearingOutcome.REVOKE, HearingOutcome.WARNING,
                   HearingOutcome.SURRENDERED]


def current_decisions():
    """Decisions that no correction supersedes: one per decided listing."""
    correction = aliased(HearingDecision)
    return (sa.select(HearingDecision.listing_id, HearingDecision.outcome)
            .where(~sa.exists().where(correction.supersedes_id == HearingDecision.id))
            .subquery("current_decision"))


def _between(start, end):
    return sa.and_(Hearing.starts_at >= dt.datetime.combine(start, dt.time.min),
                   Hearing.starts_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def listings_in(start, end):
    """Listings counted in the table for the period: hearings not cancelled, cases not removed."""
    return (sa.and_(_between(start, end), Hearing.status != HearingStatus.CANCELLED,
                    HearingListing.removed.is_(False)))


def _current_decision_records(where):
    correction = aliased(HearingDecision)
    return db.session.execute(
        sa.select(HearingDecision)
        .join(HearingListing, HearingListing.id == HearingDecision.listing_id)
        .join(Hearing, Hearing.id == HearingListing.hearing_id)
        .where(where, ~sa.exists().where(correction.supersedes_id == HearingDecision.id))
        .options(joinedload(HearingDecision.decided_by), joinedload(HearingDecision.listing)
                 .joinedload(HearingListing.hearing))).scalars().all()


def bodies_and_makers(start, end):
    """The deciding bodies of the period's hearings and the makers of its decisions, for the filters."""
    hearings = db.session.execute(sa.select(Hearing).where(_between(start, end),
                                                           Hearing.status != HearingStatus.CANCELLED)).scalars()
    bodies = {forum_and_maker(None, hearing)[0] for hearing in hearings}
    makers = {forum_and_maker(d, d.listing.hearing)[1] for d in _current_decision_records(_between(start, end))}
    return sorted(bodies), sorted(makers)


def _chosen(where, body=None, maker=None):
    """Conditions for one deciding body and one decision maker, among the hearings `where` picks."""
    conditions = []
    if body:
        hearings = db.session.execute(sa.select(Hearing).where(where)).scalars()
        conditions.append(Hearing.id.in_([h.id for h in hearings if forum_and_maker(None, h)[0] == body]))
    if maker:
        conditions.append(HearingListing.id.in_([d.listing_id for d in _current_decision_records(where)
                                                 if forum_and_maker(d, d.listing.hearing)[1] == maker]))
    return conditions


def _filters(body, maker):
    return {key: value for key, value in (("body", body), ("maker", maker)) if value}


def outcome_rows(start, end, body=None, maker=None):
    decision = current_decisions()
    counts = [sa.func.count(HearingListing.id),
              sa.func.sum(sa.case((HearingListing.attendance == Attendance.DID_NOT_ATTEND, 1), else_=0))]
    counts += [sa.func.sum(sa.case((decision.c.outcome == outcome, 1), else_=0)) for outcome in OUTCOME_COLUMNS]
    query = (sa.select(Hearing.id, Hearing.starts_at, *counts)
             .join(HearingListing, HearingListing.hearing_id == Hearing.id)
             .outerjoin(decision, decision.c.listing_id == HearingListing.id)
             .where(listings_in(start, end), *_chosen(_between(start, end), body, maker))
             .group_by(Hearing.id, Hearing.starts_at)
             .order_by(Hearing.starts_at, Hearing.id))
    return [(row[0], row[1].date(), [int(v or 0) for v in row[2:]]) for row in db.session.execute(query)]


def hearing_outcomes(start, end, body=None, maker=None):
    rows, totals = [], [0] * (len(COLUMNS) - 1)
    chosen = _filters(body, maker)
    for hearing_id, day, figures in outcome_rows(start, end, body, maker):
        rows.append([day] + [Drill(v, {"figure": "hearing.listings", "hearing": hearing_id, **chosen}) if i == 0
                             else v for i, v in enumerate(figures)])
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
    total = ["TOTAL"] + [Drill(totals[0], {"figure": "hearing.listings", "from": start.isoformat(),
                                           "to": end.isoformat(), **chosen})] + totals[1:]
    decided = sum(totals[2:])
    chart = Chart("bar", "Outcomes of the cases listed", COLUMNS[3:], totals[2:])
    notes = ["\"Did not attend\" counts attendance, not an outcome.",
             "A licence surrendered at the hearing is listed with no decision.",
             f"Cases listed without a decision yet: {totals[0] - decided}."]
    if body:
        notes.append(f"Hearings of {body} only.")
    if maker:
        notes.append(f"Cases decided by {maker} only.")
    period = f"{govuk_date(start)} to {govuk_date(end)}"
    table = Table("hearing_outcomes", "Hearing outcomes", list(COLUMNS), rows, total, notes, chart)
    return Report("hearings", "Licensing hearing outcomes", period, [table],
                  f"hearing-outcomes-{start.isoformat()}-to-{end.isoformat()}")


def hearing_listings(hearing_id=None, start=None, end=None, body=None, maker=None):
    """The records behind the table: each listing with its attendance and current decision."""
    decision = current_decisions()
    query = (sa.select(LicenceHolder.id, Hearing.starts_at, LicenceHolder.holder_ref, ReviewCase.reference,
                       HearingListing.attendance, decision.c.outcome)
             .join(HearingListing, HearingListing.hearing_id == Hearing.id)
             .join(ReviewCase, ReviewCase.id == HearingListing.case_id)
             .join(LicenceHolder, LicenceHolder.id == ReviewCase.holder_id)
             .outerjoin(decision, decision.c.listing_id == HearingListing.id)
             .where(Hearing.status != HearingStatus.CANCELLED, HearingListing.removed.is_(False))
             .order_by(Hearing.starts_at, HearingListing.position))
    where = sa.true()
    if hearing_id is not None:
        where = sa.and_(where, Hearing.id == hearing_id)
    if start is not None:
        where = sa.and_(where, _between(start, end))
    return query.where(where, *_chosen(where, body, maker))


def panel_agreement(start, end):
    """For each panel member: proposals on cases now decided, and how many the decision matched."""
    decision = current_decisions()
    matched = sa.func.sum(sa.case((decision.c.outcome == HearingListing.proposed_outcome, 1), else_=0))
    query = (sa.select(User.id, User.name, sa.func.count(HearingListing.id), matched)
             .join(HearingListing, HearingListing.proposed_by_id == User.id)
             .join(Hearing, Hearing.id == HearingListing.hearing_id)
             .join(decision, decision.c.listing_id == HearingListing.id)
             .where(listings_in(start, end), HearingListing.proposed_outcome.is_not(None))
             .group_by(User.id, User.name).order_by(User.name, User.id))
    rows, proposals, agreed = [], 0, 0
    for user_id, name, count, same in db.session.execute(query):
        same = int(same or 0)
        params = {"figure": "agreement.proposals", "member": user_id, "from": start.isoformat(),
                  "to": end.isoformat()}
        rows.append([name, Drill(count, params), same, count - same, percentage(same, count)])
        proposals, agreed = proposals + count, agreed + same
    total = ["TOTAL", proposals, agreed, proposals - agreed, percentage(agreed, proposals)]
    chart = Chart("bar", "Proposals matched by the final decision", [r[0] for r in rows],
                  [r[4] or 0 for r in rows], target=None, unit="%")
    table = Table("panel_agreement", "Panel decision agreement",
                  ["Panel member", "Proposals decided", "Matched final decision", "Differed", "% matched"],
                  rows, total, ["Counts each proposal recorded for a case that now has a decision; the "
                                "current decision (after any correction) is compared with the proposal."], chart)
    return Report("agreement", "Panel decision agreement", f"{govuk_date(start)} to {govuk_date(end)}", [table],
                  f"panel-agreement-{start.isoformat()}-to-{end.isoformat()}")


def agreement_listings(member_id, start, end):
    decision = current_decisions()
    return (sa.select(LicenceHolder.id, Hearing.starts_at, LicenceHolder.holder_ref, ReviewCase.reference,
                      HearingListing.proposed_outcome, decision.c.outcome)
            .join(HearingListing, HearingListing.hearing_id == Hearing.id)
            .join(decision, decision.c.listing_id == HearingListing.id)
            .join(ReviewCase, ReviewCase.id == HearingListing.case_id)
            .join(LicenceHolder, LicenceHolder.id == ReviewCase.holder_id)
            .where(listings_in(start, end), HearingListing.proposed_by_id == member_id,
                   HearingListing.proposed_outcome.is_not(None))
            .order_by(Hearing.starts_at, HearingListing.position))
