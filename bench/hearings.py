"""Hearing pages at London scale: the hearing page finding a waiting case by the holder's name
(the listing search runs over every holder and licence) and a listed case's page with its panel
material and disclosure, each beside its SQL floor."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import CaseState, Hearing, HearingListing, LicenceHolder, ReviewCase


def measure_hearing_pages(app, client, rounds, timed, p95_ms, floor_statements, get, row):
    with app.app_context():
        hearing_id = db.session.scalar(sa.select(Hearing.id).where(Hearing.status == "scheduled").limit(1))
        listing_ids = list(db.session.scalars(sa.select(HearingListing.id).where(
            HearingListing.removed.is_(False)).order_by(HearingListing.id.desc()).limit(10)))
        names = list(db.session.scalars(sa.select(LicenceHolder.last_name).join(
            ReviewCase, ReviewCase.holder_id == LicenceHolder.id).where(
            ReviewCase.state == CaseState.AWAITING_DECISION, LicenceHolder.last_name.is_not(None)).limit(10)))
        search_floor = floor_statements([
            "SELECT id FROM licence_holders WHERE lower(last_name) LIKE '%" + n.lower().replace("'", "''")  # noqa: S608
            + "%' LIMIT 25" for n in names], max(1, rounds // 2))
        listing_floor = floor_statements([f"SELECT * FROM hearing_listings WHERE id = {int(i)}"  # noqa: S608
                                          for i in listing_ids], max(1, rounds // 2))
        db.session.remove()
    rows = []
    if hearing_id and names:
        found = timed(lambda n: get(client, f"/hearings/{hearing_id}", q=n), names, max(1, rounds // 2))
        rows.append(row("hearing page, case search GET /hearings/<id>?q= p95", p95_ms(found), "ms",
                        p95_ms(search_floor), "< 200 ms", p95_ms(found) < 200))
    if listing_ids:
        listed = timed(lambda i: get(client, f"/hearings/listings/{i}"), listing_ids, max(1, rounds // 2))
        rows.append(row("listed case GET /hearings/listings/<id> p95", p95_ms(listed), "ms", p95_ms(listing_floor),
                        "< 100 ms", p95_ms(listed) < 100))
    return rows
