"""dvar's own small Markdown: the text of a lesson step, turned into safe HTML.

The subset: paragraphs (separated by a blank line), ``*em*`` or ``_em_``,
``**strong**``, ```code```, bulleted lists (``- item`` or ``* item``) and numbered
lists (``1. item``).  Everything else is text: every ``<``, ``>``, ``&`` and quote
is escaped, so no raw HTML, image or link can get through, whatever the file says.
Math is written in Unicode (∂J/∂v, ·, →).  Qt-free, so the command line and the
tests use it too.
"""

from __future__ import annotations

import html
import re

_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
#: Inline marks, tried in this order at each position: code first (nothing inside it
#: is a mark), then strong, then emphasis.
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>[^*\s](?:[^*]*[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*"
    r"|(?<![\w])_(?P<em2>[^_\s](?:[^_]*[^_\s])?)_(?![\w])"
)


def markdown_html(text: str) -> str:
    """The text as HTML: only ``<p>``, ``<ul>``, ``<ol>``, ``<li>``, ``<em>``,
    ``<strong>``, ``<code>`` and ``<br>``, everything else escaped."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def close_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if items:
            body = "".join(f"<li>{inline(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}>{body}</{list_tag}>")
            items.clear()
        list_tag = ""

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if not line.strip():
            close_paragraph()
            close_list()
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            close_paragraph()
            if list_tag != tag:
                close_list()
                list_tag = tag
            items.append((bullet or numbered).group(1))
        elif items and raw[:1].isspace():  # an indented line continues the item
            items[-1] += " " + line.strip()
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    return "".join(blocks)


def inline(text: str) -> str:
    """One line's inline marks as HTML, everything else escaped."""
    out = []
    at = 0
    for found in _INLINE.finditer(text):
        out.append(html.escape(text[at : found.start()]))
        code, strong, em = found.group("code"), found.group("strong"), found.group("em")
        if code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif strong is not None:
            out.append(f"<strong>{inline(strong)}</strong>")
        else:
            out.append(f"<em>{inline(em if em is not None else found.group('em2'))}</em>")
        at = found.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def plain_text(text: str) -> str:
    """The text without its marks, for places that show plain text (tooltips, a
    worksheet's list): ``*v*`` becomes ``v``, list items keep their bullets."""
    return re.sub(
        r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: next(g for g in m.groups() if g), text
    )
