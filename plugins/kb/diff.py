"""Word-level differences between two texts of an article, as escaped HTML with ``<ins>``/``<del>``.

Lines are matched first and words only inside the lines that changed, so a long article costs
little more than its changed paragraphs (``difflib`` compares sequences pairwise).
"""
from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")


def _inserted(text: str) -> Markup:
    return Markup("<ins>{}</ins>").format(text) if text else Markup("")


def _deleted(text: str) -> Markup:
    return Markup("<del>{}</del>").format(text) if text else Markup("")


def word_diff(old: str, new: str) -> Markup:
    """``new`` with the words of ``old`` it lost in ``<del>`` and those it gained in ``<ins>``."""
    old_lines, new_lines = (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True)
    parts: list[Markup] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        before, after = "".join(old_lines[old_start:old_end]), "".join(new_lines[new_start:new_end])
        if operation == "equal":
            parts.append(escape(after))
        elif operation == "delete":
            parts.append(_deleted(before))
        elif operation == "insert":
            parts.append(_inserted(after))
        else:
            parts.append(_words(before, after))
    return Markup("").join(parts)


def _words(old: str, new: str) -> Markup:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[Markup] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        before, after = "".join(old_words[old_start:old_end]), "".join(new_words[new_start:new_end])
        if operation == "equal":
            parts.append(escape(after))
        else:
            parts.append(_deleted(before) + _inserted(after))
    return Markup("").join(parts)


def list_diff(old: list[str], new: list[str]) -> Markup:
    """Items kept, removed (``<del>``) and added (``<ins>``), separated by «، »."""
    removed = [item for item in old if item not in new]
    items = [escape(item) if item in old else _inserted(item) for item in new] + [_deleted(item) for item in removed]
    return Markup("، ").join(items)
