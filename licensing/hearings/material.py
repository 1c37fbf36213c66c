"""The material that can reach the panel for a case, each item with its disclosure to the licence
holder: the case's documents and the holder's intelligence marked for the panel, the holder's
convictions that may be relied on (never protected ones), the officer's report, complaints and
non-conviction information linked to the case. Read side only."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    CaseDocument,
    Complaint,
    Conviction,
    Disclosure,
    DisclosureState,
    Intelligence,
    MaterialKind,
    OfficerReport,
    ReviewCase,
)
from licensing.permissions import may_see_intelligence
from licensing.policy.filtering import unprotected
from licensing.safeguarding.queries import case_non_conviction_items
from licensing.text import govuk_date

K = MaterialKind


@dataclass
class Item:
    kind: MaterialKind
    id: int
    title: str
    text: str
    version: int | None = None  # the report's: an edit after disclosure needs disclosing again
    document: CaseDocument | None = None
    disclosure: Disclosure | None = None

    @property
    def key(self):
        return f"{self.kind.value}:{self.id}"

    @property
    def restricted(self):
        """Police and safeguarding information: seen only by officers with clearance."""
        return self.kind in (K.INTELLIGENCE, K.NON_CONVICTION)

    @property
    def state(self):
        """'disclosed', 'withheld' (its gist disclosed) or 'undisclosed'."""
        return self.disclosure.state.value if self.disclosure is not None else "undisclosed"

    @property
    def reaches_holder(self):
        return self.disclosure is not None


def _current_disclosures(case_id):
    """{(kind, item id): the latest disclosure row} for the case."""
    rows = db.session.execute(sa.select(Disclosure).where(Disclosure.case_id == case_id)
                              .order_by(Disclosure.id)).scalars().all()
    return {(row.item_kind, row.item_id): row for row in rows}


def report_of(case_id):
    return db.session.execute(sa.select(OfficerReport).filter_by(case_id=case_id)).scalar_one_or_none()


def _items(case):
    documents = db.session.execute(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.disclose_to_panel.is_(True)).order_by(CaseDocument.id)
    ).scalars().all()
    intelligence = db.session.execute(sa.select(Intelligence).where(
        Intelligence.holder_id == case.holder_id, Intelligence.disclose_to_panel.is_(True))
        .order_by(Intelligence.received_on, Intelligence.id)).scalars().all()
    # A conviction withdrawn as entered in error never reaches a panel.
    counted = sa.select(Conviction).where(Conviction.holder_id == case.holder_id, Conviction.withdrawn_at.is_(None))
    convictions = unprotected(db.session.execute(counted.order_by(Conviction.conviction_date, Conviction.id)).scalars(),
                              dt.date.today())
    complaints = db.session.execute(sa.select(Complaint).where(Complaint.case_id == case.id)
                                    .order_by(Complaint.received_on, Complaint.id)).scalars().all()
    report = report_of(case.id)
    items = [] if report is None else [Item(K.REPORT, report.id, "Officer's report", "", version=report.version)]
    items += [Item(K.DOCUMENT, d.id, d.title, f"{d.original_name}, {d.size_bytes} bytes", document=d)
              for d in documents]
    items += [Item(K.CONVICTION, c.id, f"Conviction of {govuk_date(c.conviction_date)}",
                   f"{c.category.label}: {c.offence} ({c.disposal.label})") for c in convictions]
    items += [Item(K.COMPLAINT, c.id, f"Complaint received {govuk_date(c.received_on)}", c.details)
              for c in complaints]
    items += [Item(K.INTELLIGENCE, i.id, f"Intelligence received {govuk_date(i.received_on)} ({i.grading})",
                   i.summary) for i in intelligence]
    items += [Item(K.NON_CONVICTION, n.id, f"{n.kind.label} on {govuk_date(n.occurred_on)} ({n.handling_code})",
                   n.summary + (f" Finding: {n.finding.label}." if n.finding else ""))
              for n in case_non_conviction_items(case.id)]
    return items


def panel_material(case):
    """Every item that can reach the panel, with its current disclosure (None if there is none,
    or if the report has changed since it was disclosed)."""
    current = _current_disclosures(case.id)
    items = _items(case)
    for item in items:
        found = current.get((item.kind, item.id))
        if found is not None and (item.kind != K.REPORT or found.item_version == item.version):
            item.disclosure = found
    return items


def undisclosed(items):
    return [item for item in items if item.disclosure is None]


def find(items, key):
    return next((item for item in items if item.key == key), None)


@dataclass
class Summary:
    items: list  # what the user may see
    hidden: int  # restricted items the user may not see: a count only
    undisclosed: int  # of all items, restricted ones too

    @property
    def withheld(self):
        return sum(1 for item in self.items if item.state == DisclosureState.WITHHELD.value)


def summary_for(case, user):
    """The case's panel material as `user` may see it: intelligence only with clearance."""
    items = panel_material(case)
    cleared = may_see_intelligence(user)
    visible = [item for item in items if cleared or not item.restricted]
    return Summary(visible, len(items) - len(visible), len(undisclosed(items)))


def undisclosed_counts(case_ids):
    """{case id: number of undisclosed items} for the agenda page (a few cases: a pass each)."""
    cases = db.session.execute(sa.select(ReviewCase).where(ReviewCase.id.in_(case_ids))).scalars().all() \
        if case_ids else []
    return {case.id: len(undisclosed(panel_material(case))) for case in cases}
