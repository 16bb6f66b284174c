"""Items are named with their day, offer or attitude wherever they are listed or mailed."""

from datetime import date

from sqlmodel import select

from portfolio.domain.item_labels import item_label, item_labels
from portfolio.models import Attitude, ItemKind, StageDay


def _day(db, placement, on: date) -> StageDay:
    return db.exec(
        select(StageDay).where(StageDay.placement_id == placement.id, StageDay.day == on)
    ).one()


def test_labels_name_the_day_offer_and_attitude(db, world, make_item):
    placement = world.placement
    tuesday, wednesday = date(2025, 10, 7), date(2025, 10, 8)
    reflection = make_item(placement, ItemKind.REFLECTIE, day=tuesday)
    agenda = make_item(placement, ItemKind.AGENDA, day=tuesday)
    offer = make_item(
        placement,
        ItemKind.AANBOD,
        title="Voorleesmoment 'De Gruffalo'",
        stage_day_id=_day(db, placement, wednesday).id,
    )
    design = make_item(placement, ItemKind.DENKWERK, parent_id=offer.id)
    attitude = db.exec(select(Attitude).order_by(Attitude.position)).first()
    self_image = make_item(placement, ItemKind.ZELFBEELD, attitude_id=attitude.id)
    package = make_item(placement, ItemKind.STAGEPAKKET)
    action = make_item(placement, ItemKind.ACTIEPUNT, title="Kringgesprek")

    labels = item_labels(db, [reflection, agenda, offer, design, self_image, package, action])
    assert labels[reflection.id] == "Reflectie di 7 oktober"
    assert labels[agenda.id] == "Agenda di 7 oktober"
    assert labels[offer.id] == "Aanbod: Voorleesmoment 'De Gruffalo' (wo 8 okt)"
    assert labels[design.id] == "Ontwerp: Voorleesmoment 'De Gruffalo' (wo 8 okt)"
    assert labels[self_image.id] == f"Zelfbeeld: {attitude.name}"
    assert labels[package.id] == "Stagepakket"
    assert labels[action.id] == "Actiepunt: Kringgesprek"
    assert item_label(db, reflection) == "Reflectie di 7 oktober"


def test_labels_take_a_fixed_number_of_queries(db, world, make_item, count_queries):
    placement = world.placement
    days = db.exec(select(StageDay).where(StageDay.placement_id == placement.id)).all()
    counts = []
    for n in (2, 8):
        items = [make_item(placement, ItemKind.REFLECTIE, stage_day_id=d.id) for d in days[:n]]
        with count_queries() as counted:
            item_labels(db, items)
        counts.append(counted.n)
    assert counts[0] == counts[1]


def test_the_feedback_list_names_every_reflection_by_its_day(login_as, world, make_item):
    make_item(world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 6))
    make_item(world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 7))
    for user in (world.supervisor, world.student):
        page = login_as(user).get(f"/stages/{world.placement.id}/feedback").text
        assert "Reflectie ma 6 oktober" in page and "Reflectie di 7 oktober" in page
        assert "Stap 5: reflectie" not in page
