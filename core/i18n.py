"""Languages and calendars: Persian (fa, the default, right-to-left) and English.

Every string a person sees is a translation string of the ``pishkhan`` domain (``_("…")``),
translated by gettext catalogs under ``core/locale`` compiled at install time. Dates and times are
stored in UTC and shown in Asia/Tehran: in the Jalali calendar with Persian digits in Persian, in
the Gregorian calendar in English.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import jdatetime
from markupsafe import Markup
from pyramid.i18n import Localizer, TranslationStringFactory, make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories
from translationstring import TranslationString

from core.normalize import to_latin_digits, to_persian_digits

_ = TranslationStringFactory("pishkhan")

LANGUAGES = {"fa": {"name": "فارسی", "dir": "rtl"}, "en": {"name": "English", "dir": "ltr"}}
DEFAULT_LANGUAGE = "fa"
LANGUAGE_COOKIE = "_LOCALE_"
TEHRAN = ZoneInfo("Asia/Tehran")

# A Jalali date as typed, once its digits are Latin: year/month/day, ``/`` or ``-`` between.
_JALALI_DATE = re.compile(r"(\d+)\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{1,2})", re.ASCII)
# Direction marks and zero-width characters that come along when a date is pasted from RTL text.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# A word with a Latin letter in it: an e-mail address, a URL, a file's name, a model or serial
# number. Captured, so that ``split`` keeps these words at the odd places of its list; tried only
# where a word starts, so a long run without spaces is not scanned again from each of its letters.
_LATIN_WORD = re.compile(r"((?<!\S)\S*[A-Za-z]\S*)")
_ANY_DIGIT = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")
# What is not text in safe HTML: a tag, or a character reference (``&#39;``, whose digits are not
# a number to convert).
_HTML_MARKUP = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)""")
_REFERENCE = "\ufffc"  # stands for a character reference: one character, not a space, not Latin

_JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


def negotiate_locale(request) -> str:
    """The signed-in user's preference, then the language cookie, then Persian."""
    user = getattr(request, "user", None)
    if user is not None and user.preferred_language in LANGUAGES:
        return user.preferred_language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    return LANGUAGES.get(language, LANGUAGES[DEFAULT_LANGUAGE])["dir"]


def list_separator(language: str) -> str:
    """What goes between the items of a list in running text: the Persian comma in Persian."""
    return "، " if language == "fa" else ", "


def to_tehran(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TEHRAN)


def format_date(value: date | datetime | None, language: str = DEFAULT_LANGUAGE, long: bool = False) -> str:
    """``۱۴۰۵/۰۹/۰۳`` (or ``۳ آذر ۱۴۰۵`` when ``long``) in Persian; ``2026-11-24`` in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_tehran(value).date()
    return _format_day(value, language, long)


@lru_cache(maxsize=4096)  # a page shows the same few days many times; the conversion is not free
def _format_day(value: date, language: str, long: bool) -> str:
    if language != "fa":
        return value.strftime("%d %b %Y") if long else value.isoformat()
    jalali = jdatetime.date.fromgregorian(date=value)
    if long:
        text = f"{jalali.day} {_JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
    else:
        text = f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
    return to_persian_digits(text)


def format_jalali_input(value: date | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as a Jalali date field holds it in either language, ``yyyy/mm/dd``: ``۱۴۰۵/۰۹/۰۳``
    in Persian, ``1405/09/03`` in English (date fields read Jalali dates only)."""
    if value is None:
        return ""
    text = _format_day(value, "fa", False)
    return text if language == "fa" else to_latin_digits(text)


def format_datetime(value: datetime | None, language: str = DEFAULT_LANGUAGE) -> str:
    """Date and Tehran time: ``۱۴۰۵/۰۹/۰۳ ۱۴:۳۰`` in Persian."""
    if value is None:
        return ""
    local = to_tehran(value)
    clock = local.strftime("%H:%M")
    if language != "fa":
        return f"{local.date().isoformat()} {clock}"
    return f"{format_date(local.date(), language)} {to_persian_digits(clock)}"


def format_number(value, language: str = DEFAULT_LANGUAGE) -> str:
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if language != "fa":
        return text
    return to_persian_digits(text.replace(",", "٬"))


