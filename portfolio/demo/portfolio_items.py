"""Demo: Sara's portfolio half-way her placement, written through the real item operations.

0-document, self-assessment, verkenningsgesprek, step 1, two action points, the aanpak, offers
on past and coming days (designs ready, one late, one not ready yet), agendas, reflections for
the past days except one, an idea, and a stagepakket signed by student and mentor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from portfolio.clock import now, start_of_day, today_in_brussels
from portfolio.domain import items as ops
from portfolio.domain import signing
from portfolio.models import Attitude, Item, ItemKind, StageDay, User

OFFERS = [
    ("Onthaalkring met de praatpop", "8.45 - 9.15", "eigen"),
    ("Turnles: evenwicht", "10.30 - 11.15", "mentor"),
    ("Verfatelier: kleuren mengen", "13.15 - 14.00", "eigen"),
    ("Voorleesmoment 'De Gruffalo'", "14.15 - 14.35", "mentor"),
    ("Bouwhoek: een brug voor de geitjes", "9.30 - 10.15", "eigen"),
]
DESIGN = {
    "beginsituatie": "22 kleuters van de tweede kleuterklas; vijf kleuters spreken thuis "
    "geen Nederlands. Ze kennen de primaire kleuren.",
    "doel": "De kleuters ontdekken dat je door twee kleuren te mengen een nieuwe kleur krijgt "
    "en verwoorden wat ze zien.",
    "aanbod": "Drie tafels met verf, pipetten en koffiefilters. **Wauw-moment**: de filters "
    "samen in het raam hangen.",
    "begeleiding": "Open vragen: *Wat zie je gebeuren? Wat denk je dat er gebeurt als...?* "
    "Kleuters die taal zoeken krijg ik met gebaren en beelden mee.",
    "organisatie": "Vier groepjes van vijf à zes, 40 minuten. Materiaal klaar vóór de speeltijd.",
}
REFLECTIONS = [
    (
        "In de onthaalkring wilden drie kleuters tegelijk vertellen over het weekend.",
        "Ik had geen afspraak gemaakt over wie mocht spreken; de praatpop lag nog in de kast.",
        "Ik start de kring voortaan met de praatpop en een vaste volgorde.",
    ),
    (
        "Tijdens het verfatelier mengde een stille kleuter spontaan groen en vertelde erover.",
        "Het materiaal nodigde uit; ik gaf tijd en stelde één open vraag.",
        "Minder uitleggen, meer laten ontdekken; ik noteer zulke momenten in mijn agenda.",
    ),
    (
        "De overgang van speeltijd naar de turnles verliep chaotisch.",
        "De kleuters wisten niet waar ze moesten gaan zitten; ik stond nog materiaal te zoeken.",
        "Materiaal klaarzetten vóór de speeltijd en een vast liedje als signaal gebruiken.",
    ),
]


def _at(day, hours: float) -> datetime:
    """A moment on a stage day, counted from 00:00 in Brussels."""
    return start_of_day(day) + timedelta(hours=hours)


def seed(session: Session, demo) -> None:
    placement = demo.placements["student"]
    student: User = demo.users["student"]
    mentor: User = demo.users["mentor"]
    moment = now()
    days = list(
        session.exec(
            select(StageDay).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        )
    )
    before = _at(days[0].day, -72)  # three days before the first stage day

    def fill(item: Item, when: datetime, **content) -> Item:
        # Coming days are prepared "now" at the latest: nothing is saved in the future.
        return ops.save_item(
            session,
            item,
            content=content,
            base_version=item.version,
            actor=student,
            moment=min(when, moment),
        )

    def single(kind: str, when: datetime, **scope) -> Item:
        return ops.get_or_create_item(session, placement, kind, actor=student, moment=when, **scope)

    fill(
        single(ItemKind.NULDOCUMENT, before),
        before,
        adres_student="Kerkstraat 14, 2500 Lier",
        telefoon_student="0470 12 34 56",
        noodcontact="Mama: Ann Student, 0475 65 43 21",
        directie="Directeur: Hilde Peeters",
    )
    for attitude in session.exec(select(Attitude).order_by(Attitude.position).limit(3)):
        fill(
            single(ItemKind.ZELFBEELD, before, attitude_id=attitude.id),
            before,
            tekst=f"Rond **{attitude.name.lower()}** zette ik in mijn vorige stage stappen; "
            "ik wil hier verder in groeien door meer initiatief te nemen.",
        )
    fill(
        single(ItemKind.VERKENNING, before),
        before,
        voorbereiding="- Welke rol mag ik opnemen in de klas?\n- Wanneer kan ik met je "
        "overleggen?\n- Welke thema's komen de komende weken aan bod?",
        afspraken="Ik neem vanaf week 3 de onthaalkring op. Overleg elke dinsdag na schooltijd.",
    )
    fill(
        single(ItemKind.BEGINSITUATIE, _at(days[1].day, 19)),
        _at(days[1].day, 19),
        doelgroep="Tweede kleuterklas, 22 kleuters, veel nieuwkomers.",
        context="Stadsschool met een grote speelplaats en een moestuin; ik ben vooral "
        "**ondersteuner** en stilaan ontwerper.",
        klemtonen="Taalstimulering en buitenspelen staan centraal.",
        betekenis="Ik geloof sterk in spelend leren; dat past bij wie ik ben.",
        vragen="Hoe betrek ik de stille kleuters meer?",
    )
    for when, text in (
        (
            _at(days[2].day, 20),
            (
                "De speelplaatswandeling hervormen",
                "Buitenspelen is een klemtoon van de school.",
                "Leerwandeling en artikel over natuurbeleving bij kleuters.",
            ),
        ),
        (
            _at(days[3].day, 20),
            (
                "Een taalrijke onthaalkring met de praatpop",
                "Veel nieuwkomers in de klas.",
                "Cursus taalontwikkeling, gesprek met de zorgleerkracht.",
            ),
        ),
    ):
        point = ops.create_item(session, placement, ItemKind.ACTIEPUNT, actor=student, moment=when)
        fill(point, when, actiepunt=text[0], verantwoording=text[1], informatie=text[2])
    fill(
        single(ItemKind.AANPAK, _at(days[3].day, 20)),
        _at(days[3].day, 20),
        leerkrachtstijl="Rustig, uitnodigend, veel op ooghoogte.",
        sfeer_relatie="Elke kleuter 's morgens persoonlijk begroeten.",
    )
    _seed_timetable(session, placement, student, days, moment, fill)
    idea = ops.create_item(session, placement, ItemKind.ONTWERPWERK, actor=student, moment=before)
    fill(idea, before, idee="Een *voelpad* op de speelplaats met materialen uit de moestuin.")
    package = single(ItemKind.STAGEPAKKET, _at(days[5].day, 20))
    fill(
        package,
        _at(days[5].day, 20),
        taken="De onthaalkring en het verfatelier op de R-dagen.",
        leervragen="Hoe betrek ik stille kleuters?",
        afspraken="Wekelijks overleg met de mentor op dinsdag.",
    )
    session.flush()
    for signer in (student, mentor):
        signing.sign(session, package, placement, signer=signer, moment=_at(days[5].day, 21))
    session.flush()


def _seed_timetable(session, placement, student, days, moment, fill) -> None:
    """Offers from the fourth stage day to two days ahead; designs, agendas, reflections."""
    today = today_in_brussels(moment)
    past = [d for d in days if d.day < today]
    coming = [d for d in days if d.day >= today]
    planned = past[3:] + coming[:2]
    for index, day in enumerate(planned):
        title, time, source = OFFERS[index % len(OFFERS)]
        evening_before = min(_at(day.day, -4), moment)
        offer = ops.create_item(
            session,
            placement,
            ItemKind.AANBOD,
            title=title,
            content={"tijd": time, "omschrijving": "Met de hele klas.", "bron": source},
            stage_day_id=day.id,
            actor=student,
            moment=min(evening_before - timedelta(days=2), moment),
        )
        design = ops.get_or_create_item(
            session,
            placement,
            ItemKind.DENKWERK,
            parent_id=offer.id,
            actor=student,
            moment=evening_before,
        )
        if day is planned[-1]:
            fill(design, evening_before - timedelta(days=1), doel=DESIGN["doel"])  # not ready yet
        elif source == "mentor":
            fill(design, evening_before, accenten="Meer open vragen; de stille kleuters eerst.")
        elif index == 2:
            fill(design, _at(day.day, 7.5), **DESIGN)  # finished that morning: late
        else:
            fill(design, evening_before, **DESIGN)
    for index, day in enumerate(past):
        if index == len(past) - 2:
            continue  # one reflection is missing
        answer = REFLECTIONS[index % len(REFLECTIONS)]
        reflection = ops.get_or_create_item(
            session,
            placement,
            ItemKind.REFLECTIE,
            stage_day_id=day.id,
            actor=student,
            moment=_at(day.day, 17),
        )
        fill(
            reflection,
            _at(day.day, 18),
            wat_gebeurde=answer[0],
            waaraan_lag=answer[1],
            meenemen=answer[2],
        )
        if index % 3 == 0:
            agenda = ops.get_or_create_item(
                session,
                placement,
                ItemKind.AGENDA,
                stage_day_id=day.id,
                actor=student,
                moment=_at(day.day, 17),
            )
            fill(agenda, _at(day.day, 18.5), verloop="Onthaal, kring, speeltijd, hoeken, turnen.")
