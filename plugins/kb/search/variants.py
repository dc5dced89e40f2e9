"""Light Persian morphology: the forms of a word that may be written for the same meaning.

Conservative on purpose: the forms are only *candidates*; a query uses those that are words of
the index vocabulary. So «رمزها» finds «رمز» and «رمزهای», «نمیتوانم» finds «میتوانید», but a
stripped form that is no word of the articles (e.g. «تهر» from «تهران») is never searched.
"""
from __future__ import annotations

import functools
import re

# Longest first. «یی»/«یان» follow a vowel (دانشجویی, دانشجویان); «گان» replaces a final «ه»
# (کنندگان → کننده).
SUFFIXES = ("هایی", "های", "ها", "ترین", "تر", "یان", "یی", "ان", "ات", "ای", "ی")
PLURAL_SUFFIXES = ("هایی", "های", "ها")  # these also follow two-letter words: کدها → کد
VERB_PREFIXES = ("نمی", "می")  # «نمی» first: it ends like «می»
VERB_ENDINGS = ("یم", "ید", "ند", "م", "ی", "د")
# «رمزم», «حسابت», «وضعیتش»; spoken Persian adds «و» for «را»: «رمزتو», «وضعیتشو».
POSSESSIVES = ("مان", "تان", "شان", "مون", "تون", "شون", "م", "ت", "ش")

_PERSIAN = re.compile(r"^[\u0621-\u06ff]+$")


def is_persian(word: str) -> bool:
    return _PERSIAN.match(word) is not None


@functools.lru_cache(maxsize=65536)
def bases(word: str) -> frozenset[str]:
    """``word`` and what it may be built on: without a suffix, or without «می»/«نمی» and the ending."""
    found = {word}
    if not is_persian(word):
        return frozenset(found)
    for suffix in SUFFIXES:
        rest = word[: -len(suffix)]
        if word.endswith(suffix) and len(rest) >= (2 if suffix in PLURAL_SUFFIXES else 3):
            found.add(rest)
    if word.endswith("گان") and len(word) >= 6:
        found.add(word[:-3] + "ه")
    for possessive in POSSESSIVES:
        for ending in (possessive, possessive + "و"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                found.add(word[: -len(ending)])
    found.update(spoken_forms(word))
    stem = verb_stem(word)
    if stem:
        found.add(stem)
        found.update(stem[: -len(ending)] for ending in VERB_ENDINGS
                     if stem.endswith(ending) and len(stem) - len(ending) >= 2)
    return frozenset(found)


def spoken_forms(word: str) -> set[str]:
    """Written forms of spoken ones: «دندون» → «دندان», «اومده» → «امده» (آمده, folded)."""
    found = set()
    if "ون" in word[1:]:
        found.add(word[0] + word[1:].replace("ون", "ان"))
    if word.startswith("او") and len(word) > 3:
        found.add("ا" + word[2:])
    return found


def verb_stem(word: str) -> str | None:
    for prefix in VERB_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return None


@functools.lru_cache(maxsize=65536)
def variants(word: str) -> frozenset[str]:
    """Forms to look up in the vocabulary for ``word`` (the word itself included)."""
    found = set()
    verb = verb_stem(word) is not None
    for base in bases(word):
        found.add(base)
        if not is_persian(base):
            continue
        found.update(base + suffix for suffix in SUFFIXES)
        if base.endswith("ه"):
            found.add(base[:-1] + "گان")
        if verb and verb_stem(base) is None:
            for prefix in VERB_PREFIXES:
                found.add(prefix + base)
                found.update(prefix + base + ending for ending in VERB_ENDINGS)
    return frozenset(found)
