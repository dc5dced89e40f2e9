"""Article bodies: Markdown in, sanitized HTML out.

markdown-it-py renders (raw HTML in the source is kept as text by the parser's ``html=False``),
then nh3 (the Ammonia sanitizer) keeps only the tags and attributes an article needs, so neither
a title nor a body can carry a script, an event handler or a ``javascript:`` link.
"""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
                      "ol": {"start"}}


def render(body: str) -> Markup:
    """Safe HTML of a Markdown ``body``; a heading level 1 becomes 2 (the page title is the h1)."""
    html = _PARSER.render(body or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer"))
