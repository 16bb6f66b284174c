"""The handbook's guiding questions appear verbatim on the pages where the handbook puts them."""

import pytest
from sqlmodel import select

from portfolio.models import StageDay

STEP_1 = [
    "Voor wie biedt mijn stageplaats een aanbod? Hoe kan ik dat doelpubliek leren kennen, "
    "doorgronden?",
    "Wat maakt mijn stagecontext specifiek (actualiteit, outdoor/indoor, "
    "ontspanning/educatief/sociaal, …).",
    "Welke visie staat er centraal?",
    "hoe verhoud ik me ertoe als persoon? Wat doet het met me? Wat denk of voel ik erbij, en wat "
    "wil ik ermee?",
    "Meer vragen uit de handleiding",
    "Wat komt er bij me op als ik terugdenk aan wat ik zie?",
    "Wat geeft me goesting? Wat doet me dromen?",
    "Hoe zou het ideale eruit zien? …",
    "Wat doe ik graag? Wat geeft me vleugels?",
    "Waar kijk ik tegenop?",
    "Wat bezorgt me zenuwen?",
    "Wat zie ik nog niet zitten?",
    "Wat is een stapje uit mijn comfortzone? Wat heb ik nodig om die stap te durven zetten?",
    "Hoe pak ik dat best aan?",
    "Kijk of je linken met de cursussen kan leggen? – Of heb je ergens iets boeiend gelezen dat "
    "hierbij aansluit of net het tegenovergestelde zegt?",
    "Welke vorige ervaring(en) kan ik inbrengen?",
    "Of zie je een link met een topic uit de actualiteit?",
    "Waarom doen jullie deze activiteit op deze manier?",
    "geloof ik erin (overtuigingen); past het bij me (identiteit)",
]
AANPAK = [
    "Hoe zou het eruit zien als ik tevreden ben?",
    "Waar loop ik nog tegenaan? Wat houdt me tegen?",
    "Welke ondersteuning heb ik nodig?",
    "Kan ik linken leggen met de cursussen? Geziene theorie? Wat zegt die theorie of dat kader?",
    "Hoe organiseer ik me online/off-line voor een teamvergadering?",
]
LAST_REFLECTION = [
    "Na het beëindigen van je laatste stagedag heb je nog 2 dagen de tijd voor het aanvullen van "
    "je laatste reflectie.",
    "Reflectie op je eigen leerproces",
    "deze keuzestage daagt je uit om je leerkrachtenbril te verrijken en jouw attitudes optimaal "
    "in te zetten en verder te ontplooien.",
    "Vanuit de attitudes expliciet maken welke bijdrage het levert aan jouw groei als leraar.",
]


def _page(client, world, tail):
    response = client.get(f"/stages/{world.placement.id}/portfolio/{tail}")
    assert response.status_code == 200, tail
    return response.text


@pytest.mark.parametrize(
    ("tail", "sentences"),
    [("stap-1", STEP_1), ("aanpak", AANPAK), ("laatste-reflectie", LAST_REFLECTION)],
)
def test_the_handbooks_questions_are_on_the_page(login_as, world, tail, sentences):
    page = _page(login_as(world.student), world, tail)
    missing = [sentence for sentence in sentences if sentence not in page]
    assert missing == []


def test_the_last_reflection_has_its_own_prompts_not_the_daily_ones(login_as, world, db):
    client = login_as(world.student)
    last = _page(client, world, "laatste-reflectie")
    assert "1) Wat gebeurde er?" not in last and "Terugblik op je hele stage" in last
    day = db.exec(select(StageDay).where(StageDay.placement_id == world.placement.id)).first()
    daily = _page(client, world, f"dagen/{day.id}/reflectie")
    assert "1) Wat gebeurde er?" in daily
    assert "Na elke stagedag blik je terug op iets dat de voorbije dag aan bod kwam." in daily
    assert "Reflectie op je eigen leerproces" not in daily


def test_the_long_lists_fold_away_and_the_field_names_only_the_short_prompt(login_as, world):
    page = _page(login_as(world.student), world, "stap-1")
    assert page.count("<summary>Meer vragen uit de handleiding</summary>") == 3
    described = page.split('id="beginsituatie----vragen-hulp">', 1)[1].split("</p>", 1)[0]
    assert "Vanuit je observeren stel je jezelf een aantal vragen." in described
    assert "Hoe pak ik dat best aan?" not in described
