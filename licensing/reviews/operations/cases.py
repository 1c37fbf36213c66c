"""Review cases: opening, the state machine, assignment, notes and evidence documents.

Operations take the acting user, write an audit row, and only flush; the view commits.
"""

import datetime as dt
import hashlib

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record, snapshot
from licensing.extensions import db
from licensing.holders.evidence import detect_type
from licensing.models import (
    CaseDocument,
    CaseNote,
    CaseOrigin,
    CaseOutcome,
    CasePriority,
    CaseState,
    Licence,
    LicenceHolder,
    ReviewCase,
    Role,
    User,
)
from licensing.models.base import utcnow
from licensing.reviews.errors import ReviewError, check_version

# The one table of allowed moves; hearings list and decide cases through `transition` too.
TRANSITIONS = {
    CaseState.OPEN: {CaseState.INVESTIGATING, CaseState.AWAITING_DECISION, CaseState.WITHDRAWN},
    CaseState.INVESTIGATING: {CaseState.AWAITING_DECISION, CaseState.WITHDRAWN},
    CaseState.AWAITING_DECISION: {CaseState.INVESTIGATING, CaseState.LISTED_FOR_HEARING, CaseState.DECIDED,
                                  CaseState.WITHDRAWN},
    CaseState.LISTED_FOR_HEARING: {CaseState.AWAITING_DECISION, CaseState.DECIDED, CaseState.WITHDRAWN},
    CaseState.DECIDED: {CaseState.CLOSED},
    CaseState.CLOSED: set(),
    CaseState.WITHDRAWN: set(),
}
DEFAULT_DUE_DAYS = {CasePriority.URGENT: 5, CasePriority.HIGH: 14, CasePriority.NORMAL: 28, CasePriority.LOW: 56}


def allowed_moves(case):
    return sorted(TRANSITIONS[case.state], key=lambda s: list(CaseState).index(s))


def _officer(user_id):
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.OFFICER or not user.is_enabled:
        raise ReviewError("Choose a licensing officer to assign the case to", field="assigned_officer_id")
    return user


def open_case(actor, holder, origin, summary, *, licences=(), assigned_officer_id=None,
              priority=CasePriority.NORMAL, due_on=None, campaign=None, today=None):
    """Open a review case about `holder` (and, optionally, some of their licences)."""
    today = today or dt.date.today()
    priority = CasePriority(priority)
    summary = (summary or "").strip()
    if not summary:
        raise ReviewError("Enter a summary of why the case is opened", field="summary")
    licences = list(licences)
    if any(licence.holder_id != holder.id for licence in licences):
        raise ReviewError("A linked licence must belong to the licence holder", field="licence_ids")
    case = ReviewCase(
        origin=CaseOrigin(origin),
        holder_id=holder.id,
        summary=summary[:500],
        assigned_officer_id=_officer(assigned_officer_id).id if assigned_officer_id else None,
        priority=priority,
        due_on=due_on or today + dt.timedelta(days=DEFAULT_DUE_DAYS[priority]),
        state=CaseState.OPEN,
        campaign_id=campaign.id if campaign else None,
        opened_by_id=actor.id,
        licences=licences,
    )
    db.session.add(case)
    db.session.flush()
    case.reference = f"RC-{case.id:06d}"
    record(actor, "case.opened", case, after={**snapshot(case), "licence_ids": [lic.id for lic in licences]})
    return case


def transition(actor, case, new_state, reason, *, outcome=None, version=None, by_decision=None):
    """Move `case` to `new_state`; refuses moves the table does not allow. Deciding a case
    records its outcome, and only a decision path decides one: `by_decision` names the decision
    record (a hearing's decision) that acted on the licence and issued the notice."""
    check_version(case, version, "case")
    new_state = CaseState(new_state)
    reason = (reason or "").strip()
    if new_state not in TRANSITIONS[case.state]:
        allowed = ", ".join(s.label.lower() for s in allowed_moves(case)) or "none (the case is finished)"
        raise ReviewError(
            f"A case that is {case.state.label.lower()} cannot move to {new_state.label.lower()}. "
            f"Allowed next steps: {allowed}.",
            field="new_state",
        )
    if new_state == CaseState.DECIDED:
        if by_decision is None:
            raise ReviewError("A case is decided only by a decision that acts on the licence and issues its "
                              "notice: list it for a hearing, or take the action from the licence",
                              field="new_state")
        if not outcome:
            raise ReviewError("Choose the outcome of the decision", field="outcome")
        case.outcome = CaseOutcome(outcome)
        case.decided_at = utcnow()
    elif outcome:
        raise ReviewError("An outcome is recorded only when the case is decided", field="outcome")
    if new_state in (CaseState.WITHDRAWN, CaseState.DECIDED) and not reason:
        raise ReviewError("Give the reason for this step", field="reason")
    before = {"state": case.state.value, "outcome": case.outcome.value if case.outcome else None}
    if new_state == CaseState.DECIDED:
        before["outcome"] = None
    case.state = new_state
    if new_state in (CaseState.CLOSED, CaseState.WITHDRAWN):
        case.closed_at = utcnow()
    db.session.flush()
    record(actor, "case.transition", case, before=before,
           after={"state": case.state.value, "outcome": case.outcome.value if case.outcome else None,
                  **({"decided_by_record": by_decision} if by_decision else {})},
           reason=reason or None)
    return case


