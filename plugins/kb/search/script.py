"""Words typed in the other script: a keyboard left on the wrong layout, Finglish, English words
written in Persian letters.

- **Layout**: «hdldg» is «ایمیل» typed with the English layout on, «رحد» is «vpn» typed with the
  Persian one (the standard Persian layout, ISIRI 9147, key for key).
- **Sound skeleton**: what a word sounds like without its vowels, in one alphabet for both
  scripts. Finglish «ramz» and «رمز» are both ``rmz``; «اکسل» and «excel» both ``ksl``. Persian
  does not write short vowels and writes long ones with «ا», «و», «ی», letters that are consonants
  too (v, y), so every vowel and those letters are left out on both sides, and letters said alike
  (س ص ث, ز ذ ض ظ, ت ط, ه ح, ق غ) are one. The index keeps each word's skeleton, so a word of
  the other script that sounds the same is one look-up away; ``closeness`` then orders the
  candidates by how well their letters match what was typed.

Every candidate is used only if it is a word of the index vocabulary.
"""
from __future__ import annotations

import functools
import re

from rapidfuzz.distance import Levenshtein

# The standard Persian layout: the key of each Persian letter on an English keyboard.
_PERSIAN_KEYS = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو"
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,"
_TO_PERSIAN = str.maketrans(dict(zip(_LATIN_KEYS, _PERSIAN_KEYS, strict=True)) | {"\\": "پ", "H": "آ"})
_TO_LATIN = str.maketrans(dict(zip(_PERSIAN_KEYS, _LATIN_KEYS, strict=True)) | {"آ": "h", "ي": "d", "ك": ";"})
# A Latin run with the keys of «و», «ک», «گ», «ج», «چ», «پ» inside: text typed on the wrong layout.
LAYOUT_CHUNK = re.compile(r"^[a-zA-Z;,'\[\]\\]*[a-zA-Z][a-zA-Z;,'\[\]\\]*$")
_LAYOUT_MARKS = re.compile(r"[a-zA-Z][;,'\[\]\\]|[;,'\[\]\\][a-zA-Z]")

_PERSIAN_WORD = re.compile(r"^[\u0621-\u06ff]+$")
_LATIN_WORD = re.compile(r"^[a-z]+$")

# Persian letters → sound classes; long vowels, «ع» and hamza are left out.
_PERSIAN_SOUNDS = str.maketrans({
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ج": "j", "چ": "C", "ح": "h",
    "ه": "h", "خ": "x", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z", "ر": "r", "ژ": "Z", "ش": "S",
    "غ": "q", "ق": "q", "ف": "f", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "ا": None, "آ": None, "أ": None, "إ": None, "ع": None, "ء": None, "ئ": None, "ؤ": None, "و": None,
    "ی": None, "ى": None, "ي": None,
})
# Latin spellings, longest first, → the same classes ("" for a vowel).
_LATIN_SOUNDS = (
    ("sh", "S"), ("ch", "C"), ("kh", "x"), ("gh", "q"), ("zh", "Z"), ("ph", "f"), ("th", "t"), ("ck", "k"),
    ("ce", "s"), ("ci", "s"), ("cy", "s"), ("x", "ks"), ("c", "k"), ("q", "q"),
    ("a", ""), ("e", ""), ("i", ""), ("o", ""), ("u", ""), ("y", ""), ("w", ""), ("v", ""),
)
# For ``closeness``: long vowels (Persian «ا», «و», «ی»; Latin a, i, u, oo, y, v, w) are one
# letter, short ones (e, o; «ع», hamza) are left out, as Persian writes them.
_PERSIAN_VOWELS = str.maketrans({
    **{chr(code): sound for code, sound in _PERSIAN_SOUNDS.items() if sound is not None},
    **{letter: "a" for letter in "اآوییىئؤ"}})
_LATIN_VOWELS = {"a": "a", "i": "a", "u": "a", "y": "a", "w": "a", "v": "a", "e": "", "o": "", "oo": "a", "ou": "a"}
_LATIN_VOWEL_PATTERN = re.compile(
    "|".join(re.escape(spelling) for spelling, _ in _LATIN_SOUNDS[:14]) + "|oo|ou|[aeiouywv]")
