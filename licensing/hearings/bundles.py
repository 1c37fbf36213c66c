"""Turning a listed case's bundle into PDF sections; every download is audited."""

from licensing.audit import record
from licensing.hearings import queries
from licensing.letters.bundle import BundleSection, build_bundle
from licensing.text import govuk_date


def _date(value):
    return govuk_date(value) if value else "not recorded"


def sections(data):
    case, holder = data.listing.case, data.listing.case.holder
    summary = BundleSection("Officer's report", (
        f"Case {case.reference or case.id}: {case.summary}",
        f"Licence holder: {holder.display_name}",
        f"Opened: {_date(case.opened_at.date())}. Origin: {case.origin.label}.",
    ))
    licences = BundleSection("Licence and compliance history", tuple(
        [f"{lic.licence_number}: {lic.licence_type.label}, {lic.status.label.lower()}, "
         f"issued {_date(lic.issued_on)}, expires {_date(lic.expires_on)}" for lic in case.licences]
        + [f"{a.kind.label} decided {_date(a.decision_date)}: {a.grounds}" for a in data.actions]
        + ["Compliance: " + ("no overdue requirements" if data.compliance.compliant else
                             "; ".join(f"{i.requirement} overdue since {_date(i.due_on)}"
                                       for i in data.compliance.reasons))]))
    convictions = [f"{c.conviction_date:%d/%m/%Y} {c.category.label}: {c.offence} ({c.disposal.label})"
                   for c in data.convictions]
    if data.assessment is not None:
        convictions.append(f"Policy assessment ({data.assessment.edition.edition}, as at "
                           f"{_date(data.assessment.as_at)}): {data.assessment.reason}")
    evidence = [f"{d.title} ({d.original_name}, {d.size_bytes} bytes)" for d in data.documents]
    result = [summary, licences, BundleSection("Convictions and policy assessment", tuple(convictions)),
              BundleSection("Evidence disclosed to the panel", tuple(evidence))]
    if data.intelligence:
        result.append(BundleSection("Intelligence disclosed to the panel", tuple(
            f"{_date(i.received_on)} ({i.grading}): {i.summary}" for i in data.intelligence)))
    return result


def download_bundle(actor, listing):
    data = queries.bundle(listing)
    content = build_bundle(f"Hearing bundle: case {listing.case.reference or listing.case_id}", sections(data))
    record(actor, "hearing.bundle_downloaded", listing, after={"case_id": listing.case_id},
           holder_id=listing.case.holder_id)
    return content
