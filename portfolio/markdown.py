"""Markdown rendering that is safe by construction.

markdown-it-py's "js-default" preset has raw HTML off and a link validator that refuses
javascript:, vbscript:, file: and data: (except data:image/gif|png|jpeg|webp). Output is
escaped HTML with no attributes other than href/src/alt/title, so no hx-* can come from text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("js-default", {"linkify": False, "typographer": False, "breaks": True})
_md.enable("table")
_md.enable("strikethrough")


def render_markdown(text: str | None) -> Markup:
    """Render student Markdown to HTML that can be placed in a page as it is."""
    if not text:
        return Markup("")
    return Markup(_md.render(text))  # noqa: S704 - rendered with raw HTML off (see above)


def plain_text(text: str | None) -> str:
    """Return the words of student Markdown without its markup, on one line (for tooltips)."""
    if not text:
        return ""
    words: list[str] = []
    for token in _md.parse(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline", "image"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
        words.append(" ")
    return " ".join("".join(words).split())
