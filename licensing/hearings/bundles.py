"""Turning a listed case's material into the bundle's sections and documents, for the panel or for
the licence holder, from the same data. The panel's copy has every item and says of each whether
the holder has it; the holder's has what was disclosed, the gist of what was withheld, and nothing
else. Downloads serve the published copy; before publication a draft is built and so marked."""

from dataclasses import dataclass

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings import material, queries
from licensing.letters.bundle import MARKING, BundleDocument, BundleSection, build_bundle
from licensing.models import BundleAudience, CaseDocument, DisclosureState, MaterialKind, PublishedBundle
from licensing.permissions import may_see_intelligence, record_intelligence_shown
from licensing.text import govuk_date

HOLDER_MARKING = "OFFICIAL-SENSITIVE: the licence holder's copy of the hearing bundle."
A, K = BundleAudience, MaterialKind


def _date(value):
    return govuk_date(value) if value else "not recorded"


def marker(item):
    """What the panel is told of an item's disclosure to the holder."""
    found = item.disclosure
    if found is None:
        return "NOT DISCLOSED to the licence holder."
    how = f"{govuk_date(found.disclosed_on)} ({found.method.label.lower()})"
    if found.state == DisclosureState.DISCLOSED:
        return f"Disclosed to the licence holder on {how}: {found.extent}."
    return f"Withheld from the licence holder ({found.withheld_reason}). Gist disclosed on {how}: {found.gist}"


def _gist(item):
    return f"Summary of material not disclosed in full: {item.disclosure.gist}"


@dataclass
class Contents:
    sections: list
    documents: list
    items: list  # what the copy holds: [{kind, id, state, disclosure_id, version}]


def _lines(items, audience, describe):
    """Each item's lines for the audience: the panel sees all with their disclosure; the holder
    what was disclosed, and only the gist of what was withheld."""
    lines, held = [], []
    for item in items:
        if audience == A.PANEL:
            lines += [*describe(item), f"Disclosure: {marker(item)}"]
        elif item.state == DisclosureState.DISCLOSED.value:
            lines += describe(item)
        elif item.state == DisclosureState.WITHHELD.value:
            lines.append(f"{item.title}. {_gist(item)}")
        else:
            continue
        held.append(item)
    return lines, held


def _report_lines(case, report, item, audience):
    if report is None:
        return [f"Case {case.reference or case.id}: {case.summary}",
                f"Licence holder: {case.holder.display_name}",
                f"Opened: {_date(case.opened_at.date())}. Origin: {case.origin.label}.",
                "No written report: this is the case summary."], []

    def describe(_item):
        text = [f"Version {report.version}, written by {report.written_by.name}."]
        for name, title in report.SECTIONS:
            text.append(f"{title}.")
            text += [line for line in getattr(report, name).splitlines() if line.strip()]
        return text
    lines, held = _lines([item], audience, describe)
    return lines or ["The officer's report has not been disclosed to you yet."], held


def _history_section(data):
    case = data.listing.case
    return BundleSection("Licence and compliance history", tuple(
        [f"{lic.licence_number}: {lic.licence_type.label}, {lic.status.label.lower()}, "
         f"issued {_date(lic.issued_on)}, expires {_date(lic.expires_on)}" for lic in case.licences]
        + [f"{a.kind.label} decided {_date(a.decision_date)}: {a.grounds}" for a in data.actions]
        + ["Compliance: " + ("no overdue requirements" if data.compliance.compliant else
                             "; ".join(f"{i.label} overdue since {_date(i.due_on)}"
                                       for i in data.compliance.reasons))]))


def _of(items, kind):
    return [item for item in items if item.kind == kind]


