"""Fixtures of the legal department's tests, on top of Pishkhan's ``core.testing``.

In the department's own repository this top-level conftest would also say
``pytest_plugins = ["core.testing"]``; inside the Pishkhan tree the repository's conftest already
does (pytest accepts ``pytest_plugins`` only in the top-level conftest).
"""
import pishkhan_legal
import pytest


@pytest.fixture
def legal_plugin(register_plugin):
    """The department registered in the test's plugin manager under its entry point's name."""
    return register_plugin(pishkhan_legal, "legal")
