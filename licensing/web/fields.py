"""Form fields shared by every blueprint."""

import datetime as dt

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField


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
            raise ValueError(f"{self.label.text} must include a day, month and year")
        day, month, year = (part.strip() for part in valuelist)
        try:
            self.data = dt.date(int(year), int(month), int(day))
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None
        if not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date")
