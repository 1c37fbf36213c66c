"""Forms for lookups and the outbox."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from licensing.web.fields import GovukDateField


class RegistrationForm(FlaskForm):
    registration = StringField("Registration", widget=GovTextInput(),
                               validators=[DataRequired(message="Enter the registration"), Length(max=12)])
    submit = SubmitField("Look it up with the DVLA", widget=GovSubmitInput())


class LookupButtonForm(FlaskForm):
    submit = SubmitField("Look it up", widget=GovSubmitInput())


class DbsConsentForm(FlaskForm):
    certificate_number = StringField("DBS certificate number", widget=GovTextInput(),
                                     description="12 digits, on the certificate",
                                     validators=[DataRequired(message="Enter the DBS certificate number"),
                                                 Length(max=20)])
    consent_given_on = GovukDateField("Date the holder gave consent",
                                      validators=[InputRequired(message="Enter the date consent was given")])
    submit = SubmitField("Record consent", widget=GovSubmitInput())


class DriverCheckForm(FlaskForm):
    check_code = StringField("Check code", widget=GovTextInput(), description="8 letters and numbers, such as Kd7hXw2p",
                             validators=[DataRequired(message="Enter the check code"), Length(max=20)])
    checked_on = GovukDateField("Date you checked", validators=[InputRequired(message="Enter the date you checked")])
    points = IntegerField("Penalty points shown", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the penalty points shown (0 if none)"),
        NumberRange(min=0, max=99, message="Penalty points must be between 0 and 99")])
    entitlements = StringField("Entitlements shown", widget=GovTextArea(), description="For example: B, BE, D1",
                               validators=[DataRequired(message="Enter the entitlements shown"), Length(max=500)])
    result = RadioField("Result", widget=GovRadioInput(), choices=[("pass", "Pass"), ("fail", "Fail")],
                        default="pass", validators=[DataRequired(message="Choose the result")])
    submit = SubmitField("Record the check", widget=GovSubmitInput())


class RequeueForm(FlaskForm):
    message_id = HiddenField(validators=[Optional()])
    reason = StringField("Reason", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the reason"), Length(max=500)])
    submit = SubmitField("Send failed messages again", widget=GovSubmitInput())
