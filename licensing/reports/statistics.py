"""Licensing statistics for any date range, the figures the council reported to government.

Every figure is defined once, as the query for the records it counts: the number shown is the
count of that query and its drill-down page lists the same rows, so a figure and its records
cannot disagree. Parts are defined so that they add up to their totals (checked by the tests).
"""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ActionKind,
    ActionOrigin,
    ActionStatus,
    ApplicationKind,
    ApplicationOutcome,
    AuditEvent,
    Booking,
    BookingStatus,
    CheckKind,
    Complaint,
    ComplianceCheck,
    ConvictionAssessment,
    Course,
    DecisionCapacity,
    EnforcementAction,
    EnforcementCheck,
    EnforcementCheckResult,
    EnforcementCheckType,
    Licence,
    LicenceApplication,
    LicenceHolder,
    PolicyReviewCampaign,
    ProposalStatus,
    RecordedApplicationDecision,
    ReviewCase,
    SuspensionProposal,
    TrainingSession,
    User,
)
from licensing.reports import appeals, foi
from licensing.reports.document import Chart, Drill, Pounds, Report, Table
from licensing.reviews.queries import campaign_case_condition
from licensing.text import govuk_date


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    label: str
    records: object  # (start, end, arg) -> select; first column holder_id, then `columns`
    columns: tuple
    money: bool = False  # the figure is the sum of the records' last column, in pence, as pounds


# --- the records behind each figure ---------------------------------------------------------

APPLICATION_COLUMNS = ("Received", "Holder", "Licence", "Kind", "Outcome", "Decided", "Decided by")


def _applications(conditions):
    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, LicenceApplication.received_on, LicenceHolder.holder_ref,
                           Licence.licence_number, LicenceApplication.kind, LicenceApplication.outcome,
                           LicenceApplication.decided_on, User.name)
                 .join(Licence, Licence.id == LicenceApplication.licence_id)
                 .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
                 .outerjoin(User, User.id == LicenceApplication.decided_by_id)
                 .where(*conditions(start, end)))
        if arg is not None:
            query = query.where(LicenceApplication.decided_by_id == int(arg))
        return query.order_by(LicenceApplication.received_on, LicenceApplication.id)
    return records


def _received(kind):
    return _applications(lambda s, e: (LicenceApplication.kind == kind, LicenceApplication.received_on.between(s, e)))


def _decided(*outcomes, capacity=None):
    """Decisions taken in the period, from the kept history of decisions: an application deferred in
    one period and granted in the next counts once in each, as it was decided."""
    D = RecordedApplicationDecision  # noqa: N806

    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, LicenceApplication.received_on, LicenceHolder.holder_ref,
                           Licence.licence_number, LicenceApplication.kind,
                           sa.type_coerce(D.outcome, LicenceApplication.outcome.type), D.decided_on, User.name)
                 .join(LicenceApplication, LicenceApplication.id == D.application_id)
                 .join(Licence, Licence.id == LicenceApplication.licence_id)
                 .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
                 .outerjoin(User, User.id == D.decided_by_id)
                 .where(D.outcome.in_([o.value for o in outcomes]), D.decided_on.between(start, end)))
        if capacity is not None:
            query = query.where(D.capacity == capacity.value)
        if arg is not None:
            query = query.where(D.decided_by_id == int(arg))
        return query.order_by(D.decided_on, D.id)
    return records


ACTION_COLUMNS = ("Decided", "Holder", "Licence", "Action", "Decided at", "Immediate", "Police information")


def _actions(kinds, origin=None, immediate=None, police=None):
    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, EnforcementAction.decision_date, LicenceHolder.holder_ref,
                           Licence.licence_number, EnforcementAction.kind, EnforcementAction.origin,
                           EnforcementAction.immediate, EnforcementAction.police_information)
                 .join(Licence, Licence.id == EnforcementAction.licence_id)
                 .join(LicenceHolder, LicenceHolder.id == EnforcementAction.holder_id)
                 .where(EnforcementAction.kind.in_(kinds), EnforcementAction.status != ActionStatus.CANCELLED,
                        EnforcementAction.decision_date.between(start, end)))
        if origin is not None:
            query = query.where(EnforcementAction.origin == origin)
        if immediate is not None:
            query = query.where(EnforcementAction.immediate.is_(immediate))
        if police is not None:
            query = query.where(EnforcementAction.police_information.is_(police))
        return query.order_by(EnforcementAction.decision_date, EnforcementAction.id)
    return records


