from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from licensing.holders.queries.search import HOLDER_LOOKUP_HINT
from licensing.models import CourseKind
from licensing.policy.service import choices as service_choices
from licensing.web.fields import GovukDateField


class CourseForm(FlaskForm):
    code = StringField("Course code", widget=GovTextInput(), validators=[InputRequired(), Length(max=40)])
    title = StringField("Title", widget=GovTextInput(), validators=[InputRequired(), Length(max=200)])
    kind = SelectField("Kind of course", choices=CourseKind.choices(), widget=GovSelect(),
                       validators=[InputRequired()])
    satisfies = SelectField("Requirement it satisfies", widget=GovSelect(), validators=[InputRequired()])
    validity_months = IntegerField("Valid for (months, blank if it never expires)", widget=GovTextInput(),
                                   validators=[Optional(), NumberRange(min=1, max=240)])
    submit = SubmitField("Add course", widget=GovSubmitInput())


class SessionForm(FlaskForm):
    course_id = SelectField("Course", coerce=int, widget=GovSelect(), validators=[InputRequired()])
    held_on = GovukDateField("Date", validators=[InputRequired()])
    venue = StringField("Venue", widget=GovTextInput(), validators=[InputRequired(), Length(max=200)])
    capacity = IntegerField("Places", widget=GovTextInput(), validators=[InputRequired(), NumberRange(min=1, max=500)])
    trainer = StringField("Trainer", widget=GovTextInput(), validators=[InputRequired(), Length(max=120)])
    submit = SubmitField("Add session", widget=GovSubmitInput())


class BookingForm(FlaskForm):
    holder_ref = StringField("Licence holder", widget=GovTextInput(), description=HOLDER_LOOKUP_HINT,
                             validators=[InputRequired("Enter the licence holder's reference, badge or licence number"),
                                         Length(max=200, message="The licence holder must be 200 characters or fewer")])
    submit = SubmitField("Book a place", widget=GovSubmitInput())


class CompletionForm(FlaskForm):
    version = HiddenField()
    completed_on = GovukDateField("Date completed", validators=[InputRequired()])
    certificate_reference = StringField("Certificate reference", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the certificate reference"), Length(max=64)])
    submit = SubmitField("Record completion", widget=GovSubmitInput())


class BookingActionForm(FlaskForm):
    version = HiddenField()


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    requirement = SelectField("Requirement", widget=GovSelect(), validators=[Optional()])
    licence_type = SelectField("Licence type", widget=GovSelect(), validators=[Optional()])
    days_left = IntegerField("Due within (days)", widget=GovTextInput(),
                             validators=[Optional(), NumberRange(-3650, 3650)])
    submit = SubmitField("Filter", widget=GovSubmitInput())


class QueueActionForm(FlaskForm):
    flag_ids = SelectMultipleField("Items", coerce=int, validate_choice=False)
    action = SelectField("Action", choices=[("remind", "Send reminder now"), ("chase", "Mark as chased"),
                                            ("case", "Open a review case")],
                         widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Apply to selected", widget=GovSubmitInput())


class ConfirmSuspensionsForm(FlaskForm):
    proposal_ids = SelectMultipleField("Proposed suspensions", coerce=int, validate_choice=False)
    reason = TextAreaField("Reason (sent to each holder in the notice)", widget=GovTextArea(), validators=[
        InputRequired(message="Enter the reason for the suspensions"), Length(max=2000)])
    service_method = SelectField("How the notices are given today", widget=GovSelect(),
                                 choices=service_choices(), default="first_class_post")
    immediate = BooleanField(
        "Immediate effect in the interests of public safety (driver licences only, section 61(2B))",
        widget=GovCheckboxInput())
    public_safety_reason = TextAreaField("Why public safety requires immediate effect", widget=GovTextArea(),
                                         validators=[Optional(), Length(max=2000)])
    confirmed = HiddenField()  # set on the check-before-suspending page
    submit = SubmitField("Continue", widget=GovSubmitInput())
