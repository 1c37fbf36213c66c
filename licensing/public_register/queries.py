"""Read side of the public register: only published fields ever leave this module."""

from dataclasses import dataclass

import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.queries.search import COUNT_CAP, name_pattern
from licensing.models import (
    DRIVER_TYPES,
    VEHICLE_TYPES,
    HolderKind,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    Vehicle,
    normalise_registration,
)
from licensing.models.search_indexes import holder_search_name

PUBLISHED_STATUSES = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
SECTION_TYPES = {
    "drivers": DRIVER_TYPES,
    "vehicles": VEHICLE_TYPES,
    "operators": {LicenceType.PRIVATE_HIRE_OPERATOR},
}
CSV_COLUMNS = ("name", "licence_number", "licence_type", "status", "expires_on", "vehicle_registration",
               "vehicle_make", "plate_number")


def _name():
    return sa.case(
        (LicenceHolder.kind == HolderKind.ORGANISATION, LicenceHolder.organisation_name),
        else_=sa.func.coalesce(LicenceHolder.first_name + " ", "") + sa.func.coalesce(LicenceHolder.last_name, ""),
    )


# The whitelist: nothing else about a holder, licence or vehicle is selected.
PUBLISHED = (
    Licence.id, _name().label("name"), Licence.licence_number, Licence.licence_type, Licence.status,
    Licence.expires_on, Vehicle.registration.label("vehicle_registration"), Vehicle.make.label("vehicle_make"),
    Vehicle.plate_number,
)


def _arms(term, section):
    """SELECTs of (id, licence_number) of published licences whose union matches `term`:
    by licence or badge number, by vehicle registration or plate, by holder name (each its own index)."""
    base = sa.select(Licence.id, Licence.licence_number).where(Licence.status.in_(PUBLISHED_STATUSES))
    if section in SECTION_TYPES:
        base = base.where(Licence.licence_type.in_(SECTION_TYPES[section]))
    term = (term or "").strip()
    if not term:
        return [base]
    lowered = term.lower()
    vehicles = sa.select(Vehicle.id).where(sa.or_(
        Vehicle.registration == normalise_registration(term), sa.func.lower(Vehicle.plate_number) == lowered))
    holders = sa.select(LicenceHolder.id).where(holder_search_name().like(name_pattern(term), escape="\\"))
    return [
        base.where(sa.func.lower(Licence.licence_number) == lowered),
        base.where(sa.func.lower(Licence.badge_number) == lowered),  # the badge a passenger can read
        base.where(Licence.vehicle_id.in_(vehicles)),
        base.where(Licence.holder_id.in_(holders)),
    ]


def _union(arms):
    if len(arms) == 1:
        return arms[0].subquery("matches")
    return sa.union(*(sa.select(*arm.subquery().c) for arm in arms)).subquery("matches")


def _published(ids):
    """The published columns of the licences whose ids `ids` selects."""
    return (
        sa.select(*PUBLISHED)
        .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
        .outerjoin(Vehicle, Vehicle.id == Licence.vehicle_id)
        .where(Licence.id.in_(ids))
    )


@dataclass
class RegisterPage:
    entries: list
    count: int
    next_after: int | None
    previous_before: int | None

    @property
    def count_is_capped(self):
        return self.count > COUNT_CAP


def register_page(term="", section=None, after=None, before=None, per_page=25):
    """One page in licence-number order, keyset-paginated by the licence id at the edge."""
    anchor_id = before if before is not None else after
    anchor = None
    if anchor_id is not None:
        anchor = db.session.scalar(sa.select(Licence.licence_number).where(Licence.id == anchor_id))
    descending = before is not None and anchor is not None
    arms = []
    for arm in _arms(term, section):
        if anchor is not None:
            arm = arm.where(Licence.licence_number < anchor if descending else Licence.licence_number > anchor)
        arms.append(arm.order_by(Licence.licence_number.desc() if descending else Licence.licence_number)
                    .limit(per_page + 1))
    matches = _union(arms)
    order = matches.c.licence_number.desc() if descending else matches.c.licence_number
    ids = list(db.session.scalars(sa.select(matches.c.id).order_by(order).limit(per_page + 1)))
    more = len(ids) > per_page
    ids = ids[:per_page]
    rows = db.session.execute(_published(ids).order_by(Licence.licence_number)).all() if ids else []
    has_later, has_earlier = (True, more) if descending else (more, anchor is not None)
    capped = _union([arm.limit(COUNT_CAP + 1) for arm in _arms(term, section)])
    count = db.session.scalar(sa.select(sa.func.count()).select_from(capped))
    return RegisterPage(
        entries=rows, count=count,
        next_after=rows[-1].id if rows and has_later else None,
        previous_before=rows[0].id if rows and has_earlier else None,
    )


def register_csv_rows(term="", section=None):
    ids = sa.select(_union(_arms(term, section)).c.id)
    query = _published(ids).order_by(Licence.licence_number).execution_options(yield_per=2000)
    for row in db.session.execute(query):
        yield [row.name, row.licence_number, row.licence_type.label, row.status.label,
               row.expires_on.isoformat() if row.expires_on else "", row.vehicle_registration,
               row.vehicle_make, row.plate_number]
