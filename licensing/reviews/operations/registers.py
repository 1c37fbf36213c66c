"""Complaints register and enforcement checks (including mystery shops)."""

from licensing.audit import record, snapshot
from licensing.extensions import db
from licensing.holders.evidence import store_evidence
from licensing.models import (
    CaseOrigin,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
    EnforcementCheck,
    EnforcementCheckResult,
    EnforcementCheckType,
    Licence,
    LicenceHolder,
    ReviewCase,
    Vehicle,
)
from licensing.policy.complaints import response_due
from licensing.reviews.errors import ReviewError, check_version
from licensing.reviews.operations.cases import open_case

COMPLAINT_STATUS_MOVES = {
    ComplaintStatus.RECEIVED: {ComplaintStatus.INVESTIGATING, ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED},
    ComplaintStatus.INVESTIGATING: {ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED},
    ComplaintStatus.RESPONDED: {ComplaintStatus.CLOSED, ComplaintStatus.INVESTIGATING},
    ComplaintStatus.CLOSED: set(),
}


def _subject(holder_id, licence_id, vehicle_id):
    holder = db.session.get(LicenceHolder, holder_id) if holder_id else None
    licence = db.session.get(Licence, licence_id) if licence_id else None
    vehicle = db.session.get(Vehicle, vehicle_id) if vehicle_id else None
    if (holder_id and not holder) or (licence_id and not licence) or (vehicle_id and not vehicle):
        raise ReviewError("The licence holder, licence or vehicle was not found", field="holder_ref")
    if holder is None and licence is not None:
        holder = licence.holder
    if holder is None and vehicle is not None:
        holder = vehicle.proprietor
    if holder is None and licence is None and vehicle is None:
        raise ReviewError("Say who or what the complaint is about", field="holder_ref")
    return holder, licence, vehicle


def record_complaint(actor, *, received_on, channel, category, details, holder_id=None, licence_id=None,
                     vehicle_id=None, complainant_name=None, complainant_contact=None):
    holder, licence, vehicle = _subject(holder_id, licence_id, vehicle_id)
    details = (details or "").strip()
    if not details:
        raise ReviewError("Enter what the complaint is about", field="details")
    complaint = Complaint(
        received_on=received_on, channel=ComplaintChannel(channel), category=ComplaintCategory(category),
        details=details, holder_id=holder.id if holder else None, licence_id=licence.id if licence else None,
        vehicle_id=vehicle.id if vehicle else None, complainant_name=(complainant_name or "").strip() or None,
        complainant_contact=(complainant_contact or "").strip() or None,
        response_due_on=response_due(received_on), status=ComplaintStatus.RECEIVED, recorded_by_id=actor.id,
    )
    db.session.add(complaint)
    db.session.flush()
    # Complainant details stay out of the audit trail's readable snapshot.
    after = {k: v for k, v in snapshot(complaint).items() if not k.startswith("complainant")}
    record(actor, "complaint.recorded", complaint, after=after)
    return complaint


def update_complaint(actor, complaint, status, outcome, version=None):
    check_version(complaint, version, "complaint")
    status = ComplaintStatus(status)
    if status != complaint.status and status not in COMPLAINT_STATUS_MOVES[complaint.status]:
        raise ReviewError(f"A complaint that is {complaint.status.label.lower()} cannot become "
                          f"{status.label.lower()}", field="status")
    if status == ComplaintStatus.CLOSED and not outcome:
        raise ReviewError("Choose the outcome before closing the complaint", field="outcome")
    before = {"status": complaint.status.value, "outcome": complaint.outcome.value if complaint.outcome else None}
    complaint.status = status
    complaint.outcome = ComplaintOutcome(outcome) if outcome else None
    db.session.flush()
    record(actor, "complaint.updated", complaint, before=before,
           after={"status": status.value, "outcome": complaint.outcome.value if complaint.outcome else None})
    return complaint


def complaint_to_case(actor, complaint, case_id=None):
    """Open a case from the complaint, or join it to an existing open case of the same holder."""
    if complaint.case_id:
        raise ReviewError("The complaint is already part of a case")
    if complaint.holder_id is None:
        raise ReviewError("A case needs a licence holder; this complaint is about a vehicle with no proprietor")
    if case_id:
        case = db.session.get(ReviewCase, case_id)
        if case is None or case.holder_id != complaint.holder_id or case.is_finished:
            raise ReviewError("Choose an unfinished case about the same licence holder", field="case_id")
    else:
        licences = [complaint.licence] if complaint.licence else []
        case = open_case(actor, complaint.holder, CaseOrigin.COMPLAINT,
                         f"Complaint received {complaint.received_on:%d/%m/%Y}: {complaint.category.label}",
                         licences=licences)
    complaint.case_id = case.id
    db.session.flush()
    record(actor, "complaint.linked_to_case", complaint, after={"case_id": case.id})
    return case


def record_enforcement_check(actor, *, checked_on, check_type, officer_id, result, vehicle_id=None,
                             driver_id=None, issues_found=None, evidence=None, max_upload_bytes=None):
    """A street check or mystery shop, with a photo or document if one is sent (`evidence`, an
    upload), kept as evidence under the driver or, without one, the vehicle's proprietor."""
    if vehicle_id and db.session.get(Vehicle, vehicle_id) is None:
        raise ReviewError("The vehicle was not found", field="registration")
    if driver_id and db.session.get(LicenceHolder, driver_id) is None:
        raise ReviewError("The driver was not found", field="driver_ref")
    check_type, result = EnforcementCheckType(check_type), EnforcementCheckResult(result)
    issues_found = (issues_found or "").strip() or None
    if result != EnforcementCheckResult.SATISFACTORY and not issues_found:
        raise ReviewError("Describe the issues found", field="issues_found")
    check = EnforcementCheck(checked_on=checked_on, check_type=check_type, officer_id=officer_id,
                             vehicle_id=vehicle_id, driver_id=driver_id, result=result,
                             issues_found=issues_found)
    db.session.add(check)
    db.session.flush()
    record(actor, "enforcement_check.recorded", check, after=snapshot(check))
    if evidence is not None and evidence.filename:
        holder = check.driver or (check.vehicle.proprietor if check.vehicle else None)
        if holder is None:
            raise ReviewError("Enter the driver or a licensed vehicle's registration to keep a photo with the check",
                              field="evidence")
        store_evidence(actor, holder, None, evidence, max_upload_bytes, enforcement_check=check)
    return check


def check_to_case(actor, check):
    if check.case_id:
        raise ReviewError("The check already has a case")
    holder = check.driver or (check.vehicle.proprietor if check.vehicle else None)
    if holder is None:
        raise ReviewError("A case needs a licence holder: record the driver or a vehicle with a proprietor")
    origin = (CaseOrigin.MYSTERY_SHOP if check.check_type == EnforcementCheckType.MYSTERY_SHOP
              else CaseOrigin.AUDIT if check.check_type == EnforcementCheckType.INTERNAL_AUDIT
              else CaseOrigin.ENFORCEMENT_CHECK)
    case = open_case(actor, holder, origin,
                     f"{check.check_type.label} on {check.checked_on:%d/%m/%Y}: {check.result.label.lower()}")
    check.case_id = case.id
    db.session.flush()
    record(actor, "enforcement_check.linked_to_case", check, after={"case_id": case.id})
    return case
