"""An officer's immediate suspension or revocation notice gives the holder what they need to act:
the power and court from the rule table, the last day to appeal as a date counted from service, the
register sentence exactly when an NR3S task is opened, and who signed it under which delegation
(legal review L12, L13)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import IssuedLetter, Nr3sEntry
from licensing.revocations.immediate import take_immediate_action
from tests.support import reviews as build
from tests.support.pdf import pdf_text
from tests.support.people import authoriser_for

DAY = dt.date(2026, 3, 2)


def _notice(officer, ref, kind, safeguarding):
    authoriser = authoriser_for(officer)  # who signs the notice
    authoriser.post = "Senior Licensing Officer"
    action = take_immediate_action(officer, build.holder(ref).licences[0], kind, grounds="Arrested",
                                   public_safety_reason="Risk to passengers", police_information=True,
                                   authorised_by_id=authoriser.id, today=DAY,
                                   suspension_to=dt.date(2026, 6, 30)
                                   if kind == "suspension" else None, safeguarding_or_road_safety=safeguarding)
    db.session.flush()
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=action.id)).scalar_one()
    return action, pdf_text(letter.content)


@pytest.mark.parametrize("kind", ["suspension", "revocation"])
def test_the_notice_dates_the_appeal_and_names_the_register_only_with_a_task(officer, kind):
    action, text = _notice(officer, f"ON{kind[:3]}", kind, safeguarding=True)
    assert db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
    assert "section 61(1) and (2B) of the Local Government (Miscellaneous Provisions) Act 1976" in text
    assert "to the magistrates' court within 21 days of the day this notice is served on you, that is by " \
           "23 March 2026" in text
    assert "national register of refusals, revocations and suspensions (NR3S)" in text
    assert "licence refusals and revocations" not in text
    assert "Senior Licensing Officer, under Constitution Part 3, Scheme of Delegation to Officers, delegation LIC/0" \
        in text
    assert "Return your driver's badge to the licensing office within 7 days" in text
    assert "Telephone:" in text


def test_no_register_sentence_when_no_task_is_opened(officer):
    action, text = _notice(officer, "ONNO", "revocation", safeguarding=False)
    assert db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).first() is None
    assert "NR3S" not in text
