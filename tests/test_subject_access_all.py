"""Subject access works for every holder of the demo council, including those with a case linked
to a licence (a link table with no id of its own), and the working copy is readable by its owner alone."""

import datetime as dt
import json
import os
import stat
import zipfile

import sqlalchemy as sa

from licensing.demo.council import build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.models import LicenceHolder
from licensing.subject_access import export_subject_access


def test_every_demo_holder_can_be_exported(ctx, tmp_path):
    ensure_demo_users()
    build_demo_council(holders=1220, seed=2015, today=dt.date(2026, 11, 22))
    db.session.commit()
    refs = db.session.scalars(sa.select(LicenceHolder.holder_ref).order_by(LicenceHolder.id)).all()
    assert len(refs) >= 1220
    linked = 0
    out = tmp_path / "sar.zip"
    previous = os.umask(0o022)
    try:
        for ref in refs:
            counts = export_subject_access(None, ref, out)
            assert counts["tables"] >= 1
            with zipfile.ZipFile(out) as archive:
                if "review_case_licences.json" in archive.namelist():
                    linked += bool(json.loads(archive.read("review_case_licences.json")))
            db.session.rollback()
    finally:
        os.umask(previous)
    assert linked > 0  # the holders that used to crash the export are among them
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
