"""Rewrite the initial migration from the models (only while nothing has been released).

Run after changing a model: `.venv/bin/python scripts/regen_initial_migration.py`.
Later migrations are set aside while Alembic compares the models with an empty database.
"""

import shutil
import tempfile
from pathlib import Path

from alembic import command

from portfolio.cli import MIGRATIONS, alembic_config

versions = MIGRATIONS / "versions"
initial = versions / "2026_11_22_0001_initial_schema.py"
with tempfile.TemporaryDirectory() as tmp:
    aside = Path(tmp) / "aside"
    aside.mkdir()
    later = [p for p in versions.glob("*.py") if p != initial]
    for path in later:
        shutil.move(path, aside / path.name)
    try:
        initial.unlink(missing_ok=True)
        cfg = alembic_config(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    finally:
        for path in later:
            shutil.move(aside / path.name, path)
print(f"rewrote {initial}")
