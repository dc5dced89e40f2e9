"""Query analysis shared by every engine: what a person typed → concepts to look for.

A *concept* is one thing the query asks about — a word, a compound written apart («ثبت نام»), or
a synonym («رمز عبور» ↔ «پسورد») — with its *alternatives*: the forms an article may use for it
(the word, its variants in the vocabulary, synonyms, a compound joined or split, a prefix while
typing, the nearest vocabulary words of a typo), each with a weight below 1 when it is less sure.
Engines search the alternatives as plain words and phrases; ``ranking`` scores the candidates.

Only words of the index vocabulary become alternatives, so a typo or an invented stem never
reaches the engine, and a query whose words match nothing gives no concept that can match.
"""
from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from plugins.kb.search.script import (
    CLOSE,
    LAYOUT_CHUNK,
    closeness,
    is_latin,
    is_persian,
    layout_chunk,
    other_layout,
    skeleton,
)
from plugins.kb.search.stopwords import STOPWORDS
from plugins.kb.search.variants import bases, variants
from plugins.kb.search.words import words

MAX_QUERY_CHARS = 4000  # a pasted description longer than this says nothing more
MAX_TOKENS = 80  # words of a long query considered, from its start
MAX_CONCEPTS = 14  # the most specific of them are searched
MAX_FUZZY = 4  # unknown words corrected per query
MAX_CORRECTED = 30  # letters of the longest word corrected (its one-edit spellings are looked up)
MIN_PREFIX = 2  # letters typed before a word is completed

VARIANT = 0.85
SYNONYM = 0.9
COMPOUND = 0.95
PREFIX = 0.8
FUZZY = 0.7
LAYOUT = 0.9  # the word the same keys give on the other keyboard layout
SOUNDS = 0.8  # a word of the other script that sounds the same (Finglish, English in Persian letters)
SOUND_CHOICES = 3  # such words kept for one typed word
SURE_SOUND = 0.8  # a Finglish word that sounds this much like a Persian stopword is one
PART = 1.0  # shared by the content words of a compound


class Vocabulary(Protocol):
    """The index vocabulary of one engine, as seen inside one transaction."""

    def document_count(self) -> int:
        """How many documents the index holds (an estimate is fine)."""

    def frequencies(self, terms: Collection[str]) -> dict[str, int]:
        """Document frequency of each of ``terms`` found in the index (absent ones left out)."""

    def similar(self, term: str) -> dict[str, int]:
        """Vocabulary words close to ``term`` in spelling, with their document frequency."""

    def prefix_frequency(self, prefix: str) -> int:
        """Documents per word summed over the words that start with ``prefix`` (an upper bound)."""

    def sounding(self, skeletons: Collection[str]) -> dict[str, int]:
        """Vocabulary words whose ``script.skeleton`` is one of ``skeletons``, with their document
        frequency (the commonest few hundred)."""


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # one word, or a phrase of consecutive words
    weight: float
    prefix: bool = False  # the last word also matches the words it begins (typing)
    frequency: int = 0  # documents holding it, at most (what it costs an engine to rank them)


@dataclass
class Concept:
    typed: str
    alternatives: list[Alternative] = field(default_factory=list)
    weight: float = 0.0  # inverse document frequency: rare concepts count more

    def add(self, alternative: Alternative) -> None:
        for index, known in enumerate(self.alternatives):
            if known.words == alternative.words and known.prefix == alternative.prefix:
                if alternative.weight > known.weight:
                    self.alternatives[index] = alternative
                return
        self.alternatives.append(alternative)


@dataclass(frozen=True)
class QueryPlan:
    concepts: tuple[Concept, ...]
    document_count: int

    @property
    def words(self) -> frozenset[str]:
        """Every word an alternative looks for (prefixes included): what snippets mark."""
        return frozenset(word for concept in self.concepts for alt in concept.alternatives for word in alt.words)

    @property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(alt.words[-1] for concept in self.concepts for alt in concept.alternatives if alt.prefix)


EMPTY = QueryPlan((), 0)


