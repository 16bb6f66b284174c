"""The request mix of benchmarks/load.py: who does what, as the pages and the autosave do it.

The seeded logins come from portfolio.demo.scale. Each Client is one signed-in person with its
own cookie jar; a lock keeps one request per person at a time (as one browser tab would).
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser

from http_client import ERRORS, Answer, Session, path_of

PASSWORD = "demo-wachtwoord"  # noqa: S105 - the seeded programme's documented password
DOMAIN = "scale.test"
REFLECTION_LINK = re.compile(r'href="(/stages/(\d+)/portfolio/dagen/(\d+)/reflectie)"')
SAVED_VERSION = re.compile(r'name="version" value="(\d+)"')  # the save answer's new version
STEPS = ("stap-2", "stap-3", "stap-4", "stap-5")


class _AutosaveForm(HTMLParser):
    """Collect the fields of the first autosave form, as the browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = self._done = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-autosave" in attrs and not self._done:
            self._inside, self.action = True, attrs.get("action")
        elif self._inside and tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._inside and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


@dataclass
class Client:
    base: str
    email: str
    http: Session = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reflection_url: str | None = None
    placement_id: int | None = None
    form: _AutosaveForm | None = None
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.http = Session(self.base)

    def login(self) -> Answer:
        page = self.http.get("/aanmelden", timeout=30).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
        return self.http.post(
            "/aanmelden",
            data={"csrf_token": token.group(1), "email": self.email, "password": PASSWORD},
            timeout=30,
        )

    def get(self, path: str) -> Answer:
        return self.http.get(path)

    def run(self, action) -> tuple[bool, int | None]:
        """Run one action of the mix; return (answered without error, SQL statements)."""
        with self.lock:
            try:
                response = action(self)
            except ERRORS:
                return False, None
        queries = response.headers.get("X-SQL-Queries")
        return response.status_code < 400, int(queries) if queries else None

    def find_reflection(self) -> None:
        """Remember today's (the latest past day's) reflection page and its autosave form."""
        text = self.get("/").text
        links = REFLECTION_LINK.findall(text)
        if not links:
            overview = self.get("/portfolio").headers.get("Location", "")
            links = REFLECTION_LINK.findall(self.get(path_of(overview)).text)
        url, placement_id, _ = links[-1]
        self.reflection_url, self.placement_id = url, int(placement_id)
        self.load_form()

    def load_form(self) -> Answer:
        response = self.get(self.reflection_url)
        form = _AutosaveForm()
        form.feed(response.text)
        self.form = form
        return response


# ---------------------------------------------------------------- the actions


def student_home(client: Client):
    return client.get("/")


def step_page(client: Client):
    return client.get(f"/stages/{client.placement_id}/portfolio/{client.rng.choice(STEPS)}")


def todays_reflection(client: Client):
    return client.load_form()


def autosave(client: Client):
    """Post the reflection form as autosave.js does: its fields, CSRF token and version."""
    data = dict(client.form.fields)
    data["meenemen"] = f"Volgende keer start ik met een prent ({client.rng.randrange(10**6)})."
    response = client.http.post(client.form.action, data=data, headers={"HX-Request": "true"})
    saved = SAVED_VERSION.search(response.text)
    if saved:
        client.form.fields["version"] = saved.group(1)
    else:
        client.load_form()
    return response


def supervisor_overview(client: Client):
    return client.get("/studenten")


def coordinator_list(client: Client):
    page = client.rng.randrange(1, 20)
    query = client.rng.choice(("", "filter=ontbrekend&", "sort=-reflecties&", "q=lotte&"))
    return client.get(f"/studenten?{query}pagina={page}")


def coordinator_home(client: Client):
    return client.get("/beheer")


def login(client: Client):
    fresh = Client(client.base, client.email)
    return fresh.login()


# A signed-in request that does nothing of its own (benchmarks/load_server.py): not in the
# mix, but its closed-loop rate is the floor under every page's.
FLOOR_PATH = "/_benchmark/floor"


def signed_in_floor(client: Client):
    return client.get(FLOOR_PATH)


# name, weight, (role, action): mostly students, as in a real programme
MIX = [
    ("student home", 20, ("student", student_home)),
    ("step page", 12, ("student", step_page)),
    ("today's reflection", 12, ("student", todays_reflection)),
    ("autosave POST", 36, ("student", autosave)),
    ("supervisor overview", 8, ("supervisor", supervisor_overview)),
    ("coordinator list", 5, ("coordinator", coordinator_list)),
    ("coordinator home", 4, ("coordinator", coordinator_home)),
    ("login", 3, ("student", login)),
]


def login_all(
    base: str, *, students: int, supervisors: int = 10, coordinator_sessions: int = 6
) -> dict[str, list[Client]]:
    """Sign in the seeded students, supervisors and the coordinator.

    Each Client sends one request at a time (one browser tab), so a role with a single client
    would queue every request of that role behind the previous one and block the generator's
    threads: the programme's many supervisors and its coordinators get several sessions each.
    """
    clients: dict[str, list[Client]] = {"student": [], "supervisor": [], "coordinator": []}
    for n in range(1, students + 1):
        client = Client(base, f"student{n:05d}@{DOMAIN}", rng=random.Random(n))
        client.login()
        client.find_reflection()
        clients["student"].append(client)
    seeded_supervisors = max(1, students // 40)  # the seed's 1 supervisor per 40 students
    for k in range(supervisors):
        client = Client(base, f"begeleider{k % seeded_supervisors + 1:04d}@{DOMAIN}")
        client.login()
        clients["supervisor"].append(client)
    for k in range(coordinator_sessions):
        coordinator = Client(base, f"coordinator@{DOMAIN}", rng=random.Random(k))
        coordinator.login()
        clients["coordinator"].append(coordinator)
    return clients
