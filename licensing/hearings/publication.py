"""Publishing the agenda: for every listed case a panel bundle and a licence holder's bundle are
issued as fixed records — bytes stored with their SHA-256, a version number shared by both copies,
who and when, and the items each held with their disclosure. The holder's copy is also issued to
them as a letter. Publishing again issues version N+1 only for a case whose material has changed;
earlier versions stay. Operations flush; the caller commits."""

import datetime as dt
import hashlib
import io
import json

import sqlalchemy as sa
from pypdf import PdfReader

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings import bundles, material, queries
from licensing.hearings.errors import HearingError
from licensing.hearings.operations import is_open
from licensing.letters.issue import issue_letter
from licensing.models import BundleAudience, Permission, PublishedBundle
from licensing.text import govuk_date

A = BundleAudience


def fingerprint(data, items):
    """What the bundle is made from: an unchanged fingerprint means an unchanged bundle."""
    listing, case = data.listing, data.listing.case
    report = material.report_of(case.id)
    basis = {
        "items": [[item.key, item.disclosure.id if item.disclosure else None, item.version,
                   item.document.sha256 if item.document else None, item.text] for item in items],
        "report": report.version if report else case.summary,
        "hearing": [listing.hearing.starts_at.isoformat(), listing.hearing.venue],
        "licences": [[lic.licence_number, lic.status.value] for lic in case.licences],
        "actions": [[a.id, a.version] for a in data.actions],
        "assessment": data.assessment.id if data.assessment else None,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()


def _store(actor, listing, audience, version, content, items, stamp):
    case = listing.case
    published = PublishedBundle(
        listing_id=listing.id, audience=audience, version_number=version, content=content,
        filename=f"bundle-{listing.id}-{audience.value}-v{version}.pdf", sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content), page_count=len(PdfReader(io.BytesIO(content)).pages), items=items,
        fingerprint=stamp, published_by_id=actor.id)
    db.session.add(published)
    db.session.flush()
    if audience == A.HOLDER:
        letter = issue_letter(actor, "hearing_bundle", content, holder=case.holder, case=case,
                              filename=published.filename)
        published.letter_id = letter.id
        db.session.flush()
    record(actor, "hearing.bundle_published", published, holder_id=case.holder_id, after={
        "listing_id": listing.id, "audience": audience.value, "version": version, "sha256": published.sha256,
        "items": len(items), "letter_id": published.letter_id})
    return published


def publish_listing(actor, listing, today=None):
    """Issue version N+1 of the case's panel and holder bundles, or nothing if the material is as
    last published. Returns the (panel, holder) pair issued, or None."""
    today = today or dt.date.today()
    data = queries.bundle(listing, today)
    items = material.panel_material(listing.case)
    stamp = fingerprint(data, items)
    current = bundles.latest(listing, A.PANEL)
    if current is not None and current.fingerprint == stamp:
        return None
    version = (current.version_number if current else 0) + 1
    version_line = f"Version {version}, issued {govuk_date(today)}"
    issued = []
    for audience in (A.PANEL, A.HOLDER):
        content, included = bundles.render(data, items, audience, version_line)
        issued.append(_store(actor, listing, audience, version, content, included, stamp))
    return tuple(issued)


def publish_agenda(actor, hearing, today=None):
    """Publish the bundles of every case on the agenda. Returns (issued pairs, unchanged count,
    cases with undisclosed material)."""
    if not is_open(hearing):
        raise HearingError("Only the agenda of a scheduled or adjourned hearing is published")
    listings = queries.agenda(hearing)
    if not listings:
        raise HearingError("There are no cases on the agenda to publish")
    issued, unchanged, undisclosed = [], 0, 0
    for listing in listings:
        pair = publish_listing(actor, listing, today)
        undisclosed += bool(material.undisclosed(material.panel_material(listing.case)))
        if pair is None:
            unchanged += 1
        else:
            issued.append(pair)
    record(actor, "hearing.agenda_published", hearing, after={
        "issued": [[p.listing_id, p.version_number] for p, _ in issued], "unchanged": unchanged,
        "with_undisclosed_material": undisclosed})
    return issued, unchanged, undisclosed


def versions(listing):
    """Every published copy for the listing, newest first."""
    return db.session.execute(sa.select(PublishedBundle).filter_by(listing_id=listing.id).order_by(
        PublishedBundle.version_number.desc(), PublishedBundle.audience)).scalars().all()


def shown_versions(listing, user):
    """(the copies `user` may list, the current panel copy, the holder copy last sent): staff see
    both copies of every version; panel members the panel's."""
    copies = versions(listing)
    current = next((c for c in copies if c.audience == A.PANEL), None)
    sent = next((c for c in copies if c.audience == A.HOLDER), None)
    staff = user.can(Permission.HEARINGS_READ_ALL)
    return [c for c in copies if staff or c.audience == A.PANEL], current, sent


def published_for(listing, bundle_id):
    return db.session.execute(sa.select(PublishedBundle).filter_by(id=bundle_id, listing_id=listing.id)
                              ).scalar_one_or_none()