def text_digits(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Running text with its numbers in the language's digits: «طبقه 2، اتاق 214» reads
    «طبقه ۲، اتاق ۲۱۴» in Persian, and Persian digits become Latin in English. A word with a Latin
    letter in it keeps its digits as written: an e-mail address or a URL must still work when
    copied, and «PC-1402» or «M404dn» would read as neither script.

    Safe HTML (``Markup``, e.g. a search snippet with ``<mark>`` around its matches) stays safe
    HTML: only its text changes, never a tag, an attribute or a character reference. Tags are
    inline there: «PC-<mark>1402</mark>» is one word."""
    if isinstance(text, Markup):
        return _markup_digits(text, language)
    if not _ANY_DIGIT.search(text):  # most text has no number: nothing to split
        return text
    convert = to_persian_digits if language == "fa" else to_latin_digits
    pieces = _LATIN_WORD.split(text)
    return "".join(piece if place % 2 else convert(piece) for place, piece in enumerate(pieces))


def _markup_digits(html: Markup, language: str) -> Markup:
    if not _ANY_DIGIT.search(html):
        return html
    pieces = _HTML_MARKUP.split(html)
    # The text as read, a tag taking no place and a reference one character: the words are found
    # in it, and since a digit is converted to one digit, its places still match the pieces'.
    read = "".join(piece if not place % 2 else "" if piece.startswith("<") else _REFERENCE
                   for place, piece in enumerate(pieces))
    shown = text_digits(read, language)
    result, position = [], 0
    for place, piece in enumerate(pieces):
        if place % 2:
            result.append(piece)
            position += 0 if piece.startswith("<") else 1
        else:
            result.append(shown[position:position + len(piece)])
            position += len(piece)
    return Markup("".join(result))


class ImpossibleDate(ValueError):
    """Written as a Jalali date, but there is no such day (month 13, 30 Esfand 1404) or the year
    is not written in full; ``message`` says which, translatable, its numbers in Latin digits."""

    def __init__(self, text: str, message: TranslationString):
        super().__init__(text)
        self.message = message


def parse_jalali_date(text: str) -> date:
    """Parse ``1405/09/03`` (any digits, ``/`` or ``-``, direction marks and spaces pasted around
    them ignored) as a Jalali date; ``ValueError`` if it is not a date, ``ImpossibleDate`` (a
    ``ValueError``) if it is written as one but no such day exists or its year has not four digits."""
    match = _JALALI_DATE.fullmatch(to_latin_digits(_INVISIBLE.sub("", text)).strip())
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if len(match[1]) != 4:
        raise ImpossibleDate(text, _("Enter a Jalali date as year/month/day, for example 1405/09/03. "
                                     "Write the year with four digits."))
    if not 1 <= month <= 12:
        raise ImpossibleDate(text, _("Enter a Jalali date as year/month/day, for example 1405/09/03. "
                                     "There is no month ${month}: months go from 1 to 12.", mapping={"month": month}))
    days = 30 if month == 12 and jdatetime.date(year, 1, 1).isleap() else jdatetime.j_days_in_month[month - 1]
    if not 1 <= day <= days:
        raise ImpossibleDate(text, _("Enter a Jalali date as year/month/day, for example 1405/09/03. "
                                     "There is no ${date}: that month has ${days} days.",
                                     mapping={"date": f"{year:04d}/{month:02d}/{day:02d}", "days": days}))
    return jdatetime.date(year, month, day).togregorian()


class RememberingLocalizer(Localizer):
    """Keeps the translation of each message without a mapping: a page asks for the same few
    hundred labels on every request, and a catalog look-up costs more than a dictionary's."""

    REMEMBERED_AT_MOST = 20_000  # messages are finite, but a caller may pass any text

    def __init__(self, locale_name: str, translations):
        super().__init__(locale_name, translations)
        self._remembered: dict[tuple, str] = {}

    def translate(self, tstring, domain=None, mapping=None):
        if mapping or getattr(tstring, "mapping", None):
            return super().translate(tstring, domain=domain, mapping=mapping)
        key = (tstring, domain, getattr(tstring, "domain", None), getattr(tstring, "default", None),
               getattr(tstring, "context", None))
        translated = self._remembered.get(key)
        if translated is None:
            translated = super().translate(tstring, domain=domain)
            if len(self._remembered) < self.REMEMBERED_AT_MOST:
                self._remembered[key] = translated
        return translated


def localizer_for(registry, language: str) -> Localizer:
    """The application's localizer of ``language``, made once from every translation directory."""
    localizer = registry.queryUtility(ILocalizer, name=language)
    if not isinstance(localizer, RememberingLocalizer):
        made = make_localizer(language, registry.queryUtility(ITranslationDirectories, default=[]))
        localizer = RememberingLocalizer(language, made.translations)
        registry.registerUtility(localizer, ILocalizer, name=language)
    return localizer


def includeme(config):
    config.add_translation_dirs("core:locale/")
    config.add_request_method(lambda request: localizer_for(request.registry, request.locale_name),
                              "localizer", reify=True)
    config.set_locale_negotiator(negotiate_locale)
    config.get_settings().setdefault("pyramid.default_locale_name", DEFAULT_LANGUAGE)
