"""Staff accounts tests need beside the one acting."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import Role, User


def authoriser_for(actor):
    """An enabled manager other than `actor`, to authorise an immediate action `actor` records
    (the policy's delegations say no officer authorises an action they record)."""
    found = db.session.execute(sa.select(User).where(User.role == Role.MANAGER, User.is_enabled.is_(True),
                                                     User.id != actor.id).order_by(User.id)).scalars().first()
    if found is None:  # flushed, not committed: callers may be inside a savepoint
        found = User(email="authorising.manager@example.gov.uk", name="Authorising Manager", role=Role.MANAGER,
                     password_hash="!")  # noqa: S106 - never signs in
        db.session.add(found)
        db.session.flush()
    return found
