"""Forms of the register: the search box, holders, vehicles, checks, evidence, convictions and
intelligence, and licence applications, decisions, renewals and status changes."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from licensing.holders.checks import results_for
from licensing.models import (
    CheckKind,
    CheckResult,
    Disposal,
    HolderKind,
    IntelligenceSource,
    LicenceStatus,
    LicenceType,
    OffenceCategory,
    OffenceSource,
    SentenceType,
)
from licensing.web.fields import GovukDateField


class ListSelectField(SelectField):
    """A select whose refusal of an unknown value reads like GOV.UK guidance."""

    def pre_validate(self, form):
        if self.data not in {str(value) for value, _ in self.choices}:
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


class ListRadioField(RadioField):
    def pre_validate(self, form):
        if self.data not in {str(value) for value, _ in self.choices}:
            raise ValidationError(f"Select {self.label.text.lower()}")


def _whole(label, description=None):
    return IntegerField(label, widget=GovTextInput(), description=description, validators=[
        Optional(), NumberRange(min=0, message=f"{label} must be a whole number of 0 or more")])


def _text(label, max_length, required_message=None, **kwargs):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return StringField(label, widget=GovTextInput(), validators=[*validators, Length(max=max_length)], **kwargs)


class HolderForm(FlaskForm):
    version = HiddenField()
    kind = ListRadioField("Type of licence holder", widget=GovRadioInput(), choices=[
        (HolderKind.PERSON.value, "A person (driver or vehicle proprietor)"),
        (HolderKind.ORGANISATION.value, "An organisation (operator or vehicle proprietor)"),
    ], default=HolderKind.PERSON.value)
    # Required for one kind of holder only, so checked below rather than with Optional/DataRequired.
    first_name = StringField("First name", widget=GovTextInput(), validators=[Length(max=100)])
    last_name = StringField("Last name", widget=GovTextInput(), validators=[Length(max=100)])
    # Shown only for the kind of holder they belong to (templates/holders/holder_form.html).
    organisation_name = StringField("Organisation name", widget=GovTextInput(), validators=[Length(max=200)])
    date_of_birth = GovukDateField("Date of birth", validators=[Optional()], description="For example, 27 3 1980")
    address = StringField("Address", widget=GovTextArea(), validators=[Optional(), Length(max=500)])
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[
        Optional(), Regexp(r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
                           message="Enter a real postcode, like SW1A 1AA")])
    email = StringField("Email address", widget=GovTextInput(), validators=[
        Optional(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address in the correct format")])
    email_service_consent_on = GovukDateField(
        "Date the holder agreed in writing to be served notices by e-mail", validators=[Optional()],
        description="Leave blank unless they have agreed: without it, notices go by hand or post")
    phone = StringField("Phone number", widget=GovTextInput(), validators=[
        Optional(), Length(max=40), Regexp(r"^[0-9 +()-]{6,40}$", message="Enter a phone number, like 01632 960 001")])
    dvla_licence_number = StringField("DVLA driving licence number", widget=GovTextInput(), validators=[
        Optional(), Regexp(r"^[A-Za-z0-9 ]{5,20}$", message="Enter the DVLA licence number, letters and numbers only")])
    not_a_duplicate = BooleanField("This is a different person: add them anyway", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())

    def _person(self):
        return self.kind.data == HolderKind.PERSON.value

    def validate_first_name(self, field):
        if self._person() and not (field.data or "").strip():
            raise ValidationError("Enter the first name")

    def validate_last_name(self, field):
        if self._person() and not (field.data or "").strip():
            raise ValidationError("Enter the last name")

    def validate_organisation_name(self, field):
        if self.kind.data == HolderKind.ORGANISATION.value and not (field.data or "").strip():
            raise ValidationError("Enter the organisation name")


class VehicleForm(FlaskForm):
    version = HiddenField()
    registration = _text("Registration", 12, "Enter the vehicle registration")
    make = _text("Make", 60, "Enter the make")
    model = _text("Model", 60, "Enter the model")
    colour = _text("Colour", 40)
    seats = IntegerField("Passenger seats", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the number of seats"),
        NumberRange(min=1, max=16, message="Seats must be between 1 and 16")])
    wheelchair_accessible = BooleanField("Wheelchair accessible", widget=GovCheckboxInput())
    plate_number = _text("Plate number", 20)
    camera_fitted = BooleanField("CCTV camera fitted", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


RECORDABLE_KINDS = [(k.value, k.label) for k in CheckKind]

# Fields that belong to one kind of check only: the view removes them from the form for any other.
FIELDS_FOR_KIND = {
    "points": CheckKind.DVLA, "endorsement_code": CheckKind.DVLA, "endorsement_offence": CheckKind.DVLA,
    "endorsement_offence_date": CheckKind.DVLA, "endorsement_conviction_date": CheckKind.DVLA,
    "endorsement_penalty_points": CheckKind.DVLA, "endorsement_disqualification_start": CheckKind.DVLA,
    "endorsement_disqualification_end": CheckKind.DVLA, "barred_lists_checked": CheckKind.DBS_ENHANCED,
}


class CheckKindForm(FlaskForm):
    """The first question of "Record a check": which check (sent by GET, as ?kind=)."""

    class Meta:
        csrf = False

    kind = ListRadioField("Which check are you recording?", widget=GovRadioInput(), choices=RECORDABLE_KINDS)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ResultField(ListSelectField):
    """The check's result. A real result the kind does not allow is left to `validate_result`,
    which names the ones it does."""

    def pre_validate(self, form):
        if self.data not in {r.value for r in CheckResult}:
            super().pre_validate(form)


class CheckForm(FlaskForm):
    # Chosen on the page before (CheckKindForm); the view builds the form for it, and answers an
    # unknown kind with that page again.
    kind = HiddenField()
    licence_id = ListSelectField("Licence", widget=GovSelect(),
                                 description="Required for MOT, council vehicle test and camera certificate")
    completed_on = GovukDateField("Date completed or issued", validators=[InputRequired(message="Enter the date")])
    expires_on = GovukDateField("Expiry or next check date", validators=[Optional()])
    result = ResultField("Result", widget=GovSelect(), choices=[(r.value, r.label) for r in CheckResult])
    reference = _text("Reference", 64, description=(
        "DBS certificate number, DVLA check code, policy or certificate number"))
    points = IntegerField("Penalty points", widget=GovTextInput(), validators=[
        Optional(), NumberRange(min=0, max=99, message="Penalty points must be between 0 and 99")])
    barred_lists_checked = BooleanField("Children's and adults' barred lists checked",
                                        widget=GovCheckboxInput())
    notes = StringField("Notes", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    # One endorsement the DVLA check shows, recorded as a conviction by the same rules as the conviction form.
    endorsement_code = _text("Endorsement code found", 4, description="For example SP30")
    endorsement_offence = _text("Endorsement: offence", 500)
    endorsement_offence_date = GovukDateField("Endorsement: offence date", validators=[Optional()])
    endorsement_conviction_date = GovukDateField("Endorsement: conviction date", validators=[Optional()])
    endorsement_penalty_points = _whole("Endorsement: penalty points")
    endorsement_disqualification_start = GovukDateField("Endorsement: disqualification start", validators=[Optional()])
    endorsement_disqualification_end = GovukDateField("Endorsement: disqualification end", validators=[Optional()])
    evidence = FileField("Evidence (optional)", widget=GovFileInput(), description="PDF, JPG or PNG")
    submit = SubmitField("Record check", widget=GovSubmitInput())

    def validate_result(self, field):
        if self.kind.data in {k.value for k in CheckKind} and field.data in {r.value for r in CheckResult}:
            allowed = results_for(self.kind.data)
            if CheckResult(field.data) not in allowed:
                names = ", ".join(r.label.lower() for r in allowed)
                raise ValidationError(f"For this check, the result must be: {names}")


class EvidenceForm(FlaskForm):
    evidence = FileField("Evidence", widget=GovFileInput(), description="PDF, JPG or PNG")
    submit = SubmitField("Upload", widget=GovSubmitInput())


PROTECTED_CHOICES = [("", "Work it out by the DBS filtering rules"), ("yes", "Protected: an officer has decided"),
                     ("no", "Not protected: an officer has decided")]


class ConvictionForm(FlaskForm):
    """The fields a court or the DVLA records; licensing.policy.conviction_record checks them together."""

    category = ListSelectField("Category", widget=GovSelect(), description="Left blank, the endorsement code decides",
                               choices=[("", "Choose a category")] + [(c.value, c.label) for c in OffenceCategory])
    disposal = ListRadioField("Disposal", widget=GovRadioInput(), choices=Disposal.choices(),
                              default=Disposal.CONVICTION.value)
    offence = _text("Offence", 500, "Enter the offence")
    endorsement_code = _text("DVLA endorsement code", 4, description="For example SP30, DR10, CU80, IN10")
    offence_date = GovukDateField("Offence date", validators=[Optional()])
    conviction_date = GovukDateField("Conviction, caution or penalty date", validators=[
        InputRequired(message="Enter the conviction, caution or penalty date")])
    sentence_type = ListSelectField("Sentence", widget=GovSelect(),
                                    choices=[("", "None or not known")] + [(t.value, t.label) for t in SentenceType],
                                    default="")
    sentence_months = _whole("Sentence length in months", "Custodial, suspended or community sentence")
    sentence = _text("Sentence details", 500)
    sentence_end_date = GovukDateField("Sentence end date", validators=[Optional()])
    penalty_points = _whole("Penalty points")
    disqualification_start = GovukDateField("Driving disqualification start", validators=[Optional()])
    disqualification_end = GovukDateField("Driving disqualification end", validators=[Optional()])
    youth = BooleanField("Under 18 at the time of the offence", widget=GovCheckboxInput(),
                         description="Worked out from the date of birth where it is known")
    listed_offence = BooleanField("A listed (specified) offence: never filtered", widget=GovCheckboxInput())
    protected_override = ListSelectField("Protected (filtered) status", widget=GovSelect(), choices=PROTECTED_CHOICES,
                                         default="")
    protected_reason = _text("Reason for the protected status decision", 500)
    source = ListSelectField("Source", widget=GovSelect(), choices=[(s.value, s.label) for s in OffenceSource])
    submit = SubmitField("Record", widget=GovSubmitInput())


class IntelligenceForm(FlaskForm):
    source = ListSelectField("Source", widget=GovSelect(), choices=[(s.value, s.label) for s in IntelligenceSource])
    grading = _text("Grading", 20, "Enter the grading", description="For example, the 3x5x2 code B2 P")
    received_on = GovukDateField("Date received", validators=[InputRequired(message="Enter the date received")])
    summary = StringField("Summary", widget=GovTextArea(), validators=[
        DataRequired(message="Enter a summary of the intelligence"), Length(max=5000)])
    disclose_to_panel = BooleanField("May be disclosed to a hearing panel", widget=GovCheckboxInput())
    submit = SubmitField("Record intelligence", widget=GovSubmitInput())


class HolderSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        "Search",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
        description="Name, date of birth, holder reference, licence, badge or plate number, "
        "vehicle registration or DVLA licence number",
    )
    licence_type = SelectField(
        "Licence type", widget=GovSelect(), validators=[Optional()],
        choices=[("", "Any licence type")] + LicenceType.choices(),
    )
    status = SelectField(
        "Licence status", widget=GovSelect(), validators=[Optional()],
        choices=[("", "Any status")] + LicenceStatus.choices(),
    )
    after = IntegerField(widget=HiddenInput(), validators=[Optional()])
    before = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Search", widget=GovSubmitInput())


class LicenceApplicationForm(FlaskForm):
    licence_type = ListSelectField("Licence type", widget=GovSelect(), choices=LicenceType.choices())
    licence_number = StringField("Licence number", widget=GovTextInput(), validators=[
        DataRequired(message="Enter the licence number"), Length(max=32)])
    received_on = GovukDateField("Date the application was received", validators=[
        InputRequired(message="Enter the date the application was received")])
    vehicle_id = ListSelectField("Vehicle (vehicle licences only)", widget=GovSelect())
    operator_licence_number = StringField("Private hire operator licence number", widget=GovTextInput(),
                                          validators=[Optional(), Length(max=32)],
                                          description="Private hire drivers and vehicles may work for an operator")
    badge_number = StringField("Badge number (drivers only)", widget=GovTextInput(),
                               validators=[Optional(), Length(max=20)])
    conditions = StringField("Conditions", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Record application", widget=GovSubmitInput())


class RenewalForm(FlaskForm):
    version = HiddenField()
    received_on = GovukDateField("Date the renewal application was received", validators=[
        InputRequired(message="Enter the date the renewal application was received")])
    submit = SubmitField("Record renewal application", widget=GovSubmitInput())


class StatusChangeForm(FlaskForm):
    version = HiddenField()
    new_status = ListRadioField("New status", widget=GovRadioInput())
    reason = StringField("Reason", widget=GovTextArea(), validators=[
        DataRequired(message="Enter the reason for the change"), Length(max=2000)])
    submit = SubmitField("Change status", widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    """Withdraw a check or conviction as entered in error: the record is kept, marked withdrawn."""
    version = HiddenField()
    reason = StringField("Why is it being withdrawn?", widget=GovTextArea(), validators=[
        DataRequired(message="Enter why the record is being withdrawn"), Length(max=2000)],
        description="For example, recorded against the wrong person, or a duplicate")
    submit = SubmitField("Withdraw as entered in error", widget=GovSubmitInput())
