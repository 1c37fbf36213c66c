from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from licensing.holders.queries.search import HOLDER_LOOKUP_HINT
from licensing.models import (
    CaseOrigin,
    CaseOutcome,
    CasePriority,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
    EnforcementCheckResult,
    EnforcementCheckType,
)
from licensing.web.fields import GovukDateField, TodayOrLater


def _blank(label, choices):
    return [("", label)] + list(choices)


class CaseForm(FlaskForm):
    holder_ref = StringField("Licence holder", widget=GovTextInput(), description=HOLDER_LOOKUP_HINT,
                             validators=[InputRequired("Enter the licence holder's reference or badge number")])
    licence_numbers = StringField("Licence numbers to link (optional, separated by commas)",
                                  widget=GovTextInput(), validators=[Optional(), Length(max=500)])
    origin = SelectField("Origin", choices=_blank("Choose the origin", CaseOrigin.choices()),
                         widget=GovSelect(), validators=[InputRequired("Choose the origin")])
    summary = TextAreaField("Summary", widget=GovTextArea(),
                            validators=[InputRequired("Enter a summary"), Length(max=500)])
    assigned_officer_id = SelectField("Assigned officer", coerce=lambda v: int(v) if v else None,
                                      widget=GovSelect(), validators=[Optional()])
    priority = SelectField("Priority", choices=CasePriority.choices(), default="normal", widget=GovSelect())
    due_on = GovukDateField("Due date (optional: set from the priority if left blank)",
                            validators=[Optional(), TodayOrLater()])
    submit = SubmitField("Open case", widget=GovSubmitInput())


class TransitionForm(FlaskForm):
    version = HiddenField()
    new_state = SelectField("Move the case to", widget=GovSelect(), validators=[InputRequired()])
    outcome = SelectField("Outcome (when deciding)", choices=_blank("No outcome", CaseOutcome.choices()),
                          widget=GovSelect(), validators=[Optional()])
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Update case status", widget=GovSubmitInput())

    def set_choices(self, moves):
        self.new_state.choices = [(s.value, s.label) for s in moves]


class AssignForm(FlaskForm):
    version = HiddenField()
    assigned_officer_id = SelectField("Assigned officer", coerce=lambda v: int(v) if v else None,
                                      widget=GovSelect(), validators=[Optional()])
    priority = SelectField("Priority", choices=CasePriority.choices(), widget=GovSelect())
    due_on = GovukDateField("Due date", validators=[Optional()])
    submit = SubmitField("Save assignment", widget=GovSubmitInput())


class NoteForm(FlaskForm):
    body = TextAreaField("Add a note", widget=GovTextArea(),
                         validators=[InputRequired("Enter the note"), Length(max=10000)])
    submit = SubmitField("Add note", widget=GovSubmitInput())


class DocumentForm(FlaskForm):
    title = StringField("Document title", widget=GovTextInput(),
                        validators=[InputRequired("Enter a title for the document"), Length(max=200)])
    upload = FileField("Evidence file (PDF, JPEG or PNG)", widget=GovFileInput())
    disclose_to_panel = BooleanField("Disclose to the panel", widget=GovCheckboxInput())
    submit = SubmitField("Upload document", widget=GovSubmitInput())


class DocumentFlagsForm(FlaskForm):
    version = HiddenField()
    disclose_to_panel = BooleanField("Disclose to the panel", widget=GovCheckboxInput())
    disclosed_to_holder_on = GovukDateField("Date disclosed to the licence holder (blank if not disclosed)",
                                            validators=[Optional()])
    submit = SubmitField("Save disclosure", widget=GovSubmitInput())


class AssessForm(FlaskForm):
    as_at = GovukDateField("Assess as at (blank for today)", validators=[Optional()])
    submit = SubmitField("Assess convictions against the guidance", widget=GovSubmitInput())


class CampaignForm(FlaskForm):
    name = StringField("Name of the review", widget=GovTextInput(),
                       validators=[InputRequired("Enter a name for the review"), Length(max=200)])
    as_at = GovukDateField("Assess as at", validators=[InputRequired("Enter the date to assess at")])
    submit = SubmitField("Run the review", widget=GovSubmitInput())


