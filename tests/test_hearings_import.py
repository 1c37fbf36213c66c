import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings.importer import OUTCOMES
from licensing.models import (
    Attendance,
    CaseState,
    EnforcementAction,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingOutcome,
    ReviewCase,
)
from tests.support.database import count_rows as _count
from tests.support.hearings import staff
from tests.support.reviews import holder

# Appendix K (seed-facts §4.6): per meeting, listed, did not attend, then outcome counts.
APPENDIX_K = [
    ("2016-03-03", 4, 1, {"deferred": 1, "granted": 2, "refused": 1}),
    ("2016-03-22", 7, 2, {"deferred": 2, "granted": 1, "no_action": 3, "revoked": 1}),
    ("2016-04-11", 5, 2, {"deferred": 2, "granted": 1, "refused": 2}),
    ("2016-05-03", 4, 1, {"deferred": 1, "granted": 1, "refused": 2}),
    ("2016-06-13", 4, 1, {"deferred": 1, "granted": 2, "revoked": 1}),
    ("2016-07-19", 5, 0, {"deferred": 1, "refused": 2, "suspended": 1, "surrendered": 1}),
]
HEADER = "hearing_date,licence_number,attended,outcome,suspension_until,immediate,reasons\n"


def _appendix_k_csv(tmp_path):
    lines, n = [HEADER], 0
    for day, listed, dna, outcomes in APPENDIX_K:
        flat = [o for o, count in outcomes.items() for _ in range(count)]
        assert len(flat) == listed
        for i, outcome in enumerate(flat):
            n += 1
            holder(f"K{n}")
            until = "2016-10-19" if outcome == "suspended" else ""
            reasons = '"=cmd, <font color=""[[[x]]]"">"' if n == 1 else ""
            lines.append(f"{day},L-K{n},{'no' if i < dna else 'yes'},{outcome},{until},no,{reasons}\n")
    db.session.commit()
    path = tmp_path / "appendix_k.csv"
    path.write_text("".join(lines))
    return path


def test_appendix_k_imports_as_six_hearings_of_29_cases(app, ctx, tmp_path):
    staff("officer", "importer@x.gov.uk")
    db.session.commit()
    path = _appendix_k_csv(tmp_path)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import", "hearings", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "29 rows in 6 hearings would be imported" in dry.output
    assert _count(Hearing) == 0
    result = runner.invoke(args=["import", "hearings", str(path)])
    assert result.exit_code == 0, result.output
    hearings = db.session.execute(sa.select(Hearing).order_by(Hearing.starts_at)).scalars().all()
    assert [h.starts_at.date().isoformat() for h in hearings] == [row[0] for row in APPENDIX_K]
    for hearing, (_, listed, dna, outcomes) in zip(hearings, APPENDIX_K, strict=True):
        listings = db.session.execute(sa.select(HearingListing).filter_by(hearing_id=hearing.id)).scalars().all()
        assert len(listings) == listed
        assert sum(1 for lst in listings if lst.attendance == Attendance.DID_NOT_ATTEND) == dna
        got = {}
        for lst in listings:
            outcome = lst.decisions[0].outcome
            got[outcome] = got.get(outcome, 0) + 1
        assert got == {OUTCOMES[k]: v for k, v in outcomes.items()}
    totals = dict(db.session.execute(sa.select(HearingDecision.outcome, sa.func.count())
                                     .group_by(HearingDecision.outcome)).all())
    assert totals[HearingOutcome.DEFER] == 8 and totals[HearingOutcome.GRANT] == 7
    assert totals[HearingOutcome.REFUSE] == 7 and totals[HearingOutcome.REVOKE] == 2
    assert _count(EnforcementAction) == 7 + 2 + 1
    first = db.session.execute(sa.select(HearingDecision).order_by(HearingDecision.id)).scalars().first()
    assert first.reasons == '=cmd, <font color="[[[x]]]">'
    states = dict(db.session.execute(sa.select(ReviewCase.state, sa.func.count()).group_by(ReviewCase.state)).all())
    assert states[CaseState.AWAITING_DECISION] == 8 and states[CaseState.WITHDRAWN] == 1


def test_unknown_licence_and_bad_rows_import_nothing(app, ctx, tmp_path):
    staff("officer", "importer@x.gov.uk")
    holder("GOOD")
    db.session.commit()
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "2016-03-03,L-GOOD,yes,granted,,no,\n2016-03-03,L-NOPE,yes,granted,,no,\n"
                    "2016-03-03,L-GOOD,maybe,granted,,no,\n2016-03-03,L-GOOD,yes,exploded,,no,\n")
    result = app.test_cli_runner().invoke(args=["import", "hearings", str(path)])
    assert result.exit_code != 0
    assert "line 3: unknown licence number 'L-NOPE'" in result.output
    assert "line 4: attended and immediate must be yes or no" in result.output
    assert "line 5: outcome must be one of" in result.output
    assert _count(Hearing) == 0 and _count(HearingListing) == 0
