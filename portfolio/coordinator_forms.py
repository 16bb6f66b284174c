"""Forms of the coordinator area and the mentor's attendance card (field checks only;
the rules live in portfolio/domain)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portfolio.domain.calendar import WEEKDAY_NAMES
from portfolio.models import Context, DayKind, Presence, Role
from portfolio.routes.form_input import whole_number

REQUIRED = "Dit veld is verplicht."
DATE_MSG = "Kies een geldige datum."


PICK = "Kies een waarde uit de lijst."


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def max_len(n: int) -> Length:
    return Length(max=n, message=f"Hoogstens {n} tekens.")


def optional_int(value):
    """Coerce a select value to an id, with '' meaning none; anything else is invalid."""
    if value in (None, "", "None"):
        return None
    return required_int(value)


def required_int(value):
    """Coerce a select value to an id in an INTEGER column's range (ValueError otherwise)."""
    number = whole_number(str(value))
    if number is None:
        raise ValueError(value)
    return number


class UserForm(FlaskForm):
    role = SelectField(
        "Rol",
        choices=options([(Role.STUDENT, "Student"), (Role.SUPERVISOR, "Stagebegeleider")]),
        invalid_choice_message=PICK,
        validators=[InputRequired(REQUIRED)],
    )
    name = StringField("Naam", validators=[DataRequired(REQUIRED), max_len(200)])
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED), max_len(254)])
    student_number = StringField(
        "Studentennummer (alleen voor studenten)", validators=[Optional(), max_len(40)]
    )
    password = PasswordField(
        "Wachtwoord (leeg laten: de gebruiker meldt nog niet aan met een wachtwoord)",
        validators=[Optional(), max_len(200)],
    )


class AccountForm(FlaskForm):
    """Switch an account on or off; staff may also change role (supervisor, coordinator)."""

    active = BooleanField("Account actief (kan aanmelden)")
    role = SelectField(
        "Rol",
        choices=options(
            [(Role.SUPERVISOR, "Stagebegeleider"), (Role.COORDINATOR, "Stagecoördinator")]
        ),
        invalid_choice_message=PICK,
        validators=[Optional()],
    )


class ImportForm(FlaskForm):
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")])


class PoolForm(FlaskForm):
    name = StringField("Naam van de pool", validators=[DataRequired(REQUIRED), max_len(120)])


class PoolMemberForm(FlaskForm):
    user_id = SelectField("Stagebegeleider", coerce=required_int, validate_choice=False)


class AssignmentForm(FlaskForm):
    supervisor_id = SelectField("Vaste stagebegeleider", coerce=optional_int, validate_choice=False)
    pool_id = SelectField("Pool", coerce=optional_int, validate_choice=False)
    mentor_name = StringField("Naam mentor", validators=[Optional(), max_len(200)])
    mentor_email = EmailField("E-mailadres mentor", validators=[Optional(), max_len(254)])


class PlacementForm(AssignmentForm):
    # Typed (number or e-mail address), not chosen from a list: there may be 15,000 students.
    student = StringField(
        "Student",
        validators=[DataRequired("Vul een studentnummer of e-mailadres in."), max_len(254)],
    )
    site_name = StringField("Stageplaats", validators=[DataRequired(REQUIRED), max_len(200)])
    site_address = StringField("Adres", validators=[Optional(), max_len(400)])
    context = SelectField(
        "Context",
        choices=options(
            [
                (Context.SCHOOL, "Schoolse context"),
                (Context.NON_SCHOOL, "Niet-schoolse context"),
            ]
        ),
        invalid_choice_message=PICK,
    )
    semester = SelectField(
        "Semester",
        choices=options([(1, "Semester 1"), (2, "Semester 2")]),
        invalid_choice_message=PICK,
        coerce=int,
    )
    first_day = DateField(
        "Eerste stagedag", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)]
    )
    last_day = DateField(
        "Laatste stagedag", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)]
    )


class SemesterForm(FlaskForm):
    weekdays = SelectMultipleField(
        "Stagedagen",
        choices=options(list(enumerate(WEEKDAY_NAMES))),
        invalid_choice_message=PICK,
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    hours = IntegerField(
        "Uren per week",
        invalid_value_message="Vul een geheel getal in.",
        validators=[InputRequired("Vul een aantal uren in."), NumberRange(1, 60, "1 tot 60 uur.")],
    )


class HolidayForm(FlaskForm):
    day = DateField("Datum", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)])
    name = StringField(
        "Naam (bv. herfstvakantie)", validators=[DataRequired(REQUIRED), max_len(120)]
    )


class DayMoveForm(FlaskForm):
    new_date = DateField(
        "Nieuwe datum", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)]
    )


class DayAddForm(FlaskForm):
    day = DateField("Datum", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)])
    kind = SelectField(
        "Soort dag",
        choices=options([(DayKind.R, "R-dag"), (DayKind.OPR, "OPR-dag")]),
        invalid_choice_message=PICK,
    )


class DayKindForm(FlaskForm):
    kind = SelectField(
        "Soort dag",
        choices=options([(DayKind.OPR, "OPR"), (DayKind.R, "R")]),
        invalid_choice_message=PICK,
    )


class ExtensionForm(FlaskForm):
    day = DateField(
        "Nieuwe afsluitdatum", invalid_value_message=DATE_MSG, validators=[InputRequired(DATE_MSG)]
    )
    time = TimeField(
        "Uur (Brussel)",
        invalid_value_message="Kies een geldig uur.",
        validators=[InputRequired("Kies een uur.")],
    )
    reason = TextAreaField(
        "Reden (bv. ziekte)", validators=[DataRequired("Geef een reden."), max_len(2000)]
    )


class PresenceForm(FlaskForm):
    presence = RadioField(
        "Aanwezigheid",
        choices=options([(Presence.PRESENT, "Aanwezig"), (Presence.ABSENT, "Afwezig")]),
        invalid_choice_message=PICK,
        validators=[InputRequired("Kies aanwezig of afwezig.")],
    )
    note = TextAreaField("Opmerking (verplicht bij afwezigheid)", validators=[max_len(1000)])


class DocumentForm(FlaskForm):
    """One optional placement document: in use or not, and who signs it."""

    enabled = BooleanField("In gebruik")
    roles = SelectMultipleField(
        "Wie ondertekent?",
        choices=options(
            [
                (Role.STUDENT, "Student"),
                (Role.MENTOR, "Mentor"),
                (Role.SUPERVISOR, "Stagebegeleider"),
            ]
        ),
        invalid_choice_message=PICK,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