def assign(actor, case, officer_id, priority=None, due_on=None, version=None):
    check_version(case, version, "case")
    if case.is_finished:
        raise ReviewError("A finished case cannot be reassigned")
    before = snapshot(case)
    case.assigned_officer_id = _officer(officer_id).id if officer_id else None
    if priority:
        case.priority = CasePriority(priority)
    if due_on:
        case.due_on = due_on
    db.session.flush()
    b, a = {k: before[k] for k in ("assigned_officer_id", "priority", "due_on")}, {
        "assigned_officer_id": case.assigned_officer_id, "priority": case.priority.value,
        "due_on": case.due_on.isoformat() if case.due_on else None}
    record(actor, "case.assigned", case, before=b, after=a)
    return case


def add_note(actor, case, body):
    body = (body or "").strip()
    if not body:
        raise ReviewError("Enter the note", field="body")
    note = CaseNote(case_id=case.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    record(actor, "case.note_added", case, after={"note_id": note.id})
    return note


def sniff_content_type(content):
    """What the file's leading bytes say it is (one list of accepted types, in the register)."""
    detected = detect_type(content)
    return detected[0] if detected else None


def add_document(actor, case, title, original_name, content, *, disclose_to_panel=False):
    """Store an evidence document after checking its size and what its bytes say it is."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if not content:
        raise ReviewError("The selected file is empty", field="upload")
    if len(content) > limit:
        raise ReviewError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB", field="upload")
    content_type = sniff_content_type(content)
    if content_type is None:
        record(actor, "upload_validation", case, reason="evidence rejected: not a PDF, JPEG or PNG")
        raise ReviewError("The selected file must be a PDF, JPEG or PNG", field="upload")
    title = (title or "").strip()
    if not title:
        raise ReviewError("Enter a title for the document", field="title")
    name = clean_file_name(original_name).rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    document = CaseDocument(
        case_id=case.id, title=title[:200], original_name=name or "document",
        content_type=content_type, size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content=content,
        disclose_to_panel=bool(disclose_to_panel), uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    record(actor, "case.document_added", case,
           after={"document_id": document.id, "sha256": document.sha256,
                  "disclose_to_panel": document.disclose_to_panel})
    return document


def set_document_flags(actor, document, disclose_to_panel, disclosed_to_holder_on, version=None):
    check_version(document, version, "document")
    before = {"disclose_to_panel": document.disclose_to_panel,
              "disclosed_to_holder_on": _iso(document.disclosed_to_holder_on)}
    document.disclose_to_panel = bool(disclose_to_panel)
    document.disclosed_to_holder_on = disclosed_to_holder_on
    db.session.flush()
    after = {"disclose_to_panel": document.disclose_to_panel,
             "disclosed_to_holder_on": _iso(document.disclosed_to_holder_on)}
    record(actor, "case.document_flags", entity_type="review_cases", entity_id=document.case_id,
           holder_id=db.session.get(ReviewCase, document.case_id).holder_id,
           before={"document_id": document.id, **before}, after={"document_id": document.id, **after})
    return document


def clean_file_name(name):
    """A file name without control characters (CR/LF, NUL, tab...): they cannot go in a header."""
    return "".join(" " if ch in "\t\r\n" else ch for ch in (name or "document")
                   if ch in "\t\r\n" or (ord(ch) >= 32 and ord(ch) != 127)).strip() or "document"


def download_name(document):
    return clean_file_name(document.original_name)  # names stored before they were cleaned too


def record_download(actor, document, via):
    """A case document was downloaded: who, which, by which route (never its content)."""
    holder_id = db.session.scalar(sa.select(ReviewCase.holder_id).where(ReviewCase.id == document.case_id))
    record(actor, "document.downloaded", document, holder_id=holder_id,
           after={"case_id": document.case_id, "via": via})


def holder_licences(holder_id, licence_ids):
    if not licence_ids:
        return []
    return db.session.execute(
        sa.select(Licence).where(Licence.id.in_(licence_ids), Licence.holder_id == holder_id)
    ).scalars().all()


def load_holder(holder_id):
    holder = db.session.get(LicenceHolder, holder_id) if holder_id else None
    if holder is None:
        raise ReviewError("Choose a licence holder that exists", field="holder_ref")
    return holder


def _iso(value):
    return value.isoformat() if value else None
