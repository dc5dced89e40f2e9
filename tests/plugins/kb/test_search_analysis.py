"""Query analysis without a database: a vocabulary of a few words stands for the index."""
from __future__ import annotations

import pytest

from plugins.kb.search.analysis import MAX_CONCEPTS, analyze, typed_prefix
from plugins.kb.search.backend import Branches, Budget, likely_typo, nearest
from plugins.kb.search.script import closeness, other_layout, skeleton
from plugins.kb.search.sqlite_fts import one_edit_away
from plugins.kb.search.stopwords import STOPWORDS
from plugins.kb.search.variants import bases, variants
from plugins.kb.search.words import index_text, markdown_text, words


class Vocabulary:
    """Document frequencies of a small imagined index of 100 articles."""

    def __init__(self, frequencies: dict[str, int]):
        self.known = frequencies

    def document_count(self) -> int:
        return 100

    def frequencies(self, terms):
        return {term: self.known[term] for term in terms if term in self.known}

    def similar(self, term):
        return nearest(term, self.frequencies(one_edit_away(term)))

    def prefix_frequency(self, prefix):
        return sum(count for word, count in self.known.items() if word.startswith(prefix))

    def sounding(self, skeletons):
        return {word: count for word, count in self.known.items() if skeleton(word) in skeletons}


VOCABULARY = Vocabulary({
    "رمز": 20, "عبور": 10, "رمزهای": 3, "گذرواژه": 4, "فراموشی": 5, "ثبتنام": 5, "ثبت": 30, "نام": 40,
    "وایفای": 6, "wifi": 3, "کتابخانه": 4, "واحد": 9, "انتخاب": 12, "چاپ": 7, "دندانپزشکی": 2, "وضعیت": 8,
    "انتیویروس": 3, "نوع": 30, "میتوانید": 9, "ایمیل": 12, "vpn": 5, "excel": 2, "outlook": 2, "شهریه": 9,
    "فاکتور": 4, "مهمان": 3, "پرداخت": 15, "بپردازید": 2, "کاربری": 6, "نمره": 8, "دانشجویی": 11, "کارت": 7,
})
SYNONYMS = (("رمز عبور", "گذرواژه", "پسورد"), ("وای‌فای", "wifi", "وای فای"))


def concepts(text: str, synonyms=SYNONYMS) -> list[tuple[str, set[str]]]:
    """Each concept as (typed, the words and phrases of its alternatives; prefixes end with *)."""
    plan = analyze(text, synonyms, VOCABULARY)
    return [(concept.typed, {" ".join(alt.words) + ("*" if alt.prefix else "") for alt in concept.alternatives})
            for concept in plan.concepts]


@pytest.mark.parametrize(("typed", "folded"), [
    ("رمز عبور", ["رمز", "عبور"]),
    ("رمز  عبـــور", ["رمز", "عبور"]),  # tatweel, double space
    ("رَمزِ عبور", ["رمز", "عبور"]),  # diacritics
    ("كتابخانه ي مركزي", ["کتابخانه", "ی", "مرکزی"]),  # Arabic kaf and yeh
    ("می‌شود / می شود / میشود", ["میشود", "میشود", "میشود"]),
    ("خطای ۴۰۴ و ٤٠٤ و 404", ["خطای", "404", "و", "404", "و", "404"]),
    ('"رمز" OR (عبور*) -NEAR: a_b', ["رمز", "or", "عبور", "near", "a", "b"]),
])
def test_words_are_folded_and_syntax_is_a_separator(typed, folded):
    assert words(typed) == folded


def test_markdown_keeps_the_text_of_links_and_drops_marks():
    body = "## مشکل\n- **رمز** را [از اینجا](https://x.example/a?b=c) عوض کنید ![تصویر](a.png) <b>الان</b>"
    assert index_text(markdown_text(body)) == "مشکل رمز را از اینجا عوض کنید تصویر الان"


def test_variants_are_only_forms_of_the_same_word():
    assert {"رمز", "رمزها"} <= bases("رمزهای")
    assert "وضعیت" in bases("وضعیتشو")  # possessive and the spoken «و» of «را»
    assert "دندانپزشکی" in bases("دندونپزشکی")  # spoken «ون» for «ان»
    assert "شود" in bases("نمیشود")
    assert {"رمزها", "رمزی", "رمز"} <= variants("رمز")
    assert "میتوانید" in variants("نمیتوانم")
    assert bases("wifi") == {"wifi"}


def test_a_query_of_stopwords_or_punctuation_has_no_concept():
    for text in ("", "  ", "از به با", "؟!", '"*-:()', "the and OR", "لطفا کمک کنید"):
        assert analyze(text, SYNONYMS, VOCABULARY).concepts == (), text


def test_light_verbs_and_spoken_words_are_stopwords():
    assert {"نمیشوند", "میکنم", "نمیتونم", "بشم", "چجوری", "nemishe", "chejuri"} <= STOPWORDS
    assert not {"رمز", "داده", "توان", "کار", "باز", "دو"} & STOPWORDS


def test_synonyms_and_variants_become_alternatives():
    [(typed, alternatives)] = concepts("رمزهای عبور")
    assert typed == "رمز عبور"
    assert {"رمز عبور", "گذرواژه"} <= alternatives  # «پسورد» is in no article: not searched


