"""Routes: the student's portfolio, step by step; items with autosave, preview and history.

Everyone who may view the placement reads (a mentor only MENTOR_VISIBLE_KINDS); only the
placement's student writes, and only while the portfolio is open.

- common.py: URLs and slugs, loading items (also for the files routes), the page context
- pages.py: the overview, the guided pages of single items and the lists per step
- editing.py: save (autosave), add, delete, Markdown preview
- signing.py: offering, signing and reopening a signed document (stagepakket, stageovereenkomst,
  risicoanalyse); signed versions, print, PDF
- history.py: an item's history, one earlier version, restoring it
"""

from flask import Blueprint

bp = Blueprint("portfolio", __name__)

# The views register themselves on bp when imported.
from portfolio.routes.portfolio import editing, history, pages, signing  # noqa: E402, F401
