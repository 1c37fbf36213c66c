"""Conviction guidance editions, assessments and the policy review campaign."""

import hashlib
import pathlib
from collections import defaultdict

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    CaseOrigin,
    CasePriority,
    Conviction,
    ConvictionAssessment,
    ConvictionGuidanceEdition,
    Licence,
    LicenceHolder,
    LicenceStatus,
    PolicyReviewCampaign,
)
from licensing.policy.convictions import (
    GuidanceError,
    assess,
    edition_rules,
    parse_edition,
    parse_edition_text,
)
from licensing.reviews.errors import ReviewError
from licensing.reviews.operations.cases import open_case

BUNDLED_EDITION = pathlib.Path(__file__).resolve().parents[2] / "policy" / "data" / "conviction_guidance.json"
CURRENT_STATUSES = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)


def load_edition(actor, text):
    """Store a new edition of the conviction guidance from the text of a data file."""
    try:
        parsed = parse_edition_text(text)
    except GuidanceError as error:
        raise ReviewError(str(error), field="upload") from None
    exists = db.session.scalar(
        sa.select(ConvictionGuidanceEdition.id).filter_by(edition=parsed.edition)
    )
    if exists:
        raise ReviewError(f"Edition “{parsed.edition}” is already loaded; give a new edition a new name",
                          field="upload")
    row = ConvictionGuidanceEdition(
        edition=parsed.edition, title=parsed.title, effective_from=parsed.effective_from,
        rules=edition_rules(parsed),
        source_sha256=hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest(),
        loaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    record(actor, "policy.convictions_loaded", row,
           after={"edition": row.edition, "effective_from": row.effective_from.isoformat(),
                  "sha256": row.source_sha256})
    return row


def ensure_bundled_edition(actor=None):
    """Load the edition shipped with the code if no edition is loaded yet."""
    if db.session.scalar(sa.select(ConvictionGuidanceEdition.id).limit(1)) is None:
        return load_edition(actor, BUNDLED_EDITION.read_text())
    return None


def edition_in_force(on_date):
    row = db.session.execute(
        sa.select(ConvictionGuidanceEdition)
        .where(ConvictionGuidanceEdition.effective_from <= on_date)
        .order_by(ConvictionGuidanceEdition.effective_from.desc(), ConvictionGuidanceEdition.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        raise ReviewError(
            f"No conviction guidance edition is in force on {on_date:%d/%m/%Y}. "
            "An administrator must load one (flask policy load-convictions FILE.json)."
        )
    return row


def engine_edition(row):
    """The engine's view of a stored edition (editions stored in the older form read the same way)."""
    return parse_edition({**row.rules, "edition": row.edition, "title": row.title,
                          "effective_from": row.effective_from.isoformat()})


def _store(actor, holder_id, row, result, case=None, campaign=None):
    assessment = ConvictionAssessment(
        holder_id=holder_id, edition_id=row.id, as_at=result.as_at, at_risk=result.at_risk,
        severity=result.severity, reason=result.reason, findings=result.to_json(), explanation=result.explanation,
        case_id=case.id if case else None, campaign_id=campaign.id if campaign else None,
        assessed_by_id=actor.id,
    )
    db.session.add(assessment)
    return assessment


def assess_for_case(actor, case, as_at):
    """Run the engine for the case's holder and keep the answer on the case."""
    row = edition_in_force(as_at)
    convictions = db.session.execute(
        sa.select(Conviction).filter_by(holder_id=case.holder_id).where(Conviction.withdrawn_at.is_(None))
    ).scalars().all()  # a conviction withdrawn as entered in error is not assessed
    types = {licence.licence_type for licence in case.licences} or _current_types(case.holder_id)
    result = assess(convictions, as_at, engine_edition(row), sorted(t.value for t in types))
    assessment = _store(actor, case.holder_id, row, result, case=case)
    db.session.flush()
    record(actor, "case.assessed", case,
           after={"assessment_id": assessment.id, "edition": row.edition, "at_risk": result.at_risk})
    return assessment


def _current_types(holder_id):
    return set(db.session.execute(
        sa.select(Licence.licence_type).where(Licence.holder_id == holder_id, Licence.status.in_(CURRENT_STATUSES))
    ).scalars())


def run_campaign(actor, name, as_at):
    """Assess every current licence holder (an active or suspended licence) on `as_at` and keep
    an assessment for each one at risk."""
    name = (name or "").strip()
    if not name:
        raise ReviewError("Enter a name for the review", field="name")
    row = edition_in_force(as_at)
    edition = engine_edition(row)
    current = (
        sa.select(Licence.holder_id).where(Licence.status.in_(CURRENT_STATUSES)).distinct()
    )
    holder_ids = db.session.execute(current).scalars().all()
    types = defaultdict(set)
    for holder_id, licence_type in db.session.execute(
        sa.select(Licence.holder_id, Licence.licence_type).where(Licence.status.in_(CURRENT_STATUSES))
    ):
        types[holder_id].add(licence_type.value)
    offences = defaultdict(list)
    for conviction in db.session.execute(
        # A conviction withdrawn as entered in error is not assessed.
        sa.select(Conviction).where(Conviction.holder_id.in_(current), Conviction.withdrawn_at.is_(None))
    ).scalars():
        offences[conviction.holder_id].append(conviction)
    campaign = PolicyReviewCampaign(name=name[:200], as_at=as_at, edition_id=row.id,
                                    holders_checked=len(holder_ids), created_by_id=actor.id)
    db.session.add(campaign)
    db.session.flush()
    identified = 0
    for holder_id in holder_ids:
        result = assess(offences.get(holder_id, ()), as_at, edition, sorted(types[holder_id]))
        if result.at_risk:
            _store(actor, holder_id, row, result, campaign=campaign)
            identified += 1
    db.session.flush()
    record(actor, "campaign.run", campaign,
           after={"as_at": as_at.isoformat(), "edition": row.edition,
                  "holders_checked": len(holder_ids), "identified": identified})
    return campaign


def open_campaign_cases(actor, campaign, assessment_ids, today=None):
    """Open a policy review case for each chosen at-risk holder that has none yet."""
    if not assessment_ids:
        raise ReviewError("Choose at least one licence holder", field="assessment_ids")
    assessments = db.session.execute(
        sa.select(ConvictionAssessment).where(
            ConvictionAssessment.id.in_(assessment_ids),
            ConvictionAssessment.campaign_id == campaign.id,
        )
    ).scalars().all()
    if len(assessments) != len(set(assessment_ids)):
        raise ReviewError("One of the chosen holders is not part of this review", field="assessment_ids")
    licences = defaultdict(list)
    holder_ids = [a.holder_id for a in assessments]
    for licence in db.session.execute(
        sa.select(Licence).where(Licence.holder_id.in_(holder_ids), Licence.status.in_(CURRENT_STATUSES))
    ).scalars():
        licences[licence.holder_id].append(licence)
    holders = {h.id: h for h in db.session.execute(
        sa.select(LicenceHolder).where(LicenceHolder.id.in_(holder_ids))).scalars()}
    opened = []
    for assessment in sorted(assessments, key=lambda a: (-a.severity, a.id)):
        if assessment.case_id is not None:
            continue
        case = open_case(
            actor, holders[assessment.holder_id], CaseOrigin.POLICY_REVIEW,
            f"{campaign.name}: {assessment.reason}", licences=licences[assessment.holder_id],
            priority=CasePriority.HIGH if assessment.severity >= 1000 else CasePriority.NORMAL,
            campaign=campaign, today=today,
        )
        assessment.case_id = case.id
        opened.append(case)
    db.session.flush()
    return opened
