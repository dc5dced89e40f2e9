"""The plugin guide documents every hook of ``core/hookspecs.py``, with its arguments, and no other."""
import inspect
import re
from pathlib import Path

from core import hookspecs

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HEADING = re.compile(r"^### (\w+)\(([^)]*)\)\s*$", re.MULTILINE)


def hookspec_signatures() -> dict[str, list[str]]:
    """Every function of ``core.hookspecs`` marked with its ``hookspec``, and its arguments."""
    marker = f"{hookspecs.hookspec.project_name}_spec"
    return {
        name: list(inspect.signature(function).parameters)
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, marker)
    }


def documented_signatures() -> dict[str, list[str]]:
    headings = HEADING.findall(GUIDE.read_text(encoding="utf-8"))
    names = [name for name, _ in headings]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"hooks documented twice in {GUIDE.name}: {duplicates}"
    return {name: [arg.strip() for arg in args.split(",") if arg.strip()] for name, args in headings}


def test_the_hookspecs_are_found():
    assert "pishkhan_configure" in hookspec_signatures()


def test_every_hook_is_documented():
    missing = sorted(set(hookspec_signatures()) - set(documented_signatures()))
    assert not missing, f"add a '### name(arguments)' section to docs/plugins.md for: {missing}"


def test_every_documented_hook_exists():
    unknown = sorted(set(documented_signatures()) - set(hookspec_signatures()))
    assert not unknown, f"docs/plugins.md documents hooks that core/hookspecs.py does not have: {unknown}"


def test_documented_arguments_are_the_hooks_arguments():
    specs = hookspec_signatures()
    wrong = {
        name: {"documented": arguments, "hookspec": specs[name]}
        for name, arguments in documented_signatures().items()
        if name in specs and arguments != specs[name]
    }
    assert not wrong, f"arguments in docs/plugins.md differ from core/hookspecs.py: {wrong}"
