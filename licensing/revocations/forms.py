from decimal import Decimal, InvalidOperation

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
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from licensing.models import ActionKind, ActionOrigin, AppealOutcome, CostsDirection, VariedKind
from licensing.policy.service import choices as service_choices
from licensing.revocations.queries import STATUS_FILTERS
from licensing.web.fields import GovukDateField


def _blank(label, choices):
    return [("", label)] + list(choices)


class RegisterFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kind = SelectField("Type", widget=GovSelect(), validators=[Optional()],
                       choices=_blank("All types", ActionKind.choices()))
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()],
                         choices=_blank("Any status", STATUS_FILTERS))
    origin = SelectField("Decided by", widget=GovSelect(), validators=[Optional()],
                         choices=_blank("Hearing or officer", ActionOrigin.choices()))
    date_from = GovukDateField("Decided on or after", validators=[Optional()])
    date_to = GovukDateField("Decided on or before", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    date_from = GovukDateField("From", validators=[Optional()])
    date_to = GovukDateField("To", validators=[Optional()])
    submit = SubmitField("Show", widget=GovSubmitInput())


class ReturnForm(FlaskForm):
    returned_on = GovukDateField("Date returned", validators=[InputRequired("Enter the date it was returned")])
    version = HiddenField()
    submit = SubmitField("Record return", widget=GovSubmitInput())


class AppealForm(FlaskForm):
    subject = StringField("Decision appealed against", widget=GovTextInput(),
                          validators=[Optional(), Length(max=300)],
                          description="Left blank for an action: its type and licence are used")
    notice_on = GovukDateField("Date of the notice of the decision", validators=[Optional()])
    lodged_on = GovukDateField("Date the appeal was lodged with the court",
                               validators=[InputRequired("Enter the date the appeal was lodged")])
    court_reference = StringField("Court reference (optional)", widget=GovTextInput(),
                                  validators=[Optional(), Length(max=64)])
    grounds = TextAreaField("Grounds of appeal (optional)", widget=GovTextArea(),
                            validators=[Optional(), Length(max=10000)])
    submit = SubmitField("Record appeal", widget=GovSubmitInput())


class LicenceAppealForm(AppealForm):
    licence_number = StringField("Licence number", widget=GovTextInput(),
                                 validators=[InputRequired("Enter the licence number"), Length(max=64)])


class AppealHearingForm(FlaskForm):
    hearing_on = GovukDateField("Hearing date", validators=[InputRequired("Enter the hearing date")])
    purpose = StringField("What the hearing is for", widget=GovTextInput(), default="Hearing",
                          validators=[InputRequired("Say what the hearing is for"), Length(max=200)])
    submit = SubmitField("Add hearing date", widget=GovSubmitInput())


def pounds_to_pence(text):
    """'525', '£525.00' or '1,200.50' -> pence; raises ValueError."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    if not cleaned:
        return 0
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("Enter the costs in pounds, for example 525 or 525.00") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > Decimal("10000000"):
        raise ValueError("Enter the costs in pounds, for example 525 or 525.00")
    return int(amount * 100)


class OutcomeForm(FlaskForm):
    outcome = SelectField("Outcome", widget=GovRadioInput(), choices=AppealOutcome.choices(),
                          validators=[InputRequired("Choose the outcome")])
    decided_on = GovukDateField("Date of the outcome", validators=[InputRequired("Enter the date of the outcome")])
    varied_kind = SelectField("If varied: what the court substituted", widget=GovSelect(), validators=[Optional()],
                              choices=_blank("Not varied", VariedKind.choices()))
    varied_suspension_to = GovukDateField("If varied to a suspension: its last day", validators=[Optional()])
    costs_direction = SelectField("Costs", widget=GovSelect(), choices=CostsDirection.choices(),
                                  default=CostsDirection.NONE.value)
    costs = StringField("Amount of costs in pounds", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=10000)])
    version = HiddenField()
    submit = SubmitField("Record outcome", widget=GovSubmitInput())

    def validate_costs(self, field):
        try:
            pounds_to_pence(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class Nr3sEntryForm(FlaskForm):
    entered_on = GovukDateField("Date the entry was made", validators=[InputRequired("Enter the date")])
    entered_by_id = SelectField("Entered by", coerce=lambda v: int(v) if v else None, widget=GovSelect(),
                                validators=[InputRequired("Choose who made the entry")])
    reference = StringField("NR3S reference (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=64)])
    version = HiddenField()
    submit = SubmitField("Record entry", widget=GovSubmitInput())


class Nr3sUpdateForm(FlaskForm):
    updated_on = GovukDateField("Date the entry was updated", validators=[InputRequired("Enter the date")])
    note = TextAreaField("What was changed (amended, removed or reinstated)", widget=GovTextArea(),
                         validators=[InputRequired("Say what was changed"), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField("Record update", widget=GovSubmitInput())


class Nr3sRequestForm(FlaskForm):
    recording_authority = StringField("Recording authority", widget=GovTextInput(),
                                      validators=[InputRequired("Enter the recording authority"), Length(max=200)])
    requested_on = GovukDateField("Date of the request", validators=[InputRequired("Enter the date of the request")])
    submit = SubmitField("Record request", widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    reply_on = GovukDateField("Date of the reply", validators=[InputRequired("Enter the date of the reply")])
    summary = TextAreaField("Summary of the reply", widget=GovTextArea(),
                            validators=[InputRequired("Summarise the reply"), Length(max=10000)])
    version = HiddenField()
    submit = SubmitField("Record reply", widget=GovSubmitInput())


class ReferralForm(FlaskForm):
    received_on = GovukDateField("Date the information was received",
                                 validators=[InputRequired("Enter the date the information was received")])
    other_authority = StringField("Authority that licenses the driver", widget=GovTextInput(),
                                  validators=[InputRequired("Enter the authority"), Length(max=200)])
    driver_name = StringField("Driver's name", widget=GovTextInput(),
                              validators=[InputRequired("Enter the driver's name"), Length(max=200)])
    other_licence_number = StringField("Their licence or badge number (optional)", widget=GovTextInput(),
                                       validators=[Optional(), Length(max=64)])
    vehicle_registration = StringField("Vehicle registration (optional)", widget=GovTextInput(),
                                       validators=[Optional(), Length(max=16)])
    information = TextAreaField("What happened in our area", widget=GovTextArea(),
                                validators=[InputRequired("Enter the information received"), Length(max=10000)])
    submit = SubmitField("Record referral", widget=GovSubmitInput())


class ReferralSentForm(FlaskForm):
    sent_on = GovukDateField("Date sent", validators=[InputRequired("Enter the date it was sent")])
    what_sent = TextAreaField("What was sent", widget=GovTextArea(),
                              validators=[InputRequired("Say what was sent"), Length(max=10000)])
    version = HiddenField()
    submit = SubmitField("Record as sent", widget=GovSubmitInput())


class ImmediateActionForm(FlaskForm):
    version = HiddenField()
    kind = SelectField("Action", choices=[(k.value, k.label) for k in (ActionKind.SUSPENSION, ActionKind.REVOCATION)],
                       widget=GovRadioInput(), validators=[InputRequired("Choose suspension or revocation")])
    taken_on = GovukDateField("Date the action was taken, if before today (blank: today)", validators=[Optional()])
    interim_pending_hearing = BooleanField("Interim suspension pending a hearing (ends when the hearing decides)",
                                           widget=GovCheckboxInput())
    suspension_to = GovukDateField("Last day of the suspension", description="Required for a suspension, unless it "
                                   "is an interim suspension pending a hearing", validators=[Optional()])
    grounds = TextAreaField("Grounds", widget=GovTextArea(),
                            validators=[InputRequired("Enter the grounds"), Length(max=10000)])
    public_safety_reason = TextAreaField("Why public safety requires immediate effect", widget=GovTextArea(),
                                         validators=[DataRequired("Explain why immediate effect is needed"),
                                                     Length(max=5000)])
    police_information = BooleanField("The action rests on police information", widget=GovCheckboxInput())
    safeguarding_or_road_safety = BooleanField("On safeguarding or road-safety grounds (an NR3S entry is due)",
                                               widget=GovCheckboxInput())
    authorised_by_id = SelectField("Authorising officer", coerce=lambda v: int(v) if v else None,
                                   widget=GovSelect(), validators=[InputRequired("Choose the authorising officer")])
    case_id = SelectField("Case", coerce=lambda v: int(v) if v else None, widget=GovSelect(),
                          validators=[Optional()])
    submit = SubmitField("Take immediate action", widget=GovSubmitInput())


class DelegatedActionForm(FlaskForm):
    version = HiddenField()
    kind = SelectField("Action", choices=[(ActionKind.WARNING.value, "Written warning"),
                                          (ActionKind.SUSPENSION.value, "Suspension"),
                                          (ActionKind.REVOCATION.value, "Revocation")],
                       widget=GovRadioInput(), validators=[InputRequired("Choose a warning, suspension or revocation")])
    suspension_to = GovukDateField("Last day of the suspension", validators=[Optional()])
    grounds = TextAreaField("Grounds", widget=GovTextArea(),
                            validators=[InputRequired("Enter the grounds"), Length(max=10000)])
    safeguarding_or_road_safety = BooleanField("On safeguarding or road-safety grounds (an NR3S entry is due)",
                                               widget=GovCheckboxInput())
    service_method = SelectField("How the notice is given", widget=GovSelect(), choices=service_choices(),
                                 default="hand")
    authorised_by_id = SelectField("Authorising officer", coerce=lambda v: int(v) if v else None,
                                   widget=GovSelect(), validators=[InputRequired("Choose the authorising officer")])
    case_id = SelectField("Case", coerce=lambda v: int(v) if v else None, widget=GovSelect(),
                          validators=[Optional()])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RecordServiceForm(FlaskForm):
    action_ids = SelectMultipleField("Notices served", coerce=int, validate_choice=False)
    submit = SubmitField("Record service of the selected notices", widget=GovSubmitInput())


class VehicleDefectForm(FlaskForm):
    version = HiddenField()
    inspected_on = GovukDateField("Date of the inspection",
                                  validators=[InputRequired("Enter the date of the inspection")])
    defects = TextAreaField("Defects found", widget=GovTextArea(),
                            validators=[InputRequired("Describe the defects found"), Length(max=5000)])
    service_method = SelectField("How the notice is given", widget=GovSelect(),
                                 choices=service_choices(), default="hand")
    submit = SubmitField("Suspend the licence and issue the notice", widget=GovSubmitInput())


class RemedyForm(FlaskForm):
    version = HiddenField()
    remedied_on = GovukDateField("Date the defects were found put right",
                                 validators=[InputRequired("Enter the date the defects were put right")])
    note = TextAreaField("How you were satisfied (for example, the re-inspection)", widget=GovTextArea(),
                         validators=[InputRequired("Say how you were satisfied"), Length(max=2000)])
    submit = SubmitField("Record that the defects are put right", widget=GovSubmitInput())


def offer_authorisers(form, people):
    """The authorising officer's choices. The form does not check the choice itself: the operation
    names the refusal (authorising one's own action, say) better than "Not a valid choice"."""
    form.authorised_by_id.choices = [("", "Choose")] + [(u.id, f"{u.name} ({u.role.label})") for u in people]
    form.authorised_by_id.validate_choice = False
