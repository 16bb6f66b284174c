"""Structural accessibility checks on rendered HTML, with html.parser only.

`problems(html)` returns a list of Dutch-free, developer-facing messages; test_crawl.py runs it
on every page each role can reach. The tests below prove every rule can fail, and run the
checker over the main pages of a small world.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
BUTTON_TYPES = {"submit", "button", "reset"}
NAMED = {"a", "button"}  # elements that need an accessible name
HEADINGS = {f"h{n}": n for n in range(1, 7)}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class _Collector(HTMLParser):
    """Walk the document once and collect what the rules need."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.lang: str | None = None
        self.h1 = 0
        self.mains = 0
        self.last_level = 0
        self.ids: dict[str, int] = {}
        self.label_for: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (what, aria-*, referenced ids)
        self.fields_by_id: list[tuple[str, str]] = []  # (what, id) needing label[for]
        self.label_depth = 0
        self.named: list[dict] = []  # open <a>/<button>: tag, what, has_name
        self.tables: list[dict] = []  # open tables: has_th
        self.heading: dict | None = None  # open heading: text seen?
        self.divs: list[bool] = []  # open <div>s: is it a table wrapper?
        self.nav_names: set[str] = set()

    # -- helpers
    @staticmethod
    def _describe(tag: str, attrs: dict) -> str:
        bits = [tag]
        for key in ("id", "name", "type", "href", "class"):
            if attrs.get(key):
                bits.append(f'{key}="{attrs[key]}"')
        return "<" + " ".join(bits) + ">"

    def _give_name(self) -> None:
        for open_ in self.named:
            open_["has_name"] = True

    # -- parser callbacks
    def handle_starttag(self, tag: str, attr_list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attr_list}
        what = self._describe(tag, attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "style" in attrs:
            self.errors.append(f"inline style attribute on {what} (blocked by the CSP)")
        handlers = [k for k in attrs if k.startswith("on") or k.startswith("hx-on")]
        if handlers:
            self.errors.append(f"inline event handler {handlers} on {what} (blocked by the CSP)")
        if tag == "style":
            self.errors.append("inline <style> element (blocked by the CSP)")
        if tag == "script" and "src" not in attrs:
            self.errors.append("inline <script> (blocked by the CSP)")
        if "id" in attrs:
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
        tabindex = attrs.get("tabindex", "").strip()
        if tabindex.lstrip("-").isdigit() and int(tabindex) > 0:
            self.errors.append(f"positive tabindex on {what}")
        for ref in ("aria-labelledby", "aria-describedby", "aria-controls"):
            if attrs.get(ref):
                self.references.append((what, ref, attrs[ref]))
        if tag == "nav":
            name = attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby", "")
            if not name:
                self.errors.append(f"{what} without aria-label (several navs must be told apart)")
            elif name in self.nav_names:
                self.errors.append(f'two <nav> landmarks named "{name}"')
            self.nav_names.add(name)
        if tag == "main" or attrs.get("role") == "main":
            self.mains += 1
        if tag in HEADINGS:
            level = HEADINGS[tag]
            if level == 1:
                self.h1 += 1
            if level > self.last_level + 1:
                self.errors.append(f"heading {what} skips a level (after h{self.last_level})")
            self.last_level = level
            self.heading = {"what": what, "text": False}
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in FIELDS and attrs.get("type", "").lower() not in UNLABELLED_INPUT_TYPES:
            self._check_field(tag, attrs, what)
        if tag == "img":
            if "alt" not in attrs:
                self.errors.append(f"{what} without alt")
            elif attrs["alt"].strip():
                self._give_name()
        is_input_button = tag == "input" and attrs.get("type", "").lower() in BUTTON_TYPES
        if is_input_button and not (attrs.get("value", "") or attrs.get("aria-label", "")).strip():
            self.errors.append(f"{what} without an accessible name")
        if tag in NAMED:
            has_name = bool(attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby"))
            self.named.append({"tag": tag, "what": what, "has_name": has_name})
        if tag == "svg" and (attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby")):
            self._give_name()
        if tag == "div":
            self.divs.append("table-wrap" in attrs.get("class", "").split())
        if tag == "table":
            self.tables.append({"has_th": False})
            if not any(self.divs):
                self.errors.append("<table> outside a .table-wrap (it would widen a phone page)")
        if tag == "th" and self.tables:
            self.tables[-1]["has_th"] = True

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def _check_field(self, tag: str, attrs: dict, what: str) -> None:
        if attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby"):
            return
        if self.label_depth:
            return
        if attrs.get("id"):
            self.fields_by_id.append((what, attrs["id"]))
        else:
            self.errors.append(f"{what} has no label")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.label_depth:
            self.label_depth -= 1
        if tag in NAMED and self.named and self.named[-1]["tag"] == tag:
            open_ = self.named.pop()
            if not open_["has_name"]:
                self.errors.append(f"{open_['what']} has no accessible name")
        if tag == "div" and self.divs:
            self.divs.pop()
        if tag == "table" and self.tables and not self.tables.pop()["has_th"]:
            self.errors.append("<table> without <th> header cells")
        if tag in HEADINGS and self.heading is not None:
            if not self.heading["text"]:
                self.errors.append(f"empty heading {self.heading['what']}")
            self.heading = None

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._give_name()
            if self.heading is not None:
                self.heading["text"] = True

    def finish(self) -> list[str]:
        errors = list(self.errors)
        if self.lang != "nl-BE":
            errors.append(f'<html lang="{self.lang}"> instead of lang="nl-BE"')
        if self.h1 != 1:
            errors.append(f"{self.h1} <h1> elements instead of exactly one")
        if self.mains != 1:
            errors.append(f"{self.mains} main landmarks instead of exactly one")
        errors += [f'id="{k}" used {n} times' for k, n in self.ids.items() if n > 1]
        errors += [
            f"{what} has no label (no label[for={id_}])"
            for what, id_ in self.fields_by_id
            if id_ not in self.label_for
        ]
        for what, attribute, refs in self.references:
            missing = [ref for ref in refs.split() if ref not in self.ids]
            if missing:
                errors.append(f"{what} {attribute} names missing ids {missing}")
        errors += [f"{o['what']} is never closed" for o in self.named]
        return errors


def problems(html: str) -> list[str]:
    """Return the accessibility problems found in one full HTML page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.finish()


# ---------------------------------------------------------------- the checker itself

GOOD = """<!doctype html><html lang="nl-BE"><head><title>t</title>
<script src="/static/app.js" defer></script></head><body>
<a class="skip-link" href="#inhoud">Naar de inhoud</a>
<nav aria-label="Hoofdmenu"><a href="/">Start</a></nav><nav aria-label="Delen"></nav>
<main id="inhoud"><h1>Titel</h1><h2>Deel</h2><h3>Sub</h3><h2>Weer</h2>
<form><label for="a">A</label><input id="a" name="a">
<label>B <select name="b"><option>x</option></select></label>
<textarea aria-label="C"></textarea><span id="dl">D</span><input aria-labelledby="dl">
<input type="hidden" name="csrf_token"><button type="submit">Bewaren</button>
<input type="submit" value="Verzenden"></form>
<a href="/x"><img src="/i.png" alt="Foto"></a><img src="/d.png" alt="">
<button aria-label="Sluiten">×</button><a href="/y" aria-label="Meer"><svg></svg></a>
<div class="table-wrap"><table><tr><th scope="col">Naam</th></tr><tr><td>Sara</td></tr>
</table></div>
<div tabindex="-1"></div><div tabindex="0"></div></main></body></html>"""


def test_a_clean_page_has_no_problems():
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('lang="nl-BE"', 'lang="en"', "lang"),
        ("<h2>Deel</h2>", "<h1>Deel</h1>", "2 <h1>"),
        ("<h1>Titel</h1>", "", "0 <h1>"),
        ("<h2>Deel</h2><h3>Sub</h3>", "<h3>Sub</h3>", "skips a level"),
        ("<h2>Weer</h2>", "<h2> </h2>", "empty heading"),
        ('<label for="a">A</label>', "", 'id="a"'),
        ('<label for="a">A</label>', '<label for="z">A</label>', "no label"),
        ('<textarea aria-label="C">', "<textarea>", "<textarea> has no label"),
        ('<input aria-labelledby="dl">', '<input aria-labelledby="nope">', "missing ids"),
        ('<input id="a" name="a">', '<input id="a" aria-describedby="a-fout">', "missing ids"),
        ('<button aria-label="Sluiten">', '<button aria-label="S" aria-controls="x">', "missing"),
        ('<span id="dl">', '<span id="a">', 'id="a" used 2 times'),
        ('alt="Foto"', "", "without alt"),
        ('alt="Foto"', 'alt=""', "no accessible name"),
        ('<button aria-label="Sluiten">×', "<button> ", "no accessible name"),
        ('<button type="submit">Bewaren', '<button type="submit">', "no accessible name"),
        ('value="Verzenden"', "", "without an accessible name"),
        ('<a href="/y" aria-label="Meer">', '<a href="/y">', "no accessible name"),
        ('<th scope="col">Naam</th>', "<td>Naam</td>", "without <th>"),
        ('<div class="table-wrap">', "<div>", "outside a .table-wrap"),
        ('<nav aria-label="Delen">', "<nav>", "<nav> without aria-label"),
        ('<nav aria-label="Delen">', '<nav aria-label="Hoofdmenu">', "two <nav> landmarks"),
        ('tabindex="0"', 'tabindex="2"', "positive tabindex"),
        ('<main id="inhoud">', '<main id="inhoud"><main>', "2 main"),
        ('<main id="inhoud">', '<div id="inhoud">', "0 main"),
        ("<div tabindex", '<div style="color:red" tabindex', "inline style"),
        ("<div tabindex", '<div onclick="go()" tabindex', "inline event handler"),
        ("<div tabindex", '<div hx-on:click="go()" tabindex', "inline event handler"),
        ("</head>", "<script>alert(1)</script></head>", "inline <script>"),
        ("</head>", "<style>p{}</style></head>", "inline <style>"),
    ],
)
def test_every_rule_can_fail(old, new, expected):
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert any(expected in p for p in found), found


# ---------------------------------------------------------------- the main pages


def test_main_pages_of_each_role_pass(app, world, login_as, make_item):
    """A quick smoke run; test_crawl.py checks every reachable page with richer data."""
    from portfolio.models import ItemKind

    make_item(world.placement, ItemKind.REFLECTIE, day=world.placement.first_day)
    pid = world.placement.id
    with app.test_request_context():
        from flask import url_for

        pages = [
            (world.student, [url_for("home.index"), url_for("portfolio.step5", placement_id=pid)]),
            (world.supervisor, [url_for("home.index"), url_for("supervision.overview")]),
            (world.coordinator, [url_for("home.index"), url_for("coordinator.index")]),
        ]
    for user, urls in pages:
        client = login_as(user)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, url
            assert problems(response.get_data(as_text=True)) == [], (user.role, url)


# ---------------------------------------------------------------- colour contrast (WCAG 1.4.3)

STATIC = Path(__file__).resolve().parent.parent / "portfolio" / "static"
APP_CSS = ("app.css", "coordinator.css")
PICO = STATIC / "vendor" / "pico-2.1.1.custom.min.css"
# Pico's light-theme text colours our pages show on our backgrounds: body text, headings,
# muted text (small, hints), links, outline secondary buttons.
PICO_TEXT = ("pico-color", "pico-h1-color", "pico-muted-color", "pico-primary", "pico-secondary")
# Pico's own light surfaces: the page, card headers and code (rgb() values rounded).
PICO_BACKGROUNDS = {"#ffffff", "#fbfbfc", "#f3f5f7"}


def _hex(value: str) -> str:
    """Return #rrggbb for a #rgb or #rrggbb colour."""
    value = value.strip().lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def contrast(foreground: str, background: str) -> float:
    """Return the WCAG contrast ratio of two #rgb/#rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(_hex(colour)[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Return (selector, {property: value}) for every innermost rule of a stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                key, value = decl.split(":", 1)
                decls[key.strip()] = value.strip()
        rules.append((selector.strip(), decls))
    return rules


def _colour_pairs():
    """Return the text colours, the backgrounds text sits on, and explicit (fg, bg) pairs."""
    pico = PICO.read_text()
    variables = {}
    for name in PICO_TEXT:
        variables[name] = re.search(rf"--{name}:(#[0-9a-fA-F]{{3,6}})\b", pico).group(1)
    rules = [rule for name in APP_CSS for rule in _rules((STATIC / name).read_text())]
    for selector, decls in rules:
        if selector == ":root":
            variables |= {k[2:]: v for k, v in decls.items() if k.startswith("--")}

    def resolve(value: str) -> str | None:
        value = re.sub(r"var\(--([\w-]+)\)", lambda m: variables.get(m.group(1), "?"), value)
        found = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
        return _hex(found.group(0)) if found else None

    texts = {_hex(variables[name]): f"Pico --{name}" for name in PICO_TEXT}
    backgrounds = {colour: "Pico" for colour in PICO_BACKGROUNDS}
    pairs, see_through = [], []
    for selector, decls in rules:
        fg = resolve(decls["color"]) if "color" in decls else None
        bg = resolve(decls.get("background-color", decls.get("background", "")))
        if fg and bg:
            pairs.append((selector, fg, bg))  # a rule that sets both is checked as that pair
        elif fg:
            texts[fg] = selector
        elif bg:
            backgrounds[bg] = selector
        if "opacity" in decls and float(decls["opacity"]) < 1:
            see_through.append(selector)
    return texts, backgrounds, pairs, see_through


def test_contrast_helper_knows_the_reference_values():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just too light
    assert contrast("#767676", "#fff") >= 4.5


def test_every_text_colour_has_4_5_to_1_on_every_background_it_may_sit_on():
    texts, backgrounds, pairs, see_through = _colour_pairs()
    assert len(texts) > 8 and len(backgrounds) > 6 and pairs  # the CSS was really read
    low = [
        f"{fg} ({where}) on {bg} ({bg_where}): {contrast(fg, bg):.2f}"
        for fg, where in texts.items()
        for bg, bg_where in backgrounds.items()
        if contrast(fg, bg) < 4.5
    ]
    low += [
        f"{sel}: {fg} on {bg}: {contrast(fg, bg):.2f}"
        for sel, fg, bg in pairs
        if contrast(fg, bg) < 4.5
    ]
    assert low == []
    # Translucent text blends into its background and loses contrast unpredictably.
    assert see_through == []


def test_pages_the_crawl_does_not_reach_pass(app, client, world, login_as):
    """Sign-in, error pages and a spent mentor link: the crawl only follows good links."""
    student = login_as(world.student)
    mentor = login_as(world.mentor)
    pages = [
        (client, "/aanmelden", 200),
        (client, "/wachtwoord-vergeten", 200),
        (client, "/m/geen-geldige-link", None),
        (student, "/bestaat-niet", 404),
        (student, "/beheer", 403),
        (student, f"/stages/{world.other_placement.id}/portfolio", 403),
        (mentor, f"/stages/{world.placement.id}/portfolio/stap-5", 403),
    ]
    for who, url, status in pages:
        response = who.get(url)
        if status is not None:
            assert response.status_code == status, url
        assert response.mimetype == "text/html", url
        assert problems(response.get_data(as_text=True)) == [], url


def test_forms_refused_with_422_stay_accessible(world, login_as, make_item):
    """Bad input comes back as a whole page whose error is tied to its field."""
    from portfolio.models import ItemKind

    item = make_item(world.placement, ItemKind.REFLECTIE, day=world.placement.first_day)
    pid = world.placement.id
    supervisor = login_as(world.supervisor)
    posts = [
        (supervisor, f"/stages/{pid}/evaluatie/tussentijds", {"oordeel-1": "geen-oordeel"}),
        (supervisor, f"/stages/{pid}/synthese", {}),
        (supervisor, f"/stages/{pid}/waarschuwingen", {}),
        (supervisor, f"/stages/{pid}/items/{item.id}/feedback", {"kind": "", "body": ""}),
        (login_as(world.coordinator), "/beheer/attitudes", {"name": ""}),
    ]
    for who, url, data in posts:
        response = who.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (url, response.status_code)
        assert problems(html) == [], url
        # The refused field is marked, and (checked above) its aria-describedby message exists.
        assert 'aria-invalid="true"' in html, url
