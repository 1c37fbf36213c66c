from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from licensing.models import Attendance, DecisionMode, DisclosureMethod, HearingOutcome, HearingStatus
from licensing.policy.hearing_procedure import exempt_paragraphs
from licensing.web.fields import GovukDateField, GovukTimeField


def _blank(label, choices):
    return [("", label)] + list(choices)


class HearingForm(FlaskForm):
    date = GovukDateField("Date", validators=[InputRequired("Enter the date of the hearing")])
    time = GovukTimeField("Start time", description="For example 10am, 2:30pm or 14:30",
                          validators=[InputRequired("Enter the start time")])
    venue = StringField("Venue", widget=GovTextInput(), validators=[InputRequired("Enter the venue"), Length(max=200)])
    deciding_body_id = SelectField("Deciding body", widget=GovSelect(),
                                   validators=[InputRequired("Choose the deciding body")])
    chair_id = SelectField("Decision maker (chair)", widget=GovSelect(), validators=[InputRequired("Choose the chair")])
    panel_ids = SelectMultipleField("Panel members", validators=[Optional()])
    legal_adviser = StringField("Legal adviser (optional)", widget=GovTextInput(),
                                validators=[Optional(), Length(max=200)])
    date_override_reason = StringField("Reason, if the date is in the past or on a weekend or bank holiday",
                                       widget=GovTextInput(), validators=[Optional(), Length(max=500)])
    submit = SubmitField("Create hearing", widget=GovSubmitInput())


class CaseSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Find a case awaiting decision: its reference, the licence holder's name or a licence number",
                    widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    submit = SubmitField("Find cases", widget=GovSubmitInput())