COMPLAINT_COLUMNS = ("Received", "Holder", "Category", "Response due", "Answered", "Status")


def _answered_on():
    """The day the complaint was first marked responded (or closed), from the audit trail."""
    return (sa.select(sa.func.min(sa.func.date(AuditEvent.occurred_at)))
            .where(AuditEvent.entity_type == "complaints", AuditEvent.entity_id == Complaint.id,
                   AuditEvent.action == "complaint.updated",
                   AuditEvent.after["status"].as_string().in_(["responded", "closed"]))
            .scalar_subquery())


def _complaints(which):
    def records(start, end, arg=None):
        answered = _answered_on()
        query = (sa.select(Complaint.holder_id, Complaint.received_on, LicenceHolder.holder_ref, Complaint.category,
                           Complaint.response_due_on, answered.label("answered_on"), Complaint.status)
                 .outerjoin(LicenceHolder, LicenceHolder.id == Complaint.holder_id)
                 .where(Complaint.received_on.between(start, end)))
        if which == "on_time":
            query = query.where(answered.is_not(None), answered <= sa.func.date(Complaint.response_due_on))
        elif which == "late":
            query = query.where(answered.is_not(None), answered > sa.func.date(Complaint.response_due_on))
        elif which == "unanswered":
            query = query.where(answered.is_(None))
        return query.order_by(Complaint.received_on, Complaint.id)
    return records


CHECK_COLUMNS = ("Checked", "Driver", "Type", "Result", "Issues found")


def _checks(check_type=None, result=None, exclude_type=None):
    def records(start, end, arg=None):
        query = (sa.select(EnforcementCheck.driver_id, EnforcementCheck.checked_on, LicenceHolder.holder_ref,
                           EnforcementCheck.check_type, EnforcementCheck.result, EnforcementCheck.issues_found)
                 .outerjoin(LicenceHolder, LicenceHolder.id == EnforcementCheck.driver_id)
                 .where(EnforcementCheck.checked_on.between(start, end)))
        if check_type is not None:
            query = query.where(EnforcementCheck.check_type == check_type)
        if exclude_type is not None:
            query = query.where(EnforcementCheck.check_type != exclude_type)
        if result is not None:
            query = query.where(EnforcementCheck.result == result)
        return query.order_by(EnforcementCheck.checked_on, EnforcementCheck.id)
    return records


def _training(start, end, arg=None):
    return (sa.select(LicenceHolder.id, Booking.completed_on, LicenceHolder.holder_ref, Course.title,
                      TrainingSession.venue)
            .join(LicenceHolder, LicenceHolder.id == Booking.holder_id)
            .join(TrainingSession, TrainingSession.id == Booking.session_id)
            .join(Course, Course.id == TrainingSession.course_id)
            .where(Booking.status == BookingStatus.COMPLETED, Booking.completed_on.between(start, end))
            .order_by(Booking.completed_on, Booking.id))


def _suspensions(start, end, arg=None):
    return (sa.select(LicenceHolder.id, SuspensionProposal.confirmed_on, LicenceHolder.holder_ref,
                      Licence.licence_number, SuspensionProposal.status, SuspensionProposal.ended_on)
            .join(LicenceHolder, LicenceHolder.id == SuspensionProposal.holder_id)
            .join(Licence, Licence.id == SuspensionProposal.licence_id)
            .where(SuspensionProposal.status.in_([ProposalStatus.CONFIRMED, ProposalStatus.ENDED]),
                   SuspensionProposal.confirmed_on.between(start, end))
            .order_by(SuspensionProposal.confirmed_on, SuspensionProposal.id))


