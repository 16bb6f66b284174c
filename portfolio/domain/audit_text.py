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


# ---------------------------------------------------------------- whole sentences for the log page

ACTOR_WORDS = {
    "coordinator": "De coördinator",
    "begeleider": "Stagebegeleider",
    "student": "Student",
    "mentor": "Mentor",
}
# Stored values said in words, per detail key.
WORDS = {
    "stage": {"tussentijds": "tussentijdse evaluatie", "eind": "eindevaluatie"},
    "role": {"begeleider": "stagebegeleider"},
    "verdict": {"nog-onduidelijk": "nog onduidelijk"},
}
# What someone did, per action, in the past tense; {name} fields come from the detail (dates
# written out, ids turned into names) and the whole sentence is dropped for the short form when
# a field is missing.
SENTENCES = {
    "placement.created": "maakte de stage aan van {first_day} tot {last_day} ({days} stagedagen)",
    "placement.assigned": "wijzigde de begeleiding of de mentor ({change})",
    "placement.stopped": "zette de stage stop op {stopped_at}",
    "day.added": "voegde stagedag {day} toe ({kind})",
    "day.moved": "verplaatste stagedag {old} naar {new}",
    "day.removed": "verwijderde stagedag {day}",
    "day.kind": "maakte van stagedag {day} een {new}-dag (was {old})",
    "day.presence": "noteerde de aanwezigheid op {day}: {new}",
    "deadline.extended": "verlengde de afsluiting tot {new}: {reason}",
    "stagepakket.signed": "ondertekende het stagepakket als {role}",
    "document.requested": "bood de {document} ter ondertekening aan",
    "document.signed": "ondertekende de {document} als {role}",
    "document.reopened": "opende de ondertekende {document} opnieuw; de handtekeningen vervielen",
    "document.settings": "zette de {document} {enabled}, te ondertekenen door {roles}",
    "evaluation.recorded": "beoordeelde {attitude} in de {stage}: {verdict}",
    "evaluation.remark_added": "voegde een {kind} toe aan de {stage}",
    "synthesis.proposed": "stelde de synthese voor: {is_pass}, {score}/20",
    "synthesis.decided": "legde de beslissing van de examencommissie vast: {confirmed}",
    "warning.recorded": "gaf waarschuwing {number}",
    "begeleiding.gepland": "plande een begeleidingsmoment ({type}) op {starts_at}",
    "begeleiding.aangevraagd": "vroeg een 1-op-1-gesprek aan op {starts_at}",
    "begeleiding.status": "zette een begeleidingsmoment op '{new}' (was '{old}')",
    "begeleiding.aanwezigheid": "noteerde de aanwezigheid bij een begeleidingsmoment: {new}",
    "begeleiding.afwezigheidsbriefje": "voegde een briefje toe bij een afwezigheid",
    "begeleiding.uren-programma": "zette het maximum aan 1-op-1-uren op {hours}",
    "begeleiding.uren-stage": "zette het maximum aan 1-op-1-uren voor deze stage op {hours}",
    "upload.add": "laadde het bestand '{name}' op",
    "upload.caption": "wijzigde het bijschrift van een bestand",
    "upload.delete": "verwijderde het bestand '{name}'",
    "pool.created": "maakte de pool {name} aan",
    "pool.member_added": "voegde {user} toe aan pool {pool}",
    "pool.member_removed": "haalde {user} uit pool {pool}",
    "holiday.added": "voegde de vrije dag {name} ({day}) toe",
    "holiday.removed": "verwijderde de vrije dag {name} ({day})",
    "semester.defaults": "wijzigde de standaard stagedagen van semester {semester}",
    "attitude.added": "voegde de attitude '{name}' toe",
    "attitude.changed": "hernoemde de attitude '{old_name}' tot '{name}'",
    "attitude.moved": "veranderde de volgorde van de attitudes",
    "attitude.archived": "archiveerde een attitude",
    "attitude.restored": "haalde een attitude uit het archief",
    "attitude.deleted": "verwijderde de attitude '{name}'",
    "user.created": "maakte een account aan voor {user}",
    "students.imported": "importeerde {count} studenten",
    "mentor_link.issued": "maakte een persoonlijke link aan voor mentor {mentor}",
    "mentor_link.revoked": "trok een persoonlijke link van een mentor in",
    "password_token.activatie": "stuurde {user} een activatielink",
    "password_token.reset": "vroeg een link aan om het wachtwoord van {user} te herstellen",
    "password.set": "koos een wachtwoord",
}
YES_NO_WORDS = {
    "is_pass": ("geslaagd", "niet geslaagd"),
    "confirmed": ("bevestigd", "niet bevestigd"),
    "enabled": ("aan", "uit"),
}
# Ids in a detail that are said as a name (user or pool); every other *_id is never shown.
NAMED_IDS = {"user_id": "user", "supervisor_id": "user", "mentor_id": "user", "pool_id": "pool"}
NAME_FIELDS = {"user_id": "user", "mentor_id": "mentor", "pool_id": "pool"}


def referenced_ids(detail: dict) -> set[tuple[str, int]]:
    """Return the (kind, id) pairs a detail names, nested old/new dicts included."""
    found = set()
    for key, value in detail.items():
        if isinstance(value, dict):
            found |= referenced_ids(value)
        elif key in NAMED_IDS and isinstance(value, int):
            found.add((NAMED_IDS[key], value))
    return found


def _said(key: str, value, names: dict) -> str:
    if key in YES_NO_WORDS and isinstance(value, bool):
        return YES_NO_WORDS[key][0 if value else 1]
    if key in NAMED_IDS:
        return "–" if value is None else names.get((NAMED_IDS[key], value), "(verwijderd)")
    if key in WORDS and isinstance(value, str):
        return WORDS[key].get(value, value)
    if isinstance(value, dict):
        return ", ".join(
            f"{LABELS[k]} {_said(k, v, names)}" for k, v in value.items() if k in LABELS
        )
    return _value(value)


def sentence(
    action: str, detail: dict, *, actor_name: str | None, actor_role: str | None, names: dict
) -> str:
    """Say an audit event as one Dutch sentence, e.g. 'De coördinator An Peeters verlengde
    de afsluiting tot 12-11-2025 23:59: ziekte.' Never shows ids, hashes or raw keys."""
    who = f"{ACTOR_WORDS.get(actor_role or '', 'Iemand')} {actor_name}" if actor_name else "De app"
    values = {key: _said(key, value, names) for key, value in detail.items()}
    for key, field in NAME_FIELDS.items():
        if key in detail:
            values[field] = _said(key, detail[key], names)
    if "old" in detail and isinstance(detail["old"], dict):
        values["change"] = f"was {values['old']}; wordt {values.get('new', '–')}"
    try:
        return f"{who} {SENTENCES[action].format_map(values)}."
    except KeyError:
        label = ACTIONS.get(action, "wijzigde iets").lower()
        return f"{who}: {label}."
