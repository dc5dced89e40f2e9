"""Knowledge search through ``plugins.kb.search.find``, on the engine of each test database
(SQLite FTS5, PostgreSQL full text): Persian variants, synonyms, prefixes, typos, filters,
snippets, the index kept in step, and input that must never break it."""
from __future__ import annotations

import pytest
from zope.interface.verify import verifyObject

from core.contracts import SearchQuery
from core.interfaces import ISearchBackend
from plugins.kb import search
from plugins.kb.models import State
from plugins.kb.search.engines import default_backend
from tests.plugins.kb.search_support import add_article, add_synonyms, department_id, fresh_backend, titles

PASSWORD = "بازیابی رمز عبور سامانه آموزشی"
WIFI = "اتصال به وای‌فای دانشگاه"
PRINTER = "نصب چاپگر شبکه در دانشکده"
REGISTRATION = "ثبت‌نام دروس در سامانه گلستان"
FEES = "پرداخت شهریه ترم تابستان"


@pytest.fixture
def backend(dbsession, org):
    return fresh_backend(dbsession)


@pytest.fixture
def library(dbsession, backend):
    """Five public articles of the demo departments."""
    add_article(dbsession, backend, PASSWORD,
                "اگر **رمز عبور** خود را فراموش کرده‌اید، در صفحه ورود روی «فراموشی رمز» بزنید. "
                "پیامکی با کد یک‌بار مصرف به شماره همراه شما فرستاده می‌شود.",
                summary="رمز فراموش‌شده را خودتان عوض کنید", tags=("حساب کاربری", "رمز"), department="education")
    add_article(dbsession, backend, WIFI,
                "برای اتصال به شبکه بی‌سیم eduroam نام کاربری و گذرواژه پرتال را وارد کنید. "
                "اگر گوشی وصل نمی‌شود، شبکه را فراموش کنید و دوباره امتحان کنید.",
                summary="تنظیم شبکه بی‌سیم روی لپ‌تاپ و گوشی", tags=("شبکه",))
    add_article(dbsession, backend, PRINTER,
                "چاپگرهای طبقه دوم را از منوی تنظیمات ویندوز ۱۰ اضافه کنید. خطای 0x0000011b را "
                "با به‌روزرسانی درایور برطرف کنید.", tags=("چاپ",))
    add_article(dbsession, backend, REGISTRATION,
                "انتخاب واحد در هفته اول شهریور انجام می‌شود؛ پیش از آن بدهی شهریه را تسویه کنید.",
                summary="زمان‌بندی و مراحل انتخاب واحد", department="education")
    add_article(dbsession, backend, FEES,
                "شهریه ترم تابستان را از درگاه بانکی سامانه پرداخت کنید و رسید را نگه دارید.",
                department="finance")
    add_synonyms(dbsession, "رمز عبور\nگذرواژه\nپسورد\npassword", "وای‌فای\nwifi\nشبکه بی‌سیم\nوای فای",
                 "چاپگر\nپرینتر\nprinter")
    return dbsession


def test_the_default_engines_provide_the_search_backend_interface(dbsession):
    backend = default_backend(dbsession.get_bind().dialect.name)
    assert verifyObject(ISearchBackend, backend)
    assert default_backend("oracle") is None


def test_kb_plugin_offers_its_engine_through_the_hook(kb_pluginmanager, engine, app_settings):
    backend = kb_pluginmanager.hook.pishkhan_kb_search_backend(settings=app_settings, dialect=engine.dialect.name)
    assert backend.name == {"sqlite": "sqlite-fts5", "postgresql": "postgresql"}[engine.dialect.name]


def test_title_words_rank_first(library, backend):
    assert titles(library, backend, "رمز عبور")[0] == PASSWORD


@pytest.mark.parametrize("typed", [
    "رمز عبور",
    "رمز عبور را فراموش کرده ام",
    "رمزهای عبور",  # plural with a suffix
    "گذرواژه",  # synonym
    "پسورد فراموش شده",  # Finglish synonym, ZWNJ written as a space
    "PASSWORD",  # English synonym, upper case
    "رمز عبـــور",  # tatweel
    "رَمزِ عبور",  # diacritics
    "رمزعبور",  # written together
    "رمز عبوور",  # a typo
])
def test_variants_of_the_same_question_find_the_article(library, backend, typed):
    assert titles(library, backend, typed)[:1] == [PASSWORD]


