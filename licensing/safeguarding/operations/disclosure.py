"""Subject access as a reviewed disclosure (UK GDPR Art. 15; DPA 2018 Sch. 2).

A request first produces a DRAFT: every record reachable from the holder (the same walk as the
full export, `licensing.subject_access`), one item each, with the fields that name someone else
and the restricted records (intelligence and the like) marked. A disclosure officer decides every
item: disclose it, withhold some of its fields (redact) or withhold it all, naming the exemption
relied on. Only then can it be released; the release is built from those decisions, stored with
its hash and never rebuilt. Withheld data stays visible in the draft, marked as withheld, and is
not in the release."""

import datetime as dt
import hashlib
import json
import re

from licensing.audit import record
from licensing.extensions import db
from licensing.models import ItemDecision, Permission, RequestStatus, SubjectAccessItem, SubjectAccessRequest
from licensing.policy.safeguarding import data_protection_on
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations.common import not_future, text
from licensing.subject_access import FILE_COLUMNS, collect_rows, jsonable
from licensing.text import govuk_date, govuk_datetime

WITHHELD = "[Withheld: {}]"


def _require_reviewer(actor):
    if not actor.can(Permission.SUBJECT_ACCESS_REVIEW):
        raise PermissionError("subject access review needs a disclosure officer")


def _content(row):
    data = {}
    for key, value in row.items():
        if key in FILE_COLUMNS:
            data[key] = "[stored file]" if value else None
            continue
        data[key] = jsonable(value)
    return data


def draft_subject_access(actor, holder, *, received_on, today=None):
    """Gather the draft for a request received on `received_on`: nothing is released yet."""
    _require_reviewer(actor)
    today = today or dt.date.today()
    not_future(received_on, today, "received_on", "the date the request was received")
    policy = data_protection_on(received_on)
    request = SubjectAccessRequest(holder_id=holder.id, received_on=received_on, status=RequestStatus.DRAFT,
                                   prepared_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    count = 0
    for table_name, by_id in sorted(collect_rows(holder.id).items()):
        third_party = policy.third_party_fields.get(table_name, [])
        for row_id, row in sorted(by_id.items()):
            content = _content(row)
            named = [name for name in third_party if content.get(name)]
            db.session.add(SubjectAccessItem(
                request_id=request.id, source_table=table_name, source_id=row_id,
                content_json=json.dumps(content, sort_keys=True, default=str),
                third_party_fields=",".join(named) or None, restricted=table_name in policy.restricted_tables,
                decision=ItemDecision.PENDING))
            count += 1
    db.session.flush()
    record(actor, "subject_access.draft", request, after={"received_on": received_on.isoformat(), "items": count})
    return request


def _fields(value):
    return [name for name in (part.strip() for part in (value or "").split(",")) if name]


def review_item(actor, item, *, decision, exemption=None, withheld_fields=None, note=None):
    """The disclosure officer's decision on one item. Redacting or withholding names an exemption
    from the policy data; a redaction names the fields withheld."""
    _require_reviewer(actor)
    request = item.request
    if request.status != RequestStatus.DRAFT:
        raise SafeguardingError("This request has been released; its decisions are final", field="decision")
    decision = ItemDecision(decision)
    if decision == ItemDecision.PENDING:
        raise SafeguardingError("Choose whether to disclose, redact or withhold", field="decision")
    exemption = text(exemption) or None
    fields = _fields(withheld_fields)
    if decision in (ItemDecision.REDACT, ItemDecision.WITHHOLD):
        if exemption not in data_protection_on(request.received_on).exemptions:
            raise SafeguardingError("Choose the exemption relied on", field="exemption")
    else:
        exemption, fields = None, []
    if decision == ItemDecision.REDACT:
        content = json.loads(item.content_json)
        unknown = [name for name in fields if name not in content]
        if not fields or unknown:
            raise SafeguardingError(f"Name the fields to withhold, from: {', '.join(sorted(content))}",
                                    field="withheld_fields")
    else:
        fields = []
    before = {"decision": item.decision.value}
    item.decision, item.exemption, item.redacted_fields = decision, exemption, ",".join(fields) or None
    item.decision_note = text(note) or None
    item.reviewed_by_id, item.reviewed_at = actor.id, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    db.session.flush()
    record(actor, "subject_access.item_decided", request, entity_id=request.id, before=before, after={
        "item_id": item.id, "source_table": item.source_table, "decision": decision.value,
        "exemption": exemption, "withheld_fields": fields})
    return item


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _shown(value):
    """Dates as people read them ("23 November 2026"); the stored content keeps ISO dates."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return govuk_date(moment.date()) if len(value) == 10 else govuk_datetime(moment)
    return value


def draft_view(item):
    """How an item reads in the draft: every field, each withheld one marked as withheld."""
    content = json.loads(item.content_json)
    withheld = set(content) if item.decision == ItemDecision.WITHHOLD else set(_fields(item.redacted_fields))
    return {key: {"value": _shown(value), "withheld": key in withheld} for key, value in content.items()}


def release_content(items):
    """What the holder receives: disclosed items whole, redacted items without their withheld
    fields (replaced by a note of the exemption), withheld items not at all."""
    released = {}
    for item in items:
        if item.decision == ItemDecision.WITHHOLD:
            continue
        content = json.loads(item.content_json)
        for name in _fields(item.redacted_fields):
            content[name] = WITHHELD.format(item.exemption)
        released.setdefault(item.source_table, []).append(content)
    return released


def release(actor, request, *, released_on, version=None, today=None):
    _require_reviewer(actor)
    today = today or dt.date.today()
    if version is not None and int(version) != request.version:
        raise SafeguardingError("The draft changed while you were reviewing it: check it again", field="released_on")
    if request.status != RequestStatus.DRAFT:
        raise SafeguardingError("This request has already been released", field="released_on")
    not_future(released_on, today, "released_on", "the date of release")
    if released_on < request.received_on:
        raise SafeguardingError(f"The release follows the request ({govuk_date(request.received_on)})",
                                field="released_on")
    pending = [item for item in request.items if item.decision == ItemDecision.PENDING]
    if pending:
        raise SafeguardingError(f"Decide every item before release: {len(pending)} still to review",
                                field="released_on")
    body = json.dumps(release_content(request.items), indent=2, sort_keys=True, default=str)
    request.release_json, request.release_sha256 = body, hashlib.sha256(body.encode()).hexdigest()
    request.status, request.released_on, request.released_by_id = RequestStatus.RELEASED, released_on, actor.id
    db.session.flush()
    counts = {decision.value: sum(1 for item in request.items if item.decision == decision)
              for decision in (ItemDecision.DISCLOSE, ItemDecision.REDACT, ItemDecision.WITHHOLD)}
    record(actor, "subject_access.released", request, after={
        "released_on": released_on.isoformat(), "sha256": request.release_sha256, **counts})
    return request


def record_release_download(actor, request):
    _require_reviewer(actor)
    record(actor, "subject_access.release_downloaded", request, after={"sha256": request.release_sha256})