class OpenCasesForm(FlaskForm):
    assessment_ids = SelectMultipleField("Licence holders", coerce=int, validate_choice=False)
    open_all = SubmitField("Open cases for every holder without one", widget=GovSubmitInput())
    submit = SubmitField("Open cases for the chosen holders", widget=GovSubmitInput())


class GuidanceUploadForm(FlaskForm):
    upload = FileField("Guidance edition file (JSON)", widget=GovFileInput())
    submit = SubmitField("Load edition", widget=GovSubmitInput())


class ComplaintForm(FlaskForm):
    received_on = GovukDateField("Date received", validators=[InputRequired("Enter the date received")])
    channel = SelectField("Channel", choices=_blank("Choose", ComplaintChannel.choices()), widget=GovSelect(),
                          validators=[InputRequired("Choose the channel")])
    category = SelectField("Category", choices=_blank("Choose", ComplaintCategory.choices()), widget=GovSelect(),
                           validators=[InputRequired("Choose the category")])
    holder_ref = StringField("Licence holder (if known)", widget=GovTextInput(), description=HOLDER_LOOKUP_HINT,
                             validators=[Optional()])
    licence_number = StringField("Licence number", widget=GovTextInput(), validators=[Optional()])
    registration = StringField("Vehicle registration", widget=GovTextInput(), validators=[Optional()])
    details = TextAreaField("What happened", widget=GovTextArea(),
                            validators=[InputRequired("Enter what the complaint is about"), Length(max=10000)])
    complainant_name = StringField("Complainant name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    complainant_contact = StringField("Complainant contact details", widget=GovTextInput(),
                                      validators=[Optional(), Length(max=300)])
    submit = SubmitField("Record complaint", widget=GovSubmitInput())


class ComplaintUpdateForm(FlaskForm):
    version = HiddenField()
    status = SelectField("Status", choices=ComplaintStatus.choices(), widget=GovSelect())
    outcome = SelectField("Outcome", choices=_blank("Not yet decided", ComplaintOutcome.choices()),
                          widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class LinkCaseForm(FlaskForm):
    case_id = SelectField("Case", coerce=lambda v: int(v) if v else None, widget=GovSelect(),
                          validators=[Optional()])
    submit = SubmitField("Open or join case", widget=GovSubmitInput())


class EnforcementCheckForm(FlaskForm):
    checked_on = GovukDateField("Date of the check", validators=[InputRequired("Enter the date of the check")])
    check_type = SelectField("Type", choices=_blank("Choose", EnforcementCheckType.choices()),
                             widget=GovSelect(), validators=[InputRequired("Choose the type of check")])
    officer_id = SelectField("Officer", coerce=int, widget=GovSelect(), validators=[InputRequired()])
    registration = StringField("Vehicle registration", widget=GovTextInput(), validators=[Optional()])
    driver_ref = StringField("Driver", widget=GovTextInput(), description=HOLDER_LOOKUP_HINT, validators=[Optional()])
    result = SelectField("Result", choices=_blank("Choose", EnforcementCheckResult.choices()), widget=GovSelect(),
                         validators=[InputRequired("Choose the result")])
    issues_found = TextAreaField("Issues found", widget=GovTextArea(), validators=[Optional(), Length(max=5000)])
    evidence = FileField("Photo or document (optional)", widget=GovFileInput(),
                         description="PDF, JPG or PNG: a photo of the vehicle, a defect or the badge")
    submit = SubmitField("Record check", widget=GovSubmitInput())


class ReportForm(FlaskForm):
    """The officer's report, in the template's sections."""

    version = HiddenField()
    background = TextAreaField("Background", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])
    history = TextAreaField("The licence holder's history", widget=GovTextArea(),
                            validators=[Optional(), Length(max=20000)])
    assessment = TextAreaField("The policy assessment", widget=GovTextArea(),
                               validators=[Optional(), Length(max=20000)])
    options = TextAreaField("Options", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])
    submit = SubmitField("Save the report", widget=GovSubmitInput())
