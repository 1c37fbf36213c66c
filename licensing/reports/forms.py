import datetime as dt

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from licensing.text import field_name
from licensing.web.fields import GovukDateField

# Names both boxes, as the labels read: "the last day" alone left the reader to work out which.
END_BEFORE_START = "The date in To must be the same as or after the date in From"


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    start = GovukDateField("From", validators=[InputRequired(message="Enter the first day of the period")])
    end = GovukDateField("To", validators=[InputRequired(message="Enter the last day of the period")])
    submit = SubmitField("Show report", widget=GovSubmitInput())

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(END_BEFORE_START)

    def read_address(self, first, last):
        """(start, end) from the ISO dates of the address (?from=&to=), shown in the boxes; None,
        with the errors at the boxes as if they had been typed, when they are wrong."""
        start, end = _iso_date(self.start, first), _iso_date(self.end, last)
        if start is None or end is None:
            return None
        if end < start:
            self.end.errors = [END_BEFORE_START]
            return None
        return start, end


def _iso_date(field, text):
    text = (text or "").strip()
    if not text:
        field.errors = [field.validators[0].message]  # "Enter the first day of the period"
        return None
    try:
        field.data = dt.date.fromisoformat(text)
    except ValueError:
        field.errors = [f"{field_name(field.label.text)} must be a real date"]
        return None
    return field.data


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


class DecisionRecordForm(PeriodForm):
    """The record of decisions: a period, and optionally one forum and one decision maker. The
    choices are those found in the period; a value matching none simply lists nothing."""

    forum = SelectField("Forum (deciding body)", widget=GovSelect(), validate_choice=False)
    maker = SelectField("Decision maker", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show decisions", widget=GovSubmitInput())

    def offer(self, forums, makers):
        self.forum.choices = [("", "Any forum")] + [(f, f) for f in forums]
        self.maker.choices = [("", "Any decision maker")] + [(m, m) for m in makers]


class HearingOutcomesForm(PeriodForm):
    body = SelectField("Deciding body", widget=GovSelect(), validate_choice=False)
    maker = SelectField("Decision maker", widget=GovSelect(), validate_choice=False)

    def offer(self, bodies, makers):
        self.body.choices = [("", "Any deciding body")] + [(b, b) for b in bodies]
        self.maker.choices = [("", "Any decision maker")] + [(m, m) for m in makers]


class ExportForm(FlaskForm):
    """Asks for a large download to be made in the background (a POST: it records the request)."""

    quarter = HiddenField(validators=[InputRequired()])
    fmt = HiddenField(validators=[InputRequired(), AnyOf(["csv", "xlsx", "pdf"])])
    submit = SubmitField("Prepare the download", widget=GovSubmitInput())
