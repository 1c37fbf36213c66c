"""Compliance check rules: which results a kind allows, a check's state on a date, and what
is missing before a licence can be granted or renewed."""

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import CheckKind, CheckResult, ComplianceCheck, LicenceStatus, Nr3sMatchOverride, Nr3sRequest
from licensing.policy.register import rules_on
from licensing.policy.requirements import required_check_kinds
from licensing.text import govuk_date

# Every check kind's code: a ?kind= or a compliance requirement is a check when it is one of these.
CHECK_KIND_VALUES = frozenset(k.value for k in CheckKind)

# Checks about a particular vehicle: they must be recorded against its vehicle licence.
VEHICLE_CHECK_KINDS = frozenset({CheckKind.MOT, CheckKind.VEHICLE_TEST, CheckKind.CAMERA_CERTIFICATE})

# Results that do not meet a requirement: a failed check, or one still waiting for its answer.
UNSATISFIED_RESULTS = frozenset({CheckResult.FAIL, CheckResult.PENDING})

DBS_RESULTS = (CheckResult.CLEAR, CheckResult.INFORMATION_DISCLOSED, CheckResult.PENDING)
RESULTS_BY_KIND = {
    CheckKind.DBS_ENHANCED: DBS_RESULTS,
    CheckKind.DBS_BASIC: DBS_RESULTS,
    CheckKind.DBS_UPDATE_SERVICE: DBS_RESULTS,
    CheckKind.NR3S_SEARCH: (CheckResult.NO_MATCH, CheckResult.MATCH_FOUND, CheckResult.PENDING),
}
DEFAULT_RESULTS = (CheckResult.PASS, CheckResult.FAIL, CheckResult.PENDING)

# Licences whose requirements still matter: the holder has them or has applied.
LIVE_STATUSES = frozenset({LicenceStatus.APPLIED, LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED})


def results_for(kind):
    return RESULTS_BY_KIND.get(CheckKind(kind), DEFAULT_RESULTS)


class CheckState(enum.StrEnum):
    VALID = "valid"
    DUE_SOON = "due_soon"
    EXPIRED = "expired"
    MISSING = "missing"

    @property
    def label(self):
        return {"valid": "Valid", "due_soon": "Due soon", "expired": "Expired", "missing": "Missing"}[self.value]

    @property
    def tag_class(self):
        return {
            "valid": "govuk-tag--green",
            "due_soon": "govuk-tag--yellow",
            "expired": "govuk-tag--red",
            "missing": "govuk-tag--red",
        }[self.value]


def check_state(check, today):
    if check.expires_on is None:
        return CheckState.VALID
    if check.expires_on < today:
        return CheckState.EXPIRED
    if check.expires_on <= today + dt.timedelta(days=rules_on(today).check_due_soon_days):
        return CheckState.DUE_SOON
    return CheckState.VALID


def counts_for_licence(check, licence):
    """A check counts for a licence when recorded against it, or against its holder generally."""
    if check.licence_id is not None:
        return check.licence_id == licence.id
    return check.holder_id == licence.holder_id


@dataclass(frozen=True)
class CheckRow:
    kind: CheckKind
    state: CheckState
    check: ComplianceCheck | None = None
    licence: object = None  # the licence that requires a missing check
    current: bool = True  # False for a check a later one of its kind (for the same licence) replaced
    withdrawn: bool = False  # withdrawn as entered in error: shown in the history, never current


def counted(checks):
    """The checks that count as evidence: all but those withdrawn as entered in error."""
    return [c for c in checks if c.withdrawn_at is None]


