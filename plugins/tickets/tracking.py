"""Public tracking codes (کد رهگیری): 11 digits, random, with a Verhoeff check digit.

Ten random digits give 9·10⁹ codes, so a guessed code is almost never someone's; the check digit
catches every single mistyped digit and every swap of neighbours when a code is read over the
phone. Codes are shown in groups of four, three and four digits.
"""
from __future__ import annotations

import re
import secrets

from stdnum import verhoeff

from core.normalize import normalize_digits

CODE_LENGTH = 11
_SEPARATORS = re.compile(r"[\s\-_./]+")


def new_code() -> str:
    body = str(secrets.randbelow(9 * 10**9) + 10**9)  # ten digits, never a leading zero
    return body + verhoeff.calc_check_digit(body)


def parse_code(text: str | None) -> str | None:
    """The code in what someone typed (Persian, Arabic or Latin digits, spaces or dashes
    anywhere), or ``None`` if it is not a well-formed code."""
    if not text:
        return None
    code = _SEPARATORS.sub("", normalize_digits(text))
    if len(code) != CODE_LENGTH or not code.isdigit() or not verhoeff.is_valid(code):
        return None
    return code


def format_code(code: str) -> str:
    """``12345678902`` → ``1234-567-8902`` (easy to read aloud); digits are localized by the view."""
    return f"{code[:4]}-{code[4:7]}-{code[7:]}"
