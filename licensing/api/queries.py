"""What the API reads. Each function selects only the columns its scope releases."""

import dataclasses
import datetime as dt
import functools
import threading
from dataclasses import dataclass
from time import monotonic

import sqlalchemy as sa
from flask import current_app

from licensing.api.tokens import hash_token
from licensing.extensions import db
from licensing.models import (
    ApiClient,
    HolderKind,
    Licence,
    LicenceApplication,
    LicenceHolder,
    LicenceStatus,
    Vehicle,
)

LOOKUPS = ("licence", "badge", "plate")
LIVE = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)


@dataclass(frozen=True)
class Caller:
    """The client behind a request's token, read as plain columns (every API request reads it)."""

    id: int
    name: str
    scopes: frozenset
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def is_active(self):
        return self.revoked_at is None

    def has_scope(self, scope):
        return self.is_active and str(scope) in self.scopes


CALLER_COLUMNS = (ApiClient.id, ApiClient.name, ApiClient.scopes, ApiClient.revoked_at, ApiClient.last_used_at)


def client_for_token(token):
    """The client a token belongs to, revoked or not (the caller refuses a revoked one), or None.

    A known token's answer is kept in this process for API_TOKEN_CACHE_SECONDS (a rank marshal's
    app asks many times a minute, and the lookup would otherwise cost a query on every request).
    Revoking clears this process's answers at once; another worker sees the revocation within
    that time. Unknown tokens are not kept, so guessing cannot fill the cache."""
    digest = hash_token(token)
    cache = _callers()
    caller = cache.get(digest)
    if caller is not None:
        return caller
    row = db.session.execute(sa.select(*CALLER_COLUMNS).where(ApiClient.token_hash == digest)).first()
    if row is None:
        return None
    caller = Caller(row.id, row.name, frozenset(row.scopes.split()), row.revoked_at, row.last_used_at)
    cache.put(digest, caller, current_app.config["API_TOKEN_CACHE_SECONDS"])
    return caller


class CallerCache:
    """Token digest -> (Caller, until), per process and application, shared by its threads."""

    LIMIT = 1000  # far more clients than a council has; beyond it the cache starts again

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, digest):
        entry = self._entries.get(digest)
        return entry[0] if entry is not None and entry[1] > monotonic() else None

    def put(self, digest, caller, seconds):
        if seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.LIMIT:
                self._entries.clear()
            self._entries[digest] = (caller, monotonic() + seconds)

    def used(self, client_id, at):
        """The client's last use was written: later requests need not write it again."""
        with self._lock:
            for digest, (caller, until) in list(self._entries.items()):
                if caller.id == client_id:
                    self._entries[digest] = (dataclasses.replace(caller, last_used_at=at), until)

    def clear(self):
        with self._lock:
            self._entries.clear()


def _callers():
    return current_app.extensions.setdefault("api_callers", CallerCache())


def forget_cached_callers():
    """After a revocation: this process asks the database again for every token."""
    _callers().clear()


def note_cached_use(client_id, at):
    _callers().used(client_id, at)


# Validity: no personal data, only what a rank marshal or another council needs to know.
VALIDITY_COLUMNS = (Licence.licence_number, Licence.licence_type, Licence.status, Licence.expires_on,
                    Vehicle.registration.label("vehicle_registration"), Vehicle.plate_number)


@functools.cache
def _validity_select(by):
    """The lookup by licence, badge or plate number, built once per kind; the number is bound."""
    number = sa.bindparam("number", type_=sa.String)
    query = sa.select(*VALIDITY_COLUMNS).outerjoin(Vehicle, Vehicle.id == Licence.vehicle_id)
    if by == "licence":
        query = query.where(Licence.licence_number == number)
    elif by == "badge":
        query = query.where(Licence.badge_number == number)
    else:
        # A plate moves with the vehicle: the licence in force first, then the latest.
        query = (query.where(sa.func.lower(Vehicle.plate_number) == number)
                 .order_by(Licence.status.in_(LIVE).desc(), Licence.id.desc()))
    return query.limit(1)


def validity(by, number, today=None):
    """The licence a licence, badge or plate number names, as a dict with `valid`, or None."""
    today = today or dt.date.today()
    number = (number or "").strip()
    if by not in LOOKUPS or not number or len(number) > 32:
        return None
    number = number.lower() if by == "plate" else number.upper()
    row = db.session.execute(_validity_select(by), {"number": number}).first()
    if row is None:
        return None
    valid = row.status == LicenceStatus.ACTIVE and (row.expires_on is None or row.expires_on >= today)
    return {"valid": valid, "licence_number": row.licence_number, "licence_type": row.licence_type.value,
            "licence_type_label": row.licence_type.label, "status": row.status.value, "expires_on": row.expires_on,
            "vehicle_registration": row.vehicle_registration, "plate_number": row.plate_number,
            "checked_on": today}


def _holder_name():
    return sa.case(
        (LicenceHolder.kind == HolderKind.ORGANISATION, LicenceHolder.organisation_name),
        else_=sa.func.coalesce(LicenceHolder.first_name + " ", "") + sa.func.coalesce(LicenceHolder.last_name, ""),
    )


# register:read: the licence, the holder's reference and name; never address, date of birth,
# contact details, DVLA number, convictions or intelligence.
REGISTER_COLUMNS = (
    Licence.id, Licence.licence_number, Licence.licence_type, Licence.status, Licence.issued_on,
    Licence.expires_on, Licence.badge_number, LicenceHolder.holder_ref, _holder_name().label("holder_name"),
    Vehicle.registration.label("vehicle_registration"), Vehicle.plate_number,
)


def _register_select():
    return (sa.select(*REGISTER_COLUMNS)
            .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
            .outerjoin(Vehicle, Vehicle.id == Licence.vehicle_id))


def _register_item(row):
    item = row._asdict()
    item["licence_type"] = row.licence_type.value
    item["status"] = row.status.value
    item.pop("id")
    return item


def register_licences(after=0, limit=100, status=None):
    """A page of the register in id order (keyset: pass the last `next_after` back)."""
    query = _register_select().where(Licence.id > (after or 0))
    if status:
        query = query.where(Licence.status == LicenceStatus(status))
    rows = db.session.execute(query.order_by(Licence.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_register_item(row) for row in rows], "next_after": rows[-1].id if more else None}


def register_licence(number):
    row = db.session.execute(
        _register_select().where(Licence.licence_number == (number or "").strip().upper())
    ).first()
    return _register_item(row) if row else None


def client_application(client, application_id):
    """An application this client sent, or None (another client's is not found)."""
    return db.session.execute(
        sa.select(LicenceApplication).where(LicenceApplication.id == application_id,
                                            LicenceApplication.api_client_id == client.id)
    ).scalar_one_or_none()


def clients():
    return db.session.execute(sa.select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.name)
                              ).scalars().all()


def subscribed_clients(session):
    """Active clients with a webhook address, entitled to licence status events (validity:read)."""
    rows = session.execute(
        sa.select(ApiClient).where(ApiClient.webhook_url.is_not(None), ApiClient.revoked_at.is_(None))
    ).scalars().all()
    return [client for client in rows if client.has_scope("validity:read")]