class ListCaseForm(FlaskForm):
    case_id = RadioField("Case awaiting decision", widget=GovRadioInput(), validate_choice=False,
                         validators=[InputRequired("Choose a case")])
    private_paragraph = SelectField(
        "Will the public be excluded?", widget=GovSelect(), validators=[Optional()],
        choices=[(str(n), f"Yes: paragraph {n} of Schedule 12A, {text[0].lower()}{text[1:].rstrip('.')}")
                 for n, text in exempt_paragraphs().items()] + [("public", "No: heard in public")])

    def paragraph(self, default):
        """The Sch 12A paragraph chosen, None for a hearing in public, `default` when none is sent."""
        chosen = self.private_paragraph.data
        return None if chosen == "public" else (chosen or default)
    override_reason = TextAreaField("Reason for listing inside the notice period (only if needed)",
                                    widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("List case", widget=GovSubmitInput())


class StatusForm(FlaskForm):
    new_status = SelectField("New status", choices=HearingStatus.choices(), widget=GovSelect())
    reason = StringField("Reason (adjourning or cancelling: the holders' notices give it)", widget=GovTextInput(),
                         validators=[Optional(), Length(max=500)])
    version = HiddenField()
    submit = SubmitField("Change status", widget=GovSubmitInput())


class RescheduleForm(FlaskForm):
    date = GovukDateField("New date", validators=[InputRequired("Enter the new date")])
    time = GovukTimeField("Start time", description="For example 10am, 2:30pm or 14:30",
                          validators=[InputRequired("Enter the start time")])
    venue = StringField("Venue (blank: as before)", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    reason = StringField("Reason for the new date", widget=GovTextInput(),
                         validators=[InputRequired("Give the reason for the new date"), Length(max=500)])
    override_reason = TextAreaField("Reason for holding it inside the notice period (only if needed)",
                                    widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Set the new date and send notices", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = StringField("Reason for removing the case", widget=GovTextInput(),
                         validators=[InputRequired("Give a reason"), Length(max=500)])
    version = HiddenField()
    submit = SubmitField("Remove from hearing", widget=GovSubmitInput())


class MoveForm(FlaskForm):
    hearing_id = SelectField("Move to hearing", widget=GovSelect(), validators=[InputRequired("Choose a hearing")])
    override_reason = TextAreaField("Reason for listing inside the notice period (only if needed)",
                                    widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Move case", widget=GovSubmitInput())


class OrderForm(FlaskForm):
    direction = HiddenField(validators=[InputRequired()])


class AttendanceForm(FlaskForm):
    attendance = SelectField("Attendance", choices=Attendance.choices(), widget=GovSelect())
    proposed_outcome = SelectField("Panel's proposed decision", widget=GovSelect(),
                                   choices=_blank("No proposal", HearingOutcome.choices()), validators=[Optional()])
    proposed_by_id = SelectField("Proposed by", widget=GovSelect(), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Save attendance", widget=GovSubmitInput())


class ProposalForm(FlaskForm):
    proposed_outcome = SelectField("Proposed decision", widget=GovSelect(),
                                   choices=_blank("Choose", HearingOutcome.choices()),
                                   validators=[InputRequired("Choose the proposed decision")])
    version = HiddenField()
    submit = SubmitField("Record the proposal", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    outcome = SelectField("Decision", widget=GovSelect(), choices=_blank("Choose", HearingOutcome.choices()),
                          validators=[InputRequired("Choose the decision")])
    reasons = TextAreaField("Reasons", widget=GovTextArea(), validators=[InputRequired("Give the reasons")])
    decision_date = GovukDateField("Decision date", validators=[InputRequired("Enter the decision date")])
    notice_date = GovukDateField("Date of notice to the holder", validators=[InputRequired("Enter the notice date")])
    late_notice_reason = TextAreaField("Reason the notice is given more than 14 days after the decision (only if "
                                       "needed)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    suspension_to = GovukDateField("Suspension ends on (suspensions only)", validators=[Optional()])
    deferred_to = GovukDateField("Deferred to (optional: blank means the next hearing)", validators=[Optional()])
    immediate = BooleanField("Immediate effect (driver suspension or revocation, s.61(2B))",
                             widget=GovCheckboxInput())
    public_safety_reason = TextAreaField("Public-safety reason for immediate effect", widget=GovTextArea(),
                                         validators=[Optional()])
    safeguarding_or_road_safety = BooleanField("On safeguarding or road-safety grounds (NR3S)",
                                               widget=GovCheckboxInput())
    present_ids = SelectMultipleField("Members present", validators=[Optional()])
    decision_mode = SelectField("How the decision was made", widget=GovSelect(),
                                choices=_blank("As the deciding body decides", DecisionMode.choices()),
                                validators=[Optional()])
    against_ids = SelectMultipleField("Voted against (majority decisions)", validators=[Optional()])
    abstained_ids = SelectMultipleField("Abstained (majority decisions)", validators=[Optional()])
    legal_adviser = StringField("Legal adviser", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    exclusion_paragraph = SelectField(
        "Public excluded under Schedule 12A to the Local Government Act 1972 (paragraph)", widget=GovSelect(),
        choices=_blank("The public were not excluded", [(str(n), f"Paragraph {n}: {text}")
                                                        for n, text in exempt_paragraphs().items()]),
        validators=[Optional()])
    disclosure_override_reason = TextAreaField(
        "Reason to decide although panel material is undisclosed to the holder (only if needed)",
        widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Issue decision", widget=GovSubmitInput())


class EmailLetterForm(FlaskForm):
    submit = SubmitField("E-mail to the holder", widget=GovSubmitInput())


class CorrectionForm(DecisionForm):
    """'Correct this decision': the decision's fields, prefilled from the current decision, with the
    reason for the correction and the decision it corrects (which must still be the current one)."""

    correction_reason = TextAreaField("Reason for the correction", widget=GovTextArea(),
                                      validators=[InputRequired("Give the reason for the correction"),
                                                  Length(max=2000)])
    corrects_id = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Issue corrected decision", widget=GovSubmitInput())


class DisclosureForm(FlaskForm):
    """What of one item of panel material the licence holder was given."""

    item = SelectField("Item of panel material", widget=GovSelect(), validators=[InputRequired("Choose the item")])
    decision = SelectField("Disclosure", widget=GovSelect(), validators=[InputRequired("Choose")], choices=[
        ("", "Choose"), ("disclosed", "Disclosed to the licence holder"),
        ("withheld", "Withheld: a gist was disclosed instead")])
    disclosed_on = GovukDateField("Date given to the licence holder (the item, or its gist)",
                                  validators=[InputRequired("Enter the date")])
    method = SelectField("How it was given", widget=GovSelect(), choices=_blank("Choose", DisclosureMethod.choices()),
                         validators=[InputRequired("Choose how it was given")])
    extent = StringField("What exactly was disclosed (for example: full copy, redacted copy)", widget=GovTextInput(),
                         validators=[Optional(), Length(max=200)])
    withheld_reason = TextAreaField("Reason it is withheld (withheld items only)", widget=GovTextArea(),
                                    validators=[Optional(), Length(max=2000)])
    gist = TextAreaField("The gist disclosed instead (withheld items only)", widget=GovTextArea(),
                         validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Record disclosure", widget=GovSubmitInput())


class PublishForm(FlaskForm):
    submit = SubmitField("Publish the agenda and bundles", widget=GovSubmitInput())
