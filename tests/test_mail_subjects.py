"""Issue 13's rule: every mail subject is a correct Dutch sentence. Each mail template is
rendered with sample data and its subject compared with the sentence expected."""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace as Sample

import pytest

from portfolio.domain.placement_documents import DOCUMENTS, STAGEPAKKET
from portfolio.mail import render_mail
from portfolio.models import ItemKind
from portfolio.notices.reminders import Reminder

MAIL_TEMPLATES = Path(__file__).parent.parent / "portfolio" / "templates" / "mail"
WHEN = datetime(2025, 10, 15, 8, 0, tzinfo=UTC)

student = Sample(id=1, name="Eva Peeters", role="student")
supervisor = Sample(id=2, name="Jan Claes", role="begeleider")
mentor = Sample(id=3, name="Mona Maes", role="mentor")
talk = Sample(starts_at=WHEN, duration_minutes=60, questions="Hoe start ik?", status="gepland")
placement = Sample(id=7, site_name="Kleuterschool Zonnebloem")
contract = DOCUMENTS[ItemKind.STAGEOVEREENKOMST]
signed = {
    "student": student,
    "placement": placement,
    "doc": STAGEPAKKET,
    "parties": "",
    "party_count": 3,
}
reminder = Reminder(1, "reflectie", "k", "Je schreef nog geen reflectie.", "http://x/")

# (template, context, expected subject)
CASES = [
    ("feedback_request", {"student": student, "label": "Stap 1"}, "Eva Peeters vraagt je om feedback"),
    ("feedback_given", {"author": supervisor, "is_note": False, "label": "Stap 1"}, "Jan Claes gaf feedback op je portfolio"),
    ("feedback_given", {"author": mentor, "is_note": True, "label": "Stap 1"}, "Mona Maes schreef een notitie bij je portfolio"),
    ("feedback_reply", {"replier": student, "label": "Stap 1"}, "Eva Peeters antwoordde op je feedback"),
    ("talk_to_supervisor", {"student": student, "talk": talk, "cancelled": False, "duration": "1 u"}, "Eva Peeters vraagt een 1-op-1 gesprek aan"),
    ("talk_to_supervisor", {"student": student, "talk": talk, "cancelled": True, "duration": "1 u"}, "Eva Peeters annuleerde een 1-op-1 gesprek"),
    ("talk_to_student", {"talk": talk, "what": "bevestigd"}, "Je 1-op-1 gesprek is bevestigd"),
    ("talk_to_student", {"talk": talk, "what": "geannuleerd"}, "Je 1-op-1 gesprek is geannuleerd"),
    ("warning", {"warning": Sample(number=2), "author": supervisor, "stopping": 3}, "Je stagebegeleider gaf je waarschuwing 2"),
    ("stop", {"recipient": student, "student": student, "placement": placement}, "Je stage is stopgezet"),
    ("stop", {"recipient": mentor, "student": student, "placement": placement}, "De stage van Eva Peeters is stopgezet"),
    ("extension", {"recipient": student, "student": student, "closes_at": WHEN, "reason": "Ziekte"}, "Je portfolio blijft open tot 15 oktober 2025 om 10:00"),
    ("extension", {"recipient": supervisor, "student": student, "closes_at": WHEN, "reason": "Ziekte"}, "Het portfolio van Eva Peeters blijft open tot 15 oktober 2025 om 10:00"),
    ("decision", {"recipient": student, "student": student, "synthesis": Sample(board_confirmed=True, board_note="")}, "De examencommissie heeft over je stage beslist"),
    ("decision", {"recipient": supervisor, "student": student, "synthesis": Sample(board_confirmed=False, board_note="x")}, "De examencommissie heeft over de stage van Eva Peeters beslist"),
    ("reminders", {"reminders": [reminder]}, "Het stageportfolio heeft 1 herinnering voor je"),
    ("reminders", {"reminders": [reminder, reminder]}, "Het stageportfolio heeft 2 herinneringen voor je"),
    ("password_link", {"user": student, "url": "http://x/", "purpose": "activatie", "expires_at": WHEN}, "Kies je wachtwoord voor het stageportfolio"),
    ("password_link", {"user": student, "url": "http://x/", "purpose": "reset", "expires_at": WHEN}, "Kies een nieuw wachtwoord voor het stageportfolio"),
    ("password_link", {"user": student, "url": "http://x/", "purpose": "ontgrendelen", "expires_at": WHEN}, "Je account van het stageportfolio is een kwartier vergrendeld"),
    ("mentor_link", {"mentor": mentor, "url": "http://x/", "expires_at": WHEN}, "Open het stageportfolio met je persoonlijke link"),
    ("signing_requested", {"recipient": mentor, **signed}, "Eva Peeters vraagt je handtekening onder het stagepakket"),
    ("signing_complete", {"recipient": student, **signed}, "Je stagepakket is ondertekend door alle partijen"),
    ("signing_complete", {"recipient": mentor, **signed}, "Het stagepakket van Eva Peeters is ondertekend door alle partijen"),
    ("signing_voided", {"recipient": student, **signed}, "Je stagepakket is heropend en de handtekeningen zijn vervallen"),
    ("signing_voided", {"recipient": supervisor, **signed}, "Eva Peeters heropende het stagepakket en je handtekening is vervallen"),
    ("signing_requested", {"recipient": mentor, **signed, "doc": contract}, "Eva Peeters vraagt je handtekening onder de stageovereenkomst"),
    ("signing_complete", {"recipient": mentor, **signed, "doc": contract, "parties": "de student en de mentor", "party_count": 2}, "De stageovereenkomst van Eva Peeters is ondertekend door alle partijen"),
    ("signing_voided", {"recipient": student, **signed, "doc": contract}, "Je stageovereenkomst is heropend en de handtekeningen zijn vervallen"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "context", "expected"), CASES)
def test_every_subject_is_the_expected_dutch_sentence(app, template, context, expected):
    context.setdefault("recipient", student)
    with app.test_request_context():
        subject, body = render_mail(template, **context)
    assert subject == expected
    assert body.strip(), "a mail needs a text under its subject"
    # A sentence: starts with a capital, no doubled words or articles ("Nieuwe een notitie").
    assert subject[0].isupper() and "  " not in subject
    words = subject.lower().split()
    assert not any(a == b for a, b in zip(words, words[1:], strict=False))
    assert not any(
        a in {"een", "de", "het"} and b in {"een", "de", "het"}
        for a, b in zip(words, words[1:], strict=False)
    )


def test_every_mail_template_has_a_case():
    templates = {p.stem for p in MAIL_TEMPLATES.glob("*.txt") if not p.name.startswith("_")}
    assert templates == {template for template, _context, _expected in CASES}
