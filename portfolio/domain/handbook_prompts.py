"""The handbook's guiding questions, verbatim, for the fields of `portfolio.domain.steps`.

Source: the placement handbook "Keuzestage BAKO" (`../shared/seeds/002_*.txt`). The words are
the handbook's own (its typography too); only the split into a short prompt beside a field and
the longer lists under "Meer vragen uit de handleiding" is ours. Where the handbook gives no
question for a field, `steps.py` keeps a short prompt of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoreQuestions:
    """A lead sentence from the handbook and the questions that follow it."""

    lead: str
    questions: tuple[str, ...] = ()


MORE_SUMMARY = "Meer vragen uit de handleiding"

# Stap 1 --------------------------------------------------------------------------------------
DOELGROEP = (
    "Je observeert of bevraagt je doelgroep. Voor wie biedt mijn stageplaats een aanbod? Hoe kan "
    "ik dat doelpubliek leren kennen, doorgronden?"
)
CONTEXT = (
    "Je brengt de context van je specifieke stageplaats in beeld. Waar is mijn stageplaats "
    "gelegen? Welke relatie heeft deze met de samenleving? Hoe ziet de inrichting van mijn "
    "stageplaats eruit? Welke rol neem ik op in het team (begeleider, leerkracht, ontwerper, "
    "ondersteuner, …)? Wat maakt mijn stagecontext specifiek (actualiteit, outdoor/indoor, "
    "ontspanning/educatief/sociaal, …)."
)
CONTEXT_MORE = (
    MoreQuestions(
        "In deze eerste stap breng je in kaart hoe het er bij je mentor aan toegaat. Als je iets "
        "ziet dat je niet goed begrijpt, vraag dan zeker om verduidelijking.",
        (
            "Waarom doen jullie deze activiteit op deze manier?",
            "Hoe heb je je voorbereid om dit zo uit te voeren?",
            "Welke soort vragen stel je aan de doelgroep?",
        ),
    ),
    MoreQuestions(
        "Probeer je benieuwd en geïnteresseerd op te stellen zodat je kan komen tot open "
        "gesprekken. Het is immers erg boeiend om te weten te komen waarom mensen doen wat ze doen.",
        (
            "Wat maakt dat je mentor soms een aparte regeling treft?",
            "Hoe staat je mentor/stagecontext tegenover ouderparticipatie/differentiatie/inbreng "
            "van kinderen/…?",
        ),
    ),
)
KLEMTONEN = (
    "Welke klemtonen legt je stageplaats? Waar hechten ze veel belang aan? Welke doelen staan op "
    "jouw stageplaats extra in de kijker? Welke visie staat er centraal?"
)
BETEKENIS = (
    "Tracht aan wat je ziet in je stagecontext op een persoonlijke manier betekenis te geven, "
    "zoals je dat in LiO-1 hebt geleerd vanuit de kernvraag: hoe verhoud ik me ertoe als "
    "persoon? Wat doet het met me? Wat denk of voel ik erbij, en wat wil ik ermee?"
)
BETEKENIS_MORE = (
    MoreQuestions(
        "Snor in LiO-1 de hulpvraagjes hiervoor nog eens op die je kunnen helpen om op een "
        "doorleefde manier stil te staan bij de dingen vanuit de ‘gelaagdheid’ van de persoon: "
        "geloof ik erin (overtuigingen); past het bij me (identiteit); hoe raakt dit aan mijn "
        "idealen van waaruit ik me gedreven voel om leerkracht te worden?"
    ),
)
VRAGEN = "Vanuit je observeren stel je jezelf een aantal vragen."
LINK_COURSES_READING = (
    "Kijk of je linken met de cursussen kan leggen? – Of heb je ergens iets boeiend gelezen dat "
    "hierbij aansluit of net het tegenovergestelde zegt?"
)
VRAGEN_MORE = (
    MoreQuestions(
        "Mogelijke vragen:",
        (
            "Wat komt er bij me op als ik terugdenk aan wat ik zie?",
            "Wat geeft me goesting? Wat doet me dromen?",
            "Welke vragen stel ik me?",
            "Wat blijft er hangen? Hoe kijk ik er zelf naar?",
            "Welke overtuigingen zouden er kunnen zitten achter dat wat ik zie?",
            "Hoe zou het ideale eruit zien? …",
        ),
    ),
    MoreQuestions(LINK_COURSES_READING + " – Of…"),
    MoreQuestions(
        "Je participeert mee in de werking van de mentor (co-teaching, overleg in team over een "
        "volgend project, meehelpen bij een specifieke situatie, een praatje met de "
        "ouders/medewerkers, zorg bieden in een groepje bij het eerste leerjaar, …). Ook vanuit "
        "deze ervaringen kan je heel wat zaken even onder de loep nemen, bij stilstaan, verder "
        "over denken in je ontwerpwerk. Mogelijke vragen:",
        (
            "Wat doe ik graag? Wat geeft me vleugels?",
            "Waar kijk ik tegenop?",
            "Wat bezorgt me zenuwen?",
            "Wat zie ik nog niet zitten?",
            "Wat zou ik eens graag uitproberen? Misschien anders willen doen?",
            "Wat is een stapje uit mijn comfortzone? Wat heb ik nodig om die stap te durven "
            "zetten?",
            "Hoe pak ik dat best aan?",
        ),
    ),
    MoreQuestions(
        LINK_COURSES_READING + " – Welke vorige ervaring(en) kan ik inbrengen? Wat denk ik zelf "
        "dat werkt? Waarom denk ik dat? Of zie je een link met een topic uit de actualiteit?"
    ),
)

# Ontwerpwerk ---------------------------------------------------------------------------------
ONTWERPWERK_MORE = (
    MoreQuestions(
        "Soms zal je jezelf vragen stellen, zie je een mogelijkheid om het zelf anders te doen, "
        "zag je ergens een boeiend idee,… en wil je dat niet kwijt geraken of wel graag eens "
        "delen met je begeleider of medestudenten."
    ),
    MoreQuestions(
        "Durf je nog een stap verder gaan? Uit je comfortzone? Misschien nog niet in realiseren "
        "maar droom gerust groots. Werk, denk, teken het uit in een ontwerpfiche en neem de kans "
        "om samen met anderen (medestudenten, begeleider, docent) te onderzoeken wat je van "
        "ondersteuning nodigt hebt om deze uitdaging aan te gaan."
    ),
)

# Stap 2 --------------------------------------------------------------------------------------
VERANTWOORDING = (
    "Je verantwoordt hoe je tot je keuzes/actiepunten bent gekomen. Je maakt een kwalitatieve "
    "brainstorm en zoekt er telkens extra informatie over op."
)
INFORMATIE = (
    "Bv. info verzamelen uit een leerwandeling in het vrijbroekpark leerwandeling, cursussen "
    "opsnorren, extra opzoekwerk i.f.v. een doelgroep of methode, …"
)

# Stap 3 --------------------------------------------------------------------------------------
AANPAK_MORE = (
    MoreQuestions(
        "Mogelijke vragen:",
        (
            "Hoe zou ik het graag zien?",
            "Wat zie ik mezelf doen? Hoe zou het eruit zien als ik tevreden ben?",
            "Waar loop ik nog tegenaan? Wat houdt me tegen?",
            "Welke ondersteuning heb ik nodig?",
        ),
    ),
    MoreQuestions(
        "Kan ik linken leggen met de cursussen? Geziene theorie? Wat zegt die theorie of dat "
        "kader? Wat kan ik daarvan meenemen? Welke vorige ervaring(en) kan ik inbrengen? Wat "
        "denk ik zelf dat werkt? Waarom denk ik dat? …"
    ),
)

# Stap 4 --------------------------------------------------------------------------------------
AANBOD = (
    "Neem de tijd om je aanbod grondig uit te denken en uit te werken. Durf een stapje verder te "
    "gaan, denk na en werk uit totdat je er zelf een ‘Wauw-gevoel’ bij hebt."
)
ACCENTEN = (
    "Bij het aanbod dat je overneemt van je mentor denk je na welke accenten je in je begeleiding "
    "graag zou leggen."
)

# Stap 5 and the end --------------------------------------------------------------------------
REFLECTIE = "Na elke stagedag blik je terug op iets dat de voorbije dag aan bod kwam."
LAATSTE_REFLECTIE_INTRO = (
    "Na het beëindigen van je laatste stagedag heb je nog 2 dagen de tijd voor het aanvullen van "
    "je laatste reflectie. Dan sluiten we de portfolio af. In de week na de stage heb je een "
    "afrondend gesprek."
)
LAATSTE_TERUGBLIK = (
    "Blik terug op je hele stage, op wat we verwachten: eerst actief de stageplaats verkennen en "
    "doorgronden (heersende organisatiecultuur gewaarworden, voelen, in kaart brengen, …); "
    "vervolgens onder begeleiding meedraaien; nadien zelf verantwoordelijk zijn voor de taak die "
    "je opneemt binnen de specifieke stagecontext."
)
LAATSTE_LEERPROCES = (
    "Terugblikken, reflectie op eigen leerproces: deze keuzestage daagt je uit om je "
    "leerkrachtenbril te verrijken en jouw attitudes optimaal in te zetten en verder te "
    "ontplooien."
)
LAATSTE_LEERPROCES_MORE = (
    MoreQuestions(
        "Welke weg heb je er reeds rond afgelegd, waar lagen de obstakels, welke vorderingen heb "
        "je gemaakt, welke uitdagingen zie je voor jezelf, welke ambities of idealen schuif je "
        "voor jezelf naar voor?"
    ),
)
GROEI_ALS_LERAAR = (
    "Vanuit de attitudes expliciet maken welke bijdrage het levert aan jouw groei als leraar."
)
STAGEPAKKET = (
    "Door vooraf de website van je stagecontext grondig te bekijken en/of je over de specifieke "
    "werking van je stageplaats in te lezen en bij jezelf te onderzoeken waar je leervragen en "
    "groeikansen zijn, kom je zelf tot ideeën voor je stagepakket."
)
ZELFBEELD = (
    "Bijv. welke weg heb je er reeds rond afgelegd, waar lagen de obstakels, welke vorderingen "
    "heb je gemaakt, welke uitdagingen zie je voor jezelf, welke ambities of idealen schuif je "
    "voor jezelf naar voor?"
)
PRESENTATIE = (
    "Je ervaring delen aan de hand van een presentatie waar je hoorbaar en zichtbaar naar buiten "
    "komt."
)
