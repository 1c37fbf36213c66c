"""The officer's decision on an application, under delegated powers."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from licensing.holders.forms import ListRadioField
from licensing.models import ApplicationOutcome
from licensing.policy.service import choices as service_choices
from licensing.web.fields import GovukDateField


class DecisionForm(FlaskForm):
    version = HiddenField()
    outcome = ListRadioField("Decision", widget=GovRadioInput(), choices=[
        (ApplicationOutcome.GRANTED.value, "Grant"),
        (ApplicationOutcome.REFUSED.value, "Refuse"),
        (ApplicationOutcome.DEFERRED.value, "Defer"),
    ])
    decided_on = GovukDateField("Decision date", validators=[InputRequired(message="Enter the decision date")])
    expires_on = GovukDateField("Expiry date (when granting)",
                                description="The standard term is proposed; the law and policy set the longest.",
                                validators=[Optional()])
    reasons = StringField("Reasons", widget=GovTextArea(), validators=[
        DataRequired(message="Enter the reasons for the decision"), Length(max=5000)])
    safeguarding_or_road_safety = BooleanField(
        "A refusal on safeguarding or road-safety grounds (a driver's refusal is then entered on the national "
        "register, NR3S)", widget=GovCheckboxInput())
    service_method = SelectField("How the notice is given", widget=GovSelect(),
                                 choices=service_choices(), default="first_class_post")
    notice_date = GovukDateField("Date the notice is handed over, posted or sent (blank: the decision date)",
                                 validators=[Optional()])
    submit = SubmitField("Record decision", widget=GovSubmitInput())