_LATIN_PATTERN = re.compile("|".join(re.escape(spelling) for spelling, _ in _LATIN_SOUNDS))
_LATIN_MAP = dict(_LATIN_SOUNDS)
_REPEATS = re.compile(r"(.)\1+")

MIN_LETTERS = 3  # letters of a word before its skeleton is looked up
CLOSE = 0.6  # the least ``closeness`` of a candidate of the other script


def is_persian(word: str) -> bool:
    return _PERSIAN_WORD.match(word) is not None


def is_latin(word: str) -> bool:
    return _LATIN_WORD.match(word) is not None


def other_layout(text: str) -> str:
    """``text`` as the same keys give it on the other layout (Latin → Persian or Persian → Latin)."""
    if text.isascii():
        return text.translate(_TO_PERSIAN)
    return text.translate(_TO_LATIN)


def layout_chunk(chunk: str) -> bool:
    """A chunk of Latin letters with the punctuation keys of Persian letters inside («uf,v»)."""
    return LAYOUT_CHUNK.match(chunk) is not None and _LAYOUT_MARKS.search(chunk) is not None


def _sounds(word: str, vowels: bool) -> str:
    if is_persian(word):
        if word.endswith("ه") and len(word) > 2:  # a final «ه» is mostly the vowel e: «نامه»
            word = word[:-1]
        sounds = word.translate(_PERSIAN_VOWELS if vowels else _PERSIAN_SOUNDS)
    elif is_latin(word):
        if len(word) > 3 and word.endswith("h") and word[-2] in "ae":  # «bimeh», «daneshgah»
            word = word[:-1]
        if vowels:
            sounds = _LATIN_VOWEL_PATTERN.sub(
                lambda match: _LATIN_VOWELS.get(match.group(), _LATIN_MAP.get(match.group())), word)
        else:
            sounds = _LATIN_PATTERN.sub(lambda match: _LATIN_MAP[match.group()], word)
    else:
        return ""
    return _REPEATS.sub(r"\1", sounds)


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The word's sound skeleton (see the module docstring); "" for a word of neither script or
    one too short to say anything (Latin words of fewer than three letters)."""
    if len(word) < (2 if is_persian(word) else MIN_LETTERS):
        return ""
    return _sounds(word, False)


def closeness(typed: str, candidate: str) -> float:
    """How alike ``typed`` and a ``candidate`` of the other script sound, 0 to 1 (see
    ``_PERSIAN_VOWELS``)."""
    sounds = _sounds(candidate, True)
    best = Levenshtein.normalized_similarity(_sounds(typed, True), sounds)
    if is_latin(typed) and "a" in typed:  # Finglish «a» is «ا» or a short vowel: «khedmat» → «خدمت»
        best = max(best, Levenshtein.normalized_similarity(_sounds(typed.replace("a", "e"), True), sounds))
    return best


# Finglish words that say nothing (light verbs and the words of a question), as people type
# them: they never become search terms.
_FINGLISH_VERBS = ("sh", "shod", "kon", "kard", "dar", "dasht", "tun", "tunest", "khah", "kha", "khast", "gir",
                   "gereft", "zan", "zad", "ya", "yad", "iad", "umad", "omad", "raft", "rafte", "bin", "did", "d", "de",
                   "gu", "goft", "bash", "bud", "kesh")
_FINGLISH_ENDINGS = ("", "am", "i", "e", "eh", "ad", "im", "id", "in", "an", "and", "ade", "ane")
FINGLISH_VERBS = frozenset(prefix + stem + ending for prefix in ("", "mi", "nemi", "be", "na", "ne")
                           for stem in _FINGLISH_VERBS for ending in _FINGLISH_ENDINGS
                           if len(prefix + stem + ending) >= 4) | {"miad", "nemiad", "miyad", "nemiyad", "nemikhad"}
