from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

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


# Applying online ----------------------------------------------------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


class ApplyChoiceForm(FlaskForm):
    choice = RadioField("What do you want to apply for?", widget=GovRadioInput(),
                        validators=[InputRequired(message="Choose what you want to apply for")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AboutYouForm(FlaskForm):
    first_name = StringField("First name", widget=GovTextInput(),
                             validators=[DataRequired(message="Enter your first name"), Length(max=100)])
    last_name = StringField("Last name", widget=GovTextInput(),
                            validators=[DataRequired(message="Enter your last name"), Length(max=100)])
    date_of_birth = GovukDateField("Date of birth", description="For example, 27 3 1985",
                                   validators=[InputRequired(message="Enter your date of birth")])
    address = StringField("Home address", widget=GovTextArea(),
                          validators=[DataRequired(message="Enter your home address"), Length(max=500)])
    postcode = StringField("Postcode", widget=GovTextInput(),
                           validators=[DataRequired(message="Enter your postcode"), Length(max=10)])
    phone = StringField("Phone number", widget=GovTextInput(),
                        validators=[DataRequired(message="Enter a phone number we can call you on"), Length(max=40)])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class DrivingLicenceForm(FlaskForm):
    dvla_licence_number = StringField(
        "Driving licence number", widget=GovTextInput(), description="16 characters, on your photocard: 5a",
        validators=[DataRequired(message="Enter your driving licence number"),
                    Length(min=16, max=18, message="Your driving licence number is 16 characters")])
    dvla_check_code = StringField(
        "DVLA check code", widget=GovTextInput(),
        description="Get one at GOV.UK 'View or share your driving licence information'. It works for 21 days.",
        validators=[DataRequired(message="Enter your DVLA check code"), Length(max=12)])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class ConvictionsForm(FlaskForm):
    has_convictions = RadioField(
        "Do you have any convictions, cautions, reprimands or warnings, or any pending case, that are not protected?",
        widget=GovRadioInput(), choices=YES_NO,
        validators=[InputRequired(message="Say whether you have anything to tell us")])
    conviction_details = StringField(
        "Tell us about each one", widget=GovTextArea(),
        description="The offence, the court or police force, the date and the sentence or outcome",
        validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class DbsForm(FlaskForm):
    dbs_update_service = RadioField(
        "Have you joined the DBS update service with your enhanced certificate?", widget=GovRadioInput(),
        choices=YES_NO, validators=[InputRequired(message="Say whether you have joined the DBS update service")])
    dbs_certificate_number = StringField("DBS certificate number", widget=GovTextInput(),
                                         description="12 digits, at the top right of the certificate",
                                         validators=[Optional(), Length(max=12)])
    dbs_consent = BooleanField(
        "I agree to the council checking my DBS certificate's status on the update service while I am licensed",
        widget=GovCheckboxInput())
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class VehicleForm(FlaskForm):
    registration = StringField("Registration number", widget=GovTextInput(), description="For example, AB12 CDE",
                               validators=[DataRequired(message="Enter the vehicle's registration number"),
                                           Length(max=10, message="Enter the registration, like AB12 CDE")])
    make = StringField("Make", widget=GovTextInput(), description="For example, Toyota",
                       validators=[DataRequired(message="Enter the make of the vehicle"), Length(max=60)])
    model = StringField("Model", widget=GovTextInput(), description="For example, Corolla",
                        validators=[DataRequired(message="Enter the model of the vehicle"), Length(max=60)])
    colour = StringField("Colour", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the colour of the vehicle"), Length(max=40)])
    seats = IntegerField("Passenger seats", widget=GovTextInput(), description="Not counting the driver's",
                         validators=[InputRequired(message="Enter the number of passenger seats"),
                                     NumberRange(min=1, max=16, message="Passenger seats must be between 1 and 16")])
    wheelchair_accessible = RadioField(
        "Can the vehicle carry a passenger seated in a wheelchair?", widget=GovRadioInput(), choices=YES_NO,
        validators=[InputRequired(message="Say whether the vehicle can carry a wheelchair user")])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class OperatingCentreForm(FlaskForm):
    operating_centre_address = StringField(
        "Operating centre address", widget=GovTextArea(),
        description="Where bookings are taken and records are kept (Local Government (Miscellaneous Provisions) "
                    "Act 1976 s.55 and s.56)",
        validators=[DataRequired(message="Enter the operating centre's address"), Length(max=500)])
    operating_centre_postcode = StringField(
        "Postcode", widget=GovTextInput(),
        validators=[DataRequired(message="Enter the operating centre's postcode"), Length(max=10)])
    trading_name = StringField("Trading name, if you have one", widget=GovTextInput(),
                               validators=[Optional(), Length(max=200)])
    vehicles_expected = IntegerField(
        "How many vehicles do you expect to operate?", widget=GovTextInput(),
        validators=[InputRequired(message="Enter how many vehicles you expect to operate"),
                    NumberRange(min=1, max=5000, message="Enter a number between 1 and 5,000")])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class DocumentForm(FlaskForm):
    document = FileField("Upload a file", widget=GovFileInput(), description="A PDF, JPG or PNG, up to 10 MB")
    submit = SubmitField("Upload and continue", widget=GovSubmitInput())


class DeclarationForm(FlaskForm):
    declaration = BooleanField("I confirm the declaration above", widget=GovCheckboxInput())
    submit = SubmitField("Send application", widget=GovSubmitInput())


class MoreInformationForm(FlaskForm):
    request_text = StringField("What the applicant needs to send or answer", widget=GovTextArea(),
                               description="The applicant sees these words",
                               validators=[DataRequired(message="Say what the applicant needs to do"),
                                           Length(max=2000)])
    submit = SubmitField("Send back to the applicant", widget=GovSubmitInput())


class PayForm(FlaskForm):
    pay = SubmitField("Pay the fee", widget=GovSubmitInput())


class RefundForm(FlaskForm):
    amount = StringField("Amount to refund, in pounds", widget=GovTextInput(),
                         validators=[DataRequired(message="Enter the amount to refund"), Length(max=12)])
    reason = StringField("Reason", widget=GovTextArea(),
                         validators=[DataRequired(message="Give the reason for the refund"), Length(max=2000)])
    submit = SubmitField("Refund", widget=GovSubmitInput())


class BookForm(FlaskForm):
    session_id = RadioField("Choose a session", widget=GovRadioInput(), coerce=int,
                            validators=[InputRequired(message="Choose a session")])
    submit = SubmitField("Book a place", widget=GovSubmitInput())