def _nr3s_searches(start, end, arg=None):
    return (sa.select(LicenceHolder.id, ComplianceCheck.completed_on, LicenceHolder.holder_ref,
                      ComplianceCheck.result)
            .join(LicenceHolder, LicenceHolder.id == ComplianceCheck.holder_id)
            .where(ComplianceCheck.kind == CheckKind.NR3S_SEARCH, ComplianceCheck.completed_on.between(start, end),
                   ComplianceCheck.withdrawn_at.is_(None))
            .order_by(ComplianceCheck.completed_on, ComplianceCheck.id))


def _campaign_cases(part):
    """A campaign's cases (the argument is the campaign) in one part of its progress, as the
    campaign's own page counts them (licensing/reviews/queries.py `campaign_case_condition`)."""
    def records(start, end, arg=None):
        return (sa.select(LicenceHolder.id, ReviewCase.opened_at, LicenceHolder.holder_ref, ReviewCase.reference,
                          ReviewCase.state, ReviewCase.outcome)
                .join(LicenceHolder, LicenceHolder.id == ReviewCase.holder_id)
                .where(ReviewCase.campaign_id == int(arg or 0), campaign_case_condition(part))
                .order_by(ReviewCase.id))
    return records


def _campaign_identified(start, end, arg=None):
    return (sa.select(LicenceHolder.id, ConvictionAssessment.as_at, LicenceHolder.holder_ref,
                      ConvictionAssessment.reason)
            .join(LicenceHolder, LicenceHolder.id == ConvictionAssessment.holder_id)
            .where(ConvictionAssessment.campaign_id == int(arg or 0))
            .order_by(ConvictionAssessment.severity.desc(), ConvictionAssessment.id))


