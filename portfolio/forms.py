"""Shared forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

TOO_LONG = "Hoogstens 200 tekens."


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), Length(max=254)]
    )
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul je wachtwoord in."), Length(max=200)]
    )
    remember = BooleanField("Aangemeld blijven op dit toestel (30 dagen, alleen voor studenten)")


class ConfirmForm(FlaskForm):
    """A token-only form for button POSTs (logout, delete, sign)."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), Length(max=254)]
    )


class NewPasswordForm(FlaskForm):
    """The new password twice; the length and equality rules live in domain/accounts."""

    password = PasswordField(
        "Nieuw wachtwoord (minstens 10 tekens)",
        validators=[DataRequired("Kies een wachtwoord."), Length(max=200, message=TOO_LONG)],
    )
    confirmation = PasswordField(
        "Nieuw wachtwoord herhalen",
        validators=[
            DataRequired("Typ het wachtwoord een tweede keer."),
            Length(max=200, message=TOO_LONG),
        ],
    )


class NewLinkForm(FlaskForm):
    """A mentor asks for a new personal link by e-mail address."""

    email = EmailField(
        "Je e-mailadres", validators=[DataRequired("Vul je e-mailadres in."), Length(max=254)]
    )
