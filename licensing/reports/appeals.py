"""Appeals and NR3S figures for the licensing statistics, from the revocations records.

Definitions are those of `licensing.revocations.queries` (appeals_summary, nr3s_summary): appeals
lodged in the period; decided in the period, defended (dismissed, withdrawn or abandoned) or lost
(allowed or varied); costs by direction; NR3S entries for actions decided in the period. Each
figure is the count of its records, and the tests check it equals the revocations summary."""

import sqlalchemy as sa

from licensing.models import Appeal, CostsDirection, EnforcementAction, Licence, LicenceHolder, Nr3sEntry
from licensing.revocations.queries import DEFENDED, LOST

APPEAL_COLUMNS = ("Lodged", "Holder", "Licence", "Subject", "Decided", "Outcome", "Costs", "Costs (pence)")
NR3S_COLUMNS = ("Decided", "Holder", "Licence", "Entry due", "Entered", "NR3S reference")


def _appeals(lodged=False, outcomes=None, costs=None):
    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, Appeal.lodged_on, LicenceHolder.holder_ref, Licence.licence_number,
                           Appeal.subject, Appeal.decided_on, Appeal.outcome, Appeal.costs_direction,
                           Appeal.costs_pence)
                 .join(LicenceHolder, LicenceHolder.id == Appeal.holder_id)
                 .join(Licence, Licence.id == Appeal.licence_id))
        if lodged:
            query = query.where(Appeal.lodged_on.between(start, end))
        else:
            query = query.where(Appeal.outcome.is_not(None), Appeal.decided_on.between(start, end))
        if outcomes is not None:
            query = query.where(Appeal.outcome.in_(outcomes))
        if costs is not None:
            query = query.where(Appeal.costs_direction == costs)
        return query.order_by(Appeal.lodged_on, Appeal.id)
    return records


def _nr3s(made=None):
    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, EnforcementAction.decision_date, LicenceHolder.holder_ref,
                           Licence.licence_number, Nr3sEntry.due_on, Nr3sEntry.entered_on, Nr3sEntry.nr3s_reference)
                 .join(EnforcementAction, EnforcementAction.id == Nr3sEntry.action_id)
                 .join(LicenceHolder, LicenceHolder.id == Nr3sEntry.holder_id)
                 .join(Licence, Licence.id == Nr3sEntry.licence_id)
                 .where(EnforcementAction.decision_date.between(start, end)))
        if made is True:
            query = query.where(Nr3sEntry.entered_on.is_not(None))
        elif made is False:
            query = query.where(Nr3sEntry.entered_on.is_(None))
        return query.order_by(EnforcementAction.decision_date, Nr3sEntry.id)
    return records


def figures(Figure):
    section, nr3s = "Appeals", "NR3S"
    return [
        Figure("appeals.lodged", section, "Appeals lodged", _appeals(lodged=True), APPEAL_COLUMNS),
        Figure("appeals.decided", section, "Appeals decided", _appeals(), APPEAL_COLUMNS),
        Figure("appeals.defended", section, "Defended (dismissed, withdrawn or abandoned)",
               _appeals(outcomes=DEFENDED), APPEAL_COLUMNS),
        Figure("appeals.lost", section, "Lost (allowed or varied)", _appeals(outcomes=LOST), APPEAL_COLUMNS),
        Figure("appeals.costs_for", section, "Costs awarded to the council",
               _appeals(costs=CostsDirection.FOR_COUNCIL), APPEAL_COLUMNS, money=True),
        Figure("appeals.costs_against", section, "Costs awarded against the council",
               _appeals(costs=CostsDirection.AGAINST_COUNCIL), APPEAL_COLUMNS, money=True),
        Figure("nr3s.entries_due", nr3s, "NR3S entries required (revocations, refusals and suspensions decided)",
               _nr3s(), NR3S_COLUMNS),
        Figure("nr3s.entries_made", nr3s, "NR3S entries made", _nr3s(made=True), NR3S_COLUMNS),
        Figure("nr3s.entries_outstanding", nr3s, "NR3S entries not made yet", _nr3s(made=False), NR3S_COLUMNS),
    ]
