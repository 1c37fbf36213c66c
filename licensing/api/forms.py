from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from licensing.models import ApiScope


class NewClientForm(FlaskForm):
    name = StringField("Name of the system", widget=GovTextInput(),
                       description="For example: Council portal, CRM, Rank marshals' app",
                       validators=[DataRequired(message="Enter the name of the system"), Length(max=120)])
    scopes = SelectMultipleField("What it may do", widget=GovCheckboxesInput(),
                                 choices=[(s.value, s.label) for s in ApiScope],
                                 validators=[DataRequired(message="Choose at least one scope")])
    webhook_url = StringField("Webhook address (optional)", widget=GovTextInput(),
                              description="Where licence status changes are sent, signed. Needs the licence "
                                          "validity scope.",
                              validators=[Optional(), Length(max=500)])
    submit = SubmitField("Create the client", widget=GovSubmitInput())


class RevokeClientForm(FlaskForm):
    reason = StringField("Reason", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the reason"), Length(max=500)])
    submit = SubmitField("Revoke the token", widget=GovSubmitInput())