@pytest.mark.parametrize("typed", ["وای فای", "WiFi", "وای‌فای", "وايفاي", "شبکه بی سیم"])
def test_wifi_is_found_however_it_is_written(library, backend, typed):
    assert titles(library, backend, typed)[:1] == [WIFI]


@pytest.mark.parametrize("typed", ["ثبت نام دروس", "ثبتنام دروس", "ثبت‌نام دروس"])
def test_compounds_are_found_joined_apart_or_with_zwnj(library, backend, typed):
    assert titles(library, backend, typed)[:1] == [REGISTRATION]


@pytest.mark.parametrize("typed", ["ویندوز 10", "ویندوز ۱۰", "ویندوز ١٠", "0X0000011B"])
def test_digits_of_every_script_match(library, backend, typed):
    assert titles(library, backend, typed)[:1] == [PRINTER]


def test_arabic_letters_match_persian_ones(library, backend):
    assert titles(library, backend, "چاپگر شبكه در دانشكده")[:1] == [PRINTER]
    assert titles(library, backend, "پرداخت شهريه")[:1] == [FEES]


def test_the_word_being_typed_is_completed(library, backend):
    assert titles(library, backend, "نصب چاپ")[:1] == [PRINTER]
    assert titles(library, backend, "شهری") == [FEES, REGISTRATION]  # the title first


def test_words_that_match_nothing_meaningful_find_nothing(library, backend):
    assert titles(library, backend, "دستور پخت قورمه سبزی") == []
    assert titles(library, backend, "قیمت بلیط هواپیما") == []


@pytest.mark.parametrize("typed", ["", "   ", "؟!…", "«»", '"', "*", "-", ":", "()", "NEAR", "OR", "AND", "از به با"])
def test_empty_punctuation_and_operator_queries_find_nothing(library, backend, typed):
    assert titles(library, backend, typed) == []


@pytest.mark.parametrize("typed", ['رمز" OR "', "رمز*", "-رمز", "(رمز OR", "رمز AND NOT", "^رمز", "رمز\\",
                                   "\x00رمز", "'رمز'"])
def test_query_syntax_around_words_is_only_punctuation(library, backend, typed):
    assert titles(library, backend, typed)[:1] == [PASSWORD]


@pytest.mark.parametrize("typed", ["title:رمز", "NEAR(رمز عبور, 2)", "{title}: رمز", "'; DROP TABLE kb_search_fts; --",
                                   "رمز' | 'عبور':*", "<script>alert(1)</script>"])
def test_engine_syntax_is_searched_as_words(library, backend, typed):
    found = titles(library, backend, typed)
    assert found[:1] in ([], [PASSWORD])  # its words only: «title» and «near» are words too
    assert titles(library, backend, "رمز")[:1] == [PASSWORD]


def test_a_ten_thousand_character_query(library, backend):
    pasted = ("سلام وقت بخیر من دانشجوی ترم سه هستم و " * 300)[:9_000] + " رمز عبور سامانه را فراموش کرده‌ام"
    assert len(pasted) >= 9_000
    titles(library, backend, pasted)  # no error, whatever it finds
    long_description = ("من دانشجوی ترم سه هستم و از دیروز نمی‌توانم وارد سامانه آموزشی شوم چون رمز عبور "
                        "خودم را فراموش کرده‌ام و پیامک فراموشی رمز هم برایم نمی‌آید لطفا راهنمایی کنید ") * 40
    assert len(long_description) > 4_000
    assert titles(library, backend, long_description[:10_000])[:1] == [PASSWORD]


def test_a_word_of_ten_thousand_letters_and_odd_limits(library, backend):
    assert titles(library, backend, "رمز" * 3_400) == []
    assert titles(library, backend, "رمز عبور " + "ب" * 10_000)[:1] in ([], [PASSWORD])
    assert titles(library, backend, "رمز عبور", limit=0) == []
    assert titles(library, backend, "رمز عبور", limit=-5) == []
    assert titles(library, backend, "رمز عبور", audiences=()) == []


