"""The policy review campaign over a built population, guidance editions and assessments."""

import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    AuditEvent,
    CaseOrigin,
    ConvictionAssessment,
    ConvictionGuidanceEdition,
    LicenceStatus,
    PolicyReviewCampaign,
)
from licensing.reviews.errors import ReviewError
from licensing.reviews.operations import cases as ops
from licensing.reviews.operations import guidance as policy
from licensing.reviews.queries import campaign_at_risk, campaign_progress
from tests.conftest import login
from tests.support import reviews as build

AS_AT = dt.date(2026, 1, 1)


@pytest.fixture
def officer(officer):
    policy.ensure_bundled_edition()
    return officer


def _population():
    """Eight holders; four with a current licence are inside a guideline period."""
    never = build.holder("P1")  # sexual offence: never
    build.conviction(never, "sexual", dt.date(1995, 5, 1))
    violent = build.holder("P2", status=LicenceStatus.SUSPENDED)  # suspended licence still counts
    build.conviction(violent, "violence", dt.date(2018, 3, 1), dt.date(2019, 3, 1))  # until 1 March 2029
    thief = build.holder("P3")
    build.conviction(thief, "dishonesty", dt.date(2020, 2, 1), disposal="caution")  # until 1 Feb 2027
    boundary = build.holder("P4")
    build.conviction(boundary, "drugs_possession", dt.date(2021, 1, 2))  # until 2 Jan 2026: inside on 1 Jan
    spent = build.holder("P5")
    build.conviction(spent, "drugs_possession", dt.date(2021, 1, 1))  # ended 1 Jan 2026: outside
    build.holder("P6")  # no convictions
    revoked = build.holder("P7", status=LicenceStatus.REVOKED)  # no current licence
    build.conviction(revoked, "death", dt.date(2000, 1, 1))
    lapsed = build.holder("P8", status=LicenceStatus.EXPIRED)
    build.conviction(lapsed, "sexual", dt.date(2000, 1, 1))
    db.session.commit()
    return {h.holder_ref: h.id for h in (never, violent, thief, boundary, spent)}


def test_campaign_identifies_ranks_and_counts_exactly(officer):
    ids = _population()
    campaign = policy.run_campaign(officer, "2026 policy review", AS_AT)
    db.session.commit()
    assert campaign.holders_checked == 6
    rows, total = campaign_at_risk(campaign.id)
    assert total == 4
    assert [r.holder.holder_ref for r in rows] == ["P1", "P2", "P3", "P4"]
    assert "should not be held at any time" in rows[0].reason
    assert "until 1 March 2029" in rows[1].reason
    assert "caution of 1 February 2020" in rows[2].reason and "until 1 February 2027" in rows[2].reason
    assert "until 2 January 2026" in rows[3].reason
    assert all(r.edition.edition == "iol-2018" for r in rows)
    assert campaign_progress(campaign.id) == {
        "identified": 4, "cases_opened": 0, "heard": 0, "revoked": 0, "suspended": 0, "warned": 0,
        "no_further_action": 0, "pending": 0, "withdrawn": 0}

    by_holder = {r.holder_id: r for r in rows}
    opened = policy.open_campaign_cases(officer, campaign, [by_holder[ids["P1"]].id, by_holder[ids["P3"]].id])
    assert all(c.origin == CaseOrigin.POLICY_REVIEW and c.campaign_id == campaign.id for c in opened)
    assert opened[0].priority.value == "high"  # the "never" holder
    again = policy.open_campaign_cases(officer, campaign, [by_holder[ids["P1"]].id, by_holder[ids["P2"]].id])
    assert len(again) == 1  # P1 already has a case
    db.session.commit()
    cases = {c.holder_id: c for c in opened + again}
    for holder, outcome in (("P1", "revoked"), ("P2", "suspended")):
        case = cases[ids[holder]]
        ops.transition(officer, case, "awaiting_decision", "")
        ops.transition(officer, case, "decided", "heard by panel", outcome=outcome, by_decision="hearing decision")
    ops.transition(officer, cases[ids["P3"]], "withdrawn", "licence surrendered")
    db.session.commit()
    assert campaign_progress(campaign.id) == {
        "identified": 4, "cases_opened": 3, "heard": 2, "revoked": 1, "suspended": 1, "warned": 0,
        "no_further_action": 0, "pending": 0, "withdrawn": 1}
    audit = db.session.execute(sa.select(AuditEvent).filter_by(action="campaign.run")).scalar_one()
    assert audit.after["identified"] == 4 and audit.after["edition"] == "iol-2018"


