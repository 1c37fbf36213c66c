"""Forms for licence applications, decisions, renewals and status changes."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from licensing.holders.forms import ListRadioField, ListSelectField
from licensing.models import ApplicationOutcome, DecisionCapacity, LicenceType
from licensing.web.fields import GovukDateField


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


class DecisionForm(FlaskForm):
    version = HiddenField()
    outcome = ListRadioField("Decision", widget=GovRadioInput(), choices=[
        (ApplicationOutcome.GRANTED.value, "Grant"),
        (ApplicationOutcome.REFUSED.value, "Refuse"),
        (ApplicationOutcome.DEFERRED.value, "Defer"),
    ])
    capacity = ListRadioField("Decided by", widget=GovRadioInput(), choices=DecisionCapacity.choices())
    decided_on = GovukDateField("Decision date", validators=[InputRequired(message="Enter the decision date")])
    expires_on = GovukDateField("Expiry date (when granting)", validators=[Optional()])
    reasons = StringField("Reasons", widget=GovTextArea(), validators=[
        DataRequired(message="Enter the reasons for the decision"), Length(max=5000)])
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class StatusChangeForm(FlaskForm):
    version = HiddenField()
    new_status = ListRadioField("New status", widget=GovRadioInput())
    reason = StringField("Reason", widget=GovTextArea(), validators=[
        DataRequired(message="Enter the reason for the change"), Length(max=2000)])
    submit = SubmitField("Change status", widget=GovSubmitInput())
