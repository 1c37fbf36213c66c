"""Who may do what is one table of permissions; templates and records ask it, never a role."""

import pathlib
import re

import pytest

from licensing.models import (
    ActionKind,
    ActionStatus,
    Appeal,
    AppealCourt,
    AppealOutcome,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    EnforcementAction,
    Hearing,
    HearingListing,
    HearingStatus,
    Permission,
    Role,
    User,
)
from licensing.models.users import permissions_for
from tests.conftest import build_app

TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"
ROLE_VALUES = "|".join(re.escape(role.value) for role in Role) + "|decision_maker"
# A role value in quotes, or a comparison with someone's role, inside a Jinja tag.
ROLE_CHECK = re.compile(rf"""["'](?:{ROLE_VALUES})["']|\brole(?:\.value)?\s*(?:==|!=|\bin\b|\bnot\b)""")
JINJA_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def test_no_template_names_a_role():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in JINJA_TAG.findall(path.read_text()):
            if ROLE_CHECK.search(tag):
                found.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert found == [], "templates ask can(Permission.X), not the role: " + "; ".join(found)


def test_templates_can_ask_for_a_permission():
    app = build_app("sqlite://")
    assert app.jinja_env.globals["Permission"] is Permission
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ can(Permission.HOLDERS_READ) }}").render() == "False"  # signed out


def _user(role, cleared=False, user_id=1):
    return User(id=user_id, role=role, has_clearance=cleared)


def test_intelligence_needs_an_officer_with_clearance():
    assert _user(Role.OFFICER, cleared=True).can(Permission.INTELLIGENCE_READ)
    assert not _user(Role.OFFICER).can(Permission.INTELLIGENCE_READ)
    assert not _user(Role.MANAGER, cleared=True).can(Permission.INTELLIGENCE_READ)
    assert Permission.INTELLIGENCE_WRITE not in permissions_for(Role.OFFICER)
    assert _user(Role.OFFICER, cleared=True).can_read_intelligence


def test_a_permission_is_asked_by_name_or_by_its_value():
    assert _user(Role.ADMIN).can("users:admin")
    with pytest.raises(ValueError):
        _user(Role.ADMIN).can("users:admni")


def _listing(chair_id=2, panel=(), removed=False, status=HearingStatus.SCHEDULED):
    hearing = Hearing(chair_id=chair_id, status=status)
    hearing.panel = list(panel)
    return HearingListing(hearing=hearing, removed=removed)


def test_hearing_letters_are_for_staff_and_the_decision_maker():
    listing = _listing(chair_id=2)
    assert listing.can_read_letters(_user(Role.OFFICER)) and listing.can_read_letters(_user(Role.MANAGER))
    assert listing.can_read_letters(_user(Role.PANEL, user_id=2))
    assert not listing.can_read_letters(_user(Role.PANEL, user_id=3))


def test_the_decision_is_recorded_by_an_officer_or_the_decision_maker():
    listing = _listing(chair_id=2)
    assert listing.can_record_decision(_user(Role.OFFICER))
    assert listing.can_record_decision(_user(Role.PANEL, user_id=2))
    assert not listing.can_record_decision(_user(Role.PANEL, user_id=3))
    assert not listing.can_record_decision(_user(Role.MANAGER))


def test_a_panel_member_sees_only_live_listings_of_hearings_they_sit_on():
    member = _user(Role.PANEL, user_id=3)
    assert _listing(panel=[member]).can_view(member)
    assert not _listing().can_view(member)
    assert not _listing(panel=[member], removed=True).can_view(member)
    assert not _listing(panel=[member], status=HearingStatus.CANCELLED).can_view(member)
    assert _listing(removed=True).can_view(_user(Role.MANAGER))
    assert not _listing(chair_id=1).can_view(_user(Role.ADMIN))
    assert _listing(panel=[member]).hearing.can_view(member) and not _listing().hearing.can_view(member)


def test_an_action_can_be_appealed_unless_cancelled_a_warning_or_already_before_the_court():
    def action(kind=ActionKind.REVOCATION, status=ActionStatus.PENDING, appeals=()):
        made = EnforcementAction(kind=kind, status=status)
        made.appeals = list(appeals)
        return made

    assert action().can_be_appealed()
    assert not action(kind=ActionKind.WARNING).can_be_appealed()
    assert not action(status=ActionStatus.CANCELLED).can_be_appealed()
    assert not action(appeals=[Appeal(outcome=None)]).can_be_appealed()
    assert action(appeals=[Appeal(outcome=AppealOutcome.DISMISSED)]).can_be_appealed()


def test_a_further_appeal_follows_a_magistrates_decision_that_dismissed_or_varied():
    assert Appeal(court=AppealCourt.MAGISTRATES, outcome=AppealOutcome.DISMISSED).can_be_appealed_further()
    assert Appeal(court=AppealCourt.MAGISTRATES, outcome=AppealOutcome.VARIED).can_be_appealed_further()
    assert not Appeal(court=AppealCourt.MAGISTRATES, outcome=None).can_be_appealed_further()
    assert not Appeal(court=AppealCourt.CROWN_COURT, outcome=AppealOutcome.DISMISSED).can_be_appealed_further()


def test_an_nr3s_request_follows_a_search_that_found_a_match():
    assert ComplianceCheck(kind=CheckKind.NR3S_SEARCH, result=CheckResult.MATCH_FOUND).can_lead_to_nr3s_request()
    assert not ComplianceCheck(kind=CheckKind.NR3S_SEARCH, result=CheckResult.NO_MATCH).can_lead_to_nr3s_request()


def test_immediate_action_is_offered_on_driver_licences_in_force_only():
    from licensing.models import Licence, LicenceStatus, LicenceType

    def licence(licence_type, status):
        return Licence(licence_type=licence_type, status=status)

    assert licence(LicenceType.PRIVATE_HIRE_DRIVER, LicenceStatus.ACTIVE).can_take_immediate_action()
    assert licence(LicenceType.HACKNEY_CARRIAGE_DRIVER, LicenceStatus.SUSPENDED).can_take_immediate_action()
    assert not licence(LicenceType.PRIVATE_HIRE_DRIVER, LicenceStatus.REVOKED).can_take_immediate_action()
    assert not licence(LicenceType.PRIVATE_HIRE_DRIVER, LicenceStatus.APPLIED).can_take_immediate_action()
    assert not licence(LicenceType.PRIVATE_HIRE_VEHICLE, LicenceStatus.ACTIVE).can_take_immediate_action()
