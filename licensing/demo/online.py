"""The demo council's online accounts: a driver whose account is linked to their record, with
something coming due, and an applicant not yet known to the register."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.auth.passwords import hash_password
from licensing.compliance.evaluate import population_compliance
from licensing.extensions import db
from licensing.models import DRIVER_TYPES, Licence, LicenceStatus, PortalAccount
from licensing.models.base import utcnow

DEMO_DRIVER = "driver@example.com"
DEMO_APPLICANT = "applicant@example.com"


def _driver_with_something_due(today):
    """The first person holding an active driver licence with a requirement due within 60 days."""
    candidates = db.session.execute(
        sa.select(Licence.holder_id).where(Licence.status == LicenceStatus.ACTIVE,
                                           Licence.licence_type.in_(list(DRIVER_TYPES)))
        .order_by(Licence.holder_id).limit(200)
    ).scalars().all()
    statuses = population_compliance(today, candidates)
    for holder_id in candidates:
        status = statuses.get(holder_id)
        if status and status.compliant and status.due_within(60):
            return holder_id
    return candidates[0] if candidates else None


def ensure_demo_online_accounts(password, today=None):
    """Create the demo holder accounts that do not exist yet; return their logins."""
    today = today or dt.date.today()
    now = utcnow()
    wanted = [(DEMO_DRIVER, "Demo Driver", _driver_with_something_due(today)), (DEMO_APPLICANT, "Demo Applicant", None)]
    for email, name, holder_id in wanted:
        if db.session.execute(sa.select(PortalAccount.id).filter_by(email=email)).first() is not None:
            continue
        taken = holder_id and db.session.execute(sa.select(PortalAccount.id).filter_by(holder_id=holder_id)).first()
        account = PortalAccount(email=email, name=name, password_hash=hash_password(password), verified_at=now,
                                holder_id=None if taken else holder_id, linked_at=None if taken else now)
        db.session.add(account)
        record(None, "online_account.demo_created", account)
    return [("holder", DEMO_DRIVER, password), ("applicant", DEMO_APPLICANT, password)]
