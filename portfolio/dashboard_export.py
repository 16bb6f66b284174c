"""The dashboard's rows as CSV (UTF-8 with BOM, ';') or XLSX, written batch by batch.

Both read `dashboard_rows.iter_rows`, which fetches a few hundred placements per query, so an
export of 15,000 placements never holds them all: CSV is streamed to the client as it is
written; XLSX goes through openpyxl's write-only mode into a spooled temporary file (the format
is a ZIP, which can only be sent once complete) and is then streamed from there.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from portfolio.domain.dashboard_rows import DashboardRow

BOM = "\ufeff"  # Excel in a Dutch locale reads UTF-8 only with it
CHUNK = 64 * 1024
SPOOL_BYTES = 2 * 1024 * 1024

# (header, width in characters, the row's value); booleans stay booleans in XLSX.
COLUMNS = [
    ("Student", 28, lambda r: r.student),
    ("Studentennummer", 16, lambda r: r.student_number),
    ("Stageplaats", 30, lambda r: r.site),
    ("Stagebegeleider", 24, lambda r: r.supervisor),
    ("Pool", 16, lambda r: r.pool),
    ("Semester", 9, lambda r: r.semester),
    ("Eerste dag", 12, lambda r: r.first_day),
    ("Laatste dag", 12, lambda r: r.last_day),
    ("Status", 12, lambda r: r.status),
    ("Dagen gedaan", 9, lambda r: r.days_done),
    ("Dagen te gaan", 9, lambda r: r.days_to_come),
    ("Reflecties ontbreken", 11, lambda r: r.reflections_missing),
    ("Ontwerpen te laat", 11, lambda r: r.designs_late),
    ("Stagepakket ondertekend", 12, lambda r: r.package_signed),
    ("Tussentijdse evaluatie", 12, lambda r: r.midterm_done),
    ("Eindevaluatie", 12, lambda r: r.final_done),
    ("Synthese", 14, lambda r: r.synthesis),
    ("Score", 7, lambda r: r.score),
    ("Beslissing examencommissie", 16, lambda r: r.board_decision),
    ("Waarschuwingen", 9, lambda r: r.warnings),
]
HEADERS = [header for header, _, _ in COLUMNS]


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_chunks(rows: Iterable[DashboardRow]) -> Iterator[bytes]:
    """Yield the CSV in chunks of about CHUNK bytes: a BOM, the header, one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_value(value(row)) for _, _, value in COLUMNS])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(rows: Iterable[DashboardRow]) -> Iterator[bytes]:
    """Yield an XLSX workbook: typed cells, dates as dates, a frozen header row, set widths."""
    # Imported here, not with the app: few requests export, and every web worker would carry it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.dimensions import ColumnDimension

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Stages")
    sheet.freeze_panes = "A2"
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter] = ColumnDimension(sheet, index=letter, width=width)
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=text) for text in HEADERS]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for row in rows:
        sheet.append([value(row) for _, _, value in COLUMNS])
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