def test_audience_and_department_filter(dbsession, backend, org):
    add_article(dbsession, backend, "راهنمای داخلی تنظیم چاپگر", "فقط کارشناسان", audience="internal")
    add_article(dbsession, backend, "چاپگر آزمایشگاه آموزش", "چاپگر", department="education")
    assert titles(dbsession, backend, "چاپگر") == ["چاپگر آزمایشگاه آموزش"]
    both = titles(dbsession, backend, "چاپگر", audiences=("public", "internal"))
    assert sorted(both) == ["راهنمای داخلی تنظیم چاپگر", "چاپگر آزمایشگاه آموزش"]
    it_only = titles(dbsession, backend, "چاپگر", audiences=("public", "internal"),
                     department_ids=(department_id(dbsession, "it"),))
    assert it_only == ["راهنمای داخلی تنظیم چاپگر"]
    assert titles(dbsession, backend, "چاپگر", department_ids=()) == []


def test_only_published_articles_are_indexed_and_changes_follow(dbsession, backend, org):
    draft = add_article(dbsession, backend, "پیش‌نویس راهنمای ایمیل", state=State.draft.value)
    assert titles(dbsession, backend, "ایمیل") == []
    draft.state = State.published.value
    search.index_article(dbsession, backend, draft)
    assert titles(dbsession, backend, "ایمیل") == ["پیش‌نویس راهنمای ایمیل"]
    draft.title = "تنظیم ایمیل دانشگاهی در گوشی"
    search.index_article(dbsession, backend, draft)
    assert titles(dbsession, backend, "پیش نویس") == []
    assert titles(dbsession, backend, "ایمیل") == ["تنظیم ایمیل دانشگاهی در گوشی"]
    search.unindex_article(dbsession, backend, draft.id)
    assert titles(dbsession, backend, "ایمیل") == []
    assert search.rebuild_index(dbsession, backend) == 1
    assert titles(dbsession, backend, "ایمیل") == ["تنظیم ایمیل دانشگاهی در گوشی"]


def test_an_administrators_synonym_counts_at_once(dbsession, backend, org):
    add_article(dbsession, backend, "دریافت کارت دانشجویی المثنی")
    assert titles(dbsession, backend, "استودنت کارت") == []
    add_synonyms(dbsession, "کارت دانشجویی\nاستودنت کارت")
    assert titles(dbsession, backend, "استودنت کارت") == ["دریافت کارت دانشجویی المثنی"]


def test_snippets_mark_the_words_in_the_original_text_and_escape_html(dbsession, backend, org):
    body = ("مقدمه‌ای طولانی " * 40 + "برای تغییر <b>رمز‌عبور</b> به **سامانه گلستان** بروید و "
            "<script>alert(1)</script> گزینه فراموشی را بزنید. " + "پایان متن " * 40)
    add_article(dbsession, backend, "<i>تغییر</i> رمز گلستان", body)
    [found] = search.find(dbsession, backend, SearchQuery(text="سامانه گلستان"))
    snippet = str(found.snippet)
    assert "<mark>سامانه</mark> <mark>گلستان</mark>" in snippet
    assert "<script>" not in snippet and "<b>" not in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert 20 <= len(snippet.split()) <= 45
    assert str(found.title) == "&lt;i&gt;تغییر&lt;/i&gt; رمز <mark>گلستان</mark>"


def test_snippets_mark_arabic_letters_and_zwnj_spellings_of_the_words(dbsession, backend, org):
    add_article(dbsession, backend, "فعال‌سازی ايميل دانشگاهي", "ايميل خود را از پرتال فعال‌سازی كنيد.")
    [found] = search.find(dbsession, backend, SearchQuery(text="ایمیل فعالسازی"))
    assert str(found.title) == "<mark>فعال‌سازی</mark> <mark>ايميل</mark> دانشگاهي"


def test_a_deleted_article_left_in_the_index_is_skipped(dbsession, backend, org):
    article = add_article(dbsession, backend, "راهنمای کتابخانه مرکزی")
    dbsession.delete(article)
    dbsession.flush()
    assert titles(dbsession, backend, "کتابخانه") == []
