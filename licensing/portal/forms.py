from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

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
