"""The splits Freedom of Information requests ask for: refusals, suspensions and revocations by
offence group, NR3S searches with a match and DBS update-service checks.

A decision counts in an offence group when, on the day it was decided, the holder had a
conviction, caution or endorsement recorded in one of the group's categories (dated on or before
the decision, and not recorded by an officer as protected). The register does not record which
offence a decision turned on, so a decision can count in several groups, or in none; the parts
need not add up to the totals, and the report says so."""

import sqlalchemy as sa

from licensing.models import (
    ActionKind,
    ApplicationOutcome,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    Conviction,
    EnforcementAction,
    LicenceHolder,
    RecordedApplicationDecision,
)
from licensing.models.offences import MOTORING

SECTION = "Freedom of information: decisions by offence group"
GROUPS = {
    "sexual offences": ("sexual", "exploitation"),
    "violent offences": ("violence", "weapons", "death"),
    "dishonesty": ("dishonesty",),
    "motoring offences": tuple(sorted(MOTORING)),
}
NOTE = ("A decision counts in an offence group when the holder had a conviction, caution or endorsement in that "
        "group on or before the decision (not one recorded as protected); one decision can count in several "
        "groups, or in none.")


def _with_group(records, categories, decided_on):
    def grouped(start, end, arg=None):
        recorded = sa.exists().where(
            Conviction.holder_id == LicenceHolder.id, Conviction.category.in_(categories),
            Conviction.conviction_date <= decided_on, sa.func.coalesce(Conviction.protected_override, False).is_(False),
            Conviction.withdrawn_at.is_(None))
        return records(start, end, arg).where(recorded)
    return grouped


def _checks(kind, result=None):
    def records(start, end, arg=None):
        query = (sa.select(LicenceHolder.id, ComplianceCheck.completed_on, LicenceHolder.holder_ref,
                           ComplianceCheck.result)
                 .join(LicenceHolder, LicenceHolder.id == ComplianceCheck.holder_id)
                 .where(ComplianceCheck.kind == kind, ComplianceCheck.completed_on.between(start, end),
                        ComplianceCheck.withdrawn_at.is_(None)))
        if result is not None:
            query = query.where(ComplianceCheck.result == result)
        return query.order_by(ComplianceCheck.completed_on, ComplianceCheck.id)
    return records


def figures(Figure, decided, actions, application_columns, action_columns):  # noqa: N803 - the class is passed in
    result = []
    refused = decided(ApplicationOutcome.REFUSED)
    kinds = (("Refusals", refused, RecordedApplicationDecision.decided_on, application_columns),
             ("Suspensions", actions([ActionKind.SUSPENSION]), EnforcementAction.decision_date, action_columns),
             ("Revocations", actions([ActionKind.REVOCATION]), EnforcementAction.decision_date, action_columns))
    for label, records, decided_on, columns in kinds:
        for group, categories in GROUPS.items():
            key = f"foi.{label.lower()}_{group.split()[0]}"
            result.append(Figure(key, SECTION, f"{label}: {group}", _with_group(records, categories, decided_on),
                                 columns))
    result += [
        Figure("foi.dbs_update_service", SECTION, "DBS update-service checks made",
               _checks(CheckKind.DBS_UPDATE_SERVICE), ("Checked", "Holder", "Result")),
        Figure("nr3s.matches", "NR3S", "NR3S searches that found a match",
               _checks(CheckKind.NR3S_SEARCH, CheckResult.MATCH_FOUND), ("Searched", "Holder", "Result")),
    ]
    return result
