"""Say an audit event in Dutch for the placement's log."""

from __future__ import annotations

from datetime import date, datetime

from portfolio.clock import BRUSSELS

ACTIONS = {
    "placement.created": "Stage aangemaakt",
    "placement.assigned": "Begeleiding of mentor gewijzigd",
    "day.kind": "Soort stagedag gewijzigd",
    "day.added": "Stagedag toegevoegd",
    "day.moved": "Stagedag verplaatst",
    "day.removed": "Stagedag verwijderd",
    "day.presence": "Aanwezigheid ingevuld",
    "deadline.extended": "Afsluitmoment verlengd",
}
LABELS = {
    "day": "dag",
    "old": "was",
    "new": "wordt",
    "kind": "soort",
    "reason": "reden",
    "first_day": "eerste dag",
    "last_day": "laatste dag",
    "days": "aantal dagen",
    "note": "opmerking",
    "supervisor_id": "begeleider",
    "pool_id": "pool",
    "mentor_id": "mentor",
}


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{LABELS.get(k, k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, str):
        try:
            if "T" in value:
                moment = datetime.fromisoformat(value).astimezone(BRUSSELS)
                return moment.strftime("%d-%m-%Y %H:%M")
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return "–" if value is None else str(value)


def describe(action: str, detail: dict) -> str:
    """Return 'what happened' for the log, e.g. 'Stagedag verplaatst (was 06-10-2025, ...)'."""
    label = ACTIONS.get(action, action)
    if detail.get("summary"):
        return f"{label} ({detail['summary']})"
    parts = [f"{LABELS.get(key, key)}: {_value(value)}" for key, value in detail.items()]
    return f"{label} ({'; '.join(parts)})" if parts else label
