import pytest

from core.normalize import (
    ZWNJ,
    is_valid_mobile,
    is_valid_national_code,
    normalize_digits,
    normalize_line,
    normalize_mobile,
    normalize_text,
    search_key,
    spaceless_key,
    to_persian_digits,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("علي كريمي", "علی کریمی"),  # Arabic yeh and kaf
        ("۱۲۳٤٥٦", "123456"),  # Persian and Arabic-Indic digits
        ("مـــدرک", "مدرک"),  # tatweel
        ("مُحَمَّد", "محمد"),  # diacritics
        ("  سلام   دنیا  ", "سلام دنیا"),
        ("می شود", f"می{ZWNJ}شود"),
        ("مینا میلادی", "مینا میلادی"),  # names that start like the verb prefix are kept
        ("نمی توانم", f"نمی{ZWNJ}توانم"),
        ("کتاب ها", f"کتاب{ZWNJ}ها"),
        (f"می{ZWNJ}{ZWNJ} شود", f"می{ZWNJ}شود"),
        ("\u200fسلام\u200e", "سلام"),  # direction marks from copy and paste
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(typed, stored):
    assert normalize_text(typed) == stored


def test_normalize_text_keeps_words_that_only_look_like_prefixes():
    assert normalize_text("میز خدمت") == "میز خدمت"
    assert normalize_text("امیر") == "امیر"


def test_normalize_line_joins_lines():
    assert normalize_line("خط اول\nخط دوم") == "خط اول خط دوم"


@pytest.mark.parametrize("variant", ["می‌شود", "می شود", "میشود", "مي شود"])
def test_search_key_folds_spacing_variants(variant):
    assert search_key(variant) == "میشود"


def test_search_key_folds_case_and_hamza():
    assert search_key("WiFi مسئله") == search_key("wifi مسیله")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("0499370899", True),
        ("۰۴۹۹۳۷۰۸۹۹", True),  # Persian digits
        ("0499370898", False),  # wrong check digit
        ("1111111111", False),  # all the same digit
        ("12345", False),
        ("", False),
    ],
)
def test_national_code_check_digit(code, valid):
    assert is_valid_national_code(code) is valid


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [("۰۹۱۲۱۲۳۴۵۶۷", "09121234567"), ("+98 912 123 4567", "09121234567"), ("00989121234567", "09121234567"),
     ("9121234567", "09121234567")],
)
def test_mobile_numbers(typed, normalized):
    assert normalize_mobile(typed) == normalized
    assert is_valid_mobile(normalized)


def test_digits_only():
    assert normalize_digits("۰۴۹-۹۳۷ ٠٨٩٩") == "0499370899"


def test_persian_digits():
    assert to_persian_digits("1405/09/03") == "۱۴۰۵/۰۹/۰۳"


@pytest.mark.parametrize("variant", ["پایان‌نامه", "پایان نامه", "پایاننامه", "پايان  نامه"])
def test_spaceless_key_makes_one_word_of_any_spacing(variant):
    assert spaceless_key(variant) == "پایاننامه"
