"""Restore drill: a backup taken, data destroyed, the backup restored, everything back."""

import sqlalchemy as sa

from licensing.audit import record, verify_chain
from licensing.extensions import db
from licensing.models import LicenceHolder
from tests.support.database import count_rows


def test_backup_and_restore_drill(app, tmp_path):
    with app.app_context():
        for i in range(25):
            holder = LicenceHolder(holder_ref=f"H{i}", first_name="Pat", last_name=f"Driver{i}")
            db.session.add(holder)
            record(None, "holder.create", holder)
        db.session.commit()
    runner = app.test_cli_runner()
    out = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    with app.app_context():
        db.session.execute(sa.delete(LicenceHolder).where(LicenceHolder.holder_ref.in_(["H1", "H2", "H3"])))
        db.session.add(LicenceHolder(holder_ref="AFTER", first_name="Late", last_name="Arrival"))
        db.session.commit()
        assert count_rows(LicenceHolder) == 23
    refused = runner.invoke(args=["restore", str(out)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        refs = set(db.session.scalars(sa.select(LicenceHolder.holder_ref)))
        assert refs == {f"H{i}" for i in range(25)}
        checked, problems = verify_chain()
        assert problems == [] and checked == 26  # the 25 creations in the backup, then the restore
        # the restored audit table is still append-only
        try:
            db.session.execute(sa.text("DELETE FROM audit_events"))
            db.session.flush()
        except sa.exc.DBAPIError:
            db.session.rollback()
        else:
            raise AssertionError("audit rows could be deleted after a restore")