def test_campaign_pages(app, client, users):
    with app.app_context():
        policy.ensure_bundled_edition()
        _population()
    login(client, users["officer"])
    response = client.post("/reviews/campaigns/new", data={"name": "Review", "as_at": ["1", "1", "2026"]})
    assert response.status_code == 302
    with app.app_context():
        campaign_id = db.session.execute(sa.select(PolicyReviewCampaign.id)).scalar_one()
    assert client.post(f"/reviews/campaigns/{campaign_id}/cases", data={}).status_code == 400
    with app.app_context():
        first = campaign_at_risk(campaign_id)[0][0].id
    assert client.post(f"/reviews/campaigns/{campaign_id}/cases", data={"assessment_ids": [first]}).status_code == 302
    page = client.get(f"/reviews/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'id="progress-cases_opened">1<' in page and f'value="{first}"' not in page
    response = client.post(f"/reviews/campaigns/{campaign_id}/cases", data={"open_all": "y"})
    assert response.status_code == 302
    page = client.get(f"/reviews/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'id="progress-identified">4<' in page and 'id="progress-cases_opened">4<' in page
    assert 'id="progress-pending">4<' in page


def test_an_assessment_records_the_edition_in_force(officer):
    holder = build.holder("E1")
    build.conviction(holder, "dishonesty", dt.date(2017, 5, 1))
    case = ops.open_case(officer, holder, "self_disclosure", "check")
    raw = json.loads(policy.BUNDLED_EDITION.read_text())
    raw.update(edition="local-2026", title="Local policy 2026", effective_from="2026-03-01")
    raw["categories"]["dishonesty"] = {"years": 10, "counted_from": "conviction"}
    policy.load_edition(officer, json.dumps(raw))
    before = policy.assess_for_case(officer, case, dt.date(2026, 2, 28))
    after = policy.assess_for_case(officer, case, dt.date(2026, 3, 1))
    db.session.commit()
    assert (before.edition.edition, before.at_risk) == ("iol-2018", False)
    assert (after.edition.edition, after.at_risk) == ("local-2026", True)
    assert "until 1 May 2027" in after.reason
    assert db.session.scalar(sa.select(sa.func.count(ConvictionAssessment.id)).filter_by(case_id=case.id)) == 2


def test_editions_are_refused_when_duplicated_or_absent(ctx, users):
    officer = build.user(users["officer"])
    with pytest.raises(ReviewError, match="No conviction guidance edition is in force"):
        policy.run_campaign(officer, "x", AS_AT)
    policy.load_edition(officer, policy.BUNDLED_EDITION.read_text())
    with pytest.raises(ReviewError, match="already loaded"):
        policy.load_edition(officer, policy.BUNDLED_EDITION.read_text())
    assert policy.edition_in_force(dt.date(2018, 4, 26)).edition == "iol-2018"
    with pytest.raises(ReviewError, match="No conviction guidance"):
        policy.edition_in_force(dt.date(2018, 4, 25))


def test_cli_and_admin_page_load_editions(app, client, users, tmp_path):
    raw = json.loads(policy.BUNDLED_EDITION.read_text())
    result = app.test_cli_runner().invoke(args=["policy", "load-convictions"])
    assert result.exit_code == 0 and "iol-2018" in result.output
    result = app.test_cli_runner().invoke(args=["policy", "load-convictions"])
    assert result.exit_code == 1 and "already loaded" in result.output
    path = tmp_path / "bad.json"
    path.write_text("{}")
    assert app.test_cli_runner().invoke(args=["policy", "load-convictions", str(path)]).exit_code == 1
    login(client, users["admin"])
    raw.update(edition="iol-2024", effective_from="2026-03-01")
    response = client.post("/reviews/policy/convictions", content_type="multipart/form-data",
                           data={"upload": (io.BytesIO(json.dumps(raw).encode()), "iol-2024.json")})
    assert response.status_code == 302
    response = client.post("/reviews/policy/convictions", content_type="multipart/form-data",
                           data={"upload": (io.BytesIO(b"{nope"), "x.json")})
    assert "not valid JSON" in response.get_data(as_text=True)
    with app.app_context():
        editions = db.session.execute(sa.select(ConvictionGuidanceEdition.edition)
                                      .order_by(ConvictionGuidanceEdition.id)).scalars().all()
        assert editions == ["iol-2018", "iol-2024"]
        loaded = db.session.execute(sa.select(AuditEvent).filter_by(action="policy.convictions_loaded")
                                    .order_by(AuditEvent.id)).scalars().all()
        assert loaded[0].actor_id is None and loaded[1].actor_id is not None
