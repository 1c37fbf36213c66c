from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

SECTIONS = [("", "Drivers, vehicles and operators"), ("drivers", "Drivers"), ("vehicles", "Vehicles"),
            ("operators", "Operators")]


class PublicSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Search the register", widget=GovTextInput(), validators=[Optional(), Length(max=100)],
        description="Name, licence number, vehicle registration or plate number",
    )
    section = SelectField("Show", widget=GovSelect(), validators=[Optional()], choices=SECTIONS)
    after = IntegerField(widget=HiddenInput(), validators=[Optional()])
    before = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Search", widget=GovSubmitInput())
