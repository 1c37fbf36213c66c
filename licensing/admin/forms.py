from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional

from licensing.fields import GovukDateField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField("Action", widget=GovSelect(), validators=[Optional()])
    entity_type = SelectField("Record type", widget=GovSelect(), validators=[Optional()])
    date_from = GovukDateField("From", validators=[Optional()])
    date_to = GovukDateField("To", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())
