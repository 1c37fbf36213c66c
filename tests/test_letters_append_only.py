"""An issued letter is a fixed record: the database refuses to change or delete it, as it does for
the audit trail, so the letter a court is shown is the one the holder was sent."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from licensing.extensions import db
from licensing.letters.issue import issue_letter
from licensing.models import IssuedLetter
from tests.support import reviews as build


def _issued(officer):
    holder = build.holder("LTR1")
    letter = issue_letter(officer, "test_notice", b"%PDF-1.4 original", holder=holder, filename="notice.pdf",
                          email=False)
    db.session.commit()
    return letter.id


@pytest.mark.parametrize("statement", [
    "UPDATE issued_letters SET sha256 = 'tampered'",
    "UPDATE issued_letters SET filename = 'other.pdf'",
    "DELETE FROM issued_letters",
])
def test_database_refuses_to_change_an_issued_letter(officer, statement):
    letter_id = _issued(officer)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
        db.session.flush()
    db.session.rollback()
    letter = db.session.get(IssuedLetter, letter_id)
    assert letter.content == b"%PDF-1.4 original" and letter.sha256 != "tampered"


def test_postgresql_refuses_truncate_of_issued_letters(officer, engine_name):
    if engine_name != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE is refused above
    _issued(officer)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE issued_letters CASCADE"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedLetter)) == 1
