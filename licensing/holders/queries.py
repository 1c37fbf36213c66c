"""Read side of the register: the holder list and search."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from licensing.extensions import db
from licensing.models import Licence, LicenceHolder, Vehicle, normalise_registration


def search_holders(term="", page=1, per_page=25):
    """Holders matching `term` by name, reference, licence, badge, plate or registration."""
    query = sa.select(LicenceHolder)
    term = (term or "").strip()
    if term:
        like = f"%{term.lower()}%"
        reg = normalise_registration(term)
        licence_match = sa.select(Licence.holder_id).where(
            sa.or_(
                sa.func.lower(Licence.licence_number) == term.lower(),
                sa.func.lower(Licence.badge_number) == term.lower(),
            )
        )
        vehicle_match = sa.select(Vehicle.proprietor_id).where(
            sa.or_(Vehicle.registration == reg, sa.func.lower(Vehicle.plate_number) == term.lower())
        )
        query = query.where(
            sa.or_(
                sa.func.lower(LicenceHolder.first_name + " " + LicenceHolder.last_name).like(like),
                sa.func.lower(LicenceHolder.last_name).like(like),
                sa.func.lower(LicenceHolder.organisation_name).like(like),
                sa.func.lower(LicenceHolder.holder_ref) == term.lower(),
                LicenceHolder.id.in_(licence_match),
                LicenceHolder.id.in_(vehicle_match),
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = (
        db.session.execute(
            query.options(selectinload(LicenceHolder.licences))
            .order_by(LicenceHolder.last_name, LicenceHolder.first_name, LicenceHolder.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    return rows, total
