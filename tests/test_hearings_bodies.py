"""Who decides (legal review L12, H7; seed facts R14): a deciding body decides only what it held
the power to decide on the day; a sub-committee decides by majority of the members present, with
a quorum; a commissioner decides alone, hearing advisory members; the letter says which."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import bodies, decisions
from licensing.hearings import operations as ops
from licensing.hearings.errors import HearingError
from licensing.models import AuditEvent, BodyKind, DecisionMember, MemberRole, Vote
from tests.conftest import login
from tests.support.hearings import awaiting_case, staff
from tests.support.pdf import pdf_text

RETURNED = dt.date(2016, 12, 1)
DIRECTIONS = "Secretary of State's Directions of 26 February 2015"


@pytest.fixture
def council(ctx):
    """The source council's arrangement: the Commissioner held the powers until the return in
    December 2016; the sub-committee (three members, quorum three) from then."""
    officer = staff("officer", "bodies-officer@x.gov.uk")
    commissioner_user = staff("panel", "ney@x.gov.uk")
    commissioner_user.post = "Commissioner"
    members = [staff("panel", f"cllr{i}@x.gov.uk") for i in range(1, 4)]
    commissioner = bodies.create_body(officer, "Commissioner with advisory members", BodyKind.COMMISSIONER)
    sub_committee = bodies.create_body(officer, "Licensing Sub-Committee", BodyKind.SUB_COMMITTEE)
    for power in ("applications", "licence_action"):
        bodies.grant_authority(officer, commissioner, power, dt.date(2015, 2, 26), RETURNED - dt.timedelta(days=1),
                               DIRECTIONS)
        bodies.grant_authority(officer, sub_committee, power, RETURNED, source="Return of powers, December 2016")
    bodies.add_member(officer, commissioner, commissioner_user.id, MemberRole.DECISION_MAKER, dt.date(2015, 2, 26))
    for user in members:
        bodies.add_member(officer, commissioner, user.id, MemberRole.ADVISORY, dt.date(2015, 2, 26))
        bodies.add_member(officer, sub_committee, user.id, MemberRole.MEMBER, dt.date(2014, 5, 22))
    return {"officer": officer, "commissioner": commissioner, "sub_committee": sub_committee,
            "ney": commissioner_user, "members": members}


def _listing(council, body, day, chair, panel, ref):
    officer = council["officer"]
    sitting = ops.create_hearing(officer, dt.datetime.combine(day, dt.time(10)), "Town Hall", body.id, chair.id,
                                 [m.id for m in panel], date_override_reason="Past hearing entered",
                                 legal_adviser="Sam Solicitor")
    return ops.list_case(officer, sitting, awaiting_case(officer, ref), today=day - dt.timedelta(days=30))


def _decide(council, listing, day, **kw):
    return decisions.record_decision(council["officer"], listing, outcome=kw.pop("outcome", "revoke"),
                                     reasons="Not fit and proper", decided_by=listing.hearing.chair,
                                     decision_date=day, notice_date=day, **kw)


def test_a_body_decides_only_with_the_power_it_held_that_day(council):
    members = council["members"]
    before_return = _listing(council, council["sub_committee"], dt.date(2016, 11, 15), members[0], members[1:],
                             "EARLY1")
    with pytest.raises(HearingError, match="did not hold the power") as refused:
        _decide(council, before_return, dt.date(2016, 11, 15))
    assert refused.value.field == "outcome"
    assert "held by Commissioner with advisory members" in refused.value.message
    after_return = _listing(council, council["sub_committee"], dt.date(2016, 12, 5), members[0], members[1:],
                            "LATE1")
    decision = _decide(council, after_return, dt.date(2016, 12, 5))
    assert decision.authority.body_id == council["sub_committee"].id and decision.decision_mode == "majority"
    text = pdf_text(decision.letter.content)
    assert "The Licensing Sub-Committee held this power from 1 December 2016" in text


def test_a_sub_committee_decides_by_majority_of_a_quorum(council):
    members, day = council["members"], dt.date(2017, 3, 6)
    listing = _listing(council, council["sub_committee"], day, members[0], members[1:], "MAJ1")
    with pytest.raises(HearingError, match="at least 3 members present") as short:
        _decide(council, listing, day, present_ids=[members[0].id, members[1].id])
    assert short.value.field == "present_ids"
    with pytest.raises(HearingError, match="majority of the votes cast: 1 for, 2 against"):
        _decide(council, listing, day, present_ids=[m.id for m in members], against_ids=[members[1].id,
                                                                                           members[2].id])
    decision = _decide(council, listing, day, present_ids=[m.id for m in members], against_ids=[members[2].id],
                       exclusion_paragraph=7)
    votes = {m.user_id: m.vote for m in db.session.execute(sa.select(DecisionMember)).scalars()}
    assert votes == {members[0].id: Vote.FOR, members[1].id: Vote.FOR, members[2].id: Vote.AGAINST}
    text = pdf_text(decision.letter.content)
    assert "Decided by the Licensing Sub-Committee by a majority of 2 to 1." in text
    assert f"Members present: {members[0].name} (chair), {members[1].name}, {members[2].name}." in text
    assert "Legal adviser: Sam Solicitor." in text
    assert "paragraph 7 of Part 1 of Schedule 12A" in text
    audit = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.decision")).scalar_one()
    assert audit.after["members"][str(members[2].id)] == "against" and audit.after["decision_mode"] == "majority"


def test_a_commissioner_decides_alone_hearing_advisory_members(council):
    members, day = council["members"], dt.date(2016, 3, 3)
    listing = _listing(council, council["commissioner"], day, council["ney"], members, "NEY1")
    with pytest.raises(HearingError, match="decision maker must be among the members present"):
        _decide(council, listing, day, present_ids=[m.id for m in members])
    with pytest.raises(HearingError, match="decides by a single decision maker"):
        _decide(council, listing, day, decision_mode="majority")
    decision = _decide(council, listing, day, present_ids=[council["ney"].id, members[0].id, members[1].id])
    text = pdf_text(decision.letter.content)
    assert (f"Decided by {council['ney'].name}, Commissioner, for the Commissioner with advisory members, "
            f"sitting with advisory members {members[0].name}, {members[1].name}.") in text
    assert DIRECTIONS in text


def test_those_sitting_must_be_members_of_the_body_on_the_day(council):
    outsider = staff("panel", "outsider@x.gov.uk")
    members = council["members"]
    with pytest.raises(HearingError, match="is not a member of the Licensing Sub-Committee") as refused:
        ops.create_hearing(council["officer"], dt.datetime(2017, 3, 6, 10), "Town Hall", council["sub_committee"].id,
                           members[0].id, [outsider.id], date_override_reason="Past hearing entered")
    assert refused.value.field == "panel_ids"
    with pytest.raises(HearingError, match="chaired by its decision maker"):
        ops.create_hearing(council["officer"], dt.datetime(2016, 3, 3, 10), "Town Hall", council["commissioner"].id,
                           members[0].id, [council["ney"].id], date_override_reason="Past hearing entered")


def test_a_power_is_held_in_one_unbroken_row_at_a_time(council):
    with pytest.raises(HearingError, match="already holds this power from 1 December 2016") as refused:
        bodies.grant_authority(council["officer"], council["sub_committee"], "licence_action", dt.date(2020, 1, 1),
                               source="A second resolution")
    assert refused.value.field == "valid_from"


def test_the_administrator_keeps_bodies_members_and_powers_through_the_pages(app, client, users):
    login(client, users["admin"])
    assert client.get("/hearings/bodies/").status_code == 200
    refused = client.post("/hearings/bodies/new", data={"name": "", "kind": "committee"})
    assert refused.status_code == 200 and "Enter the name" in refused.get_data(as_text=True)
    created = client.post("/hearings/bodies/new", data={"name": "Regulatory Committee", "kind": "committee",
                                                        "quorum": "3"})
    assert created.status_code == 302
    body_url = created.location
    body_id = int(body_url.rstrip("/").rsplit("/", 1)[1])
    no_source = client.post(f"/hearings/bodies/{body_id}/authorities", data={
        "power": "applications", "valid_from": ["1", "12", "2016"], "source": ""})
    assert no_source.status_code == 200 and "Give the instrument" in no_source.get_data(as_text=True)
    granted = client.post(f"/hearings/bodies/{body_id}/authorities", data={
        "power": "applications", "valid_from": ["1", "12", "2016"], "source": "Council resolution 14/2016"})
    assert granted.status_code == 302
    with app.app_context():
        from licensing.models import DecidingBody, User
        body = db.session.get(DecidingBody, body_id)
        authority_id = body.authorities[0].id
        panel_id = db.session.execute(sa.select(User.id).filter_by(email=users["panel"])).scalar_one()
        version = body.version
    added = client.post(f"/hearings/bodies/{body_id}/members", data={
        "user_id": str(panel_id), "role": "chair", "from_date": ["1", "12", "2016"], "version": str(version)})
    assert added.status_code == 302
    ended = client.post(f"/hearings/bodies/authorities/{authority_id}/end", data={
        "last_day": ["31", "3", "2020"], "reason": "Functions moved to the sub-committee"})
    assert ended.status_code == 302
    page = client.get(f"/hearings/bodies/{body_id}").get_data(as_text=True)
    assert "Council resolution 14/2016" in page and "31 March 2020" in page
    with app.app_context():
        actions = db.session.execute(sa.select(AuditEvent.action).where(
            AuditEvent.action.like("deciding_body.%")).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["deciding_body.created", "deciding_body.authority_granted", "deciding_body.member_added",
                       "deciding_body.authority_ended"]
