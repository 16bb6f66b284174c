"""Time each request of the load mix in-process (Flask test client) on a seeded database.

    DATABASE_URL=... .venv/bin/python benchmarks/inprocess.py [--repeat 30] [NAME ...]

Signs in a seeded student, supervisor and the coordinator (password demo-wachtwoord), sends
each request once to warm up, then --repeat more and prints CPU and wall milliseconds per
request, the SQL statements and the page size. No HTTP server and no load generator share the
cores, so two versions of the code can be compared on one database: run this from each
checkout in turn, a few rounds interleaved, and compare medians (the machine's speed drifts).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Run as a script, sys.path[0] is benchmarks/: put the checkout first (see profile_page.py).
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]
from load_mix import (  # noqa: E402
    DOMAIN,
    FLOOR_PATH,
    PASSWORD,
    REFLECTION_LINK,
    SAVED_VERSION,
    _AutosaveForm,
)
from load_server import make_counted_app  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these requests (default: all)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--student", default=f"student00007@{DOMAIN}")
    parser.add_argument("--supervisor", default=f"begeleider0001@{DOMAIN}")
    args = parser.parse_args()
    requests = mix_requests(args.student, args.supervisor)
    print(f"{'request':<22}{'CPU ms':>8}{'wall ms':>9}{'SQL':>5}{'bytes':>8}")
    for name, send in requests.items():
        if args.names and name.strip() not in args.names:
            continue
        answer = send()
        assert answer.status_code < 400, (name, answer.status_code)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.repeat):
            send()
        cpu = (time.process_time() - cpu) / args.repeat * 1000
        wall = (time.perf_counter() - wall) / args.repeat * 1000
        queries = answer.headers.get("X-SQL-Queries")
        print(f"{name:<22}{cpu:>8.1f}{wall:>9.1f}{queries:>5}{len(answer.data):>8}")
    return 0


def mix_requests(student_email: str, supervisor_email: str, **config) -> dict:
    """Sign in on the app in this process (with `config` on top of its settings) and return
    the mix's requests, each a function that sends one (the coordinator list also in three of
    its costly orders)."""
    os.environ.setdefault("SECRET_KEY", "inprocess")
    app = make_counted_app()
    app.config["WTF_CSRF_ENABLED"] = False
    app.config.update(config)

    def signed_in(email: str):
        client = app.test_client()
        client.post("/aanmelden", data={"email": email, "password": PASSWORD})
        return client

    student = signed_in(student_email)
    url, placement_id, _ = REFLECTION_LINK.findall(student.get("/").get_data(as_text=True))[-1]
    form = _AutosaveForm()
    form.feed(student.get(url).get_data(as_text=True))
    supervisor = signed_in(supervisor_email)
    coordinator = signed_in(f"coordinator@{DOMAIN}")
    saves = iter(range(10**9))

    def autosave():
        data = dict(form.fields) | {"meenemen": f"Volgende keer een prent ({next(saves)})."}
        answer = student.post(form.action, data=data, headers={"HX-Request": "true"})
        form.fields["version"] = SAVED_VERSION.search(answer.get_data(as_text=True)).group(1)
        return answer

    def sign_in():
        password = {"email": f"student00009@{DOMAIN}", "password": PASSWORD}
        return app.test_client().post("/aanmelden", data=password)

    return {
        "signed-in floor": lambda: student.get(FLOOR_PATH),
        "student home": lambda: student.get("/"),
        "step page": lambda: student.get(f"/stages/{placement_id}/portfolio/stap-3"),
        "today's reflection": lambda: student.get(url),
        "autosave POST": autosave,
        "supervisor overview": lambda: supervisor.get("/studenten"),
        "coordinator list": lambda: coordinator.get("/studenten?pagina=7"),
        "  filter=ontbrekend": lambda: coordinator.get("/studenten?filter=ontbrekend&pagina=7"),
        "  sort=-reflecties": lambda: coordinator.get("/studenten?sort=-reflecties&pagina=7"),
        "  q=lotte": lambda: coordinator.get("/studenten?q=lotte&pagina=2"),
        "coordinator home": lambda: coordinator.get("/beheer"),
        "sign-in": sign_in,
    }


if __name__ == "__main__":
    sys.exit(main())
