"""Form fields shared by every blueprint."""

import datetime as dt
import re

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, StringField
from wtforms.validators import ValidationError

from licensing.text import field_name, parse_typed_date, parse_typed_time


class GovukDateField(DateField):
    """The GOV.UK day / month / year date input, read as one date.

    An absent field or three empty boxes mean 'no date' (pair with Optional or
    InputRequired); anything else must be a real calendar date.
    """

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not any(part.strip() for part in valuelist):
            self.raw_data = ["", "", ""] if valuelist else None
            self.data = None
            return
        if len(valuelist) != 3:
            self.data = None
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]  # the widget re-renders three boxes
            raise ValueError(f"{field_name(self.label.text)} must include a day, month and year")
        typed = [part.strip() for part in valuelist if part.strip()]
        if len(typed) == 1 and re.search(r"[/.\-\s]", typed[0]):
            # The whole date typed into one box, the way people write it: 3/3/2026, 3 March 2026.
            self.data = parse_typed_date(typed[0])
            if self.data is None or not 1900 <= self.data.year <= 2100:
                self.data = None
                raise ValueError(f"{field_name(self.label.text)} must be a real date, like 27 3 2026")
            self.raw_data = [str(self.data.day), str(self.data.month), str(self.data.year)]
            return
        day, month, year = (part.strip() for part in valuelist)
        try:
            self.data = dt.date(int(year), int(month), int(day))
        except ValueError:
            self.data = None
            raise ValueError(f"{field_name(self.label.text)} must be a real date") from None
        if not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(f"{field_name(self.label.text)} must be between the years 1900 and 2100")


class TodayOrLater:
    """A date that must not be in the past (a due date, a date something is to happen)."""

    def __call__(self, form, field):
        if field.data is not None and field.data < dt.date.today():
            raise ValidationError(f"{field_name(field.label.text)} must be today or in the future")


class GovukTimeField(StringField):
    """A time of day typed the ways people type it (10am, 2.30pm, 14:30, 1430), kept as "HH:MM"."""

    widget = GovTextInput()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        if not text:
            self.data = ""
            return
        parsed = parse_typed_time(text)
        if parsed is None:
            self.data = ""
            raise ValueError(f"Enter {field_name(self.label.text).lower()} like 10am, 2:30pm or 14:30")
        self.data = f"{parsed.hour:02d}:{parsed.minute:02d}"
