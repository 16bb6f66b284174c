"""The coordinator's attitude list: add, rename, describe, reorder, archive, delete if unused."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.domain import attitudes as ops
from portfolio.domain.errors import DomainError
from portfolio.domain.feedback import give_feedback
from portfolio.models import Attitude, AuditEvent, ItemKind

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)


def _names(db):
    return [a.name for a in ops.active_attitudes(db)]


def _by_name(db, name):
    return db.exec(select(Attitude).where(Attitude.name == name)).one()


# ---------------------------------------------------------------- domain


def test_add_rename_and_refuse_bad_names(db, world):
    actor = world.coordinator
    added = ops.add_attitude(db, name="  Creativiteit ", description="Nieuwe ideeën", actor=actor)
    assert _names(db)[-1] == "Creativiteit" and added.description == "Nieuwe ideeën"
    with pytest.raises(ops.FieldError) as empty:
        ops.add_attitude(db, name=" ", description="", actor=actor)
    assert empty.value.field == "name"
    with pytest.raises(ops.FieldError) as duplicate:
        ops.add_attitude(db, name="creativiteit", description="", actor=actor)
    assert "al een attitude" in duplicate.value.message
    with pytest.raises(ops.FieldError):
        ops.add_attitude(db, name="x" * 121, description="", actor=actor)
    ops.update_attitude(db, added, name="Creatief denken", description="Anders", actor=actor)
    assert added.name == "Creatief denken" and added.description == "Anders"
    actions = db.exec(select(AuditEvent.action)).all()
    assert "attitude.added" in actions and "attitude.changed" in actions


def test_reorder_up_and_down(db, world):
    first, second = _names(db)[:2]
    ops.move_attitude(db, _by_name(db, second), up=True, actor=world.coordinator)
    assert _names(db)[:2] == [second, first]
    ops.move_attitude(db, _by_name(db, second), up=False, actor=world.coordinator)
    assert _names(db)[:2] == [first, second]
    before = _names(db)
    ops.move_attitude(db, _by_name(db, first), up=True, actor=world.coordinator)  # already first
    assert _names(db) == before


def test_used_attitude_cannot_be_deleted_but_can_be_archived(db, world, make_item):
    used, unused = ops.active_attitudes(db)[:2]
    item = make_item(world.placement, ItemKind.AANPAK, content={})
    give_feedback(
        db,
        placement=world.placement,
        item=item,
        author=world.supervisor,
        kind="sterkte",
        body="Goed",
        attitude_ids=[used.id],
        moment=MOMENT,
    )
    assert ops.used_attitude_ids(db) == {used.id}
    with pytest.raises(DomainError, match="archiveer"):
        ops.delete_attitude(db, used, actor=world.coordinator)
    ops.archive_attitude(db, used, moment=MOMENT, actor=world.coordinator)
    assert used.name not in _names(db)
    assert db.get(Attitude, used.id) is not None
    ops.delete_attitude(db, unused, actor=world.coordinator)
    assert db.get(Attitude, unused.id) is None
    ops.restore_attitude(db, used, actor=world.coordinator)
    assert _names(db)[-1] == used.name


# ---------------------------------------------------------------- routes


def test_only_the_coordinator_manages_attitudes(login_as, world, db):
    attitude = ops.active_attitudes(db)[0]
    for user in (world.student, world.supervisor, world.mentor):
        client = login_as(user)
        assert client.get("/beheer/attitudes").status_code == 403
        assert client.post("/beheer/attitudes", data={"name": "X"}).status_code == 403
        for suffix in ("", "/archiveren", "/verwijderen", "/herstellen"):
            assert client.post(f"/beheer/attitudes/{attitude.id}{suffix}").status_code == 403
        assert (
            client.post(
                f"/beheer/attitudes/{attitude.id}/verplaatsen", data={"richting": "omlaag"}
            ).status_code
            == 403
        )
    db.expire_all()
    assert db.get(Attitude, attitude.id).archived_at is None


def test_coordinator_adds_renames_reorders_and_archives(login_as, world, db):
    client = login_as(world.coordinator)
    page = client.get("/beheer/attitudes")
    assert page.status_code == 200 and "Beslissingsvermogen" in page.text
    added = client.post("/beheer/attitudes", data={"name": "Creativiteit", "description": "Ideeën"})
    assert added.status_code == 303
    assert "Attitude &#39;Creativiteit&#39; toegevoegd." in client.get("/beheer/attitudes").text
    new_id = _by_name(db, "Creativiteit").id
    assert (
        client.post(
            f"/beheer/attitudes/{new_id}", data={"name": "Creatief", "description": "Anders"}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/beheer/attitudes/{new_id}/verplaatsen", data={"richting": "omhoog"}
        ).status_code
        == 303
    )
    db.expire_all()
    assert _names(db)[-2:] == ["Creatief", "Flexibiliteit"]
    assert client.post(f"/beheer/attitudes/{new_id}/archiveren").status_code == 303
    page = client.get("/beheer/attitudes")
    assert "Gearchiveerd (1)" in page.text
    assert client.post(f"/beheer/attitudes/{new_id}/verwijderen").status_code == 303
    db.expire_all()
    assert db.get(Attitude, new_id) is None


def test_bad_input_is_a_422_beside_the_field(login_as, world, db):
    client = login_as(world.coordinator)
    response = client.post("/beheer/attitudes", data={"name": "", "description": "zonder naam"})
    assert response.status_code == 422
    assert 'aria-describedby="naam-nieuw-fout"' in response.text
    assert "Geef de attitude een naam." in response.text and "zonder naam" in response.text
    first, second = ops.active_attitudes(db)[:2]
    duplicate = client.post(f"/beheer/attitudes/{second.id}", data={"name": first.name})
    assert duplicate.status_code == 422 and f'id="naam-{second.id}-fout"' in duplicate.text
    bad_move = client.post(f"/beheer/attitudes/{first.id}/verplaatsen", data={"richting": "x"})
    assert bad_move.status_code == 422
    assert client.post("/beheer/attitudes/99999/archiveren").status_code == 404


def test_used_attitude_is_refused_deletion_and_old_tags_keep_rendering(
    login_as, world, db, make_item
):
    attitude = ops.active_attitudes(db)[0]
    item = make_item(world.placement, ItemKind.AANPAK, content={})
    supervisor = login_as(world.supervisor)
    supervisor.post(
        f"/stages/{world.placement.id}/items/{item.id}/feedback",
        data={"kind": "sterkte", "body": "Sterke aanpak", "attitudes": [attitude.id]},
    )
    coordinator = login_as(world.coordinator)
    page = coordinator.get("/beheer/attitudes")
    assert "Al gebruikt: niet te verwijderen." in page.text
    refused = coordinator.post(f"/beheer/attitudes/{attitude.id}/verwijderen")
    assert refused.status_code == 422 and "archiveer" in refused.text
    assert coordinator.post(f"/beheer/attitudes/{attitude.id}/archiveren").status_code == 303
    shown = supervisor.get(f"/stages/{world.placement.id}/items/{item.id}/feedback")
    assert f"{attitude.name} (gearchiveerd)" in shown.text
    # ...but it is no longer offered for new feedback.
    assert f'name="attitudes" value="{attitude.id}"' not in shown.text
