"""The decision letter after a hearing. Pure: data in, PDF bytes out; all user text escaped."""

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from licensing.letters.contact import CouncilContact, contact_paragraphs
from licensing.letters.fonts import FONT, paragraph, stylesheet
from licensing.text import govuk_date

DECISION_WORDS = {
    "grant": "granted",
    "refuse": "refused",
    "no_action": "no action to be taken",
    "warning": "a written warning",
    "suspend": "suspended",
    "revoke": "revoked",
}
NR3S_OUTCOMES = {"refuse", "suspend", "revoke"}


@dataclass(frozen=True)
class DecisionLetter:
    council_name: str
    reference: str
    holder_name: str
    holder_address: str
    licence_number: str
    licence_type: str
    is_driver: bool
    is_vehicle: bool
    hearing_date: dt.date
    deciding_body: str
    outcome: str  # a key of DECISION_WORDS
    reasons: str
    notice_date: dt.date
    appeal_deadline: dt.date
    effective_date: dt.date | None
    immediate: bool
    public_safety_reason: str
    suspension_to: dt.date | None
    safeguarding_or_road_safety: bool
    decided_by: str
    panel: str
    version: int = 1
    corrects_reference: str = ""
    # From the statutory rule table (licensing.policy.statutory): the power cited (None: a warning
    # or no action, which rest on no statutory power), the appeal court's name and period.
    power: str | None = None
    court_name: str | None = None
    appeal_days: int | None = None
    from_rule_table: bool = False
    return_words: str = ""  # what the rule table says must be handed back ("" for nothing)
    return_days: int = 7
    nr3s_entry: bool | None = None  # whether an NR3S entry task was opened (None: by the flag, as before)
    contact: CouncilContact | None = None
    # A grant: the licence's term, expiry and conditions, and whether its conditions can be appealed.
    starts_on: dt.date | None = None
    expires_on: dt.date | None = None
    conditions: str = ""
    appeal_against: str | None = None
    # Who decided (the body, its members present, majority/consensus/single decision maker), the power
    # it held on the day, the legal adviser and any exclusion of the public (Sch 12A).
    decided_by_words: str = ""
    authority_words: str = ""
    legal_adviser: str = ""
    exclusion_words: str = ""


def statutory_provision(letter):
    if letter.from_rule_table:
        return letter.power
    if letter.outcome in ("grant", "refuse") and letter.is_driver:
        return "section 51 and section 61 of the Local Government (Miscellaneous Provisions) Act 1976"
    if letter.is_driver:
        section = "section 61(1) and (2B)" if letter.immediate else "section 61(1)"
        return f"{section} of the Local Government (Miscellaneous Provisions) Act 1976"
    if letter.is_vehicle:
        return "section 60 of the Local Government (Miscellaneous Provisions) Act 1976"
    return "section 62 of the Local Government (Miscellaneous Provisions) Act 1976"


def _p(text, style):
    return paragraph(text, style)


def _effect(letter, body, h2):
    if letter.outcome in ("grant", "no_action", "warning"):
        return []
    story = [_p("When the decision takes effect", h2)]
    if letter.immediate:
        story += [
            _p(f"This decision takes effect immediately, on {govuk_date(letter.effective_date)}, "
               "because the council considers it necessary in the interests of public safety "
               "(section 61(2B) of the 1976 Act). An appeal does not stop it taking effect.", body),
            _p(f"Why immediate effect is necessary: {letter.public_safety_reason}", body),
        ]
    else:
        story.append(_p(
            f"This decision does not take effect until the 21-day appeal period ends on "
            f"{govuk_date(letter.appeal_deadline)}. If you appeal within that period it takes "
            "effect only when the appeal is decided or abandoned. If you do not appeal it takes "
            f"effect on {govuk_date(letter.effective_date)}.", body))
    if letter.outcome == "suspend" and letter.suspension_to:
        story.append(_p(f"The suspension lasts until {govuk_date(letter.suspension_to)}.", body))
    return story


