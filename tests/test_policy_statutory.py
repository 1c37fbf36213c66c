"""The statutory rule table (policy data): one row per licence type and decision, each with its
source, read by letters, the effect engine, the return tracker and the appeals register. These
tests pin the readings of the law the table takes (legal review 1A and 1B)."""

import datetime as dt

import pytest

from licensing.models import LicenceType
from licensing.policy.service import deemed_served_on
from licensing.policy.statutory import DECISIONS, NoRule, editions, has_rule, rule_for
from licensing.policy.terms import latest_expiry, standard_expiry
from licensing.revocations.effects import notice_dates

ACT = "the Local Government (Miscellaneous Provisions) Act 1976"
D = dt.date
DRIVERS = ["hackney_carriage_driver", "private_hire_driver", "dual_driver"]
VEHICLES = ["hackney_carriage_vehicle", "private_hire_vehicle"]


def test_every_licence_type_has_every_decision_the_law_gives_it():
    for licence_type in LicenceType:
        for decision in DECISIONS:
            expected = not ((decision == "vehicle_defect_suspension" and not licence_type.is_vehicle)
                            or (decision == "conditions" and licence_type == LicenceType.HACKNEY_CARRIAGE_DRIVER))
            assert has_rule(licence_type, decision) == expected, (licence_type, decision)
    for rule in editions()[-1].rules.values():
        assert rule.source, rule


@pytest.mark.parametrize(("licence_type", "decision", "power"), [
    ("hackney_carriage_driver", "grant", f"section 59 of {ACT}"),
    ("hackney_carriage_driver", "refuse_new", f"section 59 of {ACT}"),
    ("private_hire_driver", "grant", f"section 51 of {ACT}"),
    ("private_hire_driver", "refuse_new", f"section 51 of {ACT}"),
    ("dual_driver", "refuse_new", f"sections 51 and 59 of {ACT}"),
    ("hackney_carriage_vehicle", "refuse_new", "section 37 of the Town Police Clauses Act 1847"),
    ("private_hire_vehicle", "refuse_new", f"section 48 of {ACT}"),
    ("private_hire_operator", "refuse_new", f"section 55 of {ACT}"),
    ("private_hire_operator", "grant", f"section 55 of {ACT}"),
    ("hackney_carriage_driver", "refuse_renewal", f"section 61(1) of {ACT}"),
    ("private_hire_vehicle", "refuse_renewal", f"section 60(1) of {ACT}"),
    ("private_hire_operator", "refuse_renewal", f"section 62(1) of {ACT}"),
    ("hackney_carriage_vehicle", "revocation", f"section 60(1) of {ACT}"),
    ("private_hire_operator", "suspension", f"section 62(1) of {ACT}"),
    ("private_hire_vehicle", "vehicle_defect_suspension", f"section 68 of {ACT}"),
])
def test_the_power_cited_is_the_one_for_the_licence_type_and_decision(licence_type, decision, power):
    assert rule_for(licence_type, decision).power.startswith(power)


def test_no_grant_cites_section_61_and_warnings_cite_no_power():
    for licence_type in LicenceType:
        assert "61" not in rule_for(licence_type, "grant").power
        for decision in ("warning", "no_action"):
            rule = rule_for(licence_type, decision)
            assert rule.power is None and not rule.appealable and rule.returns is None


def test_immediate_effect_is_for_driver_suspension_and_revocation_and_s68_only():
    for (licence_type, decision), rule in editions()[-1].rules.items():
        expected = (licence_type in DRIVERS and decision in ("suspension", "revocation")) or \
            decision == "vehicle_defect_suspension"
        assert rule.immediate_available == expected, (licence_type, decision)
    assert rule_for("private_hire_driver", "revocation").cited_power(immediate=True).startswith(
        f"section 61(1) and (2B) of {ACT}")


def test_a_refused_new_hackney_carriage_vehicle_licence_is_appealed_to_the_crown_court():
    assert rule_for("hackney_carriage_vehicle", "refuse_new").court_name == "the Crown Court"
    for (licence_type, decision), rule in editions()[-1].rules.items():
        if rule.appealable and (licence_type, decision) != ("hackney_carriage_vehicle", "refuse_new"):
            assert rule.court_name == "the magistrates' court" and rule.appeal_days == 21


def test_return_items_follow_the_licence_type():
    for licence_type in DRIVERS:
        assert rule_for(licence_type, "revocation").tracked_return == "badge"
    for licence_type in VEHICLES:
        assert rule_for(licence_type, "suspension").return_words == "the vehicle licence plates"
    operator = rule_for("private_hire_operator", "revocation")
    assert operator.tracked_return is None and operator.return_words == "your operator licence document"


def test_an_unknown_decision_is_refused():
    with pytest.raises(NoRule):
        rule_for("private_hire_driver", "vehicle_defect_suspension")


@pytest.mark.parametrize(("method", "given", "served"), [
    ("hand", D(2026, 4, 3), D(2026, 4, 3)),               # Good Friday: by hand, the same day
    ("first_class_post", D(2026, 3, 31), D(2026, 4, 2)),  # second working day after posting
    ("first_class_post", D(2026, 4, 2), D(2026, 4, 8)),   # over Easter
    ("email", D(2026, 4, 4), D(2026, 4, 7)),               # a Saturday e-mail is served on the next working day
])
def test_deemed_service(method, given, served):
    assert deemed_served_on(method, given) == served


def test_time_runs_from_service_and_immediate_effect_starts_on_service():
    revocation = rule_for("private_hire_driver", "revocation")
    posted = notice_dates(revocation, decision_date=D(2026, 3, 30), notice_date=D(2026, 3, 31),
                          service_method="first_class_post")
    assert (posted.served_on, posted.appeal_deadline, posted.effective_on) == (D(2026, 4, 2), D(2026, 4, 23),
                                                                              D(2026, 4, 24))
    immediate = notice_dates(revocation, decision_date=D(2026, 3, 30), notice_date=D(2026, 3, 31),
                             service_method="hand", immediate=True)
    assert immediate.effective_on == D(2026, 3, 31)  # when notice is given, not the decision day
    refusal = notice_dates(rule_for("hackney_carriage_vehicle", "refuse_new"), decision_date=D(2026, 3, 30),
                           notice_date=D(2026, 3, 30), service_method="hand")
    assert refusal.appeal_deadline == D(2026, 4, 20)
    warning = notice_dates(rule_for("private_hire_driver", "warning"), decision_date=D(2026, 3, 30),
                           notice_date=D(2026, 3, 30), service_method="hand")
    assert warning.appeal_deadline is None and warning.effective_on is None


def test_licence_terms_are_capped_by_type_and_right_to_work():
    assert standard_expiry("private_hire_driver", D(2026, 3, 1)) == D(2029, 2, 28)
    assert latest_expiry("hackney_carriage_driver", D(2026, 3, 1)) == D(2029, 2, 28)
    assert latest_expiry("private_hire_operator", D(2026, 3, 1)) == D(2031, 2, 28)
    assert latest_expiry("private_hire_vehicle", D(2026, 3, 1)) == D(2027, 2, 28)
    assert latest_expiry("private_hire_driver", D(2026, 3, 1), right_to_work_until=D(2027, 6, 30)) == D(2027, 6, 30)
    assert standard_expiry("private_hire_driver", D(2028, 2, 29)) == D(2031, 2, 28)
    assert standard_expiry("private_hire_driver", D(2028, 3, 1)) == D(2031, 2, 28)