def check_overview(licences, checks, today):
    """Every recorded check with its state, then one row per required check not recorded. `checks`
    come latest first within each kind, so the first of each kind and licence is the current one.
    A withdrawn check is listed but is never the current one and never stands for a required one."""
    seen = set()
    rows = []
    for c in checks:
        if c.withdrawn_at is not None:
            rows.append(CheckRow(kind=c.kind, state=check_state(c, today), check=c, current=False, withdrawn=True))
            continue
        key = (c.kind, c.licence_id)
        rows.append(CheckRow(kind=c.kind, state=check_state(c, today), check=c, current=key not in seen))
        seen.add(key)
    checks = counted(checks)
    for licence in licences:
        if licence.status not in LIVE_STATUSES:
            continue
        for kind in required_check_kinds(licence.licence_type, today):
            if not any(c.kind == kind and counts_for_licence(c, licence) for c in checks):
                rows.append(CheckRow(kind=CheckKind(kind), state=CheckState.MISSING, licence=licence))
    return rows


def checks_for_licence(licence):
    """The checks that count for `licence` (those withdrawn as entered in error do not)."""
    return db.session.execute(
        sa.select(ComplianceCheck).where(
            sa.or_(
                ComplianceCheck.licence_id == licence.id,
                sa.and_(ComplianceCheck.holder_id == licence.holder_id, ComplianceCheck.licence_id.is_(None)),
            ),
            ComplianceCheck.withdrawn_at.is_(None),
        )
    ).scalars().all()


def missing_for_decision(licence, on_date):
    """What stops a grant or renewal of `licence` on `on_date`, as messages (empty when ready)."""
    checks = [c for c in checks_for_licence(licence) if c.completed_on <= on_date]
    problems = []
    for kind_value in required_check_kinds(licence.licence_type, on_date):
        kind = CheckKind(kind_value)
        recorded = [c for c in checks if c.kind == kind]
        current = [
            c for c in recorded
            if c.result not in UNSATISFIED_RESULTS and (c.expires_on is None or c.expires_on >= on_date)
        ]
        if current:
            continue
        if not recorded:
            problems.append(f"{kind.label}: none recorded")
            continue
        latest = max(recorded, key=lambda c: (c.completed_on, c.id))
        if latest.expires_on is not None and latest.expires_on < on_date:
            problems.append(f"{kind.label}: expired on {govuk_date(latest.expires_on)}")
        else:
            problems.append(f"{kind.label}: result is {latest.result.label.lower()}")
    required = required_check_kinds(licence.licence_type, on_date)
    if CheckKind.NR3S_SEARCH.value in required and not any("(NR3S)" in p for p in problems):
        problems.extend(_nr3s_search_problems(checks, on_date))
    return problems


def _nr3s_search_problems(checks, on_date):
    """s.3 of the 2022 Act: a search in the window before the decision; and after a match, the
    request to the recording authority and its reply (to which the decision must have regard),
    or a senior officer's reasoned override."""
    window = rules_on(on_date).nr3s_search_window_days
    since = on_date - dt.timedelta(days=window)
    searches = [c for c in checks if c.kind == CheckKind.NR3S_SEARCH and c.completed_on >= since
                and c.result not in UNSATISFIED_RESULTS]
    if not searches:
        return [f"{CheckKind.NR3S_SEARCH.label}: none recorded in the {window} days before the decision"]
    return [problem for check in searches if check.result == CheckResult.MATCH_FOUND
            for problem in [nr3s_match_problem(check, on_date)] if problem]


def nr3s_match_problem(check, on_date):
    """Why a search match still stops a decision on `on_date` (None once it is answered)."""
    if db.session.scalar(sa.select(Nr3sMatchOverride.id).where(Nr3sMatchOverride.check_id == check.id,
                                                                Nr3sMatchOverride.decided_on <= on_date)):
        return None
    request = db.session.execute(sa.select(Nr3sRequest).filter_by(check_id=check.id)).scalar_one_or_none()
    searched = govuk_date(check.completed_on)
    if request is None or request.requested_on > on_date:
        return (f"{CheckKind.NR3S_SEARCH.label}: the search on {searched} found a match; record the request "
                "to the recording authority and its reply (or a senior officer's override)")
    if request.reply_on is None or request.reply_on > on_date:
        return (f"{CheckKind.NR3S_SEARCH.label}: the search on {searched} found a match; record the reply from "
                f"{request.recording_authority} (or a senior officer's override)")
    return None
