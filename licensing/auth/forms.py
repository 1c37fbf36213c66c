from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your current password")],
    )
    new_password = PasswordField(
        "New password", widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[DataRequired(message="Enter a new password"), Length(max=256)],
    )
    confirm = PasswordField(
        "Confirm new password", widget=GovPasswordInput(),
        validators=[EqualTo("new_password", message="Passwords must match")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        validators=[DataRequired(message="Enter the security code"), Length(max=20)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolmentForm(FlaskForm):
    code = StringField(
        "Code from your app",
        widget=GovTextInput(),
        description="After adding the account, enter the 6-digit code the app shows",
        validators=[DataRequired(message="Enter the 6-digit code from your app"), Length(max=6)],
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())
