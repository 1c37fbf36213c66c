"""The officer's report on a case: written from a template whose sections are prefilled from the
record, then edited in place under optimistic locking. Every save is audited with what changed."""

import sqlalchemy as sa

from licensing.audit import record
from licensing.errors import flush_versioned
from licensing.extensions import db
from licensing.models import Conviction, ConvictionAssessment, EnforcementAction, OfficerReport
from licensing.models.base import utcnow
from licensing.reviews.errors import ReviewError, check_version
from licensing.text import govuk_date

FIELDS = tuple(name for name, _ in OfficerReport.SECTIONS)


def report_for(case):
    return db.session.execute(sa.select(OfficerReport).filter_by(case_id=case.id)).scalar_one_or_none()


def _history(case):
    holder_id = case.holder_id
    lines = [f"{lic.licence_number}: {lic.licence_type.label}, {lic.status.label.lower()}, issued "
             f"{govuk_date(lic.issued_on) if lic.issued_on else 'date not recorded'}" for lic in case.licences]
    convictions = db.session.execute(sa.select(Conviction).where(Conviction.holder_id == holder_id,
                                                                 Conviction.withdrawn_at.is_(None))
                                     .order_by(Conviction.conviction_date)).scalars().all()
    lines += [f"Convicted {govuk_date(c.conviction_date)}: {c.offence} ({c.disposal.label})" for c in convictions]
    actions = db.session.execute(sa.select(EnforcementAction).where(EnforcementAction.holder_id == holder_id)
                                 .order_by(EnforcementAction.decision_date)).scalars().all()
    lines += [f"{a.kind.label} decided {govuk_date(a.decision_date)}: {a.grounds}" for a in actions]
    return "\n".join(lines) or "No licences, convictions or previous decisions on the record."


def _assessment(case):
    latest = db.session.execute(sa.select(ConvictionAssessment).where(
        ConvictionAssessment.holder_id == case.holder_id).order_by(ConvictionAssessment.id.desc()).limit(1)
    ).scalar_one_or_none()
    if latest is None:
        return "The holder has not been assessed against the conviction guidance."
    return (f"Assessed against the conviction guidance ({latest.edition.edition}) as at "
            f"{govuk_date(latest.as_at)}: {latest.reason}")


def draft_report(case):
    """The template's sections, prefilled from the record, for the officer to edit."""
    return {
        "background": (f"Case {case.reference or case.id} was opened on {govuk_date(case.opened_at.date())} "
                       f"({case.origin.label.lower()}). {case.summary}"),
        "history": _history(case),
        "assessment": _assessment(case),
        "options": ("The panel may take no further action, issue a warning, suspend the licence for a period, "
                    "or revoke it. Immediate effect is available for a driver's licence only where public safety "
                    "requires it."),
    }


def save_report(actor, case, sections, version=None):
    """Write the case's report, or change it: `version` is the one the form was loaded with."""
    texts = {name: (sections.get(name) or "").strip() for name in FIELDS}
    missing = next((name for name in FIELDS if not texts[name]), None)
    if missing:
        raise ReviewError("Write every section of the report", field=missing)
    report = report_for(case)
    if report is None:
        if version:
            raise ReviewError("The report was removed while you were editing it", field="version")
        report = OfficerReport(case_id=case.id, written_by_id=actor.id, updated_by_id=actor.id, **texts)
        db.session.add(report)
        db.session.flush()
        record(actor, "case.report_written", report, after=texts, holder_id=case.holder_id)
        return report
    check_version(report, version, "report")
    before = {name: getattr(report, name) for name in FIELDS}
    changed = {name for name in FIELDS if before[name] != texts[name]}
    if not changed:
        return report
    for name in changed:
        setattr(report, name, texts[name])
    report.updated_by_id, report.updated_at = actor.id, utcnow()
    flush_versioned(report, version, "report")
    record(actor, "case.report_changed", report, before={n: before[n] for n in sorted(changed)},
           after={n: texts[n] for n in sorted(changed)}, holder_id=case.holder_id)
    return report
