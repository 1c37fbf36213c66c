"""The register search box and its filters (a GET form: it changes nothing)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from licensing.models import LicenceStatus, LicenceType


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
