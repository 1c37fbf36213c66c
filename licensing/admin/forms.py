from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from licensing.holders.queries.search import HOLDER_LOOKUP_HINT
from licensing.models import Role
from licensing.web.fields import GovukDateField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField("Action", widget=GovSelect(), validators=[Optional()])
    entity_type = SelectField("Record type", widget=GovSelect(), validators=[Optional()])
    actor_id = SelectField("Who", widget=GovSelect(), validators=[Optional()])
    holder = StringField("Licence holder", widget=GovTextInput(), description=HOLDER_LOOKUP_HINT,
                         validators=[Optional(), Length(max=200)])
    date_from = GovukDateField("From", validators=[Optional()])
    date_to = GovukDateField("To", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())


class NewUserForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[DataRequired(message="Enter an email address"), Length(max=254)])
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired(message="Enter the person's name"), Length(max=200)])
    post = StringField("Post (job title)", widget=GovTextInput(),
                       description="Printed under their name on notices they sign, for example "
                                   "Senior Licensing Officer",
                       validators=[Optional(), Length(max=120)])
    role = RadioField("Role", widget=GovRadioInput(), choices=Role.choices(),
                      validators=[DataRequired(message="Choose a role")])
    clearance = BooleanField("May read restricted intelligence (licensing officers only)",
                             widget=GovCheckboxInput())
    submit = SubmitField("Create account", widget=GovSubmitInput())


class EditAccountForm(FlaskForm):
    version = HiddenField()
    post = StringField("Post (job title)", widget=GovTextInput(),
                       description="Printed under their name on notices they sign",
                       validators=[Optional(), Length(max=120)])
    role = RadioField("Role", widget=GovRadioInput(), choices=Role.choices(),
                      validators=[DataRequired(message="Choose a role")])
    clearance = BooleanField("May read restricted intelligence (licensing officers only)",
                             widget=GovCheckboxInput())
    reason = StringField("Reason for the change", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the reason for the change"), Length(max=500)])
    submit = SubmitField("Save the account", widget=GovSubmitInput())


class AccountActionForm(FlaskForm):
    reason = StringField("Reason", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the reason"), Length(max=500)])
    submit = SubmitField("Confirm", widget=GovSubmitInput())
