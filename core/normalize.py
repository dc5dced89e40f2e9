"""One text normalizer for Persian input and, later, search.

What people type varies with their keyboard: Arabic ي/ك instead of Persian ی/ک, Persian (۱۲۳),
Arabic-Indic (١٢٣) or Latin digits, a zero-width non-joiner (ZWNJ), a space or nothing between
«می» and the verb, diacritics and tatweel. ``normalize_text`` makes one canonical form of all of
them for storing; ``search_key`` folds further for matching.
"""
from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # Alef maksura
        "ئ": "ی",  # مسئله / مسیله: folded for matching only
        "ك": "ک",  # Arabic kaf
        "ە": "ه",
        "ۀ": "هٔ",
        "ة": "ه",
    }
)
_LETTERS_KEEP_HAMZA = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None})

_TO_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TO_PERSIAN_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")

# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and Quranic marks.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
# Zero-width and direction marks that sneak in from copy and paste; ZWNJ is handled apart.
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_RUNS = re.compile(f"(?:\\s*{ZWNJ}\\s*)+")
# «می شود» / «نمی شود» → the ZWNJ form, only before a Persian letter. Written together («میشود»)
# it is left alone: names such as «مینا» and «میلاد» look the same, and ``search_key`` folds both.
_MI_PREFIX = re.compile(r"(?<![\u0600-\u06ff])(ن?می) (?=[\u0622-\u06cc]{2,})")
# Plural and suffix spacing: «کتاب ها» → «کتاب‌ها», «خانه ای» stays (too ambiguous).
_HA_SUFFIX = re.compile(r"(?<=[\u0622-\u06cc]) (ها|های|هایی|هایم|هایت|هایش|تر|ترین)(?![\u0622-\u06cc])")


def to_latin_digits(text: str) -> str:
    return text.translate(_TO_LATIN_DIGITS)


def to_persian_digits(text: str) -> str:
    return str(text).translate(_TO_PERSIAN_DIGITS)


def normalize_text(text: str | None) -> str:
    """The canonical form to store: Persian letters, Latin digits, ZWNJ where Persian puts it.

    Keeps the words a person wrote; only the variants of the same word become one.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_LETTERS_KEEP_HAMZA)
    text = _DIACRITICS.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = to_latin_digits(text)
    text = _SPACES.sub(" ", text)
    text = _ZWNJ_RUNS.sub(ZWNJ, text)
    text = _MI_PREFIX.sub(lambda m: m.group(1) + ZWNJ, text)
    text = _HA_SUFFIX.sub(lambda m: ZWNJ + m.group(1), text)
    lines = [line.strip(" " + ZWNJ) for line in text.split("\n")]
    return "\n".join(lines).strip()


def normalize_line(text: str | None) -> str:
    """``normalize_text`` for a one-line field: newlines become spaces."""
    return normalize_text((text or "").replace("\r", " ").replace("\n", " "))


def search_key(text: str | None) -> str:
    """A folded form for matching: no ZWNJ, no hamza variants, lower case, single spaces.

    «می‌شود», «می شود» and «میشود» all give «میشود» (the verb prefix is joined). Other words
    written with a space for the half-space («پایان نامه») stay two words, since a space is a
    word boundary: matchers that must take them drop the spaces (``spaceless_key``) or, like the
    knowledge search, try the joined variant.
    """
    text = normalize_text(text).translate(_LETTERS)
    text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ؤ", "و")
    text = text.replace(ZWNJ, "")
    return _SPACES.sub(" ", text.casefold()).strip()


def spaceless_key(text: str | None) -> str:
    """``search_key`` without spaces: «پایان‌نامه», «پایان نامه» and «پایاننامه» are one."""
    return search_key(text).replace(" ", "")


def normalize_digits(text: str | None) -> str:
    """Digits only, from any script: for national codes, mobiles and tracking codes."""
    return re.sub(r"\D", "", to_latin_digits(text or ""))


def normalize_username(text: str | None) -> str:
    return to_latin_digits(normalize_line(text)).casefold()


def normalize_mobile(text: str | None) -> str:
    """Iranian mobile numbers in the form 09xxxxxxxxx (accepts +98, 0098 and 9xxxxxxxxx)."""
    digits = normalize_digits(text)
    if digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("9") and len(digits) == 10:
        digits = "0" + digits
    return digits


def is_valid_mobile(mobile: str) -> bool:
    return re.fullmatch(r"09\d{9}", mobile) is not None


def is_valid_national_code(code: str) -> bool:
    """The Iranian national code (کد ملی): 10 digits, the last a check digit.

    The sum of the first nine digits weighted 10…2, modulo 11, gives the check digit: the
    remainder itself when below 2, otherwise 11 minus it. Codes of ten identical digits pass the
    arithmetic but are not issued.
    """
    code = normalize_digits(code)
    if len(code) != 10 or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return int(code[9]) == check