A, AO, K = ApplicationOutcome, ActionOrigin, ActionKind
REV, SUS = [K.REVOCATION], [K.SUSPENSION]
SHOP = EnforcementCheckType.MYSTERY_SHOP
FIGURES = [
    Figure("applications.new", "Applications and renewals", "New applications received",
           _received(ApplicationKind.NEW), APPLICATION_COLUMNS),
    Figure("applications.renewals", "Applications and renewals", "Renewal applications received",
           _received(ApplicationKind.RENEWAL), APPLICATION_COLUMNS),
    Figure("applications.decided", "Applications and renewals", "Decisions made",
           _decided(A.GRANTED, A.REFUSED, A.DEFERRED), APPLICATION_COLUMNS),
    Figure("applications.granted", "Applications and renewals", "Approved",
           _decided(A.GRANTED), APPLICATION_COLUMNS),
    Figure("applications.refused_officer", "Applications and renewals", "Refused by an officer under delegated powers",
           _decided(A.REFUSED, capacity=DecisionCapacity.DELEGATED_OFFICER), APPLICATION_COLUMNS),
    Figure("applications.refused_hearing", "Applications and renewals", "Refused at a hearing",
           _decided(A.REFUSED, capacity=DecisionCapacity.HEARING), APPLICATION_COLUMNS),
    Figure("applications.deferred", "Applications and renewals", "Deferred",
           _decided(A.DEFERRED), APPLICATION_COLUMNS),
    Figure("actions.revoked_hearing", "Revocations, suspensions and warnings", "Revocations at a hearing",
           _actions(REV, AO.HEARING), ACTION_COLUMNS),
    Figure("actions.revoked_officer", "Revocations, suspensions and warnings", "Revocations by an officer",
           _actions(REV, AO.OFFICER), ACTION_COLUMNS),
    Figure("actions.suspended_hearing", "Revocations, suspensions and warnings", "Suspensions at a hearing",
           _actions(SUS, AO.HEARING), ACTION_COLUMNS),
    Figure("actions.suspended_officer", "Revocations, suspensions and warnings", "Suspensions by an officer",
           _actions(SUS, AO.OFFICER), ACTION_COLUMNS),
    Figure("actions.officer_immediate", "Revocations, suspensions and warnings",
           "Immediate suspensions and revocations by officers", _actions(REV + SUS, AO.OFFICER, immediate=True),
           ACTION_COLUMNS),
    Figure("actions.officer_immediate_police", "Revocations, suspensions and warnings",
           "of which following police information", _actions(REV + SUS, AO.OFFICER, immediate=True, police=True),
           ACTION_COLUMNS),
    Figure("actions.warnings", "Revocations, suspensions and warnings", "Warnings issued",
           _actions([K.WARNING]), ACTION_COLUMNS),
    Figure("complaints.received", "Complaints", "Complaints received", _complaints("all"), COMPLAINT_COLUMNS),
    Figure("complaints.on_time", "Complaints", "Answered on time", _complaints("on_time"), COMPLAINT_COLUMNS),
    Figure("complaints.late", "Complaints", "Answered late", _complaints("late"), COMPLAINT_COLUMNS),
    Figure("complaints.unanswered", "Complaints", "Not answered yet", _complaints("unanswered"), COMPLAINT_COLUMNS),
    Figure("checks.enforcement", "Enforcement checks and mystery shops", "Enforcement checks (not mystery shops)",
           _checks(exclude_type=SHOP), CHECK_COLUMNS),
    Figure("checks.mystery_shops", "Enforcement checks and mystery shops", "Mystery shops",
           _checks(SHOP), CHECK_COLUMNS),
    Figure("checks.shops_satisfactory", "Enforcement checks and mystery shops", "Mystery shops rated satisfactory",
           _checks(SHOP, EnforcementCheckResult.SATISFACTORY), CHECK_COLUMNS),
    Figure("checks.shops_fair", "Enforcement checks and mystery shops", "Mystery shops rated fair",
           _checks(SHOP, EnforcementCheckResult.FAIR), CHECK_COLUMNS),
    Figure("checks.shops_unsatisfactory", "Enforcement checks and mystery shops", "Mystery shops rated unsatisfactory",
           _checks(SHOP, EnforcementCheckResult.UNSATISFACTORY), CHECK_COLUMNS),
    Figure("training.completed", "Training and compliance", "Training courses attended and completed", _training,
           ("Completed", "Holder", "Course", "Venue")),
    Figure("training.suspensions", "Training and compliance",
           "Licences suspended until the holder complies", _suspensions,
           ("Suspended", "Holder", "Licence", "Status", "Ended")),
    Figure("nr3s.searches", "NR3S", "NR3S searches made", _nr3s_searches, ("Searched", "Holder", "Result")),
]
FIGURES += appeals.figures(Figure)
FIGURES += foi.figures(Figure, _decided, _actions, APPLICATION_COLUMNS, ACTION_COLUMNS)
# Figures that take an argument (a campaign, a decision maker): not rows of their own.
ARG_FIGURES = [
    Figure("applications.refused_by", "Applications and renewals", "Refusals by decision maker",
           _decided(A.REFUSED), APPLICATION_COLUMNS),
    Figure("campaign.identified", "Policy review campaigns", "Identified", _campaign_identified,
           ("Assessed as at", "Holder", "Reason")),
]
CASE_COLUMNS = ("Opened", "Holder", "Case", "State", "Outcome")
# The policy review table's columns after the campaign's name, date and holders checked.
CAMPAIGN_COLUMNS = [("campaign.identified", "Identified"), ("campaign.all", "Cases opened"),
                    ("campaign.heard", "Heard"), ("campaign.revoked", "Revoked"),
                    ("campaign.suspended", "Suspended"), ("campaign.warned", "Warned"),
                    ("campaign.no_further_action", "No further action"),
                    ("campaign.decided_otherwise", "Outcome without a hearing"),
                    ("campaign.pending", "Pending"), ("campaign.withdrawn", "Withdrawn or other")]
ARG_FIGURES += [Figure(key, "Policy review campaigns", label, _campaign_cases(key.split(".")[1]), CASE_COLUMNS)
                for key, label in CAMPAIGN_COLUMNS[1:]]
