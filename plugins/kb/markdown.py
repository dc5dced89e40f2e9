"""Article bodies: Markdown in, sanitized HTML out.

markdown-it-py renders (raw HTML in the source is kept as text by the parser's ``html=False``),
then nh3 (the Ammonia sanitizer) keeps only the tags and attributes an article needs, so neither
a title nor a body can carry a script, an event handler or a ``javascript:`` link.

Given the reader's language, the numbers of the text read in its digits (``core.i18n.text_digits``):
only text is converted, between the parser's tokens, never code (inline, fenced or indented), a
link's address or an image's text (an attribute).
"""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from core.i18n import text_digits

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"}}


# Within a paragraph, a heading or a cell: what takes a place in the text as read besides text.
# Code and images are one character each (neither a space nor a Latin letter); emphasis and
# links take none, so «**PC**-1402» is still one word with a Latin letter, kept as written.
_BREAKS = {"softbreak": "\n", "hardbreak": "\n"}
_OPAQUE = "\ufffc"


def render(body: str, language: str | None = None) -> Markup:
    """Safe HTML of a Markdown ``body``; a heading level 1 becomes 2 (the page title is the h1).
    With a ``language``, the numbers of its text read in that language's digits; without one (the
    API), the body's digits are as written."""
    tokens = _PARSER.parse(body or "")
    if language is not None:
        for token in tokens:
            if token.type == "inline" and token.children:
                _text_digits(token.children, language)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer"))


def _text_digits(children: list, language: str) -> None:
    """Converts the digits of an inline run's text tokens in place, the run read as a whole."""
    read = "".join(_as_read(token) for token in children)
    shown = text_digits(read, language)
    if shown == read:
        return
    position = 0
    for token in children:
        width = len(_as_read(token))
        if token.type == "text":
            token.content = shown[position:position + width]
        position += width


def _as_read(token) -> str:
    if token.type == "text":
        return token.content
    if token.type in ("code_inline", "image"):
        return _OPAQUE
    return _BREAKS.get(token.type, "")
