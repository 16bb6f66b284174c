"""Render the app icons (PNG 192 and 512) from static/favicon.svg with Debian's chromium.

Run once after changing the favicon: `.venv/bin/python scripts/make_icons.py`. The PNGs are
committed; the web app manifest (portfolio/routes/offline.py) names them.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "portfolio" / "static"
SIZES = (192, 512)


def main() -> None:
    svg = (STATIC / "favicon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f"<style>html,body{{margin:0;background:transparent}}</style>{sized}")
            page.screenshot(path=STATIC / f"icon-{size}.png", omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
