"""Forms of the safeguarding area: non-conviction information and findings, incoming s.5
concerns, NR3S match overrides, the information-sharing log and subject access review."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from licensing.models import (
    ConcernDecision,
    Finding,
    IntelligenceSource,
    ItemDecision,
    NonConvictionKind,
    ShareDirection,
    SharePartner,
)
from licensing.web.fields import GovukDateField


class ListSelectField(SelectField):
    def pre_validate(self, form):
        if self.data not in {str(value) for value, _ in self.choices}:
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


def _choices(enum_cls):
    return [(m.value, m.label) for m in enum_cls]


def _area(label, message=None, max_length=10000, **kwargs):
    validators = [InputRequired(message)] if message else [Optional()]
    return TextAreaField(label, widget=GovTextArea(), validators=[*validators, Length(max=max_length)], **kwargs)


class NonConvictionForm(FlaskForm):
    kind = ListSelectField("What it is", widget=GovSelect(), choices=_choices(NonConvictionKind))
    source = ListSelectField("Source", widget=GovSelect(), choices=_choices(IntelligenceSource))
    handling_code = StringField("Handling code", widget=GovTextInput(), description="For example, the 3x5x2 code B2 P",
                                validators=[InputRequired("Enter the handling code"), Length(max=20)])
    occurred_on = GovukDateField("Date it happened", validators=[InputRequired("Enter the date it happened")])
    received_on = GovukDateField("Date received", validators=[InputRequired("Enter the date received")])
    summary = _area("Summary", "Enter a summary of the information")
    holder_response = _area("The holder's response (if given)")
    case_id = ListSelectField("Review case", widget=GovSelect(), choices=[])
    submit = SubmitField("Record information", widget=GovSubmitInput())


class FindingForm(FlaskForm):
    finding = ListSelectField("Finding on the balance of probabilities", widget=GovSelect(),
                              choices=_choices(Finding))
    finding_reasons = _area("Reasons for the finding")
    holder_response = _area("The holder's response")
    case_id = ListSelectField("Review case", widget=GovSelect(), choices=[])
    submit = SubmitField("Record finding", widget=GovSubmitInput())


class ConcernForm(FlaskForm):
    sending_authority = StringField("Authority that sent it", widget=GovTextInput(),
                                    validators=[InputRequired("Enter the authority that sent it"), Length(max=200)])
    received_on = GovukDateField("Date received", validators=[InputRequired("Enter the date received")])
    licence_id = ListSelectField("Driver licence", widget=GovSelect(), choices=[])
    information = _area("Information received", "Enter the information received")
    submit = SubmitField("Record information received", widget=GovSubmitInput())


class ConcernDecisionForm(FlaskForm):
    considered_on = GovukDateField("Date considered", validators=[InputRequired("Enter the date it was considered")])
    decision = ListSelectField("Decision", widget=GovSelect(), choices=_choices(ConcernDecision))
    decision_reasons = _area("Reasons", "Enter the reasons")
    case_id = ListSelectField("Review case", widget=GovSelect(), choices=[])
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class SenderInformedForm(FlaskForm):
    informed_on = GovukDateField("Date the sender was told", validators=[InputRequired("Enter the date")])
    submit = SubmitField("Record sender told", widget=GovSubmitInput())


class OverrideForm(FlaskForm):
    decided_on = GovukDateField("Date of the override", validators=[InputRequired("Enter the date of the override")])
    reasons = _area("Reasons for going ahead without the reply", "Give the reasons")
    submit = SubmitField("Record override", widget=GovSubmitInput())


class ShareForm(FlaskForm):
    direction = ListSelectField("Received or sent", widget=GovSelect(), choices=_choices(ShareDirection))
    partner = ListSelectField("Partner", widget=GovSelect(), choices=_choices(SharePartner))
    partner_name = StringField("Partner and contact", widget=GovTextInput(),
                               validators=[InputRequired("Enter who it was shared with"), Length(max=200)])
    shared_on = GovukDateField("Date shared", validators=[InputRequired("Enter the date it was shared")])
    holder_ref = StringField("Licence holder reference (if about one holder)", widget=GovTextInput(),
                             validators=[Optional(), Length(max=20)])
    summary = _area("What was shared", "Enter what was shared")
    lawful_basis = ListSelectField("Lawful basis", widget=GovSelect(), choices=[])
    handling_conditions = _area("Handling conditions", "Enter the handling conditions", max_length=2000)
    submit = SubmitField("Record in the log", widget=GovSubmitInput())


class SubjectAccessForm(FlaskForm):
    holder_ref = StringField("Licence holder reference", widget=GovTextInput(),
                             validators=[InputRequired("Enter the licence holder reference"), Length(max=20)])
    received_on = GovukDateField("Date the request was received", validators=[InputRequired("Enter the date")])
    submit = SubmitField("Prepare the draft", widget=GovSubmitInput())


class ItemDecisionForm(FlaskForm):
    decision = ListSelectField("Decision", widget=GovSelect(),
                               choices=[c for c in _choices(ItemDecision) if c[0] != "pending"])
    exemption = ListSelectField("Exemption relied on", widget=GovSelect(), choices=[])
    withheld_fields = StringField("Fields to withhold (for a redaction, separated by commas)",
                                  widget=GovTextInput(), validators=[Optional(), Length(max=500)])
    note = _area("Note", max_length=2000)
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class ReleaseForm(FlaskForm):
    released_on = GovukDateField("Date of release", validators=[InputRequired("Enter the date of release")])
    version = HiddenField()
    submit = SubmitField("Release", widget=GovSubmitInput())