def idf(frequency: int, documents: int) -> float:
    """BM25's inverse document frequency, never below a small floor."""
    documents = max(documents, frequency, 1)
    return max(math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)), 0.05)


@functools.lru_cache(maxsize=16)
def synonym_index(groups: tuple[tuple[str, ...], ...]) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each synonym (as a tuple of words) → every phrase of its group, itself first."""
    index: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in groups:
        phrases = [tuple(words(term)) for term in group]
        phrases = list(dict.fromkeys(phrase for phrase in phrases if phrase))
        for phrase in phrases:
            others = tuple(other for other in phrases if other != phrase)
            index[phrase] = tuple(dict.fromkeys((phrase, *others, *index.get(phrase, ())[1:])))
    return index


def typed_prefix(text: str) -> str | None:
    """The word being typed at the end of ``text`` (no space after it yet), completed as a prefix."""
    if not text or not text[-1:].isalnum():
        return None
    tokens = words(text[-100:])
    return tokens[-1] if tokens and len(tokens[-1]) >= MIN_PREFIX and tokens[-1] not in STOPWORDS else None


def analyze(text: str, synonyms: tuple[tuple[str, ...], ...], vocabulary: Vocabulary) -> QueryPlan:
    """The concepts of ``text``: see the module docstring."""
    text = (text or "")[:MAX_QUERY_CHARS]
    text = layout_fixed(text, vocabulary)
    tokens = words(text)
    if not any(token not in STOPWORDS for token in tokens):
        return EMPTY
    return _Analysis(tokens, synonym_index(synonyms), vocabulary, typed_prefix(text) is not None).plan()


def year(word: str) -> bool:
    """A year (1403, 2024): when no article has it, it says nothing of what the query asks."""
    return len(word) == 4 and word.isdigit() and word[:2] in ("13", "14", "19", "20")


def layout_fixed(text: str, vocabulary: Vocabulary) -> str:
    """``text`` with the chunks typed on the wrong keyboard layout retyped, when they hold the
    punctuation keys of Persian letters («uf,v» → «عبور»), which cut them into pieces as words:
    a chunk is retyped only if its own words are unknown and the retyped ones are known."""
    chunks = text.split()
    if not any(layout_chunk(chunk) for chunk in chunks[:MAX_TOKENS]):
        return text
    # Then the other Latin chunks were likely typed on the same layout: «vlc uf,v».
    suspects = list(dict.fromkeys(chunk for chunk in chunks[:MAX_TOKENS] if LAYOUT_CHUNK.match(chunk)))
    retyped = {chunk: words(other_layout(chunk)) for chunk in suspects}
    typed = {chunk: [word for word in words(chunk) if word not in STOPWORDS] for chunk in suspects}
    known = vocabulary.frequencies({word for group in (*retyped.values(), *typed.values()) for word in group})
    fixed = {chunk for chunk in suspects
             if not any(known.get(word) for word in typed[chunk])
             and any(known.get(word) for word in retyped[chunk])
             and all(known.get(word) or word in STOPWORDS for word in retyped[chunk])}
    return " ".join(" ".join(retyped[chunk]) if chunk in fixed else chunk for chunk in chunks) if fixed else text


class _Analysis:
    def __init__(self, tokens: list[str], synonyms: dict, vocabulary: Vocabulary, typing: bool):
        self.tokens = tokens
        self.synonyms = synonyms
        self.vocabulary = vocabulary
        self.typing = typing
        self.frequencies: dict[str, int] = {}
        self.synonyms_by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in synonyms:
            self.synonyms_by_first.setdefault(key[0], []).append(key)

    def plan(self) -> QueryPlan:
        pieces = self.most_specific(self.pieces())
        self.lookup(self.forms_to_look_up(pieces))
        concepts = self.correct([self.concept(span) for span in self.merged(pieces)])
        documents = self.vocabulary.document_count()
        for concept in concepts:
            concept.weight = idf(self.concept_frequency(concept), documents)
        return QueryPlan(tuple(concepts), documents)

    # --- cutting the query into pieces: synonyms, words, compounds written apart ---------------

    def pieces(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(kind, words)`` in query order: ``synonym``, ``word``, ``stopword`` or ``dropped`` (a
        repeat)."""
        tokens, pieces, seen, index = self.tokens, [], set(), 0
        while index < len(tokens) and len(pieces) < MAX_TOKENS:
            synonym = self.synonym_at(index)
            if synonym:
                piece, index = ("synonym", synonym[0]), index + synonym[1]
            else:
                token, index = tokens[index], index + 1
                piece = ("stopword" if token in STOPWORDS else "word", (token,))
            if piece[0] != "stopword" and piece[1] in seen:
                piece = ("dropped", piece[1])
            seen.add(piece[1])
            pieces.append(piece)
        return pieces

    def synonym_at(self, index: int) -> tuple[tuple[str, ...], int] | None:
        """The longest synonym starting at ``index``; a word may carry a suffix («رمزهای عبور»)."""
        tokens = self.tokens
        starting = set().union(*(self.synonyms_by_first.get(base, ()) for base in bases(tokens[index])))
        for key in sorted(starting, key=len, reverse=True):
            piece = tokens[index:index + len(key)]
            if len(piece) == len(key) and all(word in bases(typed) for word, typed in zip(key, piece, strict=True)):
                return key, len(key)
        return None

    def most_specific(self, pieces: list) -> list:
        """A long query keeps its synonyms and its rarest known words; the others become
        ``dropped`` (no concept, and no compound across them)."""
        content = [index for index, (kind, _) in enumerate(pieces) if kind in ("word", "synonym")]
        if len(content) <= MAX_CONCEPTS:
            return pieces
        self.lookup({pieces[index][1][0] for index in content if pieces[index][0] == "word"})

        def specificity(index):
            kind, piece = pieces[index]
            if kind == "synonym":
                return (0, 0)
            frequency = self.known(piece[0])
            return (1, frequency) if frequency else (2, 0)

        keep = set(sorted(content, key=specificity)[:MAX_CONCEPTS])
        return [piece if index in keep or piece[0] == "stopword" else ("dropped", piece[1])
                for index, piece in enumerate(pieces)]

    @staticmethod
    def runs(pieces: list, index: int):
        """Runs of three then two plain words from ``index`` that may be one word written apart."""
        for size in (3, 2):
            run = pieces[index:index + size]
            if len(run) == size and all(kind in ("word", "stopword") for kind, _ in run) \
                    and any(kind == "word" for kind, _ in run):
                yield tuple(piece[0] for _, piece in run)

    def merged(self, pieces: list) -> list[tuple[str, tuple[str, ...]]]:
        """Pieces with known compounds joined, stopwords and repeats dropped."""
        spans, seen, index = [], set(), 0
        while index < len(pieces):
            run = next((run for run in self.runs(pieces, index) if self.known("".join(run))), None)
            span = ("compound", run) if run else pieces[index]
            index += len(run) if run else 1
            if span[0] not in ("stopword", "dropped") and span[1] not in seen:
                seen.add(span[1])
                spans.append(span)
        return spans

    # --- looking forms up in the vocabulary ----------------------------------------------------

    def forms_to_look_up(self, pieces: list) -> set[str]:
        forms: set[str] = set()
        for index, (kind, piece) in enumerate(pieces):
            if kind == "synonym":
                for phrase in self.synonyms[piece]:
                    forms.update(variants(phrase[0]) if len(phrase) == 1 else phrase)
            elif kind == "word":
                forms.update(variants(piece[0]))
            forms.update("".join(run) for run in self.runs(pieces, index))
        return forms

    def lookup(self, forms: Collection[str]) -> None:
        missing = [form for form in forms if form not in self.frequencies]
        if missing:
            found = self.vocabulary.frequencies(missing)
            self.frequencies.update({form: found.get(form, 0) for form in missing})

    def known(self, form: str) -> int:
        return self.frequencies.get(form, 0)

    # --- concepts -------------------------------------------------------------------------------

    def concept(self, span) -> Concept:
        kind, piece = span
        concept = Concept(" ".join(piece))
        if kind == "synonym":
            for rank, phrase in enumerate(self.synonyms[piece]):
                weight = 1.0 if rank == 0 else SYNONYM
                if len(phrase) == 1:
                    self.add_word(concept, phrase[0], weight)
                else:
                    self.add_phrase(concept, phrase, weight)
        elif kind == "compound":
            self.add_compound(concept, piece)
        else:
            self.add_word(concept, piece[0], 1.0)
        return concept

    def add_word(self, concept: Concept, word: str, weight: float) -> None:
        if self.known(word):
            concept.add(Alternative((word,), weight, frequency=self.known(word)))
        for form in variants(word) - {word}:
            if self.known(form):
                concept.add(Alternative((form,), weight * VARIANT, frequency=self.known(form)))
        if self.typing and word == self.tokens[-1] and not self.known(word):
            concept.add(Alternative((word,), weight * PREFIX, prefix=True,
                                    frequency=self.vocabulary.prefix_frequency(word)))

    def add_phrase(self, concept: Concept, phrase: tuple[str, ...], weight: float) -> None:
        """Consecutive words; none may be missing from the vocabulary."""
        frequency = min(self.known(word) for word in phrase)
        if frequency:
            concept.add(Alternative(phrase, weight, frequency=frequency))

    def add_compound(self, concept: Concept, piece: tuple[str, ...]) -> None:
        """Words that may be one: «ثبت نام» is «ثبتنام» too. One of its content words alone is
        a partial match of the concept."""
        joined = "".join(piece)
        concept.add(Alternative((joined,), COMPOUND, frequency=self.known(joined)))
        self.add_phrase(concept, piece, 1.0)
        content = [word for word in piece if word not in STOPWORDS]
        for word in content:
            self.add_word(concept, word, PART / len(content))

    def other_script(self, concepts: list[Concept]) -> list[Concept]:
        """Words the vocabulary lacks that were typed in the other script: on the other keyboard
        layout («hdldg» → «ایمیل», «رحد» → «vpn»), or spelt by sound (Finglish «ramz» → «رمز»,
        «اکسل» → «excel»). A Finglish word that sounds like a Persian stopword is dropped."""
        # Not the word being typed while it still completes to words: it is no other script yet.
        typed = {concept.typed: concept for concept in concepts
                 if not any(alt.frequency for alt in concept.alternatives)
                 and " " not in concept.typed and (is_latin(concept.typed)
                                                                           or is_persian(concept.typed))}
        if not typed:
            return concepts
        retyped = {word: other_layout(word) for word in typed}
        self.lookup({form for word in retyped.values() for form in variants(word)})
        skeletons = {word: skeleton(word) for word in typed}
        sounding = self.vocabulary.sounding({key for key in skeletons.values() if key})
        dropped = set()
        for word, concept in typed.items():
            layout = [(form, self.known(form)) for form in sorted(variants(retyped[word])) if self.known(form)]
            if layout:
                for form, frequency in layout:
                    concept.add(Alternative((form,), LAYOUT if form == retyped[word] else LAYOUT * VARIANT,
                                            frequency=frequency))
                continue
            if not skeletons[word]:
                continue
            latin = is_latin(word)
            close = sorted(((closeness(word, term), frequency, term) for term, frequency in sounding.items()
                            if skeleton(term) == skeletons[word] and (is_persian(term) if latin else is_latin(term))),
                           reverse=True)
            # A short Persian word sounds like many English ones: only a close one (not «اردوی» → «word»).
            close = [(score, frequency, term) for score, frequency, term in close
                     if score >= (CLOSE if latin or len(skeletons[word]) > 2 else SURE_SOUND)]
            if latin and close and close[0][2] in STOPWORDS and close[0][0] >= SURE_SOUND:
                dropped.add(word)
                continue
            for score, frequency, term in close[:SOUND_CHOICES]:
                if term not in STOPWORDS:
                    self.frequencies[term] = frequency
                    concept.add(Alternative((term,), SOUNDS if score >= SURE_SOUND else FUZZY, frequency=frequency))
        return self.joined_sounds([concept for concept in concepts if concept.typed not in dropped])

    def joined_sounds(self, concepts: list[Concept]) -> list[Concept]:
        """Two words, one of them unknown, that are one word of the other script written apart:
        «اوت لوک» → «outlook»."""
        pairs = {}
        for first, second in itertools.pairwise(concepts):
            a, b = first.typed, second.typed
            if " " not in a + b and (self.unknown(first) or self.unknown(second)) \
                    and ((is_persian(a) and is_persian(b)) or (is_latin(a) and is_latin(b))):
                pairs[(a, b)] = skeleton(a + b)
        pairs = {pair: key for pair, key in pairs.items() if key}
        if not pairs:
            return concepts
        sounding = self.vocabulary.sounding(set(pairs.values()))
        joined, index = [], 0
        while index < len(concepts):
            pair = (concepts[index].typed, concepts[index + 1].typed) if index + 1 < len(concepts) else None
            word = "".join(pair) if pair in pairs else ""
            best = max(((closeness(word, term), frequency, term) for term, frequency in sounding.items()
                        if word and skeleton(term) == pairs[pair] and is_persian(term) != is_persian(word)),
                       default=None)
            if best and best[0] >= SURE_SOUND:
                concept = Concept(" ".join(pair))
                self.frequencies[best[2]] = best[1]
                concept.add(Alternative((best[2],), SOUNDS, frequency=best[1]))
                joined.append(concept)
                index += 2
                continue
            joined.append(concepts[index])
            index += 1
        return joined

    def correct(self, concepts: list[Concept]) -> list[Concept]:
        """Words the vocabulary lacks: typed in the other script (``other_script``); two in a row
        may be one misspelt word written apart («آنتی ویروص»); one may be two known words written
        together, or a typo of known words."""
        concepts = self.other_script(concepts)
        corrected, index, attempts = [], 0, MAX_FUZZY
        while index < len(concepts):
            concept, following = concepts[index], concepts[index + 1:index + 2]
            if attempts and following and self.unknown(concept) and self.unknown(following[0]) \
                    and len(concept.typed) + len(following[0].typed) <= MAX_CORRECTED:
                attempts -= 1
                similar = self.vocabulary.similar(concept.typed.replace(" ", "") + following[0].typed.replace(" ", ""))
                if similar:
                    joined = Concept(f"{concept.typed} {following[0].typed}")
                    self.add_similar(joined, similar)
                    corrected.append(joined)
                    index += 2
                    continue
            corrected.append(concept)
            index += 1
        corrected = [concept for concept in corrected if not (self.unknown(concept) and year(concept.typed))]
        for concept in corrected:
            if attempts and self.unknown(concept):
                attempts -= 1
                self.correct_word(concept)
        return corrected

    @staticmethod
    def unknown(concept: Concept) -> bool:
        return not any(not alt.prefix for alt in concept.alternatives)

    def correct_word(self, concept: Concept) -> None:
        word = concept.typed.replace(" ", "")
        if word.isdigit() or not 3 <= len(word) <= MAX_CORRECTED:
            return
        splits = [(word[:cut], word[cut:]) for cut in range(2, len(word) - 1)]
        self.lookup({part for split in splits for part in split})
        split = max((s for s in splits if self.known(s[0]) and self.known(s[1])
                     and s[0] not in STOPWORDS and s[1] not in STOPWORDS),
                    key=lambda s: min(self.known(s[0]), self.known(s[1])), default=None)
        if split:
            self.add_phrase(concept, split, COMPOUND)
        else:
            self.add_similar(concept, self.vocabulary.similar(word))

    def add_similar(self, concept: Concept, similar: dict[str, int]) -> None:
        for term, frequency in similar.items():
            self.frequencies[term] = frequency
            concept.add(Alternative((term,), FUZZY, frequency=frequency))

    def concept_frequency(self, concept: Concept) -> int:
        """How common the concept is: its commonest sure form (a phrase counts as its rarest word).
        An unknown concept has frequency 0 and so the largest weight."""
        return max((alt.frequency for alt in concept.alternatives if not alt.prefix and alt.weight >= FUZZY),
                   default=0)
