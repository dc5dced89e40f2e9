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
PLURALS = ("هایی", "های", "ها", "یان", "ان", "ات")
VERB_PREFIXES = ("نمی", "می")  # «نمی» first: it ends like «می»
# «بپردازم», «نپرداخته»: «ب»/«ن» are stripped only from a word that ends like a verb.
BARE_PREFIXES = ("ب", "ن")
VERB_ENDINGS = ("یم", "ید", "ند", "م", "ی", "د")
# «رمزم», «حسابت», «وضعیتش»; spoken Persian adds «و» for «را»: «رمزتو», «وضعیتشو». After a final
# «ه» or «ی» they are written «‌ام», «‌ات», «‌اش» (folded without the ZWNJ: «شهریهام», «کاربریام»),
# and a perfect verb ends in «‌اند», «‌ام»: «نپرداخته‌اند».
POSSESSIVES = ("امان", "اتان", "اشان", "مان", "تان", "شان", "مون", "تون", "شون", "اند", "ایم", "اید",
               "ام", "ات", "اش", "م", "ت", "ش")

_PERSIAN = re.compile(r"^[\u0621-\u06ff]+$")


def is_persian(word: str) -> bool:
    return _PERSIAN.match(word) is not None


def without_suffix(word: str, suffixes: tuple[str, ...] = SUFFIXES) -> set[str]:
    """``word`` less one plural or adjective suffix: «کلیدهای» → «کلید», «نمرات» → «نمره»."""
    found = set()
    for suffix in suffixes:
        rest = word[: -len(suffix)]
        if word.endswith(suffix) and len(rest) >= (2 if suffix in PLURAL_SUFFIXES else 3):
            found.add(rest)
            if suffix == "ات":  # «نمرات», «اطلاعات»: the singular ends in «ه»
                found.add(rest + "ه")
    if word.endswith("گان") and len(word) >= 6:
        found.add(word[:-3] + "ه")
    return found


def without_possessive(word: str) -> set[str]:
    """``word`` less a possessive or personal ending, and spoken «و» (for «را») after it."""
    found = set()
    for possessive in POSSESSIVES:
        for ending in (possessive, possessive + "و"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                found.add(word[: -len(ending)])
    if word.endswith("و") and len(word) >= 5:  # «نمره‌مو» → «نمرهم», «شهریمو» → «شهریم»
        found.add(word[:-1])
    return found


@functools.lru_cache(maxsize=65536)
def bases(word: str) -> frozenset[str]:
    """``word`` and what it may be built on: without a suffix and a possessive (one of each:
    «فاکتورهایمان» → «فاکتور»), or without «می»/«نمی»/«ب»/«ن» and the ending."""
    found = {word}
    if not is_persian(word):
        return frozenset(found)
    stripped = without_possessive(word)
    found.update(stripped)
    found.update(without_suffix(word))
    for form in stripped:  # only a plural before a possessive: «عضویت» is no «عضو» + «ی» + «ت»
        found.update(without_suffix(form, PLURALS))
    for form in (word, *stripped):
        found.update(spoken_forms(form))
        if form.endswith("ی") and len(form) >= 4 and form != word:  # spoken «شهریمو» → «شهریه»
            found.add(form + "ه")
    found.update(verb_bases(word))
    return frozenset(found)


@functools.lru_cache(maxsize=65536)
def verb_bases(word: str) -> frozenset[str]:
    """What a verb form is built on: «نمی‌پردازم» → «پردازم», «پرداز»; «نپرداخته‌اند» → «پرداخت»."""
    found = set()
    if not is_persian(word):
        return frozenset(found)
    for form in (word, *without_possessive(word)):
        stem = verb_stem(form)
        if stem:
            found.add(stem)
            found.update(stem[: -len(ending)] for ending in VERB_ENDINGS
                         if stem.endswith(ending) and len(stem) - len(ending) >= 2)
            if stem.endswith("ه") and len(stem) >= 4:  # a participle: «نپرداخته» → «پرداخت»
                found.add(stem[:-1])
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
    for prefix in BARE_PREFIXES:  # «بپردازم», «نپرداخته»: a verb's ending or a participle's «ه»
        if word.startswith(prefix) and len(word) >= 5 and word.endswith(("م", "ی", "د", "ه")) \
                and word[1] not in "اوی":
            return word[len(prefix):]
    return None


@functools.lru_cache(maxsize=65536)
def variants(word: str) -> frozenset[str]:
    """Forms to look up in the vocabulary for ``word`` (the word itself included)."""
    found = set()
    for base in bases(word):
        found.add(base)
        if not is_persian(base):
            continue
        found.update(base + suffix for suffix in SUFFIXES)
        if base.endswith("ه"):
            found.add(base[:-1] + "گان")
    for base in verb_bases(word):
        if verb_stem(base) is None:
            for prefix in (*VERB_PREFIXES, "ب"):
                found.add(prefix + base)
                found.update(prefix + base + ending for ending in VERB_ENDINGS)
    return frozenset(found)
