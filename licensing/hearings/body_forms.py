"""Forms for deciding bodies, their members and the powers they hold."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from licensing.models import BodyKind, DecisionMode, MemberRole
from licensing.policy.hearing_procedure import powers
from licensing.web.fields import GovukDateField


class BodyForm(FlaskForm):
    name = StringField("Name", widget=GovTextInput(), validators=[InputRequired("Enter the name"), Length(max=200)])
    kind = SelectField("Kind of body", widget=GovSelect(), choices=BodyKind.choices())
    decision_mode = SelectField("How it decides", widget=GovSelect(),
                                choices=[("", "As usual for its kind")] + DecisionMode.choices(),
                                validators=[Optional()])
    quorum = IntegerField("Quorum (members present needed to decide)", widget=GovTextInput(),
                          validators=[Optional(), NumberRange(min=1, max=50, message="Enter a quorum from 1 to 50")])
    submit = SubmitField("Create deciding body", widget=GovSubmitInput())


class MemberForm(FlaskForm):
    user_id = SelectField("Member", widget=GovSelect(), validators=[InputRequired("Choose the member")])
    role = SelectField("Role", widget=GovSelect(), choices=MemberRole.choices())
    from_date = GovukDateField("Member from", validators=[InputRequired("Enter the date membership starts")])
    to_date = GovukDateField("Member until (optional)", validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Add member", widget=GovSubmitInput())


class AuthorityForm(FlaskForm):
    power = SelectField("Power", widget=GovSelect(), choices=list(powers().items()))
    valid_from = GovukDateField("Held from", validators=[InputRequired("Enter the date the power is held from")])
    valid_to = GovukDateField("Held until (optional)", validators=[Optional()])
    source = StringField("Instrument (direction, resolution or scheme of delegation)", widget=GovTextInput(),
                         validators=[InputRequired("Give the instrument the power comes from"), Length(max=500)])
    submit = SubmitField("Record the power", widget=GovSubmitInput())


class EndAuthorityForm(FlaskForm):
    last_day = GovukDateField("Last day the power is held", validators=[InputRequired("Enter the last day")])
    reason = StringField("Reason", widget=GovTextInput(), validators=[InputRequired("Give the reason"),
                                                                      Length(max=500)])
    submit = SubmitField("End the power", widget=GovSubmitInput())
