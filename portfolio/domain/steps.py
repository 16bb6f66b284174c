"""What each portfolio item holds: its fields, with the handbook's guiding prompts.

This is the contract between the item pages, the progress rules and the supervisors' views:
an item's `content` maps these field keys to Markdown text.
"""

from __future__ import annotations

from portfolio.domain import handbook_prompts as hb
from portfolio.domain.kind_spec import FieldSpec, KindSpec
from portfolio.domain.placement_documents import DOCUMENT_SPECS
from portfolio.models import ItemKind

REFLECTION_QUESTIONS = (
    FieldSpec(
        "wat_gebeurde",
        "1) Wat gebeurde er?",
        hb.REFLECTIE + " Beschrijf de situatie.",
    ),
    FieldSpec(
        "waaraan_lag",
        "2) Waaraan lag dit?",
        "Wat maakte dat het zo liep? Kijk naar jezelf, de kinderen, de context.",
    ),
    FieldSpec(
        "meenemen",
        "3) Wat neem ik mee naar de toekomst?",
        "Wat wil je behouden, anders doen of uitproberen?",
    ),
)

DESIGN_PARTS = (
    FieldSpec("beginsituatie", "Beginsituatie", "Wie is je doelgroep, wat kunnen en kennen ze al?"),
    FieldSpec("doel", "Doel", "Wat wil je bereiken? Welke doelen staan centraal?"),
    FieldSpec("aanbod", "Aanbod", "Wat bied je aan? " + hb.AANBOD),
    FieldSpec(
        "begeleiding", "Begeleiding", "Hoe begeleid je? Welke vragen stel je, hoe differentieer je?"
    ),
    FieldSpec("organisatie", "Organisatie", "Tijd, ruimte, materiaal, groepering."),
)
MENTOR_OFFER_PART = FieldSpec(
    "accenten",
    "Accenten in je begeleiding",
    hb.ACCENTEN,
)

SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            ItemKind.NULDOCUMENT,
            "0-document: gegevens student en stageplaats",
            "Je persoonlijke gegevens en die van je stageplaats. Dit document gaat mee naar je "
            "volgende stage ('overheen de stages').",
            (
                FieldSpec("adres_student", "Jouw adres", rows=2),
                FieldSpec("telefoon_student", "Jouw telefoonnummer", rows=1),
                FieldSpec("noodcontact", "Contactpersoon in noodgevallen", rows=2),
                FieldSpec("stageplaats", "Naam stageplaats", rows=1),
                FieldSpec("adres_stageplaats", "Adres stageplaats", rows=2),
                FieldSpec(
                    "type_stageplaats",
                    "Soort stageplaats en context",
                    "Bv. kleuterschool, buitengewoon onderwijs, jeugdwerk, buitenschoolse "
                    "opvang, CLB, museumeducatie, ziekenhuisschool.",
                    rows=2,
                ),
                FieldSpec("mentoren", "Mentor(en): namen en e-mailadressen", rows=3),
                FieldSpec("directie", "Directie of verantwoordelijke", rows=2),
                FieldSpec("stagedagen", "Semester en stagedagen", rows=2),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.VERKENNING,
            "Verkenningsgesprek met je mentor",
            "Bespreek met je mentor wat kan en wat niet kan. Noteer je voorbereiding en de "
            "afspraken in je feedbackschrift en zet er een foto van op je portfolio.",
            (
                FieldSpec(
                    "voorbereiding",
                    "Voorbereiding van het gesprek",
                    "Wat wil je weten? Welke vragen stel je aan je mentor?",
                ),
                FieldSpec(
                    "afspraken",
                    "Gemaakte afspraken",
                    "Wat spraken jullie af over je rol, je taken en je stagedagen?",
                ),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.BEGINSITUATIE,
            "Stap 1: beginsituatie in kaart brengen",
            "Je verzamelt informatie vanuit je specifieke stagecontext. Je observeert, participeert, "
            "onderzoekt en stelt je nieuwsgierig en leergierig op ten aanzien van de mentor.",
            (
                FieldSpec("doelgroep", "Doelgroep", hb.DOELGROEP),
                FieldSpec("context", "Context", hb.CONTEXT, more=hb.CONTEXT_MORE),
                FieldSpec("klemtonen", "Klemtonen", hb.KLEMTONEN),
                FieldSpec(
                    "betekenis", "Persoonlijke betekenis", hb.BETEKENIS, more=hb.BETEKENIS_MORE
                ),
                FieldSpec(
                    "vragen",
                    "Vragen die ik me stel",
                    hb.VRAGEN + " Wat komt er bij me op? Wat geeft me vleugels? Waar kijk ik "
                    "tegenop? Leg linken met de cursussen, wat je las, vorige ervaringen en de "
                    "actualiteit.",
                    more=hb.VRAGEN_MORE,
                ),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.ACTIEPUNT,
            "Stap 2: actiepunt",
            "Vanuit je doelgroep, de context en de klemtonen kom je tot meerdere actiepunten voor je "
            "stagepakket. Verantwoord je keuze en zoek er telkens extra informatie over op.",
            (
                FieldSpec(
                    "actiepunt",
                    "Actiepunt",
                    "Bv. een bestaande wandeling hervormen, een zieke "
                    "kleuter uitdagen via begeleid aanbod, een MDO-gesprek ondersteunen.",
                    3,
                ),
                FieldSpec("verantwoording", "Verantwoording", hb.VERANTWOORDING),
                FieldSpec("informatie", "Opgezochte informatie", hb.INFORMATIE),
            ),
            singleton=False,
            scope="free",
        ),
        KindSpec(
            ItemKind.AANPAK,
            "Stap 3: aanpak",
            "Onderaan je planning noteer je waar je in je aanpak rekening mee zal houden, naar "
            "kinderen en naar collega's en ouders.",
            (
                FieldSpec(
                    "leerkrachtstijl",
                    "Leerkrachtstijl",
                    "Hoe zou ik het graag zien? Wat zie ik mezelf doen? Hoe zou het eruit zien "
                    "als ik tevreden ben?",
                    more=hb.AANPAK_MORE,
                ),
                FieldSpec(
                    "sfeer_relatie",
                    "Sfeer en relatie",
                    "Hoe zorg ik mee voor een fijne sfeer op de werkvloer?",
                ),
                FieldSpec(
                    "organisatie",
                    "Organisatie",
                    "Hoe organiseer ik me online/off-line voor een teamvergadering?",
                ),
                FieldSpec(
                    "collegas_ouders",
                    "Naar collega's en ouders",
                    "Hoe ga ik met collega’s of ouders om? Welke ondersteuning heb ik nodig?",
                ),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.AANBOD,
            "Stap 3: aanbod in het werkrooster",
            "Gepland aanbod per stagedag: eigen aanbod of overgenomen van je mentor.",
            (
                FieldSpec("tijd", "Tijdstip", "Bv. 9.00 - 9.45", rows=1),
                FieldSpec("omschrijving", "Omschrijving", "Wat bied je aan, voor wie?", rows=3),
            ),
            singleton=False,
            scope="stage_day",
        ),
        KindSpec(
            ItemKind.AGENDA,
            "Stap 3: agenda",
            "Wat er die stagedag echt gebeurde; je mag de agenda achteraf aanvullen.",
            (FieldSpec("verloop", "Verloop van de dag", "Wat deed je, wat gebeurde er nog?"),),
            singleton=True,
            scope="stage_day",
        ),
        KindSpec(
            ItemKind.DENKWERK,
            "Stap 4: denkwerk",
            "Elk eigen aanbod werk je uit: beginsituatie, doel, aanbod, begeleiding en organisatie.",
            DESIGN_PARTS + (MENTOR_OFFER_PART,),
            singleton=True,
            scope="offer",
        ),
        KindSpec(
            ItemKind.REFLECTIE,
            "Stap 5: reflectie",
            "Na elke stagedag blik je terug aan de hand van de drie basisreflectievragen. Je kiest "
            "zelf de vorm: tekst, beeld met ondersteunende tekst, of een audio- of video-opname.",
            REFLECTION_QUESTIONS,
            singleton=True,
            scope="stage_day",
        ),
        KindSpec(
            ItemKind.ONTWERPWERK,
            "Ontwerpwerk",
            "Vrije ideeën, 'digitale post-its'. Geen moetje en geen onderdeel van de evaluatie.",
            (
                FieldSpec(
                    "idee",
                    "Idee",
                    "Wat zou ik eens graag uitproberen? Misschien anders willen doen? Hoe zou "
                    "het er in “jouw” klas kunnen uitzien?",
                    more=hb.ONTWERPWERK_MORE,
                ),
            ),
            singleton=False,
            scope="free",
        ),
        KindSpec(
            ItemKind.STAGEPAKKET,
            "Stagepakket",
            "Je persoonlijk stagepakket, voorgesteld met je mentor na de OPR-dagen, besproken met je "
            "stagebegeleider en door alle drie ondertekend vóór de realisatieperiode.",
            (
                FieldSpec(
                    "taken", "Taken en opdrachten", "Welke taak neem je op in je stagecontext?"
                ),
                FieldSpec("leervragen", "Leervragen en groeikansen", hb.STAGEPAKKET),
                FieldSpec(
                    "afspraken", "Afspraken", "Wat spraken jullie af (planning, ondersteuning)?"
                ),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.LAATSTE_REFLECTIE,
            "Laatste reflectie",
            hb.LAATSTE_REFLECTIE_INTRO,
            # Its own prompts; the keys stay those of the daily reflection so nothing written
            # before is lost.
            (
                FieldSpec("wat_gebeurde", "Terugblik op je hele stage", hb.LAATSTE_TERUGBLIK),
                FieldSpec(
                    "waaraan_lag",
                    "Reflectie op je eigen leerproces",
                    hb.LAATSTE_LEERPROCES,
                    more=hb.LAATSTE_LEERPROCES_MORE,
                ),
                FieldSpec("meenemen", "Mijn groei als leraar", hb.GROEI_ALS_LERAAR),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.COACHING,
            "Voorbereiding coachingsgesprek",
            "Bereid het afrondend coachingsgesprek voor.",
            (
                FieldSpec("groei", "Waarin ben ik gegroeid?", "Kijk vanuit de attitudes."),
                FieldSpec("vragen", "Mijn vragen voor het gesprek"),
            ),
            singleton=True,
        ),
        KindSpec(
            ItemKind.PRESENTATIE,
            "Presentatie",
            hb.PRESENTATIE + " Zet je slides (of foto's ervan) of je opname hier.",
            (FieldSpec("toelichting", "Toelichting", rows=4),),
            singleton=True,
        ),
        KindSpec(
            ItemKind.PRESENTATIE_ATTITUDE,
            "Bijdrage aan je groei per attitude",
            hb.GROEI_ALS_LERAAR,
            (FieldSpec("bijdrage", "Bijdrage aan mijn groei"),),
            singleton=True,
            scope="attitude",
        ),
        KindSpec(
            ItemKind.ZELFBEELD,
            "Waar sta ik? (per attitude)",
            "Vóór de start: hoe zie je jezelf ten aanzien van elke attitude?",
            (FieldSpec("tekst", "Waar sta ik?", hb.ZELFBEELD),),
            singleton=True,
            scope="attitude",
        ),
        *DOCUMENT_SPECS,
    )
}

# Which kinds a mentor may read (reflections and self-assessments are personal).
MENTOR_VISIBLE_KINDS = frozenset(
    {
        ItemKind.VERKENNING,
        ItemKind.AANBOD,
        ItemKind.AGENDA,
        ItemKind.DENKWERK,
        ItemKind.STAGEPAKKET,
        ItemKind.STAGEOVEREENKOMST,
        ItemKind.RISICOANALYSE,
        ItemKind.PRESENTATIE,
        ItemKind.NULDOCUMENT,
    }
)


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


def _filled(content: dict, key: str) -> bool:
    value = content.get(key)
    return isinstance(value, str) and value.strip() != ""


def is_own_offer(offer_content: dict) -> bool:
    """An offer is the student's own unless marked as taken over from the mentor."""
    return offer_content.get("bron", "eigen") != "mentor"


def design_is_ready(design_content: dict, *, own_offer: bool) -> bool:
    """A design is ready when all five parts are filled in (own offer) or the accents (mentor's)."""
    if own_offer:
        return all(_filled(design_content, part.key) for part in DESIGN_PARTS)
    return _filled(design_content, MENTOR_OFFER_PART.key)


def reflection_is_written(content: dict, *, has_recording: bool = False) -> bool:
    """A reflection counts when the three questions are answered, or a recording holds them."""
    return has_recording or all(_filled(content, q.key) for q in REFLECTION_QUESTIONS)


def filled_count(kind: str, content: dict) -> tuple[int, int]:
    """Return (fields filled, fields in total) for a progress view."""
    keys = spec_for(kind).field_keys()
    return sum(_filled(content, key) for key in keys), len(keys)