def contents(data, items, audience):
    """The sections and documents of one copy of the bundle, and the items it holds."""
    case = data.listing.case
    report = material.report_of(case.id)
    report_items = _of(items, K.REPORT)
    report_lines, held = _report_lines(case, report, report_items[0] if report_items else None, audience)
    sections = [BundleSection("Officer's report", tuple(report_lines)), _history_section(data)]
    convictions, got = _lines(_of(items, K.CONVICTION), audience, lambda i: [f"{i.title}: {i.text}"])
    held += got
    if data.assessment is not None:
        convictions.append(f"Policy assessment ({data.assessment.edition.edition}, as at "
                           f"{_date(data.assessment.as_at)}): {data.assessment.reason}")
    sections.append(BundleSection("Convictions and policy assessment", tuple(convictions)))
    for kind, title in ((K.COMPLAINT, "Complaints linked to the case"), (K.INTELLIGENCE, "Intelligence"),
                        (K.NON_CONVICTION, "Non-conviction information")):
        lines, got = _lines(_of(items, kind), audience, lambda i: [f"{i.title}: {i.text}"])
        held += got
        if lines:
            sections.append(BundleSection(title, tuple(lines)))
    evidence, got = _lines(_of(items, K.DOCUMENT), audience, lambda i: [f"{i.title} ({i.text}): in full below."])
    held += got
    sections.append(BundleSection("Evidence documents", tuple(evidence)))
    documents = [_document(item, audience) for item in got if audience == A.PANEL
                 or item.state == DisclosureState.DISCLOSED.value]
    return Contents(sections, documents, [_included(item) for item in held])


def _document(item, audience):
    document = item.document
    content = db.session.get(CaseDocument, document.id).content
    note = f"Disclosure: {marker(item)}" if audience == A.PANEL else (
        f"Disclosed to you on {govuk_date(item.disclosure.disclosed_on)}: {item.disclosure.extent}.")
    return BundleDocument(document.title, document.original_name, document.content_type, content, note)


def _included(item):
    return {"kind": item.kind.value, "id": item.id, "state": item.state,
            "disclosure_id": item.disclosure.id if item.disclosure else None, "version": item.version}


def title_for(listing, audience):
    case = listing.case
    who = "" if audience == A.PANEL else " (licence holder's copy)"
    return f"Hearing bundle: case {case.reference or case.id}{who}"


def render(data, items, audience, version_line):
    """One copy's PDF bytes and what it holds."""
    found = contents(data, items, audience)
    marking = MARKING if audience == A.PANEL else HOLDER_MARKING
    content = build_bundle(title_for(data.listing, audience), found.sections, found.documents, marking=marking,
                           version_line=version_line)
    return content, found.items


def sections(data):
    """The panel copy's sections for a case (as the benchmarks build them)."""
    return contents(data, material.panel_material(data.listing.case), A.PANEL).sections


def latest(listing, audience):
    return db.session.execute(sa.select(PublishedBundle).filter_by(listing_id=listing.id, audience=audience)
                              .order_by(PublishedBundle.version_number.desc()).limit(1)).scalar_one_or_none()


RESTRICTED_KINDS = (K.INTELLIGENCE.value, K.NON_CONVICTION.value)
WITHOUT_RESTRICTED = ("Copy without restricted intelligence: clearance is needed to see it. "
                      "Not the bundle of record.")


def _holds_restricted(items):
    return any(item.get("kind") in RESTRICTED_KINDS for item in items or ())


def _without_restricted(listing):
    """For someone the intelligence rule refuses: today's panel copy with the restricted items left out."""
    items = [item for item in material.panel_material(listing.case) if not item.restricted]
    content, _ = render(queries.bundle(listing), items, A.PANEL, WITHOUT_RESTRICTED)
    return content


def _served(actor, listing, content, items):
    """The copy `actor` may have: as stored or built if the rule allows its intelligence (audited as
    shown), else one without it."""
    if not _holds_restricted(items):
        return content
    if not may_see_intelligence(actor, listing, disclosed_to_panel=True):
        return _without_restricted(listing)
    record_intelligence_shown(actor, listing.case.holder_id, "hearing bundle", listing, disclosed_to_panel=True)
    return content


def download_bundle(actor, listing):
    """The panel's bundle: the current published version's stored bytes, or a draft (so marked) built
    from today's data before the agenda is published. Audited either way."""
    current = latest(listing, A.PANEL)
    if current is not None:
        content, items = current.content, current.items
    else:
        content, items = render(queries.bundle(listing), material.panel_material(listing.case), A.PANEL,
                                "DRAFT: not published. The agenda's publication issues the bundle of record.")
    content = _served(actor, listing, content, items)
    record(actor, "hearing.bundle_downloaded", listing, holder_id=listing.case.holder_id, after={
        "case_id": listing.case_id, "version": current.version_number if current else None,
        "sha256": current.sha256 if current else None})
    return content


def download_published(actor, published):
    content = _served(actor, published.listing, published.content, published.items)
    record(actor, "hearing.bundle_downloaded", published, holder_id=published.listing.case.holder_id, after={
        "case_id": published.listing.case_id, "audience": published.audience.value,
        "version": published.version_number, "sha256": published.sha256})
    return content
