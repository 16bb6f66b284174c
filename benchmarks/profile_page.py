"""Profile one page of a seeded database in-process with pyinstrument (`pip install -e .[bench]`).

    DATABASE_URL=... .venv/bin/python benchmarks/profile_page.py EMAIL PATH [--repeat 5]

Signs in as EMAIL (a seeded login, password demo-wachtwoord), requests PATH once to warm up,
then profiles --repeat more requests and prints where the time went and the SQL per request.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).parent))
from load_mix import PASSWORD  # noqa: E402
from load_server import make_counted_app  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("email")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "profile")
    app = make_counted_app()
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/aanmelden", data={"email": args.email, "password": PASSWORD})
    warm = client.get(args.path)
    print(
        f"{args.path}: {warm.status_code}, {len(warm.data)} bytes, "
        f"{warm.headers.get('X-SQL-Queries')} SQL statements"
    )
    profiler = Profiler()
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path)
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.0f} ms per request")
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
