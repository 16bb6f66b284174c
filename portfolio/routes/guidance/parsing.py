"""Form input for the guidance pages: values kept for re-rendering, Dutch errors per field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from flask import request

from portfolio.domain.errors import DomainError
from portfolio.domain.guidance import MAX_DURATION, MIN_DURATION
from portfolio.routes.form_input import brussels_moment, whole_number


@dataclass
class Parsed:
    """Form values kept for re-rendering, and Dutch errors per field ("_form" for a rule)."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def text(self, name: str, *, required: str | None = None, limit: int = 10000) -> str:
        value = request.form.get(name, "").strip()
        self.values[name] = value
        if required and not value:
            self.errors[name] = required
        elif len(value) > limit:
            self.errors[name] = f"Houd dit korter dan {limit} tekens."
        return value

    def starts_at(self) -> datetime | None:
        """Read a date and time entered in Brussels time and return it as UTC."""
        day_text, time_text = self.text("dag"), self.text("uur")
        try:
            day = date.fromisoformat(day_text)
            if not 2000 <= day.year <= 2100:  # also keeps the UTC conversion in range
                raise ValueError(day_text)
        except ValueError:
            self.errors["dag"] = "Kies een datum." if not day_text else "Dit is geen geldige datum."
            day = None
        try:
            clock = time.fromisoformat(time_text)
        except ValueError:
            self.errors["uur"] = "Kies een uur (uu:mm)."
            clock = None
        if day is None or clock is None:
            return None
        try:
            return brussels_moment(day, clock)
        except DomainError as error:
            self.errors["uur"] = error.message
            return None

    def minutes(self, name: str = "duur") -> int:
        value = whole_number(self.text(name))
        if value is None or not (MIN_DURATION <= value <= MAX_DURATION):
            self.errors[name] = (
                f"Geef een duur in minuten, tussen {MIN_DURATION} en {MAX_DURATION}."
            )
            return 0
        return value

    def hours(self, name: str = "uren", *, allow_empty: bool = False) -> float | None:
        value = self.text(name).replace(",", ".")
        if allow_empty and not value:
            return None
        try:
            hours = float(value)
        except ValueError:
            hours = -1.0
        if not 0 <= hours <= 100:
            self.errors[name] = "Geef een aantal uren tussen 0 en 100 (bv. 4 of 2,5)."
            return None
        return hours

    def run(self, operation: Callable[..., Any], /, *args, **kwargs) -> Any:
        """Call a domain operation if the input is valid; a rule's refusal goes in the form.

        Success is `not parsed.errors` afterwards. Permission refusals (403) still raise.
        """
        if self.errors:
            return None
        try:
            return operation(*args, **kwargs)
        except DomainError as error:
            if error.status != 422:
                raise
            self.errors["_form"] = error.message
            return None
