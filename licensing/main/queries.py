import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import Licence, LicenceHolder, LicenceStatus, Vehicle


def dashboard_figures():
    licences_by_status = dict(
        db.session.execute(sa.select(Licence.status, sa.func.count()).group_by(Licence.status)).all()
    )
    return {
        "holders": db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder)),
        "vehicles": db.session.scalar(sa.select(sa.func.count()).select_from(Vehicle)),
        "active_licences": licences_by_status.get(LicenceStatus.ACTIVE, 0),
        "suspended_licences": licences_by_status.get(LicenceStatus.SUSPENDED, 0),
    }
