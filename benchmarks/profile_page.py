"""Profile one page of a seeded database in-process with pyinstrument (`pip install -e .[bench]`).

    DATABASE_URL=... .venv/bin/python benchmarks/profile_page.py EMAIL PATH [--repeat 5]
    DATABASE_URL=... .venv/bin/python benchmarks/profile_page.py EMAIL PATH --post [--sql]

Signs in as EMAIL (a seeded login, password demo-wachtwoord), requests PATH once to warm up,
then profiles --repeat more requests and prints where the time went and the SQL per request.
With --post, PATH is a page with an autosave form (a day's reflection): the profiled requests
post that form as autosave.js does (its fields, the version of the previous answer, htmx).
--sql prints the statements of the last profiled request.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pyinstrument import Profiler

# Run as a script, sys.path[0] is benchmarks/: put the checkout first, so that its `portfolio`
# package is profiled, not whichever one the virtualenv has installed.
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]
from load_mix import PASSWORD, SAVED_VERSION, _AutosaveForm  # noqa: E402
from load_server import make_counted_app  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("email")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--post", action="store_true", help="post the page's autosave form")
    parser.add_argument("--sql", action="store_true", help="print the last request's SQL")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "profile")
    app = make_counted_app()
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/aanmelden", data={"email": args.email, "password": PASSWORD})
    warm = client.get(args.path)
    form = _AutosaveForm()
    form.feed(warm.get_data(as_text=True))
    if args.post and not form.action:
        print(f"{args.path} has no autosave form")
        return 1

    def request(n: int):
        if not args.post:
            return client.get(args.path)
        data = dict(form.fields) | {"meenemen": f"Volgende keer start ik met een prent ({n})."}
        answer = client.post(form.action, data=data, headers={"HX-Request": "true"})
        saved = SAVED_VERSION.search(answer.get_data(as_text=True))
        if saved:
            form.fields["version"] = saved.group(1)
        item_id = answer.get_data(as_text=True).partition('name="item_id" value="')[2]
        if item_id:
            form.fields["item_id"] = item_id.partition('"')[0]
        return answer

    warm = request(0)
    print(
        f"{'POST ' if args.post else ''}{args.path}: {warm.status_code}, {len(warm.data)} bytes, "
        f"{warm.headers.get('X-SQL-Queries')} SQL statements"
    )
    statements: list[str] = []
    profiler = Profiler()
    started = time.perf_counter()
    with profiler:
        for n in range(1, args.repeat + 1):
            statements.clear()
            request(n)
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms per request")
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    if args.sql:
        event.listen(Engine, "before_cursor_execute", lambda _c, _u, s, *_: statements.append(s))
        request(args.repeat + 1)
        for statement in statements:
            print("--", " ".join(statement.split())[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
