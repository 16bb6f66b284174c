"""A web worker starts without the libraries only a few requests need (PDF, XLSX, S3).

WeasyPrint, openpyxl and boto3 together added some 37 MB to every gunicorn worker; they are
imported on first use instead (portfolio/pdf.py, dashboard_export.py, storage.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("weasyprint", "openpyxl", "boto3", "fontTools", "PIL")


def test_the_app_starts_without_pdf_xlsx_and_s3_libraries(tmp_path):
    script = (
        "import json, sys\n"
        "from portfolio import create_app\n"
        "create_app()\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'footprint.db'}",
        "SECRET_KEY": "footprint",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
