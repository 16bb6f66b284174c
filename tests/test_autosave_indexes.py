"""An autosave changes no indexed column, so PostgreSQL can rewrite the rows in place.

A HOT update (heap-only tuple) adds no entry to any index; it needs every index to leave the
changed columns out. Before migration 0013 every save added entries to the item table's eight
indexes and the history table's two (0 of 36,000 updates in the load benchmark were HOT).
"""

from datetime import UTC, date, datetime

from sqlalchemy import event

from portfolio.domain import items as ops
from portfolio.models import Item, ItemKind, ItemVersion

MOMENT = datetime(2025, 10, 8, 18, 0, tzinfo=UTC)  # the evening of the third stage day


def _indexed_columns(model) -> set[str]:
    """The columns in any index, a partial index's condition included."""
    table = model.__table__
    columns = {column.name for column in table.primary_key}
    for index in table.indexes:
        columns |= {column.name for column in index.columns}
        condition = index.dialect_options["postgresql"].get("where")
        if condition is not None:
            columns |= {c.name for c in table.columns if c.name in str(condition)}
    return columns


def _updated_columns(statements, table: str) -> set[str]:
    found = set()
    for statement in statements:
        verb, _, rest = statement.partition(" SET ")
        if verb.split() == ["UPDATE", table]:
            assignments = rest.split(" WHERE ", 1)[0]
            found |= {part.split("=", 1)[0].strip() for part in assignments.split(", ")}
    return found


def test_saving_twice_updates_only_unindexed_columns(db, engine, world, make_item):
    reflection = make_item(
        world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 8), content={"meenemen": "a"}
    )
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for text in ("b", "c"):  # the second save merges into the version the first made
            item = db.get(Item, reflection.id)
            ops.save_item(
                db,
                item,
                content={"meenemen": text},
                title=None,
                base_version=item.version,
                actor=world.student,
                moment=MOMENT,
            )
            db.commit()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    item_columns = _updated_columns(statements, "item")
    history_columns = _updated_columns(statements, "itemversion")
    assert {"content", "version", "updated_at"} <= item_columns
    assert "version" in history_columns  # the merge: the latest history row takes the number
    assert not item_columns & _indexed_columns(Item), item_columns & _indexed_columns(Item)
    assert not history_columns & _indexed_columns(ItemVersion)