def _return_instruction(letter, body):
    """What must be handed back, as the statutory rule table says (badge, plates or the operator's
    licence document), for every suspension and revocation it applies to."""
    if letter.outcome not in ("suspend", "revoke"):
        return []
    word = "suspension" if letter.outcome == "suspend" else "revocation"
    if letter.from_rule_table:
        if not letter.return_words:
            return []
        return [_p(f"When the {word} takes effect you must return {letter.return_words} to the licensing "
                   f"office within {letter.return_days} days.", body)]
    if letter.outcome != "revoke":
        return []
    items = "your driver's badge" if letter.is_driver else "the vehicle licence plates"
    return [_p(f"When the revocation takes effect you must return {items} and your licence to the licensing "
               "office within 7 days.", body)]


def _grant(letter, body, h2):
    if letter.outcome != "grant" or letter.expires_on is None:
        return []
    story = [_p("Your licence", h2),
             _p(f"The licence runs from {govuk_date(letter.starts_on)} until {govuk_date(letter.expires_on)}."
                if letter.starts_on else f"The licence is renewed until {govuk_date(letter.expires_on)}.", body),
             _p(f"Conditions: {letter.conditions}" if letter.conditions else
                "The licence carries the council's standard conditions only.", body)]
    if letter.appeal_against == "conditions" and letter.court_name:
        story.append(_p(f"You may appeal against the conditions attached to the licence to {letter.court_name} "
                        f"within {letter.appeal_days or 21} days of the date of this notice, that is by "
                        f"{govuk_date(letter.appeal_deadline)}.", body))
    return story


def _who_decided(letter, body):
    if not letter.decided_by_words:
        return [_p(f"Decided by: {letter.decided_by}, on behalf of the {letter.deciding_body}.", body),
                _p(f"Panel: {letter.panel}", body) if letter.panel else Spacer(1, 1)]
    lines = [letter.decided_by_words, letter.authority_words,
             f"Legal adviser: {letter.legal_adviser}." if letter.legal_adviser else "", letter.exclusion_words]
    return [_p(line, body) for line in lines if line]


def build_decision_letter(letter):
    buffer = io.BytesIO()
    styles = stylesheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Decision {letter.reference}", author=letter.council_name)
    story = [
        _p(letter.council_name, h2),
        _p(f"Reference: {letter.reference}", body),
        _p(f"Date of notice: {govuk_date(letter.notice_date)}", body),
    ]
    if letter.version > 1:
        story.append(_p(f"Corrected letter, version {letter.version}: this replaces the letter "
                        f"{letter.corrects_reference}.", body))
    story += [
        Spacer(1, 6 * mm), _p(letter.holder_name, body), _p(letter.holder_address, body), Spacer(1, 6 * mm),
        _p("Notice of decision", h1),
        _p(f"Licence: {letter.licence_type} licence number {letter.licence_number}", body),
        _p(f"Hearing: {letter.deciding_body} on {govuk_date(letter.hearing_date)}", body),
        _p("Decision", h2),
        _p(f"Decision: {DECISION_WORDS[letter.outcome]}.", body),
        *([_p(f"The decision is made under {statutory_provision(letter)}.", body)]
          if statutory_provision(letter) else []),
        _p("Reasons", h2),
        _p(letter.reasons, body),
    ]
    story += _effect(letter, body, h2)
    story += _grant(letter, body, h2)
    if letter.outcome in ("refuse", "suspend", "revoke") and (letter.court_name or not letter.from_rule_table):
        court, days = letter.court_name or "the magistrates' court", letter.appeal_days or 21
        story += [
            _p("Your right of appeal", h2),
            _p(f"You may appeal against this decision to {court} within {days} days of "
               f"the date of this notice, that is by {govuk_date(letter.appeal_deadline)}.", body),
        ]
    story += _return_instruction(letter, body)
    nr3s = letter.nr3s_entry if letter.nr3s_entry is not None else (
        letter.outcome in NR3S_OUTCOMES and letter.safeguarding_or_road_safety)
    if nr3s:
        story.append(_p("This decision will be recorded on the national register of refusals, "
                        "revocations and suspensions (NR3S), which other licensing authorities "
                        "consult.", body))
    story += [Spacer(1, 6 * mm), *_who_decided(letter, body)]
    if letter.contact is not None:
        story += contact_paragraphs(letter.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
