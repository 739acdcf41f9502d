"""dvar's small Markdown: the subset it renders, and everything else escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from dvar.core.markup import inline, markdown_html, plain_text

ALLOWED = {"p", "ul", "ol", "li", "em", "strong", "code", "br"}


class Tags(HTMLParser):
    """Every tag and attribute the HTML holds, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple] = []
        self.text: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append("comment")

    def handle_decl(self, decl):
        self.other.append("decl")

    def handle_pi(self, data):
        self.other.append("pi")


def parsed(text: str) -> Tags:
    tags = Tags()
    tags.feed(markdown_html(text))
    tags.close()
    return tags


def test_the_subset():
    assert markdown_html("Bump *v* and watch **J**: `dv = 3`.") == (
        "<p>Bump <em>v</em> and watch <strong>J</strong>: <code>dv = 3</code>.</p>"
    )
    assert markdown_html("- one\n- two\n\n1. first\n2. second") == (
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
    )
    assert markdown_html("first\nline\n\nsecond") == "<p>first<br>line</p><p>second</p>"
    assert markdown_html("a _word_ in snake_case_names") == (
        "<p>a <em>word</em> in snake_case_names</p>"
    )


def test_a_list_right_after_a_paragraph_and_an_indented_continuation():
    assert markdown_html("Steps:\n- bump *a*\n  and watch\n- then b") == (
        "<p>Steps:</p><ul><li>bump <em>a</em> and watch</li><li>then b</li></ul>"
    )


def test_raw_html_images_and_links_come_out_as_text():
    text = '<b>x</b> <img src="a.png"> [link](http://e.com) ![img](a.png) <!-- c --> &amp;'
    out = markdown_html(text)
    assert "<b>" not in out and "<img" not in out and "<a" not in out and "<!--" not in out
    assert parsed(text).tags == ["p", "/p"]
    assert "".join(parsed(text).text) == text  # the reader sees exactly what was written


def test_code_keeps_its_stars_and_escapes_its_brackets():
    assert inline("`a*b*c <x>`") == "<code>a*b*c &lt;x&gt;</code>"


def test_math_in_unicode_passes_through():
    text = "∂J/∂v = 3 · 1, so da = dv · ∂v/∂a → 3"
    assert markdown_html(text) == f"<p>{text}</p>"


def test_plain_text_drops_the_marks():
    assert plain_text("Bump *v*, see **J** move by `3·h`") == "Bump v, see J move by 3·h"


@given(st.text(alphabet=st.sampled_from(list("ab *_`-1.<>&\"'/=\n!#[]()")), max_size=80))
def test_whatever_is_written_only_the_allowed_tags_come_out(text):
    tags = parsed(text)
    assert {tag.lstrip("/") for tag in tags.tags} <= ALLOWED
    assert tags.attributes == []
    assert tags.other == []
    # Every character written reaches the reader (marks aside), none doubled by escaping.
    shown = "".join(tags.text)
    kept = re.sub(r"[*_`\s]|^\d+\.|-", "", html.unescape(shown))
    assert set(kept) <= set(re.sub(r"[*_`\s]", "", text))