BY_KEY = {f.key: f for f in FIGURES + ARG_FIGURES}


def count(figure, start, end, arg=None):
    """The figure: how many records, or for money the sum of their last column (pence) in pounds."""
    query = figure.records(start, end, arg).order_by(None).subquery()
    if figure.money:
        pence = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(list(query.c)[-1]), 0)))
        return Pounds(Decimal(int(pence)) / 100)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query))


def _drill(figure, start, end, arg=None):
    params = {"figure": figure.key, "from": start.isoformat(), "to": end.isoformat()}
    if arg is not None:
        params["arg"] = arg
    return Drill(count(figure, start, end, arg), params)


def _refusals_by_person(start, end):
    rows = db.session.execute(
        sa.select(User.id, User.name, LicenceApplication.capacity, sa.func.count())
        .join(LicenceApplication, LicenceApplication.decided_by_id == User.id)
        .where(LicenceApplication.outcome == A.REFUSED, LicenceApplication.decided_on.between(start, end))
        .group_by(User.id, User.name, LicenceApplication.capacity).order_by(User.name, User.id)
    ).all()
    figure = BY_KEY["applications.refused_by"]
    body = [[name, capacity, Drill(n, {"figure": figure.key, "from": start.isoformat(), "to": end.isoformat(),
                                        "arg": user_id})] for user_id, name, capacity, n in rows]
    return Table("refusals_by", "Refusals by decision maker", ["Decision maker", "Capacity", "Refusals"], body,
                 ["TOTAL", "", sum(r[2].value for r in body)], numeric_from=2)


def _campaigns(start, end):
    """Each campaign's progress as the council reported it: identified, heard (decided at a
    hearing) by outcome, still to be heard, and the rest shown as they are."""
    rows = []
    campaigns = db.session.execute(
        sa.select(PolicyReviewCampaign).where(PolicyReviewCampaign.as_at <= end)
        .order_by(PolicyReviewCampaign.as_at, PolicyReviewCampaign.id)).scalars().all()
    for campaign in campaigns:
        rows.append([campaign.name, campaign.as_at, campaign.holders_checked]
                    + [_drill(BY_KEY[key], start, end, campaign.id) for key, _ in CAMPAIGN_COLUMNS])
    return Table("campaigns", "Policy review campaigns",
                 ["Campaign", "As at", "Holders checked"] + [label for _, label in CAMPAIGN_COLUMNS], rows,
                 notes=["Progress as recorded now. Heard: the outcome came from a hearing's decision; revoked, "
                        "suspended, warned and no further action count the heard cases. Pending: still to be "
                        "heard. Withdrawn or other: closed with no outcome."], numeric_from=2)


def statistics(start, end):
    sections = {}
    for figure in FIGURES:
        sections.setdefault(figure.section, []).append([figure.label, _drill(figure, start, end)])
    tables = []
    for index, (section, rows) in enumerate(sections.items()):
        tables.append(Table(f"s{index + 1}_" + section.split()[0].lower().strip(","), section,
                            ["Figure", "Number"], rows))
    tables[0].chart = Chart("bar", "Applications and renewals", [r[0] for r in tables[0].rows[3:]],
                            [r[1].value for r in tables[0].rows[3:]])
    shops = next(t for t in tables if t.title.startswith("Enforcement"))
    shops.chart = Chart("bar", "Mystery shops by rating", ["Satisfactory", "Fair", "Unsatisfactory"],
                        [r[1].value for r in shops.rows[2:5]])
    tables.append(_refusals_by_person(start, end))
    tables.append(_campaigns(start, end))
    notes = ["Appeals count those lodged in the period, and those decided in it by outcome and costs; NR3S "
             "entries count those due for actions decided in the period.", foi.NOTE]
    return Report("statistics", "Licensing statistics", f"{govuk_date(start)} to {govuk_date(end)}", tables,
                  f"licensing-statistics-{start.isoformat()}-to-{end.isoformat()}", notes)
