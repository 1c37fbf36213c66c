from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from licensing.web.fields import GovukDateField

STRONG_CHOICE_HINT = "At least 12 characters. Three or four unrelated words make a strong password."


def _email():
    return EmailField("Email address", widget=GovTextInput(),
                      validators=[DataRequired(message="Enter your email address"), Length(max=254)])


def _new_password():
    return PasswordField("Create a password", widget=GovPasswordInput(), description=STRONG_CHOICE_HINT,
                         validators=[DataRequired(message="Enter a password"), Length(max=256)])


def _confirm():
    return PasswordField("Confirm your password", widget=GovPasswordInput(),
                         validators=[EqualTo("password", message="Enter the same password twice")])


class SignUpForm(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired(message="Enter your full name"), Length(max=200)])
    email = _email()
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Create account", widget=GovSubmitInput())


class SignInForm(FlaskForm):
    email = _email()
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired(message="Enter your password"), Length(max=256)])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField("Security code", widget=GovTextInput(),
                       description="The 6-digit code we sent to your email address",
                       validators=[DataRequired(message="Enter the security code"), Length(max=12)])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = _email()
    submit = SubmitField("Send a reset link", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Save new password", widget=GovSubmitInput())


class LinkForm(FlaskForm):
    code = StringField("Account code", widget=GovTextInput(),
                       description="The 12-character code on the letter from the licensing team, like ABCD-EFGH-JKLM",
                       validators=[DataRequired(message="Enter the account code from your letter"), Length(max=20)])
    submit = SubmitField("Link my account", widget=GovSubmitInput())


class IssueLinkCodeForm(FlaskForm):
    submit = SubmitField("Issue an account code", widget=GovSubmitInput())


class SendEvidenceForm(FlaskForm):
    document = FileField("Upload the document", widget=GovFileInput(),
                         description="A PDF, or a photo (JPG or PNG) where every word can be read. Up to 10 MB.")
    completed_on = GovukDateField("Date on the document", description="For example, 27 3 2026",
                                  validators=[InputRequired(message="Enter the date on the document")])
    expires_on = GovukDateField("Expiry date, if it has one", validators=[Optional()])
    reference = StringField("Certificate, policy or check code number (if it has one)", widget=GovTextInput(),
                            validators=[Optional(), Length(max=60, message="Enter 60 characters or fewer")])
    submit = SubmitField("Send document", widget=GovSubmitInput())


class AcceptEvidenceForm(FlaskForm):
    result = RadioField("Result", widget=GovRadioInput(), validators=[InputRequired(message="Choose the result")])
    completed_on = GovukDateField("Date completed or issued", validators=[InputRequired(message="Enter the date")])
    expires_on = GovukDateField("Expiry or next check date", validators=[Optional()])
    reference = StringField("Reference", widget=GovTextInput(), validators=[Optional(), Length(max=60)])
    submit = SubmitField("Accept and record the check", widget=GovSubmitInput())


class RejectEvidenceForm(FlaskForm):
    reason = StringField("Why it is not accepted", widget=GovTextArea(),
                         description="The holder sees this, so say what they need to send instead",
                         validators=[DataRequired(message="Say why the document is not accepted"), Length(max=2000)])
    submit = SubmitField("Do not accept", widget=GovSubmitInput())
