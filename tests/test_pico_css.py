"""The trimmed Pico build (tools/pico/build.sh): small, and nothing the templates use went missing.

The class check reads class="..." in the templates (what Jinja writes in is left out: dynamic
names such as alert-{{ level }} are not checked), the style="..." argument of action_button,
and classes set from the scripts; each must be styled in a stylesheet under static/, or be one
of the UNSTYLED names below.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = ROOT / "portfolio"
TEMPLATES = sorted((PORTFOLIO / "templates").rglob("*.html"))
SCRIPTS = sorted((PORTFOLIO / "static").glob("*.js"))
STYLESHEETS = sorted((PORTFOLIO / "static").rglob("*.css"))
PICO_MAX_BYTES = 50_000  # the stock pico.min.css was 83,319

# Names that mark up a block for readers, tests or scripts (which mostly select by data-*),
# without a style of their own. A name that gains a style must leave this list.
UNSTYLED_NAMES = """
    actions add-offer attendance-form attitude-list audit-log check-form check-result code
    conflict-region day-block day-date day-state export-document export-files export-job
    feedback-body feedback-requests feedback-tags field-label field-main guidance-flags
    guidance-moment guidance-note guidance-request guidance-status hashes item-field
    item-field-label item-form item-list item-main item-readonly item-side list-count
    mentor-student missing-items narrow-form offer-context offer-form offer-links pagination
    placement-stopped presence-many presence-state recorder-status reflection-list remarks
    signatures signed-version state timeline-text upload-caption upload-caption-form
    upload-delete-form upload-document upload-form version-content warning-box weekdays
"""
UNSTYLED = set(UNSTYLED_NAMES.split())

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _template_classes(text: str) -> set[str]:
    found = set()
    for match in re.finditer(r"\bstyle=[\"']([^\"']*)[\"']", text):  # action_button(style=...)
        found |= set(match.group(1).split())
    # A tag becomes a space; an expression a marker, so a name built with one is left out.
    text = JINJA.sub(lambda m: " " if m.group(0).startswith("{%") else "\0", text)
    for match in re.finditer(r'\sclass="([^"]*)"', text):
        found |= {name for name in match.group(1).split() if "\0" not in name}
    return found


def _script_classes(text: str) -> set[str]:
    found = set()
    for match in re.finditer(r'className\s*=\s*"([^"]*)"', text):
        found |= set(match.group(1).split())
    for match in re.finditer(r"classList\.(?:add|remove|toggle)\(([^)]*)\)", text):
        found |= set(re.findall(r"\"([\w-]+)\"", match.group(1)))
    return found


def _used_classes() -> dict[str, str]:
    used = {}
    for path in TEMPLATES:
        for name in _template_classes(path.read_text()):
            used.setdefault(name, path.name)
    for path in SCRIPTS:
        for name in _script_classes(path.read_text()):
            used.setdefault(name, path.name)
    return used


def _styled_classes() -> set[str]:
    styled = set()
    for path in STYLESHEETS:
        css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        selectors = re.sub(r"\{[^{}]*\}", "{}", css)  # declarations out: url(x.svg) is no class
        styled |= set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selectors))
    return styled


def test_the_pico_stylesheet_pages_load_is_the_small_build(client, app):
    page = client.get("/aanmelden").text
    links = re.findall(r'<link rel="stylesheet" href="/static/([^"?]+)', page)
    assert links[0] == "vendor/pico-2.1.1.custom.min.css"
    assert (Path(app.static_folder) / links[0]).stat().st_size < PICO_MAX_BYTES
    offline = (PORTFOLIO / "templates" / "offline" / "offline.html").read_text()
    assert "vendor/pico-2.1.1.custom.min.css" in offline


def test_the_class_extraction_sees_literal_names_only():
    text = (
        '<p class="hint {{ extra }} state-{{ s }}{% if x %} is-today{% endif %}">'
        '{% call action_button(url, style="secondary small") %}'
    )
    assert _template_classes(text) == {"hint", "is-today", "secondary", "small"}
    assert _script_classes('el.classList.add("is-error"); n.className = "hint draft";') == {
        "is-error",
        "hint",
        "draft",
    }


def test_every_class_the_templates_use_is_styled_or_known_unstyled():
    used, styled = _used_classes(), _styled_classes()
    missing = {name: where for name, where in used.items() if name not in styled | UNSTYLED}
    assert missing == {}, "styled nowhere (style it, or add it to UNSTYLED if on purpose)"
    assert UNSTYLED - used.keys() == set(), "no longer used: remove from UNSTYLED"
    assert UNSTYLED & styled == set(), "now styled: remove from UNSTYLED"


def test_the_pico_classes_the_templates_use_are_in_the_build():
    pico = (PORTFOLIO / "static" / "vendor" / "pico-2.1.1.custom.min.css").read_text()
    for name in ("container", "grid", "secondary", "contrast", "outline", "striped"):
        assert name in _used_classes()
        assert re.search(rf"\.{name}\b", pico), name


def test_the_selectors_dropped_from_pico_match_nothing_in_the_templates_or_scripts():
    dropped = json.loads((ROOT / "tools" / "pico" / "unused-selectors.json").read_text())
    sources = {path.name: path.read_text() for path in TEMPLATES + SCRIPTS}
    for entry in dropped["selectors"]:
        found = [name for name, text in sources.items() if re.search(entry["markup"], text)]
        assert found == [], (entry["selector"], found)
