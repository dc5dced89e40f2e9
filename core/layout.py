"""The UI shell shared by the portal and the agent workspace.

Every template receives ``layout``: the language and direction, the navigation items of the
face being shown, and helpers to show dates and numbers the way the reader expects. Front-end
libraries come from the npm registry into ``node_modules`` and are served from ``/static/vendor``.
"""
from __future__ import annotations

import os
from functools import cached_property

from pyramid.events import BeforeRender
from translationstring import TranslationString

from core import i18n
from core.contracts import NavigationItem
from core.db import utcnow
from core.normalize import to_persian_digits
from core.plugins import flatten, ordered
from core.security import SESSION_COOKIE

VENDOR_ASSETS = {
    "bootstrap": "bootstrap/dist",
    "bootstrap-icons": "bootstrap-icons/font",
    "htmx": "htmx.org/dist",
    "vazirmatn": "vazirmatn",
}
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Layout:
    """What the base templates need, computed once per rendered page."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def language(self) -> str:
        return self.request.locale_name

    @property
    def direction(self) -> str:
        return i18n.text_direction(self.language)

    @property
    def languages(self):
        return i18n.LANGUAGES

    @cached_property
    def site_name(self) -> str:
        return self.request.localizer.translate(i18n._("Pishkhan"))

    def flash_messages(self) -> list:
        """Messages queued for this page; a visitor without a session gets none (and no session)."""
        # Peek first: popping marks the session changed and would re-send its cookie every page.
        if SESSION_COOKIE not in self.request.cookies or not self.request.session.peek_flash():
            return []
        return self.request.session.pop_flash()

    def t(self, term, domain: str | None = None, mapping: dict | None = None) -> str:
        """Translate in a given domain: a plugin's templates use ``layout.t("Text", "domain")``;
        translation strings keep their own domain (a plugin's navigation titles)."""
        if domain is not None and not isinstance(term, TranslationString):
            term = TranslationString(term, domain=domain, mapping=mapping)
        return self.request.localizer.translate(term) if isinstance(term, TranslationString) else term

    def vendor(self, package: str, path: str) -> str:
        """Path of a file of an npm package listed in ``VENDOR_ASSETS`` (built once per app)."""
        return self._asset_path(("vendor", package, path),
                                lambda: self.request.route_path(f"__static/vendor/{package}/", subpath=path))

    def static(self, spec: str) -> str:
        """Path of one of the core's or a plugin's static files, e.g. ``core:static/pishkhan.css``."""
        return self._asset_path(("static", spec), lambda: self.request.static_path(spec))

    def _asset_path(self, key: tuple, build) -> str:
        # Asset paths depend only on the app's mount point; pages link a dozen of them.
        cache = self.request.registry.setdefault("pishkhan.asset_paths", {})
        key = (self.request.script_name, *key)
        if key not in cache:
            cache[key] = build()
        return cache[key]

    @property
    def separator(self) -> str:
        """Between the items of a list: ``، `` in Persian, ``, `` in English."""
        return i18n.list_separator(self.language)

    def date(self, value, long: bool = False) -> str:
        return i18n.format_date(value, self.language, long=long)

    def jalali_input(self, value) -> str:
        """The value of a Jalali date field (``data-jalali-date``), in the page's digits."""
        return i18n.format_jalali_input(value, self.language)

    def datetime(self, value) -> str:
        return i18n.format_datetime(value, self.language)

    def number(self, value) -> str:
        return i18n.format_number(value, self.language)

    def digits(self, text) -> str:
        """Digits of a code or number-like text in the page's language (Persian digits in fa)."""
        return to_persian_digits(str(text)) if self.language == "fa" else str(text)

    def text(self, value) -> str:
        """Text people typed (a subject, a reply, an article's title), its numbers in the page's
        digits: stored with Latin digits, «اتاق 204» reads «اتاق ۲۰۴» on a Persian page. Words
        with a Latin letter (an e-mail address, a URL) keep theirs (``core.i18n.text_digits``).
        ``None`` reads as nothing; safe HTML (``Markup``) stays safe, only its text converted."""
        if value is None:
            return ""
        return i18n.text_digits(value if isinstance(value, str) else str(value), self.language)

    def today(self) -> str:
        return i18n.format_date(utcnow(), self.language, long=True)

    @cached_property
    def _navigation(self) -> list[NavigationItem]:
        items = flatten(self.request.registry.pluginmanager.hook.pishkhan_navigation_items(request=self.request))
        return ordered(items + core_navigation())

    def navigation(self, face: str) -> list[NavigationItem]:
        request = self.request
        return [
            item
            for item in self._navigation
            if item.face == face and (item.permission is None or request.has_permission(item.permission))
        ]

    def url(self, item: NavigationItem) -> str:
        return self.request.route_path(item.route)

    def is_current(self, item: NavigationItem) -> bool:
        route = self.request.matched_route
        return route is not None and route.name == item.route


def core_navigation() -> list[NavigationItem]:
    _ = i18n._
    return [
        NavigationItem("core.home", _("Home"), "core.home", face="portal", icon="house"),
        NavigationItem("core.dashboard", _("Dashboard"), "core.dashboard", permission="workspace", icon="speedometer2"),
        NavigationItem(
            "core.admin", _("Administration"), "core.admin", permission="admin", icon="gear",
            after=("core.dashboard",),
        ),
    ]


def add_layout(event):
    request = event.get("request")
    if request is not None and "layout" not in event:
        event["layout"] = Layout(request)


def includeme(config):
    settings = config.get_settings()
    assets = settings.get("pishkhan.assets_dir") or os.path.join(PROJECT_ROOT, "node_modules")
    for name, folder in VENDOR_ASSETS.items():
        config.add_static_view(f"static/vendor/{name}", os.path.join(assets, folder), cache_max_age=86400)
    config.add_static_view("static/core", "core:static", cache_max_age=3600)
    config.add_jinja2_search_path("core:templates", name=".jinja2")
    config.add_subscriber(add_layout, BeforeRender)
