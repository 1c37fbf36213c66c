"""The officer pages run a fixed, small number of SQL statements: sections with nothing in them
are answered by one probe, and nothing is loaded once per row (no N+1)."""

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import ReviewCase
from licensing.reviews.operations import cases as review_ops
from tests.conftest import login
from tests.support import reviews as review_data
from tests.test_register_queries import counted_statements

CASE_PAGE_BOUND = 12  # user, case with holder and officers, its licences, officers, probe, timeline, + sections
WORK_QUEUE_BOUND = 5  # user, the three counts in one statement, then a page for each list


def _statements(app, client, path):
    assert client.get(path).status_code == 200  # warm: templates and the user
    with counted_statements(app) as statements:
        assert client.get(path).status_code == 200
    return [" ".join(s.split()) for s in statements]


def _loads(statements, table):
    return [s for s in statements if s.startswith(f"SELECT {table}.")]


def test_case_page_queries_only_the_sections_with_rows_and_does_not_grow(app, client, users):
    with app.app_context():
        officer = review_data.user(users["officer"])
        bare = review_ops.open_case(officer, review_data.holder("PS1"), "complaint", "Bare case")
        busy = review_ops.open_case(officer, review_data.holder("PS2"), "complaint", "Busy case")
        review_ops.add_note(officer, busy, "First note")
        db.session.commit()
        bare_id, busy_id = bare.id, busy.id
    login(client, users["officer"])
    bare_statements = _statements(app, client, f"/reviews/cases/{bare_id}")
    one_note = _statements(app, client, f"/reviews/cases/{busy_id}")
    with app.app_context():
        officer = review_data.user(users["officer"])
        busy = db.session.get(ReviewCase, busy_id)
        for n in range(5):
            review_ops.add_note(officer, busy, f"Note {n}")
        db.session.commit()
    six_notes = _statements(app, client, f"/reviews/cases/{busy_id}")
    assert not _loads(bare_statements, "review_case_notes"), bare_statements
    assert len(_loads(one_note, "review_case_notes")) == 1, "the notes are loaded once, also for the timeline"
    assert len(bare_statements) < len(one_note) <= CASE_PAGE_BOUND, one_note
    assert len(six_notes) == len(one_note), "more notes must not mean more statements"


@pytest.mark.clean_database  # counts every statement the request sends, savepoints included
def test_work_queue_counts_in_one_statement_without_sorting(app, client, users):
    with app.app_context():
        officer = review_data.user(users["officer"])
        for n in range(3):
            review_ops.open_case(officer, review_data.holder(f"WQ{n}"), "complaint", f"Case {n}",
                                 assigned_officer_id=officer.id if n else None)
        db.session.commit()
    login(client, users["officer"])
    statements = _statements(app, client, "/reviews/")
    counts = [s for s in statements if "sum(CASE" in s]
    assert len(counts) == 1 and len(statements) <= WORK_QUEUE_BOUND, statements
    assert not any("ORDER BY" in s for s in counts), counts


def test_work_queue_lists_use_the_unfinished_case_indexes(app):
    with app.app_context():
        names = {index["name"] for index in sa.inspect(db.engine).get_indexes("review_cases")}
    assert {"ix_review_cases_unfinished_due", "ix_review_cases_unfinished_officer_due",
            "ix_review_cases_unassigned_due"} <= names
