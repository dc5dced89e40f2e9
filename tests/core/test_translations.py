"""Every string a person sees has a Persian translation, and Persian pages show it."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**.py", "python"), ("**/templates/**.jinja2", "jinja2")]


def extracted_messages(folder: str) -> set[str]:
    messages = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(ROOT / folder, METHODS):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return {message for message in messages if message}


def test_every_message_has_a_persian_translation():
    with open(ROOT / "core/locale/fa/LC_MESSAGES/pishkhan.po", "rb") as po:
        catalog = read_po(po)
    translated = {message.id for message in catalog if message.id and message.string}
    missing = sorted((extracted_messages("core") | extracted_messages("plugins")) - translated)
    assert missing == [], "untranslated (run `make messages` and translate them): " + "; ".join(missing)


def test_pages_are_translated(testapp):
    page = testapp.get("/login")
    assert "ورود" in page.text and "Log in" not in page.text
    english = testapp.get("/login", headers={"Cookie": "_LOCALE_=en"})
    assert "Log in" in english.text and 'dir="ltr"' in english.text


def test_every_catalog_passes_the_checks_make_compiles_it_with():
    """``pybabel compile`` (run by ``make``) refuses a translation whose placeholders differ from
    its message's; a stray "10% o…" in English reads as a Python placeholder."""
    for po_path in sorted((ROOT / "core/locale").glob("*/LC_MESSAGES/*.po")):
        with open(po_path, "rb") as po:
            catalog = read_po(po)
        problems = [f"{po_path.name}:{message.lineno}: {error}" for message, errors in catalog.check()
                    for error in errors]
        assert problems == []


def test_messages_are_written_with_latin_digits_so_english_pages_show_them():
    """The message is the English text: an example in Persian digits (۱۴۰۵/۰۹/۰۳) would show so on
    English pages; its Persian translation carries the Persian digits."""
    persian_digits = set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
    written = sorted(message for message in extracted_messages("core") | extracted_messages("plugins")
                     if persian_digits & set(message))
    assert written == []
