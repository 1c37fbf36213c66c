from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
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
