"""What every plugin's JSON API shares: the raised error, reading a JSON body, the 405 answer.

Errors are always ``{"error": {"code", "message", "field"}}`` (``core.views.errors.api_error``);
raising ``ApiError`` renders one and aborts the transaction (``core.views.api``).
"""
from __future__ import annotations

import json

from pyramid.view import view_config

from core.i18n import _
from core.views.errors import api_error


class ApiError(Exception):
    """An answer other than success; ``message`` is a translation string."""

    def __init__(self, status: int, code: str, message, field: str | None = None, **extra):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def json_body(request) -> dict:
    """The request's body, which must be a JSON object."""
    try:
        data = json.loads(request.body.decode("utf-8")) if request.body else None
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
        raise ApiError(400, "invalid_json", _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The request body must be a JSON object."))
    return data


def method_not_allowed(methods: dict[str, str]):
    """Registers, for the module calling it, a view answering 405 with the ``Allow`` header of
    ``methods`` (route name → methods) on each of those routes. Without a request-method predicate
    it is tried last, so it answers only the methods no other view takes. The caller keeps the
    returned view as a module attribute, where the scan finds it."""

    def view(request):
        request.response.headers["Allow"] = methods[request.matched_route.name]
        return api_error(request, 405, "method_not_allowed", _("This method is not allowed here."))

    for route in methods:
        view = view_config(route_name=route, require_csrf=False, _depth=1)(view)
    return view