def test_a_compound_written_apart_matches_it_written_together():
    [(typed, alternatives)] = concepts("ثبت نام ")
    assert typed == "ثبت نام" and {"ثبتنام", "ثبت نام"} <= alternatives


def test_a_word_written_together_matches_its_parts():
    [(_, alternatives)] = concepts("کتابخانه‌ثبت ")
    assert "کتابخانه ثبت" in alternatives


def test_the_word_being_typed_is_a_prefix():
    assert typed_prefix("رمز عب") == "عب"
    assert typed_prefix("رمز عب ") is None
    assert typed_prefix("رمز ا") is None  # one letter
    assert ("عب", {"عب*"}) in concepts("رمز عب")


@pytest.mark.parametrize(("typed", "meant"), [
    ("فراموشى", "فراموشی"),  # alef maksura
    ("گذرواژ", "گذرواژه"),  # a letter left out
    ("کتابخنه", "کتابخانه"),
    ("وحد", "واحد"),  # a short word missing a letter
    ("چاب", "چاپ"),  # a look-alike letter
])
def test_typos_find_the_nearest_vocabulary_word(typed, meant):
    [(_, alternatives)] = concepts(typed + " ")
    assert meant in alternatives


def test_a_misspelt_word_written_apart_is_corrected_as_one():
    [(typed, alternatives)] = concepts("آنتی ویروص ")
    assert typed == "انتی ویروص" and alternatives == {"انتیویروس"}


def test_short_words_are_not_corrected_into_other_words():
    assert not likely_typo("نور", "نوع")
    assert likely_typo("وحد", "واحد") and likely_typo("چاب", "چاپ")
    assert likely_typo("کتابخنه", "کتابخانه")


def test_unknown_words_have_no_alternative_and_weigh_most():
    plan = analyze("رمز قورمه ", (), VOCABULARY)
    known, unknown = plan.concepts
    assert unknown.alternatives == [] and unknown.weight > known.weight


def test_a_ten_thousand_character_query_keeps_its_most_specific_words():
    plan = analyze("رمز عبور وایفای کتابخانه " + "کلمه‌ای‌بی‌معنی " * 2_500, (), VOCABULARY)
    assert len(plan.concepts) <= MAX_CONCEPTS


def test_branches_keep_common_words_out_of_engine_ranking():
    plan = analyze("ثبت نام واحد", (), VOCABULARY)
    branches = Branches.of(plan, Budget(anywhere=20, head=30, together=5))
    assert all(alt.frequency <= 20 for alt in branches.anywhere)
    assert len(branches.together) == 2 and branches.together_in_head


@pytest.mark.parametrize(("word", "found"), [
    ("فاکتورهایمان", "فاکتور"),  # plural and possessive
    ("مهمانانمان", "مهمان"),
    ("شهریه‌ام", "شهریه"),  # «‌ام» after a final «ه»
    ("کاربری‌ام", "کاربری"),
    ("نمراتم", "نمره"),  # a plural in «ات» of a word in «ه»
    ("نپرداخته‌اند", "پرداخت"),  # a perfect verb with «ن»
    ("بپردازم", "پرداز"),  # «ب» before a verb
    ("شهریمو", "شهریه"),  # spoken: «شهریه‌ام را»
])
def test_bases_strip_suffixes_possessives_and_verb_prefixes(word, found):
    assert found in bases(words(word)[0])


def test_a_possessive_does_not_expose_a_derivational_suffix():
    assert "عضو" not in bases("عضویت")  # «یت» is no «ی» + «ت»


@pytest.mark.parametrize(("typed", "meant"), [
    ("hdldg", "ایمیل"),  # «ایمیل» typed with the English layout on
    ("رحد", "vpn"),  # «vpn» typed with the Persian layout on
    ("aivdi", "شهریه"),
])
def test_a_word_typed_on_the_other_layout_finds_the_word_meant(typed, meant):
    [(_, alternatives)] = concepts(typed + " ")
    assert meant in alternatives


def test_a_chunk_with_the_punctuation_keys_of_persian_letters_is_retyped():
    assert other_layout("uf,v") == "عبور"
    assert [typed for typed, _ in concepts("vlc uf,v ")] == ["رمز عبور"]  # then a synonym


@pytest.mark.parametrize(("typed", "meant"), [
    ("ramz", "رمز"), ("daneshjooyi", "دانشجویی"), ("kart", "کارت"), ("shahriye", "شهریه"),  # Finglish
    ("اکسل", "excel"), ("اوتلوک", "outlook"),  # English words in Persian letters
])
def test_a_word_of_the_other_script_that_sounds_the_same(typed, meant):
    assert skeleton(typed) == skeleton(meant)
    [(_, alternatives)] = concepts(typed + " ")
    assert meant in alternatives


def test_an_english_word_written_apart_in_persian_letters():
    assert concepts("اوت لوک ") == [("اوت لوک", {"outlook"})]


def test_sounds_alike_is_not_enough_for_a_short_persian_word():
    assert closeness("vam", "ما") < 0.6
    assert concepts("اردوی ") == [("اردوی", set())]  # not «word»


def test_finglish_light_verbs_are_stopwords():
    assert {"nemishe", "nemitunam", "besham", "nemikone", "rafte"} <= STOPWORDS
    assert [typed for typed, _ in concepts("kart nemikone ")] == ["kart"]


def test_an_unknown_year_says_nothing():
    assert [typed for typed, _ in concepts("شهریه ۱۴۰۳ ")] == ["شهریه"]
