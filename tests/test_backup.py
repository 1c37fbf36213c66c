"""Restore drill: a backup taken, data destroyed, the backup restored, everything back."""

import datetime as dt
import os
import stat

import pyrage
import pytest
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


def _holders(app, count):
    with app.app_context():
        for i in range(count):
            holder = LicenceHolder(holder_ref=f"E{i}", first_name="Łukasz", last_name=f"Żółć{i}")
            db.session.add(holder)
            record(None, "holder.create", holder)
        db.session.commit()


def test_a_backup_is_readable_by_its_owner_alone_even_under_a_loose_umask(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "backup.dump"
    previous = os.umask(0o022)
    try:
        result = runner.invoke(args=["backup", "--out", str(out)])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert "verified" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_encrypted_backup_holds_no_plain_data_and_restores_with_its_identity(app, tmp_path):
    identity = pyrage.x25519.Identity.generate()
    identity_file = tmp_path / "backup-key.txt"
    identity_file.write_text(f"# backup key\n{identity}\n")
    _holders(app, 5)
    app.config["BACKUP_RECIPIENT"] = str(identity.to_public())
    runner = app.test_cli_runner()
    out = tmp_path / "backup.dump.age"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "encrypted" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    content = out.read_bytes()
    assert content.startswith(b"age-encryption.org/v1")
    assert "Żółć".encode() not in content and "Łukasz".encode() not in content
    # no plain copy is left beside it
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == [
        "backup-key.txt", "backup.dump.age"]
    with app.app_context():
        db.session.execute(sa.delete(LicenceHolder))
        db.session.commit()
    without_key = runner.invoke(args=["restore", str(out), "--yes"])
    assert without_key.exit_code != 0 and "--identity" in without_key.output
    wrong = tmp_path / "other-key.txt"
    wrong.write_text(str(pyrage.x25519.Identity.generate()))
    refused = runner.invoke(args=["restore", str(out), "--identity", str(wrong), "--yes"])
    assert refused.exit_code != 0 and "could not be decrypted" in refused.output
    result = runner.invoke(args=["restore", str(out), "--identity", str(identity_file), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        names = set(db.session.scalars(sa.select(LicenceHolder.last_name)))
        assert names == {f"Żółć{i}" for i in range(5)}
        checked, problems = verify_chain()
        assert problems == []


def test_a_damaged_backup_fails_its_check(app, tmp_path):
    from licensing.backup import BackupError, verify

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    url = "postgresql://nobody@127.0.0.1/none" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres") \
        else f"sqlite:///{tmp_path}/x.db"
    with pytest.raises(BackupError):
        verify(url, str(damaged))


def test_backups_into_a_folder_are_dated_and_pruned(app, tmp_path):
    from licensing.backup import prune

    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 8):
        (folder / f"licensing-202603{day:02d}T020000Z.dump").write_bytes(b"x")
    (folder / "notes.txt").write_text("not a backup")
    removed = prune(str(folder), keep=3, now=dt.datetime(2026, 3, 8))
    assert sorted(removed) == [f"licensing-202603{d:02d}T020000Z.dump" for d in range(1, 5)]
    assert sorted(prune(str(folder), keep_days=1, now=dt.datetime(2026, 3, 8))) == [
        "licensing-20260305T020000Z.dump", "licensing-20260306T020000Z.dump"]
    assert (folder / "notes.txt").exists()
    app.config["BACKUP_KEEP"] = 2
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir() if p.name.startswith("licensing-"))
    assert len(names) == 2 and names[0] == "licensing-20260307T020000Z.dump"
    assert stat.S_IMODE((folder / names[1]).stat().st_mode) == 0o600
