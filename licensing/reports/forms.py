from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from licensing.web.fields import GovukDateField


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    start = GovukDateField("From", validators=[InputRequired(message="Enter the first day of the period")])
    end = GovukDateField("To", validators=[InputRequired(message="Enter the last day of the period")])
    submit = SubmitField("Show report", widget=GovSubmitInput())

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The last day must be on or after the first day")


class QuarterForm(FlaskForm):
    class Meta:
        csrf = False

    quarter = SelectField("Quarter", widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Show report", widget=GovSubmitInput())


class SnapshotForm(FlaskForm):
    class Meta:
        csrf = False

    as_at = GovukDateField("As at", validators=[InputRequired(message="Enter the date of the snapshot")])
    submit = SubmitField("Show snapshot", widget=GovSubmitInput())
